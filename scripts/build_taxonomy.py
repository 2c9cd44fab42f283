"""Build ``matchhub/data/skills.json`` from the curated list plus ESCO and O*NET.

    .venv/bin/python scripts/build_taxonomy.py [--data DIR] [--out FILE]

``--data`` defaults to ``../shared/data``, ``--out`` to ``matchhub/data/skills.json``.

The curated list (``scripts/taxonomy_curated.txt``) is the source of truth for ids,
names, categories and aliases. ESCO (ICT, digital and transversal skills) and O*NET
technology skills only add *references*: the ESCO concept URI and the O*NET
technology example whose label equals one of the skill's names or aliases (after
folding; ESCO's "(computer programming)" qualifiers and O*NET's vendor prefixes and
trailing acronyms are ignored), or the label named in ``ESCO_OVERRIDES`` /
``ONET_OVERRIDES`` below. Without the data directory the build still runs and
keeps no references, so the output never depends on anything but these files.

The build is deterministic (same inputs, same bytes) and fails when two skills
share a folded alias, which would make the normaliser's answer depend on order.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchhub.matching.taxonomy import CATEGORIES, Taxonomy  # noqa: E402
from matchhub.matching.text import fold  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "matchhub" / "data" / "skills.json"
CURATED = Path(__file__).resolve().parent / "taxonomy_curated.txt"

#: Skills whose ESCO concept has a label none of our aliases spells (mostly the
#: transversal skills, which ESCO words as verb phrases); ``None`` means ESCO has no
#: concept that fits, whatever its labels suggest.
ESCO_OVERRIDES: dict[str, str | None] = {
    "dotnet": None,
    "soap": None,
    "visual-studio": None,
    "tensorflow": None,
    "keras": None,
    "rest-api": "design application interfaces",
    "teamwork": "work in teams",
    "presentation": "address an audience",
    "problem-solving": "solve problems",
    "critical-thinking": "think critically",
    "creativity": "think creatively",
    "self-learning": "demonstrate willingness to learn",
    "time-management": "manage time",
    "planning": "plan",
    "leadership": "lead others",
    "responsibility": "assume responsibility",
    "emotional-intelligence": "show empathy",
    "conflict-resolution": "resolve conflicts",
    "decision-making": "make decisions",
    "entrepreneurship": "show entrepreneurial spirit",
    "excel": "use spreadsheets software",
    "word": "use word processing software",
    "powerpoint": "use presentation software",
    "ms-office": "office software",
    "crm": "use customer relationship management software",
    "software-testing": "levels of software testing",
    "automation-testing": "tools for ICT test automation",
    "agile": "Agile development",
    "waterfall": "Waterfall development",
    "sdlc": "systems development life-cycle",
    "uml": "unified modelling language",
    "oop": "object-oriented modelling",
    "ai": "principles of artificial intelligence",
    "web-development": "web programming",
    "ecommerce": "e-commerce systems",
    "security": "information security strategy",
    "debugging": "ICT debugging tools",
    "education-it": "e-learning",
    "project-management": "project management",
    "cloud": "cloud technologies",
    "data-warehouse": "data warehouse",
    "security-testing": "penetration testing tool",
    "cryptography": "ICT encryption",
    "graphic-design": "graphics editor software",
    "networking": "ICT network routing",
    "electronics": "telecommunications engineering",
    "report-writing": "report facts",
    "stress-resistance": "cope with stress",
    "confidence": "adapt to change",
    "negotiation": "negotiate compromises",
    "teaching": "instruct others",
}

#: O*NET technology examples named by hand where no alias matches.
ONET_OVERRIDES: dict[str, str | None] = {
    "mvc": None,
    "java": "Oracle Java",
    "sql": "Structured query language SQL",
    "ms-office": "Microsoft Office software",
    "aws": "Amazon Web Services AWS software",
    "azure": "Microsoft Azure software",
    "html": "Hypertext markup language HTML",
    "css": "Cascading style sheets CSS",
    "xml": "Extensible markup language XML",
    "json": "JavaScript Object Notation JSON",
    "angular": "Google Angular",
    "aspnet": "Microsoft ASP.NET",
    "dotnet": "Microsoft .NET Framework",
    "vba": "Microsoft Visual Basic for Applications VBA",
    "visual-basic": "Microsoft Visual Basic",
    "windows": "Microsoft Windows",
    "windows-server": "Microsoft Windows Server",
    "erp": "Enterprise resource planning ERP software",
    "crm": "Customer relationship management CRM software",
    "gis": "Geographic information system GIS software",
    "autocad": "Autodesk AutoCAD",
    "matlab": "The MathWorks MATLAB",
    "labview": "National Instruments LabVIEW",
    "statistics": "IBM SPSS Statistics",
    "macos": "Apple macOS",
    "hadoop": "Apache Hadoop",
    "spark": "Apache Spark",
    "kafka": "Apache Kafka",
    "cassandra": "Apache Cassandra",
    "jira": "Atlassian JIRA",
    "confluence": "Atlassian Confluence",
    "ssrs": "Microsoft SQL Server Reporting Services SSRS",
    "ssis": "Microsoft SQL Server Integration Services SSIS",
    "crystal-reports": "SAP Crystal Reports",
    "centos": "Red Hat Enterprise Linux",
    "uml": "Unified modeling language UML",
    "shell": "Bash",
    "cobol": "Common business oriented language COBOL",
    "fortran": "Formula translation/translator FORTRAN",
    "abap": "Advanced business application programming ABAP",
    "jmeter": "Hewlett Packard LoadRunner",
    "java-ee": "Enterprise JavaBeans",
    "plc": "Programmable logic controller PLC software",
    "automation": "Supervisory control and data acquisition SCADA software",
    "google-workspace": "Google Workspace software",
    "slack": "Slack",
    "data-modeling": "Quest Erwin Data Modeler",
    "bi": "Data visualization software",
    "coreldraw": "Corel CorelDraw Graphics Suite",
    "3d-modeling": "Trimble SketchUp Pro",
    "premiere": "Adobe After Effects",
    "virtualization": "VMware",
    "svn": "Apache Subversion SVN",
    "maven": "Apache Maven",
    "tomcat": "Apache Tomcat",
    "apache-http": "Apache HTTP Server",
    "sap": "SAP software",
    "salesforce": "Salesforce software",
    "accounting": "Accounting software",
    "hrm": "Human resource management software HRMS",
    "education-it": "Learning management system LMS",
    "outlook": "Microsoft Outlook",
    "sharepoint": "Microsoft SharePoint",
    "access": "Microsoft Access",
}

_MAX_ALTS = 15
_ESCO_PREFIX = "http://data.europa.eu/esco/"
_PAREN_RE = re.compile(r"\s*\([^)]*\)")
_ONET_PREFIXES = (
    "microsoft ", "oracle ", "apache ", "google ", "adobe ", "ibm ", "amazon ", "atlassian ",
    "the mathworks ", "autodesk ", "apple ", "red hat ", "sap ",
)


def parse_curated(text: str) -> list[dict]:
    """Parse the ``id | category | name_en | name_vi | aliases`` lines into records
    (``#`` starts a comment line)."""
    records = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 5:
            raise SystemExit(f"curated line {lineno}: expected 5 fields, got {len(parts)}")
        sid, category, name_en, name_vi, aliases = parts
        if category not in CATEGORIES:
            raise SystemExit(f"curated line {lineno}: unknown category {category!r}")
        alias_list = [a.strip() for a in aliases.split(";") if a.strip()]
        records.append(
            {
                "id": sid,
                "name_en": name_en,
                "name_vi": name_vi or name_en,
                "category": category,
                "esco_uri": None,
                "onet": None,
                "aliases": list(dict.fromkeys(alias_list)),
            }
        )
    return records


def check_conflicts(records: list[dict]) -> list[str]:
    """Folded labels claimed by more than one skill (each one is an error)."""
    owner: dict[str, str] = {}
    problems = []
    for rec in records:
        for label in (rec["name_en"], rec["name_vi"], *rec["aliases"]):
            key = fold(label)
            other = owner.setdefault(key, rec["id"])
            if other != rec["id"]:
                problems.append(f"{label!r} is claimed by {other!r} and {rec['id']!r}")
    return sorted(set(problems))


def _esco_labels(data: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(folded preferred label -> URI, folded alt label -> URI).

    Alt labels of catch-all concepts ("computer programming" lists dozens of
    languages) are skipped: they would hang a vague reference on a precise skill.
    """
    prefs: dict[str, str] = {}
    alts: dict[str, str] = {}

    def add(uri: str, label: str, alt_labels: list[str]) -> None:
        # the ICT file mixes in a few concepts of a third-party ESCO extension
        if not uri.startswith(_ESCO_PREFIX):
            return
        prefs.setdefault(fold(_PAREN_RE.sub("", label)), uri)
        prefs.setdefault(fold(label), uri)
        if len(alt_labels) <= _MAX_ALTS:
            for alt in alt_labels:
                alts.setdefault(fold(_PAREN_RE.sub("", alt)), uri)

    ict = data / "taxonomy" / "esco_ict_skills.json"
    if ict.exists():
        for item in json.loads(ict.read_text(encoding="utf-8")):
            add(item["uri"], item["label"], list(item.get("altLabel") or ()))
    for name in ("esco_digital_skills_en.csv", "esco_transversal_skills_en.csv"):
        path = data / "taxonomy" / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                alt_labels = [
                    a.strip() for a in re.split(r"\n|\s\|\s", row.get("altLabels") or "")
                    if a.strip()
                ]
                add(row["conceptUri"], row["preferredLabel"].strip(), alt_labels)
    return prefs, alts


def _onet_keys(example: str) -> list[str]:
    """Folded keys an O*NET technology example may be known by."""
    key = fold(example)
    keys = [key]
    for prefix in _ONET_PREFIXES:
        if key.startswith(prefix):
            keys.append(key[len(prefix):])
    words = key.split()
    # "Structured query language SQL", "Amazon Web Services AWS software": a trailing
    # acronym counts only when it spells the initials of the words before it
    if words and words[-1] == "software":
        words = words[:-1]
    if len(words) > 2:
        acro = words[-1]
        initials = "".join(w[0] for w in words[:-1] if w[0].isalnum())
        if acro.isalnum() and len(acro) >= 2 and initials.endswith(acro):
            keys.append(acro)
    return keys


def _onet_examples(data: Path) -> tuple[dict[str, str], set[str]]:
    """Folded key -> most frequent O*NET example with that key; and all examples."""
    path = data / "taxonomy" / "onet_technology_skills.tsv"
    if not path.exists():
        return {}, set()
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            counts[row["Example"]] += 1
    by_key: dict[str, str] = {}
    exact: dict[str, str] = {}
    for example, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        exact.setdefault(fold(example), example)
        for key in _onet_keys(example)[1:]:
            by_key.setdefault(key, example)
    return {**by_key, **exact}, set(counts)


def attach_references(records: list[dict], data: Path) -> tuple[int, int]:
    """Fill ``esco_uri`` and ``onet`` in place; return how many of each were found.

    ESCO: any name or alias against ESCO preferred labels, then the English name
    against alt labels. O*NET: the English name, or the override.
    """
    esco_prefs, esco_alts = _esco_labels(data)
    onet, onet_all = _onet_examples(data)
    n_esco = n_onet = 0
    for rec in records:
        labels = [rec["name_en"], *rec["aliases"]]
        if rec["id"] in ESCO_OVERRIDES:
            wanted = ESCO_OVERRIDES[rec["id"]]
            rec["esco_uri"] = esco_prefs.get(fold(wanted)) if wanted else None
        else:
            # every label against preferred labels first, then against alt labels
            hits = [esco_prefs.get(fold(label)) for label in labels]
            hits.append(esco_alts.get(fold(rec["name_en"])))
            rec["esco_uri"] = next((h for h in hits if h), None)
        if rec["id"] in ONET_OVERRIDES:
            wanted = ONET_OVERRIDES[rec["id"]]
            rec["onet"] = wanted if wanted in onet_all else None
        else:
            # only the English name: aliases ("xgboost" of machine learning) would
            # hang a narrower technology on a broader skill
            key = fold(rec["name_en"])
            hit = onet.get(key)
            # one- and two-letter names ("C", "R") only match an exact example
            if hit and (len(key) > 2 or fold(hit) == key):
                rec["onet"] = hit
        n_esco += rec["esco_uri"] is not None
        n_onet += rec["onet"] is not None
    return n_esco, n_onet


def build(data: Path) -> dict:
    """Return the JSON document for ``skills.json``."""
    records = parse_curated(CURATED.read_text(encoding="utf-8"))
    problems = check_conflicts(records)
    if problems:
        raise SystemExit("alias conflicts:\n  " + "\n  ".join(problems))
    attach_references(records, data)
    Taxonomy.from_records(records)  # validates ids, categories and uniqueness
    return {
        "name": "MatchHub skill taxonomy",
        "attribution": (
            "Skill ids, names, Vietnamese names, categories and aliases: MatchHub "
            "contributors. ESCO references: ESCO classification, (c) European Union, "
            "https://esco.ec.europa.eu, CC BY 4.0. O*NET references: O*NET 28.0 "
            "Database, U.S. Department of Labor, Employment and Training "
            "Administration (USDOL/ETA), CC BY 4.0; modified by MatchHub. USDOL/ETA has "
            "not approved, endorsed or tested these modifications. O*NET is a trademark "
            "of USDOL/ETA."
        ),
        "skills": records,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"note: {args.data} not found; building without ESCO/O*NET references",
              file=sys.stderr)
    doc = build(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    skills = doc["skills"]
    n_alias = sum(len(s["aliases"]) for s in skills)
    n_esco = sum(s["esco_uri"] is not None for s in skills)
    n_onet = sum(s["onet"] is not None for s in skills)
    print(f"{len(skills)} skills, {n_alias} aliases, {n_esco} with ESCO, {n_onet} with O*NET "
          f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
