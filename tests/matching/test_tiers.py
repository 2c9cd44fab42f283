"""The ranking contract: tiers first, no vacuous matches, unknown terms, related skills,
skill overlap; the index equal to the reference ranker in both directions."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchhub.matching import rank
from matchhub.matching.index import MatchIndex
from matchhub.matching.rank import Weights, related_closure
from matchhub.matching.types import LearnerProfile, OrderProfile, SkillMatch, SkillReq, Tier

SKILLS = [f"s{i}" for i in range(10)]
RELATED = {"s0": ["s1"], "s2": ["s3", "s4"], "s5": ["s0"], "s6": ["s7"]}
WORDS = ["python", "java", "sql", "web", "dữ", "liệu", "kiểm", "thử", "cloud", "api"]
PLACES = ["Nam Định", "Hà Nội", None]


def learner(lid, skills=(), text="", locality=None):
    return LearnerProfile(id=lid, skills=tuple(skills), text=text, locality=locality)


def order(oid="o", required=(), nice=(), unknown=(), text="", locality=None):
    def reqs(items):
        return tuple(SkillReq(*r) if isinstance(r, tuple) else SkillReq(r) for r in items)

    return OrderProfile(
        id=oid,
        kind="job",
        required=reqs(required),
        nice=reqs(nice),
        unknown_required=tuple(unknown),
        text=text,
        locality=locality,
    )


def by_id(results):
    return {r.learner_id: r for r in results}


def make_learner(rng, lid):
    return LearnerProfile(
        id=lid,
        skills=tuple((s, rng.randint(1, 5)) for s in rng.sample(SKILLS, rng.randint(0, 5))),
        text=" ".join(rng.choices(WORDS, k=rng.randint(0, 8))),
        locality=rng.choice(PLACES),
    )


def make_order(rng, oid):
    chosen = rng.sample(SKILLS, 6)
    return OrderProfile(
        id=oid,
        kind="job",
        required=tuple(
            SkillReq(s, rng.randint(1, 5), rng.choice([1.0, 2.0]))
            for s in chosen[: rng.randint(0, 3)]
        ),
        nice=tuple(SkillReq(s, rng.randint(1, 5)) for s in chosen[3 : 3 + rng.randint(0, 2)]),
        unknown_required=("made-up",) if rng.random() < 0.15 else (),
        text=" ".join(rng.choices(WORDS, k=rng.randint(0, 8))),
        locality=rng.choice(PLACES),
    )


def summary(results):
    return [
        (r.learner_id, r.order_id, r.score, r.tier, r.matched, r.partial, r.missing, r.related)
        for r in results
    ]


def test_tier_labels_and_json():
    assert [t.label for t in Tier] == ["missing", "near", "meets"]
    assert Tier.MEETS > Tier.NEAR > Tier.MISSING
    r = rank.rank_learners(
        order(required=["s0"], unknown=["zork"]), [learner(1, [("s1", 3)])], related=RELATED
    )[0]
    data = r.as_dict()
    assert data["tier"] == "missing" and data["qualifies"] is False
    assert data["unknown"] == ["zork"]
    (rel,) = data["related"]
    assert (rel["skill_id"], rel["learner_level"], rel["via"]) == ("s0", 3, "s1")
    assert "via" not in data["missing"][0]
    assert SkillMatch("a", 3, 0, 1.0).as_dict().keys() == {
        "skill_id",
        "required_level",
        "learner_level",
        "weight",
    }


def test_must_haves_dominate_text_and_place():
    # Issue 10, point 1: a job asking Python and ReactJS.
    o = order(required=["python", "reactjs"], text="python reactjs web", locality="Nam Định")
    supply = [
        learner("react-only", [("reactjs", 5)], text="python reactjs web", locality="Nam Định"),
        learner("both", [("python", 3), ("reactjs", 3)], locality="Hà Nội"),
        learner("both-short", [("python", 2), ("reactjs", 3)]),
    ]
    results = rank.rank_learners(o, supply)
    assert [r.learner_id for r in results] == ["both", "both-short", "react-only"]
    assert [r.tier for r in results] == [Tier.MEETS, Tier.NEAR, Tier.MISSING]
    index = MatchIndex(supply, [o])
    assert summary(index.rank_learners("o")) == summary(results)


def test_no_vacuous_matches():
    me = learner("me", [("python", 4)], text="python developer")
    orders = [
        order("empty", text="python developer"),
        order("nice-only", nice=["python"], text="python developer"),
        order("real", required=[("python", 3)]),
    ]
    results = rank.rank_orders(me, orders)
    assert results[0].order_id == "real" and results[0].tier == Tier.MEETS
    for r in results[1:]:
        assert r.component("coverage") == 0.0
        assert r.tier == Tier.MISSING and not r.qualifies
    index = MatchIndex([me], orders)
    assert summary(index.rank_orders("me")) == summary(results)
    assert index.ranked_order_ids("me", qualified_only=True) == ("real",)
    assert index.ranked_learner_ids("empty", min_tier=Tier.NEAR) == ()


def test_an_unknown_required_term_puts_everyone_in_missing():
    o = order(required=[("sql", 3)], unknown=["blorbscript", "blorbscript"])
    supply = [learner("a", [("sql", 5)]), learner("b")]
    results = by_id(rank.rank_learners(o, supply))
    assert results["a"].tier == Tier.MISSING and results["a"].unknown == ("blorbscript",)
    assert results["a"].matched[0].skill_id == "sql" and results["a"].missing == ()
    assert results["a"].score > results["b"].score
    index = MatchIndex(supply, [o])
    assert index.ranked_learner_ids("o", qualified_only=True) == ()
    assert index.order_scores("a").tier.tolist() == [Tier.MISSING]
    assert index.order_scores("a").short.tolist() == [1]


def test_related_skills_earn_partial_credit_but_never_a_tier():
    o = order(required=[("mysql", 4)])
    related = {"mysql": ["sql"]}
    supply = [
        learner("sql", [("sql", 3)]),
        learner("none", [("java", 3)]),
        learner("my", [("mysql", 3)]),
    ]
    w = Weights(required=1.0, nice=0, text=0, locality=0, overlap=0, related_credit=0.5)
    results = by_id(rank.rank_learners(o, supply, weights=w, related=related))
    sql = results["sql"]
    assert sql.component("coverage") == pytest.approx(0.5 * 0.75)
    assert sql.tier == Tier.MISSING
    assert [m.skill_id for m in sql.missing] == ["mysql"]
    assert sql.related == (SkillMatch("mysql", 4, 3, sql.missing[0].weight, "sql"),)
    assert results["none"].component("coverage") == 0.0 and results["none"].related == ()
    assert results["my"].tier == Tier.NEAR and results["my"].related == ()
    # The relation is symmetric: given as sql -> mysql it works the same way.
    again = by_id(rank.rank_learners(o, supply, weights=w, related={"sql": ["mysql"]}))
    assert again["sql"].score == sql.score
    index = MatchIndex(supply, [o], weights=w, related=related)
    assert summary(index.rank_learners("o")) == summary(
        rank.rank_learners(o, supply, weights=w, related=related)
    )


def test_the_best_related_skill_counts_and_nice_skills_earn_it_too():
    o = order(required=[("sql", 3)], nice=[("docker", 3)])
    related = {"sql": ["mysql", "postgresql"], "docker": ["podman"]}
    me = learner("me", [("mysql", 2), ("postgresql", 4), ("podman", 3)])
    r = rank.rank_learners(o, [me], related=related)[0]
    assert r.related[0].via == "postgresql" and r.related[0].learner_level == 4
    assert r.component("coverage") == pytest.approx(0.5)
    assert r.component("nice_coverage") == pytest.approx(0.5)
    assert r.nice == ()
    assert related_closure(related)["mysql"] == frozenset({"sql"})
    assert "mysql" not in related_closure(related)["postgresql"]


def test_skill_overlap_prefers_a_profile_about_the_order():
    o = order(required=["python", "sql"])
    focused = learner("focused", [("python", 3), ("sql", 3)])
    broad = learner("broad", [("python", 3), ("sql", 3), ("java", 3), ("excel", 3), ("php", 3)])
    supply = [broad, focused] + [learner(i, [("java", 2), ("excel", 2)]) for i in range(5)]
    results = rank.rank_learners(o, supply, k=2)
    assert [r.learner_id for r in results] == ["focused", "broad"]
    assert results[0].component("skill_overlap") == pytest.approx(1.0)
    assert 0 < results[1].component("skill_overlap") < 1
    assert summary(MatchIndex(supply, [o]).rank_learners("o", k=2)) == summary(results)


def test_min_tier_filters_every_ranking_method():
    rng = random.Random(3)
    learners = [make_learner(rng, i) for i in range(200)]
    orders = [make_order(rng, f"o{i}") for i in range(20)]
    index = MatchIndex(learners, orders, related=RELATED)
    for o in orders[:8]:
        everyone = index.rank_learners(o.id, k=len(learners))
        for tier in Tier:
            want = [r.learner_id for r in everyone if r.tier >= tier]
            assert list(index.ranked_learner_ids(o.id, min_tier=tier)) == want
            got = index.rank_learners(o.id, k=5, offset=1, min_tier=tier)
            assert [r.learner_id for r in got] == want[1:6]
        near = index.ranked_learner_ids(o.id, min_tier=Tier.NEAR)
        assert index.ranked_learner_ids(o.id, qualified_only=True) == near
    for lp in learners[:8]:
        everyone = index.rank_orders(lp.id, k=len(orders))
        meets = [r.order_id for r in everyone if r.tier == Tier.MEETS]
        assert list(index.ranked_order_ids(lp.id, min_tier=Tier.MEETS)) == meets
        got = index.rank_orders(lp.id, k=3, min_tier=Tier.MEETS)
        assert [r.order_id for r in got] == meets[:3]
        scores = index.order_scores(lp.id)
        by_order = {r.order_id: r for r in everyone}
        for oid, tier, qualifies in zip(scores.ids, scores.tier, scores.qualifies, strict=True):
            assert tier == by_order[oid].tier and qualifies == by_order[oid].qualifies
        expected = rank.rank_orders(
            lp, orders, k=len(orders), supply=learners, related=RELATED, min_tier=Tier.NEAR
        )
        assert summary(index.rank_orders(lp.id, k=len(orders), min_tier=Tier.NEAR)) == summary(
            expected
        )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 10**6), st.integers(1, 60), st.integers(1, 12), st.sampled_from([*Tier, None])
)
def test_property_both_directions_equal_the_reference(seed, n_learners, k, min_tier):
    rng = random.Random(seed)
    learners = [make_learner(rng, i) for i in range(n_learners)]
    orders = [make_order(rng, f"o{i}") for i in range(6)]
    index = MatchIndex(learners, orders, related=RELATED)
    for o in orders[:2]:
        alone = MatchIndex(learners, [o], related=RELATED)
        expected = rank.rank_learners(o, learners, k=k, related=RELATED, min_tier=min_tier)
        assert summary(alone.rank_learners(o.id, k=k, min_tier=min_tier)) == summary(expected)
    lp = learners[0]
    expected = rank.rank_orders(
        lp, orders, k=k, supply=learners, related=RELATED, min_tier=min_tier
    )
    assert summary(index.rank_orders(lp.id, k=k, min_tier=min_tier)) == summary(expected)


OPS = st.lists(
    st.tuples(st.sampled_from(["ul", "rl", "uo", "ro"]), st.integers(0, 20), st.integers(0, 10**6)),
    max_size=25,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_property_patches_with_related_equal_rebuilding(ops):
    rng = random.Random(5)
    learners = [make_learner(rng, i) for i in range(15)]
    orders = [make_order(rng, f"o{i}") for i in range(6)]
    index = MatchIndex(learners, orders, related=RELATED, compact_at=4)
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
    rebuilt = MatchIndex(
        [index.learner(i) for i in index.learner_ids()],
        [index.order(i) for i in index.order_ids()],
        related=RELATED,
    )
    for oid in rebuilt.order_ids():
        assert index.rank_learners(oid, k=10) == rebuilt.rank_learners(oid, k=10)
        assert index.ranked_learner_ids(oid, min_tier=Tier.NEAR) == rebuilt.ranked_learner_ids(
            oid, min_tier=Tier.NEAR
        )
    for lid in rebuilt.learner_ids()[:6]:
        a = index.rank_orders(lid, k=10)
        b = rebuilt.rank_orders(lid, k=10)
        assert [(r.order_id, r.score, r.tier) for r in a] == [
            (r.order_id, r.score, r.tier) for r in b
        ]
