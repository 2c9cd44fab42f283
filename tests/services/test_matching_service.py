"""The web adapter of the engine's index: eligibility, freshness, pages and advice."""

from __future__ import annotations

import sqlalchemy as sa
from factories import make_learner, make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.matching.index import MatchIndex
from matchhub.models import (
    EngineChange,
    EngineState,
    LearnerSkill,
    OrderStatus,
    OrgKind,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    VerificationState,
    Visibility,
)
from matchhub.services import cache_version, match_index, next_skill, pair_scores, ranked_pages


def _ids(page) -> list[int]:
    return [c.learner.id for c in page.items]


def test_candidates_rank_by_skills_and_never_show_hidden_or_unconsented(ctx):
    org = make_org()
    order = make_order(org, skills=("python", "sql"))
    strong = make_learner(skills=(("python", 4), ("sql", 3)))
    weak = make_learner(skills=(("python", 1),))
    hidden = make_learner(skills=(("python", 5), ("sql", 5)), visibility=Visibility.HIDDEN)
    unconsented = make_learner(skills=(("python", 5), ("sql", 5)), consent_at=None)
    db.session.commit()

    page = ranked_pages.candidates_for(order)
    assert _ids(page) == [strong.id, weak.id]
    assert page.total == 2
    top = page.items[0]
    assert top.result.qualifies and top.rank == 1
    assert {m.skill_id for m in top.result.matched} == {"python", "sql"}
    assert hidden.id not in _ids(page) and unconsented.id not in _ids(page)
    assert pair_scores.scores_for_order(order, [hidden.id, strong.id]).keys() == {strong.id}


def test_filters_pagination_and_min_score(ctx):
    org = make_org()
    order = make_order(org, skills=("python",))
    learners = [
        make_learner(skills=(("python", 1 + i % 5),), graduation_year=2024 + i % 2)
        for i in range(7)
    ]
    db.session.commit()

    first = ranked_pages.candidates_for(order, page=1, per_page=3)
    second = ranked_pages.candidates_for(order, page=2, per_page=3)
    assert first.total == 7 and first.pages == 3 and second.items[0].rank == 4
    assert not set(_ids(first)) & set(_ids(second))
    scores = [c.result.score for c in first.items + second.items]
    assert scores == sorted(scores, reverse=True)

    year = ranked_pages.candidates_for(order, ranked_pages.CandidateFilters(graduation_year=2025))
    assert set(_ids(year)) == {lr.id for lr in learners if lr.graduation_year == 2025}

    every = [c.result.score for c in ranked_pages.candidates_for(order, per_page=50).items]
    cut = every[2]
    high = ranked_pages.candidates_for(
        order, ranked_pages.CandidateFilters(min_score=cut), per_page=50
    )
    assert high.total == len(high.items) == sum(1 for s in every if s >= cut)
    assert all(c.result.score >= cut for c in high.items)


def test_writes_through_services_patch_the_index_without_rebuilding(ctx):
    org = make_org()
    order = make_order(org, skills=("python",))
    learner = make_learner(skills=(("python", 3),))
    db.session.commit()
    assert _ids(ranked_pages.candidates_for(order)) == [learner.id]
    built = match_index._holder()["state"].index

    # The learner hides: the very next ranking leaves them out, by a patch.
    learner.visibility = Visibility.HIDDEN
    db.session.commit()
    assert _ids(ranked_pages.candidates_for(order)) == []
    assert match_index._holder()["state"].index is built

    learner.visibility = Visibility.ENTERPRISES
    learner.skills.append(LearnerSkill(skill=skill("sql"), term="SQL", level=4))
    db.session.commit()
    [candidate] = ranked_pages.candidates_for(order).items
    assert candidate.learner.id == learner.id
    assert match_index._holder()["state"].index.learner(learner.id).skills[-1] == ("sql", 4)

    # Closing the order drops it from the learner's matches.
    assert [m.order.id for m in ranked_pages.matches_for(learner).items] == [order.id]
    order.status = OrderStatus.CLOSED
    db.session.commit()
    assert ranked_pages.matches_for(learner).items == []
    assert match_index._holder()["state"].index is built
    versions = db.session.scalars(sa.select(EngineChange.version)).all()
    assert max(versions) == db.session.scalar(sa.select(EngineState.version))


def test_a_new_database_history_forces_a_rebuild(ctx):
    org = make_org()
    order = make_order(org)
    make_learner()
    db.session.commit()
    assert ranked_pages.candidates_for(order).total == 1
    # Same version number, another history (an emptied and re-seeded database).
    state = db.session.get(EngineState, cache_version.KEY)
    state.epoch = "another-history"
    make_learner()
    db.session.commit()
    assert ranked_pages.candidates_for(order).total == 2


def test_without_a_version_row_every_call_sees_the_database(ctx):
    org = make_org()
    order = make_order(org)
    make_learner()
    assert ranked_pages.candidates_for(order).total == 1
    make_learner()
    assert ranked_pages.candidates_for(order).total == 2


def test_unverified_organisations_orders_are_not_matched(ctx):
    pending = make_org(state=VerificationState.PENDING)
    make_order(pending)
    live = make_order(make_org())
    learner = make_learner()
    db.session.commit()
    assert [m.order.id for m in ranked_pages.matches_for(learner).items] == [live.id]


def test_matches_filter_by_kind_and_locality(ctx):
    from matchhub.models import OrderKind

    org = make_org()
    job = make_order(org, kind=OrderKind.JOB, locality="nd-nam-dinh")
    intern = make_order(org, kind=OrderKind.INTERNSHIP, locality="other-place")
    remote = make_order(org, kind=OrderKind.INTERNSHIP, locality="other-place", remote=True)
    learner = make_learner()
    db.session.commit()
    kinds = {m.order.id for m in ranked_pages.matches_for(learner, kind="internship").items}
    assert kinds == {intern.id, remote.id}
    here = {m.order.id for m in ranked_pages.matches_for(learner, locality="nd-nam-dinh").items}
    assert here == {job.id, remote.id}


def test_match_pages_are_slices_of_the_full_ranking(ctx):
    from matchhub.models import Application, ApplicationStatus, OrderKind

    org = make_org()
    kinds = (OrderKind.JOB, OrderKind.INTERNSHIP)
    places = ("nd-nam-dinh", "ha-noi")
    skill_sets = (("python",), ("python", "sql"), ("sql",), ("java",), ("python", "java"))
    # Repeated skill sets make ties, which the id breaks.
    orders = [
        make_order(
            org,
            skills=skill_sets[n % 5],
            kind=kinds[n % 2],
            locality=places[n % 3 % 2],
            remote=n % 4 == 0,
        )
        for n in range(11)
    ]
    learner = make_learner(skills=(("python", 4), ("sql", 2)))
    applied = Application(order=orders[3], learner=learner, status=ApplicationStatus.APPLIED)
    db.session.add(applied)
    db.session.commit()
    scores = pair_scores.scores_for_learner(learner, [o.id for o in orders])
    by_id = {o.id: o for o in orders}

    for kind, locality in ((None, None), ("internship", None), (None, "ha-noi"), ("job", "ha-noi")):
        kept = [
            o.id
            for o in orders
            if (kind is None or o.kind.value == kind)
            and (locality is None or o.locality == locality or o.remote)
        ]
        expected = sorted(kept, key=lambda i: (-scores[i].tier, -scores[i].score, i))
        pages = [
            ranked_pages.matches_for(learner, kind, locality, page=p, per_page=3)
            for p in (1, 2, 3, 4, 5)
        ]
        assert [m.order.id for page in pages for m in page.items] == expected
        assert [m.rank for page in pages for m in page.items] == list(range(1, len(kept) + 1))
        assert {page.total for page in pages} == {len(kept)}
        assert all(m.result == scores[m.order.id] for page in pages for m in page.items)

    first = ranked_pages.matches_for(learner, per_page=20)
    for m in first.items:
        order = by_id[m.order.id]
        assert (m.order.title, m.order.kind, m.order.organization_name) == (
            order.title,
            order.kind,
            org.name,
        )
        assert (m.order.locality, m.order.remote, m.order.deadline) == (
            order.locality,
            order.remote,
            order.deadline,
        )
        assert m.application_status is (ApplicationStatus.APPLIED if order is orders[3] else None)
    assert ranked_pages.matches_for(learner, page=9, per_page=3).items == []
    assert ranked_pages.matches_for(learner, page=9, per_page=3).total == len(orders)


def test_a_hidden_learner_still_sees_fresh_matches(ctx):
    org = make_org()
    python, sql = make_order(org, skills=("python",)), make_order(org, skills=("sql",))
    learner = make_learner(skills=(("python", 4),), visibility=Visibility.HIDDEN)
    db.session.commit()
    assert [m.order.id for m in ranked_pages.matches_for(learner).items] == [python.id, sql.id]
    learner.skills.clear()
    learner.skills.append(LearnerSkill(skill=skill("sql"), term="SQL", level=4))
    db.session.commit()
    # Not in the index (hidden): scored from the row as it is now.
    assert [m.order.id for m in ranked_pages.matches_for(learner).items] == [sql.id, python.id]


def test_scores_match_the_engine_and_explain_agrees(ctx):
    org = make_org()
    orders = [make_order(org, skills=("python",)), make_order(org, skills=("sql",))]
    draft = make_order(org, status=OrderStatus.DRAFT, skills=("python", "sql"))
    learner = make_learner(skills=(("python", 4),))
    db.session.commit()
    scores = pair_scores.scores_for_learner(learner, [o.id for o in orders] + [draft.id])
    assert set(scores) == {orders[0].id, orders[1].id, draft.id}
    for order in [*orders, draft]:
        assert scores[order.id].score == pair_scores.explain(order, learner).score
    by_order = pair_scores.scores_for_order(orders[0], [learner.id])
    assert by_order[learner.id].score == scores[orders[0].id].score
    index = MatchIndex(
        [pair_scores.learner_profile(learner)], [pair_scores.order_profile(o) for o in orders]
    )
    assert index.explain(orders[0].id, learner.id).qualifies == scores[orders[0].id].qualifies


def test_next_skills_names_the_skill_and_who_teaches_it(ctx):
    college = make_org(kind=OrgKind.COLLEGE)
    course = Programme(
        organization=college,
        code="SQL1",
        name="SQL căn bản",
        level=ProgrammeLevel.SHORT_COURSE,
        field="CNTT",
    )
    course.skills.append(ProgrammeSkill(skill=skill("sql"), level=4))
    db.session.add(course)
    org = make_org()
    for _ in range(3):
        make_order(org, skills=("python", "sql"))
    make_order(org, skills=("python",))
    learner = make_learner(skills=(("python", 4),))
    db.session.commit()
    [first, *_] = next_skill.next_skills(learner)
    assert first.skill.slug == "sql" and first.unlocks == 3
    assert [p.id for p in first.programmes] == [course.id]


def test_two_workers_both_follow_a_write(ctx, app, monkeypatch):
    org = make_org()
    order = make_order(org)
    learner = make_learner()
    db.session.commit()
    worker_a = app.extensions.pop("matchhub.matching", None)
    assert ranked_pages.candidates_for(order).total == 1  # worker B builds its own index
    worker_b = app.extensions["matchhub.matching"]
    learner.consent_at = None  # written "by worker B"
    db.session.commit()
    assert ranked_pages.candidates_for(order).total == 0
    app.extensions["matchhub.matching"] = worker_a or {"lock": worker_b["lock"], "state": None}
    assert ranked_pages.candidates_for(order).total == 0  # worker A patches before serving


def test_too_many_changes_rebuild_instead_of_patching(ctx, monkeypatch):
    org = make_org()
    order = make_order(org)
    learners = [make_learner() for _ in range(3)]
    db.session.commit()
    assert ranked_pages.candidates_for(order).total == 3
    built = match_index._holder()["state"].index
    monkeypatch.setattr(match_index, "PATCH_LIMIT", 1)
    for lr in learners[:2]:
        lr.visibility = Visibility.HIDDEN
    db.session.commit()
    assert ranked_pages.candidates_for(order).total == 1
    assert match_index._holder()["state"].index is not built


def test_order_services_keep_the_index_current(ctx):
    from matchhub.models import Role
    from matchhub.services import orders

    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    learner = make_learner()
    db.session.commit()
    draft = make_order(org, status=OrderStatus.DRAFT)
    assert ranked_pages.matches_for(learner).items == []
    orders.publish_order(draft, boss)
    assert [m.order.id for m in ranked_pages.matches_for(learner).items] == [draft.id]
    orders.change_order_status(draft, boss, OrderStatus.CLOSED)
    assert ranked_pages.matches_for(learner).items == []
