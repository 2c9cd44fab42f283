"""Throughput of a learner's matches page under gunicorn, against a trivial endpoint.

    .venv/bin/python -m bench.throughput          # JSON of run()

The DESIGN target ("web pages"): gunicorn with 2 workers over 10,000 learners and
2,000 open orders serves ``/learner/matches`` at >= 40 % of the throughput of a
trivial Flask endpoint measured in the same run, with no errors.

A scratch SQLite file is filled (not timed) from ``bench.synth``'s deterministic
profiles: 10,000 learners (5-15 skills each, consent given, visibility
"enterprises") of one verified college, and 2,000 open orders (3-8 required skills,
0-4 nice ones) of 200 verified enterprises; one learner account is linked to the
first learner. ``gunicorn --workers 2 wsgi:app`` (default sync workers, development
config) is started on a free port of 127.0.0.1 against that file. The bench logs in
through the real form, warms both workers up (each builds its own matching index on
its first matches request), then runs ``CLIENTS`` threads for ``DURATION_S`` seconds
per endpoint, first ``/healthz`` (a view plus ``SELECT 1``), then
``/learner/matches``, every request carrying the session cookie. Each thread keeps
its own ``http.client`` connection; gunicorn's sync workers close the connection
after each response, so every request of both endpoints opens a new TCP connection.

- ``throughput_trivial_rps`` / ``throughput_matches_rps``: completed requests per
  second of wall time, all threads together.
- ``throughput_matches_ratio``: matches rps / trivial rps (target >= 0.40).
- ``throughput_errors``: non-200 answers and failed requests, both phases (target 0).
- ``throughput_matches_p50_ms``: median latency of a matches request under load.
- ``throughput_trivial_cpu_ms`` / ``throughput_matches_cpu_ms``: CPU time (user +
  system, from /proc) the two workers spent per completed request of each phase, and
  ``throughput_matches_cpu_ratio`` their ratio: on a machine that other programs load,
  rps swing with that load while CPU per request does not.

The load generator runs on the same 2 cores as the two workers, so the absolute
rps are low and depend on the machine; the ratio, both phases paying the same
client overhead, is the figure to compare with the target.

    .venv/bin/python -m bench.throughput --parts  # JSON of parts(): where a request goes

``parts()`` fills the same data in a scratch file and times, in one process through
the test client (no gunicorn, no load generator), the two endpoints, an authenticated
learner page that lists nothing (``/learner/applications`` with no application: the
floor every learner page pays), then each step of the matches view called as the view
calls it, and ``base.html`` rendered alone; medians of ``PART_ROUNDS`` calls, in ms.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

from bench import fill

ROOT = Path(__file__).resolve().parents[1]
N_LEARNERS = 10_000
N_ORDERS = 2_000
N_ENTERPRISES = 200
CLIENTS = 4
DURATION_S = 10.0
MAX_REQUESTS_PER_THREAD = 50_000  # a bound on each load loop besides the clock
WARMUP_ROUNDS = 5
START_TIMEOUT_S = 60.0
PART_ROUNDS = 200
LEARNER_EMAIL = "learner@bench.vn"
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a throwaway scratch database


def build(db) -> dict[str, int]:
    """Fill the empty database bound to ``db``; returns counts. The app context is the caller's."""
    from matchhub.models import Organization, OrgKind, Role, User, VerificationState
    from matchhub.services.accounts import hash_password

    now = datetime.now(UTC)
    user_id = fill.insert_returning_ids(
        db,
        User,
        [
            {
                "email": LEARNER_EMAIL,
                "password_hash": hash_password(PASSWORD),
                "full_name": "Bench Learner",
                "role": Role.LEARNER,
                "active": True,
                "session_version": 1,
                "created_at": now,
                "email_confirmed_at": now,
            }
        ],
    )[0]
    college = fill.insert_returning_ids(
        db,
        Organization,
        [
            {
                "kind": OrgKind.COLLEGE,
                "name": "Trường Bench",
                "code": "CB",
                "locality": "nd-nam-dinh",
                "state": VerificationState.VERIFIED,
                "created_at": now,
            }
        ],
    )[0]
    learners, n_skills = fill.add_learners(
        db,
        N_LEARNERS,
        places=[(college, None)],
        now=now,
        users={0: (user_id, LEARNER_EMAIL)},
    )
    enterprises = fill.insert_returning_ids(
        db,
        Organization,
        [
            {
                "kind": OrgKind.ENTERPRISE,
                "name": f"Công ty {i}",
                "tax_code": f"06{i:08d}",
                "locality": "nd-nam-dinh",
                "sector": "software",
                "state": VerificationState.VERIFIED,
                "verified_at": now,
                "created_at": now,
            }
            for i in range(N_ENTERPRISES)
        ],
    )
    order_ids = fill.add_orders(db, N_ORDERS, enterprises=enterprises, now=now)
    db.session.commit()
    return {"learners": len(learners), "orders": len(order_ids), "learner_skills": n_skills}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Client:
    """One connection to the server (reopened by http.client when the server closes it)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, data.decode("utf-8", "replace")

    def close(self) -> None:
        self.conn.close()


def _wait_healthy(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        client = _Client(port)
        try:
            if client.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        finally:
            client.close()
        time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn not healthy after {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}"
    )


def _login(port: int) -> dict[str, str]:
    """Log in through the real form; returns the cookies of the signed-in session."""
    client = _Client(port)
    try:
        status, page = client.request("GET", "/auth/login")
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"login form not found ({status})")
        form = {"email": LEARNER_EMAIL, "password": PASSWORD, "csrf_token": match.group(1)}
        status, _ = client.request("POST", "/auth/login", urllib.parse.urlencode(form))
        if status != 302:
            raise RuntimeError(f"could not log in as {LEARNER_EMAIL} ({status})")
        status, _ = client.request("GET", "/learner/matches")
        if status != 200:
            raise RuntimeError(f"/learner/matches answered {status} after login")
        return client.cookies
    finally:
        client.close()


def _warm_up(port: int, cookies: dict[str, str]) -> None:
    """``CLIENTS`` threads request the matches page ``WARMUP_ROUNDS`` times each.

    Concurrent on purpose: while one worker builds its index the other takes the next
    connections, so both have built theirs before the measurement.
    """
    statuses: list[int] = []

    def worker() -> None:
        client = _Client(port, cookies)
        try:
            for _ in range(WARMUP_ROUNDS):
                statuses.append(client.request("GET", "/learner/matches")[0])
        finally:
            client.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(CLIENTS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    if statuses != [200] * (CLIENTS * WARMUP_ROUNDS):
        raise RuntimeError(f"warm-up of /learner/matches failed: {sorted(set(statuses))}")


def _load(port: int, cookies: dict[str, str], path: str, threads: int, seconds: float) -> dict:
    """``threads`` clients request ``path`` in a loop for ``seconds``; counts and latencies."""
    done = [0] * threads
    errors = [0] * threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    start = threading.Barrier(threads + 1)
    deadline = [0.0]

    def worker(i: int) -> None:
        client = _Client(port, cookies)
        try:
            start.wait()
            for _ in range(MAX_REQUESTS_PER_THREAD):
                if time.perf_counter() >= deadline[0]:
                    break
                began = time.perf_counter()
                try:
                    status, _ = client.request("GET", path)
                except (OSError, http.client.HTTPException):
                    errors[i] += 1
                    client.close()
                    continue
                latencies[i].append((time.perf_counter() - began) * 1000)
                done[i] += 1
                if status != 200:
                    errors[i] += 1
        finally:
            client.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for t in pool:
        t.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - began
    merged = [x for part in latencies for x in part]
    return {
        "requests": sum(done),
        "errors": sum(errors),
        "rps": sum(done) / elapsed,
        "p50_ms": statistics.median(merged) if merged else float("nan"),
    }


def _workers_cpu_s(master: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn workers of ``master``."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that just exited
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def run() -> dict:
    """Build the data, start gunicorn, measure both endpoints; a flat dict of figures."""
    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.services.skills import sync_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "throughput.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        with app.app_context():
            db.create_all()
            sync_taxonomy()
            counts = build(db)
            db.session.remove()
            db.engine.dispose()

        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "MATCHHUB_ENV"}
        env.update(
            DATABASE_URL=f"sqlite:///{path}",
            SECRET_KEY="bench-throughput-secret-key-0123456789",  # noqa: S106 - scratch server
            RATELIMIT_STORAGE_URI="memory://",
        )
        log = Path(tmp) / "gunicorn.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    "2",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_healthy(port, server, log)
            cookies = _login(port)
            _warm_up(port, cookies)
            cpu_before = _workers_cpu_s(server.pid)
            trivial = _load(port, cookies, "/healthz", CLIENTS, DURATION_S)
            cpu_between = _workers_cpu_s(server.pid)
            matches = _load(port, cookies, "/learner/matches", CLIENTS, DURATION_S)
            cpu_after = _workers_cpu_s(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    trivial_cpu_ms = (cpu_between - cpu_before) * 1000 / max(trivial["requests"], 1)
    matches_cpu_ms = (cpu_after - cpu_between) * 1000 / max(matches["requests"], 1)
    return {
        "throughput_trivial_rps": round(trivial["rps"], 1),
        "throughput_matches_rps": round(matches["rps"], 1),
        "throughput_matches_ratio": round(matches["rps"] / trivial["rps"], 3),
        "throughput_errors": trivial["errors"] + matches["errors"],
        "throughput_matches_p50_ms": round(matches["p50_ms"], 1),
        # The workers' CPU per answered request: what the load of other programs on
        # the machine leaves alone (rps and their ratio follow it).
        "throughput_trivial_cpu_ms": round(trivial_cpu_ms, 2),
        "throughput_matches_cpu_ms": round(matches_cpu_ms, 2),
        "throughput_matches_cpu_ratio": round(trivial_cpu_ms / matches_cpu_ms, 3),
        "throughput_learner_skills": counts["learner_skills"],
    }


def _medians_ms(calls: dict, rounds: int = PART_ROUNDS) -> dict[str, float]:
    """Median ms (wall and CPU) of each of ``calls``, timed round-robin so that all of
    them see the same load from whatever else the machine runs."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()
    for _ in range(rounds):
        for name, call in calls.items():
            began, cpu_began = time.perf_counter(), time.thread_time()
            call()
            times[name].append((time.perf_counter() - began) * 1000)
            cpu[name].append((time.thread_time() - cpu_began) * 1000)
    # CPU time of the calling thread as well: unlike wall time, it does not grow when
    # other programs load the machine (SQLite runs in this thread too).
    return {
        **{f"{name}_ms": round(statistics.median(t), 2) for name, t in times.items()},
        **{f"{name}_cpu_ms": round(statistics.median(t), 2) for name, t in cpu.items()},
    }


def parts() -> dict:
    """Where one matches request goes: the steps of the view, timed one by one (ms).

    The data is built here; the timing runs in a fresh process, as a gunicorn worker
    starts fresh (the build's leftovers would slow this one's garbage collector).
    """
    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.services.skills import sync_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "parts.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        with app.app_context():
            db.create_all()
            sync_taxonomy()
            build(db)
            db.session.remove()
            db.engine.dispose()
        child = subprocess.run(
            [sys.executable, "-m", "bench.throughput", "--parts-of", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(child.stdout)


def _parts_of(path: str) -> dict:
    import sqlalchemy as sa
    from flask import template_rendered
    from flask_login import login_user

    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.i18n import current_lang
    from matchhub.learner.routes import PER_PAGE
    from matchhub.models import User
    from matchhub.services import learners, match_index, pair_scores, ranked_pages

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"email": LEARNER_EMAIL, "password": PASSWORD, "csrf_token": token}
    if client.post("/auth/login", data=form).status_code != 302:
        raise RuntimeError("could not log in")

    def get(url: str):
        def call():
            if client.get(url).status_code != 200:
                raise RuntimeError(f"{url} failed")

        return call

    with app.test_request_context("/learner/matches"):
        user = db.session.scalar(sa.select(User).where(User.email == LEARNER_EMAIL))
        login_user(user)
        learner = ranked_pages.learner_to_match(user)
        page = ranked_pages.matches_for(learner, per_page=PER_PAGE)
        results = [m.result for m in page.items]
        state = match_index._state()
        profile = pair_scores._indexed_or_fresh(pair_scores.learner_profile(learner), state)
        view = app.view_functions["learner.match_list"]
        captured = {}

        def capture(sender, template, context, **extra):
            captured.update(template=template, context=context)

        with template_rendered.connected_to(capture, app):
            view()
        db.session.remove()
    base = app.jinja_env.get_template("base.html")
    ctx = app.test_request_context("/learner/matches")
    ctx.push()
    login_user(user)
    try:
        out = _medians_ms(
            {
                "trivial": get("/healthz"),
                "empty_learner_page": get("/learner/applications"),
                "matches": get("/learner/matches"),
                "view": view,
                "user_by_session": lambda: db.session.get(User, user.id, populate_existing=True),
                "learner_of_user": lambda: learners.learner_of_user(user),
                "learner_to_match": lambda: ranked_pages.learner_to_match(user),
                "index_version_check": match_index._state,
                "rank_top_k": lambda: state.index.rank_orders(profile, k=PER_PAGE),
                "rank_full_sort_before": lambda: state.index.ranked_order_ids(profile),
                "matches_for": lambda: ranked_pages.matches_for(learner, per_page=PER_PAGE),
                "order_cards": lambda: ranked_pages._order_cards(
                    [m.order.id for m in page.items], learner.id
                ),
                "skill_names": lambda: pair_scores.skill_names(results, current_lang()),
                # The template alone, with the context the view gave it; then the
                # frame every page extends (navigation, language switch, footer).
                "template": lambda: captured["template"].render(captured["context"]),
                "base_template": lambda: base.render(captured["context"]),
            }
        )
        db.session.remove()
    finally:
        ctx.pop()
    with app.app_context():
        db.engine.dispose()
    return out


if __name__ == "__main__":
    if "--parts-of" in sys.argv:
        figures = _parts_of(sys.argv[sys.argv.index("--parts-of") + 1])
    else:
        figures = parts() if "--parts" in sys.argv else run()
    print(json.dumps(figures, indent=2, sort_keys=True))
