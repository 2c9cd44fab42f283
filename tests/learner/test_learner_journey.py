"""A learner edits their profile, sees ranked matches, applies, answers invitations,
gets next-skill advice and manages their personal data."""

from __future__ import annotations

import json

import sqlalchemy as sa
from conftest import submit
from factories import PASSWORD, make_learner, make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Learner,
    OrderKind,
    OrgKind,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    Role,
    User,
    Visibility,
    utcnow,
)
from matchhub.services import applications, pair_scores, profiles, ranked_pages
from matchhub.services.learners import learner_of_user


def _learner(login, **kw):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.visibility = kw.pop("visibility", Visibility.ENTERPRISES)
    learner.consent_at = utcnow()
    learner.consent_purpose = "matching"
    db.session.commit()
    login(user.email)
    return user, learner


def _profile_form(**over):
    data = {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0987654321",
        "programme": "",
        "graduation_year": "2026",
        "locality": "nd-nam-dinh",
        "preferred_localities": ["ha-noi"],
        "available_from": "2027-01-15",
        "skills": "pyhton:4\nSQL (3)\nnghệ thuật xếp giấy:2",
        "cv_text": "Sinh viên CNTT, thích lập trình web.",
    }
    data.update(over)
    return data


def test_profile_edit_normalises_skills_and_flags_unknown_terms(client, ctx, login):
    _user, learner = _learner(login)
    response = submit(client, "/learner/profile/edit", _profile_form())
    assert response.status_code == 302
    db.session.refresh(learner)
    by_term = {s.term: s for s in learner.skills}
    assert by_term["pyhton"].skill.slug == "python" and by_term["pyhton"].level == 4
    assert by_term["nghệ thuật xếp giấy"].skill_id is None
    assert learner.preferred_localities == ["ha-noi"]
    assert learner.available_from.isoformat() == "2027-01-15"
    html = client.get("/learner/profile/edit").get_data(as_text=True)
    assert 'id="unknown-terms"' in html and "nghệ thuật xếp giấy ?" in html
    # The index follows at once: the learner now ranks for a Python order.
    order = make_order(make_org(), skills=("python",))
    db.session.commit()
    assert [c.learner.id for c in ranked_pages.candidates_for(order).items] == [learner.id]


def test_profile_edit_refuses_unknown_locality(client, ctx, login):
    _learner(login)
    response = submit(client, "/learner/profile/edit", _profile_form(locality="atlantis"))
    assert response.status_code == 200


def test_matches_rank_with_reasons_and_filter_by_kind(client, ctx, login):
    user, learner = _learner(login)
    learner.skills.clear()
    db.session.commit()
    profiles.update_profile(
        learner,
        user,
        profiles.ProfileInput("Lan", None, None, 2026, "nd-nam-dinh", [], None, "", "python:4"),
    )
    org = make_org()
    good = make_order(org, skills=("python",), kind=OrderKind.INTERNSHIP, title="Thực tập Python")
    poor = make_order(org, skills=("java",), kind=OrderKind.JOB, title="Lập trình Java")
    db.session.commit()
    # by default, what I meet or nearly meet; the full list is one choice away
    html = client.get("/learner/matches").get_data(as_text=True)
    assert f'data-order-id="{good.id}"' in html and f'data-order-id="{poor.id}"' not in html
    assert "Đáp ứng đủ" in html and 'id="show-all"' not in html
    html = client.get("/learner/matches?tier=all").get_data(as_text=True)
    assert html.index(f'data-order-id="{good.id}"') < html.index(f'data-order-id="{poor.id}"')
    assert 'data-skill="java"' in html and ">Thiếu: " in html  # what I miss
    html = client.get("/learner/matches?kind=job").get_data(as_text=True)
    assert f'data-order-id="{poor.id}"' not in html and 'id="show-all"' in html
    html = client.get("/learner/matches?kind=job&tier=all").get_data(as_text=True)
    assert f'data-order-id="{good.id}"' not in html and f'data-order-id="{poor.id}"' in html


def test_apply_with_a_message_then_withdraw(client, ctx, login):
    _learner(login)
    order = make_order(make_org())
    response = submit(
        client,
        f"/learner/orders/{order.id}/apply",
        {"message": "Em xin ứng tuyển."},
        form_url=f"/learner/orders/{order.id}",
    )
    assert response.status_code == 302
    app = db.session.scalar(sa.select(Application))
    assert app.status is ApplicationStatus.APPLIED and app.message == "Em xin ứng tuyển."
    html = client.get(f"/learner/applications/{app.id}").get_data(as_text=True)
    assert 'data-to="applied"' in html
    submit(
        client,
        f"/learner/applications/{app.id}/withdraw",
        {},
        form_url=f"/learner/applications/{app.id}",
    )
    db.session.refresh(app)
    assert app.status is ApplicationStatus.WITHDRAWN


def test_invitation_accept_and_decline(client, ctx, login):
    _user, learner = _learner(login)
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    first, second = make_order(org), make_order(org)
    a = applications.shortlist(first, learner, boss, invite=True)
    b = applications.shortlist(second, learner, boss, invite=True)
    dash = client.get("/learner/").get_data(as_text=True)
    assert f'data-application-id="{a.id}"' in dash and f'data-application-id="{b.id}"' in dash
    submit(
        client,
        f"/learner/applications/{a.id}/accept",
        {"message": "Cảm ơn anh chị."},
        form_url=f"/learner/applications/{a.id}",
    )
    submit(
        client,
        f"/learner/applications/{b.id}/decline",
        {},
        form_url=f"/learner/applications/{b.id}",
    )
    db.session.refresh(a)
    db.session.refresh(b)
    assert a.status is ApplicationStatus.APPLIED and applications.contact_visible(a)
    assert b.status is ApplicationStatus.WITHDRAWN


def test_shortlists_are_private_to_the_enterprise(client, ctx, login):
    _user, learner = _learner(login)
    org = make_org()
    app = applications.shortlist(make_order(org), learner, make_user(Role.ENTERPRISE, org=org))
    assert client.get(f"/learner/applications/{app.id}").status_code == 404
    assert f'data-application-id="{app.id}"' not in client.get("/learner/applications").get_data(
        as_text=True
    )


def test_learner_cannot_open_another_learners_application(client, ctx, login):
    _learner(login)
    other = make_learner()
    order = make_order(make_org())
    app = applications.apply(order, other, make_user(), "x")
    assert client.get(f"/learner/applications/{app.id}").status_code == 404
    response = submit(
        client, f"/learner/applications/{app.id}/withdraw", {}, form_url="/learner/privacy"
    )
    assert response.status_code == 404


def test_next_skill_advice_names_programmes(client, ctx, login):
    user, learner = _learner(login)
    college = make_org(kind=OrgKind.COLLEGE, name="Cao đẳng Nam Định")
    course = Programme(
        organization=college,
        code="SQL",
        name="Khoá ngắn SQL",
        level=ProgrammeLevel.SHORT_COURSE,
        field="CNTT",
    )
    course.skills.append(ProgrammeSkill(skill=skill("sql"), level=4))
    db.session.add(course)
    db.session.commit()
    profiles.update_profile(
        learner,
        user,
        profiles.ProfileInput("Lan", None, None, 2026, "nd-nam-dinh", [], None, "", "python:4"),
    )
    org = make_org()
    for _ in range(2):
        make_order(org, skills=("python", "sql"))
    db.session.commit()
    html = client.get("/learner/next-skills").get_data(as_text=True)
    assert 'data-skill="sql" data-unlocks="2"' in html
    assert f'data-programme-id="{course.id}"' in html


def test_withdrawing_consent_hides_from_every_ranking(client, ctx, login):
    _user, learner = _learner(login)
    order = make_order(make_org())
    db.session.commit()
    assert ranked_pages.candidates_for(order).total == 1
    response = submit(client, "/learner/privacy/consent/withdraw", {}, form_url="/learner/privacy")
    assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.consent_at is None
    assert ranked_pages.candidates_for(order).total == 0
    assert pair_scores.scores_for_order(order, [learner.id]) == {}
    submit(client, "/learner/privacy/consent", {"agree": "y"}, form_url="/learner/privacy")
    db.session.refresh(learner)
    assert learner.consent_at is not None and learner.consent_purpose == "matching"
    assert ranked_pages.candidates_for(order).total == 1
    submit(
        client, "/learner/privacy/visibility", {"visibility": "hidden"}, form_url="/learner/privacy"
    )
    assert ranked_pages.candidates_for(order).total == 0
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {
        "privacy.consent_withdrawn",
        "privacy.consent_given",
        "privacy.visibility_changed",
    } <= actions


def test_export_my_data_is_json_and_audited(client, ctx, login):
    user, learner = _learner(login)
    applications.apply(make_order(make_org()), learner, user, "Xin chào")
    response = submit(client, "/learner/privacy/export", {}, form_url="/learner/privacy")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == user.email
    assert data["applications"][0]["message"] == "Xin chào"
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "data.exported")
        )
        == 1
    )


def test_who_viewed_my_profile(client, ctx, login):
    _user, learner = _learner(login)
    org = make_org(name="Công ty Xem Hồ Sơ")
    boss = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    profiles.view_candidate(order, learner.id, boss)
    html = client.get("/learner/privacy").get_data(as_text=True)
    assert "Công ty Xem Hồ Sơ" in html


def test_delete_account_erases_personal_data_but_keeps_statistics(client, ctx, login):
    user, learner = _learner(login)
    learner.phone = "0900000000"
    learner.cv_text = "CV riêng tư"
    db.session.commit()
    order = make_order(make_org())
    app = applications.apply(order, learner, user, "Thư riêng")
    learner_id, user_id, email = learner.id, user.id, user.email
    response = submit(
        client,
        "/learner/privacy/delete",
        {"password": "wrong", "confirm": "y"},
        form_url="/learner/privacy",
    )
    assert db.session.get(User, user_id) is not None
    response = submit(
        client,
        "/learner/privacy/delete",
        {"password": PASSWORD, "confirm": "y"},
        form_url="/learner/privacy",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    row = db.session.get(Learner, learner_id)
    assert row.email is None and row.phone is None and row.cv_text == "" and row.skills == []
    assert row.full_name != "Người dùng" and row.visibility is Visibility.HIDDEN
    app = db.session.get(Application, app.id)
    assert app.status is ApplicationStatus.WITHDRAWN and app.message is None
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert any(e.action == "account.deleted" and e.object_id == learner_id for e in events)
    assert not any(
        email in json.dumps(e.detail) or e.ip for e in events if e.object_id == learner_id
    )
    assert client.get("/learner/").status_code in (302, 401)


def test_learner_pages_render_in_english_too(client, ctx, login):
    user, _learner_row = _learner(login)
    user.locale = "en"
    db.session.commit()
    make_order(make_org())
    db.session.commit()
    for url, text in (
        ("/learner/matches", "My matches"),
        ("/learner/next-skills", "Which skill to learn next"),
        ("/learner/privacy", "Who viewed my profile"),
        ("/learner/profile/edit", "Edit my profile"),
        ("/learner/applications", "My applications"),
        ("/learner/", "Best matches near you"),
    ):
        html = client.get(url).get_data(as_text=True)
        assert 'lang="en"' in html and text in html, url
