"""What make scan asks of sqlmap and hands to wapiti (bench/scan/sqlmap_run.py, login.py):
built and checked without running either scanner."""

from __future__ import annotations

import http.cookiejar
import json

from bench.scan import login, sqlmap_run

ACCOUNTS = {
    "locality": "nd-thien-truong",
    "order_id": 151,
    "programme_id": 3,
    "tokens": {"admin": "mh_a", "enterprise": "mh_e", "college": "mh_c", "learner": "mh_l"},
}


def test_sqlmap_targets_test_text_parameters_only():
    targets = {t.name: t for t in sqlmap_run.targets(ACCOUNTS)}
    assert {"public-orders", "college-learners", "admin-users", "api-orders-open"} <= set(targets)
    for target in targets.values():
        assert target.tested, target.name
        assert not set(target.tested) & sqlmap_run.NUMERIC
    assert targets["college-learners"].tested == ["q"]  # programme, year, page: type=int
    assert targets["enterprise-candidates"].path == "/enterprise/orders/151/candidates"


def test_sqlmap_command_authenticates_and_stays_on_get(tmp_path):
    (tmp_path / "accounts.json").write_text(json.dumps(ACCOUNTS), encoding="utf-8")
    (tmp_path / "cookies-college.txt").write_text("session=abc\n", encoding="utf-8")
    targets = {t.name: t for t in sqlmap_run.targets(ACCOUNTS)}

    page = sqlmap_run.command("http://127.0.0.1:8790", targets["college-learners"], tmp_path, "UA")
    assert page[page.index("-u") + 1].startswith("http://127.0.0.1:8790/college/learners?q=")
    assert page[page.index("-p") + 1] == "q"
    assert "--cookie=session=abc" in page
    assert "--text-only" in page  # the CSRF token changes each page
    assert "--batch" in page and "--risk=2" in page
    assert not any(arg.startswith(("--data", "--method")) for arg in page)

    api = sqlmap_run.command("http://127.0.0.1:8790", targets["api-skill-gaps"], tmp_path, "UA")
    assert "--headers=Authorization: Bearer mh_a" in api
    assert "--text-only" not in api


def test_wapiti_cookie_file_has_the_shape_wapiti_reads():
    jar = http.cookiejar.CookieJar()
    jar.set_cookie(
        http.cookiejar.Cookie(
            0,
            "session",
            "s1",
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            True,
            None,
            None,
            {},
        )
    )
    assert login.wapiti_cookies(jar) == {
        "127.0.0.1": {
            "/": {
                "session": {
                    "value": "s1",
                    "expires": None,
                    "secure": False,
                    "port": None,
                    "version": 0,
                }
            }
        }
    }
    assert login.cookie_header(jar) == "session=s1"
