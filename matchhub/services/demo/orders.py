"""Demand: the enterprises' orders and the skills each asks, from job-posting statistics."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from typing import Any

from matchhub.models import Order, OrderKind, OrderSkill, OrderStatus, VerificationState
from matchhub.services.demo.catalogue import (
    DEMO_ENTERPRISE,
    N_ORDERS,
    SECTOR_TEMPLATES,
    TEMPLATES,
    TEXTS,
    OrderTemplate,
)
from matchhub.services.demo.rows import clamp, insert, insert_returning_ids

# The demo enterprise's seven orders, in order: kinds, statuses and templates.
# The demo learner studies Java: the demo company's first orders fit her.
_DEMO_KINDS = (
    OrderKind.JOB,
    OrderKind.JOB,
    OrderKind.INTERNSHIP,
    OrderKind.JOB,
    OrderKind.INTERNSHIP,
    OrderKind.JOB,
    OrderKind.TRAINING,
)
_DEMO_STATUSES = (
    OrderStatus.OPEN,
    OrderStatus.OPEN,
    OrderStatus.OPEN,
    OrderStatus.OPEN,
    OrderStatus.FILLED,
    OrderStatus.CLOSED,
    OrderStatus.DRAFT,
)
_DEMO_TEMPLATES = ("java", "react", "java", "tester", "fullstack", "node", "java")


class OrdersMixin:
    """Orders and their skills; part of ``seed._Builder``."""

    def build_orders(self, enterprises, users) -> tuple[list[dict[str, Any]], int]:
        rng = self.rng
        verified = [e for e in enterprises if e["state"] is VerificationState.VERIFIED]
        pending = [e for e in enterprises if e["state"] is VerificationState.PENDING]
        demo_ent = next(e for e in enterprises if e["code"] == DEMO_ENTERPRISE)
        # Who places each order: the demo enterprise a handful, pending ones a draft
        # each, the rest spread with the bigger sectors ordering more.
        owners = [demo_ent] * 7 + pending
        weights = [
            3 if e["sector"] in ("software", "textile", "electronics") else 2
            for e in verified
            if e is not demo_ent
        ]
        others = [e for e in verified if e is not demo_ent]
        owners += others  # every verified enterprise has at least one order
        owners += rng.choices(others, weights, k=N_ORDERS - len(owners))
        kinds = [OrderKind.JOB] * 83 + [OrderKind.INTERNSHIP] * 52 + [OrderKind.TRAINING] * 15
        rng.shuffle(kinds)
        # keep the overall mix: swap the demo enterprise's kinds in from the shuffled list
        for i, kind in enumerate(_DEMO_KINDS):
            j = kinds.index(kind, i)
            kinds[i], kinds[j] = kinds[j], kinds[i]

        rows, meta = [], []
        for i, ent in enumerate(owners):
            kind = kinds[i]
            is_demo = ent is demo_ent
            if ent["state"] is VerificationState.PENDING:
                status = OrderStatus.DRAFT
            elif is_demo:
                status = _DEMO_STATUSES[i]
            else:
                status = rng.choices(
                    (
                        OrderStatus.OPEN,
                        OrderStatus.DRAFT,
                        OrderStatus.CLOSED,
                        OrderStatus.FILLED,
                        OrderStatus.CANCELLED,
                    ),
                    (0.72, 0.06, 0.1, 0.08, 0.04),
                )[0]
            template = TEMPLATES[self.pick_template(ent, is_demo, i)]
            row, skills = self.order(ent, kind, status, template, users[ent["code"]])
            rows.append(row)
            meta.append(
                {
                    "kind": kind,
                    "status": status,
                    "skills": skills,
                    "demo": is_demo,
                    "headcount": row["headcount"],
                    "title": row["title"],
                    "duration_weeks": row["duration_weeks"],
                    "published_at": row["published_at"],
                    "closed_at": row["closed_at"],
                    "org_code": ent["code"],
                    "template": template.key,
                }
            )
        ids = insert_returning_ids(Order, rows)
        skill_rows = []
        for m, oid in zip(meta, ids, strict=True):
            m["id"] = oid
            for slug, required, level, weight in m["skills"]:
                skill_rows.append(
                    {
                        "order_id": oid,
                        "skill_id": self.skill_ids[slug],
                        "term": self.skill_term(slug),
                        "required": required,
                        "level": level,
                        "weight": weight,
                    }
                )
        insert(OrderSkill, skill_rows)
        return meta, len(skill_rows)

    def pick_template(self, ent, is_demo: bool, i: int) -> str:
        if is_demo:
            return _DEMO_TEMPLATES[i]
        choices = SECTOR_TEMPLATES[ent["sector"]]
        return self.rng.choices(list(choices), list(choices.values()))[0]

    def order_skills(self, template: OrderTemplate, kind: OrderKind, seniority: str):
        """(slug, required, level, weight) drawn from the template's job-group statistics."""
        rng = self.rng
        group = self.mixes["groups"][template.group]
        size = group["skills_per_posting"]
        n = rng.randint(max(3, size["p25"]), max(4, size["p75"]))
        if kind is OrderKind.INTERNSHIP:
            n = max(3, n - 1)
        chosen = [s for s in template.pinned if s in self.skill_ids]
        pool = [
            (s, w)
            for s, w in group["skills"].items()
            if s not in chosen
            and s in self.skill_ids
            and self.taxonomy[s].category not in ("transversal", "language")
        ]
        while len(chosen) < n and pool:
            k = rng.choices(range(len(pool)), [w for _, w in pool])[0]
            chosen.append(pool.pop(k)[0])
        n_required = max(1, len(template.pinned), math.ceil(len(chosen) * 0.6))
        base = {"fresher": 2, "junior": 3, "middle": 3}.get(seniority, 3)
        if kind is OrderKind.INTERNSHIP:
            base = 2
        out = []
        for idx, slug in enumerate(chosen):
            required = idx < n_required
            pinned = slug in template.pinned
            level = clamp(
                base + (1 if pinned and seniority == "middle" else 0) - (0 if required else 1)
            )
            weight = 2.0 if pinned else (1.0 if required else 0.5)
            out.append((slug, required, level, weight))
        for slug, p in (("english", 0.45), ("teamwork", 0.35), ("japanese", 0.03)):
            if slug not in chosen and rng.random() < p and slug in self.skill_ids:
                out.append((slug, False, 2 if slug != "teamwork" else 3, 0.5))
        return out

    def order(
        self, ent, kind: OrderKind, status: OrderStatus, template: OrderTemplate, user_id: int
    ):
        rng = self.rng
        texts = TEXTS["order"]
        seniority = rng.choices(("fresher", "junior", "middle"), (0.45, 0.4, 0.15))[0]
        skills = self.order_skills(template, kind, seniority)
        if kind is OrderKind.JOB:
            headcount = rng.choices(range(1, 11), (25, 25, 15, 10, 8, 5, 4, 3, 3, 2))[0]
            low = {"fresher": 8, "junior": 11, "middle": 16}[seniority] + rng.randint(0, 3)
            salary = (low * 1_000_000, (low + rng.randint(3, 9)) * 1_000_000)
            title = texts["job_title"].format(
                title=template.job_title, seniority=seniority.capitalize()
            )
        elif kind is OrderKind.INTERNSHIP:
            headcount = rng.randint(2, 15)
            low = rng.choice((2, 2.5, 3, 3.5))
            salary = (int(low * 1_000_000), int((low + rng.choice((1, 1.5, 2))) * 1_000_000))
            title = texts["intern_title"].format(title=template.intern_title)
        else:
            headcount = rng.choice((10, 12, 15, 20, 20, 25, 30, 40))
            salary = (None, None)
            title = texts["training_title"].format(headcount=headcount, trainee=template.trainee)
        locality = ent["locality"]
        remote = ent["sector"] == "software" and kind is OrderKind.JOB and rng.random() < 0.1
        # Days before today; an order is published only after its enterprise was
        # verified (a few days after it signed up).
        oldest = ent["created_days"] - 5
        if status is OrderStatus.DRAFT:
            published = closed = None
            created_days = rng.uniform(0.5, min(20, ent["created_days"]))
            deadline = self.today + timedelta(days=rng.randint(30, 60))
        elif status is OrderStatus.OPEN:
            # Recent orders are many, old ones few: recency drives the demand reports.
            published_days = max(0.2, min(rng.expovariate(1 / 35), 175, oldest))
            created_days = published_days + rng.uniform(0.5, 3)
            published = self.days_ago(published_days)
            deadline = self.today + timedelta(days=rng.randint(5, 60))
            closed = None
        else:
            published_days = rng.uniform(45, min(180, oldest))
            created_days = published_days + rng.uniform(0.5, 3)
            published = self.days_ago(published_days)
            deadline = (published + timedelta(days=rng.randint(21, 45))).date()
            if deadline >= self.today:
                deadline = self.today - timedelta(days=rng.randint(1, 10))
            closed = datetime.combine(deadline, time(10, 0), tzinfo=UTC)
        start = deadline + timedelta(days=rng.randint(7, 45))
        if kind is OrderKind.TRAINING:
            start = deadline + timedelta(days=rng.randint(30, 90))
        created = self.days_ago(created_days)
        return {
            "organization_id": ent["id"],
            "created_by_id": user_id,
            "kind": kind,
            "title": title,
            "description": self.order_description(
                ent, kind, template, headcount, skills, locality, remote
            ),
            "headcount": headcount,
            "locality": locality,
            "remote": remote,
            "salary_min": salary[0],
            "salary_max": salary[1],
            "start_date": start,
            # A training order is addressed to colleges: no application deadline, but a
            # duration (from the headcount, not the random stream: the rest stays as it was).
            "deadline": None if kind is OrderKind.TRAINING else deadline,
            "duration_weeks": 8 + 4 * (headcount % 3) if kind is OrderKind.TRAINING else None,
            "status": status,
            "published_at": published,
            "closed_at": closed,
            "created_at": created,
            "updated_at": closed or published or created,
        }, skills

    def order_description(self, ent, kind, template, headcount, skills, locality, remote) -> str:
        required = ", ".join(self.skill_term(s) for s, req, _, _ in skills if req)
        nice = ", ".join(self.skill_term(s) for s, req, _, _ in skills if not req)
        place = self.locality_name(locality)
        if kind is OrderKind.JOB:
            texts = TEXTS["order"]["job"]
            lines = [
                texts["intro"].format(
                    enterprise=ent["name"],
                    headcount=headcount,
                    trainee=template.trainee,
                    place=place,
                    remote=texts["remote"] if remote else "",
                ),
                texts["required"].format(skills=required),
            ]
            if nice:
                lines.append(texts["nice"].format(skills=nice))
            lines.append(texts["benefits"])
        elif kind is OrderKind.INTERNSHIP:
            texts = TEXTS["order"]["internship"]
            weeks = self.rng.choice((8, 10, 12))
            lines = [
                texts["intro"].format(weeks=weeks, place=place),
                texts["required"].format(skills=required),
            ]
            if nice:
                lines.append(texts["nice"].format(skills=nice))
            lines.append(texts["benefits"])
        else:
            texts = TEXTS["order"]["training"]
            lines = [
                texts["intro"].format(
                    enterprise=ent["name"],
                    headcount=headcount,
                    trainee=template.trainee,
                    skills=required,
                ),
                texts["commitment"],
            ]
            if nice:
                lines.append(texts["nice"].format(skills=nice))
        return "\n".join(lines)
