"""Programmes and courses: skills suggested from the syllabus, confirmed, aggregated."""

import re

import sqlalchemy as sa
from conftest import submit
from factories import make_org, make_programme, make_user, skill

from matchhub.extensions import db
from matchhub.models import Course, OrgKind, Programme, ProgrammeSkill, Role, Skill


def _college():
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    return college, make_user(Role.COLLEGE, org=college)


def _programme_skills(programme_id: int) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(ProgrammeSkill.skill_id, ProgrammeSkill.level).where(
            ProgrammeSkill.programme_id == programme_id
        )
    )
    return {db.session.get(Skill, sid).slug: level for sid, level in rows}


def test_create_and_edit_a_programme(client, ctx, login):
    college, user = _college()
    login(user.email)
    response = submit(
        client,
        "/college/programmes/new",
        {
            "code": "CNTT",
            "name": "Công nghệ thông tin",
            "level": "college",
            "field": "CNTT",
            "yearly_intake": "300",
        },
    )
    assert response.status_code == 302
    programme = db.session.scalar(sa.select(Programme).where(Programme.code == "CNTT"))
    assert programme.organization_id == college.id and programme.yearly_intake == 300
    duplicate = submit(
        client,
        "/college/programmes/new",
        {"code": "cntt", "name": "Khác", "level": "college", "field": "CNTT"},
    )
    assert duplicate.status_code == 200 and 'id="code-errors"' in duplicate.get_data(as_text=True)
    url = f"/college/programmes/{programme.id}/edit"
    submit(client, url, {"code": "CNTT", "name": "CNTT mới", "level": "university", "field": "IT"})
    db.session.refresh(programme)
    assert programme.name == "CNTT mới" and programme.level.value == "university"


def test_course_skills_are_suggested_from_the_syllabus_and_confirmed(client, ctx, login):
    college, user = _college()
    programme = make_programme(college, skills=())
    login(user.email)
    url = f"/college/programmes/{programme.id}/courses/new"
    data = {
        "code": "LT01",
        "name": "Lập trình Python",
        "credits": "3",
        "syllabus": "Sinh viên học Python, SQL và Git; xây dựng ứng dụng web với Django.",
    }
    page = submit(client, url, {**data, "action": "suggest"}).get_data(as_text=True)
    suggested = set(re.findall(r'<tr data-skill="([^"]+)">', page))
    assert {"python", "sql", "git", "django"} <= suggested
    assert 'name="skill" value="python" id="skill-python" checked' in page
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0
    # The user unticks Git, raises Python to 4 and adds Docker by hand.
    form = {
        **data,
        "action": "save",
        "candidate": ["python", "sql", "git", "django"],
        "skill": ["python", "sql", "django"],
        "level-python": "4",
        "level-sql": "3",
        "level-git": "3",
        "level-django": "2",
        "extra_skills": "Docker:2",
    }
    response = submit(client, url, form, form_url=url)
    assert response.status_code == 302
    assert _programme_skills(programme.id) == {"python": 4, "sql": 3, "django": 2, "docker": 2}


SYLLABUS = """HỌC PHẦN: Cơ sở dữ liệu
# các giảng viên học phần
Tên giảng viên: Nguyễn Văn An, chức danh: TS, chuyên ngành: Công nghệ thông tin
# 3. mục tiêu học phần
Sinh viên thiết kế được cơ sở dữ liệu quan hệ và viết được truy vấn SQL.
Lựa chọn mô hình dữ liệu; vận dụng đồ thị ô tô mát hữu hạn.
# 6. nội dung chi tiết học phần
Chương 1. Ngân hàng câu hỏi ôn tập. Xây dựng kế hoạch ôn thi.
Chương 2. Ví dụ: ứng dụng di động dùng SQLite.
"""


def _row(page: str, slug: str) -> str:
    match = re.search(rf'<tr data-skill="{slug}">(.*?)</tr>', page, re.S)
    return match.group(1) if match else ""


def test_suggestions_show_confidence_and_evidence_and_tick_only_confident_ones(
    client, ctx, login
):
    college, user = _college()
    programme = make_programme(college, skills=())
    login(user.email)
    url = f"/college/programmes/{programme.id}/courses/new"
    data = {"code": "CSDL", "name": "Cơ sở dữ liệu", "credits": "3", "syllabus": SYLLABUS}
    page = submit(client, url, {**data, "action": "suggest"}).get_data(as_text=True)
    suggested = set(re.findall(r'<tr data-skill="([^"]+)">', page))
    assert {"database", "sql"} <= suggested
    # the lecturer's title, "Lựa chọn", the automaton, the question bank, the plan, the
    # department: none of them is a skill of this course
    assert not {"typescript", "lua", "automotive", "finance", "construction"} & suggested
    assert not {"information-technology", "teaching", "vietnamese"} & suggested
    sql = _row(page, "sql")
    assert 'id="skill-sql" checked' in sql
    assert "truy vấn SQL" in sql and "suggestion-evidence" in sql  # the sentence that found it
    assert re.search(r"độ tin cậy \d+\s?%", sql)  # Vietnamese by default
    example = _row(page, "sqlite")  # named only as an example: shown, not ticked
    assert example and 'id="skill-sqlite" checked' not in example
    assert "Ví dụ" in example
    # a save that fails keeps the suggestions' confidence and evidence on the form
    form = {
        **data,
        "code": "",
        "action": "save",
        "candidate": ["sql", "sqlite"],
        "skill": ["sql"],
        "confidence-sql": "0.9",
        "evidence-sql": "viết được truy vấn SQL",
        "confidence-sqlite": "0.45",
        "evidence-sqlite": "Ví dụ: ứng dụng di động dùng SQLite.",
    }
    again = submit(client, url, form, form_url=url).get_data(as_text=True)
    assert 'id="skill-sql" checked' in _row(again, "sql")
    assert "viết được truy vấn SQL" in _row(again, "sql")
    assert 'id="skill-sqlite" checked' not in _row(again, "sqlite")


def test_suggestion_strings_exist_in_english(client, ctx, login):
    college, user = _college()
    programme = make_programme(college, skills=())
    login(user.email)
    client.set_cookie("lang", "en")
    url = f"/college/programmes/{programme.id}/courses/new"
    data = {"code": "CSDL", "name": "Databases", "credits": "3", "syllabus": SYLLABUS}
    page = submit(client, url, {**data, "action": "suggest"}).get_data(as_text=True)
    assert re.search(r"confidence \d+%", _row(page, "sql"))
    assert "Found in:" in _row(page, "sql")
    assert "states clearly are ticked" in page


def test_programme_skills_are_the_highest_level_over_courses(client, ctx, login):
    college, user = _college()
    programme = make_programme(college, skills=())
    login(user.email)
    url = f"/college/programmes/{programme.id}/courses/new"
    for code, level in (("A", "2"), ("B", "5")):
        submit(
            client,
            url,
            {
                "code": code,
                "name": f"Môn {code}",
                "action": "save",
                "candidate": ["python"],
                "skill": ["python"],
                "level-python": level,
            },
        )
    assert _programme_skills(programme.id) == {"python": 5}
    course_b = db.session.scalar(sa.select(Course).where(Course.code == "B"))
    detail = f"/college/programmes/{programme.id}"
    submit(client, f"/college/courses/{course_b.id}/delete", {}, form_url=detail)
    assert _programme_skills(programme.id) == {"python": 2}


def test_unknown_typed_skill_is_refused_on_its_field(client, ctx, login):
    college, user = _college()
    programme = make_programme(college, skills=())
    login(user.email)
    url = f"/college/programmes/{programme.id}/courses/new"
    response = submit(
        client,
        url,
        {"code": "X", "name": "X", "action": "save", "extra_skills": "kỹ năng không tồn tại xyz"},
    )
    assert response.status_code == 200
    assert 'id="extra_skills-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


def test_another_colleges_programme_and_course_are_404(client, ctx, login):
    _mine, user = _college()
    other = make_org(OrgKind.COLLEGE, code="KHAC")
    theirs = make_programme(other)
    course = Course(programme=theirs, code="C1", name="Môn của họ", credits=3, syllabus="")
    db.session.add(course)
    db.session.commit()
    login(user.email)
    for url in (
        f"/college/programmes/{theirs.id}",
        f"/college/programmes/{theirs.id}/edit",
        f"/college/programmes/{theirs.id}/courses/new",
        f"/college/programmes/{theirs.id}/gaps",
        f"/college/courses/{course.id}/edit",
    ):
        assert client.get(url).status_code == 404, url
    assert skill("python")
