"""Disposable accounts for ``make scan`` (run after ``flask seed-demo``, before the server).

``python -m bench.scan.prepare OUT.json`` adds to the scan's scratch database:

- a province-office account ``scan-admin@scan.example`` (sqlmap's admin pages and API token);
- a verified enterprise "Scan Enterprise" with its owner ``scan-enterprise@scan.example`` and
  one published order copied from a demo order's skills, so that the crawl reaches an order's
  candidates, pipeline and edit form. wapiti crawls and posts forms as this account only:
  whatever it submits lands in this organisation, never in a demo organisation's data;
- API tokens for the scan admin, the scan enterprise and the demo college and learner (sqlmap
  only reads with those two: GET requests on search and filter parameters).

It writes the logins, ids and raw tokens to OUT.json for the scan scripts. The passwords
are random per run and the database is dropped at the start of the next one.
"""

from __future__ import annotations

import json
import secrets
import sys
from datetime import timedelta

import sqlalchemy as sa

from matchhub import create_app
from matchhub.extensions import db
from matchhub.models import Order, OrderStatus, Programme, Role, User
from matchhub.services import accounts, api_tokens, confirmation, demo, orders, orgs

ADMIN_EMAIL = "scan-admin@scan.example"
ENTERPRISE_EMAIL = "scan-enterprise@scan.example"


def _password() -> str:
    return "Scan-" + secrets.token_urlsafe(18)


def _skill_terms(order: Order, required: bool) -> list[tuple[str, int]]:
    return [(s.term, s.level) for s in order.skills if s.required is required]


def prepare() -> dict:
    admin_password = _password()
    admin = accounts.create_admin(ADMIN_EMAIL, "Scan Admin", admin_password)

    enterprise_password = _password()
    user = accounts.register(
        accounts.Registration(
            role=Role.ENTERPRISE,
            email=ENTERPRISE_EMAIL,
            password=enterprise_password,
            full_name="Scan Enterprise Owner",
            organization_name="Scan Enterprise (disposable)",
            locality=None,
        )
    )
    if user is None:
        raise SystemExit(f"{ENTERPRISE_EMAIL} exists already: the scan needs a fresh database")
    confirmation.mark_confirmed(user)  # the scan logs in with it; nobody reads its mail
    org = user.organization
    orgs.verify_organization(org, admin)

    # Copy a demo order's skills so that the order is publishable and has candidates.
    model = db.session.scalars(
        sa.select(Order).where(Order.status == OrderStatus.OPEN).order_by(Order.id).limit(1)
    ).one()
    order = orders.save_order(
        org,
        user,
        orders.OrderInput(
            kind=model.kind,
            title="Scan order (disposable)",
            description="An order of the scan's own enterprise.",
            headcount=2,
            locality=model.locality,
            remote=model.remote,
            salary_min=None,
            salary_max=None,
            start_date=None,
            deadline=orders.today_in_vietnam() + timedelta(days=30),
            required=_skill_terms(model, True),
            nice=_skill_terms(model, False),
        ),
    )
    orders.publish_order(order, user)

    def user_by(email: str) -> User:
        found = accounts.get_user_by_email(email)
        if found is None:
            raise SystemExit(f"{email} is missing: seed the demo province first")
        return found

    college = user_by(demo.COLLEGE_EMAIL)
    programme_id = db.session.scalar(
        sa.select(Programme.id)
        .where(Programme.organization_id == college.organization.id)
        .order_by(Programme.id)
        .limit(1)
    )

    tokens = {}
    for role, account in (
        ("admin", admin),
        ("enterprise", user),
        ("college", college),
        ("learner", user_by(demo.LEARNER_EMAIL)),
    ):
        _, raw = api_tokens.create_token(account, "make scan", 30)
        tokens[role] = raw

    return {
        "logins": {
            "admin": {"email": ADMIN_EMAIL, "password": admin_password},
            "enterprise": {"email": ENTERPRISE_EMAIL, "password": enterprise_password},
            "college": {"email": demo.COLLEGE_EMAIL, "password": demo.DEMO_PASSWORD},
            "learner": {"email": demo.LEARNER_EMAIL, "password": demo.DEMO_PASSWORD},
        },
        "tokens": tokens,
        "enterprise_org_id": org.id,
        "order_id": order.id,
        # Real values for the filters that sqlmap starts from.
        "locality": model.locality or "",
        "programme_id": programme_id,
    }


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: python -m bench.scan.prepare OUT.json")
    app = create_app()
    # A request context: verifying the organisation mails its owner a link to the site.
    with app.test_request_context("/", base_url="http://127.0.0.1"):
        result = prepare()
    with open(argv[1], "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)


if __name__ == "__main__":
    main(sys.argv)
