"""MatchIndex: agrees with the reference ranker, filters, paginates, patches exactly."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchhub.matching import rank
from matchhub.matching.index import MatchIndex
from matchhub.matching.types import LearnerProfile, OrderProfile, SkillReq

SKILLS = [f"s{i}" for i in range(12)]
WORDS = [
    "python",
    "java",
    "sql",
    "lập",
    "trình",
    "web",
    "phát",
    "triển",
    "dữ",
    "liệu",
    "kiểm",
    "thử",
    "phần",
    "mềm",
    "cloud",
    "api",
]
PLACES = ["Nam Định", "Hà Nội", "Ninh Bình", None]


def make_learner(rng, lid):
    return LearnerProfile(
        id=lid,
        skills=tuple((s, rng.randint(1, 5)) for s in rng.sample(SKILLS, rng.randint(0, 6))),
        text=" ".join(rng.choices(WORDS, k=rng.randint(0, 12))),
        locality=rng.choice(PLACES),
        preferred_localities=tuple(rng.sample(["Hà Nội", "Ninh Bình"], rng.randint(0, 2))),
    )


def make_order(rng, oid):
    chosen = rng.sample(SKILLS, 7)
    return OrderProfile(
        id=oid,
        kind=rng.choice(["job", "internship", "training"]),
        required=tuple(
            SkillReq(s, rng.randint(1, 5), rng.choice([1.0, 2.0]))
            for s in chosen[: rng.randint(0, 4)]
        ),
        nice=tuple(SkillReq(s, rng.randint(1, 5)) for s in chosen[4 : 4 + rng.randint(0, 3)]),
        text=" ".join(rng.choices(WORDS, k=rng.randint(0, 12))),
        locality=rng.choice(PLACES),
        remote=rng.random() < 0.2,
    )


def world(seed=1, n_learners=120, n_orders=25):
    rng = random.Random(seed)
    learners = [make_learner(rng, i) for i in range(n_learners)]
    orders = [make_order(rng, f"o{i}") for i in range(n_orders)]
    return learners, orders


def summary(results):
    return [
        (
            r.learner_id,
            r.order_id,
            r.score,
            r.tier,
            r.qualifies,
            r.matched,
            r.partial,
            r.missing,
            r.related,
            r.unknown,
        )
        for r in results
    ]


def test_index_agrees_with_the_reference_ranker():
    learners, orders = world()
    for o in orders[:8]:
        index = MatchIndex(learners, [o])
        expected = rank.rank_learners(o, learners, k=len(learners))
        assert summary(index.rank_learners(o.id, k=len(learners))) == summary(expected)
    index = MatchIndex(learners, orders)
    for lp in learners[:8]:
        expected = rank.rank_orders(lp, orders, k=len(orders), supply=learners)
        assert summary(index.rank_orders(lp.id, k=len(orders))) == summary(expected)


def test_explain_matches_the_ranked_result():
    learners, orders = world()
    index = MatchIndex(learners, orders)
    for r in index.rank_learners("o3", k=10):
        assert index.explain("o3", r.learner_id) == r
    for r in index.rank_orders(7, k=10):
        again = index.explain(r.order_id, 7)
        assert (again.score, again.qualifies, again.matched) == (r.score, r.qualifies, r.matched)


def test_candidates_never_let_a_hidden_learner_through():
    learners, orders = world()
    index = MatchIndex(learners, orders)
    best = index.rank_learners("o0", k=5)
    hidden = {r.learner_id for r in best[:3]}
    visible = [lp.id for lp in learners if lp.id not in hidden]
    for k in (1, 5, 200):
        shown = index.rank_learners("o0", k=k, candidates=visible)
        assert not hidden & {r.learner_id for r in shown}
    assert set(index.ranked_learner_ids("o0", candidates=visible)) == set(visible)
    assert index.rank_learners("o0", candidates=[]) == ()
    assert index.rank_learners("o0", candidates=["no such id"]) == ()
    orders_shown = index.rank_orders(3, k=50, candidates={"o1", "o2"})
    assert {r.order_id for r in orders_shown} == {"o1", "o2"}


def test_pagination_and_full_id_listing_agree():
    learners, orders = world(seed=2, n_learners=300)
    index = MatchIndex(learners, orders)
    ids = index.ranked_learner_ids("o4")
    assert len(ids) == len(learners)
    pages = [index.rank_learners("o4", k=25, offset=off) for off in range(0, 300, 25)]
    assert [r.learner_id for page in pages for r in page] == list(ids)
    keys = [(r.tier, r.score) for page in pages for r in page]
    assert keys == sorted(keys, reverse=True)
    assert index.rank_learners("o4", k=0) == ()
    assert index.ranked_order_ids(5)[:10] == tuple(r.order_id for r in index.rank_orders(5, k=10))


def test_qualified_only_keeps_exactly_the_qualified():
    learners, orders = world(seed=3, n_learners=300)
    index = MatchIndex(learners, orders)
    for o in orders[:10]:
        everyone = index.rank_learners(o.id, k=len(learners))
        qualified = [r.learner_id for r in everyone if r.qualifies]
        got = index.rank_learners(o.id, k=len(learners), qualified_only=True)
        assert [r.learner_id for r in got] == qualified
        assert list(index.ranked_learner_ids(o.id, qualified_only=True)) == qualified
        top = index.rank_learners(o.id, k=3, qualified_only=True)
        assert [r.learner_id for r in top] == qualified[:3]
        cut = everyone[len(everyone) // 3].score
        above = [r.learner_id for r in everyone if r.score >= cut]
        assert list(index.ranked_learner_ids(o.id, min_score=cut)) == above
        got = index.rank_learners(o.id, k=5, offset=2, min_score=cut)
        assert [r.learner_id for r in got] == above[2:7]
        both = [r.learner_id for r in everyone if r.qualifies and r.score >= cut]
        assert list(index.ranked_learner_ids(o.id, qualified_only=True, min_score=cut)) == both


def test_pruned_top_k_equals_the_full_ranking():
    learners, orders = world(seed=4, n_learners=2000, n_orders=15)
    index = MatchIndex(learners, orders)
    visible = [lp.id for lp in learners if lp.id % 3]
    for o in orders:
        full = index.ranked_learner_ids(o.id)
        qualified = index.ranked_learner_ids(o.id, qualified_only=True)
        shown = index.ranked_learner_ids(o.id, candidates=visible)
        for k in (1, 7, 30):
            assert [r.learner_id for r in index.rank_learners(o.id, k=k)] == list(full[:k])
            got = index.rank_learners(o.id, k=k, qualified_only=True)
            assert [r.learner_id for r in got] == list(qualified[:k])
            got = index.rank_learners(o.id, k=k, candidates=visible)
            assert [r.learner_id for r in got] == list(shown[:k])
    for lid in range(0, 2000, 250):
        full = index.ranked_order_ids(lid)
        assert [r.order_id for r in index.rank_orders(lid, k=3)] == list(full[:3])


def test_a_profile_outside_the_index_can_be_ranked():
    learners, orders = world()
    index = MatchIndex(learners, orders)
    probe = OrderProfile(id="new", kind="job", required=(SkillReq("s1", 3),), text="python")
    results = index.rank_learners(probe, k=5)
    assert len(results) == 5
    assert all(r.order_id == "new" for r in results)
    me = LearnerProfile(id="me", skills=(("s1", 4),))
    assert index.rank_orders(me, k=3)[0].learner_id == "me"
    with pytest.raises(KeyError):
        index.rank_learners("missing")
    with pytest.raises(KeyError):
        index.explain("o1", "nobody")


def test_mixed_id_types_sort_ints_before_strings():
    same = (("s1", 3),)
    learners = [LearnerProfile(id=i, skills=same) for i in ("b", 2, "a", 10)]
    index = MatchIndex(learners, [])
    probe = OrderProfile(id="x", kind="job", required=(SkillReq("s1"),))
    assert index.ranked_learner_ids(probe) == (2, 10, "a", "b")


def test_building_twice_gives_the_same_answers():
    learners, orders = world(seed=5)
    a = MatchIndex(learners, orders)
    b = MatchIndex(learners, orders)
    for o in orders[:5]:
        assert a.rank_learners(o.id, k=30) == b.rank_learners(o.id, k=30)


def test_remove_and_upsert_bookkeeping():
    learners, orders = world()
    index = MatchIndex(learners, orders)
    assert index.n_learners == len(learners) and index.n_orders == len(orders)
    assert index.has_learner(0) and index.has_order("o1")
    assert index.remove_learner(0)
    assert not index.has_learner(0)
    assert not index.remove_learner(0)
    assert not index.remove_order("nope")
    assert 0 not in index.ranked_learner_ids("o1")
    index.upsert_learner(learners[0])
    assert 0 in index.ranked_learner_ids("o1")
    index.upsert_order(orders[0])
    assert index.n_orders == len(orders)
    assert index.skill_supply() == MatchIndex(learners, orders).skill_supply()


def assert_same(patched, rebuilt):
    assert patched.learner_ids() == rebuilt.learner_ids()
    assert patched.order_ids() == rebuilt.order_ids()
    for oid in rebuilt.order_ids()[:6]:
        assert patched.rank_learners(oid, k=15) == rebuilt.rank_learners(oid, k=15)
        assert patched.ranked_learner_ids(oid) == rebuilt.ranked_learner_ids(oid)
    for lid in rebuilt.learner_ids()[:6]:
        a = patched.rank_orders(lid, k=15)
        b = rebuilt.rank_orders(lid, k=15)
        assert [(r.order_id, r.score, r.qualifies) for r in a] == [
            (r.order_id, r.score, r.qualifies) for r in b
        ]


def rebuild(index):
    return MatchIndex(
        [index.learner(i) for i in index.learner_ids()], [index.order(i) for i in index.order_ids()]
    )


def test_patching_equals_a_full_rebuild_across_compactions():
    rng = random.Random(9)
    learners, orders = world(seed=6, n_learners=60, n_orders=10)
    index = MatchIndex(learners[:30], orders[:5], compact_at=8)
    for step in range(120):
        op = rng.random()
        if op < 0.45:
            index.upsert_learner(make_learner(rng, rng.randrange(80)))
        elif op < 0.6:
            index.remove_learner(rng.randrange(80))
        elif op < 0.85:
            index.upsert_order(make_order(rng, f"o{rng.randrange(15)}"))
        else:
            index.remove_order(f"o{rng.randrange(15)}")
        if step % 30 == 29:
            assert_same(index, rebuild(index))
        if step == 70:
            index.compact()
    assert_same(index, rebuild(index))
    index.compact()
    assert_same(index, rebuild(index))


OPS = st.lists(
    st.tuples(st.sampled_from(["ul", "rl", "uo", "ro"]), st.integers(0, 20), st.integers(0, 10**6)),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_property_patching_equals_rebuilding(ops):
    learners, orders = world(seed=7, n_learners=15, n_orders=6)
    index = MatchIndex(learners, orders, compact_at=4)
    for kind, key, seed in ops:
        rng = random.Random(seed)
        if kind == "ul":
            index.upsert_learner(make_learner(rng, key))
        elif kind == "rl":
            index.remove_learner(key)
        elif kind == "uo":
            index.upsert_order(make_order(rng, f"o{key % 8}"))
        else:
            index.remove_order(f"o{key % 8}")
    assert_same(index, rebuild(index))


def test_large_ties_are_broken_by_id_too():
    ids = list(range(5000))
    random.Random(1).shuffle(ids)
    learners = [LearnerProfile(id=i, skills=(("s1", 3),)) for i in ids]
    index = MatchIndex(learners, [])
    probe = OrderProfile(id="x", kind="job", required=(SkillReq("s1"),))
    assert [r.learner_id for r in index.rank_learners(probe, k=5, offset=10)] == [
        10,
        11,
        12,
        13,
        14,
    ]
    assert index.ranked_learner_ids(probe) == tuple(range(5000))
    index.upsert_learner(LearnerProfile(id=-1, skills=(("s1", 3),)))
    assert index.ranked_learner_ids(probe)[:2] == (-1, 0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(1, 60), st.integers(1, 12))
def test_property_index_top_k_equals_the_reference(seed, n_learners, k):
    rng = random.Random(seed)
    learners = [make_learner(rng, i) for i in range(n_learners)]
    o = make_order(rng, "o")
    index = MatchIndex(learners, [o])
    expected = rank.rank_learners(o, learners, k=k)
    assert summary(index.rank_learners("o", k=k)) == summary(expected)
    qualified = [r for r in rank.rank_learners(o, learners, k=n_learners) if r.qualifies][:k]
    assert summary(index.rank_learners("o", k=k, qualified_only=True)) == summary(qualified)


def test_patches_may_bring_skills_and_places_the_index_has_never_seen():
    learners, orders = world()
    index = MatchIndex(learners, orders)
    newcomer = LearnerProfile(id="new", skills=(("brand-new", 4), ("s1", 2)), locality="Huế")
    index.upsert_learner(newcomer)
    index.upsert_order(
        OrderProfile(id="fresh", kind="job", required=(SkillReq("brand-new", 3),), locality="Huế")
    )
    top = index.rank_learners("fresh", k=1)[0]
    assert top.learner_id == "new" and top.qualifies
    assert top.component("locality_fit") == 1.0
    assert index.skill_supply()["brand-new"] == 1
    assert_same(index, rebuild(index))
    index.compact()
    assert index.rank_learners("fresh", k=1)[0] == top
    assert_same(index, rebuild(index))
