"""The notification box every signed-in dashboard shows, and its "mark read" action.

Each role's blueprint calls :func:`register` so the action sits behind that
blueprint's own role check; the template global lets ``_notifications.html``
be included in any dashboard without its view passing anything.
"""

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from matchhub.forms import Form
from matchhub.models import Role
from matchhub.services import notifications, rounds


class MarkReadForm(Form):
    """The "mark read" button: the CSRF token is all it carries."""


def unread_notifications():
    """The signed-in user's unread notifications with their wording, for the template."""
    if not current_user.is_authenticated:
        return []
    return [(n, notifications.message(n)) for n in notifications.unread_for(current_user)]


def round_invitations() -> list[tuple[object, str]]:
    """Rounds the signed-in learner or enterprise can rank in now, with the page to do it."""
    if not current_user.is_authenticated:
        return []
    if current_user.role is Role.LEARNER:
        return [
            (r, url_for("learner.round_detail", round_id=r.id)) for r in rounds.accepting_rounds()
        ]
    if current_user.role is Role.ENTERPRISE and current_user.organization is not None:
        return [
            (r, url_for("enterprise.round_detail", round_id=r.id))
            for r in rounds.accepting_rounds(current_user.organization.id)
        ]
    return []


def register(bp: Blueprint) -> None:
    """Add ``<bp>.notification_read`` (POST) and the template helpers to ``bp``."""

    def notification_read(notification_id: int):
        if not MarkReadForm().validate_on_submit():
            abort(400)
        if notification_id == 0:
            notifications.mark_all_read(current_user)
        elif not notifications.mark_read(current_user, notification_id):
            abort(404)
        return redirect(url_for(f"{bp.name}.dashboard") + "#notifications")

    bp.add_url_rule(
        "/notifications/<int:notification_id>/read",
        endpoint="notification_read",
        view_func=notification_read,
        methods=["POST"],
    )
    bp.add_app_template_global(unread_notifications, "unread_notifications")
    bp.add_app_template_global(round_invitations, "round_invitations")
