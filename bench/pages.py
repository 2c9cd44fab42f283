"""Speed of the two ranking pages of the web app on the demo province.

    .venv/bin/python -m bench.pages          # JSON of run()

A scratch SQLite file is seeded with ``seed_demo()`` (1,500 learners, 150 orders;
not timed), then pages are requested through the app's test client, logged in as
the demo enterprise and the demo learner, after one warm-up request each (which
builds the worker's matching index, as the first request of a worker would):

- ``page_candidates_ms``: median of 40 GETs of ``/enterprise/orders/<id>/candidates``
  for the demo enterprise's open order with the most required skills (ranking, 20
  explanations, rows and the template).
- ``page_candidates_filtered_ms``: the same with a minimum score and a graduation year.
- ``page_matches_ms``: median of 40 GETs of ``/learner/matches`` for the demo learner.
- ``page_next_skills_ms``: median of 20 GETs of ``/learner/next-skills``.
- ``index_build_demo_ms``: building the index from the database (the warm-up's work).
- ``page_openings_search_ms`` and the other ``openings_*`` keys: the openings search on
  the demo scaled to 10,000 learners and 2,000 orders (``bench.openings``).
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa


def _median_ms(client, url: str, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return round(statistics.median(times), 2)


def _client_as(app, email: str, password: str):
    """A test client logged in through the real login form."""
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"could not log in as {email}")
    return client


def run() -> dict:
    """Seed the demo province in a scratch database and time the pages; flat dict of ms."""
    from matchhub import create_app
    from matchhub.config import TestConfig
    from matchhub.extensions import db
    from matchhub.models import Order, OrderSkill, OrderStatus, User
    from matchhub.services import demo, ranked_pages

    with tempfile.TemporaryDirectory() as tmp:

        class BenchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            TESTING = False

        app = create_app(BenchConfig)
        with app.app_context():
            db.create_all()
            demo.seed_demo()
            db.session.commit()
            enterprise = db.session.scalar(
                sa.select(User).where(User.email == demo.ENTERPRISE_EMAIL)
            )
            order_id = db.session.scalar(
                sa.select(Order.id)
                .join(OrderSkill, OrderSkill.order_id == Order.id)
                .where(
                    Order.organization_id == enterprise.organization.id,
                    Order.status == OrderStatus.OPEN,
                    OrderSkill.required.is_(True),
                )
                .group_by(Order.id)
                .order_by(sa.func.count(OrderSkill.id).desc(), Order.id)
                .limit(1)
            )
            start = time.perf_counter()
            ranked_pages.candidates_for(db.session.get(Order, order_id))
            build_ms = (time.perf_counter() - start) * 1000
            app.extensions.pop("matchhub.matching", None)  # the pages build their own
            db.session.remove()

        boss = _client_as(app, demo.ENTERPRISE_EMAIL, demo.DEMO_PASSWORD)
        student = _client_as(app, demo.LEARNER_EMAIL, demo.DEMO_PASSWORD)
        candidates = f"/enterprise/orders/{order_id}/candidates"
        filtered = f"{candidates}?min_score=40&graduation_year=2026"
        for client, url in ((boss, candidates), (student, "/learner/matches")):
            client.get(url)  # warm-up: builds this worker's index
        figures = {
            "page_candidates_ms": _median_ms(boss, candidates, 40),
            "page_candidates_filtered_ms": _median_ms(boss, filtered, 40),
            "page_matches_ms": _median_ms(student, "/learner/matches", 40),
            "page_next_skills_ms": _median_ms(student, "/learner/next-skills", 20),
            "index_build_demo_ms": round(build_ms, 1),
        }
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    from bench import openings  # its own scratch database, at the scale the targets name

    figures.update(openings.run())
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, sort_keys=True))
