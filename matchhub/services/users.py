"""User management by the province office: search, (de)activate, reset links, roles."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    Learner,
    Membership,
    Organization,
    OrgKind,
    OrgRole,
    Role,
    User,
    Visibility,
)
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit
from matchhub.services.accounts import password_reset_token


def list_users(
    search: str | None = None, role: Role | None = None, page: int = 1, per_page: int = 50
):
    """Users by email, filtered by a part of their email or name and by role, paginated."""
    query = (
        sa.select(User)
        .options(selectinload(User.memberships).selectinload(Membership.organization))
        .order_by(User.email)
    )
    if search:
        like = f"%{search.strip()}%"
        query = query.where(sa.or_(User.email.ilike(like), User.full_name.ilike(like)))
    if role is not None:
        query = query.where(User.role == role)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def readable(user: User, user_id: int) -> User:
    """The account ``user`` may manage (the province office: any; else only their own);
    404 otherwise."""
    return owned_or_404(User, user, User.id == user_id)


def _active_admins() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def _refuse_last_admin(user: User) -> None:
    if user.role is Role.ADMIN and user.active and _active_admins() <= 1:
        raise ServiceError(_("This is the last active province-office account: keep it."))


def deactivate_user(admin: User, user: User) -> None:
    """Deactivate ``user`` and end every session they have."""
    if not user.active:
        raise ServiceError(_("This account is already deactivated."))
    _refuse_last_admin(user)
    user.active = False
    user.session_version += 1
    audit.record("account.deactivated", actor=admin, obj=user, email=user.email)
    db.session.commit()


def reactivate_user(admin: User, user: User) -> None:
    """Let a deactivated user log in again."""
    if user.active:
        raise ServiceError(_("This account is already active."))
    user.active = True
    audit.record("account.reactivated", actor=admin, obj=user, email=user.email)
    db.session.commit()


def issue_reset_token(admin: User, user: User) -> str:
    """A password-reset token for ``user`` that the office hands over; audited.

    The token is the same as the one the reset-by-email flow sends: valid for an
    hour and only until the password changes.
    """
    if not user.active:
        raise ServiceError(_("Reactivate the account first."))
    token = password_reset_token(user)
    audit.record("account.reset_link_issued", actor=admin, obj=user, email=user.email)
    db.session.commit()
    return token


def change_role(admin: User, user: User, role: Role, organization: Organization | None) -> None:
    """Give ``user`` another role; an enterprise or college user needs an organisation of that kind.

    Moving to another role ends the user's sessions (their pages change). Refuses
    to remove the last active admin. A user made a learner gets an empty, hidden
    profile if they have none.
    """
    if role in (Role.ENTERPRISE, Role.COLLEGE):
        if organization is None or organization.kind is not OrgKind(role.value):
            raise ServiceError(
                _("Choose an organisation of the right kind for this role."), field="organization"
            )
    elif organization is not None:
        raise ServiceError(_("This role belongs to no organisation."), field="organization")
    current_org = user.organization
    if role is user.role and (current_org.id if current_org else None) == (
        organization.id if organization else None
    ):
        raise ServiceError(_("Nothing changes."))
    if role is not Role.ADMIN:
        _refuse_last_admin(user)
    before = {"role": user.role.value, "organization_id": current_org.id if current_org else None}
    user.memberships.clear()
    db.session.flush()
    if organization is not None:
        db.session.add(Membership(user=user, organization=organization, org_role=OrgRole.STAFF))
    if (
        role is Role.LEARNER
        and db.session.scalar(sa.select(Learner.id).where(Learner.user_id == user.id)) is None
    ):
        db.session.add(
            Learner(
                user=user, full_name=user.full_name, email=user.email, visibility=Visibility.HIDDEN
            )
        )
    user.role = role
    user.session_version += 1
    audit.record(
        "account.role_changed",
        actor=admin,
        organization_id=organization.id if organization else None,
        obj=user,
        email=user.email,
        before=before,
        after={"role": role.value, "organization_id": organization.id if organization else None},
    )
    db.session.commit()


def organizations_for_roles() -> list[Organization]:
    """Organisations a user can be attached to, by kind and name."""
    return list(
        db.session.scalars(sa.select(Organization).order_by(Organization.kind, Organization.name))
    )
