"""The province report as DOCX at province scale: the dashboard's data set (100,000
learners, 20,000 orders, ``bench/dashboard.py``), ``/admin/province/report.docx`` fetched
through the test client as a signed-in admin; the median of the runs in seconds.

The first request is left out of the median: it imports matplotlib (most of a second),
which a worker pays once.

    .venv/bin/python -m bench.reports
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5


def run() -> dict:
    """Build the dashboard's data set, fetch the DOCX report ``RUNS`` times; medians."""
    from docx import Document

    from bench.dashboard import PASSWORD, build
    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.services.skills import sync_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.sqlite"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            sync_taxonomy()
            build(db)
            db.session.remove()
        client = app.test_client()
        login = client.post("/auth/login", data={"email": "admin@bench.vn", "password": PASSWORD})
        if login.status_code != 302:
            raise RuntimeError(f"bench admin could not log in ({login.status_code})")
        samples, cpu, size, images = [], [], 0, 0
        for i in range(RUNS + 1):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/admin/province/report.docx")
            elapsed = time.perf_counter() - started
            cpu_used = time.process_time() - cpu_started
            if response.status_code != 200:
                raise RuntimeError(f"the DOCX report answered {response.status_code}")
            if i:  # the first run imports matplotlib and warms the caches
                samples.append(elapsed)
                cpu.append(cpu_used)
            size = len(response.get_data())
        images = len(Document(io.BytesIO(response.get_data())).inline_shapes)
        with app.app_context():
            db.engine.dispose()
    return {
        "report_docx_s": round(statistics.median(samples), 2),
        # CPU time of the process: unlike wall time, it does not grow with the machine's load.
        "report_docx_cpu_s": round(statistics.median(cpu), 2),
        "report_docx_kb": round(size / 1024),
        "report_docx_images": images,
    }


if __name__ == "__main__":
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")
