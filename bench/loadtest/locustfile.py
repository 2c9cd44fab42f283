"""What the load test's users do (run by ``bench.loadtest.run``; not imported by the app).

Each simulated user logs in through the real login form (CSRF token read from the page)
with an account of its own, listed in the JSON file named by ``LOADTEST_ACCOUNTS`` (made
by ``bench.loadtest.province``): logging out ends every session of an account, so two
users sharing one would log each other out. Between two tasks a user thinks 1-3 s.

- learners: their matches (page 1, sometimes page 2 or everything), then an opening;
- enterprises: their order list, an order's candidates, then a candidate;
- colleges: the demand report, the curriculum gaps, then one programme's gaps;
- every role, now and then: log out and log in again (the "login" pages);
- one light user polls ``/healthz`` every 0.5 s while the pages are loaded.

Requests are named by page ("learner: matches"), not by URL, so ids do not split the
figures. A page that answers with the login form (the session was lost) is an error.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading

from locust import HttpUser, between, constant, events, task

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_lock = threading.Lock()
_next: dict[str, int] = {}


def _accounts() -> dict:
    path = os.environ.get("LOADTEST_ACCOUNTS")
    if not path:
        raise RuntimeError("LOADTEST_ACCOUNTS names no file (run bench.loadtest.run)")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


ACCOUNTS = _accounts()
PASSWORD = ACCOUNTS["password"]


def _take(role: str) -> str:
    """The next unused account of ``role`` (each simulated user gets its own)."""
    with _lock:
        n = _next.get(role, 0)
        _next[role] = n + 1
    pool = ACCOUNTS["accounts"][role]
    if n >= len(pool):
        raise RuntimeError(f"more {role} users than {role} accounts ({len(pool)})")
    return pool[n]


@events.spawning_complete.add_listener
def _spawned(user_count: int, **_) -> None:
    """Tell bench.loadtest.run that the measured part begins (locust resets its stats)."""
    marker = os.environ.get("LOADTEST_SPAWNED")
    if marker:
        with open(marker, "w", encoding="utf-8") as f:
            f.write(str(user_count))


class _Member(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = _take(self.role)
        self.login()

    def page(self, url: str, name: str) -> str:
        """GET a page of the signed-in area; an error unless it answers 200 with that page."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                # 0: no answer at all (connection refused or reset); say why
                why = f" {response.error!r}" if not response.status_code else ""
                response.failure(f"HTTP {response.status_code}{why}")
                return ""
            if "/auth/login" in response.url:
                response.failure("answered with the login form: the session was lost")
                return ""
            response.success()
            return response.text

    def login(self) -> None:
        with self.client.get("/auth/login", name="login form", catch_response=True) as r:
            match = CSRF.search(r.text) if r.status_code == 200 else None
            if match is None:
                r.failure(f"no login form (HTTP {r.status_code})")
                return
            r.success()
        form = {"email": self.email, "password": PASSWORD, "csrf_token": match.group(1)}
        with self.client.post(
            "/auth/login", data=form, name="login", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302 or "/auth/login" in r.headers.get("Location", ""):
                r.failure(f"login refused (HTTP {r.status_code})")
            else:
                r.success()

    @task(1)
    def log_out_and_in(self) -> None:
        text = self.page(self.home, f"{self.role}: home")
        match = CSRF.search(text)
        if match is None:
            return
        with self.client.post(
            "/auth/logout",
            data={"csrf_token": match.group(1)},
            name="logout",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"logout failed (HTTP {r.status_code})")
            else:
                r.success()
        self.login()


class Learner(_Member):
    weight = 10
    role = "learner"
    home = "/learner/"

    @task(8)
    def browse_matches(self) -> None:
        url = random.choice(
            ["/learner/matches"] * 6 + ["/learner/matches?page=2", "/learner/matches?tier=all"]
        )
        text = self.page(url, "learner: matches")
        ids = re.findall(r'href="/learner/orders/(\d+)"', text)
        if not ids:
            text = self.page("/learner/openings", "learner: openings")
            ids = re.findall(r'href="/learner/orders/(\d+)"', text)
        if ids:
            self.page(f"/learner/orders/{random.choice(ids)}", "learner: opening")


class Enterprise(_Member):
    weight = 6
    role = "enterprise"
    home = "/enterprise/"

    def on_start(self) -> None:
        self.orders: list[str] = []
        super().on_start()

    @task(8)
    def open_candidates(self) -> None:
        if not self.orders:
            text = self.page("/enterprise/orders", "enterprise: orders")
            self.orders = sorted(set(re.findall(r'href="/enterprise/orders/(\d+)"', text)))
            if not self.orders:
                return
        order = random.choice(self.orders)
        text = self.page(f"/enterprise/orders/{order}/candidates", "enterprise: candidates")
        ids = re.findall(rf'href="/enterprise/orders/{order}/candidates/(\d+)"', text)
        if ids:
            self.page(
                f"/enterprise/orders/{order}/candidates/{random.choice(ids)}",
                "enterprise: candidate",
            )


class College(_Member):
    weight = 4
    role = "college"
    home = "/college/"

    @task(3)
    def demand(self) -> None:
        self.page("/college/demand", "college: demand")

    @task(5)
    def gaps(self) -> None:
        text = self.page("/college/gaps", "college: gaps")
        ids = re.findall(r'href="/college/programmes/(\d+)/gaps"', text)
        if ids:
            self.page(f"/college/programmes/{random.choice(ids)}/gaps", "college: programme gaps")


class Health(HttpUser):
    """The probe a load balancer would send, measured while the pages are loaded."""

    fixed_count = 1
    wait_time = constant(0.5)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")
