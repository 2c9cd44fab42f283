"""A round's fairness report at province scale: 20,000 learners in one round.

Builds a scratch SQLite database with bulk INSERTs (8 colleges, 40 programmes,
20,000 learners with 5-10 skills each drawn Zipf-like from the shipped taxonomy,
200 enterprises, 400 internships with 3-6 required skills and 1-30 seats, each
learner listing 1-5 of them, every enterprise having saved its ranking), closes the
round, runs the allocation once (timed as ``round_run_20k_s``), then computes the
fairness report (``round_fairness_20k_s``, median of ``RUNS``; target <= 2 s) and its
table for the CSV export.

    .venv/bin/python -m bench.fairness
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import fill
from bench.dashboard import LOCALITIES, PASSWORD, _zipf_picker

N_LEARNERS = 20_000
N_INTERNSHIPS = 400
RUNS = 5


def build(db, seed: int = 17) -> int:
    """Fill the empty database bound to ``db``; returns the round's id."""
    import sqlalchemy as sa

    from matchhub.models import (
        AllocationRound,
        Learner,
        Order,
        OrderKind,
        OrderSkill,
        OrderStatus,
        Organization,
        OrgKind,
        RoundChoice,
        RoundOrder,
        RoundRanking,
        RoundStatus,
        Skill,
        VerificationState,
    )

    rng = random.Random(seed)
    now = datetime.now(UTC)
    skill_ids = list(db.session.scalars(sa.select(Skill.id).order_by(Skill.id)))
    rng.shuffle(skill_ids)
    pick = _zipf_picker(rng, len(skill_ids))

    def insert(model, rows):
        return fill.insert_returning_ids(db, model, rows)

    admin = fill.add_admin(db, "admin@bench.vn", PASSWORD, now)
    colleges, programmes = fill.add_colleges_and_programmes(
        db, LOCALITIES[:6], now, colleges=8, programmes=40, intake=500
    )
    learners = insert(
        Learner,
        [
            {
                "college_id": colleges[p % 8],
                "programme_id": programmes[p],
                "student_code": f"S{i}",
                "full_name": f"Học viên {i}",
                "graduation_year": 2026,
                "locality": rng.choice(LOCALITIES),
                "preferred_localities": [],
                "cv_text": "",
                "visibility": "enterprises",
                "consent_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for i, p in ((i, rng.randrange(40)) for i in range(N_LEARNERS))
        ],
    )
    db.session.connection().exec_driver_sql(
        "INSERT INTO learner_skills (learner_id, skill_id, term, level) VALUES (?, ?, ?, ?)",
        [
            (lid, skill_ids[s], "x", 1 + rng.randrange(5))
            for lid in learners
            for s in pick(5 + rng.randrange(6))
        ],
    )
    enterprises = insert(
        Organization,
        [
            {
                "kind": OrgKind.ENTERPRISE,
                "name": f"Công ty {i}",
                "tax_code": f"06{i:08d}",
                "locality": LOCALITIES[i % 6],
                "sector": "software",
                "state": VerificationState.VERIFIED,
                "created_at": now,
            }
            for i in range(200)
        ],
    )
    internships = insert(
        Order,
        [
            {
                "organization_id": rng.choice(enterprises),
                "kind": OrderKind.INTERNSHIP,
                "title": f"Thực tập {i}",
                "description": "",
                "headcount": 1 + rng.randrange(30),
                "locality": rng.choice(LOCALITIES),
                "remote": False,
                "status": OrderStatus.OPEN,
                "published_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(N_INTERNSHIPS)
        ],
    )
    db.session.execute(
        sa.insert(OrderSkill),
        [
            {
                "order_id": oid,
                "skill_id": skill_ids[s],
                "term": "x",
                "required": True,
                "level": 3,
                "weight": 1.0,
            }
            for oid in internships
            for s in pick(3 + rng.randrange(4))
        ],
    )
    round_id = insert(
        AllocationRound,
        [
            {
                "name": "Đợt bench",
                "status": RoundStatus.CLOSED,
                "deadline": now - timedelta(hours=1),
                "created_by_id": admin,
                "created_at": now,
                "summary": {},
            }
        ],
    )[0]
    db.session.execute(
        sa.insert(RoundOrder),
        [
            {"round_id": round_id, "order_id": oid, "capacity": 1 + rng.randrange(30)}
            for oid in internships
        ],
    )
    # Popular internships draw more choices, as real ones do.
    popular = _zipf_picker(rng, len(internships))
    choices = [
        {"round_id": round_id, "learner_id": lid, "order_id": internships[o], "rank": r}
        for lid in learners
        for r, o in enumerate(popular(1 + rng.randrange(5)), start=1)
    ]
    db.session.execute(sa.insert(RoundChoice), choices)
    # Every enterprise saved its ranking (a shuffle of its candidates), so the run
    # times the allocation, not the fit scoring of default rankings.
    by_order: dict[int, list[int]] = {}
    for c in choices:
        by_order.setdefault(c["order_id"], []).append(c["learner_id"])
    rankings = []
    for oid, lids in by_order.items():
        rng.shuffle(lids)
        rankings += [
            {
                "round_id": round_id,
                "order_id": oid,
                "learner_id": lid,
                "rank": i,
                "unacceptable": False,
            }
            for i, lid in enumerate(lids, start=1)
        ]
    db.session.execute(sa.insert(RoundRanking), rankings)
    db.session.commit()
    return round_id


def run() -> dict:
    """Build the round, run it once, time its fairness report; seconds."""
    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.models import AllocationRound, User
    from matchhub.services import round_fairness, round_results
    from matchhub.services.skills import sync_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fairness.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
        with app.test_request_context():
            db.create_all()
            sync_taxonomy()
            round_id = build(db)
            rnd = db.session.get(AllocationRound, round_id)
            admin = db.session.scalar(db.select(User))
            started = time.perf_counter()
            summary = round_results.run_round(rnd, admin)
            run_s = time.perf_counter() - started
            samples = []
            for _ in range(RUNS):
                db.session.expire_all()
                started = time.perf_counter()
                report = round_fairness.fairness(rnd)
                round_fairness.table(report)
                samples.append(time.perf_counter() - started)
            db.session.remove()
            db.engine.dispose()
    return {
        "round_run_20k_s": round(run_s, 2),
        "round_fairness_20k_s": round(statistics.median(samples), 2),
        "round_fairness_20k_blocking_pairs": report.blocking_pairs,
        "round_fairness_20k_flagged_groups": len(report.flagged),
        "round_fairness_20k_match_rate": summary["match_rate"],
    }


if __name__ == "__main__":
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")
