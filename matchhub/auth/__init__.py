from flask import Blueprint

bp = Blueprint("auth", __name__)

from matchhub.auth import claim, routes, tokens  # noqa: E402, F401
