"""Colleges' answers to the demo's training orders; part of ``seed._Builder``.

Every open or filled training order gets one offer from the programme that teaches
most of its skills: the enterprise accepted two in three (all of a filled order's),
the rest await its decision. So the demo's learners find training they can join,
with how to enrol, and the enterprises and colleges find offers on both sides.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from matchhub.models import OfferStatus, OrderKind, OrderStatus, TrainingMode, TrainingOffer
from matchhub.services.demo.catalogue import TEXTS
from matchhub.services.demo.rows import insert

_SHOWN = (OrderStatus.OPEN, OrderStatus.FILLED)
_FEES = (None, 0, 1_500_000, 2_500_000, 4_000_000)


class OffersMixin:
    """Training offers of the demo's colleges."""

    def build_training_offers(self, orders, enterprises, programmes, users: dict[str, int]) -> int:
        texts = TEXTS["training_offer"]
        names = {e["code"]: e["name"] for e in enterprises}
        training = [o for o in orders if o["kind"] is OrderKind.TRAINING and o["status"] in _SHOWN]
        rows: list[dict[str, Any]] = []
        for n, order in enumerate(training):
            wanted = {slug for slug, required, *_rest in order["skills"] if required}
            programme = max(programmes, key=lambda p: (len(wanted & p["skills"].keys()), -p["id"]))
            college = programme["college"]
            filled = order["status"] is OrderStatus.FILLED
            accepted = filled or n % 3 != 2
            start = self.today + timedelta(days=self.rng.randint(20, 60))
            sent = self.days_ago(self.rng.uniform(2, 15))
            rows.append(
                {
                    "order_id": order["id"],
                    "college_id": college["id"],
                    "programme_id": programme["id"],
                    "course_name": "",
                    # A filled order's seats are all agreed; an open one has half so far.
                    "seats": order["headcount"] if filled else max(1, order["headcount"] // 2),
                    "start_date": start,
                    "note": texts["note"],
                    "fee_per_trainee": self.rng.choice(_FEES),
                    "duration_weeks": order["duration_weeks"],
                    "mode": self.rng.choice(list(TrainingMode)),
                    "location": college["address"][:200],
                    "enrolment": texts["enrolment"].format(
                        college=college["name"],
                        address=college["address"],
                        deadline=(start - timedelta(days=7)).strftime("%d/%m/%Y"),
                        enterprise=names[order["org_code"]],
                    ),
                    "status": OfferStatus.ACCEPTED if accepted else OfferStatus.PENDING,
                    "created_by_id": users[college["code"]],
                    "decided_by_id": users[order["org_code"]] if accepted else None,
                    "decided_at": sent + timedelta(days=1) if accepted else None,
                    "created_at": sent,
                }
            )
        insert(TrainingOffer, rows)
        return len(rows)
