"""The ViSki synonym-pair figures of the normaliser (part of the quality section).

Reads ``../shared/data/eval`` when present (never shipped, never read by tests):
- ``viski_synonym_pairs_val.tsv``: two terms are predicted synonyms when the
  normaliser sends both to the same known skill; precision/recall/F1 against the
  labels (``viski_val_*``), plus the plain ``token_set_ratio >= 80`` baseline on
  folded text. ``viski_val_f1_related`` counts a pair as predicted when its two
  skills are the same *or related* (``Taxonomy.related``): ViSki's synonym
  clusters are coarser than the taxonomy (Windows with Windows Server), and the
  ranker credits a related skill without the normaliser merging the two.
  Val is read for the reported figures only; rules are tuned on train.
- ``viski_synonym_pairs_train.tsv``: the development protocol. The train pairs are
  split into two cluster-disjoint folds (:func:`train_folds`); rules are developed
  on the first and the second is only measured (``viski_heldout_*``), also with the
  fold's own terms removed from the aliases (``_cold_``).

    .venv/bin/python -m bench.viski                       # every viski_* key (reads val)
    .venv/bin/python -m bench.viski --heldout             # train folds only, val unread
    .venv/bin/python -m bench.viski --different train --cold --unrelated

``--different {dev,heldout,train}`` lists, for that part of the train split, the
pairs of distinct known skills that ViSki calls synonyms (``fn_different``), with
counts, whether ``Taxonomy.related`` already relates them (``~``) and example
terms; ``--cold`` reads it with that part's terms removed from the aliases, the
way val's terms are unseen. It is the list related skills are chosen from, by
judgement: ViSki clusters noise too ("java directx" with Java), which never
becomes a relation. It never reads val.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from matchhub.matching.normalize import Normalizer, term_tokens
from matchhub.matching.taxonomy import Taxonomy, load_taxonomy
from matchhub.matching.text import fold

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
VISKI_VAL = DATA / "eval" / "viski_synonym_pairs_val.tsv"
VISKI_TRAIN = DATA / "eval" / "viski_synonym_pairs_train.tsv"


def read_pairs(path: Path) -> list[tuple[str, str, int]]:
    """(term_a, term_b, label) rows of a ViSki pairs file."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader)
        return [(a, b, int(lab)) for a, b, lab in reader]


def prf(pred: list[bool], gold: list[int]) -> dict[str, float]:
    """Precision, recall and F1 of boolean predictions against 0/1 labels."""
    tp = sum(1 for p, g in zip(pred, gold, strict=True) if p and g)
    fp = sum(1 for p, g in zip(pred, gold, strict=True) if p and not g)
    fn = sum(1 for p, g in zip(pred, gold, strict=True) if not p and g)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def viski_scores(path: Path, normalizer: Normalizer) -> dict[str, float]:
    """Normaliser and fuzzy-baseline scores on one pairs file."""
    pairs = read_pairs(path)
    gold = [lab for _, _, lab in pairs]
    base = [
        fuzz.token_set_ratio(fold(a), fold(b), processor=default_process) >= 80 for a, b, _ in pairs
    ]
    ours = pair_scores(pairs, normalizer, normalizer.taxonomy.related())
    return ours | {"baseline_f1": prf(base, gold)["f1"]}


def train_folds(
    pairs: list[tuple[str, str, int]],
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """Split ViSki pairs into two cluster-disjoint folds (development, held-out).

    Terms linked by a synonym pair form one cluster (a connected component of the
    synonym graph); a cluster goes to fold ``crc32(its root) % 2``, so no cluster
    is in both folds, as val shares few clusters with train. Pairs whose terms
    fall in different folds are dropped. Deterministic for a given file: the
    union-find roots follow the file's order. O(n α(n)).
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, lab in pairs:
        find(a)
        find(b)
        if lab:
            parent[find(a)] = find(b)
    dev: list[tuple[str, str, int]] = []
    held: list[tuple[str, str, int]] = []
    for pair in pairs:
        fa = zlib.crc32(find(pair[0]).encode()) % 2
        if fa == zlib.crc32(find(pair[1]).encode()) % 2:
            (dev if fa == 0 else held).append(pair)
    return dev, held


def without_terms(taxonomy: Taxonomy, pairs: list[tuple[str, str, int]]) -> Taxonomy:
    """The taxonomy minus every alias that is, token for token, a term of ``pairs``
    (names stay): a "cold" taxonomy that has never seen those terms, the way
    val's terms were never seen. Aliases the project would have written anyway
    ("seo", "ms word") go too, so the cold figure is a pessimistic bound."""
    terms = {" ".join(term_tokens(t)) for a, b, _ in pairs for t in (a, b)}
    records = taxonomy.to_records()
    for rec in records:
        rec["aliases"] = [a for a in rec["aliases"] if " ".join(term_tokens(a)) not in terms]
    return Taxonomy.from_records(records)


def pair_scores(
    pairs: list[tuple[str, str, int]],
    normalizer: Normalizer,
    related: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, float]:
    """Precision, recall and F1 of "both terms normalise to the same known skill";
    with ``related``, of "to the same or to related known skills" (``*_related``)."""
    same, near = [], []
    for a, b, _ in pairs:
        sa, sb = normalizer.normalize(a).skill_id, normalizer.normalize(b).skill_id
        hit = sa is not None and sa == sb
        same.append(hit)
        near.append(hit or (sa is not None and sb in (related or {}).get(sa, ())))
    gold = [lab for _, _, lab in pairs]
    out = prf(same, gold)
    if related is not None:
        out.update({f"{k}_related": v for k, v in prf(near, gold).items()})
    return out


def miss_counts(pairs: list[tuple[str, str, int]], normalizer: Normalizer) -> dict[str, float]:
    """Where recall is lost, in aggregate: synonym pairs with an unknown term
    (``fn_unknown``) or with two different known skills (``fn_different``), and
    the share of distinct terms the taxonomy does not know (``terms_unknown``)."""
    fn_unknown = fn_different = 0
    terms: dict[str, bool] = {}
    for a, b, lab in pairs:
        sa, sb = normalizer.normalize(a).skill_id, normalizer.normalize(b).skill_id
        terms[a], terms[b] = sa is None, sb is None
        if lab and not (sa is not None and sa == sb):
            if sa is None or sb is None:
                fn_unknown += 1
            else:
                fn_different += 1
    return {
        "fn_unknown": fn_unknown,
        "fn_different": fn_different,
        "terms_unknown": sum(terms.values()) / len(terms) if terms else 0.0,
    }


def heldout_scores(path: Path, taxonomy: Taxonomy) -> dict[str, float]:
    """Scores on the held-out fold of the train file (see :func:`train_folds`):
    with the shipped taxonomy (``warm``) and with its aliases that are terms of
    that fold removed (``cold``, see :func:`without_terms`)."""
    _, held = train_folds(read_pairs(path))
    related = taxonomy.related()
    warm = pair_scores(held, Normalizer(taxonomy), related)
    cold_normalizer = Normalizer(without_terms(taxonomy, held))
    cold = pair_scores(held, cold_normalizer, related) | miss_counts(held, cold_normalizer)
    out = {f"warm_{k}": v for k, v in warm.items()}
    out.update({f"cold_{k}": v for k, v in cold.items()})
    out["pairs"] = len(held)
    return out


def viski_figures(normalizer: Normalizer) -> dict[str, float | int | None]:
    """Every ``viski_*`` key of the quality section (``None`` where data is absent)."""
    result: dict[str, float | int | None] = dict.fromkeys(
        (
            "viski_val_f1",
            "viski_val_precision",
            "viski_val_recall",
            "viski_val_f1_related",
            "viski_val_precision_related",
            "viski_val_recall_related",
            "viski_val_f1_baseline_fuzzy",
            "viski_heldout_f1",
            "viski_heldout_precision",
            "viski_heldout_recall",
            "viski_heldout_f1_related",
            "viski_heldout_cold_f1",
            "viski_heldout_cold_precision",
            "viski_heldout_cold_recall",
            "viski_heldout_cold_f1_related",
            "viski_val_fn_unknown",
            "viski_val_fn_different",
            "viski_val_terms_unknown_share",
            "viski_heldout_cold_fn_unknown",
            "viski_heldout_cold_fn_different",
            "viski_heldout_cold_terms_unknown_share",
        )
    )
    if VISKI_VAL.exists():
        s = viski_scores(VISKI_VAL, normalizer)
        result.update({f"viski_val_{k}": round(v, 4) for k, v in s.items() if k != "baseline_f1"})
        result["viski_val_f1_baseline_fuzzy"] = round(s["baseline_f1"], 4)
        m = miss_counts(read_pairs(VISKI_VAL), normalizer)
        result.update(
            viski_val_fn_unknown=m["fn_unknown"],
            viski_val_fn_different=m["fn_different"],
            viski_val_terms_unknown_share=round(m["terms_unknown"], 4),
        )
    else:
        print(f"note: {VISKI_VAL} not found; viski keys are null", file=sys.stderr)
    if VISKI_TRAIN.exists():
        h = heldout_scores(VISKI_TRAIN, load_taxonomy())
        for k in ("f1", "precision", "recall", "f1_related"):
            result[f"viski_heldout_{k}"] = round(h[f"warm_{k}"], 4)
            result[f"viski_heldout_cold_{k}"] = round(h[f"cold_{k}"], 4)
        result.update(
            viski_heldout_cold_fn_unknown=h["cold_fn_unknown"],
            viski_heldout_cold_fn_different=h["cold_fn_different"],
            viski_heldout_cold_terms_unknown_share=round(h["cold_terms_unknown"], 4),
        )
    else:
        print(f"note: {VISKI_TRAIN} not found; held-out keys are null", file=sys.stderr)
    return result


def different_pairs(
    pairs: list[tuple[str, str, int]], normalizer: Normalizer
) -> list[tuple[tuple[str, str], int, bool, list[tuple[str, str]]]]:
    """The ``fn_different`` misses grouped by skill pair: for each unordered pair
    of distinct known skills that ViSki calls synonyms, (the pair, how many
    synonym pairs, whether ``Taxonomy.related`` already relates them, up to five
    example term pairs), most frequent first. Read on train to choose related
    skills by judgement; never on val."""
    related = normalizer.taxonomy.related()
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, b, lab in pairs:
        if not lab:
            continue
        sa, sb = normalizer.normalize(a).skill_id, normalizer.normalize(b).skill_id
        if sa is None or sb is None or sa == sb:
            continue
        key = (sa, sb) if sa < sb else (sb, sa)
        found.setdefault(key, []).append((a, b) if key[0] == sa else (b, a))
    rows = [(key, len(ex), key[1] in related.get(key[0], ()), ex[:5]) for key, ex in found.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def main(argv: list[str] | None = None) -> int:
    """Print the ``viski_*`` figures as JSON, or (``--different``) the train
    split's fn_different skill pairs as text, or (``--heldout``) the train
    figures only, without reading val."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.viski", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--different",
        choices=("dev", "heldout", "train"),
        help="list the fn_different skill pairs of this part of the train split",
    )
    parser.add_argument(
        "--unrelated", action="store_true", help="with --different: only pairs not yet related"
    )
    parser.add_argument("--min", type=int, default=1, help="with --different: least count shown")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="with --different: without the aliases that are terms of that part (as val sees it)",
    )
    parser.add_argument("--heldout", action="store_true", help="train figures only (val not read)")
    args = parser.parse_args(argv)
    if not VISKI_TRAIN.exists():
        print(f"note: {VISKI_TRAIN} not found", file=sys.stderr)
        return 1
    taxonomy = load_taxonomy()
    if args.different:
        pairs = read_pairs(VISKI_TRAIN)
        dev, held = train_folds(pairs)
        part = {"dev": dev, "heldout": held, "train": pairs}[args.different]
        names = {s.id: s.name_en for s in taxonomy.skills}
        used = without_terms(taxonomy, part) if args.cold else taxonomy
        for (sa, sb), n, rel, ex in different_pairs(part, Normalizer(used)):
            if n < args.min or (args.unrelated and rel):
                continue
            shown = "; ".join(f"{a} = {b}" for a, b in ex)
            mark = "~" if rel else " "
            print(f"{n:5d} {mark} {sa} ({names[sa]}) | {sb} ({names[sb]}) :: {shown}")
        return 0
    if args.heldout:
        h = heldout_scores(VISKI_TRAIN, taxonomy)
        print(json.dumps({k: round(v, 4) for k, v in h.items()}, indent=2, sort_keys=True))
        return 0
    print(json.dumps(viski_figures(Normalizer(taxonomy)), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
