"""Two app instances on one database, as two workers (or two servers) are: a change
made through one is served by the other on its next request.

Each instance keeps its own matching index and normaliser in memory; they follow
the database through one version that the session bumps on its own
(``services.cache_version``). Instance A is the suite's app, instance B a second
``create_app`` on the same database (SQLite file, or PostgreSQL with
TEST_DATABASE_URL). B always serves a page first, so that it holds an index built
before the change.
"""

from __future__ import annotations

import re

import pytest
from conftest import IsolatedClient, submit
from factories import PASSWORD, make_learner, make_order, make_org, make_user, skill

from matchhub import create_app
from matchhub.extensions import db
from matchhub.models import LearnerSkill, OrderStatus, Role, Visibility, utcnow
from matchhub.services.learners import learner_of_user


@pytest.fixture
def app_b(app):
    other = create_app({**app.config, "TESTING": True})
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _client(app, email: str):
    client = app.test_client()
    response = submit(client, "/auth/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _matched_orders(client) -> list[int]:
    """Order ids on the learner's matches page, every tier."""
    html = client.get("/learner/matches?tier=all").get_data(as_text=True)
    return [int(i) for i in re.findall(r'data-order-id="(\d+)"', html)]


def _candidates(client, order_id: int) -> set[int]:
    """Learner ids on an order's candidates page (its default filter: meets or nearly)."""
    html = client.get(f"/enterprise/orders/{order_id}/candidates").get_data(as_text=True)
    return {int(i) for i in re.findall(rf"/orders/{order_id}/candidates/(\d+)\"", html)}


def _learner_account(skills=(("python", 3),)):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    for slug, level in skills:
        s = skill(slug)
        learner.skills.append(LearnerSkill(skill=s, term=s.name_en, level=level))
    db.session.commit()
    return user, learner


def test_instances_are_apart(app, app_b, ctx):
    order = make_order(make_org())
    user, _learner = _learner_account()
    a, b = _client(app, user.email), _client(app_b, user.email)
    assert _matched_orders(a) == [order.id] and _matched_orders(b) == [order.id]
    assert app.extensions["matchhub.matching"] is not app_b.extensions["matchhub.matching"]


def test_an_order_published_through_a_is_matched_by_b(app, app_b, ctx):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    open_order = make_order(org)
    draft = make_order(org, status=OrderStatus.DRAFT, title="Thực tập mới")
    user, _learner = _learner_account()
    learner_b = _client(app_b, user.email)
    assert _matched_orders(learner_b) == [open_order.id]

    url = f"/enterprise/orders/{draft.id}"
    response = submit(_client(app, boss.email), f"{url}/publish", {}, form_url=url)
    assert response.status_code == 302

    assert sorted(_matched_orders(learner_b)) == sorted([open_order.id, draft.id])


def test_an_organisation_suspended_through_a_leaves_b_s_rankings(app, app_b, ctx):
    kept, suspended = make_org(name="Công ty Giữ"), make_org(name="Công ty Đình Chỉ")
    kept_order, gone_order = make_order(kept), make_order(suspended)
    admin = make_user(Role.ADMIN)
    user, _learner = _learner_account()
    learner_b = _client(app_b, user.email)
    assert sorted(_matched_orders(learner_b)) == sorted([kept_order.id, gone_order.id])

    url = f"/admin/organizations/{suspended.id}"
    admin_a = _client(app, admin.email)
    response = submit(admin_a, f"{url}/suspend", {"reason": "Lý do"}, form_url=url)
    assert response.status_code == 302

    assert _matched_orders(learner_b) == [kept_order.id]


def test_a_skill_a_learner_adds_through_a_ranks_them_at_b(app, app_b, ctx):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org, skills=("sql",))
    other = make_learner(skills=(("sql", 4),))
    user, learner = _learner_account(skills=(("photoshop", 3),))
    enterprise_b = _client(app_b, boss.email)
    assert _candidates(enterprise_b, order.id) == {other.id}

    form = {
        "full_name": "Nguyễn Thị Lan",
        "graduation_year": "2026",
        "locality": "nd-nam-dinh",
        "skills": "Photoshop:3\nSQL:4",
        "cv_text": "",
    }
    response = submit(_client(app, user.email), "/learner/profile/edit", form)
    assert response.status_code == 302

    assert _candidates(enterprise_b, order.id) == {other.id, learner.id}


def test_consent_withdrawn_through_a_hides_the_learner_at_b(app, app_b, ctx):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    user, learner = _learner_account()
    enterprise_b = _client(app_b, boss.email)
    assert _candidates(enterprise_b, order.id) == {learner.id}

    response = submit(
        _client(app, user.email),
        "/learner/privacy/consent/withdraw",
        {},
        form_url="/learner/privacy",
    )
    assert response.status_code == 302

    assert _candidates(enterprise_b, order.id) == set()


def test_a_skill_alias_added_through_a_is_understood_by_b(app, app_b, ctx):
    """The taxonomy follows the same version: B's normaliser learns A's new alias."""
    from matchhub.services import curation, taxonomy_cache

    admin = make_user(Role.ADMIN)
    with app_b.test_request_context():
        assert taxonomy_cache.normalize_terms(["ngôn ngữ truy vấn xyz"])[0].skill_id is None
    curation.map_term(admin, "ngôn ngữ truy vấn xyz", "sql")
    with app_b.test_request_context():
        assert taxonomy_cache.normalize_terms(["ngôn ngữ truy vấn xyz"])[0].skill_id == "sql"


def test_a_savepoint_leaves_the_bump_to_the_enclosing_commit(app, app_b, ctx):
    from matchhub.services import cache_version

    org = make_org()
    order = make_order(org)
    _user, learner = _learner_account()
    boss = make_user(Role.ENTERPRISE, org=org)
    enterprise_b = _client(app_b, boss.email)
    assert _candidates(enterprise_b, order.id) == {learner.id}
    before = cache_version.current(db.session).number
    db.session.commit()

    learner.visibility = Visibility.HIDDEN
    db.session.flush()
    with db.session.begin_nested():
        learner.cv_text = "Thực tập sinh"
    db.session.commit()

    changes = cache_version.changes_between(db.session, before, before + 10)
    assert learner.id in changes.learners
    assert _candidates(enterprise_b, order.id) == set()


def test_a_bulk_statement_means_rebuild_unless_its_rows_are_named(ctx):
    import sqlalchemy as sa

    from matchhub.models import Learner
    from matchhub.services import cache_version

    learner = make_learner()
    db.session.commit()
    hide = sa.update(Learner).where(Learner.id == learner.id).values(visibility=Visibility.HIDDEN)

    before = cache_version.current(db.session).number
    db.session.execute(hide)
    db.session.commit()
    unnamed = cache_version.changes_between(db.session, before, before + 1)
    assert unnamed.everything and not unnamed.learners

    db.session.execute(hide.values(visibility=Visibility.ENTERPRISES))
    cache_version.bulk_changed(db.session, learners=[learner.id])
    db.session.commit()
    named = cache_version.changes_between(db.session, before + 1, before + 2)
    assert named.learners == {learner.id} and not named.everything
