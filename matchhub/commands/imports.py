"""``flask --app wsgi import-learners FILE --college CODE``: a cohort file, all rows or none."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from matchhub.extensions import db
from matchhub.models import Organization, OrgKind
from matchhub.services import ServiceError

#: Row errors printed before the command gives up listing them.
MAX_ERRORS_SHOWN = 50


def register(app: Flask) -> None:
    """Add the import command to ``app``'s CLI."""
    app.cli.add_command(import_learners_command)


@click.command("import-learners")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--college", "college_code", required=True, help="The college's short code.")
@click.option(
    "--invitations",
    "invite",
    type=click.Choice(["now", "later", "never"]),
    default="now",
    show_default=True,
    help="When the new learners are mailed their invitation to claim their profile "
    "(later: from the college's import page).",
)
@with_appcontext
def import_learners_command(path: Path, college_code: str, invite: str) -> None:
    """Import the learners of a CSV or XLSX file into a college (all rows or none)."""
    from matchhub.services import imports

    college = db.session.scalar(
        sa.select(Organization).where(
            Organization.code == college_code.strip(), Organization.kind == OrgKind.COLLEGE
        )
    )
    if college is None:
        raise click.ClickException(f"no college with the code {college_code!r}")
    try:
        parsed, result = imports.import_file(
            college, None, path.read_bytes(), path.name, invite=invite
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    for issue in parsed.warnings[:MAX_ERRORS_SHOWN]:
        click.echo(f"warning: row {issue.row}, {issue.column}: {issue.message}", err=True)
    if result is None:
        errors = parsed.errors
        for issue in errors[:MAX_ERRORS_SHOWN]:
            click.echo(f"error: row {issue.row}, {issue.column}: {issue.message}", err=True)
        raise click.ClickException(f"{len(errors)} error(s) in {path.name}: nothing was imported")
    click.echo(
        f"{path.name}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged ({result.changes} changes); invitations: "
        f"{result.invited} queued, {result.held} held until the college is verified, "
        f"{result.waiting} to send later, {result.not_sent} not to be sent"
    )
