"""Next-skill advice: the skill that unlocks the most orders, and who teaches it."""

from matchhub.matching.advice import next_skills, next_skills_for
from matchhub.matching.index import MatchIndex
from matchhub.matching.types import LearnerProfile, OrderProfile, ProgrammeProfile, SkillReq


def order(oid, required, locality=None):
    return OrderProfile(
        id=oid,
        kind="job",
        required=tuple(SkillReq(*r) if isinstance(r, tuple) else SkillReq(r) for r in required),
        locality=locality,
    )


ME = LearnerProfile(id="me", skills=(("python", 3),))
ORDERS = [
    order("o1", ["python", "sql"]),
    order("o2", ["python", "sql"]),
    order("o3", ["python", "docker"]),
    order("o4", ["java", "sql"]),
    order("o5", ["python"]),
]
PROGRAMMES = [
    ProgrammeProfile(id="p-low", name="SQL basics", skills=(("sql", 2),)),
    ProgrammeProfile(id="p-high", name="Databases", skills=(("sql", 4), ("python", 3))),
    ProgrammeProfile(id="p-ops", name="DevOps", skills=(("docker", 3),)),
]


def test_the_skill_unlocking_most_orders_comes_first():
    advice = next_skills_for(ME, ORDERS, PROGRAMMES)
    assert [(a.skill_id, a.unlocks, a.order_ids) for a in advice] == [
        ("sql", 2, ("o1", "o2")),
        ("docker", 1, ("o3",)),
    ]
    assert advice[0].level == 3
    assert [p.id for p in advice[0].programmes] == ["p-high", "p-low"]
    assert [p.id for p in advice[1].programmes] == ["p-ops"]


def test_k_limits_the_answer():
    assert [a.skill_id for a in next_skills_for(ME, ORDERS, PROGRAMMES, k=1)] == ["sql"]
    assert next_skills_for(ME, ORDERS, k=0) == ()


def test_orders_two_skills_away_are_not_counted():
    advice = next_skills_for(ME, ORDERS, k=5)
    assert all("o4" not in a.order_ids for a in advice)
    assert {a.skill_id for a in advice} == {"sql", "docker"}


def test_a_learner_who_qualifies_everywhere_gets_no_advice():
    expert = LearnerProfile(id="x", skills=(("python", 5), ("sql", 5), ("docker", 5), ("java", 5)))
    assert next_skills_for(expert, ORDERS) == ()


def test_raising_a_level_more_than_the_gap_short_counts():
    me = LearnerProfile(id="me", skills=(("python", 2),))
    index = MatchIndex([me], [order("o", [("python", 4)])])
    assert not index.explain("o", "me").qualifies
    advice = next_skills(index, "me")
    assert [(a.skill_id, a.level, a.order_ids) for a in advice] == [("python", 4, ("o",))]


def test_orders_with_an_unknown_term_or_no_skill_are_never_unlocked():
    orders = [
        OrderProfile(
            id="u", kind="job", required=(SkillReq("sql"),), unknown_required=("blorbscript",)
        ),
        OrderProfile(id="empty", kind="job", required=()),
        order("ok", ["python", "sql"]),
    ]
    assert [(a.skill_id, a.order_ids) for a in next_skills_for(ME, orders)] == [("sql", ("ok",))]


def test_candidates_limit_the_orders_considered():
    index = MatchIndex([ME], ORDERS)
    advice = next_skills(index, "me", PROGRAMMES, candidates=["o3", "o4"])
    assert [(a.skill_id, a.order_ids) for a in advice] == [("docker", ("o3",))]


def test_ties_break_by_skill_id():
    orders = [order("a", ["python", "zig"]), order("b", ["python", "ada"])]
    assert [a.skill_id for a in next_skills_for(ME, orders)] == ["ada", "zig"]
