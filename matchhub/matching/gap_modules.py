"""Suggested modules of a gap report: which missing skills to teach together, which to leave out.

**The field rule.** A programme's *anchors* are the skills it teaches outside the
generic categories (:data:`GENERIC_CATEGORIES`: soft skills, foreign languages, office
software, which every field uses and so say nothing about a field). A missing skill is
*in the field* and may be suggested when

1. the programme has no anchor (it teaches nothing specific, so no field to judge by), or
2. the skill is of a generic category (anyone may need English or teamwork), or
3. the skill builds on what the programme teaches: it implies a taught skill (React
   implies JavaScript, Spring Boot implies Java), or
4. the programme teaches at least two anchors of the skill's category (one could be a
   stray: SQL alone does not make an information-systems programme a programming one),
   unless that category is broad (:data:`BROAD_CATEGORIES`: "domain" holds PLC, ERP
   and banking alike), or
5. the orders asking for the skill also ask for one of the anchors (employers want it
   *with* what the programme teaches) in at least ``field_share`` of their weight, and
   at least as often as orders do in general (lift >= 1). The second condition matters
   for broad programmes: when most orders ask for something an IT programme teaches
   (Linux, Git), a PLC order doing so too says nothing.

Any other missing skill is *far* from the field: still reported, never suggested (a
software programme is not told to add PLC because the province's factories ask it).

**Grouping.** Two missing skills are *linked* when they share a category that is
neither broad nor unknown, or when orders ask for them together strongly: at least
``min_support`` orders list both and their demand-weighted Jaccard index
``C_st / (D_s + D_t - C_st)`` reaches ``link_threshold`` (``D_s``: weight of the orders
listing ``s``; ``C_st``: of those listing both). Modules are complete-linkage clusters
of the links, so *every* two skills of a module are linked: a module never joins
skills of different categories that orders do not ask for together. Linked pairs are
merged strongest co-occurrence first, so big groups split along co-occurrence.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage

__all__ = ["BROAD_CATEGORIES", "GENERIC_CATEGORIES", "group_skills", "in_field", "shared_category"]

#: Categories every field uses; they neither anchor a programme's field nor are far from it.
GENERIC_CATEGORIES = frozenset({"transversal", "language", "office"})
#: Categories too broad for "same category" to mean "related".
BROAD_CATEGORIES = frozenset({"domain"})

#: Taught skills of a category that make the whole category part of a programme's field.
_CATEGORY_ANCHORS = 2
# Linked pairs sit at distance <= _LINKED, unlinked ones at 1: the cut lies between.
_LINKED = 0.5
_CUT = 0.75


def in_field(
    skills: Sequence[str],
    taught: Iterable[str],
    categories: Mapping[str, str],
    implications: Mapping[str, Sequence[str]],
    listed: sparse.csc_matrix,
    weights: np.ndarray,
    col: Mapping[str, int],
    field_share: float,
) -> list[bool]:
    """For each of ``skills``, whether it is in the field of a programme teaching ``taught``
    (the module docstring's rule); ``implications`` maps a skill to those it implies.
    ``listed`` is the order x skill incidence, columns by ``col``; ``weights`` the
    orders' weights. O(orders listing an anchor + skills)."""
    taught = set(taught)
    anchors = [s for s in taught if categories.get(s) not in GENERIC_CATEGORIES]
    if not anchors:
        return [True] * len(skills)
    per_category = Counter(categories.get(s) for s in anchors)
    anchor_categories = {
        c for c, n in per_category.items() if n >= _CATEGORY_ANCHORS and c is not None
    } - BROAD_CATEGORIES
    anchor_cols = [col[s] for s in anchors if s in col]
    anchor_mask = np.zeros(listed.shape[1])
    anchor_mask[anchor_cols] = 1.0
    with_anchor = (listed @ anchor_mask) > 0
    total = float(weights.sum())
    base = float(weights[with_anchor].sum()) / total if total > 0 else 0.0
    share = max(field_share, base)
    # Whole-matrix products, then a lookup: cheaper than slicing a thousand columns.
    skill_cols = [col[s] for s in skills]
    asked = (listed.T @ weights)[skill_cols]
    asked_with_anchor = (listed.T @ (weights * with_anchor))[skill_cols]
    out = []
    for i, s in enumerate(skills):
        category = categories.get(s)
        out.append(
            category in GENERIC_CATEGORIES
            or any(t in taught for t in implications.get(s, ()))
            or category in anchor_categories
            or (asked_with_anchor[i] > 0 and asked_with_anchor[i] >= share * asked[i])
        )
    return out


def shared_category(skills: Sequence[str], categories: Mapping[str, str]) -> str | None:
    """The category all ``skills`` share when it can group them (not broad), else None."""
    found = {categories.get(s) for s in skills}
    if len(found) == 1 and (category := found.pop()) is not None:
        return None if category in BROAD_CATEGORIES else category
    return None


def group_skills(
    skills: list[str],
    categories: Mapping[str, str],
    listed: sparse.csc_matrix,
    weights: np.ndarray,
    *,
    link_threshold: float,
    min_support: int,
    max_size: int,
) -> list[list[str]]:
    """Modules of ``skills`` (columns of the order x skill incidence ``listed``), each of at
    most ``max_size`` skills, every two skills of a module linked. O(k^2 log k) for k skills."""
    n = len(skills)
    if n <= 1:
        return [skills] if skills else []
    together_w = (listed.T @ sparse.diags(weights) @ listed).toarray()
    together_n = (listed.T @ listed).toarray()
    asked = np.diag(together_w)
    union = asked[:, None] + asked[None, :] - together_w
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, together_w / union, 0.0)
    strong = (together_n >= min_support) & (jaccard >= link_threshold)
    cats = [categories.get(s) for s in skills]
    groupable = np.asarray([c is not None and c not in BROAD_CATEGORIES for c in cats])
    same = (np.asarray(cats, dtype=object)[:, None] == np.asarray(cats, dtype=object)[None, :]) & (
        groupable[:, None] & groupable[None, :]
    )
    dist = np.where(strong | same, _LINKED * (1.0 - np.clip(jaccard, 0.0, 1.0)), 1.0)
    np.fill_diagonal(dist, 0.0)
    dist = np.minimum(dist, dist.T)
    tree = linkage(dist[np.triu_indices(n, k=1)], method="complete")
    labels = fcluster(tree, t=_CUT, criterion="distance")
    groups: dict[int, list[str]] = {}
    for s, label in zip(skills, labels, strict=True):
        groups.setdefault(int(label), []).append(s)
    pos = {s: i for i, s in enumerate(skills)}
    out: list[list[str]] = []
    for group in groups.values():
        if len(group) <= max_size:
            out.append(group)
        else:
            # Too broad to teach as one module: split it by the same distances, finer.
            # Any part of a group whose pairs are all linked has its pairs all linked.
            out.extend(_split(group, dist, pos, max_size))
    return out


def _split(
    group: list[str], dist: np.ndarray, pos: dict[str, int], max_size: int
) -> list[list[str]]:
    idx = [pos[s] for s in group]
    sub = dist[np.ix_(idx, idx)]
    tree = linkage(sub[np.triu_indices(len(idx), k=1)], method="complete")
    labels = fcluster(tree, t=math.ceil(len(group) / max_size), criterion="maxclust")
    parts: dict[int, list[str]] = {}
    for s, label in zip(group, labels, strict=True):
        parts.setdefault(int(label), []).append(s)
    out = []
    for part in parts.values():
        if max_size < len(part) < len(group):
            out.extend(_split(part, dist, pos, max_size))
        else:
            # Still too big only when distances tie everywhere: cut in demand order.
            out.extend(part[i : i + max_size] for i in range(0, len(part), max_size))
    return out
