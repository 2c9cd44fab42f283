"""An order's title line weighs more in the text part than its description."""

import numpy as np
import pytest

from matchhub.matching.index import MatchIndex
from matchhub.matching.rank import Weights, rank_learners, rank_orders
from matchhub.matching.tfidf import ORDER_HEADLINE, text_matrix
from matchhub.matching.types import LearnerProfile, OrderProfile, SkillReq

TEXT_ONLY = Weights(required=0.0, nice=0.0, text=1.0, locality=0.0, overlap=0.0)


def order(oid, text, required=("python",)):
    return OrderProfile(
        id=oid, kind="job", required=tuple(SkillReq(s) for s in required), text=text
    )


def learner(lid, text, skills=(("python", 3),)):
    return LearnerProfile(id=lid, skills=tuple(skills), text=text)


def test_headline_one_is_the_flat_matrix():
    texts = ["Java Developer\nSpring Boot, Oracle", "Tester", ""]
    flat = text_matrix(texts)
    same = text_matrix(texts, 1.0)
    assert (flat != same).nnz == 0


def test_title_tokens_are_scaled_and_the_rest_is_not():
    row = text_matrix(["Tester\nmanual tester"], 3.0)
    plain = text_matrix(["Tester\nmanual tester"])
    # "tester" once in the title (1 * 3) and once in the body (1): 4 instead of 1 + ln 2
    assert sorted(row.data.tolist()) == [1.0, 4.0]  # "manual" 1, "tester" 3 + 1
    assert sorted(plain.data.tolist()) == pytest.approx([1.0, 1.0 + np.log(2.0)])


def test_an_order_titled_for_the_learner_ranks_first():
    # The same words; only which of them make the title differs. Read flat, the two
    # tie and the id puts "a" first.
    buried = order("a", "Web Developer\nData Engineer, Python")
    titled = order("b", "Data Engineer\nWeb Developer, Python")
    cv = learner("l", "Data engineer with Python")
    assert ORDER_HEADLINE > 1
    ranked = rank_orders(cv, [buried, titled], weights=TEXT_ONLY)
    assert [r.order_id for r in ranked] == ["b", "a"]
    assert ranked[0].score > ranked[1].score
    index = MatchIndex([cv], [buried, titled], TEXT_ONLY)
    assert index.rank_orders("l") == ranked


def test_a_learner_first_line_is_not_weighted():
    # A CV often opens with a name: its first line must count like any other, so the
    # same lines in another order give the same similarity.
    a = learner("a", "Nguyen Van A\nPython developer, Django, REST APIs")
    b = learner("b", "Python developer, Django, REST APIs\nNguyen Van A")
    job = order("o", "Python Developer\nDjango and REST APIs")
    ranked = rank_learners(job, [a, b], weights=TEXT_ONLY)
    assert ranked[0].score == ranked[1].score
    index = MatchIndex([a, b], [job], TEXT_ONLY)
    assert index.rank_learners("o") == ranked


def test_upserted_order_is_weighted_like_a_built_one():
    cv = learner("l", "Data engineer with Python")
    buried = order("a", "Web Developer\nData Engineer, Python")
    titled = order("b", "Data Engineer\nWeb Developer, Python")
    built = MatchIndex([cv], [buried, titled], TEXT_ONLY)
    patched = MatchIndex([cv], [buried], TEXT_ONLY)
    patched.upsert_order(titled)
    assert patched.rank_orders("l") == built.rank_orders("l")
    outside = order("z", titled.text)
    assert built.explain(outside, cv).score == built.explain("b", "l").score
