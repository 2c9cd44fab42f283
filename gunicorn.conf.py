"""gunicorn settings, read from the working directory (``gunicorn wsgi:app`` finds this file).

See docs/operations.md. Every value can be overridden on the command line.
"""

import os

from matchhub.logs import gunicorn_logger_class

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# A worker silent this long is killed: no request should come near it (imports and rounds
# bound their work), so a kill means a bug worth reading in the log.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# gunicorn's control socket defaults to ~/.gunicorn/gunicorn.ctl, one per user: a second
# instance run by the same user would take it over. One path per instance.
_instance = os.path.join(os.path.dirname(os.path.abspath(__file__)), "instance")
control_socket = os.environ.get(
    "GUNICORN_CONTROL_SOCKET",
    os.path.join(_instance, f"gunicorn-{bind.rsplit(':', 1)[-1]}.ctl"),
)
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# Reset and claim links never reach the access or error log.
logger_class = gunicorn_logger_class()
