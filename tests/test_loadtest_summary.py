"""The load test's JSON summary of locust's CSV statistics (bench/loadtest/summary.py)."""

import csv
import io

from bench.loadtest.summary import page_of, read_csv, server_times, summarise

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def _rows(*lines: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("\n".join((HEADER, *lines)))))


STATS = _rows(
    "GET,learner: matches,120,0,40,45.2,8,310.5,20000,2.0,0.0,"
    "40,45,50,55,90,120,200,250,300,310,310",
    "GET,college: demand,30,1,150,170,90,900.2,30000,0.5,0.02,"
    "150,160,170,180,250,320,600,900,900,900,900",
    "GET,healthz,110,0,3,3.5,1,40,40,1.83,0.0,3,3,4,4,6,9,20,30,40,40,40",
    "GET,enterprise: candidate,0,0,0,0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A",
    ",Aggregated,260,1,30,60,1,900.2,22000,4.33,0.02,30,40,45,50,120,160,300,600,900,900,900",
)


def test_figures_per_page_named_by_page_with_totals_and_health_apart():
    out = summarise(STATS)
    assert set(out["pages"]) == {"learner: matches", "college: demand", "enterprise: candidate"}
    assert out["pages"]["learner: matches"] == {
        "requests": 120,
        "errors": 0,
        "rps": 2.0,
        "p50_ms": 40.0,
        "p95_ms": 120.0,
        "p99_ms": 250.0,
        "max_ms": 310.5,
    }
    assert out["pages"]["enterprise: candidate"]["p95_ms"] is None  # "N/A": no request
    assert out["healthz"]["p95_ms"] == 9.0
    assert out["total"]["requests"] == 260
    assert out["total"]["errors"] == 1
    assert out["total"]["rps"] == 4.33


def test_targets_name_the_slow_pages_and_the_errors():
    failures = list(
        csv.DictReader(
            io.StringIO(
                "Method,Name,Error,Occurrences,First Seen,Last Seen\n"
                "GET,college: demand,HTTP 500,1,2026-12-03T08:00:00Z,2026-12-03T08:00:00Z\n"
            )
        )
    )
    targets = summarise(STATS, failures)
    assert targets["failures"] == [
        {"page": "college: demand", "method": "GET", "error": "HTTP 500", "count": 1}
    ]
    verdict = targets["targets"]
    assert verdict["errors"] == 1
    assert verdict["pages_over_limit"] == ["college: demand"]
    assert verdict["worst_page"] == "college: demand"
    assert verdict["worst_page_p95_ms"] == 320.0
    assert verdict["healthz_ok"] is True
    assert verdict["met"] is False


def test_targets_met_without_errors_and_within_the_limits():
    fast = [row for row in STATS if row["Name"] != "college: demand"]
    fast[-1] = {**fast[-1], "Failure Count": "0"}
    assert summarise(fast)["targets"]["met"] is True
    assert summarise(fast, health_p95_limit_ms=5)["targets"]["met"] is False
    assert summarise([])["targets"]["met"] is False  # no request at all proves nothing


def test_a_missing_csv_reads_as_no_rows(tmp_path):
    assert read_csv(tmp_path / "absent.csv") == []
    path = tmp_path / "stats.csv"
    path.write_text(HEADER + "\n" + ",Aggregated,1,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n")
    assert read_csv(path)[0]["Name"] == "Aggregated"


def test_requests_are_named_by_page_as_the_locustfile_names_them():
    assert page_of("GET", "/learner/orders/12") == "learner: opening"
    assert page_of("GET", "/enterprise/orders/3/candidates") == "enterprise: candidates"
    assert page_of("GET", "/enterprise/orders/3/candidates/44") == "enterprise: candidate"
    assert page_of("GET", "/auth/login") == "login form"
    assert page_of("POST", "/auth/login") == "login"
    assert page_of("GET", "/college/programmes/5/gaps") == "college: programme gaps"
    assert page_of("GET", "/learner/orders/12/apply") is None
    assert page_of("POST", "/learner/matches") is None


def test_server_times_per_page_from_the_access_log():
    lines = [
        "[2026-12-03 08:00:00 +0000] [12] [INFO] Booting worker with pid: 12\n",
        *(f"loadtest GET /learner/orders/{n} 200 {n * 1000}\n" for n in range(1, 21)),
        "loadtest GET /healthz 200 1500\n",
        "loadtest GET /static/app.css 200 900\n",
    ]
    assert server_times(lines) == {
        "healthz": {"requests": 1, "p50_ms": 1.5, "p95_ms": 1.5},
        "learner: opening": {"requests": 20, "p50_ms": 10.0, "p95_ms": 19.0},
    }
    assert server_times([]) == {}
