"""Scoring rules of the ranker on small hand-made instances."""

import math

import pytest

from matchhub.matching.rank import (
    Weights,
    explain_pair,
    level_credit,
    locality_fit,
    rank_learners,
    rank_orders,
    round_score,
    smooth_idf,
)
from matchhub.matching.types import LearnerProfile, OrderProfile, SkillReq, Tier

SKILLS_ONLY = Weights(required=1.0, nice=0.0, text=0.0, locality=0.0, overlap=0.0)


def order(oid="o", required=(), nice=(), text="", locality=None, remote=False):
    return OrderProfile(
        id=oid,
        kind="job",
        required=tuple(SkillReq(*r) if isinstance(r, tuple) else SkillReq(r) for r in required),
        nice=tuple(SkillReq(*r) if isinstance(r, tuple) else SkillReq(r) for r in nice),
        text=text,
        locality=locality,
        remote=remote,
    )


def learner(lid, skills=(), text="", locality=None, preferred=()):
    return LearnerProfile(
        id=lid,
        skills=tuple(skills),
        text=text,
        locality=locality,
        preferred_localities=tuple(preferred),
    )


def by_id(results):
    return {r.learner_id: r for r in results}


def test_level_credit_is_partial_below_the_level_asked():
    assert level_credit(4, 4, 0.25) == 1.0
    assert level_credit(5, 4, 0.25) == 1.0
    assert level_credit(3, 4, 0.25) == 0.75
    assert level_credit(2, 4, 0.25) == 0.5
    assert level_credit(1, 5, 0.25) == 0.0
    assert level_credit(0, 1, 0.25) == 0.0


def test_a_level_2_learner_for_a_level_4_requirement_gets_half_credit():
    o = order(required=[("python", 4)])
    results = by_id(
        rank_learners(
            o,
            [learner("lo", [("python", 2)]), learner("hi", [("python", 5)]), learner("no")],
            weights=SKILLS_ONLY,
        )
    )
    assert results["hi"].component("coverage") == 1.0
    assert results["lo"].component("coverage") == 0.5
    assert results["no"].component("coverage") == 0.0
    assert results["lo"].partial[0].skill_id == "python"
    assert (results["lo"].partial[0].required_level, results["lo"].partial[0].learner_level) == (
        4,
        2,
    )
    assert results["hi"].matched[0].learner_level == 5
    assert results["no"].missing[0].learner_level == 0


def test_rare_skills_weigh_more_than_common_ones():
    # Everyone knows git; only one learner knows kotlin.
    supply = [learner(i, [("git", 3)]) for i in range(8)]
    supply += [learner("rare", [("kotlin", 3)]), learner("common", [("git", 3)])]
    o = order(required=["git", "kotlin"])
    results = rank_learners(o, supply, k=3, weights=SKILLS_ONLY)
    assert results[0].learner_id == "rare"
    rare = results[0]
    assert rare.missing[0].skill_id == "git"
    assert rare.matched[0].weight > rare.missing[0].weight
    n = len(supply)
    assert rare.matched[0].weight == pytest.approx(smooth_idf(1, n))
    assert rare.missing[0].weight == pytest.approx(smooth_idf(9, n))
    assert rare.component("coverage") == pytest.approx(
        smooth_idf(1, n) / (smooth_idf(1, n) + smooth_idf(9, n))
    )


def test_requirement_weight_scales_the_skill():
    supply = [learner("a", [("sql", 3)]), learner("b", [("excel", 3)])]
    o = order(required=[("sql", 3, 3.0), ("excel", 3, 1.0)])
    results = rank_learners(o, supply, weights=SKILLS_ONLY)
    assert [r.learner_id for r in results] == ["a", "b"]
    assert results[0].score == pytest.approx(0.75)


def test_qualifies_is_exactly_meeting_or_nearly_meeting_every_required_skill():
    o = order(required=[("python", 4), ("sql", 3)])
    supply = [
        learner("full", [("python", 4), ("sql", 3)]),
        learner("one-short", [("python", 3), ("sql", 2)]),
        learner("two-short", [("python", 2), ("sql", 3)]),
        learner("missing", [("python", 5)]),
    ]
    results = by_id(rank_learners(o, supply, weights=SKILLS_ONLY))
    assert results["full"].tier == Tier.MEETS and results["full"].qualifies
    assert results["one-short"].tier == Tier.NEAR and results["one-short"].qualifies
    assert results["two-short"].tier == Tier.MISSING and not results["two-short"].qualifies
    assert results["missing"].tier == Tier.MISSING and not results["missing"].qualifies
    # No score threshold: a NEAR learner qualifies however low the score.
    low = Weights(required=0.01, text=1.0, nice=0.0, locality=0.0, overlap=0.0)
    assert by_id(rank_learners(o, supply, weights=low))["one-short"].qualifies
    # qualify_gap widens NEAR.
    wide = Weights(qualify_gap=2)
    assert by_id(rank_learners(o, supply, weights=wide))["two-short"].tier == Tier.NEAR


def test_nice_to_have_skills_are_a_bonus():
    o = order(required=["java"], nice=["docker"])
    supply = [learner("plain", [("java", 3)]), learner("bonus", [("java", 3), ("docker", 3)])]
    results = rank_learners(o, supply)
    assert [r.learner_id for r in results] == ["bonus", "plain"]
    assert results[0].nice[0].skill_id == "docker"
    assert results[0].component("nice_coverage") == 1.0
    assert results[1].component("nice_coverage") == 0.0
    assert results[1].qualifies


def test_text_similarity_uses_folded_vietnamese():
    o = order(required=["java"], text="Lập trình viên Java cho hệ thống ngân hàng")
    supply = [
        learner("similar", [("java", 3)], text="lap trinh vien java, he thong ngan hang"),
        learner("other", [("java", 3)], text="thiết kế đồ họa quảng cáo"),
    ]
    results = by_id(rank_learners(o, supply))
    assert results["similar"].component("text_similarity") > 0.5
    assert results["other"].component("text_similarity") == 0.0
    assert results["similar"].score > results["other"].score


def test_locality_fit():
    w = Weights()
    home = learner("l", locality="Hà Nội", preferred=["Ninh Bình"])
    assert locality_fit(order(locality=" hà  nội "), home, w) == w.locality_same
    assert locality_fit(order(locality="Ninh Bình"), home, w) == w.locality_preferred
    assert locality_fit(order(locality="Nam Định"), home, w) == w.locality_other
    assert locality_fit(order(locality="Nam Định", remote=True), home, w) == w.locality_same
    assert locality_fit(order(locality=None), home, w) == w.locality_unknown
    assert locality_fit(order(locality="Nam Định"), learner("x"), w) == w.locality_unknown


def test_explanation_components_add_up_to_the_score():
    o = order(required=[("python", 4), "sql"], nice=["git"], text="python sql", locality="A")
    supply = [
        learner(
            1, [("python", 3), ("git", 2)], text="python developer", locality="B", preferred=["A"]
        ),
        learner(2, [("sql", 5)], text="sql", locality="A"),
    ]
    for r in rank_learners(o, supply):
        parts = sum(
            r.component(name) for name in ("required", "nice", "text", "locality", "overlap")
        )
        assert parts == pytest.approx(r.score, abs=1e-9)
        assert 0.0 <= r.score <= 1.0
        assert dict(r.components_map()) == dict(r.components)
        as_dict = r.as_dict()
        assert as_dict["components"]["coverage"] == r.component("coverage")
    first = by_id(rank_learners(o, supply))[1]
    assert [m.skill_id for m in first.partial] == ["python"]
    assert [m.skill_id for m in first.missing] == ["sql"]
    assert first.component("locality_fit") == Weights().locality_preferred
    with pytest.raises(KeyError):
        first.component("nope")


def test_ties_are_broken_by_id_and_results_are_deterministic():
    o = order(required=["python"])
    supply = [learner(i, [("python", 3)]) for i in (5, 3, 9, 1)]
    first = rank_learners(o, supply)
    assert [r.learner_id for r in first] == [1, 3, 5, 9]
    assert rank_learners(o, list(reversed(supply))) == first


def test_an_order_without_required_skills_qualifies_nobody():
    o = order(nice=["git"])
    r = rank_learners(o, [learner("a", [("git", 5)])])[0]
    assert r.component("coverage") == 0.0
    assert r.tier == Tier.MISSING
    assert not r.qualifies


def test_repeated_skills_keep_the_highest_level_and_first_requirement():
    o = OrderProfile(
        id="o",
        kind="job",
        required=(SkillReq("python", 4), SkillReq("python", 2)),
        nice=(SkillReq("python", 1),),
    )
    r = rank_learners(o, [learner("a", [("python", 2), ("python", 4)])])[0]
    assert [(m.skill_id, m.required_level, m.learner_level) for m in r.matched] == [
        ("python", 4, 4)
    ]
    assert r.nice == ()


def test_rank_orders_reference_ranks_by_fit():
    me = learner("me", [("python", 4), ("sql", 3)], locality="A")
    orders = [
        order("fit", required=["python", "sql"], locality="A"),
        order("half", required=["python", "java"], locality="A"),
        order("far", required=["python", "sql"], locality="B"),
    ]
    results = rank_orders(me, orders)
    assert [r.order_id for r in results] == ["fit", "far", "half"]
    assert [r.qualifies for r in results] == [True, True, False]


def test_weights_are_validated():
    with pytest.raises(ValueError):
        Weights(required=-1.0)
    with pytest.raises(ValueError):
        Weights(required=0, nice=0, text=0, locality=0, overlap=0)
    with pytest.raises(ValueError):
        Weights(related_credit=1.5)
    with pytest.raises(TypeError):
        Weights(text="high")
    assert Weights().total == pytest.approx(1.0)


def test_relative_weights_need_not_sum_to_one():
    o = order(required=["python"])
    x = [learner("x", [("python", 3)])]
    a = rank_learners(o, x, weights=Weights(6, 1, 2, 1, 1))[0]
    b = rank_learners(o, x, weights=Weights(0.6, 0.1, 0.2, 0.1, 0.1))[0]
    assert a.score == b.score


def test_explain_pair_with_explicit_rarity():
    o = order(required=[("python", 4)])
    r = explain_pair(
        o,
        learner("x", [("python", 3)]),
        skill_idf=lambda s: 2.0,
        text_sim=0.5,
        weights=Weights(required=0.5, text=0.2, overlap=0.1),  # the arithmetic, not the defaults
    )
    assert r.partial[0].weight == 2.0
    assert r.component("text_similarity") == 0.5
    # One skill on both sides: the skill profiles are parallel (overlap 1).
    assert r.component("skill_overlap") == 1.0
    assert r.score == round_score(0.5 * 0.75 + 0.1 * 0.0 + 0.2 * 0.5 + 0.1 * 0.5 + 0.1 * 1.0)
    assert math.isclose(r.component("text"), 0.1)
    assert r.tier == Tier.NEAR


def test_profiles_reject_bad_levels():
    with pytest.raises(ValueError):
        SkillReq("python", 6)
    with pytest.raises(TypeError):
        SkillReq("python", True)
    with pytest.raises(ValueError):
        learner("x", [("python", 0)])
    with pytest.raises(ValueError):
        OrderProfile(id=1, kind="gig", required=())
    with pytest.raises(ValueError):
        OrderProfile(id=1, kind="job", required=(), headcount=0)


def test_a_better_tier_outranks_a_better_score():
    o = order(required=[("python", 4), ("sql", 3)], locality="Nam Định", text="python sql")
    supply = [
        learner("near", [("python", 3), ("sql", 2)], locality="Nam Định", text="python sql"),
        learner("meets-far", [("python", 4), ("sql", 3)], locality="Hà Nội"),
        learner("missing-close", [("python", 5)], locality="Nam Định", text="python sql"),
    ]
    results = rank_learners(o, supply)
    assert [r.learner_id for r in results] == ["meets-far", "near", "missing-close"]
    assert results[0].score < results[1].score
    assert [r.tier.label for r in results] == ["meets", "near", "missing"]
