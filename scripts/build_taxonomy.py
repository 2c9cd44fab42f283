"""Build ``matchhub/data/skills.json`` from the curated list plus ESCO and O*NET.

    .venv/bin/python scripts/build_taxonomy.py [--data DIR] [--out FILE]

``--data`` defaults to ``../shared/data``, ``--out`` to ``matchhub/data/skills.json``.

The curated list (``scripts/taxonomy_curated.txt``) is the source of truth for ids,
names, categories and aliases. ESCO (ICT, digital and transversal skills) and O*NET
technology skills only add *references*: the ESCO concept whose preferred label
equals one of the skill's names or aliases (then its English name against alt
labels), and the O*NET technology example whose name equals the skill's English
name — after folding, ignoring ESCO's "(computer programming)" qualifiers and
O*NET's vendor prefixes and initial-letter acronyms — or the label named in
``ESCO_OVERRIDES`` / ``ONET_OVERRIDES`` below. Without the data directory the build still runs and
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
# run as a plain script from any directory: the engine's folding must be the same
# one the normaliser uses, so import it from the checkout
sys.path.insert(0, str(ROOT))

from matchhub.matching.normalize import Normalizer  # noqa: E402
from matchhub.matching.taxonomy import CATEGORIES, Taxonomy  # noqa: E402
from matchhub.matching.text import fold  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "matchhub" / "data" / "skills.json"
CURATED = Path(__file__).resolve().parent / "taxonomy_curated.txt"
IMPLIES = Path(__file__).resolve().parent / "taxonomy_implies.txt"
RELATED = Path(__file__).resolve().parent / "taxonomy_related.txt"

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
    "microsoft ",
    "oracle ",
    "apache ",
    "google ",
    "adobe ",
    "ibm ",
    "amazon ",
    "atlassian ",
    "the mathworks ",
    "autodesk ",
    "apple ",
    "red hat ",
    "sap ",
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


def parse_implies(text: str, sep: str = ">", what: str = "implications") -> dict[str, list[str]]:
    """Parse ``id > implied-id, ...`` lines (``#`` starts a comment line); with
    ``sep="~"`` the ``id ~ related-id, ...`` lines of the related list."""
    implies: dict[str, list[str]] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        source, found, targets = line.partition(sep)
        if not found or not source.strip() or not targets.strip():
            raise SystemExit(f"{what} line {lineno}: expected 'id {sep} other-id, ...'")
        if source.strip() in implies:
            raise SystemExit(f"{what} line {lineno}: {source.strip()!r} listed twice")
        implies[source.strip()] = [t.strip() for t in targets.split(",") if t.strip()]
    return implies


def parse_related(text: str) -> dict[str, list[str]]:
    """Parse the ``id ~ related-id, ...`` lines of ``taxonomy_related.txt``."""
    return parse_implies(text, sep="~", what="related")


def attach_implies(
    records: list[dict], implies: dict[str, list[str]], field: str = "implies"
) -> None:
    """Set each record's ``implies`` (or another relation ``field``); a line naming
    no skill stops the build."""
    ids = {rec["id"] for rec in records}
    unknown = sorted(
        {i for source, targets in implies.items() for i in (source, *targets) if i not in ids}
    )
    if unknown:
        raise SystemExit(f"{field} name unknown skills: {', '.join(unknown)}")
    for rec in records:
        rec[field] = implies.get(rec["id"], [])


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
                    a.strip()
                    for a in re.split(r"\n|\s\|\s", row.get("altLabels") or "")
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
            keys.append(key[len(prefix) :])
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


# ---------------------------------------------------------------- imported breadth
IMPORTED = Path(__file__).resolve().parent / "taxonomy_imported.txt"

#: O*NET commodity titles -> category of the skills imported under them; anything
#: else is a "tool".
_COMMODITY_CATEGORY = {
    "Data base management system software": "database",
    "Data base user interface and query software": "database",
    "Development environment software": "framework-library",
    "Object or component oriented development software": "programming-language",
    "Web platform development software": "framework-library",
    "Program testing software": "testing",
    "Analytical or scientific software": "data-ai",
    "Business intelligence and data analysis software": "data-ai",
    "Graphics or photo imaging software": "design",
    "Video creation and editing software": "design",
    "Computer aided design CAD software": "design",
    "Web page creation and editing software": "design",
    "Desktop publishing software": "design",
    "Word processing software": "office",
    "Spreadsheet software": "office",
    "Office suite software": "office",
    "Presentation software": "office",
    "Electronic mail software": "office",
    "Calendar and scheduling software": "office",
    "Network security and virtual private network VPN equipment software": "networking-security",
    "Network monitoring software": "networking-security",
    "Network connectivity terminal emulation software": "networking-security",
    "Transaction security and virus protection software": "networking-security",
    "Configuration management software": "cloud-devops",
    "Cloud-based data access and sharing software": "cloud-devops",
    "Enterprise resource planning ERP software": "domain",
    "Accounting software": "domain",
    "Human resources software": "domain",
    "Medical software": "domain",
    "Customer relationship management CRM software": "domain",
    "Project management software": "methodology",
}

#: Single-word product names that are everyday English words: as an alias they would
#: turn ordinary text into a product ("zoom in", "square", "seesaw"). Read off the
#: O*NET and ESCO single-word names by hand; the automatic test is the word list
#: built by :func:`common_words`, which misses these.
_EVERYDAY = frozenset(
    {
        "dig",
        "route",
        "sand",
        "scheme",
        "algae",
        "analyze",
        "reduce",
        "tanks",
        "prince",
        "harvest",
        "square",
        "zoom",
        "slack",
        "loom",
        "blink",
        "seesaw",
        "tadpoles",
        "chef",
        "penultimate",
        "compass",
        "google",
        "facebook",
        "linkedin",
        "twitter",
        "instagram",
        "pinterest",
        "tiktok",
        "youtube",
        "whatsapp",
        "skype",
        "facetime",
        "eko",
        "canu",
        "geometrix",
        "blackdog",
        "coeus",
        "alcestis",
        "kismet",
        "bloomz",
        "planstone",
        "quicken",
        "absorb",
        "blogger",
        "audition",
        "scratch",
        "rage",
        "shiva",
        "frostbite",
        "storyline",
        "sentinel",
    }
)

#: Words that mark an O*NET example as a kind of software rather than a product.
_GENERIC_TAIL = frozenset({"software", "systems", "system", "program", "programs", "tools"})

_WORD_RE = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


def common_words(data: Path) -> frozenset[str]:
    """Ordinary English words: every all-lowercase word in the ESCO descriptions and
    labels and the O*NET occupation descriptions and commodity titles. A product
    name is written capitalised there ("Photoshop"), an ordinary word is not."""
    texts: list[str] = []
    tax = data / "taxonomy"
    ict = tax / "esco_ict_skills.json"
    if ict.exists():
        for item in json.loads(ict.read_text(encoding="utf-8")):
            texts += [item.get("description") or "", item["label"], *(item.get("altLabel") or ())]
    for name in ("esco_digital_skills_en.csv", "esco_transversal_skills_en.csv"):
        path = tax / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    texts += [row["description"], row["preferredLabel"], row["altLabels"]]
    occ = tax / "onet_occupation_data.tsv"
    if occ.exists():
        with occ.open(encoding="utf-8", newline="") as fh:
            texts += [row["Description"] for row in csv.DictReader(fh, delimiter="\t")]
    tech = tax / "onet_technology_skills.tsv"
    if tech.exists():
        with tech.open(encoding="utf-8", newline="") as fh:
            texts += list({row["Commodity Title"] for row in csv.DictReader(fh, delimiter="\t")})
    return frozenset(w for text in texts for w in _WORD_RE.findall(text)) | _EVERYDAY


def _slug(name: str) -> str:
    slug = _SLUG_RE.sub("-", fold(name).replace("+", "p").replace("#", "sharp"))
    return slug.strip("-")[:60].strip("-")


def _named(words: list[str], common: frozenset[str]) -> bool:
    """Whether a folded label names something (a product, a technology): at least one
    word that is not an ordinary English word."""
    return any(w not in common and not w.isdigit() for w in words)


def _onet_candidates(data: Path, common: frozenset[str]) -> list[dict]:
    """Distinct O*NET technology examples as skill records with generated aliases."""
    path = data / "taxonomy" / "onet_technology_skills.tsv"
    if not path.exists():
        return []
    counts: Counter[str] = Counter()
    titles: dict[str, Counter[str]] = {}
    wanted: set[str] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            counts[row["Example"]] += 1
            if row["Hot Technology"] == "Y" or row["In Demand"] == "Y":
                wanted.add(row["Example"])
            titles.setdefault(row["Example"], Counter())[row["Commodity Title"]] += 1
    # a vendor is a capitalised first word, not an ordinary word, that starts at
    # least three distinct multi-word examples ("Microsoft", "Autodesk", "IBM")
    firsts = Counter(e.split()[0] for e in counts if len(e.split()) > 1)
    vendors = {w for w, n in firsts.items() if n >= 3 and fold(w) not in common and w[0].isupper()}
    out = []
    for example, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if example not in wanted or "|" in example or ";" in example:
            continue
        words = fold(example).split()
        core = [w for w in words if w not in _GENERIC_TAIL]
        if not core or not _named(core, common):
            continue  # "Flowcharting software": a kind of software, not a product
        aliases: list[str] = []
        raw = example.split()
        if len(raw) > 1 and raw[0] in vendors:
            rest = " ".join(raw[1:])
            if len(raw) == 2 and _named(fold(rest).split(), common) and len(fold(rest)) >= 4:
                aliases.append(rest)
        if len(raw) > 1 and raw[-1] == "software" and _named(words[:-1], common):
            # "Alteryx software" is written "Alteryx"
            aliases.append(" ".join(raw[:-1]))
        keys = _onet_keys(example)
        for key in keys[1:]:
            # a trailing acronym of 4+ letters: three ("PMS") more often stand for
            # something else in prose ("PMs", project managers)
            if " " not in key and len(key) >= 4 and key not in common:
                aliases.append(key)
        title = titles[example].most_common(1)[0][0]
        out.append(
            {
                "name_en": example,
                "category": _COMMODITY_CATEGORY.get(title, "tool"),
                "aliases": aliases,
                "weight": n,
            }
        )
    return out


def _esco_candidates(data: Path, common: frozenset[str]) -> list[dict]:
    """ESCO ICT and digital *knowledge* concepts (technologies, methods) as records;
    skill/competence concepts are verb phrases ("develop terminology databases")
    that no CV writes."""
    tax = data / "taxonomy"
    items: dict[str, tuple[str, list[str], str]] = {}
    path = tax / "esco_digital_skills_en.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["skillType"] != "knowledge":
                    continue
                alts = [a.strip() for a in re.split(r"\n|\s\|\s", row["altLabels"] or "")]
                items[row["conceptUri"]] = (
                    row["preferredLabel"].strip(),
                    [a for a in alts if a],
                    row.get("broaderConceptPT") or "",
                )
    ict = tax / "esco_ict_skills.json"
    if ict.exists():
        for item in json.loads(ict.read_text(encoding="utf-8")):
            if item.get("skillType") == "knowledge" and item["uri"] not in items:
                items[item["uri"]] = (item["label"], list(item.get("altLabel") or ()), "")
    out = []
    for uri, (label, alts, broader) in sorted(items.items(), key=lambda kv: kv[1][0]):
        if not uri.startswith(_ESCO_PREFIX):
            continue
        name = _PAREN_RE.sub("", label).strip()
        words = fold(name).split()
        # catch-all concepts ("computer programming" lists dozens of languages)
        if not words or len(words) > 4 or len(alts) > _MAX_ALTS or "|" in label or ";" in label:
            continue
        aliases = []
        for alt in alts:
            alt = _PAREN_RE.sub("", alt).strip()
            alt_words = fold(alt).split()
            # short alt labels ("CPC", "PDM") and article phrases ("a computer")
            # stand for other things in prose
            if (
                len(fold(alt)) >= 4
                and 0 < len(alt_words) <= 4
                and ";" not in alt
                and "|" not in alt
                and alt_words[0] not in {"a", "an", "the"}
                and (len(alt_words) > 1 or _named(alt_words, common))
            ):
                aliases.append(alt)
        b = broader.lower()
        category = (
            "programming-language"
            if "computer programming" in b
            else "database"
            if "database" in b
            else "testing"
            if "testing" in b
            else "networking-security"
            if "network" in b or "security" in b
            else "methodology"
            if "methodolog" in b or "project management" in b
            else "tool"
            if _named(words, common)
            else "domain"
        )
        if len(words) == 1 and not _named(words, common):
            continue
        out.append(
            {
                "name_en": label if name == label else name,
                "category": category,
                "aliases": aliases,
                "esco": uri,
                "weight": 0,
            }
        )
    return out


def import_records(curated: list[dict], data: Path) -> list[dict]:
    """Skills from O*NET technology examples and ESCO knowledge concepts that the
    curated list does not already cover, with generated aliases.

    A candidate is skipped when the curated normaliser already maps its name or
    one of its generated aliases (vendor-free name, acronym) exactly (after
    fillers and versions, score >= 0.95), when one of its words is a curated
    alias, or when a curated skill already refers to it: it is a curated skill's
    variant or edition. An alias is dropped when a curated skill or another
    candidate owns it (ambiguous). Deterministic: O*NET by frequency then name,
    ESCO by label.
    """
    common = common_words(data)
    normalizer = Normalizer(Taxonomy.from_records(curated))
    owner: dict[str, str] = {}
    for rec in curated:
        for label in (rec["name_en"], rec["name_vi"], *rec["aliases"]):
            owner[fold(label)] = rec["id"]
    ids = {rec["id"] for rec in curated}
    referenced = {v for v in ONET_OVERRIDES.values() if v} | {rec["name_en"] for rec in curated}
    picked: list[dict] = []
    claims: Counter[str] = Counter()
    for cand in [*_onet_candidates(data, common), *_esco_candidates(data, common)]:
        name = cand["name_en"]
        # the name or a vendor-free alias is a curated skill's variant ("Oracle
        # Solaris" / "Solaris" -> Unix): the curated grouping stands
        if (
            any(
                (hit := normalizer.normalize(label)).skill_id and hit.score >= 0.95
                for label in (name, *cand["aliases"])
            )
            or any(fold(label) in owner for label in cand["aliases"])
            or any(
                # one word of it is a curated skill ("Jenkins CI", "Hypertext markup
                # language HTML", "Autodesk AutoCAD Civil 3D"): a variant or an edition
                len(w) >= 3 and owner.get(w)
                for w in fold(name).split()
            )
            or name in referenced
        ):
            continue
        key = fold(name)
        if key in owner:
            continue
        sid = _slug(name)
        if not sid or sid in ids:
            continue
        ids.add(sid)
        owner[key] = sid
        firsts: dict[str, str] = {}
        for alias in cand["aliases"]:
            firsts.setdefault(fold(alias), alias)  # "Acrobat" / "acrobat": one alias
        labels = [a for k, a in firsts.items() if k != key]
        picked.append({"id": sid, "name_en": name, "category": cand["category"], "labels": labels})
        for label in dict.fromkeys(fold(a) for a in labels):
            claims[label] += 1
    out = []
    for rec in picked:
        aliases = [
            a
            for a in dict.fromkeys(rec["labels"])
            if fold(a) not in owner
            and claims[fold(a)] == 1
            and normalizer.normalize(a).score < 0.95
        ]
        out.append(
            {
                "id": rec["id"],
                "category": rec["category"],
                "name_en": rec["name_en"],
                "aliases": aliases,
            }
        )
    return out


def write_imported(records: list[dict], path: Path = IMPORTED) -> None:
    """Write imported records in the curated line format."""
    lines = [
        "# Skills imported from O*NET technology examples and ESCO knowledge concepts by",
        "# `scripts/build_taxonomy.py --import` (do not edit by hand: edit the curated list,",
        "# which wins over this file, or the rules in the script, and re-import).",
        "# Names: O*NET 28.0 (USDOL/ETA) and ESCO (c) European Union, both CC BY 4.0.",
    ]
    for rec in records:
        lines.append(
            f"{rec['id']} | {rec['category']} | {rec['name_en']} | | {'; '.join(rec['aliases'])}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(data: Path) -> dict:
    """Return the JSON document for ``skills.json``."""
    records = parse_curated(CURATED.read_text(encoding="utf-8"))
    if IMPORTED.exists():
        records += parse_curated(IMPORTED.read_text(encoding="utf-8"))
    problems = check_conflicts(records)
    if problems:
        raise SystemExit("alias conflicts:\n  " + "\n  ".join(problems))
    attach_references(records, data)
    attach_implies(records, parse_implies(IMPLIES.read_text(encoding="utf-8")))
    attach_implies(records, parse_related(RELATED.read_text(encoding="utf-8")), field="related")
    # validates ids, categories, uniqueness, implication cycles, relations to oneself
    Taxonomy.from_records(records)
    return {
        "name": "MatchHub skill taxonomy",
        "attribution": (
            "Skill ids, names, Vietnamese names, categories and aliases: MatchHub "
            "contributors, except the names and generated aliases of skills imported "
            "from O*NET technology examples and ESCO knowledge concepts (see "
            "scripts/taxonomy_imported.txt). ESCO references and imported ESCO "
            "names: ESCO classification, (c) European Union, "
            "https://esco.ec.europa.eu, CC BY 4.0. O*NET references and imported "
            "O*NET names: O*NET 28.0 "
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
    parser.add_argument(
        "--import",
        dest="do_import",
        action="store_true",
        help=f"regenerate {IMPORTED.name} from O*NET/ESCO in --data before building",
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        if args.do_import:
            raise SystemExit(f"--import needs {args.data}")
        print(
            f"note: {args.data} not found; building without ESCO/O*NET references", file=sys.stderr
        )
    if args.do_import:
        imported = import_records(parse_curated(CURATED.read_text(encoding="utf-8")), args.data)
        write_imported(imported)
        print(f"{len(imported)} imported skills -> {IMPORTED}")
    doc = build(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    skills = doc["skills"]
    n_alias = sum(len(s["aliases"]) for s in skills)
    n_esco = sum(s["esco_uri"] is not None for s in skills)
    n_onet = sum(s["onet"] is not None for s in skills)
    print(
        f"{len(skills)} skills, {n_alias} aliases, {n_esco} with ESCO, {n_onet} with O*NET "
        f"-> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
