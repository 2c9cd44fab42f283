"""``flask match rank`` on small JSON-lines files."""

import json

import pytest
from click.testing import CliRunner
from flask import Flask

from matchhub.commands.match import match_cli


@pytest.fixture
def run(tmp_path):
    app = Flask("t")
    app.cli.add_command(match_cli)

    def invoke(orders, learners, *args):
        o = tmp_path / "orders.jsonl"
        lr = tmp_path / "learners.jsonl"
        o.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in orders), "utf-8")
        lr.write_text(
            "\n".join(x if isinstance(x, str) else json.dumps(x) for x in learners), "utf-8"
        )
        runner = CliRunner()
        result = runner.invoke(
            app.cli, ["match", "rank", "--orders", str(o), "--learners", str(lr), *args]
        )
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        return result, lines

    return invoke


ORDERS = [
    {
        "id": "web",
        "title": "Lập trình viên Python",
        "description": "Phát triển web với Django",
        "required": ["python:4", "sql"],
        "nice": ["git"],
        "locality": "Nam Định",
    },
    {"id": "data", "title": "Data analyst", "required": ["excel", "sql:2"], "locality": "Hà Nội"},
]
LEARNERS = [
    {
        "id": 1,
        "text": "Python developer",
        "skills": ["Python:4", "SQL", "git"],
        "locality": "Nam Định",
    },
    {
        "id": 2,
        "text": "Tôi biết Excel và SQL",
        "skills": ["excel:3", "sql:2"],
        "locality": "Hà Nội",
    },
]


def test_rank_for_learners_by_default(run):
    result, lines = run(ORDERS, LEARNERS, "--k", "2")
    assert result.exit_code == 0, result.output
    assert [line["learner_id"] for line in lines] == [1, 2]
    first = lines[0]["results"]
    assert [r["order_id"] for r in first] == ["web", "data"]
    assert first[0]["qualifies"] is True
    assert {m["skill_id"] for m in first[0]["matched"]} == {"python", "sql"}
    assert first[0]["missing"] == []
    assert 0 <= first[1]["score"] <= first[0]["score"] <= 1
    data = lines[1]["results"][0]
    assert data["order_id"] == "data" and data["qualifies"] is True


def test_rank_for_orders(run):
    result, lines = run(ORDERS, LEARNERS, "--for", "orders", "--k", "1")
    assert result.exit_code == 0, result.output
    assert [(line["order_id"], [r["learner_id"] for r in line["results"]]) for line in lines] == [
        ("web", [1]),
        ("data", [2]),
    ]
    missing = {m["skill_id"]: m for m in lines[0]["results"][0]["missing"]}
    assert missing == {}


def test_levels_show_partial_matches(run):
    learners = [{"id": "a", "text": "", "skills": ["python:2", "sql"]}]
    result, lines = run(ORDERS[:1], learners)
    assert result.exit_code == 0, result.output
    matched = {m["skill_id"]: m for m in lines[0]["results"][0]["matched"]}
    assert matched["python"] == {"skill_id": "python", "required_level": 4, "learner_level": 2}
    assert lines[0]["results"][0]["qualifies"] is False


def test_skills_are_extracted_from_text_when_absent(run):
    learners = [
        {"id": "t", "text": "Thành thạo Python và SQL, dùng Git hằng ngày", "locality": "Nam Định"}
    ]
    result, lines = run(ORDERS[:1], learners)
    assert result.exit_code == 0, result.output
    held = {m["skill_id"] for m in lines[0]["results"][0]["matched"]}
    assert {"python", "sql"} <= held


def test_bad_lines_are_reported_and_skipped(run):
    learners = [
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"id": 5, "skills": ["python:9"]}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": 6, "skills": "python"}),
        *map(json.dumps, LEARNERS),
        json.dumps(LEARNERS[0]),
    ]
    orders = [*map(json.dumps, ORDERS), json.dumps({"id": "x", "kind": "gig"}), ""]
    result, lines = run(orders, learners)
    assert result.exit_code == 0, result.output
    assert [line["learner_id"] for line in lines] == [1, 2]
    err = result.stderr
    for lineno in (1, 2, 3, 4, 5, 8):
        assert f"learners.jsonl:{lineno}: skipped" in err
    assert "orders.jsonl:3: skipped" in err
    assert "duplicate id 1" in err


def test_unknown_terms_are_left_out_and_counted(run):
    learners = [{"id": 1, "text": "", "skills": ["python", "qwzxv-unheard-of"]}]
    result, lines = run(ORDERS[:1], learners)
    assert result.exit_code == 0, result.output
    assert "1 skill terms matched no skill" in result.stderr
    assert len(lines) == 1


def test_an_order_without_required_skills_takes_them_from_its_text(run):
    orders = [
        {"id": "py", "title": "Lập trình viên Python", "description": "Phát triển web với Django"},
        {"id": "java", "title": "Java developer", "required": []},
    ]
    learners = [{"id": 1, "text": "", "skills": ["python", "django", "phát triển web"]}]
    result, lines = run(orders, learners)
    assert result.exit_code == 0, result.output
    best = lines[0]["results"][0]
    assert best["order_id"] == "py" and best["qualifies"] is True
    assert {m["skill_id"] for m in best["matched"]} == {"python", "django", "web-development"}
    assert best["missing"] == []
    other = lines[0]["results"][1]
    assert other["order_id"] == "java" and other["qualifies"] is False
    assert [m["skill_id"] for m in other["missing"]] == ["java"]
    assert "2 orders had no recognised required skill" in result.stderr


def test_an_order_with_only_unknown_required_terms_reads_its_text(run):
    orders = [{"id": "x", "title": "Java developer", "required": ["qwzxv-unheard-of"]}]
    learners = [{"id": 1, "text": "", "skills": ["python"]}]
    result, lines = run(orders, learners)
    assert result.exit_code == 0, result.output
    assert [m["skill_id"] for m in lines[0]["results"][0]["missing"]] == ["java"]


def test_a_nice_skill_stays_nice_when_required_comes_from_text(run):
    orders = [{"id": "x", "title": "Java developer, biết Git là lợi thế", "nice": ["git"]}]
    learners = [{"id": 1, "text": "", "skills": ["git"]}]
    result, lines = run(orders, learners)
    assert result.exit_code == 0, result.output
    res = lines[0]["results"][0]
    assert [m["skill_id"] for m in res["missing"]] == ["java"]
    assert res["matched"] == []


def test_results_come_by_tier_then_score(run):
    order = {
        "id": "o",
        "title": "Python developer",
        "description": "Python, Django, REST API, SQL, Git; web backend",
        "required": ["python:4", "django", "rest api", "sql", "git"],
        "locality": "Nam Định",
    }
    learners = [
        # the best text and place, every skill but Git: a required skill is missing
        {
            "id": "c",
            "text": "Python developer: Python, Django, REST API, SQL; web backend",
            "skills": ["python:5", "django:5", "rest api:5", "sql:5"],
            "locality": "Nam Định",
        },
        # every skill held, Python one level short
        {
            "id": "b",
            "text": "",
            "skills": ["python:3", "django", "rest api", "sql", "git"],
            "locality": "Huế",
        },
        # every skill at the level asked, with nothing else going for it
        {
            "id": "a",
            "text": "",
            "skills": ["python:4", "django", "rest api", "sql", "git"],
            "locality": "Huế",
        },
    ]
    result, lines = run([order], learners, "--for", "orders")
    assert result.exit_code == 0, result.output
    res = lines[0]["results"]
    assert [(r["learner_id"], r["tier"], r["qualifies"]) for r in res] == [
        ("a", "meets", True),
        ("b", "near", True),
        ("c", "missing", False),
    ]
    assert res[2]["score"] > res[0]["score"]
    assert [m["skill_id"] for m in res[2]["missing"]] == ["git"]
    assert all(r["related"] == [] and r["unknown"] == [] for r in res)


def test_an_unknown_required_term_is_reported_and_missing_for_everyone(run):
    orders = [{"id": "x", "title": "Dev", "required": ["python", "qwzxv-unheard-of:4"]}]
    learners = [{"id": 1, "text": "", "skills": ["python:5"]}]
    result, lines = run(orders, learners)
    assert result.exit_code == 0, result.output
    res = lines[0]["results"][0]
    assert res["unknown"] == ["qwzxv-unheard-of"]
    assert res["tier"] == "missing" and res["qualifies"] is False
    assert [m["skill_id"] for m in res["matched"]] == ["python"]
    assert "1 skill terms matched no skill" in result.stderr


def test_an_order_naming_no_skill_qualifies_nobody_and_ranks_below(run):
    orders = [
        {"id": "empty", "title": "Cần người", "description": "Làm ca sáng"},
        {"id": "java", "title": "Backend", "required": ["java"]},
    ]
    learners = [
        {"id": 1, "text": "", "skills": ["java"]},
        {"id": 2, "text": "Cần người làm ca sáng", "skills": []},
    ]
    result, lines = run(orders, learners)
    assert result.exit_code == 0, result.output
    first, second = lines
    assert [(r["order_id"], r["tier"]) for r in first["results"]] == [
        ("java", "meets"),
        ("empty", "missing"),
    ]
    assert all(not r["qualifies"] for r in second["results"])
    assert "1 of them name none and qualify nobody" in result.stderr


def test_skills_named_in_the_title_count_more(run):
    orders = [{"id": "o", "title": "Java developer", "description": "Dùng Git hằng ngày"}]
    learners = [
        {"id": "g", "text": "", "skills": ["git"]},
        {"id": "j", "text": "", "skills": ["java"]},
    ]
    result, lines = run(orders, learners, "--for", "orders")
    assert result.exit_code == 0, result.output
    res = lines[0]["results"]
    assert [r["learner_id"] for r in res] == ["j", "g"]
    assert res[0]["score"] > res[1]["score"]
    assert {m["skill_id"] for r in res for m in r["missing"]} == {"java", "git"}


def test_a_related_skill_earns_credit_but_stays_missing(run):
    orders = [{"id": "db", "title": "Backend", "required": ["mysql"]}]
    learners = [
        {"id": "p", "text": "", "skills": ["postgresql"]},
        {"id": "x", "text": "", "skills": ["photoshop"]},
    ]
    result, lines = run(orders, learners, "--for", "orders")
    assert result.exit_code == 0, result.output
    by_id = {r["learner_id"]: r for r in lines[0]["results"]}
    pg = by_id["p"]
    assert pg["tier"] == "missing" and pg["qualifies"] is False
    assert [m["skill_id"] for m in pg["missing"]] == ["mysql"]
    assert pg["related"] == [
        {"skill_id": "mysql", "required_level": 3, "learner_level": 3, "via": "postgresql"}
    ]
    assert by_id["x"]["related"] == []
    assert pg["score"] > by_id["x"]["score"]


def test_a_structural_tool_earns_related_credit_for_its_alternative(run):
    """SAP2000 ~ STAAD.Pro (two structural analysis packages): partial credit,
    named as the related skill, the required one still missing."""
    orders = [{"id": "kc", "title": "Kỹ sư kết cấu", "required": ["staad-pro"]}]
    learners = [
        {"id": "s", "text": "", "skills": ["sap2000"]},
        {"id": "x", "text": "", "skills": ["photoshop"]},
    ]
    result, lines = run(orders, learners, "--for", "orders")
    assert result.exit_code == 0, result.output
    by_id = {r["learner_id"]: r for r in lines[0]["results"]}
    assert by_id["s"]["tier"] == "missing"
    assert [m["skill_id"] for m in by_id["s"]["missing"]] == ["staad-pro"]
    assert [(m["skill_id"], m["via"]) for m in by_id["s"]["related"]] == [("staad-pro", "sap2000")]
    assert by_id["s"]["score"] > by_id["x"]["score"]
