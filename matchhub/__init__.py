"""MatchHub: a province's bridge between its training institutions and its enterprises."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matchhub.config import Config, config_from_env, require_production_secret

if TYPE_CHECKING:  # Flask is imported by create_app, so `import matchhub.matching` stays web-free
    from flask import Flask


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the application.

    ``config`` is a config class, a mapping of overrides on top of the
    environment's config (tests), or ``None`` for the environment's config.
    """
    from flask import Flask

    app = Flask(__name__, instance_relative_config=True)
    if isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        app.config.from_object(config or config_from_env())
    require_production_secret(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    from matchhub import security

    security.register_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)

    from matchhub import errors, i18n, static_files

    i18n.init_app(app)
    static_files.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    _serve_behind_proxies(app)
    from matchhub import logs

    logs.init_app(app)
    if app.config["ENV_NAME"] == "production" and not app.config.get("MAIL_SERVER"):
        app.logger.warning("MAIL_SERVER is not set: reset links and decisions are not sent")
    return app


def _serve_behind_proxies(app: Flask) -> None:
    """Trust ``TRUSTED_PROXIES`` hops of X-Forwarded-For/-Proto/-Host (ProxyFix)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    from matchhub import models  # noqa: F401  (every model must be known to the metadata)
    from matchhub.extensions import csrf, db, limiter, login_manager, migrate

    _database_options(app)
    db.init_app(app)
    from matchhub.services import cache_version

    # Every worker's matching caches follow one version, bumped by the session itself.
    cache_version.install()
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from matchhub import jobs
    from matchhub.services import accounts

    jobs.init_app(app)

    login_manager.user_loader(accounts.load_user_for_session)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"


def _database_options(app: Flask) -> None:
    """Give PostgreSQL connections a connect timeout (an explicit ``connect_args`` wins)."""
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgres"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("connect_timeout", app.config.get("DATABASE_CONNECT_TIMEOUT", 5))
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_blueprints(app: Flask) -> None:
    from matchhub.admin import bp as admin_bp
    from matchhub.auth import bp as auth_bp
    from matchhub.college import bp as college_bp
    from matchhub.enterprise import bp as enterprise_bp
    from matchhub.learner import bp as learner_bp
    from matchhub.notifications import bp as notifications_bp
    from matchhub.public import bp as public_bp
    from matchhub.reports.routes import bp as reports_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(enterprise_bp, url_prefix="/enterprise")
    app.register_blueprint(college_bp, url_prefix="/college")
    app.register_blueprint(learner_bp, url_prefix="/learner")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(reports_bp, url_prefix="/reports")

    from matchhub import api

    api.init_app(app)


def register_commands(app: Flask) -> None:
    from matchhub.commands import admin, alerts, imports, match, skills

    admin.register(app)
    imports.register(app)
    app.cli.add_command(skills.skills_cli)
    app.cli.add_command(match.match_cli)
    app.cli.add_command(alerts.alerts_cli)


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"
