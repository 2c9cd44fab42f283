"""The current cohort: learners, their skills, CVs and the demo learner's account."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from matchhub.matching.text import fold
from matchhub.models import Learner, LearnerSkill, ProgrammeLevel, Role, User, Visibility
from matchhub.services.demo.catalogue import (
    CONSENT_PURPOSE,
    DEMO_COLLEGE,
    LEARNER_EMAIL,
    MOBILE_PREFIXES,
    TEXTS,
    TRANSVERSAL,
)
from matchhub.services.demo.rows import clamp, insert, insert_returning_ids

# Age at graduation by kind of programme; short courses retrain working adults.
_AGE_AT_GRADUATION = {
    ProgrammeLevel.UNIVERSITY: (22, 23),
    ProgrammeLevel.COLLEGE: (20, 22),
    ProgrammeLevel.VOCATIONAL: (18, 20),
    ProgrammeLevel.SHORT_COURSE: (21, 35),
}
_YEARS_OF_STUDY = {
    ProgrammeLevel.UNIVERSITY: 4,
    ProgrammeLevel.COLLEGE: 3,
    ProgrammeLevel.VOCATIONAL: 2,
    ProgrammeLevel.SHORT_COURSE: 1,
}


class LearnersMixin:
    """People: names and the cohort of learners; part of ``seed._Builder``."""

    def person_name(self) -> tuple[str, bool, str, str]:
        """(full name, is_female, family, given) drawn from weighted name lists."""
        rng, names = self.rng, self.names
        families = names["family"]
        family = rng.choices([f for f, _ in families], [w for _, w in families])[0]
        female = rng.random() < 0.45
        middle = rng.choice(names["middle_female" if female else "middle_male"])
        given = rng.choice(names["given_female" if female else "given_male"])
        return f"{family} {middle} {given}", female, family, given

    def build_learners(self, programmes) -> tuple[list[dict[str, Any]], int]:
        nd_codes = [c for c in self.localities if c.startswith("nd-")]
        other_codes = [c for c in self.localities if not c.startswith("nd-")]
        rows, meta = [], []
        seq: dict[str, int] = {}
        for prog in programmes:
            college = prog["college"]
            for i in range(prog["learners"]):
                demo = college["code"] == DEMO_COLLEGE and prog["code"] == "UDPM" and i == 0
                row, skills = self.learner(prog, college, seq, nd_codes, other_codes, demo)
                if demo:
                    row["user_id"] = self.learner_user(row)
                    row["email"] = LEARNER_EMAIL
                rows.append(row)
                meta.append(
                    {
                        "skills": skills,
                        "visible": row["visibility"] is not Visibility.HIDDEN,
                        "demo": demo,
                        "user_id": row["user_id"],
                    }
                )
        ids = insert_returning_ids(Learner, rows)
        skill_rows = []
        for m, lid in zip(meta, ids, strict=True):
            m["id"] = lid
            for slug, level in m["skills"].items():
                skill_rows.append(
                    {
                        "learner_id": lid,
                        "skill_id": self.skill_ids[slug],
                        "term": self.skill_term(slug),
                        "level": level,
                    }
                )
        insert(LearnerSkill, skill_rows)
        return meta, len(skill_rows)

    def learner_user(self, row: dict[str, Any]) -> int:
        user = self.user_row(LEARNER_EMAIL, row["full_name"], Role.LEARNER, 260)
        return insert_returning_ids(User, [user])[0]

    def learner(self, prog, college, seq, nd_codes, other_codes, demo):
        rng = self.rng
        if demo:
            full, female, given = "Nguyễn Thu Trang", True, "Trang"
        else:
            full, female, _, given = self.person_name()
        level = prog["level_enum"]
        grad = rng.choices((2025, 2026, 2027), (0.15, 0.7, 0.15))[0] if not demo else 2026
        lo, hi = _AGE_AT_GRADUATION[level]
        born = date(grad - rng.randint(lo, hi), 1, 1) + timedelta(days=rng.randrange(365))
        entry = grad - _YEARS_OF_STUDY[level]
        n = seq[college["code"]] = seq.get(college["code"], 0) + 1
        student_code = f"{college['code_prefix']}{entry % 100:02d}{prog['code']}{n:04d}"
        initials = "".join(p[0] for p in full.split()[:-1])
        local = fold(f"{given}{initials}").replace(" ", "")
        email = f"{local}.{n:04d}@sv.{college['code'].lower()}.demo.vn"
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
        # Most of the cohort grew up in the Nam Định area; some came from elsewhere.
        locality = rng.choice(nd_codes if rng.random() < 0.82 else other_codes)
        preferred = [locality]
        for code in ("nd-nam-dinh", "ha-noi", "ninh-binh", "nd-my-loc", "ho-chi-minh"):
            if code != locality and rng.random() < 0.3:
                preferred.append(code)
        ability = rng.gauss(0, 0.6)  # one learner is stronger across the board than another
        gpa = None  # on the 4-point scale GPA is kept on (import_rows.GPA_STORED_SCALE)
        if level is not ProgrammeLevel.SHORT_COURSE:
            gpa = Decimal(f"{min(3.95, max(1.8, rng.gauss(2.95 + ability * 0.35, 0.35))):.2f}")
        skills = self.learner_skills(prog, ability, demo)
        if demo:
            visibility = Visibility.ENTERPRISES
        else:
            visibility = rng.choices(
                (Visibility.ENTERPRISES, Visibility.VERIFIED, Visibility.HIDDEN), (0.83, 0.12, 0.05)
            )[0]
        consent = visibility is not Visibility.HIDDEN
        created = self.days_ago(200 + rng.randrange(60))
        return {
            "user_id": None,
            "college_id": college["id"],
            "programme_id": prog["id"],
            "student_code": student_code,
            "full_name": full,
            "date_of_birth": born,
            "email": email,
            "phone": phone,
            "graduation_year": grad,
            "gpa": gpa,
            "locality": locality,
            "preferred_localities": preferred,
            "available_from": max(self.today, date(grad, 6, 15) + timedelta(rng.randrange(60))),
            "cv_text": self.cv_text(prog, college, skills, female, grad),
            "visibility": visibility,
            "consent_at": self.days_ago(rng.randrange(1, 140)) if consent else None,
            "consent_purpose": CONSENT_PURPOSE if consent else None,
            "claim_code": None,
            "created_at": created,
            "updated_at": created,
        }, skills

    def learner_skills(self, prog, ability: float, demo: bool) -> dict[str, int]:
        """Programme skills with noise, a few self-taught electives and transversal skills."""
        rng = self.rng
        skills: dict[str, int] = {}
        for slug, level in prog["skills"].items():
            if rng.random() < (0.97 if demo else 0.78):
                skills[slug] = clamp(round(level + ability + rng.gauss(0, 0.7)))
        for slug in rng.sample(prog["electives"], k=min(len(prog["electives"]), rng.randint(0, 3))):
            skills.setdefault(slug, clamp(round(2 + ability + rng.gauss(0, 0.8))))
        for slug, p in TRANSVERSAL:
            if rng.random() < p and slug in self.skill_ids:
                base = 2.4 if slug in ("english", "japanese") else 3
                skills.setdefault(slug, clamp(round(base + rng.gauss(0, 0.8))))
        if demo:
            strong = {"java": 4, "spring-boot": 3, "sql": 3, "git": 3, "english": 3}
            skills.update({s: lv for s, lv in strong.items() if s in self.skill_ids})
        return skills

    def cv_text(self, prog, college, skills, female: bool, grad: int) -> str:
        rng = self.rng
        texts = TEXTS["cv"]
        tech = sorted(
            (s for s in skills if self.taxonomy[s].category not in ("transversal", "language")),
            key=lambda s: -skills[s],
        )[:5]
        strong = ", ".join(self.skill_term(s) for s in tech) or texts["no_tech_skills"]
        project = rng.choice(prog["projects"])
        if grad < self.today.year:
            status = texts["status_graduated"]
        elif grad == self.today.year and self.today.month >= 7:
            status = texts["status_just_graduated"]
        else:
            status = texts["status_final_year"]
        if prog["level"] == "short_course":
            status = texts["status_short_course"]
        soft = [
            self.skill_name_vi(s).lower()
            for s in ("teamwork", "communication", "self-learning")
            if s in skills
        ]
        lines = [
            texts["intro"].format(
                status=status, programme=prog["name"], college=college["name"], year=grad
            ),
            texts["skills"].format(skills=strong),
            texts["project"].format(project=project),
        ]
        if soft:
            lines.append(texts["soft_skills"].format(skills=", ".join(soft)))
        if "english" in skills and skills["english"] >= 3:
            lines.append(texts["english"])
        closing = texts["closing_female"] if female else texts["closing_male"]
        lines.append(rng.choice((*texts["closings"], closing)))
        return "\n".join(lines)
