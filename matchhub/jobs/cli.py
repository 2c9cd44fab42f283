"""``flask jobs worker``: run the RQ worker on the configured queue (see docs/operations.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs (mail, invitations, large imports).")


@jobs_cli.command("worker")
@click.option("--queue", "queues", multiple=True, help="Queue to work on (default: JOBS_QUEUE).")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
def worker(queues: tuple[str, ...], burst: bool) -> None:
    """Run queued jobs until stopped (SIGTERM finishes the current job first)."""
    from matchhub import jobs

    app = current_app._get_current_object()
    if jobs.mode(app) != "rq":
        raise click.ClickException("JOBS_REDIS_URL is not set: jobs run in the web process.")
    # The scheduler puts retried jobs back on the queue once their back-off has passed.
    jobs.make_worker(app, queues).work(burst=burst, with_scheduler=True)
