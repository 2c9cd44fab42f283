"""Enterprises rank candidates, shortlist, invite, move them through the pipeline, export."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import openpyxl
import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Order,
    OrderStatus,
    Role,
    VerificationState,
    Visibility,
)
from matchhub.services import ranked_pages
from matchhub.services.orders import today_in_vietnam


def _enterprise(login, **kw):
    org = make_org(**kw)
    user = make_user(Role.ENTERPRISE, org=org)
    login(user.email)
    return org, user


def _market(org):
    order = make_order(org, skills=("python", "sql"))
    best = make_learner(skills=(("python", 4), ("sql", 4)), phone="0912345678")
    other = make_learner(skills=(("python", 2),))
    hidden = make_learner(skills=(("python", 5), ("sql", 5)), visibility=Visibility.HIDDEN)
    db.session.commit()
    return order, best, other, hidden


def test_candidates_are_ranked_with_reasons_and_no_contacts(client, ctx, login):
    org, _ = _enterprise(login)
    order, best, other, hidden = _market(org)
    page = client.get(f"/enterprise/orders/{order.id}/candidates")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # by default, those who meet or nearly meet the requirements: `other` lacks SQL
    assert f'data-learner-id="{best.id}"' in html and f'data-learner-id="{other.id}"' not in html
    assert "Đáp ứng đủ" in html
    html = client.get(f"/enterprise/orders/{order.id}/candidates?tier=all").get_data(as_text=True)
    assert html.index(f'data-learner-id="{best.id}"') < html.index(f'data-learner-id="{other.id}"')
    assert ">Thiếu: " in html
    assert f'data-learner-id="{hidden.id}"' not in html
    assert 'data-component="required"' in html and 'data-skill="python"' in html
    assert 'data-component="overlap"' in html  # every part of the score has its row
    assert best.email not in html and "0912345678" not in html


def test_candidate_filters_and_min_score(client, ctx, login):
    org, _ = _enterprise(login)
    order, best, other, _hidden = _market(org)
    html = client.get(f"/enterprise/orders/{order.id}/candidates?tier=all&min_score=50").get_data(
        as_text=True
    )
    assert f'data-learner-id="{best.id}"' in html
    assert f'data-learner-id="{other.id}"' not in html
    html = client.get(f"/enterprise/orders/{order.id}/candidates?graduation_year=1999").get_data(
        as_text=True
    )
    assert 'data-total="0"' in html


def test_viewing_a_profile_is_audited_for_the_learner(client, ctx, login):
    org, user = _enterprise(login)
    order, best, _other, hidden = _market(org)
    page = client.get(f"/enterprise/orders/{order.id}/candidates/{best.id}")
    assert page.status_code == 200
    assert best.email not in page.get_data(as_text=True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "profile.viewed"))
    assert event.object_id == best.id and event.organization_id == org.id
    assert event.actor_id == user.id
    assert client.get(f"/enterprise/orders/{order.id}/candidates/{hidden.id}").status_code == 404


def test_shortlist_invite_apply_hire_with_history(client, ctx, login):
    org, _ = _enterprise(login)
    order, best, _other, _hidden = _market(org)
    url = f"/enterprise/orders/{order.id}/candidates/{best.id}/shortlist"
    form = f"/enterprise/orders/{order.id}/candidates"
    assert submit(client, url, {"invite": "1"}, form_url=form).status_code == 302
    app = db.session.scalar(sa.select(Application))
    assert app.status is ApplicationStatus.INVITED
    # Invited, not applied: the contact stays hidden.
    detail = client.get(f"/enterprise/applications/{app.id}").get_data(as_text=True)
    assert best.email not in detail

    from matchhub.services import applications

    applications.accept_invitation(app, best.user or make_user(), "Em rất quan tâm.")
    detail = client.get(f"/enterprise/applications/{app.id}").get_data(as_text=True)
    assert best.email in detail and "0912345678" in detail

    detail_url = f"/enterprise/applications/{app.id}"
    response = submit(
        client,
        f"/enterprise/applications/{app.id}/move",
        {"to_status": "interview", "note": "bước phỏng vấn"},
        form_url=detail_url,
    )
    assert response.status_code == 302
    today = today_in_vietnam()
    response = submit(
        client,
        f"/enterprise/applications/{app.id}/job-offer",
        {
            "position": "Lập trình viên Python",
            "start_date": (today + timedelta(days=30)).isoformat(),
            "reply_by": (today + timedelta(days=7)).isoformat(),
            "salary": "12000000",
        },
        form_url=detail_url,
    )
    assert response.status_code == 302
    # Hired only by the candidate's acceptance, never by a move.
    submit(
        client,
        f"/enterprise/applications/{app.id}/move",
        {"to_status": "hired"},
        form_url=detail_url,
    )
    db.session.refresh(app)
    assert app.status is ApplicationStatus.OFFER
    from matchhub.services import job_offers

    job_offers.accept(app, best.user or make_user())
    db.session.refresh(app)
    assert app.status is ApplicationStatus.HIRED
    assert [e.to_status.value for e in app.events] == [
        "shortlisted",
        "invited",
        "applied",
        "interview",
        "offer",
        "hired",
    ]
    pipeline = client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True)
    assert 'data-stage="hired" data-count="1"' in pipeline


def test_illegal_moves_are_refused(client, ctx, login):
    org, user = _enterprise(login)
    order, best, _other, _hidden = _market(org)
    from matchhub.services import applications

    app = applications.shortlist(order, best, user)
    submit(
        client,
        f"/enterprise/applications/{app.id}/move",
        {"to_status": "hired"},
        form_url=f"/enterprise/applications/{app.id}",
    )
    db.session.refresh(app)
    assert app.status is ApplicationStatus.SHORTLISTED


def test_export_escapes_formulas_hides_contacts_and_is_audited(client, ctx, login):
    org, user = _enterprise(login)
    order, best, other, _hidden = _market(org)
    best.full_name = '=HYPERLINK("http://evil")'
    db.session.commit()
    from matchhub.services import applications

    applications.shortlist(order, best, user)
    applications.shortlist(order, other, user)
    response = client.get(f"/enterprise/orders/{order.id}/pipeline/export.csv")
    assert response.status_code == 200
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3
    fit = rows[0].index("Mức phù hợp")
    assert {r[fit] for r in rows[1:]} <= {"Đáp ứng đủ", "Gần đủ", "Thiếu yêu cầu"}
    assert all(r[fit] for r in rows[1:])
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert best.email not in body.decode("utf-8-sig")
    response = client.get(f"/enterprise/orders/{order.id}/pipeline/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row}
    # The name reads as written; the quote-prefix style keeps it from ever being run.
    evil = cells['=HYPERLINK("http://evil")']
    assert (evil.data_type, evil.quotePrefix) == ("s", True)
    assert sheet.title == "Quy trình tuyển"
    actions = db.session.scalars(
        sa.select(AuditEvent.detail)
        .where(AuditEvent.action == "pipeline.exported")
        .order_by(AuditEvent.id)
    ).all()
    assert [d["format"] for d in actions] == ["csv", "xlsx"]


def test_hidden_learner_never_exported(client, ctx, login):
    org, user = _enterprise(login)
    order, best, _other, _hidden = _market(org)
    from matchhub.services import applications, privacy

    applications.shortlist(order, best, user)
    privacy.set_visibility(best, best.user or make_user(), Visibility.HIDDEN)
    body = client.get(f"/enterprise/orders/{order.id}/pipeline/export.csv").data.decode("utf-8-sig")
    assert best.full_name not in body
    pipeline = client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True)
    assert best.full_name not in pipeline


def test_duplicate_makes_a_draft_copy(client, ctx, login):
    org, _ = _enterprise(login)
    order = make_order(org, skills=("python", "sql"))
    response = submit(
        client,
        f"/enterprise/orders/{order.id}/duplicate",
        {},
        form_url=f"/enterprise/orders/{order.id}",
    )
    assert response.status_code == 302
    copy = db.session.scalar(sa.select(Order).where(Order.id != order.id))
    assert copy.status is OrderStatus.DRAFT
    assert {s.skill_id for s in copy.skills} == {s.skill_id for s in order.skills}


def test_weights_are_read_from_the_skill_text(client, ctx, login):
    _org, _ = _enterprise(login)
    from test_orders import _form

    response = submit(
        client, "/enterprise/orders/new", _form(required_skills="pyhton:4*2\nSQL*0.5")
    )
    assert response.status_code == 302
    order = db.session.scalar(sa.select(Order))
    weights = {s.skill.slug: (s.level, s.weight) for s in order.required_skills}
    assert weights == {"python": (4, 2.0), "sql": (3, 0.5)}
    edit = client.get(f"/enterprise/orders/{order.id}/edit").get_data(as_text=True)
    assert "Python:4*2" in edit
    response = submit(client, "/enterprise/orders/new", _form(required_skills="Python*9"))
    assert response.status_code == 200  # refused with a field error


def test_skill_suggestions_read_typos_and_prefixes(client, ctx, login):
    _enterprise(login)
    data = client.get("/enterprise/skills/suggest?q=pyhton").get_json()
    assert data["skills"][0]["slug"] == "python"
    data = client.get("/enterprise/skills/suggest?q=jav").get_json()
    assert "java" in [s["slug"] for s in data["skills"]]
    assert client.get("/enterprise/skills/suggest?q=").get_json()["skills"] == []


def test_unverified_enterprise_sees_no_candidates(client, ctx, login):
    org, _ = _enterprise(login, state=VerificationState.PENDING)
    order = make_order(org, status=OrderStatus.DRAFT)
    learner = make_learner()
    html = client.get(f"/enterprise/orders/{order.id}/candidates").get_data(as_text=True)
    assert f'data-learner-id="{learner.id}"' not in html
    assert client.get(f"/enterprise/orders/{order.id}/candidates/{learner.id}").status_code == 404
    token = csrf_token(client, f"/enterprise/orders/{order.id}")
    client.post(
        f"/enterprise/orders/{order.id}/candidates/{learner.id}/shortlist",
        data={"csrf_token": token, "invite": "0"},
    )
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_pages_render_in_english_too(client, ctx, login):
    org, user = _enterprise(login)
    user.locale = "en"
    db.session.commit()
    order, _best, _other, _hidden = _market(org)
    html = client.get(f"/enterprise/orders/{order.id}/candidates").get_data(as_text=True)
    assert 'lang="en"' in html
    assert f"Candidates for {order.title}" in html and "Why this score" in html
    html = client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True)
    assert "Export CSV" in html


def test_candidates_are_paginated_keeping_the_filters(client, ctx, login):
    org, _ = _enterprise(login)
    order = make_order(org, skills=("python",))
    for _ in range(23):
        make_learner(skills=(("python", 3),))
    db.session.commit()
    html = client.get(f"/enterprise/orders/{order.id}/candidates?graduation_year=2026").get_data(
        as_text=True
    )
    assert html.count('class="card mb-3 candidate"') == 20
    assert f"/enterprise/orders/{order.id}/candidates?graduation_year=2026&amp;page=2" in html
    second = client.get(
        f"/enterprise/orders/{order.id}/candidates?graduation_year=2026&page=2"
    ).get_data(as_text=True)
    assert second.count('class="card mb-3 candidate"') == 3


def test_related_credit_reads_related_skill_and_leaves_the_skill_missing(client, ctx, login):
    """Accounting ~ finance are related, never merged: the candidate earns part of the
    credit, the card names the related skill, and the tier still says what is missing."""
    org, _ = _enterprise(login)
    order = make_order(org, skills=("accounting",))
    related = make_learner(skills=(("finance", 4),))
    unrelated = make_learner(skills=(("photoshop", 4),))
    db.session.commit()
    results = {c.learner.id: c.result for c in ranked_pages.candidates_for(order).items}
    credited = results[related.id]
    assert [(m.skill_id, m.via) for m in credited.related] == [("accounting", "finance")]
    assert credited.score > results[unrelated.id].score
    assert credited.tier == results[unrelated.id].tier  # related credit never lifts a tier
    html = client.get(f"/enterprise/orders/{order.id}/candidates?tier=all").get_data(as_text=True)
    card = html[html.index(f'data-learner-id="{related.id}"') :]
    card = card[: card.index("</li>")]
    assert 'data-related="finance"' in card and "kỹ năng liên quan" in card
    assert ">Thiếu: " in card


def test_a_newly_related_tool_is_shown_as_related_skill(client, ctx, login):
    """Visual Studio ~ .NET (session 6): a Visual Studio user earns part of a .NET
    requirement's credit and the card says "kỹ năng liên quan"."""
    org, _ = _enterprise(login)
    order = make_order(org, skills=("dotnet",))
    related = make_learner(skills=(("visual-studio", 4),))
    unrelated = make_learner(skills=(("photoshop", 4),))
    db.session.commit()
    results = {c.learner.id: c.result for c in ranked_pages.candidates_for(order).items}
    credited = results[related.id]
    assert [(m.skill_id, m.via) for m in credited.related] == [("dotnet", "visual-studio")]
    assert credited.score > results[unrelated.id].score
    html = client.get(f"/enterprise/orders/{order.id}/candidates?tier=all").get_data(as_text=True)
    card = html[html.index(f'data-learner-id="{related.id}"') :]
    card = card[: card.index("</li>")]
    assert 'data-related="visual-studio"' in card and "kỹ năng liên quan" in card


def test_tier_words_say_how_far_each_candidate_is(client, ctx, login):
    org, _ = _enterprise(login)
    order = make_order(org, skills=("python", "sql"))  # level 3 each
    meets = make_learner(skills=(("python", 3), ("sql", 5)))
    near = make_learner(skills=(("python", 2), ("sql", 3)))
    far = make_learner(skills=(("python", 1), ("sql", 3)))
    lacks = make_learner(skills=(("python", 5),))
    db.session.commit()

    def words(html, learner):
        card = html[html.index(f'data-learner-id="{learner.id}"') :]
        return re.search(r'class="badge tier[^"]*" data-tier="(\w+)">([^<]*)<', card).groups()

    url = f"/enterprise/orders/{order.id}/candidates?tier=all"
    html = client.get(url).get_data(as_text=True)
    assert words(html, meets) == ("meets", "Đáp ứng đủ")
    assert words(html, near) == ("near", "Gần đủ: thiếu 1 mức ở Python")
    assert words(html, far) == ("missing", "Còn xa mức yêu cầu: thiếu 2 mức ở Python")
    assert words(html, lacks)[0] == "missing" and words(html, lacks)[1].startswith("Thiếu: ")
    # no 'qualifies' beside 'below the level asked' any more
    assert "đạt yêu cầu" not in html
    client.set_cookie("lang", "en")
    html = client.get(url).get_data(as_text=True)
    assert words(html, meets) == ("meets", "Meets the requirements")
    assert words(html, near) == ("near", "Nearly: one level short in Python")
    assert words(html, far) == ("missing", "Far below the level asked: 2 levels short in Python")
