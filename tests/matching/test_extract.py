import unicodedata

import pytest

from matchhub.matching.extract import Extractor, Mention
from matchhub.matching.normalize import Normalizer
from matchhub.matching.taxonomy import Taxonomy


@pytest.fixture(scope="module")
def ex():
    return Extractor.default()


def ids(ex, text):
    return [m.skill_id for m in ex.extract(text)]


def test_spans_index_into_the_original_text(ex):
    text = "Thành thạo Lập trình PHP7, Java 1.8 và ReactJS; biết Đồ họa."
    mentions = ex.extract(text)
    assert [m.skill_id for m in mentions] == ["php", "java", "react", "graphic-design"]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert [m.text for m in mentions] == ["PHP7", "Java", "ReactJS", "Đồ họa"]


def test_decomposed_input_keeps_true_offsets(ex):
    text = unicodedata.normalize("NFD", "Kỹ năng làm việc nhóm và tiếng Anh")
    mentions = ex.extract(text)
    assert [m.skill_id for m in mentions] == ["teamwork", "english"]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_java_is_not_javascript_and_c_family_is_told_apart(ex):
    assert ids(ex, "Java, JavaScript, C#, C++ and C.") == [
        "java",
        "javascript",
        "csharp",
        "cpp",
        "c",
    ]
    assert ids(ex, "C/C++ developer") == ["c", "cpp"]


def test_dotted_names(ex):
    assert ids(ex, "ASP.NET MVC, .NET Core, Node.js, Vue.js") == [
        "aspnet",
        "dotnet",
        "nodejs",
        "vuejs",
    ]
    text = "Experience with .NET and Node.js"
    dot = ex.extract(text)[0]
    assert text[dot.start : dot.end] == ".NET"


def test_short_ambiguous_words_need_their_capital(ex):
    assert ids(ex, "We go to the office and excel in teamwork") == ["teamwork"]
    assert ids(ex, "Skills: Go, Excel, Swift") == ["go", "excel", "swift"]
    assert ids(ex, "Go through the docs with Golang") == ["go"]


def test_single_letters_need_list_context(ex):
    assert ids(ex, "Ngôn ngữ C và R, Python") == ["c", "r", "python"]
    assert ids(ex, "Plan C is a good idea") == []
    assert ids(ex, "Grade A or B") == []


def test_vietnamese_common_words_do_not_fire(ex):
    # folded, "mang" (carry) is "mạng" (network); "ba" (three) is BA
    assert ids(ex, "mang lại giá trị cho ba khách hàng") == []
    assert ids(ex, "Lương NET 20 triệu") == []


def test_list_punctuation_stops_an_ngram(ex):
    assert ids(ex, "AWS (EC2, S3)") == ["aws", "aws", "aws"]
    assert ids(ex, "Spring-Boot") == ["spring-boot"]


def test_longest_alias_wins(ex):
    assert ids(ex, "Spring Boot and React Native") == ["spring-boot", "react-native"]
    assert ids(ex, "SQL Server 2019 and MySQL") == ["sql-server", "mysql"]


def test_one_mention_per_occurrence(ex):
    assert ids(ex, "Python; python; PYTHON") == ["python", "python", "python"]


def test_empty_text(ex):
    assert ex.extract("") == []
    assert ex.extract("   \n ") == []


def test_mentions_are_frozen(ex):
    m = ex.extract("Docker")[0]
    assert m == Mention("docker", 0, 6, "Docker", 0.9, "Docker")
    with pytest.raises(AttributeError):
        m.start = 3


def test_extractor_over_a_custom_taxonomy():
    tax = Taxonomy.from_records(
        [
            {"id": "odoo", "name_en": "Odoo", "category": "domain", "aliases": ["openerp"]},
            {
                "id": "kt",
                "name_en": "Testing",
                "name_vi": "Kiểm thử phần mềm",
                "category": "testing",
            },
        ]
    )
    e = Extractor(Normalizer(tax))
    text = "Có kinh nghiệm Odoo/OpenERP và kiểm thử phần mềm."
    assert [(m.skill_id, m.text) for m in e.extract(text)] == [
        ("odoo", "Odoo"),
        ("odoo", "OpenERP"),
        ("kt", "kiểm thử phần mềm"),
    ]


def test_default_is_shared():
    assert Extractor.default() is Extractor.default()


def test_vietnamese_aliases_must_be_spelt_with_their_vowels(ex):
    # "tuân thủ kỷ luật" folds to "... thu ky ...", which is "thư ký" (secretary)
    assert "office-admin" not in ids(ex, "Tuân thủ kỷ luật tốt.")
    assert ids(ex, "Thư ký, đồ hoạ và đồ họa") == [
        "office-admin",
        "graphic-design",
        "graphic-design",
    ]
    # text typed without accents still matches
    assert ids(ex, "lam viec nhom, tieng anh") == ["teamwork", "english"]


def test_generic_job_words_are_not_skills(ex):
    assert ids(ex, "Tuyển lập trình viên, môi trường production, xây dựng sản phẩm") == []


def test_symbol_names_count_in_lower_case(ex):
    assert ids(ex, "lập trình c#, c++ và js") == ["csharp", "cpp", "javascript"]


def test_new_product_names_that_are_english_words_need_their_capital(ex):
    assert ids(ex, "Build tools: Gulp, Webpack; secrets in HashiCorp Vault; Packer images") == [
        "gulp",
        "webpack",
        "hashicorp-vault",
        "packer",
    ]
    assert ids(ex, "a nomad who can gulp coffee and packer boxes") == []
    # "Hong Kong" is a city, not the Kong API gateway
    assert ids(ex, "We work with teams in Hong Kong and Korea") == []
    assert ids(ex, "API gateways: Kong Gateway, Apigee") == ["api-gateway", "kong", "apigee"]


def test_prose_phrases_that_only_look_like_imported_skills(ex):
    assert "building-automation" not in ids(ex, "Experience in building automation frameworks")
    assert "computer-equipment" not in ids(ex, "a Computer Science or similar degree")


def test_an_alias_does_not_run_over_a_line_break(ex):
    text = "Familiar with operations\nResearch skills: gather data. Operations research"
    found = ex.extract(text)
    assert all("\n" not in m.text for m in found)
    assert [m.text for m in found if m.skill_id == "mathematics"] == ["Operations research"]


def test_machines_communicating_is_not_the_soft_skill(ex):
    for text in (
        "inter-process communication",
        "Robotics/Hardware communication",
        "any MQ as a communication hub",
        "communication between the devices",
    ):
        assert "communication" not in ids(ex, text), text
    assert ids(ex, "real-time communication protocols") == ["networking"]
    assert ids(ex, "Excellent communication skills") == ["communication"]
