"""Turn locust's CSV statistics into the load test's JSON figures, and check the targets.

Pure functions over rows as ``csv.DictReader`` gives them (``<prefix>_stats.csv`` and
``<prefix>_failures.csv`` of ``locust --csv <prefix>``), and over gunicorn's access log
lines in ``ACCESS_LOG_FORMAT``, so they are tested without a run.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from pathlib import Path

HEALTH = "healthz"  # the locustfile's name for the health probe
TOTAL = "Aggregated"  # locust's name for the row over every request
P95_LIMIT_MS = 300  # every page's p95 at 20 users with think time
HEALTH_P95_LIMIT_MS = 50
# gunicorn's --access-logformat for the run: method, path, status, time in the worker (µs).
ACCESS_LOG_FORMAT = "loadtest %(m)s %(U)s %(s)s %(D)s"
_ACCESS = re.compile(r"^loadtest (\S+) (\S+) (\d{3}) (\d+)$")
# (method, path, page) as the locustfile names its requests; the first match wins.
PAGES = tuple(
    (method, re.compile(path + "$"), page)
    for method, path, page in (
        ("GET", "/healthz", HEALTH),
        ("GET", "/auth/login", "login form"),
        ("POST", "/auth/login", "login"),
        ("POST", "/auth/logout", "logout"),
        ("GET", "/learner/", "learner: home"),
        ("GET", "/learner/matches", "learner: matches"),
        ("GET", "/learner/openings", "learner: openings"),
        ("GET", r"/learner/orders/\d+", "learner: opening"),
        ("GET", "/enterprise/", "enterprise: home"),
        ("GET", "/enterprise/orders", "enterprise: orders"),
        ("GET", r"/enterprise/orders/\d+/candidates", "enterprise: candidates"),
        ("GET", r"/enterprise/orders/\d+/candidates/\d+", "enterprise: candidate"),
        ("GET", "/college/", "college: home"),
        ("GET", "/college/demand", "college: demand"),
        ("GET", "/college/gaps", "college: gaps"),
        ("GET", r"/college/programmes/\d+/gaps", "college: programme gaps"),
    )
)


def _number(value: str | None) -> float | None:
    """A CSV cell as a number; None for locust's "N/A" (no request) or an empty cell."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _figures(row: dict[str, str]) -> dict:
    def ms(column: str) -> float | None:
        value = _number(row.get(column))
        return None if value is None else round(value, 1)

    rps = _number(row.get("Requests/s"))
    return {
        "requests": int(_number(row.get("Request Count")) or 0),
        "errors": int(_number(row.get("Failure Count")) or 0),
        "rps": None if rps is None else round(rps, 2),
        "p50_ms": ms("50%"),
        "p95_ms": ms("95%"),
        "p99_ms": ms("99%"),
        "max_ms": ms("Max Response Time"),
    }


def summarise(
    stats: list[dict[str, str]],
    failures: list[dict[str, str]] = (),
    *,
    p95_limit_ms: float = P95_LIMIT_MS,
    health_p95_limit_ms: float = HEALTH_P95_LIMIT_MS,
) -> dict:
    """Figures per page (by request name), the totals, the health probe and the verdict.

    ``targets.met`` needs every request error-free, every page's p95 within
    ``p95_limit_ms`` (the health probe excepted: it has its own limit) and some
    requests at all; a page without requests has no p95 and does not count.
    """
    pages: dict[str, dict] = {}
    total: dict = {}
    for row in stats:
        name = row.get("Name", "")
        if name == TOTAL and not row.get("Type"):
            total = _figures(row)
        elif name:
            pages[name] = _figures(row)
    health = pages.pop(HEALTH, None)
    errors = [
        {
            "page": row.get("Name", ""),
            "method": row.get("Method", ""),
            "error": row.get("Error", ""),
            "count": int(_number(row.get("Occurrences")) or 0),
        }
        for row in failures
    ]
    measured = {name: f["p95_ms"] for name, f in pages.items() if f["p95_ms"] is not None}
    worst = max(measured, key=measured.get) if measured else None
    slow = sorted(name for name, p95 in measured.items() if p95 > p95_limit_ms)
    health_p95 = health["p95_ms"] if health else None
    health_ok = health_p95 is not None and health_p95 < health_p95_limit_ms
    n_errors = total.get("errors", sum(f["errors"] for f in pages.values()))
    targets = {
        "errors": n_errors,
        "p95_limit_ms": p95_limit_ms,
        "worst_page": worst,
        "worst_page_p95_ms": measured.get(worst) if worst else None,
        "pages_over_limit": slow,
        "healthz_p95_limit_ms": health_p95_limit_ms,
        "healthz_ok": health_ok,
    }
    targets["met"] = bool(measured) and n_errors == 0 and not slow and health_ok
    return {
        "pages": dict(sorted(pages.items())),
        "healthz": health,
        "total": total,
        "failures": errors,
        "targets": targets,
    }


def page_of(method: str, path: str) -> str | None:
    """The locustfile's name for a request, from its method and path (None: not a page)."""
    for m, pattern, page in PAGES:
        if m == method and pattern.match(path):
            return page
    return None


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of non-empty ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def server_times(lines: Iterable[str]) -> dict[str, dict]:
    """Per page, the time spent inside a gunicorn worker (from accepting the request to
    the response written), from access log lines in ``ACCESS_LOG_FORMAT``; other lines
    are skipped. Beside locust's figures it tells the app's own time from the time a
    request waited for a free worker or for the CPU."""
    times: dict[str, list[float]] = {}
    for line in lines:
        match = _ACCESS.match(line.strip())
        page = match and page_of(match.group(1), match.group(2))
        if page:
            times.setdefault(page, []).append(int(match.group(4)) / 1000)
    return {
        page: {
            "requests": len(values),
            "p50_ms": round(_percentile(values, 0.50), 1),
            "p95_ms": round(_percentile(values, 0.95), 1),
        }
        for page, values in sorted(times.items())
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a locust CSV file; none when the file is missing."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
