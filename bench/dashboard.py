"""The province dashboard page at province scale: 100,000 learners and 20,000 orders.

Builds a scratch SQLite database with bulk INSERTs (10 colleges, 60 programmes,
100,000 learners with 5-10 skills each drawn Zipf-like from the shipped
taxonomy, 1,000 enterprises, 20,000 orders with 3-6 required skills and 40,000
applications, a fifth of them hired), then renders ``/admin/province`` through
the test client as a signed-in admin and reports the median of the runs.

    .venv/bin/python -m bench.dashboard
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

N_LEARNERS = 100_000
N_ORDERS = 20_000
N_APPLICATIONS = 40_000
RUNS = 7
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a throwaway scratch database
SECTORS = ("software", "electronics", "textile", "manufacturing", "logistics", "finance")
LOCALITIES = ("nd-nam-dinh", "nd-thien-truong", "nd-my-loc", "nd-hai-hau", "nd-y-yen", "ha-noi")


def _zipf_picker(rng: random.Random, n: int):
    weights = [1 / (i + 1) for i in range(n)]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)

    def pick(k: int) -> list[int]:
        out: set[int] = set()
        while len(out) < k:
            out.update(rng.choices(range(n), cum_weights=cum, k=k - len(out)))
        return list(out)

    return pick


def build(db, seed: int = 11) -> dict[str, int]:
    """Fill the empty database bound to ``db`` with the synthetic province; returns counts."""
    import sqlalchemy as sa

    from matchhub.models import (
        Application,
        ApplicationStatus,
        Learner,
        Order,
        OrderKind,
        OrderSkill,
        OrderStatus,
        Organization,
        OrgKind,
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

    fill.add_admin(db, "admin@bench.vn", PASSWORD, now)
    colleges, programmes = fill.add_colleges_and_programmes(
        db, LOCALITIES[:6], now, colleges=10, programmes=60, intake=200
    )
    learner_rows = []
    for i in range(N_LEARNERS):
        prog = rng.randrange(60)
        learner_rows.append(
            {
                "college_id": colleges[prog % 10],
                "programme_id": programmes[prog],
                "student_code": f"S{i}",
                "full_name": f"Học viên {i}",
                "graduation_year": 2022 + rng.randrange(6),
                "locality": rng.choice(LOCALITIES),
                "preferred_localities": [],
                "cv_text": "",
                "visibility": "enterprises",
                "created_at": now,
                "updated_at": now,
            }
        )
    learners = insert(Learner, learner_rows)
    skill_rows = [
        (lid, skill_ids[s], "x", 1 + rng.randrange(5))
        for lid in learners
        for s in pick(5 + rng.randrange(6))
    ]
    # Three quarters of a million rows: straight to the driver (the scratch file is SQLite).
    db.session.connection().exec_driver_sql(
        "INSERT INTO learner_skills (learner_id, skill_id, term, level) VALUES (?, ?, ?, ?)",
        skill_rows,
    )
    enterprises = insert(
        Organization,
        [
            {
                "kind": OrgKind.ENTERPRISE,
                "name": f"Công ty {i}",
                "tax_code": f"06{i:08d}",
                "locality": LOCALITIES[i % 6],
                "sector": SECTORS[i % 6],
                "state": VerificationState.VERIFIED,
                "created_at": now,
            }
            for i in range(1000)
        ],
    )
    statuses = (OrderStatus.OPEN,) * 6 + (
        OrderStatus.CLOSED,
        OrderStatus.FILLED,
        OrderStatus.FILLED,
    )
    order_rows = []
    for i in range(N_ORDERS):
        status = rng.choice(statuses)
        published = now - timedelta(days=rng.randrange(1, 400))
        closed = (
            published + timedelta(days=rng.randrange(5, 90))
            if status is not OrderStatus.OPEN
            else None
        )
        order_rows.append(
            {
                "organization_id": rng.choice(enterprises),
                "kind": rng.choice((OrderKind.JOB, OrderKind.INTERNSHIP)),
                "title": f"Vị trí {i}",
                "description": "",
                "headcount": 1 + rng.randrange(5),
                "locality": rng.choice(LOCALITIES),
                "remote": False,
                "status": status,
                "published_at": published,
                "closed_at": closed if closed is None or closed < now else now,
                "created_at": published,
                "updated_at": published,
            }
        )
    orders = insert(Order, order_rows)
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
            for oid in orders
            for s in pick(3 + rng.randrange(4))
        ],
    )
    pairs = {(rng.choice(orders), rng.choice(learners)) for _ in range(N_APPLICATIONS)}
    db.session.execute(
        sa.insert(Application),
        [
            {
                "order_id": oid,
                "learner_id": lid,
                "status": ApplicationStatus.HIRED
                if rng.random() < 0.2
                else ApplicationStatus.APPLIED,
                "created_at": now,
                "updated_at": now - timedelta(days=rng.randrange(300)),
            }
            for oid, lid in pairs
        ],
    )
    db.session.commit()
    return {"learners": len(learners), "orders": len(orders), "learner_skills": len(skill_rows)}


def run() -> dict:
    """Build the data set, render the dashboard ``RUNS`` times; medians in milliseconds."""
    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.services.skills import sync_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dashboard.sqlite"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            sync_taxonomy()
            started = time.perf_counter()
            counts = build(db)
            build_s = time.perf_counter() - started
            db.session.remove()
        client = app.test_client()
        login = client.post("/auth/login", data={"email": "admin@bench.vn", "password": PASSWORD})
        if login.status_code != 302:
            raise RuntimeError(f"bench admin could not log in ({login.status_code})")
        timings = {}
        for name, url in (
            ("page_dashboard_100k_ms", "/admin/province"),
            ("page_dashboard_100k_year_ms", "/admin/province?period=all&year=2025"),
        ):
            samples, cpu = [], []
            for i in range(RUNS + 1):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                cpu_used = time.process_time() - cpu_started
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                if i:  # the first run warms caches (templates, taxonomy)
                    samples.append(elapsed * 1000)
                    cpu.append(cpu_used * 1000)
            timings[name] = round(statistics.median(samples), 1)
            # CPU time of the process (SQLite runs in it, worker threads included):
            # unlike wall time, it does not grow when other programs load the machine.
            timings[name.replace("_ms", "_cpu_ms")] = round(statistics.median(cpu), 1)
        with app.app_context():
            db.engine.dispose()
    return {
        **timings,
        "dashboard_build_s": round(build_s, 1),
        "dashboard_learner_skills": counts["learner_skills"],
    }


if __name__ == "__main__":
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")
