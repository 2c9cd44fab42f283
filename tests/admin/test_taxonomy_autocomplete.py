"""The curation pickers' suggestions: accent-insensitive, few, live skills only, and
hostile queries answered without an error."""

import pytest
from factories import make_user

from matchhub.models import Role
from matchhub.services import curation, skill_merges

URL = "/admin/taxonomy/skills/suggest"


@pytest.fixture
def office(client, ctx, login):
    admin = make_user(Role.ADMIN)
    login(admin.email)
    return admin


def _slugs(client, query) -> list[str]:
    response = client.get(URL, query_string={"q": query})
    assert response.status_code == 200 and response.is_json
    return [s["slug"] for s in response.get_json()["skills"]]


def test_suggestions_ignore_accents_and_case_and_match_inside_names(client, office):
    apps = curation.create_skill(office, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    coding = curation.create_skill(office, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    assert _slugs(client, "ung dung zorb") == [apps.slug]
    assert _slugs(client, "ỨNG DỤNG ZORB") == [apps.slug]
    assert apps.slug in _slugs(client, "ỨNG DỤNG")
    assert _slugs(client, "LAP TRINH zorbweb") == [coding.slug]
    # Inside a name, in either language, and by id.
    assert set(_slugs(client, "zorbweb")) == {apps.slug, coding.slug}
    assert _slugs(client, "web coding") == [coding.slug]
    assert _slugs(client, "zorbweb-apps") == [apps.slug]


def test_an_exact_match_comes_first_and_the_answer_is_short(client, office):
    assert _slugs(client, "python")[0] == "python"
    assert _slugs(client, "Python")[0] == "python"
    assert 1 <= len(_slugs(client, "a")) <= curation.SUGGESTIONS


def test_a_merged_skill_is_not_suggested(client, office):
    apps = curation.create_skill(office, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    coding = curation.create_skill(office, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    skill_merges.merge_skills(office, apps.slug, coding.slug)
    # Its names now lead to the skill it was merged into.
    assert _slugs(client, "ung dung zorbweb") == [coding.slug]


def test_suggestions_are_in_the_readers_language(client, office):
    curation.create_skill(office, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    [found] = client.get(URL, query_string={"q": "zorbweb"}).get_json()["skills"]
    assert found["name"] == "Ứng dụng Zorbweb" and found["name_en"] == "Zorbweb apps"
    assert found["category"] and found["category"] != "tool"  # a label, not the slug


@pytest.mark.parametrize(
    "query",
    ["", "   ", "%", "_", "%%__\\", "\\", "'; DROP TABLE skills; --", "x" * 100_000, "ế" * 5000],
)
def test_hostile_queries_never_fail(client, office, query):
    response = client.get(URL, query_string={"q": query})
    assert response.status_code == 200
    data = response.get_json()
    assert len(data["query"]) <= curation.MAX_QUERY
    assert len(data["skills"]) <= curation.SUGGESTIONS
    if query in ("%", "%%__\\"):
        assert data["skills"] == []  # wildcards are literal, not "everything"


def test_a_nul_byte_or_repeated_query_is_not_an_error(client, office):
    assert client.get(URL + "?q=py%00thon").status_code == 400
    repeated = client.get(URL + "?q=python&q=java&q=" + "z" * 5000)
    assert repeated.status_code == 200 and repeated.get_json()["query"] == "python"
    assert client.get(URL).get_json() == {"query": "", "skills": []}


def test_the_pickers_are_wired_to_the_suggestions(client, office):
    page = client.get("/admin/taxonomy").get_data(as_text=True)
    for name in ("map-skill", "merge-source", "merge-target"):
        start = page.index(f'id="{name}"')
        tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
        assert f'data-skill-suggest="{URL}"' in tag and 'list="skill-options"' in tag
    assert "js/skill-combobox.js" in page
    # Every form of the page carries its CSRF token.
    for form in ("map-form", "skill-form", "merge-form"):
        start = page.index(f'id="{form}"')
        assert "csrf_token" in page[start : page.index("</form>", start)], form


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL + "?q=python")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
