"""Email confirmation: registering never logs in, the mailed link does (once, in time)."""

import re

import sqlalchemy as sa
from conftest import submit
from factories import cohort_csv, cohort_rows, make_org, make_programme, make_user

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import Learner, OrgKind, Role, User
from matchhub.services import accounts, confirmation, imports

NEW_PASSWORD = "mat-khau-rat-dai-2026"


def _register(client, url="/auth/register", **data):
    form = {
        "role": "learner",
        "full_name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "locality": "nd-nam-dinh",
    }
    form.update(data)
    return submit(client, url, form)


def _links(caplog) -> list[str]:
    """Confirmation links the jobs wrote to the log (no mail server in the tests)."""
    return re.findall(r"(/auth/confirm/\S+)", caplog.text)


def _logged_in(client) -> bool:
    return client.get("/learner/").status_code == 200


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_registration_does_the_same_work_for_new_and_taken_addresses(app, ctx):
    """Nobody is logged in, both get the same answer, and each request enqueues the same one
    job with the address: whether it had an account is only found out in the job."""
    make_user(email="taken@example.vn")
    taken, new = app.test_client(), app.test_client()
    with jobs.capture() as queued:
        answers = [
            _register(taken, email="taken@example.vn"),
            _register(new, email="new@example.vn"),
        ]
    assert [r.status_code for r in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"] == "/auth/login"
    assert _page(answers[0]) == _page(answers[1])
    assert [(j.path, j.args) for j in queued] == [
        ("matchhub.auth.jobs:after_registration", ["taken@example.vn", None]),
        ("matchhub.auth.jobs:after_registration", ["new@example.vn", None]),
    ]
    assert not _logged_in(taken) and not _logged_in(new)


def test_unconfirmed_account_cannot_log_in_and_can_ask_for_the_link_again(client, ctx, caplog):
    with caplog.at_level("WARNING"):
        _register(client)
    first = _links(caplog)
    assert len(first) == 1
    response = submit(client, "/auth/login", {"email": "an@example.vn", "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert "Hãy xác nhận địa chỉ email trước" in _page(response)
    assert "/auth/confirm-again" in _page(response)
    assert not _logged_in(client)
    with caplog.at_level("WARNING"):
        again = submit(
            client, "/auth/confirm-again", {"email": "an@example.vn"}, form_url="/auth/login"
        )
    assert again.headers["Location"] == "/auth/login"
    assert len(_links(caplog)) == 2  # a new link went out
    assert submit(client, _links(caplog)[-1], {}).headers["Location"] == "/learner/"
    assert _logged_in(client)


def test_wrong_password_on_an_unconfirmed_account_says_only_the_usual_error(client, ctx):
    _register(client)
    response = submit(client, "/auth/login", {"email": "an@example.vn", "password": "sai-roi-nhe"})
    page = _page(response)
    assert "Sai email hoặc mật khẩu" in page
    assert "xác nhận" not in page and "/auth/confirm-again" not in page


def test_send_again_answers_and_works_the_same_for_every_address(app, ctx):
    make_user(email="confirmed@example.vn")
    unconfirmed = make_user(email="waiting@example.vn", email_confirmed_at=None)
    answers = []
    with jobs.capture() as queued:
        for email in ("waiting@example.vn", "confirmed@example.vn", "nobody@example.vn"):
            client = app.test_client()
            answers.append(
                submit(client, "/auth/confirm-again", {"email": email}, form_url="/auth/login")
            )
    assert {(r.status_code, r.headers["Location"]) for r in answers} == {(302, "/auth/login")}
    assert [(j.path, j.args) for j in queued] == [
        ("matchhub.auth.jobs:send_confirmation", [email])
        for email in ("waiting@example.vn", "confirmed@example.vn", "nobody@example.vn")
    ]
    assert confirmation.waiting("confirmed@example.vn") is None
    assert confirmation.waiting("waiting@example.vn") == unconfirmed


def test_confirmation_link_works_once(client, ctx, caplog):
    with caplog.at_level("WARNING"):
        _register(client)
    [link] = _links(caplog)
    opened = client.get(link)  # a mail scanner fetching the link confirms nothing
    assert opened.status_code == 200 and "Xác nhận địa chỉ của tôi" in _page(opened)
    assert db.session.scalar(sa.select(User.email_confirmed_at)) is None
    assert submit(client, link, {}).headers["Location"] == "/learner/"
    assert db.session.scalar(sa.select(User.email_confirmed_at)) is not None
    submit(client, "/auth/logout", {}, form_url="/learner/")
    again = submit(client, link, {}, follow_redirects=True)
    assert "đã được sử dụng" in _page(again)
    assert not _logged_in(client)
    # confirmed: the password now lets her in
    response = submit(client, "/auth/login", {"email": "an@example.vn", "password": NEW_PASSWORD})
    assert response.headers["Location"] == "/learner/"


def test_expired_and_tampered_links_are_refused_clearly(app, client, ctx, caplog, monkeypatch):
    with caplog.at_level("WARNING"):
        _register(client)
    [link] = _links(caplog)
    tampered = submit(client, link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"), {})
    assert "không hợp lệ" in _page(client.get(tampered.headers["Location"]))
    reset_like = accounts.link_token("password-reset", {"uid": 1, "v": 1})  # another purpose
    submit(client, f"/auth/confirm/{reset_like}", {})
    assert "không hợp lệ" in _page(client.get("/auth/login"))
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_MAX_AGE", -1)  # every link is too old
    expired = submit(client, link, {}, follow_redirects=True)
    assert "đã hết hạn" in _page(expired)
    assert not _logged_in(client)
    assert db.session.scalar(sa.select(User.email_confirmed_at)) is None


def test_registering_an_unconfirmed_address_again_takes_the_account_over(app, ctx, caplog):
    """Whoever registered someone else's address first cannot keep the account: a later
    registration sets its password, and only links mailed after it work."""
    squatter, owner = app.test_client(), app.test_client()
    with caplog.at_level("WARNING"):
        _register(squatter, password="mat-khau-ke-gian-1", confirm="mat-khau-ke-gian-1")
        _register(owner)
    old_link, new_link = _links(caplog)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    submit(owner, old_link, {})
    assert not _logged_in(owner)
    assert submit(owner, new_link, {}).headers["Location"] == "/learner/"
    refused = submit(
        squatter, "/auth/login", {"email": "an@example.vn", "password": "mat-khau-ke-gian-1"}
    )
    assert "Sai email hoặc mật khẩu" in _page(refused)


def test_confirming_leads_a_learner_back_to_a_local_next_only(client, ctx):
    user = make_user(email="an@example.vn", email_confirmed_at=None)
    evil = confirmation.link_token(user, "https://evil.example/x")
    assert submit(client, f"/auth/confirm/{evil}", {}).headers["Location"] == "/learner/"


def test_a_reset_link_confirms_the_address_too(client, ctx, caplog):
    user = make_user(email="an@example.vn", email_confirmed_at=None)
    token = accounts.password_reset_token(user)
    submit(client, f"/auth/reset/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None


def test_accounts_made_by_other_paths_are_confirmed(ctx):
    admin = accounts.create_admin("admin@example.vn", "Quản trị", "mot-mat-khau-rat-kho-doan")
    assert admin.email_confirmed_at is not None


def test_claim_invitation_registration_comes_back_to_the_claim_once_confirmed(client, ctx, caplog):
    """From an invitation, "create an account" carries the claim page through the mailed
    link: confirming logs the learner in on it, and she takes the profile over."""
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT")
    imports.import_file(college, None, cohort_csv(cohort_rows(1)), "k.csv")
    code = db.session.scalar(sa.select(Learner.claim_code).where(Learner.college_id == college.id))
    claim = f"/auth/claim/{code}"
    register = re.search(r'href="(/auth/register\?next=[^"]+)"', _page(client.get(claim)))
    register_url = register.group(1).replace("&amp;", "&")
    with caplog.at_level("WARNING"):
        _register(client, url=register_url)
    [link] = _links(caplog)
    assert submit(client, link, {}).headers["Location"] == claim
    assert submit(client, claim, {"consent": "y"}).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "an@example.vn"))
    assert user.role is Role.LEARNER and user.email_confirmed_at is not None
    assert db.session.scalar(sa.select(Learner.user_id).where(Learner.claim_code.is_(None))) == (
        user.id
    )
