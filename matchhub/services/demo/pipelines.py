"""Applications and their histories: who applied where and how far each got."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from matchhub.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    JobOffer,
    JobOfferStatus,
    OrderKind,
    OrderStatus,
)
from matchhub.services.demo.catalogue import TEXTS
from matchhub.services.demo.rows import insert, insert_returning_ids


class PipelinesMixin:
    """Applications with their event history; part of ``seed._Builder``."""

    def build_applications(self, orders, learners, users) -> tuple[int, int]:
        rng = self.rng
        visible = [m for m in learners if m["visible"]]
        demo_learner = next(m for m in learners if m["demo"])
        s = ApplicationStatus
        # The demo learner's own pipeline: invited to one order, applied to another,
        # interviewing for a third (the demo company's open Java and React orders).
        demo_paths = [[s.SHORTLISTED, s.INVITED], [s.APPLIED], [s.APPLIED, s.INTERVIEW]]
        app_rows, plans = [], []
        for order in orders:
            if order["kind"] is OrderKind.TRAINING or order["status"] in (
                OrderStatus.DRAFT,
                OrderStatus.CANCELLED,
            ):
                continue
            if order["demo"]:
                n = rng.randint(10, 16)
            elif order["status"] is OrderStatus.OPEN:
                n = rng.randint(1, 5)
            else:
                n = rng.randint(2, 6)
            candidates = self.candidates(order, visible, 3 * n)
            picked = rng.sample(candidates, k=min(n, len(candidates)))
            if (
                order["demo"]
                and order["template"] in ("java", "react")
                and (order["status"] is OrderStatus.OPEN and demo_paths)
            ):
                picked = [demo_learner, *[c for c in picked if c is not demo_learner]]
            hired = 0
            for learner in picked:
                path = self.pipeline(order, hired)
                if learner is demo_learner:
                    path = demo_paths.pop(0)
                if path[-1] is ApplicationStatus.HIRED:
                    hired += 1
                plans.append((order, learner, path))
        app_ids_rows = []
        for order, learner, path in plans:
            start = order["published_at"] + timedelta(days=rng.uniform(0.5, 10))
            end = order["closed_at"] or self.now
            if start >= end:
                start = order["published_at"] + (end - order["published_at"]) / 3
            step = (end - start) / (len(path) + 1)
            times = [start + step * k for k in range(len(path))]
            app_ids_rows.append((order, learner, path, times))
            app_rows.append(
                {
                    "order_id": order["id"],
                    "learner_id": learner["id"],
                    "status": path[-1],
                    "message": _application_message(path[0]),
                    "created_at": times[0],
                    "updated_at": times[-1],
                }
            )
        ids = insert_returning_ids(Application, app_rows)
        event_rows, offer_rows = [], []
        for app_id, (order, learner, path, times) in zip(ids, app_ids_rows, strict=True):
            if ApplicationStatus.OFFER in path:
                offer_rows.append(self.offer(app_id, order, path, times, users))
            previous = None
            for status, at in zip(path, times, strict=True):
                # A hire is the learner accepting the offer, as in the app.
                by_learner = status in (s.APPLIED, s.WITHDRAWN, s.HIRED)
                event_rows.append(
                    {
                        "application_id": app_id,
                        "from_status": previous,
                        "to_status": status,
                        "actor_id": learner["user_id"] if by_learner else users[order["org_code"]],
                        "note": TEXTS["application"]["notes"].get(status.value),
                        "created_at": at,
                    }
                )
                previous = status
        insert(ApplicationEvent, event_rows)
        insert(JobOffer, offer_rows)
        return len(app_rows), len(event_rows)

    def offer(self, app_id: int, order, path, times, users) -> dict[str, Any]:
        """The offer behind an "offer" or "hired" application: accepted for a hire, else
        still waiting with a reply-by date ahead, so that the demo learner can answer."""
        sent_at = times[path.index(ApplicationStatus.OFFER)]
        accepted = path[-1] is ApplicationStatus.HIRED
        reply_by = (sent_at if accepted else self.now) + timedelta(days=7)
        return {
            "application_id": app_id,
            "status": JobOfferStatus.ACCEPTED if accepted else JobOfferStatus.SENT,
            "position": order["title"],
            "start_date": (reply_by + timedelta(days=21)).date(),
            "reply_by": reply_by.date(),
            "sent_by_id": users[order["org_code"]],
            "created_at": sent_at,
            "decided_at": times[-1] if accepted else None,
        }

    def candidates(self, order, visible, k: int) -> list[dict[str, Any]]:
        """The ``k`` best of a random sample of visible learners by required-skill cover."""
        required = [(s, level) for s, req, level, _ in order["skills"] if req]
        sample = self.rng.sample(visible, k=min(300, len(visible)))

        def cover(learner) -> float:
            have = learner["skills"]
            return sum(min(have.get(s, 0), level) / level for s, level in required)

        sample.sort(key=cover, reverse=True)
        return [m for m in sample[: max(k, 1)] if not m["demo"]]

    def pipeline(self, order, hired: int) -> list[ApplicationStatus]:
        """A plausible history for one application, ending in its current status."""
        s = ApplicationStatus
        rng = self.rng
        if order["status"] is OrderStatus.OPEN:
            end = rng.choices(
                (
                    s.APPLIED,
                    s.SHORTLISTED,
                    s.INVITED,
                    s.INTERVIEW,
                    s.OFFER,
                    s.REJECTED,
                    s.WITHDRAWN,
                ),
                (0.33, 0.2, 0.1, 0.17, 0.06, 0.11, 0.03),
            )[0]
        elif order["status"] is OrderStatus.FILLED and hired < order["headcount"]:
            end = rng.choices((s.HIRED, s.REJECTED, s.WITHDRAWN), (0.6, 0.35, 0.05))[0]
        else:
            end = rng.choices((s.HIRED, s.REJECTED, s.WITHDRAWN), (0.15, 0.75, 0.1))[0]
            if end is s.HIRED and hired >= order["headcount"]:
                end = s.REJECTED
        invited_route = rng.random() < 0.3  # the enterprise found the learner first
        head = [s.SHORTLISTED, s.INVITED, s.APPLIED] if invited_route else [s.APPLIED]
        paths = {
            s.APPLIED: [s.APPLIED],
            s.SHORTLISTED: [s.SHORTLISTED],
            s.INVITED: [s.SHORTLISTED, s.INVITED],
            s.INTERVIEW: [*head, s.INTERVIEW],
            s.OFFER: [*head, s.INTERVIEW, s.OFFER],
            s.HIRED: [*head, s.INTERVIEW, s.OFFER, s.HIRED],
            s.REJECTED: [*head, *([s.INTERVIEW] if rng.random() < 0.4 else []), s.REJECTED],
            s.WITHDRAWN: [*head, s.WITHDRAWN],
        }
        return paths[end]


def _application_message(first: ApplicationStatus) -> str | None:
    if first is ApplicationStatus.APPLIED:
        return TEXTS["application"]["message"]
    return None
