"""sqlmap on the search and filter parameters of MatchHub's pages and API (``make scan``).

``python -m bench.scan.sqlmap_run BASE_URL WORKDIR`` reads ``WORKDIR/accounts.json``
(bench.scan.prepare) and the cookie headers ``WORKDIR/cookies-ROLE.txt`` (bench.scan.login),
runs one sqlmap per target below (``SQLMAP_PARALLEL`` at a time, default 2) and writes
``WORKDIR/sqlmap/NAME.log`` (sqlmap's console) and ``WORKDIR/sqlmap/targets.json`` (what was
run, how long, whether it was cut short) for bench.scan.report.

sqlmap only sends GET requests here: the pages it reads as the demo college and learner
cannot change their data. Each target is capped at ``SQLMAP_TARGET_SECONDS`` (default 30)
plus ``SQLMAP_PARAM_SECONDS`` (default 35) per tested parameter; numeric parameters are not
tested (see ``NUMERIC``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

#: The options every target gets: PostgreSQL is known, so only its payloads are sent;
#: level 2 / risk 2 adds the heavier boolean and time-based tests without risk 3's OR
#: payloads (which can turn a harmless UPDATE into one touching every row).
OPTIONS = (
    "--batch",
    "--disable-coloring",
    "--dbms=PostgreSQL",
    "--level=2",
    "--risk=2",
    "--technique=BEUST",
    "--time-sec=2",
    "--timeout=10",
    "--retries=1",
    # The app re-signs its session cookie on most answers; keep sending the one we logged in
    # with so that every payload is judged on the same session.
    "--drop-set-cookie",
    "--flush-session",
)
#: HTML pages carry a fresh CSRF token each time: compare their text, not their markup.
HTML_OPTIONS = ("--text-only",)
LEVEL, RISK = 2, 2


#: Parameters the views read with ``request.args.get(name, type=int)`` (or ``float``, or an
#: IntegerField): anything but a number becomes the default before a query sees it, so
#: sqlmap's payloads cannot reach SQL through them. They stay in the URL with a real value but
#: are not tested, which leaves the time for the text parameters.
NUMERIC = frozenset({"page", "per_page", "limit", "year", "graduation_year", "min_score"})


@dataclass
class Target:
    name: str
    path: str
    params: dict[str, str]
    auth: str | None = None  # "cookie:ROLE" or "token:ROLE"
    numeric: tuple[str, ...] = ()  # more numeric parameters of this route (see NUMERIC)

    @property
    def tested(self) -> list[str]:
        return [p for p in self.params if p not in NUMERIC and p not in self.numeric]


def targets(accounts: dict) -> list[Target]:
    """Every search and filter parameter of the public, learner, enterprise, college, admin
    and API routes (see the route modules), with a value the page really uses."""
    loc = accounts["locality"]
    order = accounts["order_id"]
    programme = str(accounts["programme_id"])
    return [
        Target("public-orders", "/orders", {"kind": "internship", "locality": loc, "page": "1"}),
        Target(
            "college-learners",
            "/college/learners",
            {"q": "Nguyen", "programme": programme, "year": "2025", "page": "1"},
            "cookie:college",
            numeric=("programme",),  # type=int there
        ),
        Target(
            "admin-users",
            "/admin/users",
            {"q": "demo", "role": "enterprise", "page": "1"},
            "cookie:admin",
        ),
        Target(
            "admin-organizations",
            "/admin/organizations",
            {"kind": "enterprise", "state": "verified"},
            "cookie:admin",
        ),
        Target(
            "admin-audit",
            "/admin/audit",
            {
                "actor": "demo",
                "org": "Demo",
                "action": "order",
                "from": "2026-01-01",
                "to": "2026-12-31",
                "page": "1",
            },
            "cookie:admin",
        ),
        Target("admin-taxonomy", "/admin/taxonomy", {"q": "python", "page": "1"}, "cookie:admin"),
        Target(
            "admin-province", "/admin/province", {"period": "365", "year": "2025"}, "cookie:admin"
        ),
        Target(
            "learner-openings",
            "/learner/openings",
            {"q": "python", "kind": "internship", "page": "1"},
            "cookie:learner",
        ),
        Target(
            "learner-matches",
            "/learner/matches",
            {"kind": "internship", "locality": loc, "tier": "all", "page": "1"},
            "cookie:learner",
        ),
        Target(
            "enterprise-candidates",
            f"/enterprise/orders/{order}/candidates",
            {
                "locality": loc,
                "tier": "all",
                "programme": programme,
                "min_score": "0",
                "graduation_year": "2025",
                "page": "1",
            },
            "cookie:enterprise",
        ),
        Target(
            "api-orders-open",
            "/api/v1/orders/open",
            {"kind": "internship", "locality": loc, "page": "1", "per_page": "20"},
            "token:learner",
        ),
        Target("api-skills", "/api/v1/skills", {"q": "python", "limit": "10"}, "token:learner"),
        Target("api-orders", "/api/v1/orders", {"status": "open", "page": "1"}, "token:enterprise"),
        Target(
            "api-candidates",
            f"/api/v1/orders/{order}/candidates",
            {"locality": loc, "min_tier": "all", "min_score": "0", "graduation_year": "2025"},
            "token:enterprise",
        ),
        Target(
            "api-matches",
            "/api/v1/matches",
            {"kind": "internship", "locality": loc, "min_tier": "all"},
            "token:learner",
        ),
        Target(
            "api-skill-gaps",
            "/api/v1/stats/skill-gaps",
            {"period": "365", "graduation_year": "2025"},
            "token:admin",
        ),
    ]


def command(base_url: str, target: Target, workdir: Path, user_agent: str) -> list[str]:
    accounts = json.loads((workdir / "accounts.json").read_text(encoding="utf-8"))
    url = f"{base_url.rstrip('/')}{target.path}?{urlencode(target.params)}"
    cmd = [
        "sqlmap",
        *OPTIONS,
        *(() if target.path.startswith("/api/") else HTML_OPTIONS),
        "-u",
        url,
        "-p",
        ",".join(target.tested),
        "-A",
        user_agent,
        # One directory per target: two sqlmaps on one host would share a session file.
        f"--output-dir={workdir / 'sqlmap' / 'out' / target.name}",
    ]
    if target.auth:
        kind, role = target.auth.split(":")
        if kind == "cookie":
            cookie = (workdir / f"cookies-{role}.txt").read_text(encoding="utf-8").strip()
            cmd.append(f"--cookie={cookie}")
        else:
            cmd.append(f"--headers=Authorization: Bearer {accounts['tokens'][role]}")
    return cmd


def run(cmd: list[str], target: Target, out: Path, base: float, per_param: float) -> dict:
    cap = base + per_param * len(target.tested)
    started = time.monotonic()
    timed_out, code = False, None
    with open(out / f"{target.name}.log", "w", encoding="utf-8") as log:
        try:
            code = subprocess.run(
                cmd, stdout=log, stderr=subprocess.STDOUT, timeout=cap, check=False
            ).returncode
        except subprocess.TimeoutExpired:
            timed_out = True
    seconds = round(time.monotonic() - started, 1)
    print(f"sqlmap {target.name}: {seconds} s{' (time cap)' if timed_out else ''}", flush=True)
    return {
        **asdict(target),
        "url": cmd[cmd.index("-u") + 1],
        "tested": target.tested,
        "cap_seconds": cap,
        "seconds": seconds,
        "timed_out": timed_out,
        "exit_code": code,
    }


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit("usage: python -m bench.scan.sqlmap_run BASE_URL WORKDIR")
    if shutil.which("sqlmap") is None:
        raise SystemExit("sqlmap is missing: apt-get install -y sqlmap")
    base_url, workdir = argv[1], Path(argv[2])
    base = float(os.environ.get("SQLMAP_TARGET_SECONDS", "30"))
    per_param = float(os.environ.get("SQLMAP_PARAM_SECONDS", "35"))
    parallel = int(os.environ.get("SQLMAP_PARALLEL", "2"))
    user_agent = os.environ.get("SCAN_USER_AGENT", "MatchHub-scan")
    accounts = json.loads((workdir / "accounts.json").read_text(encoding="utf-8"))
    out = workdir / "sqlmap"
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(command(base_url, t, workdir, user_agent), t) for t in targets(accounts)]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        runs = list(pool.map(lambda job: run(job[0], job[1], out, base, per_param), jobs))
    (out / "targets.json").write_text(
        json.dumps(
            {
                "level": LEVEL,
                "risk": RISK,
                "options": list(OPTIONS),
                "cap_seconds": f"{base:g} + {per_param:g} per parameter",
                "parallel": parallel,
                "targets": runs,
            },
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(sys.argv)
