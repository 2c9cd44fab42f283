from flask import Blueprint

from matchhub.models import Role
from matchhub.security import require

bp = Blueprint("learner", __name__)


@bp.before_request
def _only_learners():
    require(Role.LEARNER)


from matchhub.learner import cv, hiring, messages, rounds, routes, saved, training  # noqa: E402, F401
