"""The openings search page on the demo province scaled to 10,000 learners and 2,000 orders.

    .venv/bin/python -m bench.openings          # JSON of run()

A scratch SQLite file is seeded with ``seed_demo()``, then topped up (not timed) with
copies of the demo's own learners (with their skills) and of its open orders (with
their skills, among the same verified enterprises) until it holds :data:`N_LEARNERS`
learners and :data:`N_ORDERS` orders: the demo's Vietnamese titles, descriptions,
salaries and localities, at the size the web-page targets name. The copies are bulk
INSERTs, so their search column is filled by its column default, as a seed's would be.

- ``page_openings_search_ms``: median of 40 GETs of the public ``/orders`` list by a
  visitor with a keyword typed without accents, a kind, a skill and a minimum salary
  (search, count and one page of 20 cards, in the database; the template).
- ``page_openings_search_learner_ms``: the same search on ``/learner/openings`` for the
  demo learner.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import sqlalchemy as sa

from bench.pages import _client_as, _median_ms

N_LEARNERS = 10_000
N_ORDERS = 2_000
SEARCH = "?q=lap+trinh&kind=job&skill=SQL&salary_min=10"


def _copies(db, model, where, need: int, change) -> list[tuple[int, int]]:
    """Bulk-insert ``need`` copies of ``model``'s rows matching ``where`` (round robin),
    each passed through ``change(row, n)``; returns (original id, copy id) pairs."""
    skip = {"id", "search_text"}
    cols = [c for c in model.__table__.columns if c.name not in skip]
    rows = db.session.execute(sa.select(model.id, *cols).where(where).order_by(model.id)).all()
    if not rows or need <= 0:
        return []
    originals, records = [], []
    for n in range(need):
        row = rows[n % len(rows)]
        originals.append(row[0])
        records.append(change({c.key: v for c, v in zip(cols, row[1:], strict=True)}, n))
    stmt = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(zip(originals, db.session.scalars(stmt, records), strict=True))


def _skills(db, model, key: str, pairs: list[tuple[int, int]]) -> None:
    """Copy the skill rows of each original to its copy."""
    if not pairs:
        return
    cols = [c for c in model.__table__.columns if c.name not in ("id", key)]
    by_owner: dict[int, list[dict]] = {}
    owners = {o for o, _ in pairs}
    for row in db.session.execute(sa.select(getattr(model, key), *cols)).all():
        if row[0] in owners:
            by_owner.setdefault(row[0], []).append(
                {c.key: v for c, v in zip(cols, row[1:], strict=True)}
            )
    records = [{**r, key: copy} for orig, copy in pairs for r in by_owner.get(orig, ())]
    for start in range(0, len(records), 5000):
        db.session.execute(sa.insert(model), records[start : start + 5000])


def scale_demo(db) -> dict[str, int]:
    """Top the seeded demo up to N_LEARNERS learners and N_ORDERS orders (copies)."""
    from matchhub.models import Learner, LearnerSkill, Order, OrderSkill, OrderStatus

    learners = db.session.scalar(sa.select(sa.func.count(Learner.id)))
    orders = db.session.scalar(sa.select(sa.func.count(Order.id)))

    def learner_copy(row, n):
        code = row["student_code"] or "X"
        return {**row, "user_id": None, "email": None, "claim_code": None,
                "student_code": f"{code}-c{n}"}  # fmt: skip

    pairs = _copies(
        db, Learner, Learner.consent_at.is_not(None), N_LEARNERS - learners, learner_copy
    )
    _skills(db, LearnerSkill, "learner_id", pairs)
    pairs = _copies(
        db, Order, Order.status == OrderStatus.OPEN, N_ORDERS - orders, lambda row, n: row
    )
    _skills(db, OrderSkill, "order_id", pairs)
    db.session.commit()
    return {
        "learners": db.session.scalar(sa.select(sa.func.count(Learner.id))),
        "orders": db.session.scalar(sa.select(sa.func.count(Order.id))),
    }


def run() -> dict:
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict

    from matchhub import create_app
    from matchhub.config import TestConfig
    from matchhub.extensions import db
    from matchhub.public.forms import opening_search_form
    from matchhub.services import demo, openings

    with tempfile.TemporaryDirectory() as tmp:

        class BenchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            TESTING = False

        app = create_app(BenchConfig)
        with app.app_context():
            db.create_all()
            demo.seed_demo()
            counts = scale_demo(db)
            db.session.commit()
        with app.test_request_context():
            _form, filters = opening_search_form(MultiDict(parse_qsl(SEARCH[1:])))
            found = openings.search(filters).total
            db.session.remove()
        if not found:
            raise RuntimeError(f"the bench search {SEARCH} finds nothing")
        visitor = app.test_client()
        student = _client_as(app, demo.LEARNER_EMAIL, demo.DEMO_PASSWORD)
        visitor.get("/orders" + SEARCH)  # warm-up (templates, taxonomy normaliser)
        student.get("/learner/openings" + SEARCH)
        figures = {
            "page_openings_search_ms": _median_ms(visitor, "/orders" + SEARCH, 40),
            "page_openings_search_learner_ms": _median_ms(
                student, "/learner/openings" + SEARCH, 40
            ),
            "openings_search_found": found,
            "openings_scale_learners": counts["learners"],
            "openings_scale_orders": counts["orders"],
        }
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, sort_keys=True))
