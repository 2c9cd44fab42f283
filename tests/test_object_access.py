"""Every route with an object id, for every role, with someone else's object: never served.

The routes are read from ``app.url_map``, not listed by hand, so a new route with an id
is checked the day it is added. Each id argument name maps to a factory of a *foreign*
object of that kind (another organisation's, another learner's, another user's); a route
with an id argument this file does not know fails
:func:`test_every_id_argument_has_a_foreign_object` with a message that says what to add.

The rule (``matchhub.security``) each request must follow, GET and POST alike (POST with
a valid CSRF token, so that only the access rule can refuse it):

- nobody signed in: the pages send to the login page (302 to ``/auth/login``), the API
  answers 401;
- a role that has no business on the route at all (a learner on an enterprise page, a
  college on the API's candidate list): 403 — the only 403;
- any other role: 404, exactly as for an id that does not exist, so that a foreign
  object's existence is not revealed;
- the province office owns every object its own pages (``admin.*``) manage: there, no
  object is foreign to it, so those pairs are not requested (they are the admin tests');
- and whatever the answer, the database is unchanged.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from apiclient import token_for
from conftest import csrf_token, submit
from factories import PASSWORD, make_learner, make_order, make_org, make_programme, make_user
from werkzeug.routing import AnyConverter, IntegerConverter

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Course,
    Interview,
    InterviewSlot,
    JobOffer,
    OrderKind,
    OrderStatus,
    OrgKind,
    Role,
    TrainingOffer,
    VerificationState,
    Visibility,
    utcnow,
)
from matchhub.services import api_tokens, curation, learners, notifications, rounds, skill_merges

#: Each id argument name → the key of the foreign object in :func:`_foreign`.
FOREIGN_IDS = {
    "order_id": "order",
    "application_id": "application",
    "learner_id": "learner",
    "programme_id": "programme",
    "course_id": "course",
    "offer_id": "offer",
    "round_id": "round",
    "notification_id": "notification",
    "token_id": "token",
    "org_id": "organization",
    "user_id": "user",
    "merge_id": "merge",
}
#: The public pages (``public.*``, no login) show live orders and verified enterprises to
#: anyone: their foreign object is one that is not public (a draft order, an enterprise
#: still waiting for verification), and the answer is 404 for everyone, visitors included.
PUBLIC_FOREIGN_IDS = {**FOREIGN_IDS, "org_id": "pending_organization"}

#: Text arguments that are not object ids, and why (anything else fails the test).
NOT_OBJECT_IDS = {
    ("static", "filename"): "a static file's path",
    ("public.language_set", "lang"): "a language code",
    ("auth.reset_password", "token"): "a signed, expiring secret, not a stored object's id",
    ("auth.confirm_email", "token"): "a signed, expiring secret, not a stored object's id",
    ("auth.claim", "code"): "a claim code is a secret handed to one learner",
    # tests/college/test_outcome_survey.py checks expiry, forgery and another wave's token.
    ("public.outcome_survey", "token"): "a signed, expiring secret naming one learner",
    ("public.alerts_unsubscribe", "token"): "a signed secret naming one learner's alerts",
    ("public.alerts_unsubscribe_one_click", "token"): "the same signed secret (RFC 8058)",
    ("college.import_preview", "token"): "an unguessable upload token, looked up per college",
    ("college.import_commit", "token"): "an unguessable upload token, looked up per college",
    ("college.import_discard", "token"): "an unguessable upload token, looked up per college",
    ("college.import_rejected_preview", "token"): "an unguessable upload token, looked up per "
    "college",
    ("college.import_rejected", "token"): "an unguessable token of skipped rows, looked up per "
    "college",
    # The API's import routes: the same tokens; tests/api_v1/test_writes.py checks that
    # another college's upload answers 404.
    ("api.import_preview", "token"): "an unguessable upload token, looked up per college",
    ("api.import_commit", "token"): "an unguessable upload token, looked up per college",
    ("api.import_discard", "token"): "an unguessable upload token, looked up per college",
    # A background import's RQ job id (a uuid); tests/jobs checks another college gets 404.
    ("college.import_progress", "job_id"): "a job id, looked up per college",
    ("college.import_progress_json", "job_id"): "a job id, looked up per college",
    # tests/jobs/test_rq_worker.py: another user, even a colleague, gets 404.
    ("reports.job", "job_id"): "a job id, looked up per user",
    ("reports.job_file", "job_id"): "a job id, looked up per user",
    ("admin.job_retry", "key"): "a failed job of the province office's own queue",
}

#: Who may be on each blueprint at all; another role gets 403 there.
BLUEPRINT_ROLES = {
    "admin": {Role.ADMIN},
    "enterprise": {Role.ENTERPRISE},
    "college": {Role.COLLEGE},
    "learner": {Role.LEARNER},
    "notifications": {Role.LEARNER, Role.ENTERPRISE, Role.COLLEGE},
}
#: API endpoints kept to one role (the others take any signed-in role).
API_ROLES = {
    "api.order_candidates": {Role.ENTERPRISE},
    "api.candidate_detail": {Role.ENTERPRISE},
    "api.order_update": {Role.ENTERPRISE},
    "api.order_publish": {Role.ENTERPRISE},
}
#: Kept between requests by design, not a change a refused request made.
_IGNORED_COLUMNS = {("api_tokens", "last_used_at")}
_KEPT_TABLES = {"skills", "skill_aliases"}

ROLES = [None, Role.LEARNER, Role.ENTERPRISE, Role.COLLEGE, Role.ADMIN]


def _id_rules(app):
    """``(rule, int args, any args)`` for every rule with an object-id argument."""
    out = []
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        anys = {
            n: sorted(c.items)[0]
            for n, c in rule._converters.items()
            if isinstance(c, AnyConverter)
        }
        if ints:
            out.append((rule, ints, anys))
    return sorted(out, key=lambda r: r[0].rule)


def test_every_id_argument_has_a_foreign_object(app):
    problems = []
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                known = name in FOREIGN_IDS
                hint = (
                    "has no foreign object in tests/test_object_access.py FOREIGN_IDS; add "
                    "one, and load the object through a service that uses "
                    "security.owned_or_404"
                )
            else:
                known = isinstance(converter, AnyConverter) or (
                    (rule.endpoint, name) in NOT_OBJECT_IDS
                )
                hint = "is neither an int id nor in NOT_OBJECT_IDS: say whether it names an object"
            if not known:
                problems.append(f"{rule.endpoint} ({rule.rule}): argument “{name}” {hint}")
    assert not problems, "\n".join(problems)


def _foreign() -> dict:
    """One object of each kind, none of them the acting users': another enterprise's draft
    (training) order, another college's programme, course and hidden learner, another
    learner's application, a draft round, another user's notification and token."""
    other_ent = make_org(name="Doanh nghiệp khác")
    pending_ent = make_org(name="Doanh nghiệp chờ duyệt", state=VerificationState.PENDING)
    make_order(pending_ent, title="Đơn của doanh nghiệp chờ duyệt")
    other_college = make_org(OrgKind.COLLEGE, name="Trường khác")
    other_member = make_user(Role.ENTERPRISE, org=other_ent)
    other_student = make_user(Role.LEARNER)
    draft = make_order(other_ent, status=OrderStatus.DRAFT, kind=OrderKind.TRAINING)
    live = make_order(other_ent, kind=OrderKind.INTERNSHIP, title="Thực tập khác")
    student_row = learners.learner_of_user(other_student)
    programme = make_programme(other_college, code="KHAC")
    learner = make_learner(other_college, visibility=Visibility.HIDDEN, consent_at=None)
    course = Course(programme_id=programme.id, code="K1", name="Học phần khác")
    # In the middle of hiring, with an interview to book and an offer to answer: a
    # route that let a stranger through would have something to change.
    application = Application(
        order_id=draft.id, learner_id=student_row.id, status=ApplicationStatus.OFFER
    )
    soon = utcnow() + timedelta(days=3)
    application_interview = Interview(
        application=application, slots=[InterviewSlot(starts_at=soon)], location="Phòng họp"
    )
    application_offer = JobOffer(
        application=application,
        position="Khác",
        start_date=soon.date() + timedelta(days=30),
        reply_by=soon.date(),
    )
    offer = TrainingOffer(
        order_id=draft.id, college_id=other_college.id, seats=3, course_name="Khác"
    )
    db.session.add_all([course, application, application_interview, application_offer, offer])
    db.session.commit()
    office = make_user(Role.ADMIN)
    rnd = rounds.create_round(office, "Đợt nháp", utcnow() + timedelta(days=7), {live.id: 1})
    note = notifications.notify(other_member, "round.published", round="Đợt 1")
    db.session.commit()
    token = api_tokens.create_token(other_member, "khác", 30)[0]
    merged = curation.create_skill(office, "Kỹ năng gộp", "Merged skill", "tool")
    kept = curation.create_skill(office, "Kỹ năng giữ", "Kept skill", "tool")
    merge = skill_merges.merge_skills(office, merged.slug, kept.slug)
    return {
        "order": draft.id,
        "live_order": live.id,
        "application": application.id,
        "learner": learner.id,
        "programme": programme.id,
        "course": course.id,
        "offer": offer.id,
        "round": rnd.id,
        "notification": note.id,
        "token": token.id,
        "organization": other_ent.id,
        "pending_organization": pending_ent.id,
        "user": other_member.id,
        "merge": merge.id,
    }


def _actor(role: Role | None):
    if role is Role.ENTERPRISE:
        return make_user(role, org=make_org(name="Doanh nghiệp của tôi"))
    if role is Role.COLLEGE:
        return make_user(role, org=make_org(OrgKind.COLLEGE, name="Trường của tôi"))
    return make_user(role) if role is not None else None


def _snapshot() -> dict:
    """Every row of every table the app writes (the shipped taxonomy aside)."""
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name in _KEPT_TABLES:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in _IGNORED_COLUMNS]
        rows = db.session.execute(sa.select(*columns)).all()
        out[table.name] = sorted(map(repr, rows))
    db.session.rollback()
    return out


def _expected(endpoint: str, role: Role | None) -> int | None:
    """The status the rule demands; ``None`` where the pair is not requested."""
    blueprint = endpoint.split(".")[0]
    if blueprint == "public":
        return 404  # not public: the same answer as for an id that does not exist
    if role is None:
        return 401 if blueprint == "api" else 302
    if blueprint == "admin" and role is Role.ADMIN:
        return None  # the province office's own objects: none is foreign to it
    allowed = BLUEPRINT_ROLES.get(blueprint) or API_ROLES.get(endpoint)
    if allowed is not None and role not in allowed:
        return 403
    return 404


def _signed_in(client, role: Role | None) -> tuple[str, str | None]:
    """Sign in a fresh user of ``role`` (nobody for ``None``): a CSRF token, an API token.

    The token may read and write, so that what answers is the object rule, not the
    scope check (tests/api_v1 checks scopes)."""
    actor = _actor(role)
    if actor is not None:
        login(client, actor.email)
    token = token_for(actor, scopes=("read", "write")) if actor is not None else None
    return csrf_token(client, "/"), token


def login(client, email: str) -> None:
    submit(client, "/auth/login", {"email": email, "password": PASSWORD})


def _request_every_route(app, client, role, foreign, skip=frozenset()) -> list[str]:
    """Request every id route (but ``skip``) with ``foreign``'s ids; what broke the rule."""
    csrf, token = _signed_in(client, role)
    checked, problems = 0, []
    for rule, ints, anys in _id_rules(app):
        if rule.endpoint in skip or any(name not in FOREIGN_IDS for name in ints):
            continue  # unknown names: reported by test_every_id_argument_has_a_foreign_object
        expected = _expected(rule.endpoint, role)
        if expected is None:
            continue
        ids = PUBLIC_FOREIGN_IDS if rule.endpoint.startswith("public.") else FOREIGN_IDS
        values = {**anys, **{name: foreign[ids[name]] for name in ints}}
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **values)
        api = rule.endpoint.startswith("api.")
        for method in sorted(rule.methods & {"GET", "POST", "DELETE"}):
            before = _snapshot()
            kwargs = {}
            if api and token is not None:
                kwargs["headers"] = {"Authorization": f"Bearer {token}"}
            if method == "POST" and not api:
                kwargs["data"] = {"csrf_token": csrf}
            response = client.open(url, method=method, **kwargs)
            checked += 1
            got = response.status_code
            where = f"{method} {url} ({rule.endpoint})"
            if got != expected:
                problems.append(f"{where}: {got}, expected {expected}")
            elif got == 302 and not response.headers["Location"].startswith("/auth/login"):
                problems.append(f"{where}: redirected to {response.headers['Location']}")
            if _snapshot() != before:
                problems.append(f"{where}: the database changed")
    assert checked > 0
    return problems


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_a_foreign_object_is_never_served(app, client, ctx, role):
    problems = _request_every_route(app, client, role, _foreign())
    assert not problems, "\n".join(problems)


def test_another_enterprises_live_order_is_not_its_to_manage(app, client, ctx):
    """A live order is anyone's to read (``api.order_detail``, its public page), never
    another's to edit, rank for, see candidates or the pipeline of."""
    foreign = _foreign()
    foreign["order"] = foreign["live_order"]
    problems = _request_every_route(
        app, client, Role.ENTERPRISE, foreign, skip={"api.order_detail", "public.opening_detail"}
    )
    assert not problems, "\n".join(problems)


def test_a_model_without_a_rule_fails_loudly(ctx):
    """An object kind nobody wrote a rule for is an error, never silently open."""
    from matchhub.models import Skill
    from matchhub.security import allowed

    with pytest.raises(LookupError, match="no access rule for Skill"):
        allowed(Skill, make_user(Role.ADMIN))
