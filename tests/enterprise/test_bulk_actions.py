"""Bulk actions on an order's candidates: mixed and foreign ids, the message, one transaction."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import PASSWORD, make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Notification,
    Role,
    Visibility,
    utcnow,
)
from matchhub.services import ServiceError, applications, bulk_actions, notifications, privacy
from matchhub.services.learners import learner_of_user

S = ApplicationStatus


def _student(name: str, email: str):
    user = make_user(full_name=name, email=email)
    learner = learner_of_user(user)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    return user, learner


def _pipeline():
    """An order whose pipeline holds an applicant, a hire and a private shortlist, plus a
    ranked learner outside it and two ids that are nobody's business here."""
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, email="hr@vihoang.vn")
    order = make_order(org, title="Lập trình viên Python")
    people = {}
    for key, name in (("applied", "An"), ("hired", "Bình"), ("short", "Chi"), ("new", "Dũng")):
        people[key] = _student(name, f"{key}@sv.vn")
    applied = applications.apply(order, people["applied"][1], people["applied"][0])
    hired = applications.apply(order, people["hired"][1], people["hired"][0])
    applications.move(hired, hr, S.HIRED)
    short = applications.shortlist(order, people["short"][1], hr)
    # Another enterprise's applicant with a hidden profile: not a candidate of this order.
    rival_order = make_order(make_org(name="Đối thủ"))
    hidden_user, hidden = _student("Ẩn Danh", "an.danh@sv.vn")
    applications.apply(rival_order, hidden, hidden_user)
    hidden.visibility = Visibility.HIDDEN
    db.session.commit()
    ids = [
        applied.learner_id,
        hired.learner_id,
        short.learner_id,
        people["new"][1].id,
        hidden.id,
        987654,
    ]
    return hr, order, people, {"applied": applied, "hired": hired, "short": short}, ids


def _notices(user) -> list[Notification]:
    return notifications.unread_for(user)


def test_reject_moves_who_can_move_and_reports_the_rest(ctx, inbox):
    hr, order, people, apps, ids = _pipeline()
    inbox.messages.clear()
    before = {u.id: len(_notices(u)) for u, _lr in people.values()}
    outcome = bulk_actions.run(order, hr, "reject", ids, bulk_actions.template_text("reject"))
    assert sorted(outcome.moved) == ["An", "Chi"]
    assert [name for name, _why in outcome.skipped] == ["Bình", "Dũng"]
    assert "Đã tuyển" in outcome.skipped[0][1]  # "cannot move from “Hired”"
    assert outcome.ignored == 2 and outcome.messaged == 1
    db.session.expire_all()
    assert db.session.get(Application, apps["applied"].id).status is S.REJECTED
    assert db.session.get(Application, apps["short"].id).status is S.REJECTED
    assert db.session.get(Application, apps["hired"].id).status is S.HIRED
    # The applicant hears once, with the message and the new stage; the shortlist never.
    an = people["applied"][0]
    assert before[an.id] == 0
    [notice] = _notices(an)
    assert notice.kind == "application.message" and notice.payload["stage"] == "rejected"
    [mail] = inbox.messages
    assert mail["To"] == "applied@sv.vn"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Chào An," in body and "“Lập trình viên Python”" in body and "Vị Hoàng" in body
    chi = people["short"][0]
    assert len(_notices(chi)) == before[chi.id]
    [message] = db.session.scalars(sa.select(ApplicationMessage)).all()
    assert message.application_id == apps["applied"].id


def test_invite_adds_ranked_learners_and_invites_the_shortlist(ctx, inbox):
    org = make_org(name="Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org, title="Thực tập Python")
    (u1, l1), (u2, l2) = _student("Hà", "ha@sv.vn"), _student("Lan", "lan@sv.vn")
    applications.shortlist(order, l2, hr)
    outcome = bulk_actions.run(order, hr, "invite", [l1.id, l2.id], "Chào {name}, mời bạn.")
    assert sorted(outcome.moved) == ["Hà", "Lan"] and outcome.messaged == 2
    for user, name in ((u1, "Hà"), (u2, "Lan")):
        [notice] = _notices(user)  # one notice, not an invitation and a message
        assert notice.kind == "application.message" and notice.payload["stage"] == "invited"
        [mail] = inbox.to(user.email)
        assert f"Chào {name}, mời bạn." in mail.get_body(preferencelist=("plain",)).get_content()
    statuses = db.session.scalars(sa.select(Application.status)).all()
    assert statuses == [S.INVITED, S.INVITED]


def test_shortlisting_tells_nobody_and_skips_who_is_already_in(ctx, inbox):
    hr, order, _people, _apps, ids = _pipeline()
    inbox.messages.clear()
    outcome = bulk_actions.run(order, hr, "shortlist", ids, "Chào {name}")
    assert outcome.moved == ["Dũng"] and outcome.messaged == 0
    assert len(outcome.skipped) == 3 and outcome.ignored == 2
    assert inbox.messages == []
    assert db.session.scalar(sa.select(sa.func.count(ApplicationMessage.id))) == 0


def test_a_message_too_long_for_one_candidate_changes_nothing(ctx):
    hr, order, _people, apps, ids = _pipeline()
    long_text = "{name}" + "x" * (bulk_actions.messages.MAX_BODY - 1)  # "An" makes it 2,001
    with pytest.raises(ServiceError) as refused:
        bulk_actions.run(order, hr, "reject", ids, long_text)
    assert refused.value.field == "message"
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Application, apps["applied"].id).status is S.APPLIED
    assert db.session.get(Application, apps["short"].id).status is S.SHORTLISTED


def test_placeholders_fill_only_the_three_names():
    learner = SimpleNamespace(full_name="Hà")
    order = SimpleNamespace(title="Python", organization=SimpleNamespace(name="Vị Hoàng"))
    text = bulk_actions.personalise(
        "{name} {order} {org} {name.__class__} {0} {{name}}", learner, order
    )
    assert text == "Hà Python Vị Hoàng {name.__class__} {0} {Hà}"


def test_parse_ids_keeps_digits_once_and_in_range():
    raw = ["3", "abc", "3", "-1", "", " 7 ", "99999999999999", "0", "1e3"]
    assert bulk_actions.parse_ids(raw) == [3, 7]


# --- the pages ---


def _form_data(ids, **extra):
    return {"learner_id": [str(i) for i in ids], **extra}


def test_the_review_page_then_the_result(client, ctx, login):
    hr, order, _people, _apps, ids = _pipeline()
    login(hr.email)
    pipeline = f"/enterprise/orders/{order.id}/pipeline"
    html = client.get(pipeline).get_data(as_text=True)
    assert 'id="bulk-form"' in html and 'form="bulk-form"' in html
    review = submit(
        client,
        f"/enterprise/orders/{order.id}/bulk",
        _form_data(ids, action="reject", next_url=pipeline),
        form_url=pipeline,
    )
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "2 ứng viên sẽ được chuyển" in page and "2 ứng viên sẽ bị bỏ qua" in page
    assert "2 lựa chọn không phải ứng viên của đơn này" in page
    assert "Ẩn Danh" not in page  # an ignored id is counted, never named
    assert "Cảm ơn bạn đã quan tâm đến vị trí “{order}”" in page  # the template, editable
    done = submit(
        client,
        f"/enterprise/orders/{order.id}/bulk/apply",
        _form_data(ids, action="reject", message="Chào {name}, cảm ơn bạn."),
        form_url=pipeline,
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(pipeline)
    flashed = client.get(pipeline).get_data(as_text=True)
    assert "Đã chuyển 2 ứng viên; bỏ qua 2: Bình" in flashed
    assert "bỏ qua 2 lựa chọn" in flashed and "đã gửi 1 tin nhắn" in flashed
    [message] = db.session.scalars(sa.select(ApplicationMessage)).all()
    assert message.body == "Chào An, cảm ơn bạn."


def test_everyone_on_the_page_without_javascript(client, ctx, login):
    org = make_org()
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    learners = [make_learner(full_name=f"Học viên {i}") for i in range(3)]
    login(hr.email)
    candidates = f"/enterprise/orders/{order.id}/candidates?tier=all"
    html = client.get(candidates).get_data(as_text=True)
    assert html.count('name="every"') == 3 and 'id="bulk-page"' in html
    review = submit(
        client,
        f"/enterprise/orders/{order.id}/bulk",
        {"every": [str(lr.id) for lr in learners], "scope": "page", "action": "shortlist"},
        form_url=candidates,
    )
    assert "3 ứng viên sẽ được chuyển" in review.get_data(as_text=True)
    submit(
        client,
        f"/enterprise/orders/{order.id}/bulk/apply",
        _form_data([lr.id for lr in learners], action="shortlist"),
        form_url=candidates,
    )
    statuses = db.session.scalars(sa.select(Application.status)).all()
    assert statuses == [S.SHORTLISTED] * 3


def test_choosing_another_template_on_the_review_page(client, ctx, login):
    hr, order, _people, _apps, ids = _pipeline()
    login(hr.email)
    pipeline = f"/enterprise/orders/{order.id}/pipeline"
    page = submit(
        client,
        f"/enterprise/orders/{order.id}/bulk",
        _form_data(ids[:1], action="reject", template="next_steps", use_template="1"),
        form_url=pipeline,
    ).get_data(as_text=True)
    assert "Chúng tôi sẽ sớm liên hệ với bạn về các bước tiếp theo." in page


@pytest.mark.parametrize(
    "data",
    [
        {"action": "drop", "learner_id": ["1"]},
        {"action": "reject"},
        {"action": "reject", "learner_id": ["abc", "-4", "99999999999999999999"]},
        {"action": ["reject", "invite"], "learner_id": ["1"] * 500},
        {"action": "invite", "learner_id": ["1"], "template": "../../etc", "use_template": "1"},
    ],
    ids=["unknown-action", "no-ids", "junk-ids", "repeated", "bad-template"],
)
def test_hostile_bulk_posts_never_fail(client, ctx, login, data):
    hr, order, _people, apps, _ids = _pipeline()
    login(hr.email)
    token = csrf_token(client, f"/enterprise/orders/{order.id}/pipeline")
    for step in ("bulk", "bulk/apply"):
        response = client.post(
            f"/enterprise/orders/{order.id}/{step}", data={**data, "csrf_token": token}
        )
        assert response.status_code in (200, 302)
    statuses = {a.id: a.status for a in db.session.scalars(sa.select(Application))}
    assert statuses[apps["applied"].id] is S.APPLIED


def test_a_message_with_too_long_text_is_shown_again_with_its_error(client, ctx, login):
    hr, order, _people, apps, ids = _pipeline()
    login(hr.email)
    pipeline = f"/enterprise/orders/{order.id}/pipeline"
    response = submit(
        client,
        f"/enterprise/orders/{order.id}/bulk/apply",
        _form_data(ids, action="reject", message="dài " * 700),
        form_url=pipeline,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="message-errors"' in html
    assert "invalid-feedback" in html
    assert db.session.get(Application, apps["applied"].id).status is S.APPLIED


def test_bulk_posts_need_the_csrf_token_and_the_orders_owner(client, ctx, login):
    hr, order, _people, apps, ids = _pipeline()
    login(hr.email)
    url = f"/enterprise/orders/{order.id}/bulk/apply"
    assert client.post(url, data=_form_data(ids, action="reject")).status_code == 400
    rival = make_user(Role.ENTERPRISE, org=make_org(name="Đối thủ 2"))
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    login(rival.email)
    token = csrf_token(client, "/enterprise/")
    response = client.post(url, data={**_form_data(ids, action="reject"), "csrf_token": token})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Application, apps["applied"].id).status is S.APPLIED


def test_an_erased_learner_is_ignored_like_an_unknown_id(ctx):
    hr, order, people, apps, _ids = _pipeline()
    user, learner = people["applied"]
    privacy.delete_account(learner, user, PASSWORD)
    outcome = bulk_actions.run(order, hr, "reject", [learner.id], "Chào {name}")
    assert outcome.moved == [] and outcome.ignored == 1 and outcome.messaged == 0
    assert db.session.get(Application, apps["applied"].id).status is S.WITHDRAWN
