from flask import Blueprint

from matchhub.models import Role
from matchhub.security import require

bp = Blueprint("admin", __name__)


@bp.before_request
def _only_admins():
    require(Role.ADMIN)


from matchhub.admin import routes  # noqa: E402, F401
