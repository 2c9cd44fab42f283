"""Operator commands: ``flask --app wsgi seed-demo | sync-skills | create-admin``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from matchhub.services import ServiceError


def register(app: Flask) -> None:
    """Add the operator commands to ``app``'s CLI."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(sync_skills_command)
    app.cli.add_command(create_admin_command)


def _parse_day(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc


@click.command("seed-demo")
@click.option(
    "--today",
    callback=_parse_day,
    metavar="YYYY-MM-DD",
    help="The day the demo is built around (default: today).",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load the demo only into a database without any account (what `make run` does).",
)
@with_appcontext
def seed_demo_command(today: date | None, if_empty: bool) -> None:
    """Fill the database with the demo province (idempotent; refused in production)."""
    if not current_app.config.get("DEMO_ALLOWED", False):
        raise click.ClickException(
            "seed-demo is disabled in this configuration (DEMO_ALLOWED is false): "
            "demo accounts with a published password must never reach production."
        )
    from matchhub.services import demo

    if if_empty and not demo.database_is_empty():
        click.echo("The database already holds accounts; the demo is not loaded.")
        return
    report = demo.seed_demo(today=today)
    if not report.created:
        click.echo("Demo data already seeded; nothing to do (skill taxonomy synced).")
        return
    for name, value in asdict(report).items():
        if name != "created":
            click.echo(f"{name:>20}: {value}")
    click.echo(f"Demo logins (password {demo.DEMO_PASSWORD!r}):")
    for email in demo.DEMO_LOGINS:
        click.echo(f"  {email}")
    click.echo("Every other organisation has hr.<code>@demo.vn with the same password.")


@click.command("sync-skills")
@with_appcontext
def sync_skills_command() -> None:
    """Bring the database's skills in step with the shipped taxonomy (idempotent)."""
    from matchhub.services.skills import sync_taxonomy

    report = sync_taxonomy()
    click.echo(
        f"skills added: {report.skills_added}, updated: {report.skills_updated}, "
        f"aliases added: {report.aliases_added}"
    )


@click.command("create-admin")
@click.option("--email", required=True, help="Login email of the new admin.")
@click.option("--name", "full_name", required=True, help="Full name shown in the audit log.")
@with_appcontext
def create_admin_command(email: str, full_name: str) -> None:
    """Create a province-office (admin) account; the password is asked for twice."""
    from matchhub.services import accounts

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = accounts.password_problem(password)
    if problem:
        raise click.ClickException(str(problem))
    try:
        user = accounts.create_admin(email, full_name, password)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Admin {user.email} created (id {user.id}).")
