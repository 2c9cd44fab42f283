from flask import Blueprint

bp = Blueprint("public", __name__)

from matchhub.public import routes, survey  # noqa: E402, F401
