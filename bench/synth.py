"""Deterministic synthetic learners, orders and programmes for benchmarks.

Skills follow a Zipf-like popularity (weight ``1 / rank``) over the shipped
taxonomy's ids (``load_taxonomy()``), so a handful of skills (Python, SQL, teamwork
…) are everywhere and most are rare, as in real postings. Learners hold 5-15
skills, orders require 3-8 and wish for 0-4 more; CV texts are ~40 words mixing
skill names with Vietnamese and English filler; localities come from a list of 10.
The same seed always gives the same data (``random.Random`` only, no clock).
"""

from __future__ import annotations

import datetime
import random
from functools import lru_cache

from matchhub.matching.types import LearnerProfile, OrderProfile, ProgrammeProfile, SkillReq

LOCALITIES = (
    "Phường Nam Định",
    "Phường Thiên Trường",
    "Phường Đông A",
    "Xã Hải Hậu",
    "Xã Giao Thủy",
    "Xã Nghĩa Hưng",
    "Xã Ý Yên",
    "Xã Vụ Bản",
    "Hà Nội",
    "Ninh Bình",
)

_FILLER_TEXT = (
    "sinh viên tốt nghiệp có kinh nghiệm làm việc nhóm dự án thực tập công ty phát triển "
    "hệ thống ứng dụng phần mềm khách hàng yêu cầu kỹ năng giao tiếp học hỏi nhanh chịu "
    "được áp lực trách nhiệm môi trường chuyên nghiệp lương thưởng hấp dẫn đào tạo nội bộ "
    "experience project team development system application software customer requirement "
    "communication fast learner responsible professional environment salary training "
    "internship graduate engineer developer junior senior fresher build maintain design "
    "test deploy support production quality documentation agile"
)
_FILLER = _FILLER_TEXT.split()

TODAY = datetime.date(2026, 11, 27)


@lru_cache(maxsize=1)
def skill_catalogue() -> tuple[tuple[str, str], ...]:
    """(skill id, display name) pairs in popularity order (most popular first).

    From the shipped taxonomy; synthetic ``skill-NNN`` ids only when it cannot be loaded.
    """
    try:
        from matchhub.matching.taxonomy import load_taxonomy

        skills = [(s.id, s.name_vi or s.name_en) for s in load_taxonomy().skills]
    except (ImportError, OSError, ValueError):
        skills = [(f"skill-{i:03d}", f"skill {i}") for i in range(400)]
    rng = random.Random(7)
    rng.shuffle(skills)
    return tuple(skills)


def _cum_weights(n: int, exponent: float = 1.0) -> list[float]:
    total = 0.0
    out = []
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        out.append(total)
    return out


def _pick(rng: random.Random, population: list, cum: list[float], k: int) -> list:
    chosen: dict = {}
    while len(chosen) < k:
        for item in rng.choices(population, cum_weights=cum, k=k - len(chosen)):
            chosen[item] = None
    return list(chosen)


def _text(rng: random.Random, names: list[str], words: int = 40) -> str:
    filler = rng.choices(_FILLER, k=max(words - 2 * len(names), 10))
    return " ".join(names + filler)


def learners(n: int, seed: int = 1) -> list[LearnerProfile]:
    """``n`` learners with ids ``0 .. n-1``. O(n)."""
    rng = random.Random(seed)
    cat = skill_catalogue()
    ids = [s for s, _ in cat]
    names = dict(cat)
    cum = _cum_weights(len(ids))
    out = []
    for i in range(n):
        skills = _pick(rng, ids, cum, rng.randint(5, 15))
        levels = tuple((s, rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))) for s in skills)
        home = rng.choice(LOCALITIES)
        prefs = tuple(p for p in rng.sample(LOCALITIES, rng.randint(0, 2)) if p != home)
        out.append(
            LearnerProfile(
                id=i,
                skills=levels,
                text=_text(rng, [names[s] for s in skills[:8]]),
                locality=home,
                preferred_localities=prefs,
            )
        )
    return out


def orders(n: int, seed: int = 2, today: datetime.date = TODAY) -> list[OrderProfile]:
    """``n`` orders with ids ``0 .. n-1``, posted within 180 days before ``today``. O(n)."""
    rng = random.Random(seed)
    cat = skill_catalogue()
    ids = [s for s, _ in cat]
    names = dict(cat)
    cum = _cum_weights(len(ids))
    kinds = ("job", "job", "job", "internship", "internship", "training")
    out = []
    for i in range(n):
        n_req = rng.randint(3, 8)
        skills = _pick(rng, ids, cum, n_req + rng.randint(0, 4))
        required = tuple(
            SkillReq(s, rng.choice((2, 3, 3, 3, 4)), rng.choice((1.0, 1.0, 1.5, 2.0)))
            for s in skills[:n_req]
        )
        nice = tuple(SkillReq(s, rng.choice((2, 3))) for s in skills[n_req:])
        title = " ".join(names[s] for s in skills[:2])
        out.append(
            OrderProfile(
                id=i,
                kind=rng.choice(kinds),
                required=required,
                nice=nice,
                text=_text(rng, [title, *(names[s] for s in skills[2:6])], words=35),
                locality=rng.choice(LOCALITIES),
                remote=rng.random() < 0.1,
                headcount=rng.choice((1, 1, 1, 2, 3, 5)),
                posted=today - datetime.timedelta(days=rng.randint(0, 180)),
            )
        )
    return out


def programmes(n: int, seed: int = 3) -> list[ProgrammeProfile]:
    """``n`` programmes teaching 10-25 skills each (popular skills more often). O(n)."""
    rng = random.Random(seed)
    ids = [s for s, _ in skill_catalogue()]
    cum = _cum_weights(len(ids), exponent=0.7)
    return [
        ProgrammeProfile(
            id=i,
            name=f"Programme {i}",
            skills=tuple(
                (s, rng.choice((2, 3, 3, 4))) for s in _pick(rng, ids, cum, rng.randint(10, 25))
            ),
        )
        for i in range(n)
    ]
