"""The notification box of the signed-in dashboards: open a notification, mark it read.

One blueprint for the three roles that receive notifications; each notification
is its owner's alone (``notifications.open_notification`` loads it through
``owned_or_404``), so someone else's is a 404 like a missing one.
"""

from flask import Blueprint

from matchhub.models import Role
from matchhub.security import require

bp = Blueprint("notifications", __name__)

#: The roles with a dashboard that shows notifications.
ROLES = (Role.LEARNER, Role.ENTERPRISE, Role.COLLEGE)


@bp.before_request
def _only_dashboard_roles():
    require(ROLES)


from matchhub.notifications import views  # noqa: E402, F401
