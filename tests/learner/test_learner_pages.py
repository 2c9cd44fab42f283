"""A learner's dashboard, openings, profile and matches pages."""

import sqlalchemy as sa
from factories import make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    LearnerSkill,
    OrderStatus,
    OrgKind,
    Role,
    User,
    VerificationState,
    utcnow,
)
from matchhub.services import pair_scores
from matchhub.services.learners import learner_of_user


def test_dashboard_lists_applications_and_nearby_openings(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    enterprise = make_org(name="Công ty Gần Nhà")
    applied = make_order(enterprise, title="Thực tập sinh Python")
    make_order(enterprise, title="Việc ở Hà Nội", locality="ha-noi")
    make_order(enterprise, title="Bản nháp bí mật", status=OrderStatus.DRAFT)
    db.session.add(Application(order=applied, learner=learner, status=ApplicationStatus.APPLIED))
    db.session.commit()
    login(user.email)
    html = client.get("/learner/").get_data(as_text=True)
    assert "Thực tập sinh Python" in html and "Đã ứng tuyển" in html
    assert "Việc ở Hà Nội" not in html  # not in the learner's locality
    assert "Bản nháp bí mật" not in html


def test_openings_hide_orders_of_unverified_organisations(client, ctx, login):
    make_order(make_org(state=VerificationState.PENDING), title="Đơn chưa được duyệt")
    make_order(make_org(), title="Đơn đã được duyệt")
    login(make_user(Role.LEARNER).email)
    html = client.get("/learner/openings").get_data(as_text=True)
    assert "Đơn đã được duyệt" in html
    assert "Đơn chưa được duyệt" not in html


def test_profile_shows_unknown_terms_as_such(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(term="nghệ thuật xếp giấy", level=2))
    db.session.commit()
    login(user.email)
    html = client.get("/learner/profile").get_data(as_text=True)
    assert "nghệ thuật xếp giấy ?" in html


def _queries_of(client, url: str) -> int:
    """SQL statements run while serving ``url`` (after a first, warming request)."""
    client.get(url)  # the worker's index catches up with the database here
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    return count


def test_matches_page_runs_the_same_few_queries_however_many_cards(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=3))
    db.session.commit()
    login(user.email)

    def add_orders(n: int) -> None:
        for _ in range(n):  # one organisation each, each with skills and an application
            order = make_order(make_org(), skills=("python",))
            db.session.add(
                Application(order=order, learner=learner, status=ApplicationStatus.APPLIED)
            )
        db.session.commit()

    add_orders(1)
    one = _queries_of(client, "/learner/matches")
    add_orders(24)
    html = client.get("/learner/matches").get_data(as_text=True)
    assert html.count('class="card mb-3 match"') == 20 and "Đã ứng tuyển" in html
    assert _queries_of(client, "/learner/matches") == one
    assert _queries_of(client, "/learner/matches?page=2") == one
    # User, learner with skills, engine version, the cards with applications, skill names.
    assert one <= 6


def test_match_labels_follow_each_requests_language(client, ctx, login):
    """Macro labels are translated per page, not once per worker (an imported macro
    module outlives the request that first rendered it)."""
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=3))
    learner.consent_at = utcnow()
    order = make_order(make_org(), skills=("python", "sql"))
    db.session.commit()
    login(user.email)
    for lang, has, missing in (("vi", "Có:", "Còn thiếu:"), ("en", "Has:", "Missing:")) * 2:
        client.set_cookie("lang", lang)
        for url in ("/learner/matches?tier=all", f"/learner/orders/{order.id}"):
            html = client.get(url).get_data(as_text=True)
            assert has in html and missing in html, (lang, url)
            # the tier in words, in the same language
            assert (">Thiếu: " if lang == "vi" else ">Missing: ") in html, (lang, url)
        other = "Has:" if lang == "vi" else "Có:"
        assert other not in html


def test_learner_of_user_loads_relations_only_when_read(ctx):
    college = make_org(kind=OrgKind.COLLEGE, name="Trường Cao đẳng Nam Định")
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.college = college
    for slug in ("python", "sql"):
        learner.skills.append(LearnerSkill(skill=skill(slug), term=slug, level=3))
    db.session.commit()
    user_id = user.id
    db.session.expunge_all()  # nothing left in the session from the set-up

    learner = learner_of_user(db.session.get(User, user_id))
    assert {"skills", "programme", "college"} <= sa.inspect(learner).unloaded
    statements = []

    def counter(*_args):
        statements.append(_args[2])

    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        slugs = [s.skill.slug for s in learner.skills]
        skill_queries = len(statements)
        assert learner.college.name == "Trường Cao đẳng Nam Định" and learner.programme is None
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    assert slugs == ["python", "sql"]
    assert skill_queries == 1  # the skills with their taxonomy rows, not one query per skill


def test_profile_pages_run_the_same_queries_however_many_skills(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=3))
    db.session.commit()
    login(user.email)
    one = {url: _queries_of(client, url) for url in ("/learner/profile", "/learner/profile/edit")}
    for slug in ("sql", "java", "javascript", "docker"):
        learner.skills.append(LearnerSkill(skill=skill(slug), term=slug, level=2))
    db.session.commit()
    html = client.get("/learner/profile").get_data(as_text=True)
    assert all(skill(s).name_vi in html for s in ("python", "sql", "docker"))
    assert {url: _queries_of(client, url) for url in one} == one


def test_pages_without_skills_do_not_load_them(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=3))
    db.session.commit()
    login(user.email)
    statements = []

    def counter(*_args):
        statements.append(_args[2])

    client.get("/learner/applications")
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get("/learner/applications").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    assert statements and not any("learner_skills" in s for s in statements)


def test_dashboard_best_near_you_has_the_matches_page_score_and_tier(client, ctx, login):
    """'Best matches near you' is the matches page's ranking kept to the learner's
    locality (and remote work): each opening shows the very score and tier it has
    there and on its own page, never a second figure."""
    import re

    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    for slug, level in (("python", 4), ("sql", 2), ("git", 3)):
        learner.skills.append(LearnerSkill(skill=skill(slug), term=slug, level=level))
    learner.cv_text = "Lập trình Python, viết API và truy vấn SQL"
    learner.consent_at = utcnow()
    db.session.commit()
    org = make_org()
    specs = [
        (("python",), "nd-nam-dinh", False, "Lập trình Python backend"),
        (("python", "sql"), "nd-nam-dinh", False, "Python và SQL"),
        (("sql",), "ha-noi", True, "Quản trị cơ sở dữ liệu từ xa"),
        (("python", "git"), "ha-noi", False, "Python ở Hà Nội"),
        (("java",), "nd-nam-dinh", False, "Lập trình Java"),
        (("git",), "nd-nam-dinh", False, "Quản lý mã nguồn"),
    ]
    orders = [
        make_order(org, skills=skills, locality=where, remote=remote, title=title)
        for skills, where, remote, title in specs
    ]
    db.session.commit()
    login(user.email)

    def cards(html):
        return {
            int(o): (s, t)
            for o, s, t in re.findall(
                r'data-order-id="(\d+)".*?data-score="([\d.]+)" data-tier="(\w+)"', html, re.S
            )
        }

    near = cards(client.get("/learner/").get_data(as_text=True))
    everywhere = cards(client.get("/learner/matches?tier=all").get_data(as_text=True))
    # near the learner or remote, and met at least nearly: not Java, not Hà Nội on site
    assert set(near) == {o.id for o in orders[:3] + orders[5:]}
    for order_id, shown in near.items():
        assert everywhere[order_id] == shown
        result = pair_scores.explain(db.session.get(type(orders[0]), order_id), learner)
        assert shown == (f"{result.score:.4f}", result.tier.label)
