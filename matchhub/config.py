"""Settings, read from the environment.

``DATABASE_URL`` picks the database (``postgres://`` is accepted and rewritten
for psycopg 3); unset means SQLite in ``instance/``. The production config
refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused by the production config


def database_url(raw: str | None) -> str:
    """Return a SQLAlchemy URL for ``raw``; SQLite in ``instance/`` when unset."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'matchhub.sqlite'}"
    # Heroku-style and plain libpq URLs name no driver; we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Development defaults; every value can be overridden from the environment."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    # Seconds to wait for PostgreSQL to answer a new connection: a server that does not
    # answer (host down, packets dropped) gives the 503 page, not a worker hung until
    # gunicorn kills it. libpq's default is to wait forever.
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 5))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 10 * 1024 * 1024))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits are skipped with a logged error rather than every login failing.
    RATELIMIT_SWALLOW_ERRORS = True
    # Failed logins per client address (see matchhub/auth/throttle.py); a school's shared
    # address (CIDR networks, comma or space separated) gets the higher limit.
    LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "10 per minute")
    LOGIN_SHARED_ADDRESSES = os.environ.get("LOGIN_SHARED_ADDRESSES", "")
    LOGIN_SHARED_LIMIT = os.environ.get("LOGIN_SHARED_LIMIT", "100 per minute")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    PASSWORD_RESET_MAX_AGE = 3600  # seconds
    # A graduate survey link works for 60 days: long enough for a holiday, not for ever.
    OUTCOME_SURVEY_MAX_AGE = 60 * 86400  # seconds
    EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600  # the link mailed at registration, in seconds
    # Whom a member of a suspended organisation should contact (shown at login); unset:
    # "the province office". E.g. "the labour department, matchhub@namdinh.gov.vn".
    SUPPORT_CONTACT = os.environ.get("SUPPORT_CONTACT", "")
    # The ranker's weights, as JSON ({"required": 0.3, "text": 0.3, "overlap": 0.2});
    # unset keeps matchhub.matching.rank.Weights' defaults (see its docstring for the fit).
    MATCHING_WEIGHTS = json.loads(os.environ.get("MATCHING_WEIGHTS") or "null")
    LOCALITIES_FILE = os.environ.get("LOCALITIES_FILE")  # default: matchhub/data/localities.json
    DEMO_ALLOWED = True

    # Outgoing mail (reset links, decisions). Unset MAIL_SERVER: messages go to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)  # STARTTLS on MAIL_PORT
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)  # implicit TLS (port 465); wins over TLS
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "MatchHub <no-reply@localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", 10))
    # Without MAIL_SERVER, write each message (links included) to the log: development only.
    MAIL_LOG_BODY = True

    # Background jobs (mail, invitations, large imports; see matchhub/jobs/). With
    # JOBS_REDIS_URL set, jobs go to RQ queues on that Redis and `flask jobs worker` runs
    # them; unset (`make run`), each job runs in the web process after its response is sent.
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "matchhub")
    # Tests: run each job at once, where it is enqueued, so a test can assert its effect.
    JOBS_EAGER = False
    # Seconds before the 1st, 2nd and 3rd retry of a failed job (RQ).
    JOBS_RETRY_INTERVALS: ClassVar[list[int]] = [10, 60, 300]
    JOBS_TIMEOUT = int(os.environ.get("JOBS_TIMEOUT", 1800))  # seconds one job may run
    # The address users reach the site at, for links in mail sent outside a request
    # (a command-line import, a job with no request behind it).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:5000/")

    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (nginx: 1).
    # 0 trusts none: behind a proxy, throttling would see one address and HSTS never apply.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))


class TestConfig(Config):
    """The test suite: ``TEST_DATABASE_URL`` or a throwaway SQLite file."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - the suite's own key, never deployed
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite:///:memory:"
    )
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
    MAIL_SERVER = None  # a test that sends mail starts its own SMTP server
    JOBS_REDIS_URL = None  # a test that needs a queue sets its own
    JOBS_EAGER = True


class ProdConfig(Config):
    """Production: secure cookies, a real secret, no demo data."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    DEMO_ALLOWED = False
    MAIL_LOG_BODY = False  # a reset link in a log is a password in a log

    @classmethod
    def check(cls) -> None:
        """Refuse to start without a real secret; take it from the environment as it is now."""
        secret = os.environ.get("SECRET_KEY", "")
        if len(secret) < 16 or secret == DEV_SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set to a long random value in production")
        cls.SECRET_KEY = secret


def _strong(secret: str | None) -> bool:
    return bool(secret) and len(secret) >= 16 and secret != DEV_SECRET_KEY


def require_production_secret(config) -> None:
    """Refuse to run in production with the development or a short ``SECRET_KEY``, however
    the app is created (``create_app()``, ``create_app(ProdConfig)``, a mapping).

    Production is ``ENV_NAME == "production"`` or, outside the test suite, ``MATCHHUB_ENV``.
    A key set in the environment after the config module was imported is taken then.
    """
    in_production = config.get("ENV_NAME") == "production" or (
        not config.get("TESTING") and os.environ.get("MATCHHUB_ENV", "").lower() == "production"
    )
    if not in_production or _strong(config.get("SECRET_KEY")):
        return
    secret = os.environ.get("SECRET_KEY", "")
    if not _strong(secret):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production")
    config["SECRET_KEY"] = secret


def config_from_env() -> type[Config]:
    """Pick the config class named by ``MATCHHUB_ENV`` (development | production)."""
    name = os.environ.get("MATCHHUB_ENV", "development").lower()
    if name == "production":
        ProdConfig.check()
        return ProdConfig
    return Config
