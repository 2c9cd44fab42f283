"""Organisations and their verification by the province office."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchhub.extensions import db
from matchhub.models import (
    Membership,
    Order,
    OrderStatus,
    Organization,
    OrgKind,
    User,
    VerificationState,
    utcnow,
)
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit, notifications

# Sectors of the Vietnamese economy that hire IT skills (codes are stored, names translated).
SECTORS = {
    "software": _l("Software and IT services"),
    "telecom": _l("Telecommunications"),
    "electronics": _l("Electronics manufacturing"),
    "textile": _l("Textiles and garments"),
    "manufacturing": _l("Mechanical and industrial manufacturing"),
    "logistics": _l("Logistics and transport"),
    "finance": _l("Banking, finance and insurance"),
    "retail": _l("Retail and e-commerce"),
    "healthcare": _l("Healthcare"),
    "education": _l("Education and training"),
    "agrifood": _l("Agriculture and food processing"),
    "construction": _l("Construction and real estate"),
    "tourism": _l("Tourism and hospitality"),
    "energy": _l("Energy and utilities"),
    "public": _l("Public administration"),
}

_TAX_CODE = re.compile(r"^\d{10}(-?\d{3})?$")


def valid_tax_code(value: str) -> bool:
    """Vietnamese tax codes have 10 digits, or 13 for a branch (often written 10-3)."""
    return bool(_TAX_CODE.match(value.strip()))


def sector_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in SECTORS.items()]


def sector_name(code: str | None) -> str:
    return str(SECTORS[code]) if code in SECTORS else (code or "")


def pending_organizations() -> list[Organization]:
    """Organisations waiting for the province office, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Organization)
            .where(Organization.state == VerificationState.PENDING)
            .order_by(Organization.created_at, Organization.id)
        )
    )


def list_organizations(kind: OrgKind | None = None, state: VerificationState | None = None):
    query = sa.select(Organization).order_by(Organization.name)
    if kind is not None:
        query = query.where(Organization.kind == kind)
    if state is not None:
        query = query.where(Organization.state == state)
    return list(db.session.scalars(query))


def get_organization(org_id: int) -> Organization | None:
    return db.session.get(Organization, org_id)


def readable(user: User, org_id: int) -> Organization:
    """The organisation ``user`` may see (the province office: any; a member: their own);
    404 otherwise."""
    return owned_or_404(Organization, user, Organization.id == org_id)


def verify_organization(org: Organization, admin: User) -> None:
    """Approve ``org``: its orders may now be published."""
    if org.state is VerificationState.VERIFIED:
        raise ServiceError(_("This organisation is already verified."))
    org.state = VerificationState.VERIFIED
    org.state_reason = None
    org.verified_at = utcnow()
    org.verified_by_id = admin.id
    audit.record("org.verified", actor=admin, organization_id=org.id, obj=org)
    notifications.notify_organization(org.id, "org.verified", name=org.name)
    db.session.commit()
    if org.kind is OrgKind.COLLEGE:
        from matchhub.services import invitations  # here: invitations are for colleges only

        invitations.send_waiting(org, "held")  # held while the college was unverified


def reject_organization(org: Organization, admin: User, reason: str) -> None:
    """Reject ``org`` with a reason its users will read."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give a reason for the rejection."), field="reason")
    org.state = VerificationState.REJECTED
    org.state_reason = reason
    org.verified_at = None
    org.verified_by_id = admin.id
    audit.record("org.rejected", actor=admin, organization_id=org.id, obj=org, reason=reason)
    notifications.notify_organization(org.id, "org.rejected", name=org.name, reason=reason)
    db.session.commit()


def suspend_organization(org: Organization, admin: User, reason: str) -> int:
    """Suspend ``org``: its open orders close and its users' sessions end.

    Its users cannot log in while it is suspended (``accounts.authenticate``
    refuses them); verifying it again lifts the suspension. Returns the number
    of orders closed.
    """
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give a reason for the suspension."), field="reason")
    if org.state is VerificationState.SUSPENDED:
        raise ServiceError(_("This organisation is already suspended."))
    now = utcnow()
    closed = db.session.execute(
        sa.update(Order)
        .where(Order.organization_id == org.id, Order.status == OrderStatus.OPEN)
        .values(status=OrderStatus.CLOSED, closed_at=now, updated_at=now)
    ).rowcount
    # A bumped version invalidates every session cookie the members hold.
    member_ids = sa.select(Membership.user_id).where(Membership.organization_id == org.id)
    db.session.execute(
        sa.update(User)
        .where(User.id.in_(member_ids))
        .values(session_version=User.session_version + 1)
    )
    org.state = VerificationState.SUSPENDED
    org.state_reason = reason
    org.verified_by_id = admin.id
    audit.record(
        "org.suspended",
        actor=admin,
        organization_id=org.id,
        obj=org,
        reason=reason,
        orders_closed=closed or 0,
    )
    notifications.notify_organization(org.id, "org.suspended", name=org.name, reason=reason)
    db.session.commit()
    return closed or 0


def count_open_orders(org: Organization) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Order.id)).where(
                Order.organization_id == org.id, Order.status == OrderStatus.OPEN
            )
        )
        or 0
    )
