import json

import pytest

from matchhub.matching.taxonomy import (
    CATEGORIES,
    DEFAULT_PATH,
    Skill,
    Taxonomy,
    TaxonomyError,
    expand_skills,
    load_taxonomy,
)
from matchhub.matching.text import fold

COMMON_IDS = [
    "python",
    "java",
    "javascript",
    "typescript",
    "php",
    "c",
    "cpp",
    "csharp",
    "go",
    "sql",
    "mysql",
    "postgresql",
    "html",
    "css",
    "react",
    "angular",
    "vuejs",
    "nodejs",
    "spring-boot",
    "dotnet",
    "docker",
    "kubernetes",
    "aws",
    "git",
    "linux",
    "software-testing",
    "teamwork",
    "communication",
    "english",
    "problem-solving",
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
        {
            "id": "python",
            "name_en": "Python",
            "category": "programming-language",
            "aliases": ["py", "python3"],
        },
        {
            "id": "teamwork",
            "name_en": "Teamwork",
            "name_vi": "Làm việc nhóm",
            "category": "transversal",
            "esco_uri": "http://data.europa.eu/esco/skill/x",
        },
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
    strip = [{k: v for k, v in s.items() if k not in ("esco_uri", "onet")} for s in shipped]
    assert [
        {k: v for k, v in s.items() if k not in ("esco_uri", "onet")} for s in doc["skills"]
    ] == strip


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


def _import_fixture(root):
    tax = root / "taxonomy"
    tax.mkdir(parents=True)
    header = "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand\n"
    rows = [
        ("Adobe Photoshop", "Graphics or photo imaging software", "Y"),
        ("Adobe Acrobat", "Document management software", "Y"),
        ("Adobe Lightroom", "Graphics or photo imaging software", "N"),
        ("Oracle Java", "Object or component oriented development software", "Y"),
        ("Flowcharting software", "Project management software", "Y"),
        ("Alteryx software", "Business intelligence and data analysis software", "Y"),
        ("Slack", "Electronic mail software", "Y"),
        ("Obscure Tool", "Analytical or scientific software", "N"),
    ]
    (tax / "onet_technology_skills.tsv").write_text(
        header + "".join(f"11-1011.00\t{e}\t1\t{t}\t{h}\tN\n" for e, t, h in rows),
        encoding="utf-8",
    )
    (tax / "onet_occupation_data.tsv").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n"
        "11-1011.00\tChief\tuse flowcharting and analysis software to plan the tool work.\n",
        encoding="utf-8",
    )
    (tax / "esco_ict_skills.json").write_text(
        json.dumps(
            [
                {
                    "uri": "http://data.europa.eu/esco/skill/1",
                    "label": "KDevelop",
                    "altLabel": ["KDevelop platform", "KD"],
                    "skillType": "knowledge",
                },
                {
                    "uri": "http://data.europa.eu/esco/skill/2",
                    "label": "develop terminology databases",
                    "altLabel": [],
                    "skillType": "skill/competence",
                },
            ]
        ),
        encoding="utf-8",
    )


def test_import_adds_named_products_the_curated_list_lacks(tmp_path):
    build = _build_module()
    _import_fixture(tmp_path)
    curated = build.parse_curated(
        "photoshop | design | Adobe Photoshop | | photoshop\n"
        "java | programming-language | Java | | core java\n"
    )
    got = build.import_records(curated, tmp_path)
    by_name = {r["name_en"]: r for r in got}
    # a curated skill's variant (by name or by one of its words) is not imported
    assert "Adobe Photoshop" not in by_name and "Oracle Java" not in by_name
    # kinds of software, everyday words, and examples nobody flags are not imported
    assert "Flowcharting software" not in by_name
    assert "Slack" not in by_name and "Obscure Tool" not in by_name
    assert "Adobe Lightroom" not in by_name  # neither Hot Technology nor In Demand
    # the vendor and the word "software" are dropped for an alias
    assert by_name["Adobe Acrobat"]["aliases"] == ["Acrobat"]
    assert by_name["Alteryx software"]["aliases"] == ["Alteryx"]
    # ESCO knowledge concepts come in; short alt labels and verb phrases do not
    assert by_name["KDevelop"]["aliases"] == ["KDevelop platform"]
    assert "develop terminology databases" not in by_name
    assert build.import_records(curated, tmp_path) == got  # deterministic


def test_imported_records_round_trip_through_the_curated_format(tmp_path):
    build = _build_module()
    _import_fixture(tmp_path / "data")
    records = build.import_records(build.parse_curated(""), tmp_path / "data")
    path = tmp_path / "imported.txt"
    build.write_imported(records, path)
    parsed = build.parse_curated(path.read_text(encoding="utf-8"))
    assert [(r["id"], r["name_en"], r["aliases"]) for r in parsed] == [
        (r["id"], r["name_en"], r["aliases"]) for r in records
    ]
    assert not build.check_conflicts(parsed)


# ---------------------------------------------------------------- implications


def _skills(*pairs):
    return Taxonomy.from_records(
        {"id": sid, "name_en": sid, "category": "framework-library", "implies": list(implies)}
        for sid, implies in pairs
    )


def test_implied_skills_chain_one_level_down_and_never_below_one():
    tax = _skills(("redux", ["react"]), ("react", ["javascript"]), ("javascript", []))
    expanded = expand_skills([("redux", 4)], tax.implications())
    assert expanded == (("redux", 4), ("javascript", 2), ("react", 3))
    assert expand_skills([("redux", 1)], tax.implications()) == (
        ("redux", 1),
        ("javascript", 1),
        ("react", 1),
    )


def test_a_listed_skill_keeps_its_own_level_and_the_highest_path_wins():
    tax = _skills(
        ("react", ["javascript"]), ("vue", ["javascript"]), ("javascript", []), ("nodejs", [])
    )
    implications = tax.implications()
    # the learner's own "JavaScript: 1" is their statement: not raised by React at 5
    assert dict(expand_skills([("react", 5), ("javascript", 1)], implications)) == {
        "react": 5,
        "javascript": 1,
    }
    # reached twice, the higher implied level is kept; unrelated skills are untouched
    assert dict(expand_skills([("vue", 2), ("react", 4), ("nodejs", 3)], implications)) == {
        "vue": 2,
        "react": 4,
        "nodejs": 3,
        "javascript": 3,
    }
    assert expand_skills([], implications) == ()


def test_implications_must_name_known_skills_without_cycles():
    with pytest.raises(TaxonomyError, match="unknown skill 'nowhere'"):
        _skills(("react", ["nowhere"]))
    with pytest.raises(TaxonomyError, match="implies itself"):
        _skills(("react", ["react"]))
    with pytest.raises(TaxonomyError, match="cycle: a > b > c > a"):
        _skills(("a", ["b"]), ("b", ["c"]), ("c", ["a"]))


def test_the_shipped_taxonomy_implies_what_a_developer_must_know():
    implications = load_taxonomy().implications()
    assert "javascript" in implications["react"]
    assert "python" in implications["django"]
    assert set(implications["spring-boot"]) == {"spring"}
    expanded = dict(expand_skills([("spring-boot", 4)], implications))
    assert expanded == {"spring-boot": 4, "spring": 3, "java": 2}
    # products are not folded into one another: MySQL implies SQL, never SQL Server
    assert implications["mysql"] == ("sql",)
    assert load_taxonomy().to_records()[0]["implies"] == list(load_taxonomy().skills[0].implies)


# ---------------------------------------------------------------- related skills


def _related(*rows):
    return Taxonomy.from_records(
        {
            "id": sid,
            "name_en": sid,
            "category": "tool",
            "implies": list(implies),
            "related": list(related),
        }
        for sid, implies, related in rows
    )


def test_related_is_symmetric_and_includes_implications_both_ways():
    tax = _related(
        ("windows", [], ["windows-server"]),
        ("windows-server", [], []),
        ("mysql", ["sql"], []),
        ("sql", [], ["database"]),
        ("database", [], []),
        ("figma", [], []),
    )
    related = tax.related()
    assert related["windows"] == ("windows-server",)
    assert related["windows-server"] == ("windows",)
    # an implication is a relation too, in both directions
    assert related["mysql"] == ("sql",)
    assert related["sql"] == ("database", "mysql")
    # not transitive, and a skill without relations is absent
    assert "database" not in related["mysql"]
    assert "figma" not in related
    for source, targets in related.items():
        for target in targets:
            assert source in related[target]
    # the record round-trips with its own list, not the closure
    assert tax.get("windows-server").related == ()
    assert tax.to_records()[0]["related"] == ["windows-server"]


def test_related_must_name_known_skills_other_than_itself():
    with pytest.raises(TaxonomyError, match="related to unknown skill 'nowhere'"):
        _related(("windows", [], ["nowhere"]))
    with pytest.raises(TaxonomyError, match="related to itself"):
        _related(("windows", [], ["windows"]))
    # a cycle of relations is fine: relations are symmetric by nature
    assert _related(("a", [], ["b"]), ("b", [], ["a"])).related() == {"a": ("b",), "b": ("a",)}


def test_related_parser_rejects_bad_lines_and_unknown_skills():
    build = _build_module()
    assert build.parse_related("# c\nwindows ~ windows-server, macos\n") == {
        "windows": ["windows-server", "macos"]
    }
    with pytest.raises(SystemExit):
        build.parse_related("windows > windows-server\n")
    with pytest.raises(SystemExit):
        build.parse_related("a ~ b\na ~ c\n")
    records = build.parse_curated("a | tool | A | | a1\nb | tool | B | | b1\n")
    with pytest.raises(SystemExit, match="unknown skills: zz"):
        build.attach_implies(records, {"a": ["zz"]}, field="related")


def test_the_shipped_taxonomy_relates_without_merging():
    tax = load_taxonomy()
    related = tax.related()
    assert "windows-server" in related["windows"]
    assert {"mysql", "postgresql", "sql-server", "oracle"} <= set(related["sql"])
    assert "dotnet" in related["aspnet"] and "aspnet" in related["dotnet"]
    assert {"software-testing", "rest-api"} <= set(related["postman"])
    assert "sql" in related["database"]
    assert "typescript" in related["javascript"]
    assert "react-native" in related["react"]
    assert "nuxtjs" in related["vuejs"]
    # related skills stay distinct skills for the normaliser
    from matchhub.matching.normalize import Normalizer

    norm = Normalizer.default()
    assert norm.normalize("Windows Server 2012").skill_id == "windows-server"
    assert norm.normalize("Windows 10").skill_id == "windows"
    assert norm.normalize("MySQL").skill_id == "mysql"
    assert norm.normalize("SQL").skill_id == "sql"
    # unrelated families stay apart
    assert "photoshop" not in related["sql"]


def test_the_shipped_taxonomy_relates_products_of_one_kind():
    """Session 6: alternative products of one kind, a library beside its language, a
    tool beside the practice it serves are related; each stays its own skill."""
    from matchhub.matching.normalize import Normalizer

    related = load_taxonomy().related()
    for a, b in (
        ("dotnet", "visual-studio"),
        ("sap2000", "staad-pro"),
        ("tekla", "midas"),
        ("xero", "quickbooks"),
        ("intellij", "eclipse"),
        ("istio", "linkerd"),
        ("semrush", "seo"),
        ("phoenix", "elixir"),
        ("solr", "elasticsearch"),
        ("firebase", "nosql"),
        ("haravan", "sapo"),
        ("junit", "java"),
    ):
        assert b in related[a] and a in related[b], (a, b)
    # an IDE is no evidence of a language, nor a role of every language it may use
    assert "java" not in related["eclipse"]
    assert "python" not in related.get("backend", ())
    norm = Normalizer.default()
    assert norm.normalize("SAP2000").skill_id == "sap2000"
    assert norm.normalize("STAAD.Pro").skill_id == "staad-pro"
    assert norm.normalize("Visual Studio 2019").skill_id == "visual-studio"
    assert norm.normalize(".NET Core").skill_id == "dotnet"


def test_common_cv_products_and_languages_are_known_and_kept_apart():
    from matchhub.matching.normalize import Normalizer

    norm = Normalizer.default()
    expected = {
        "TeamViewer": "teamviewer",
        "team viewer": "teamviewer",
        "AnyDesk": "anydesk",
        "tiếng Nga": "russian",
        "Tiếng Tây Ban Nha": "spanish",
        "NUnit": "dotnet-unit-testing",
        "lập trình Phalcon": "phalcon",
        "diệt virus": "firewall",
        "FileZilla FTP": "filezilla",
        "vẽ kỹ thuật": "mechanical",
        "UART": "serial-buses",
        # once read as the wrong skill: Apache httpd, REST APIs, Tomcat
        "Apache Camel": "apache-camel",
        "Win32 API": "win32-api",
        "WebSphere MQ": "rabbitmq",
        "ONNX": "onnx",
    }
    for term, skill in expected.items():
        assert norm.normalize(term).skill_id == skill, term
    related = load_taxonomy().related()
    # one family, distinct products: related, never merged
    assert "anydesk" in related["teamviewer"]
    assert "junit" in related["dotnet-unit-testing"]
    assert "teamviewer" not in related["skype"]


def test_ordinary_words_are_not_read_as_product_names():
    # one edit, a glued "js" or a dropped digit away from a product name
    from matchhub.matching.normalize import Normalizer

    norm = Normalizer.default()
    for word in (
        "addition",
        "create",
        "fails",
        "guide",
        "knives",
        "meter",
        "select",
        "strive",
        "leaflets",
        "notch",
        "activity",
        "moment",
    ):
        assert norm.normalize(word).skill_id is None, word
