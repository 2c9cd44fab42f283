from flask import Blueprint

from matchhub.models import Role
from matchhub.security import require

bp = Blueprint("enterprise", __name__)


@bp.before_request
def _only_enterprises():
    require(Role.ENTERPRISE)


from matchhub.enterprise import bulk, candidates, hiring, messages, offers, rounds, routes  # noqa: E402, F401
