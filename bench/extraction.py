"""Precision and recall of skill suggestions on hand-labelled real texts.

    .venv/bin/python -m bench.extraction            # JSON of run()
    .venv/bin/python -m bench.extraction --errors   # false and missed skills, tune split only
    .venv/bin/python -m bench.extraction --errors test   # the same for another split

Reads ``../shared/data`` when present (never shipped, never read by tests): the UET
syllabi (``curricula/uet_2023_syllabi.json``) and the ITviec postings
(``jobs/itviec_2025-11.csv``) named in ``bench/data/extract_labels.json``, where each
text's true skills were decided by reading it (see ``bench/data/README.md``). The
sample is re-derived from its seed and must match the labels.

What is measured. A syllabus is given whole (its first line is the course name) to
``Extractor.suggest(text, kind="syllabus")``; a posting as its title, a line break and
its requirements to ``suggest(..., kind="posting")``. Per text, *predicted* is the set
of suggestions the course form pre-ticks (``Suggestion.pre_ticked``, confidence at
least ``PRETICK``), *gold* the labelled set. Micro-averaged over the texts:

* ``extract_{syllabus,posting}_precision`` = sum |predicted ∩ gold| / sum |predicted|;
* ``extract_{syllabus,posting}_recall`` = sum |predicted ∩ gold| / sum |gold|;
* ``..._precision_all`` / ``..._recall_all``: the same with *every* suggestion shown
  (ticked or not) as predicted, i.e. what the user can reach with one click;
* ``..._test`` / ``..._tune``: the pre-ticked figures on each half of the labels. The
  first rules were tuned on ``tune`` only; a second round looked at the errors of both
  halves (see ``bench/data/README.md``), so neither is blind any more;
* ``extract_syllabus_{precision,recall}_holdout``: 6 further syllabi (split
  ``holdout``), labelled by reading before the extractor was run on them (session 3).
  Their errors have been looked at since (session 6), so they are no longer blind;
* ``extract_syllabus_holdout_{precision,recall}``: the 22 remaining syllabi (split
  ``holdout22``: every syllabus in neither the 40 nor the 6), labelled by reading and
  committed before the extractor was run on them (session 6);
* ``extract_syllabus_blind_{precision,recall}``: both groups together (28 texts).
  None of these is in the headline keys, which stay comparable with earlier runs;
* ``..._shown_per_text`` / ``..._preticked_per_text``: mean suggestions per text.

The headline keys cover all 40 texts of a source (both halves).
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

from matchhub.matching.extract import Extractor

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "data" / "extract_labels.json"
SEED = 10
#: The holdout syllabi: ``random.Random(HOLDOUT_SEED).sample`` of the unlabelled ones;
#: the ``holdout22`` split is every syllabus left after that.
HOLDOUT_SEED, HOLDOUT_SIZE = 12, 6
#: Splits outside the headline keys.
_HELD = ("holdout", "holdout22")
_SOURCES = {"uet": ("syllabus", "syllabus"), "itviec": ("posting", "posting")}


def _texts() -> dict[tuple[str, str], str]:
    """(source, key) -> text for every labelled text."""
    return _load()[0]


def _load() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """The texts, and the split each held-out syllabus key must have (seeded)."""
    syllabi = json.loads((DATA / "curricula" / "uet_2023_syllabi.json").read_text("utf-8"))
    by_key = {s["source_file"].split("/")[-1][:-3]: s["text"] for s in syllabi if s["course_code"]}
    with open(DATA / "jobs" / "itviec_2025-11.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(SEED)
    uet = rng.sample(sorted(by_key), 40)
    itv = rng.sample(range(len(rows)), 40)
    texts = {("uet", k): by_key[k] for k in uet}
    rest = sorted(set(by_key) - set(uet))
    held = set(random.Random(HOLDOUT_SEED).sample(rest, HOLDOUT_SIZE))
    for k in rest:  # the 6 of ``holdout`` and the 22 of ``holdout22``
        texts[("uet", k)] = by_key[k]
    splits = {k: ("holdout" if k in held else "holdout22") for k in rest}
    for i in itv:
        texts[("itviec", str(i))] = rows[i]["job_names"] + "\n" + rows[i]["exp_skills"]
    return texts, splits


def _labels() -> list[dict]:
    return json.loads(LABELS.read_text("utf-8"))


def _predict(extractor: Extractor, text: str, kind: str):
    suggestions = extractor.suggest(text, kind)
    return {s.skill_id for s in suggestions if s.pre_ticked}, {s.skill_id for s in suggestions}


def _pr(pairs: list[tuple[set, set]]) -> tuple[float, float]:
    hit = sum(len(p & g) for p, g in pairs)
    shown = sum(len(p) for p, _ in pairs)
    gold = sum(len(g) for _, g in pairs)
    return (round(hit / shown, 4) if shown else 0.0), (round(hit / gold, 4) if gold else 0.0)


def run() -> dict:
    """The figures described in the module docstring (empty when the data is absent)."""
    if not DATA.is_dir():
        print("bench.extraction: ../shared/data is absent, section skipped", file=sys.stderr)
        return {}
    texts, splits = _load()
    labels = _labels()
    if {(x["source"], x["key"]) for x in labels} != set(texts):
        raise RuntimeError("the labelled keys differ from the seeded sample")
    if {x["key"]: x["split"] for x in labels if x["split"] in _HELD} != splits:
        raise RuntimeError("the holdout splits differ from the seeded sample")
    extractor = Extractor.default()
    out: dict = {}
    for source, (kind, name) in _SOURCES.items():
        every_row = [x for x in labels if x["source"] == source]
        rows = [x for x in every_row if x["split"] not in _HELD]
        ticked, shown = [], []
        for x in rows:
            pre, every = _predict(extractor, texts[(source, x["key"])], kind)
            gold = set(x["skills"])
            ticked.append((pre, gold, x["split"]))
            shown.append((every, gold))
        p, r = _pr([(a, g) for a, g, _ in ticked])
        out[f"extract_{name}_precision"], out[f"extract_{name}_recall"] = p, r
        p, r = _pr(shown)
        out[f"extract_{name}_precision_all"], out[f"extract_{name}_recall_all"] = p, r
        for split in ("tune", "test"):
            p, r = _pr([(a, g) for a, g, s in ticked if s == split])
            out[f"extract_{name}_precision_{split}"] = p
            out[f"extract_{name}_recall_{split}"] = r
        blind = []
        for split in _HELD:
            held = [x for x in every_row if x["split"] == split]
            if not held:
                continue
            pairs = [
                (_predict(extractor, texts[(source, x["key"])], kind)[0], set(x["skills"]))
                for x in held
            ]
            blind += pairs
            p, r = _pr(pairs)
            if split == "holdout":  # the session-3 key names, kept
                out[f"extract_{name}_precision_holdout"] = p
                out[f"extract_{name}_recall_holdout"] = r
            else:
                out[f"extract_{name}_holdout_precision"] = p
                out[f"extract_{name}_holdout_recall"] = r
        if blind:
            p, r = _pr(blind)
            out[f"extract_{name}_blind_precision"] = p
            out[f"extract_{name}_blind_recall"] = r
        out[f"extract_{name}_shown_per_text"] = round(sum(len(a) for a, _ in shown) / len(rows), 1)
        out[f"extract_{name}_preticked_per_text"] = round(
            sum(len(a) for a, _, _ in ticked) / len(rows), 1
        )
    return out


def _errors(split: str = "tune") -> None:
    """Print false and missed pre-ticked skills of one split (``tune`` by default)."""
    texts = _texts()
    extractor = Extractor.default()
    for x in _labels():
        if x["split"] != split:
            continue
        kind = _SOURCES[x["source"]][0]
        suggestions = extractor.suggest(texts[(x["source"], x["key"])], kind)
        pre = {s.skill_id: s for s in suggestions if s.pre_ticked}
        gold = set(x["skills"])
        print(f"== {x['source']} {x['key']}")
        for sid in sorted(set(pre) - gold):
            print(f"  FP {sid} {pre[sid].confidence}: {pre[sid].evidence[:140]}")
        rest = {s.skill_id: s for s in suggestions}
        for sid in sorted(gold - set(pre)):
            got = rest.get(sid)
            print(f"  FN {sid}" + (f" (shown {got.confidence})" if got else ""))


if __name__ == "__main__":
    if "--errors" in sys.argv:
        rest = sys.argv[sys.argv.index("--errors") + 1 :]
        _errors(rest[0] if rest else "tune")
    else:
        print(json.dumps(run(), indent=2, sort_keys=True))
