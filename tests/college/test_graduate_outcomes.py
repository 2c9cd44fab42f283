"""Graduates' situation at 6 and 12 months: the survey link, the college's records, the
outcomes page and its exports, and the answers as the learner's personal data."""

import io
import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import PASSWORD, make_learner, make_org, make_programme, make_user
from openpyxl import load_workbook

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import (
    AuditEvent,
    GraduateOutcome,
    Learner,
    OrgKind,
    OutcomeSource,
    Role,
    Situation,
    VerificationState,
)
from matchhub.services import ServiceError, learners, outcomes, privacy, surveys

YEAR = 2024  # graduated 1 July 2024: 6 months on 1 January 2025, 12 months on 1 July 2025


def _college(state=VerificationState.VERIFIED, code="NDTC"):
    college = make_org(OrgKind.COLLEGE, code=code, state=state)
    return college, make_user(Role.COLLEGE, org=college)


def _graduate(college, programme=None, skills=(("python", 3),), **kw):
    return make_learner(
        college, programme_id=programme.id if programme else None, graduation_year=YEAR,
        skills=skills, **kw,
    )  # fmt: skip


@pytest.fixture
def on(monkeypatch):
    """``on(date)``: the survey service's today (Vietnam's calendar) is that day."""

    def _set(day: date):
        monkeypatch.setattr(surveys, "today_in_vietnam", lambda: day)

    return _set


def _rows():
    db.session.expire_all()
    return {(r.learner_id, r.wave): r for r in db.session.scalars(sa.select(GraduateOutcome)).all()}


# --- Waves ---


def test_a_cohorts_waves_open_on_fixed_days_and_close_when_the_next_opens():
    assert surveys.wave_opens(YEAR, 6) == date(2025, 1, 1)
    assert surveys.wave_opens(YEAR, 12) == date(2025, 7, 1)
    assert surveys.open_wave(YEAR, date(2024, 12, 31)) is None
    assert surveys.open_wave(YEAR, date(2025, 1, 1)) == 6
    assert surveys.open_wave(YEAR, date(2025, 6, 30)) == 6
    assert surveys.open_wave(YEAR, date(2025, 7, 1)) == 12
    assert surveys.open_wave(YEAR, date(2026, 6, 30)) == 12
    assert surveys.open_wave(YEAR, date(2026, 7, 1)) is None
    assert surveys.open_wave(None, date(2025, 3, 1)) is None


# --- The survey link ---


def test_the_link_opens_one_question_and_saves_the_answer_without_login(client, ctx):
    college, _user = _college()
    learner = _graduate(college)
    url = f"/survey/{surveys.survey_token(learner, 6)}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert college.name in html and 'name="situation"' in html
    assert learner.full_name not in html  # a forwarded link shows nobody's name
    done = submit(client, url, {"situation": "employed_in_field"})
    assert done.status_code == 200 and 'id="survey-done"' in done.get_data(as_text=True)
    row = _rows()[(learner.id, 6)]
    assert row.situation is Situation.EMPLOYED_IN_FIELD and row.source is OutcomeSource.LEARNER
    # the same link corrects the answer; the form shows the current one
    assert re.search(r'checked [^>]*id="situation-0"', client.get(url).get_data(as_text=True))
    submit(client, url, {"situation": "seeking"})
    assert _rows()[(learner.id, 6)].situation is Situation.SEEKING
    assert len(_rows()) == 1


def test_the_survey_needs_csrf_and_a_real_answer(client, ctx):
    college, _user = _college()
    learner = _graduate(college)
    url = f"/survey/{surveys.survey_token(learner, 12)}"
    client.get(url)
    assert client.post(url, data={"situation": "seeking"}).status_code == 400  # no CSRF token
    empty = submit(client, url, {"situation": ""})
    assert "Chọn câu trả lời" in empty.get_data(as_text=True)  # said, in Vietnamese
    for bad in ("hired", "x" * 10_000, "seeking\u0301"):
        response = submit(client, url, {"situation": bad})
        assert response.status_code == 200
        assert "invalid-feedback" in response.get_data(as_text=True)
    assert _rows() == {}


@pytest.mark.parametrize(
    "token",
    ["", "abc", "x" * 5000, "eyJsIjoxLCJ3Ijo2fQ.forged.signature"],
    ids=["dot", "short", "long", "forged"],
)
def test_a_forged_link_is_refused_without_a_500(client, ctx, token):
    response = client.get(f"/survey/{token or '.'}")
    assert response.status_code in (400, 404)
    assert _rows() == {}


def test_a_link_signed_for_another_purpose_or_naming_another_wave_is_refused(client, ctx, app):
    from matchhub.services import accounts

    college, _user = _college()
    learner = _graduate(college)
    for token in (
        accounts.link_token("password-reset", {"l": learner.id, "w": 6}),
        accounts.link_token("outcome-survey", {"l": learner.id, "w": 7}),
        accounts.link_token("outcome-survey", {"l": str(learner.id), "w": 6}),
        accounts.link_token("outcome-survey", {"l": learner.id + 1000, "w": 6}),
        accounts.link_token("outcome-survey", {"l": True, "w": 6}),
    ):
        response = client.get(f"/survey/{token}")
        assert response.status_code == 400
        assert 'id="survey-error"' in response.get_data(as_text=True)
        assert submit_answer(client, token).status_code == 400
    assert _rows() == {}


def submit_answer(client, token):
    # a POST to a refused link: no form to take a CSRF token from, so take one elsewhere
    csrf = csrf_token(client, "/auth/login")
    return client.post(f"/survey/{token}", data={"situation": "seeking", "csrf_token": csrf})


def test_the_link_expires(client, ctx, app, monkeypatch):
    from itsdangerous import TimestampSigner

    college, _user = _college()
    learner = _graduate(college)
    max_age = app.config["OUTCOME_SURVEY_MAX_AGE"]
    real = TimestampSigner.get_timestamp

    def signed_ago(seconds: int) -> str:
        with monkeypatch.context() as m:
            m.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - seconds)
            return surveys.survey_token(learner, 6)

    assert client.get(f"/survey/{signed_ago(max_age - 3600)}").status_code == 200
    old = signed_ago(max_age + 60)
    response = client.get(f"/survey/{old}")
    assert response.status_code == 400
    assert "hết hạn" in response.get_data(as_text=True)  # "expired", in Vietnamese
    assert submit_answer(client, old).status_code == 400
    assert _rows() == {}


def test_an_erased_learners_link_is_dead(client, ctx):
    college, _user = _college()
    user = make_user(Role.LEARNER)
    learner = learners.learner_of_user(user)
    learner.college_id, learner.graduation_year = college.id, YEAR
    db.session.commit()
    token = surveys.survey_token(learner, 6)
    privacy.delete_account(learner, user, PASSWORD)
    assert client.get(f"/survey/{token}").status_code == 400


def test_the_learner_dashboard_offers_the_survey_when_it_is_due(client, ctx, login, on):
    college, _user = _college()
    user = make_user(Role.LEARNER)
    learner = learners.learner_of_user(user)
    learner.college_id, learner.graduation_year = college.id, YEAR
    db.session.commit()
    login(user.email)
    on(date(2024, 12, 15))
    assert 'id="survey-due"' not in client.get("/learner/").get_data(as_text=True)
    on(date(2025, 2, 1))
    page = client.get("/learner/").get_data(as_text=True)
    assert 'id="survey-due"' in page
    link = re.search(r'href="(/survey/[^"]+)"', page).group(1)
    submit(client, link, {"situation": "studying"})
    assert 'id="survey-due"' not in client.get("/learner/").get_data(as_text=True)
    on(date(2025, 8, 1))  # the 12-month wave is a new question
    assert 'id="survey-due"' in client.get("/learner/").get_data(as_text=True)
    on(date(2026, 8, 1))  # two years on: nobody asks any more
    assert 'id="survey-due"' not in client.get("/learner/").get_data(as_text=True)
    learner.college_id = None  # signed up alone: no college to tell
    db.session.commit()
    on(date(2025, 8, 1))
    assert 'id="survey-due"' not in client.get("/learner/").get_data(as_text=True)
    assert _rows()[(learner.id, 6)].situation is Situation.STUDYING


# --- Mailing the links ---


def test_the_college_mails_a_cohort_its_links_through_a_job(client, ctx, login, inbox, on):
    college, user = _college()
    answered = _graduate(college)
    mailed = [_graduate(college) for _ in range(2)]
    _graduate(college, email=None)  # no address: nobody to mail
    make_learner(college, graduation_year=YEAR + 1)  # another cohort
    surveys.record_by_college(user, answered, {6: Situation.SEEKING})
    login(user.email)
    on(date(2025, 2, 1))
    response = submit(
        client, "/college/outcomes/surveys", {"year": str(YEAR), "wave": "6"},
        form_url="/college/outcomes", follow_redirects=True,
    )  # fmt: skip
    assert "2 đường dẫn khảo sát" in response.get_data(as_text=True)
    assert sorted(m["To"] for m in inbox.messages) == sorted(lr.email for lr in mailed)
    body = inbox.messages[0].get_body().get_content()
    assert college.name in body and "6 tháng" in body
    link = re.search(r"http://localhost(/survey/\S+)", body).group(1)
    assert client.get(link).status_code == 200
    rows = _rows()
    assert {rows[(lr.id, 6)].survey for lr in mailed} == {"sent"}
    assert rows[(answered.id, 6)].survey is None
    # a second click the same week mails nobody again
    with jobs.capture() as queued:
        assert surveys.send_surveys(user, college, YEAR, 6) == 0
    assert queued == []


def test_a_reminder_goes_after_a_week_to_those_who_did_not_answer(ctx, inbox, on):
    college, user = _college()
    a, b = _graduate(college), _graduate(college)
    on(date(2025, 2, 1))
    assert surveys.send_surveys(user, college, YEAR, 6) == 2
    surveys.answer(a, 6, Situation.EMPLOYED_ELSEWHERE)
    assert surveys.send_surveys(user, college, YEAR, 6) == 0  # too soon
    for row in _rows().values():  # a week and a day later
        row.survey_sent_at -= timedelta(days=8)
    db.session.commit()
    assert surveys.send_surveys(user, college, YEAR, 6) == 1
    assert [m["To"] for m in inbox.messages][-1] == b.email and len(inbox.messages) == 3


def test_sending_is_refused_with_a_reason(ctx):
    college, user = _college()
    _graduate(college)
    today = date(2024, 12, 1)
    with pytest.raises(ServiceError) as not_yet:
        surveys.send_surveys(user, college, YEAR, 6, today=today)
    assert not_yet.value.field == "wave" and "01/01/2025" in not_yet.value.message
    with pytest.raises(ServiceError) as bad_wave:
        surveys.send_surveys(user, college, YEAR, 9, today=today)
    assert bad_wave.value.field == "wave"
    with pytest.raises(ServiceError) as nobody:
        surveys.send_surveys(user, college, 1999, 6, today=today)
    assert nobody.value.field == "year"
    pending, pending_user = _college(VerificationState.PENDING, code="CHO")
    _graduate(pending)
    with pytest.raises(ServiceError):
        surveys.send_surveys(pending_user, pending, YEAR, 6, today=date(2025, 2, 1))
    assert _rows() == {}


def test_hostile_send_form_values_never_500(client, ctx, login, on):
    college, user = _college()
    _graduate(college)
    login(user.email)
    on(date(2025, 2, 1))
    for data in (
        {"year": "2024'; --", "wave": "6"},
        {"year": str(10**30), "wave": "6"},
        {"year": str(YEAR), "wave": "-1"},
        {"year": str(YEAR), "wave": "x" * 5000},
        {"year": "1999", "wave": "6"},
    ):
        response = submit(client, "/college/outcomes/surveys", data, form_url="/college/outcomes")
        assert response.status_code == 302
    assert _rows() == {}


def test_a_failed_send_is_retried_without_mailing_anyone_twice(ctx, monkeypatch, inbox):
    from matchhub.models import FailedJob
    from matchhub.services import mail

    college, user = _college()
    for _ in range(3):
        _graduate(college)
    real, calls = mail.deliver, []

    def flaky(messages, sent=None):
        calls.append(len(messages))
        if len(calls) == 1:
            real(messages[:1], sent)
            raise OSError("connection reset")
        return real(messages, sent)

    monkeypatch.setattr(mail, "deliver", flaky)
    surveys.send_surveys(user, college, YEAR, 6, today=date(2025, 2, 1))
    assert sorted(r.survey for r in _rows().values()) == ["queued", "queued", "sent"]
    assert db.session.scalar(sa.select(sa.func.count(FailedJob.id))) == 1
    assert surveys.send_job(college.id, YEAR, 6) == 2
    assert len({m["To"] for m in inbox.messages}) == 3 == len(inbox.messages)


# --- The college's own records ---


def test_the_college_records_and_clears_a_learners_situation(client, ctx, login):
    college, user = _college()
    learner = _graduate(college)
    login(user.email)
    url = f"/college/learners/{learner.id}/outcomes"
    assert client.get(url).status_code == 200
    submit(client, url, {"wave_6": "seeking", "wave_12": "employed_in_field"})
    rows = _rows()
    assert rows[(learner.id, 6)].situation is Situation.SEEKING
    assert rows[(learner.id, 12)].source is OutcomeSource.COLLEGE
    page = client.get(url).get_data(as_text=True)
    assert 'id="source-12"' in page and "Trường ghi nhận" in page
    submit(client, url, {"wave_6": "", "wave_12": "employed_in_field"})
    assert _rows()[(learner.id, 6)].situation is None
    response = submit(client, url, {"wave_6": "nonsense", "wave_12": "x" * 3000})
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert _rows()[(learner.id, 12)].situation is Situation.EMPLOYED_IN_FIELD
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "outcome.recorded")
    ) == 3  # fmt: skip


def test_a_college_never_touches_another_colleges_learners(client, ctx, login):
    college, user = _college()
    other, other_user = _college(code="KHAC")
    theirs = _graduate(other)
    mine = _graduate(college)
    surveys.record_by_college(other_user, theirs, {6: Situation.SEEKING})
    login(user.email)
    assert client.get(f"/college/learners/{theirs.id}/outcomes").status_code == 404
    url = f"/college/outcomes/record?year={YEAR}&wave=6"
    page = client.get(url).get_data(as_text=True)
    assert f"situation-{mine.id}" in page and f"situation-{theirs.id}" not in page
    submit(client, url, {f"situation-{theirs.id}": "employed_in_field",
                         f"situation-{mine.id}": "studying"})  # fmt: skip
    rows = _rows()
    assert rows[(theirs.id, 6)].situation is Situation.SEEKING  # untouched
    assert rows[(mine.id, 6)].situation is Situation.STUDYING
    # nor do its totals show in my report
    report = outcomes.graduate_report(college)
    assert [w.answered for w in report.waves] == [1, 0]
    assert report.waves[0].situations == {Situation.STUDYING: 1}
    waves = client.get("/college/outcomes.csv?table=waves").get_data(as_text=True)
    assert waves.splitlines()[1].split(",")[:3] == ["6", "0", "1"]  # the export likewise


def test_the_cohort_page_records_many_at_once_and_refuses_hostile_input(client, ctx, login):
    college, user = _college()
    a, b, c = (_graduate(college) for _ in range(3))
    login(user.email)
    url = f"/college/outcomes/record?year={YEAR}&wave=12"
    submit(client, url, {f"situation-{a.id}": "employed_elsewhere", f"situation-{b.id}": "bogus"})
    rows = _rows()
    assert rows[(a.id, 12)].situation is Situation.EMPLOYED_ELSEWHERE
    assert (b.id, 12) not in rows or rows[(b.id, 12)].situation is None
    assert (c.id, 12) not in rows  # not in the post: unchanged
    assert client.post(url, data={f"situation-{a.id}": "seeking"}).status_code == 400  # no CSRF
    for query in ("year=abc&wave=6", f"year={10**40}&wave=99", "wave=6", "year=2024\u0000"):
        assert client.get(f"/college/outcomes/record?{query}").status_code in (200, 400)


# --- The report and its exports ---


@pytest.fixture
def answered(ctx):
    """A college with two programmes and graduates' answers at both waves."""
    college, user = _college()
    it = make_programme(college, code="CNTT", name="Công nghệ thông tin")
    acc = make_programme(college, code="KT", name="Kế toán", skills=(("excel", 3),))
    py_sql = (("python", 3), ("sql", 3))
    g1 = _graduate(college, it, skills=py_sql)
    g2 = _graduate(college, it, skills=py_sql)
    g3 = _graduate(college, it, skills=(("python", 2),))
    g4 = _graduate(college, acc, skills=(("excel", 3),))
    g5 = _graduate(college, acc, skills=(("excel", 3), ("sql", 2)))
    surveys.record_by_college(user, g1, {6: Situation.SEEKING, 12: Situation.EMPLOYED_IN_FIELD})
    surveys.answer(g2, 6, Situation.EMPLOYED_IN_FIELD)
    surveys.answer(g3, 6, Situation.SEEKING)
    surveys.answer(g4, 6, Situation.STUDYING)
    surveys.answer(g5, 6, Situation.EMPLOYED_ELSEWHERE)
    return college, user, it, acc


def test_the_report_totals_waves_programmes_and_skills(answered):
    college = answered[0]
    report = outcomes.graduate_report(college)
    six, twelve = report.waves
    assert six.situations == {
        Situation.SEEKING: 2, Situation.EMPLOYED_IN_FIELD: 1,
        Situation.STUDYING: 1, Situation.EMPLOYED_ELSEWHERE: 1,
    }  # fmt: skip
    assert six.answered == 5 and six.employment_rate == pytest.approx(0.4)
    assert twelve.situations == {Situation.EMPLOYED_IN_FIELD: 1}
    by = {(r.programme.code, r.wave): r for r in report.programmes}
    assert by[("CNTT", 6)].answered == 3 and by[("CNTT", 6)].employment_rate == pytest.approx(1 / 3)
    assert by[("KT", 6)].in_field_rate == 0 and by[("KT", 6)].employment_rate == pytest.approx(0.5)
    assert by[("CNTT", 12)].in_field_rate == 1
    # latest answers: g1 employed (12 months), g2 employed, g5 employed; g3 seeking
    assert (report.employed, report.seeking) == (3, 1)
    skills = {r.skill.slug: r for r in report.skills}
    assert skills["sql"].employed == 3 and skills["sql"].employed_share == 1
    assert skills["python"].employed == 2 and skills["python"].seeking == 1
    assert skills["python"].seeking_share == 1
    assert report.skills[0].skill.slug == "sql"  # held by the employed far more than the seeking
    # one cohort only: none of another year
    assert not outcomes.graduate_report(college, YEAR + 1).any


def test_the_page_shows_the_figures_and_the_exports_match_it(client, answered, login):
    college, user, it, _acc = answered
    login(user.email)
    page = client.get("/college/outcomes").get_data(as_text=True)
    assert 'data-wave="6" data-answered="5"' in page
    assert f'data-programme="{it.id}" data-wave="6"' in page
    assert 'data-skill="sql" data-employed="3" data-seeking="0"' in page
    assert 'id="survey-send"' in page and 'id="outcomes"' in page  # the applications table stays

    waves = client.get("/college/outcomes.csv?table=waves").get_data(as_text=True)
    lines = waves.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Số tháng sau tốt nghiệp")
    assert lines[1].split(",")[:3] == ["6", "0", "5"]

    book = load_workbook(io.BytesIO(client.get("/college/outcomes.xlsx?table=programmes").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("Công nghệ thông tin", 6, 3)
    assert len(rows) == 1 + len(outcomes.graduate_report(college).programmes)

    skills = client.get("/college/outcomes.csv?table=skills").get_data(as_text=True)
    assert "SQL" in skills
    assert client.get("/college/outcomes.csv").status_code == 200  # applications, as before
    for bad in ("nope", "x" * 5000, ""):
        assert client.get(f"/college/outcomes.csv?table={bad}").status_code == 404
    for year in ("abc", str(10**30), "-5"):
        assert client.get(f"/college/outcomes?year={year}").status_code == 200
        assert client.get(f"/college/outcomes.xlsx?table=waves&year={year}").status_code == 200
    make_learner(college, graduation_year=YEAR + 1)  # a cohort nobody answered for
    assert 'data-wave="6" data-answered="0"' in client.get(
        f"/college/outcomes?year={YEAR + 1}"
    ).get_data(as_text=True)
    assert 'data-wave="6" data-answered="5"' in client.get(
        f"/college/outcomes?year={YEAR}"
    ).get_data(as_text=True)


# --- Personal data ---


def test_the_answers_are_in_the_data_export_and_go_with_the_account(ctx):
    college, _user = _college()
    user = make_user(Role.LEARNER)
    learner = learners.learner_of_user(user)
    learner.college_id, learner.graduation_year = college.id, YEAR
    db.session.commit()
    surveys.answer(learner, 6, Situation.EMPLOYED_IN_FIELD)
    data = json.loads(privacy.export_data(learner, user))
    assert data["graduate_outcomes"] == [
        {
            "months_after_graduation": 6,
            "situation": "employed_in_field",
            "recorded_by": "learner",
            "answered_at": data["graduate_outcomes"][0]["answered_at"],
            "survey_sent_at": None,
        }
    ]
    privacy.delete_account(learner, user, PASSWORD)
    assert _rows() == {}
    assert db.session.get(Learner, learner.id).is_erased
