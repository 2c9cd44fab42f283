"""Build ``matchhub/data/demo/order_mixes.json`` from real IT job postings.

    .venv/bin/python scripts/build_demo_stats.py [--jobs ../shared/data/jobs/itviec_2025-11.csv]
                                                 [--out matchhub/data/demo/order_mixes.json]

The demo province's orders ask for the skill mixes real Vietnamese employers ask
for. This script reads the ITviec postings (Oct–Nov 2025), maps each posting's
skill tags to taxonomy ids (folded label lookup, plus the small table below for
tags the labels miss) and writes, per job group, only aggregate statistics: how
many postings, the share of postings asking for each skill, how many mapped
skills a posting lists, and the seniority mix. No posting, title or company name
leaves the script. The output is deterministic (same input, same bytes).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchhub.matching.taxonomy import load_taxonomy  # noqa: E402
from matchhub.matching.text import fold  # noqa: E402

DEFAULT_JOBS = ROOT.parent / "shared" / "data" / "jobs" / "itviec_2025-11.csv"
DEFAULT_OUT = ROOT / "matchhub" / "data" / "demo" / "order_mixes.json"

#: ITviec's job groups, spelled several ways in the file, folded to the demo's groups.
GROUPS = {
    "Backend Developer": "backend",
    "Backend": "backend",
    "Frontend Developer": "frontend",
    "Frontend": "frontend",
    "Fullstack Developer": "fullstack",
    "Fullstack": "fullstack",
    "Full": "fullstack",
    "Mobile Developer": "mobile",
    "Data / AI": "data-ai",
    "Artificial": "data-ai",
    "Data": "data-ai",
    "Data Engineer": "data-engineer",
    "QA / Tester": "qa",
    "QA": "qa",
    "DevOps / Cloud": "devops",
    "DevOps Engineer": "devops",
    "DevOps": "devops",
    "Cloud": "devops",
    "UX/UI Designer": "ui-ux",
    "UX": "ui-ux",
    "Manager / Lead": "manager",
    "Product": "manager",
    "Security": "security",
    "Cybersecurity": "security",
    "Cyber": "security",
    "ERP / Enterprise": "erp",
    "Game": "game",
    "Database": "database",
    "Embedded / Firmware": "embedded",
    "Other": "other",
    "IT": "other",
}

#: Tags whose folded form is no taxonomy label; "Design" alone is too vague to map.
TAG_MAP = {
    "room": "room",
    "gin": "gin",
    "phoenix": "phoenix",
    "robotic process automation (rpa)": "rpa",
    "lean project management": "project-management",
    "microsoft azure sql database": "sql-server",
    "dns security": "networking",
    "governance, risk & compliance": "risk-management",
    "risk assessment / bcp": "risk-management",
    "data privacy / compliance": "security",
    "embedded android": "android",
    "testcomplete": "automation-testing",
    "apache httpclient": "java",
    "adobe": "photoshop",
}

#: Skills asked for in fewer postings of a group than this are noise for a demo.
MIN_POSTINGS = 2


def parse_tags(raw: str) -> list[str]:
    """The tags of one posting: a Python list literal, or (in a few rows) a bare comma list."""
    raw = raw.strip()
    if raw.startswith("["):
        try:
            value = ast.literal_eval(raw)
        except (SyntaxError, ValueError):
            value = None
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
    return [t.strip() for t in raw.strip("[]").split(",") if t.strip()]


def label_index() -> dict[str, str]:
    """Folded label or alias -> taxonomy id (the first skill to claim a key keeps it)."""
    index: dict[str, str] = {}
    for skill in load_taxonomy():
        for label in skill.labels():
            index.setdefault(fold(label), skill.id)
    return index


def map_tag(tag: str, index: dict[str, str]) -> str | None:
    key = fold(tag)
    return TAG_MAP.get(key) or index.get(key)


def _quantile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def build(jobs_path: Path) -> dict:
    """Aggregate the postings of ``jobs_path`` into per-group skill statistics."""
    index = label_index()
    postings: dict[str, int] = Counter()
    skill_counts: dict[str, Counter] = defaultdict(Counter)
    sizes: dict[str, list[int]] = defaultdict(list)
    levels: dict[str, Counter] = defaultdict(Counter)
    tags_seen = tags_mapped = 0
    with jobs_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            group = GROUPS.get(row["job_group"].strip(), "other")
            skills: set[str] = set()
            for tag in parse_tags(row["array_skills"]):
                tags_seen += 1
                skill = map_tag(tag, index)
                if skill:
                    tags_mapped += 1
                    skills.add(skill)
            postings[group] += 1
            skill_counts[group].update(skills)
            sizes[group].append(len(skills))
            levels[group][row["level"].strip() or "unknown"] += 1

    groups = {}
    for group in sorted(postings):
        n = postings[group]
        shares = {
            skill: round(count / n, 4)
            for skill, count in sorted(skill_counts[group].items(), key=lambda kv: (-kv[1], kv[0]))
            if count >= MIN_POSTINGS or n < 20
        }
        groups[group] = {
            "postings": n,
            "skills_per_posting": {
                "p25": _quantile(sizes[group], 0.25),
                "median": int(statistics.median(sizes[group])),
                "p75": _quantile(sizes[group], 0.75),
                "mean": round(statistics.fmean(sizes[group]), 2),
            },
            "levels": dict(sorted(levels[group].items())),
            "skills": shares,
        }
    return {
        "source": (
            "Aggregate statistics of 1,469 IT job postings published on ITviec in "
            "October-November 2025 (collected and released under the MIT licence): per job "
            "group, the share of postings that list each skill (tags mapped to MatchHub "
            "taxonomy ids), skills per posting and seniority. No posting or company is included."
        ),
        "built_by": "scripts/build_demo_stats.py",
        "tags_seen": tags_seen,
        "tags_mapped": tags_mapped,
        "groups": groups,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=Path, default=DEFAULT_JOBS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.jobs.exists():
        print(f"no postings at {args.jobs}", file=sys.stderr)
        return 1
    data = build(args.jobs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    mapped, seen = data["tags_mapped"], data["tags_seen"]
    print(f"{args.out}: {len(data['groups'])} groups, {mapped}/{seen} tags mapped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
