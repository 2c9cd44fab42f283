"""The province office: verification, province dashboard, rounds, taxonomy, audit log, users."""

from flask import Blueprint

from matchhub.models import Role
from matchhub.security import require

bp = Blueprint("admin", __name__)


@bp.before_request
def _only_admins():
    require(Role.ADMIN)


from matchhub.admin import audit, dashboard, jobs, rounds, routes, taxonomy, users  # noqa: E402, F401
