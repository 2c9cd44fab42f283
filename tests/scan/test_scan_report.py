"""The converter from wapiti's and sqlmap's output to docs/security.md (bench/scan/report.py).

Runs on the small hand-written reports in fixtures/run: no scanner is needed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.scan import report

RUN = Path(__file__).parent / "fixtures" / "run"


def _by_category(findings):
    return {(f.tool, f.category): f for f in findings}


def test_wapiti_findings_are_grouped_rated_and_judged():
    import json

    findings = _by_category(
        report.wapiti_findings(json.loads((RUN / "wapiti.json").read_text(encoding="utf-8")))
    )
    assert set(findings) == {("wapiti", "Secure Flag cookie"), ("wapiti", "Cross Site Scripting")}

    cookie = findings["wapiti", "Secure Flag cookie"]
    # The same remark on two pages is one finding seen twice.
    assert cookie.count == 2
    assert cookie.requests == ["GET /", "GET /orders"]
    assert cookie.severity == "low"
    assert cookie.verdict == "false positive"
    assert "SESSION_COOKIE_SECURE" in cookie.explanation

    xss = findings["wapiti", "Cross Site Scripting"]
    assert xss.severity == "high"  # wapiti's level "3", given as a string
    assert xss.parameter == "title"
    assert xss.verdict == "not yet explained"
    assert xss.open and xss.above_low


def test_severity_of_any_level():
    assert [report.severity_of(x) for x in (0, "1", 2, "3", 4, 9, None)] == [
        "info",
        "low",
        "medium",
        "high",
        "critical",
        "critical",
        "info",
    ]


def test_sqlmap_logs_give_each_parameter_an_outcome():
    index, targets = report.sqlmap_targets(RUN / "sqlmap")
    assert index["level"] == 2 and index["risk"] == 2
    orders, skills = targets

    assert orders.verdicts == {
        "kind": "not injectable",
        "locality": "INJECTABLE (PostgreSQL AND boolean-based blind - WHERE or HAVING clause "
        "(CAST))",
        "page": "not injectable",
    }
    # The codes follow on the line after sqlmap's "HTTP error codes detected during run:".
    assert orders.http_errors == {"500 (Internal Server Error)": 3, "400 (Bad Request)": 12}
    assert orders.xss_hints == ["locality"]

    # Cut by the time cap: what sqlmap did not finish is said, not counted as clean.
    assert skills.timed_out
    assert skills.verdicts == {"q": "not injectable", "limit": "not reached (time cap)"}

    findings = report.sqlmap_findings(targets)
    kinds = sorted((f.category, f.severity, f.parameter) for f in findings)
    assert kinds == [
        ("Cross Site Scripting", "low", "locality"),
        ("SQL Injection", "high", "locality"),
    ]
    assert all(f.requests == ["GET /orders"] for f in findings)


def test_access_log_counts_requests_and_server_errors():
    lines = (RUN / "access.log").read_text(encoding="utf-8").splitlines()
    stats = report.access_stats(lines)
    assert stats.total == 4  # the line that is not a request is skipped
    assert stats.by_status == {"200": 2, "500": 1, "400": 1}
    assert stats.by_agent["MatchHub-scan-sqlmap"] == 2
    assert dict(stats.server_errors) == {"GET /orders → 500": 1}
    (crash,) = report.server_error_findings(stats)
    assert crash.severity == "medium" and crash.verdict == "not yet explained"


def test_build_writes_the_run_the_findings_and_the_verdict():
    section = report.build(RUN)
    assert section.startswith("## Scan\n")
    assert "**Target not met: 3 finding(s) above low" in section
    assert "| date | 2026-12-03 08:00 UTC |" in section
    assert "4 answered by the app (200: 2, 400: 1, 500: 1)" in section
    assert "Wapiti 3.0.4, scope `domain`" in section
    assert "- SESSION_COOKIE_SECURE=false over plain HTTP." in section
    # Worst first.
    assert section.index("| high | sqlmap | SQL Injection") < section.index("| low | wapiti")
    assert "`limit`: not reached (time cap)" in section
    assert "| wapiti crawl | 3 pages and forms (crawl stopped by its time cap) |" in section
    assert (
        "| wapiti modules | sql, xss (time cap), file (stopped by the deadline), "
        "blindsql (not run: deadline) |" in section
    )
    assert "| `/api/v1/skills` | token:learner |" in section


def test_a_clean_run_meets_the_target(tmp_path):
    shutil.copytree(RUN, tmp_path / "run")
    run = tmp_path / "run"
    (run / "wapiti.json").write_text(
        '{"vulnerabilities": {"Secure Flag cookie": [{"method": "GET", "path": "/", '
        '"info": "Secure flag is not set in the cookie : session", "level": 1}]}, "infos": {}}',
        encoding="utf-8",
    )
    shutil.rmtree(run / "sqlmap")
    (run / "access.log").write_text("", encoding="utf-8")
    section = report.build(run)
    assert "**Target met: nothing above low that is real.**" in section
    assert "false positive" in section


def test_replace_section_keeps_the_rest_of_the_document():
    new = "## Scan\n\nnew findings\n"
    assert report.replace_section(None, new) == "# Security\n\n## Scan\n\nnew findings\n"

    without = "# Security\n\n## Faults\n\nkept\n"
    assert report.replace_section(without, new) == without + "\n" + new

    with_old = (
        "# Security\n\nIntro.\n\n## Scan\n\nold findings\n\n### Run\n\nold run\n\n"
        "## Accessibility\n\nkept too\n"
    )
    assert report.replace_section(with_old, new) == (
        "# Security\n\nIntro.\n\n## Scan\n\nnew findings\n\n## Accessibility\n\nkept too\n"
    )


def test_main_updates_the_document(tmp_path, capsys):
    doc = tmp_path / "security.md"
    doc.write_text("# Security\n\n## Review\n\nby hand\n", encoding="utf-8")
    report.main(["report", str(RUN), str(doc)])
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Security\n\n## Review\n\nby hand\n\n## Scan\n")
    assert "Scan section written" in capsys.readouterr().out
