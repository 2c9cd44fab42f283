"""``make loadtest``: gunicorn on PostgreSQL under locust, figures per page as JSON.

    .venv/bin/python -m bench.loadtest.run [--users 20] [--duration 60] [--threads N]
                                            [--keep-db] [--keep-logs DIR]

1. Drops and recreates the scratch database (``LOADTEST_DATABASE_URL``, default
   ``postgresql+psycopg://postgres@127.0.0.1:5432/matchhub_loadtest``), migrates it
   (``flask db upgrade``'s migrations) and fills it with ``bench.loadtest.province``:
   the demo province scaled to 10,000 learners and 2,000 orders, plus accounts.
2. Starts a private ``redis-server`` on a free loopback port for the rate limiter's
   counters, as production shares them between workers (``memory://`` when Debian's
   redis-server is not installed; the JSON says which).
3. Starts ``gunicorn -c gunicorn.conf.py wsgi:app`` with 2 workers on a free loopback
   port, in production configuration: ``MATCHHUB_ENV=production`` with a random
   ``SECRET_KEY`` made for this run. One setting differs, because the test speaks plain
   HTTP to 127.0.0.1: ``SESSION_COOKIE_SECURE=0`` (a client sends a Secure cookie back
   over HTTPS only, so every request would be anonymous). Nothing else is relaxed: no
   login limit is raised, since the per-address limit counts failed logins only and
   every simulated login succeeds (a 429 would show as an error).
4. Warms both workers up (each builds its matching index on its first ranking request),
   then runs ``locust --headless`` (``bench/loadtest/locustfile.py``) from loopback:
   ``--users`` users split 10:6:4 between learners, enterprises and colleges, think
   time 1-3 s, plus one user polling ``/healthz``, started 2 a second; the figures
   cover the ``--duration`` seconds after the last one started (locust's
   ``--reset-stats``), not the ramp, when every user logs in at once.
5. Prints ``bench.loadtest.summary``'s JSON (per page: requests, rps, p50/p95/p99, max,
   errors; totals; ``/healthz``; the targets; under ``server``, each page's p50/p95 of
   the time spent inside a worker, from gunicorn's access log; under ``setup``, the
   machine's load average) and exits 1 when a target is missed.

``--threads N`` runs gunicorn's gthread workers (N threads each) instead of the sync
workers that ``gunicorn.conf.py`` gives, to compare.

Everything it started is stopped at the end (gunicorn, redis, locust), and the scratch
database dropped unless ``--keep-db`` (to profile a page afterwards).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from bench.loadtest import province, summary
from bench.throughput import _Client, _free_port, _wait_healthy

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/matchhub_loadtest"
WORKERS = 2
SPAWN_RATE = 2  # users started per second
WARMUP_THREADS = 4
WARMUP_ROUNDS = 3
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _split(url: str) -> tuple[str, str]:
    """(URL of the server's ``postgres`` database, name of the scratch database)."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    if not parsed.database or not parsed.drivername.startswith("postgresql"):
        raise SystemExit(f"LOADTEST_DATABASE_URL must name a PostgreSQL database: {url}")
    admin = parsed.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), parsed.database


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    """Drop the scratch database (its open connections too) and, unless ``drop_only``, create it."""
    import psycopg
    from psycopg import sql

    admin, name = _split(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fill(url: str, accounts_path: Path) -> dict:
    """Migrate and fill the scratch database; write the accounts for the locustfile."""
    os.environ.pop("MATCHHUB_ENV", None)  # the fill runs with the development config
    from flask_migrate import upgrade

    from matchhub import create_app
    from matchhub.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        built = province.build(db)
        db.session.remove()
        db.engine.dispose()
    # The last account of each role is kept for the warm-up; locust takes the others.
    accounts = built["accounts"]
    accounts_path.write_text(
        json.dumps(
            {
                "password": built["password"],
                "accounts": {role: pool[:-1] for role, pool in accounts.items()},
            }
        ),
        encoding="utf-8",
    )
    built["warmup"] = {role: pool[-1] for role, pool in accounts.items()}
    return built


def start_redis(tmp: Path) -> tuple[subprocess.Popen | None, str]:
    """A private redis-server on a free port (or None and ``memory://`` without one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, "memory://"
    port = _free_port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            if client.ping():
                return server, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.1)
    stop(server)
    raise RuntimeError("redis-server did not answer")


def start_gunicorn(
    url: str, storage: str, port: int, tmp: Path, threads: int = 0
) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "MAIL_"))}
    env.update(
        MATCHHUB_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(32),
        SESSION_COOKIE_SECURE="0",  # plain HTTP on loopback (see the module's docstring)
        DATABASE_URL=url,
        RATELIMIT_STORAGE_URI=storage,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(WORKERS),
        GUNICORN_CONTROL_SOCKET=str(tmp / "gunicorn.ctl"),
    )
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    if threads:  # gunicorn's gthread workers instead of the configured sync ones
        command += ["--threads", str(threads)]
    command += ["--access-logformat", summary.ACCESS_LOG_FORMAT, "wsgi:app"]
    log = tmp / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return server, log


def _login(port: int, email: str, password: str) -> dict[str, str]:
    client = _Client(port)
    try:
        status, page = client.request("GET", "/auth/login")
        match = CSRF.search(page)
        if status != 200 or match is None:
            raise RuntimeError(f"login form not found ({status})")
        form = {"email": email, "password": password, "csrf_token": match.group(1)}
        status, _ = client.request("POST", "/auth/login", urllib.parse.urlencode(form))
        if status != 302:
            raise RuntimeError(f"could not log in as {email} ({status})")
        return client.cookies
    finally:
        client.close()


def warm_up(port: int, built: dict) -> None:
    """Open every kind of page from several connections at once, so that both workers
    build their matching index and fill their caches before the measurement."""
    password = built["password"]
    learner = _login(port, built["warmup"]["learner"], password)
    boss = _login(port, built["warmup"]["enterprise"], password)
    college = _login(port, built["warmup"]["college"], password)
    client = _Client(port, boss)
    try:
        _, page = client.request("GET", "/enterprise/orders")
    finally:
        client.close()
    orders = re.findall(r'href="/enterprise/orders/(\d+)"', page)
    if not orders:
        raise RuntimeError("the warm-up enterprise has no order")
    pages = [
        (learner, "/learner/matches"),
        (boss, f"/enterprise/orders/{orders[0]}/candidates"),
        (college, "/college/demand"),
        (college, "/college/gaps"),
    ]
    statuses: list[tuple[str, int]] = []

    def worker() -> None:
        for _ in range(WARMUP_ROUNDS):
            for cookies, path in pages:
                client = _Client(port, cookies)
                try:
                    statuses.append((path, client.request("GET", path)[0]))
                finally:
                    client.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(WARMUP_THREADS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=300)
    bad = sorted({(p, s) for p, s in statuses if s != 200})
    if bad or len(statuses) != WARMUP_THREADS * WARMUP_ROUNDS * len(pages):
        raise RuntimeError(f"warm-up failed: {bad or 'timed out'}")


def run_locust(
    port: int, users: int, duration: int, accounts: Path, tmp: Path, log: Path
) -> tuple[Path, int]:
    """Run locust headless: users start at ``SPAWN_RATE`` a second, then ``duration``
    seconds are measured (``--reset-stats`` when the last user has started, so the
    ramp's burst of first logins is left out). Returns the CSV prefix of its statistics
    and the size of gunicorn's ``log`` at that moment (the access lines that count)."""
    prefix = tmp / "locust"
    spawned = tmp / "spawned"
    ramp = math.ceil((users + 1) / SPAWN_RATE)
    env = dict(os.environ, LOADTEST_ACCOUNTS=str(accounts), LOADTEST_SPAWNED=str(spawned))
    command = [
        sys.executable, "-m", "locust",
        "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--users", str(users + 1),  # + the /healthz probe (fixed_count 1)
        "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{duration + ramp}s",
        "--reset-stats",
        "--stop-timeout", "5",
        "--host", f"http://127.0.0.1:{port}",
        "--csv", str(prefix),
        "--only-summary",
        "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    deadline = time.monotonic() + duration + ramp + 120
    offset = None
    with (tmp / "locust.log").open("wb") as out:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            while locust.poll() is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("locust did not stop in time")
                if offset is None and spawned.exists():
                    offset = log.stat().st_size
                time.sleep(0.1)
        finally:
            stop(locust)
    if locust.returncode != 0 or offset is None:
        raise RuntimeError(f"locust failed ({locust.returncode}): see {tmp / 'locust.log'}")
    return prefix, offset


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=20, help="simulated users besides /healthz")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per worker (gthread); 0: sync workers"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch database")
    parser.add_argument("--keep-logs", type=Path, help="copy gunicorn's and locust's logs here")
    args = parser.parse_args(argv)
    max_users = province.ACCOUNTS_PER_ROLE - 1
    if not 3 <= args.users <= 2 * max_users:  # learners are half the users
        parser.error(f"--users: between 3 and {2 * max_users}")
    url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE_URL)

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    redis_server = server = None
    with tempfile.TemporaryDirectory(prefix="matchhub-loadtest-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            print("loadtest: filling the scratch database ...", file=sys.stderr)
            recreate_database(url)
            built = fill(url, tmp / "accounts.json")
            redis_server, storage = start_redis(tmp)
            port = _free_port()
            server, log = start_gunicorn(url, storage, port, tmp, args.threads)
            _wait_healthy(port, server, log)
            print("loadtest: warming up both workers ...", file=sys.stderr)
            warm_up(port, built)
            print(
                f"loadtest: locust, {args.users} users for {args.duration} s ...", file=sys.stderr
            )
            prefix, counted = run_locust(
                port, args.users, args.duration, tmp / "accounts.json", tmp, log
            )
            load_after = os.getloadavg()[0]
            result = summary.summarise(
                summary.read_csv(Path(f"{prefix}_stats.csv")),
                summary.read_csv(Path(f"{prefix}_failures.csv")),
            )
            with log.open(encoding="utf-8", errors="replace") as lines:
                lines.seek(counted)
                result["server"] = summary.server_times(lines)
        finally:
            stop(server)
            stop(redis_server)
            if args.keep_logs:
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                for name in ("gunicorn.log", "locust.log"):
                    if (tmp / name).exists():
                        shutil.copy(tmp / name, args.keep_logs / name)
            if not args.keep_db:
                recreate_database(url, drop_only=True)
    result["setup"] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "users": args.users,
        "healthz_users": 1,
        "think_time_s": [1, 3],
        "duration_s": args.duration,
        "gunicorn_workers": WORKERS,
        "gunicorn_threads": args.threads or None,  # None: sync workers (gunicorn.conf.py)
        "config": "production (MATCHHUB_ENV=production, SESSION_COOKIE_SECURE=0)",
        "rate_limit_storage": storage.split(":")[0],
        "database": "postgresql",
        **built["counts"],
        "wall_s": round(time.monotonic() - started, 1),
        "cpus": os.cpu_count(),
        # The machine's other work competes with gunicorn, PostgreSQL and locust.
        "loadavg_1min_before": round(load_before, 2),
        "loadavg_1min_after_load": round(load_after, 2),
    }
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0 if result["targets"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
