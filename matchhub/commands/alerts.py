"""``flask alerts send``: queue the weekly alert mails (cron, once a week; see
docs/operations.md)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

alerts_cli = AppGroup("alerts", help="Weekly mail of new matches to learners who asked for it.")


@alerts_cli.command("send")
def send_command() -> None:
    """Queue this week's alert mails: one per subscriber with new matches above their
    threshold. Safe to run again: a second run in the same week sends nothing."""
    from matchhub.services import alerts

    report = alerts.send_weekly()
    click.echo(
        f"Alerts: {report.considered} subscribers considered, {report.mailed} mails queued, "
        f"{report.openings} openings listed."
    )
