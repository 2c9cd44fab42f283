"""Opening and marking notifications read, and the dashboard box's template helpers.

The helpers are application-wide template globals so that ``_notifications.html``
can be included in any dashboard without its view passing anything.
"""

from flask import abort, redirect, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from matchhub.forms import Form
from matchhub.models import Role
from matchhub.notifications import bp, wording
from matchhub.services import learners, notifications, rounds

# What a college does to its offer, told to the enterprise on its order page.
OFFER_NEWS = ("offer.received", "offer.updated", "offer.withdrawn")


class MarkReadForm(Form):
    """The "mark read" buttons: the CSRF token is all they carry."""


def _dashboard() -> str:
    return url_for(f"{current_user.role.value}.dashboard") + "#notifications"


@bp.get("/<int:notification_id>", endpoint="open")
def open_one(notification_id: int):
    # Opening a notification reads it: the link marks it read, then goes to its page.
    return redirect(_target(notifications.open_notification(current_user, notification_id)))


@bp.post("/<int:notification_id>/read", endpoint="read")
def read_one(notification_id: int):
    if not MarkReadForm().validate_on_submit():
        abort(400)
    notifications.open_notification(current_user, notification_id)
    return redirect(_dashboard())


@bp.post("/read")
def read_all():
    if not MarkReadForm().validate_on_submit():
        abort(400)
    notifications.mark_all_read(current_user)
    return redirect(_dashboard())


def _target(note) -> str:
    """The page a notification is about, for the signed-in user's role (their dashboard
    when it names no page, or names one that no longer exists)."""
    p = note.payload or {}
    role = current_user.role.value
    endpoint, args = f"{role}.dashboard", {}
    if note.kind == "round.published" and p.get("round_id") and role in ("learner", "enterprise"):
        endpoint, args = f"{role}.round_detail", {"round_id": p["round_id"]}
    elif note.kind.startswith("application.") and p.get("application_id"):
        if role in ("learner", "enterprise"):
            endpoint, args = f"{role}.application_detail", {"application_id": p["application_id"]}
            if note.kind == "application.message":
                args["_anchor"] = "messages"
    elif note.kind.startswith(("interview.", "job_offer.")) and p.get("application_id"):
        if role in ("learner", "enterprise"):
            endpoint = f"{role}.application_detail"
            args = {"application_id": p["application_id"], "_anchor": "hiring"}
    elif note.kind in OFFER_NEWS and p.get("order_id") and role == "enterprise":
        endpoint = "enterprise.order_detail"
        args = {"order_id": p["order_id"], "_anchor": "training-offers"}
    elif note.kind.startswith("offer.") and role == "college":
        endpoint = "college.training_order_list"
    try:
        return url_for(endpoint, **args)
    except BuildError:
        return url_for(f"{role}.dashboard")


@bp.app_template_global()
def unread_notifications():
    """The signed-in user's unread notifications with their wording, for the template."""
    if not current_user.is_authenticated:
        return []
    return [(n, wording.message(n)) for n in notifications.unread_for(current_user)]


bp.add_app_template_global(wording.message, "notification_message")
bp.add_app_template_global(wording.subject, "notification_subject")


@bp.app_template_global()
def round_invitations() -> list[tuple[object, str]]:
    """Rounds the signed-in learner or enterprise can rank in now, with the page to do it."""
    if not current_user.is_authenticated:
        return []
    if current_user.role is Role.LEARNER:
        learner = learners.learner_of_user(current_user)
        if learner is None:
            return []
        return [
            (r, url_for("learner.round_detail", round_id=r.id))
            for r in rounds.admitting(rounds.accepting_rounds(), learner)
        ]
    if current_user.role is Role.ENTERPRISE and current_user.organization is not None:
        return [
            (r, url_for("enterprise.round_detail", round_id=r.id))
            for r in rounds.accepting_rounds(current_user.organization.id)
        ]
    return []
