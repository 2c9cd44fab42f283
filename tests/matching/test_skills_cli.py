import json

import pytest
from flask import Flask

from matchhub.commands.skills import skills_cli


@pytest.fixture(scope="module")
def runner():
    app = Flask("t")
    app.cli.add_command(skills_cli)
    return app.test_cli_runner()


def test_normalize_reads_stdin_and_writes_json_lines(runner):
    result = runner.invoke(args=["skills", "normalize", "-"], input="Lập trình PHP\nxyzzy\n\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert lines[0] == {
        "term": "Lập trình PHP",
        "skill_id": "php",
        "name_en": "PHP",
        "name_vi": "PHP",
        "score": 0.95,
    }
    assert lines[1]["skill_id"] is None and lines[1]["name_en"] is None
    assert len(lines) == 2
    assert "Lập trình" in result.output  # ensure_ascii=False


def test_normalize_reads_a_file(runner, tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("làm việc nhóm\nC#\n", encoding="utf-8")
    result = runner.invoke(args=["skills", "normalize", str(path)])
    assert result.exit_code == 0
    ids = [json.loads(x)["skill_id"] for x in result.output.splitlines()]
    assert ids == ["teamwork", "csharp"]


def test_extract_writes_spans_and_reports_bad_lines(runner, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": 1, "text": "Java và Spring Boot"}, ensure_ascii=False),
                "{not json",
                json.dumps({"text": "no id"}),
                json.dumps({"id": "b", "text": 5}),
                json.dumps({"id": "c", "text": ""}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["skills", "extract", str(path)])
    assert result.exit_code == 0
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert out[0] == {
        "id": 1,
        "skills": [
            {"skill_id": "java", "name_en": "Java", "start": 0, "end": 4},
            {"skill_id": "spring-boot", "name_en": "Spring Boot", "start": 8, "end": 19},
        ],
    }
    assert out[1] == {"id": "c", "skills": []}
    assert len(out) == 2
    for lineno in (2, 3, 4):
        assert f"line {lineno}:" in result.stderr


def test_extract_streams_many_lines(runner):
    lines = "".join(json.dumps({"id": i, "text": "Python, SQL"}) + "\n" for i in range(2000))
    result = runner.invoke(args=["skills", "extract", "-"], input=lines)
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert len(out) == 2000
    assert json.loads(out[-1])["id"] == 1999


def test_normalize_accepts_a_file_with_a_byte_order_mark(runner, tmp_path):
    path = tmp_path / "excel-export.txt"
    path.write_bytes("\ufeffTiếng Anh\n".encode())
    result = runner.invoke(args=["skills", "normalize", str(path)])
    assert json.loads(result.output)["skill_id"] == "english"


def test_the_web_engine_relates_only_skills_the_database_still_has(app):
    """``taxonomy_cache.related()`` is the shipped relation, symmetric, limited to unmerged skills,
    and rebuilt when the taxonomy in the database changes."""
    import sqlalchemy as sa

    from matchhub.extensions import db
    from matchhub.models import Skill
    from matchhub.services import taxonomy_cache

    with app.test_request_context():
        related = taxonomy_cache.related()
        assert "windows-server" in related["windows"]
        assert "windows" in related["windows-server"]
        assert "sql" in related["mysql"] and "mysql" in related["sql"]
        assert taxonomy_cache.related() is related  # cached while the taxonomy is unchanged
        macos = db.session.scalar(sa.select(Skill).where(Skill.slug == "macos"))
        windows = db.session.scalar(sa.select(Skill).where(Skill.slug == "windows"))
        try:
            # an administrator merges macOS into Windows: nothing may relate to macOS
            macos.merged_into_id = windows.id
            db.session.add(Skill(slug="zz-new", name_en="ZZ", name_vi="ZZ", category="tool"))
            db.session.commit()
            rebuilt = taxonomy_cache.related()
            assert "macos" not in rebuilt
            assert all("macos" not in targets for targets in rebuilt.values())
            assert "windows-server" in rebuilt["windows"]
        finally:
            db.session.execute(sa.delete(Skill).where(Skill.slug == "zz-new"))
            macos.merged_into_id = None
            db.session.commit()
