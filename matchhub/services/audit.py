"""The audit log: recording events, and reading them back for the province office.

Each feature records its own actions with :func:`record` (logins, failed logins,
verification decisions, profile views, exports, data-subject requests, taxonomy
edits...): it adds the event to the current transaction and flushes nothing; the
calling use case commits. The province office searches, pages and exports the
log with :func:`search_events` and :func:`export_csv`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, selectinload

from matchhub.extensions import db
from matchhub.models import AuditEvent, Organization, User
from matchhub.services import exports

# --- Recording ---


def record(
    action: str,
    *,
    actor: User | None = None,
    organization_id: int | None = None,
    obj: Any = None,
    **detail: Any,
) -> AuditEvent:
    """Add one audit event for ``action`` on ``obj`` by ``actor`` to the current transaction."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        organization_id=organization_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        ip=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(event)
    return event


# --- Reading (the province office's log page and export) ---

_VN = ZoneInfo("Asia/Ho_Chi_Minh")
# An export holds at most this many events: narrow the search for more.
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Search:
    actor: str | None = None  # part of the actor's email
    organization: str | None = None  # part of the organisation's name
    action: str | None = None  # exact action, or a prefix ending with "." ("auth.")
    date_from: date | None = None  # Vietnam dates, inclusive
    date_to: date | None = None

    def as_detail(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}


def _query(search: Search):
    actor = aliased(User)
    org = aliased(Organization)
    query = (
        sa.select(AuditEvent)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(org, org.id == AuditEvent.organization_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if search.actor:
        needle = f"%{search.actor.strip().lower()}%"
        # A failed login for an unknown email has no actor: its detail keeps the email.
        query = query.where(
            sa.or_(actor.email.like(needle), sa.cast(AuditEvent.detail, sa.String).like(needle))
        )
    if search.organization:
        query = query.where(org.name.ilike(f"%{search.organization.strip()}%"))
    if search.action:
        action = search.action.strip()
        if action.endswith("."):
            query = query.where(AuditEvent.action.like(f"{action}%"))
        else:
            query = query.where(AuditEvent.action == action)
    if search.date_from:
        start = datetime.combine(search.date_from, time(0), tzinfo=_VN)
        query = query.where(AuditEvent.created_at >= start)
    if search.date_to:
        end = datetime.combine(search.date_to + timedelta(days=1), time(0), tzinfo=_VN)
        query = query.where(AuditEvent.created_at < end)
    return query.options(selectinload(AuditEvent.actor))


def search_events(search: Search, page: int = 1, per_page: int = 50):
    """Audit events matching ``search``, newest first, paginated."""
    return db.paginate(_query(search), page=page, per_page=per_page, error_out=False)


def actions() -> list[str]:
    """Every action recorded so far, for the search form."""
    return list(
        db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def organization_names(ids: set[int]) -> dict[int, str]:
    """Names of the organisations with these ids (for the log's organisation column)."""
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        ).all()
    )


def _rows(search: Search) -> Iterator[list[object]]:
    events = db.session.scalars(_query(search).limit(EXPORT_LIMIT))
    names: dict[int, str] = {}
    for e in events:
        if e.organization_id and e.organization_id not in names:
            names.update(organization_names({e.organization_id}))
        yield [
            e.created_at.astimezone(_VN).replace(tzinfo=None),
            e.actor.email if e.actor else (e.detail or {}).get("email", ""),
            e.action,
            names.get(e.organization_id, "") if e.organization_id else "",
            f"{e.object_type} {e.object_id}" if e.object_type else "",
            e.ip or "",
            ", ".join(f"{k}={v}" for k, v in sorted((e.detail or {}).items())),
        ]


def export_csv(admin: User, search: Search) -> bytes:
    """The matching events as CSV (UTF-8 with BOM, formula-escaped); the export is audited."""
    headers = [
        _("Time (Vietnam)"),
        _("Actor"),
        _("Action"),
        _("Organisation"),
        _("Object"),
        _("IP address"),
        _("Detail"),
    ]
    data = exports.to_csv(headers, _rows(search))
    record("export.audit_log", actor=admin, search=search.as_detail())
    db.session.commit()
    return data
