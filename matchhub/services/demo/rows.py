"""Bulk writes and small value helpers shared by the demo's builders."""

from __future__ import annotations

import random
from typing import Any

import sqlalchemy as sa

from matchhub.extensions import db


def insert_returning_ids(model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert ``rows`` and return their new ids in the order of ``rows``."""
    if not rows:
        return []
    stmt = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def insert(model: type, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.session.execute(sa.insert(model), rows)


def tax_code(rng: random.Random, used: set[str]) -> str:
    """A fictional 10-digit tax code with a valid check digit (Nam Định's prefix 06)."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        digits = [0, 6, *(rng.randrange(10) for _ in range(7))]
        check = 10 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        code = "".join(map(str, digits)) + str(check)
        if check < 10 and code not in used:
            used.add(code)
            return code


def clamp(level: int) -> int:
    """A skill level within the scale 1..5."""
    return max(1, min(5, level))
