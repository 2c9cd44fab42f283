"""A college sees its own programmes and learners, never another college's."""

import re

from factories import make_learner, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import OrgKind, Programme, ProgrammeLevel, ProgrammeSkill, Role


def _college(name: str):
    return make_org(OrgKind.COLLEGE, name=name)


def test_college_sees_only_its_own_learners(client, ctx, login):
    mine, theirs = _college("Cao đẳng A"), _college("Cao đẳng B")
    make_learner(mine, full_name="Nguyễn Văn Của Tôi", student_code="A001")
    make_learner(theirs, full_name="Trần Thị Của Họ", student_code="B001")
    login(make_user(Role.COLLEGE, org=mine).email)
    html = client.get("/college/learners").get_data(as_text=True)
    assert "Nguyễn Văn Của Tôi" in html
    assert "Trần Thị Của Họ" not in html
    # Searching for the other college's learner finds nothing either.
    found = client.get("/college/learners?q=B001").get_data(as_text=True)
    assert "Trần Thị Của Họ" not in found and "B001" not in found.split("<tbody>")[1]


def test_learner_list_filters_and_paginates(client, ctx, login):
    college = _college("Cao đẳng A")
    for i in range(60):
        year = 2026 if i % 2 else 2025
        make_learner(college, full_name=f"Học viên {i:02d}", graduation_year=year)
    login(make_user(Role.COLLEGE, org=college).email)
    first = client.get("/college/learners").get_data(as_text=True)
    assert "60 người học" in first
    assert "?page=2" in first
    only_2025 = client.get("/college/learners?year=2025").get_data(as_text=True)
    assert "30 người học" in only_2025


def test_programmes_show_their_skills_and_learner_counts(client, ctx, login):
    college = _college("Cao đẳng A")
    programme = Programme(
        organization=college,
        code="CNTT",
        name="Công nghệ thông tin",
        level=ProgrammeLevel.COLLEGE,
        field="IT",
        yearly_intake=300,
    )
    programme.skills.append(ProgrammeSkill(skill=skill("python"), level=3))
    db.session.add(programme)
    db.session.commit()
    make_learner(college, programme=programme)
    login(make_user(Role.COLLEGE, org=college).email)
    html = client.get("/college/programmes").get_data(as_text=True)
    assert "Công nghệ thông tin" in html and "Python · 3/5" in html
    dashboard = client.get("/college/").get_data(as_text=True)
    assert "Công nghệ thông tin" in dashboard and "300" in dashboard


def test_programme_and_course_forms_ask_for_a_name_not_a_persons_name(client, ctx, login):
    college = _college("Cao đẳng A")
    programme = Programme(
        organization_id=college.id, code="CNTT", name="CNTT", level=ProgrammeLevel.COLLEGE,
        field="CNTT",
    )  # fmt: skip
    db.session.add(programme)
    db.session.commit()
    login(make_user(Role.COLLEGE, org=college).email)
    new_programme = client.get("/college/programmes/new").get_data(as_text=True)
    new_course = client.get(f"/college/programmes/{programme.id}/courses/new").get_data(
        as_text=True
    )
    assert "Tên chương trình" in new_programme and "Họ tên" not in new_programme
    assert "Tên học phần" in new_course and "Họ tên" not in new_course
    # A syllabus is pasted whole: its box is tall enough to read (issue 12, item 10).
    box = re.search(r'<textarea[^>]*name="syllabus"[^>]*>', new_course).group(0)
    assert int(re.search(r'rows="(\d+)"', box).group(1)) >= 10
