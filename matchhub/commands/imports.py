"""``flask --app wsgi import-learners FILE --college CODE``: a cohort file, all rows or none
(or its valid rows with ``--skip-invalid``)."""

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
@click.option(
    "--gpa-scale",
    type=click.Choice(["4", "10"]),
    default="4",
    show_default=True,
    help="The scale of the file's GPA column; GPA is kept out of 4 (a 10-point GPA x 0.4).",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and skip the rows with errors (listed) instead of refusing.",
)
@with_appcontext
def import_learners_command(
    path: Path, college_code: str, invite: str, gpa_scale: str, skip_invalid: bool
) -> None:
    """Import the learners of a CSV or XLSX file into a college (all rows or none, unless
    --skip-invalid)."""
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
            college,
            None,
            path.read_bytes(),
            path.name,
            invite=invite,
            gpa_scale=int(gpa_scale),
            skip_invalid=skip_invalid,
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    for issue in parsed.warnings[:MAX_ERRORS_SHOWN]:
        click.echo(f"warning: row {issue.row}, {issue.column}: {issue.message}", err=True)
    errors = parsed.errors
    for issue in errors[:MAX_ERRORS_SHOWN]:
        label = "skipped" if result is not None else "error"
        click.echo(f"{label}: row {issue.row}, {issue.column}: {issue.message}", err=True)
    if result is None:
        raise click.ClickException(f"{len(errors)} error(s) in {path.name}: nothing was imported")
    click.echo(
        f"{path.name}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged ({result.changes} changes); invitations: "
        f"{result.invited} queued, {result.held} held until the college is verified, "
        f"{result.waiting} to send later, {result.not_sent} not to be sent"
        + (f"; {result.skipped} row(s) with errors skipped" if result.skipped else "")
    )
