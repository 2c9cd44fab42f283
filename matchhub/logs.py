"""Keep secrets that travel in URLs out of production logs.

A password-reset link (``/auth/reset/<token>``) and a profile-claim link
(``/auth/claim/<code>``) are as good as a password for an hour or until used, and an
access log line, a referrer or an exception message would otherwise keep them for as
long as the logs live. In production, every record of the app's logger and every line of
gunicorn's access and error logs (see ``gunicorn.conf.py``) has them replaced by ``…``.
"""

from __future__ import annotations

import logging
import re

SECRET_PATH = re.compile(r"(/auth/(?:reset|claim)/)[^/?#\s\"']+")


def mask(text: str) -> str:
    """``text`` with the secret part of reset and claim links replaced by ``…``."""
    return SECRET_PATH.sub(r"\1…", text)


class MaskingFilter(logging.Filter):
    """A logging filter that masks reset and claim links in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class AppMaskingFilter(MaskingFilter):
    """On the app's logger (named after the package, so shared by every app object in the
    process): masks unless the current app logs mail bodies (``MAIL_LOG_BODY``, development),
    where the link in the log is how a developer follows it."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flask import current_app, has_app_context

        if has_app_context() and current_app.config.get("MAIL_LOG_BODY", True):
            return True
        return super().filter(record)


def init_app(app) -> None:
    if not any(isinstance(f, AppMaskingFilter) for f in app.logger.filters):
        app.logger.addFilter(AppMaskingFilter())


def gunicorn_logger_class():
    """gunicorn's logger with every access-log atom and error message masked."""
    from gunicorn.glogging import Logger

    class MaskingLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {k: mask(v) if isinstance(v, str) else v for k, v in atoms.items()}

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                log.addFilter(MaskingFilter())

    return MaskingLogger
