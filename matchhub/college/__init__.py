from flask import Blueprint

from matchhub.models import Role
from matchhub.security import require

bp = Blueprint("college", __name__)


@bp.before_request
def _only_colleges():
    require(Role.COLLEGE)


from matchhub.college import routes  # noqa: E402, F401
