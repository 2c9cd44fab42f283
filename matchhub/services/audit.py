"""Writing to the audit log (flushes; the calling use case commits)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from matchhub.extensions import db
from matchhub.models import AuditEvent, User


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
