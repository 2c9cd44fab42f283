import json

import pytest

from matchhub.matching.taxonomy import (
    CATEGORIES,
    DEFAULT_PATH,
    Skill,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
)
from matchhub.matching.text import fold

COMMON_IDS = [
    "python", "java", "javascript", "typescript", "php", "c", "cpp", "csharp", "go", "sql",
    "mysql", "postgresql", "html", "css", "react", "angular", "vuejs", "nodejs", "spring-boot",
    "dotnet", "docker", "kubernetes", "aws", "git", "linux", "software-testing", "teamwork",
    "communication", "english", "problem-solving",
]


def test_shipped_taxonomy_loads_and_has_the_common_ids():
    tax = load_taxonomy()
    assert len(tax) >= 300
    for sid in COMMON_IDS:
        assert sid in tax, sid
    assert tax.get("cpp").name_en == "C++"
    assert tax.get("teamwork").name_vi == "Làm việc nhóm"


def test_load_taxonomy_is_cached_per_path():
    assert load_taxonomy() is load_taxonomy()
    assert load_taxonomy(DEFAULT_PATH) is load_taxonomy()


def test_every_shipped_skill_is_well_formed():
    tax = load_taxonomy()
    for skill in tax:
        assert isinstance(skill, Skill)
        assert skill.category in CATEGORIES
        assert skill.name_en and skill.name_vi
        assert skill.id.isascii() and skill.id == skill.id.lower()
        assert skill.esco_uri is None or skill.esco_uri.startswith("http://data.europa.eu/esco/")
        assert isinstance(skill.aliases, tuple)


def test_no_folded_label_belongs_to_two_skills():
    owner = {}
    for skill in load_taxonomy():
        for label in skill.labels():
            assert owner.setdefault(fold(label), skill.id) == skill.id, label


def test_vietnamese_names_are_present_for_transversal_skills():
    tax = load_taxonomy()
    for skill in tax:
        if skill.category == "transversal":
            assert not skill.name_vi.isascii(), skill.id


def test_shipped_file_carries_the_attribution():
    doc = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert "ESCO" in doc["attribution"] and "O*NET" in doc["attribution"]


def test_from_records_round_trip():
    records = [
        {"id": "python", "name_en": "Python", "category": "programming-language",
         "aliases": ["py", "python3"]},
        {"id": "teamwork", "name_en": "Teamwork", "name_vi": "Làm việc nhóm",
         "category": "transversal", "esco_uri": "http://data.europa.eu/esco/skill/x"},
    ]
    tax = Taxonomy.from_records(records)
    assert len(tax) == 2
    assert [s.id for s in tax] == ["python", "teamwork"]
    assert tax.get("python").name_vi == "Python"  # defaults to the English name
    assert tax.get("python").aliases == ("py", "python3")
    again = Taxonomy.from_records(tax.to_records())
    assert again.skills == tax.skills
    assert "python" in tax and "java" not in tax
    assert tax.get("java") is None


def test_taxonomy_is_immutable():
    tax = Taxonomy.from_records([{"id": "sql", "name_en": "SQL", "category": "database"}])
    with pytest.raises(AttributeError):
        tax.extra = 1
    with pytest.raises(AttributeError):
        tax.get("sql").name_en = "Other"


@pytest.mark.parametrize(
    "record",
    [
        {"id": "Bad Id", "name_en": "X", "category": "tool"},
        {"id": "x", "name_en": "X", "category": "not-a-category"},
        {"id": "x", "name_en": "X", "category": "tool", "aliases": "a; b"},
        {"name_en": "X", "category": "tool"},
    ],
)
def test_from_records_rejects_malformed_records(record):
    with pytest.raises(TaxonomyError):
        Taxonomy.from_records([record])


def test_duplicate_ids_are_rejected():
    rec = {"id": "x", "name_en": "X", "category": "tool"}
    with pytest.raises(TaxonomyError):
        Taxonomy.from_records([rec, rec])


def test_load_taxonomy_reads_a_plain_list(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": "git", "name_en": "Git", "category": "tool"}]))
    assert [s.id for s in load_taxonomy(path)] == ["git"]


def _build_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "build_taxonomy.py"
    spec = importlib.util.spec_from_file_location("build_taxonomy_for_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_json_is_in_sync_with_the_curated_source(tmp_path):
    build = _build_module()
    # no data directory: the build keeps no ESCO/O*NET references, all else is equal
    doc = build.build(tmp_path / "no-data")
    shipped = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["skills"]
    strip = [
        {k: v for k, v in s.items() if k not in ("esco_uri", "onet")} for s in shipped
    ]
    assert [{k: v for k, v in s.items() if k not in ("esco_uri", "onet")}
            for s in doc["skills"]] == strip


def test_curated_parser_rejects_bad_lines():
    build = _build_module()
    assert build.parse_curated("# comment\n\nx | tool | X | | a; b\n")[0]["aliases"] == ["a", "b"]
    with pytest.raises(SystemExit):
        build.parse_curated("x | tool | X\n")
    with pytest.raises(SystemExit):
        build.parse_curated("x | nope | X | | a\n")


def test_conflicting_aliases_are_reported():
    build = _build_module()
    records = build.parse_curated("a | tool | A | | Đồ họa\nb | tool | B | | do hoa\n")
    assert build.check_conflicts(records)
