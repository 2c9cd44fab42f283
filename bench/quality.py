"""Quality benchmarks of the skill normaliser and extractor.

    .venv/bin/python -m bench.quality            # JSON of run()
    .venv/bin/python -m bench.quality --sample [SEED]   # 50 postings, for a hand check
    .venv/bin/python -m bench.quality --misses [SEED]   # 50 missed ITviec tags, ditto

Reads ../shared/data when present (never shipped, never read by tests):
- ``eval/viski_synonym_pairs_{val,train}.tsv``: the ``viski_*`` keys, see
  :mod:`bench.viski`.
- ``jobs/itviec_2025-11.csv``: for each posting, the employer's own tags that the
  taxonomy knows (the tag normalises to a skill) and whether extraction from the
  requirements text finds that skill: micro recall over all such tags.
``normalize_cohort_s`` needs no data: 1,500 learners x 8 messy terms generated
deterministically, a fresh (cold) Normalizer per run, median of 5 runs.
"""

from __future__ import annotations

import ast
import csv
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

from bench.viski import DATA, viski_figures
from matchhub.matching.extract import Extractor
from matchhub.matching.normalize import Normalizer, term_tokens
from matchhub.matching.taxonomy import load_taxonomy
from matchhub.matching.text import fold, tokens

ITVIEC = DATA / "jobs" / "itviec_2025-11.csv"


def parse_tags(raw: str) -> list[str]:
    """ITviec ``array_skills``: a Python list literal, sometimes unquoted."""
    raw = raw.strip()
    try:
        value = ast.literal_eval(raw)
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
    except (ValueError, SyntaxError):
        pass
    return [t.strip() for t in raw.strip("[]").split(",") if t.strip()]


def read_itviec(path: Path) -> list[dict[str, str]]:
    """Rows of the ITviec postings file."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _mentions_tag(folded_text: str, tag: str) -> bool:
    """Whether the tag's own words occur in the folded text as whole words."""
    key = " ".join(term_tokens(tag))
    if not key:
        return False
    return re.search(r"(?<![\w+#])" + re.escape(key) + r"(?![\w+#])", folded_text) is not None


def itviec_scores(rows: list[dict[str, str]], extractor: Extractor) -> dict[str, float]:
    """Tag recall of extraction, and skills per posting.

    ``recall``: extraction from the requirements text, over every employer tag the
    taxonomy knows. ``recall_with_title``: the same over title + requirements.
    ``recall_mentioned``: only the tags whose own words occur in the requirements
    text (folded, whole words) — the ones extraction can possibly find there.
    ``named_share``: the share of tags whose skill the text names in *any* form the
    taxonomy knows (a name or an alias, folded, whole words): roughly the ceiling of
    ``recall`` for any extractor that reads only what the text says.
    """
    normalizer = extractor.normalizer
    hit = total = hit_t = hit_m = total_m = named = 0
    n_skills = []
    for row in rows:
        text = row.get("exp_skills") or ""
        title = row.get("job_names") or ""
        found = {m.skill_id for m in extractor.extract(text)}
        found_t = found | {m.skill_id for m in extractor.extract(title)}
        n_skills.append(len(found))
        folded = " ".join(tokens(fold(text)))
        for tag in dict.fromkeys(parse_tags(row["array_skills"])):
            sid = normalizer.normalize(tag).skill_id
            if sid is None:
                continue
            total += 1
            hit += sid in found
            hit_t += sid in found_t
            if _mentions_tag(folded, tag):
                total_m += 1
                hit_m += sid in found
            named += any(_mentions_tag(folded, label) for label in _labels(normalizer, sid))
    return {
        "recall": hit / total if total else 0.0,
        "recall_with_title": hit_t / total if total else 0.0,
        "recall_mentioned": hit_m / total_m if total_m else 0.0,
        "mean_skills": statistics.fmean(n_skills) if n_skills else 0.0,
        "tags_known": total,
        "tags_mentioned": total_m,
        "named_share": named / total if total else 0.0,
    }


def _labels(normalizer: Normalizer, skill_id: str) -> tuple[str, ...]:
    skill = normalizer.taxonomy.get(skill_id)
    return skill.labels() if skill is not None else ()


def sample_misses(n: int = 50, seed: int = 7) -> None:
    """Print ``n`` random (tag, requirements text) pairs where extraction missed a known
    tag, and whether the taxonomy sees the skill named in the text, for a hand check
    of why recall stops where it does."""
    rows = read_itviec(ITVIEC)
    extractor = Extractor.default()
    normalizer = extractor.normalizer
    misses = []
    for row in rows:
        text = row.get("exp_skills") or ""
        found = {m.skill_id for m in extractor.extract(text)}
        folded = " ".join(tokens(fold(text)))
        for tag in dict.fromkeys(parse_tags(row["array_skills"])):
            sid = normalizer.normalize(tag).skill_id
            if sid is not None and sid not in found:
                named = any(_mentions_tag(folded, lab) for lab in _labels(normalizer, sid))
                misses.append((tag, sid, named, text))
    for tag, sid, named, text in random.Random(seed).sample(misses, min(n, len(misses))):
        print("=" * 100)
        print(f"tag {tag!r} -> {sid} | named in text: {named}")
        print(text)


# ---------------------------------------------------------------- cohort generator
_BASE_TERMS = (
    "Python",
    "Java",
    "JavaScript",
    "PHP",
    "C#",
    "C++",
    "SQL",
    "MySQL",
    "HTML",
    "CSS",
    "ReactJS",
    "Node.js",
    "Spring Boot",
    "Docker",
    "Git",
    "Linux",
    "Excel",
    "Word",
    "PowerPoint",
    "tiếng Anh",
    "làm việc nhóm",
    "giao tiếp",
    "kiểm thử phần mềm",
    "giải quyết vấn đề",
    "Photoshop",
    "AutoCAD",
    "SQL Server",
    "Laravel",
    "Angular",
    "Vue.js",
    "Android",
    "Flutter",
    "AWS",
    "Kubernetes",
    "PostgreSQL",
    "MongoDB",
    "tin học văn phòng",
    "quản lý thời gian",
    "thuyết trình",
    "mạng máy tính",
    "cơ sở dữ liệu",
    "lập trình hướng đối tượng",
    "Machine Learning",
    "Power BI",
    "tư duy logic",
    "an toàn thông tin",
    "Figma",
    "Scrum",
    "C",
    ".NET",
    "ASP.NET",
    "TypeScript",
    "Django",
    "Kotlin",
    "Swift",
    "tiếng Nhật",
    "Selenium",
    "Jira",
)
_PREFIXES = (
    "",
    "",
    "",
    "lập trình ",
    "ngôn ngữ ",
    "kỹ năng ",
    "sử dụng ",
    "kiến thức về ",
    "thành thạo ",
    "có kinh nghiệm ",
)
_SUFFIXES = ("", "", "", " cơ bản", " tốt", " 2019", " 5", " 3.8", " ,", ".", " (nâng cao)")


def _strip_accents(text: str) -> str:
    return fold(text) if any(ord(c) > 127 for c in text) else text


def _typo(term: str, rng: random.Random) -> str:
    if len(term) < 6:
        return term
    i = rng.randrange(1, len(term) - 2)
    if term[i].isalpha() and term[i + 1].isalpha():
        return term[:i] + term[i + 1] + term[i] + term[i + 2 :]
    return term


def cohort_pairs(
    n_learners: int = 1500, per_learner: int = 8, seed: int = 7
) -> list[tuple[str, str]]:
    """Deterministic ``(messy term, clean base term)`` pairs, as learners type
    skills into a profile: Vietnamese prefixes, versions and punctuation, upper or
    lower case, lost accents, and a letter swap in 8 % of them."""
    rng = random.Random(seed)
    out = []
    for _ in range(n_learners):
        for term in rng.sample(_BASE_TERMS, per_learner):
            t = rng.choice(_PREFIXES) + term + rng.choice(_SUFFIXES)
            r = rng.random()
            if r < 0.2:
                t = t.lower()
            elif r < 0.3:
                t = t.upper()
            if rng.random() < 0.2:
                t = _strip_accents(t)
            if rng.random() < 0.08:
                t = _typo(t, rng)
            out.append((t, term))
    return out


def cohort_terms(n_learners: int = 1500, per_learner: int = 8, seed: int = 7) -> list[str]:
    """The messy terms of :func:`cohort_pairs`."""
    return [t for t, _ in cohort_pairs(n_learners, per_learner, seed)]


def cohort_seconds(runs: int = 5) -> float:
    """Median wall time to build a fresh Normalizer and normalise the cohort.

    Cold: a new normaliser (empty cache) and a cleared token cache on every run;
    only the taxonomy file is already loaded.
    """
    taxonomy = load_taxonomy()
    terms = cohort_terms()
    times = []
    for _ in range(runs):
        term_tokens.cache_clear()
        t0 = time.perf_counter()
        Normalizer(taxonomy).normalize_many(terms)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cohort_quality() -> dict[str, float]:
    """Share of cohort terms sent to the skill of their clean base term, and share
    sent to a different skill (a wrong merge)."""
    normalizer = Normalizer(load_taxonomy())
    pairs = cohort_pairs()
    right = wrong = 0
    for term, base in pairs:
        want = normalizer.normalize(base).skill_id
        got = normalizer.normalize(term).skill_id
        right += got == want
        wrong += got is not None and got != want
    return {"accuracy": right / len(pairs), "wrong": wrong / len(pairs)}


def run() -> dict:
    """All quality figures as a flat dict (``None`` where the data is absent)."""
    result: dict[str, float | int | None] = {
        "itviec_tag_recall": None,
        "itviec_tag_recall_with_title": None,
        "itviec_tag_recall_mentioned": None,
        "itviec_mean_skills_per_posting": None,
        "itviec_tag_named_share": None,
        "taxonomy_skills": len(load_taxonomy()),
        "normalize_cohort_s": round(cohort_seconds(), 4),
    }
    quality = cohort_quality()
    result["normalize_cohort_accuracy"] = round(quality["accuracy"], 4)
    result["normalize_cohort_wrong_share"] = round(quality["wrong"], 4)
    normalizer = Normalizer(load_taxonomy())
    result.update(viski_figures(normalizer))
    if ITVIEC.exists():
        s = itviec_scores(read_itviec(ITVIEC), Extractor(normalizer))
        result.update(
            itviec_tag_recall=round(s["recall"], 4),
            itviec_tag_recall_with_title=round(s["recall_with_title"], 4),
            itviec_tag_recall_mentioned=round(s["recall_mentioned"], 4),
            itviec_mean_skills_per_posting=round(s["mean_skills"], 2),
            itviec_tag_named_share=round(s["named_share"], 4),
        )
    else:
        print(f"note: {ITVIEC} not found; itviec keys are null", file=sys.stderr)
    return result


def sample_postings(n: int = 50, seed: int = 7) -> None:
    """Print the skills extracted from ``n`` random postings, for a hand check."""
    rows = read_itviec(ITVIEC)
    rng = random.Random(seed)
    extractor = Extractor.default()
    for row in rng.sample(rows, n):
        text = row.get("exp_skills") or ""
        print("=" * 100)
        print(row.get("job_names") or row.get("\ufeffjob_names"), "| tags:", row["array_skills"])
        print(text)
        print("->", [(m.text, m.skill_id) for m in extractor.extract(text)])


if __name__ == "__main__":
    if "--misses" in sys.argv:
        args = sys.argv[sys.argv.index("--misses") + 1 :]
        sample_misses(seed=int(args[0]) if args else 7)
    elif "--sample" in sys.argv:
        args = sys.argv[sys.argv.index("--sample") + 1 :]
        sample_postings(seed=int(args[0]) if args else 7)
    else:
        print(json.dumps(run(), indent=2))
