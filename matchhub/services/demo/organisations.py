"""Colleges, enterprises, their staff accounts and the colleges' programmes."""

from __future__ import annotations

from typing import Any

from matchhub.models import (
    Membership,
    Organization,
    OrgKind,
    OrgRole,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    Role,
    User,
    VerificationState,
)
from matchhub.services.demo.catalogue import (
    COLLEGE_EMAIL,
    DEMO_COLLEGE,
    DEMO_ENTERPRISE,
    ENTERPRISE_EMAIL,
    ENTERPRISES,
    PENDING_ENTERPRISES,
    REJECTED_ENTERPRISE,
    TEXTS,
)
from matchhub.services.demo.rows import insert, insert_returning_ids, tax_code

_LEVEL_BY_NAME = {
    "university": ProgrammeLevel.UNIVERSITY,
    "college": ProgrammeLevel.COLLEGE,
    "vocational": ProgrammeLevel.VOCATIONAL,
    "short_course": ProgrammeLevel.SHORT_COURSE,
}


class OrganisationsMixin:
    """The supply and demand side's organisations; part of ``seed._Builder``."""

    def build_colleges(self) -> list[dict[str, Any]]:
        rows, meta = [], []
        for inst in self.programme_data["institutions"]:
            rows.append(
                {
                    "kind": OrgKind.COLLEGE,
                    "name": inst["name"],
                    "code": inst["code"],
                    "tax_code": None,
                    "locality": inst["locality"],
                    "sector": "education",
                    "address": inst["address"],
                    "website": None,
                    "description": inst["description"],
                    "state": VerificationState.VERIFIED,
                    "state_reason": None,
                    "verified_at": self.days_ago(380 + self.rng.randrange(30)),
                    "verified_by_id": self.admin_id,
                    "created_at": self.days_ago(410),
                }
            )
            meta.append(dict(inst))
        for m, org_id in zip(meta, insert_returning_ids(Organization, rows), strict=True):
            m["id"] = org_id
        return meta

    def build_enterprises(self) -> list[dict[str, Any]]:
        rows, meta = [], []
        used: set[str] = set()
        reject_code, reject_reason = REJECTED_ENTERPRISE
        texts = TEXTS["enterprise"]
        for code, name, sector, locality in ENTERPRISES:
            created = 90 + self.rng.randrange(300)
            if code in PENDING_ENTERPRISES:
                state, reason, verified_at, by = VerificationState.PENDING, None, None, None
                created = 2 + self.rng.randrange(12)
            elif code == reject_code:
                state, reason, verified_at, by = (
                    VerificationState.REJECTED,
                    reject_reason,
                    None,
                    self.admin_id,
                )
                created = 20
            else:
                state, reason, by = VerificationState.VERIFIED, None, self.admin_id
                verified_at = self.days_ago(created - 1 - self.rng.randrange(3))
            rows.append(
                {
                    "kind": OrgKind.ENTERPRISE,
                    "name": name,
                    "code": code,
                    "tax_code": tax_code(self.rng, used),
                    "locality": locality,
                    "sector": sector,
                    "address": texts["address_in_province"].format(
                        locality=self.locality_name(locality)
                    )
                    if locality.startswith("nd-")
                    else self.locality_name(locality),
                    "website": None,
                    "description": _enterprise_description(name, sector),
                    "state": state,
                    "state_reason": reason,
                    "verified_at": verified_at,
                    "verified_by_id": by,
                    "created_at": self.days_ago(created),
                }
            )
            meta.append(
                {
                    "code": code,
                    "name": name,
                    "sector": sector,
                    "locality": locality,
                    "state": state,
                    "created_days": created,
                }
            )
        for m, org_id in zip(meta, insert_returning_ids(Organization, rows), strict=True):
            m["id"] = org_id
        return meta

    def build_org_users(self, colleges, enterprises) -> dict[str, int]:
        """One account per organisation; returns user id by organisation code."""
        rows, codes = [], []
        for org in [*colleges, *enterprises]:
            code = org["code"]
            if code == DEMO_ENTERPRISE:
                email, name = ENTERPRISE_EMAIL, "Phạm Quang Huy"
            elif code == DEMO_COLLEGE:
                email, name = COLLEGE_EMAIL, "Đỗ Thị Lan"
            else:
                email, name = f"hr.{code.lower()}@demo.vn", self.person_name()[0]
            role = Role.COLLEGE if org in colleges else Role.ENTERPRISE
            rows.append(self.user_row(email, name, role, 400))
            codes.append((code, org["id"]))
        ids = insert_returning_ids(User, rows)
        insert(
            Membership,
            [
                {
                    "user_id": uid,
                    "organization_id": org_id,
                    "org_role": OrgRole.OWNER,
                    "created_at": self.days_ago(400),
                }
                for uid, (_, org_id) in zip(ids, codes, strict=True)
            ],
        )
        return {code: uid for uid, (code, _) in zip(ids, codes, strict=True)}

    def build_programmes(self, colleges) -> list[dict[str, Any]]:
        by_code = {c["code"]: c for c in colleges}
        rows, meta = [], []
        for raw in self.programme_data["programmes"]:
            college = by_code[raw["institution"]]
            prog = {
                **raw,
                "skills": {s: lv for s, lv in raw["skills"].items() if s in self.skill_ids},
                "electives": [s for s in raw["electives"] if s in self.skill_ids],
                "college": college,
                "level_enum": _LEVEL_BY_NAME[raw["level"]],
            }
            rows.append(
                {
                    "organization_id": college["id"],
                    "code": prog["code"],
                    "name": prog["name"],
                    "level": prog["level_enum"],
                    "field": prog["field"],
                    "yearly_intake": prog["yearly_intake"],
                    "description": _programme_description(prog, self.skill_name_vi),
                    "created_at": self.days_ago(405),
                }
            )
            meta.append(prog)
        for m, pid in zip(meta, insert_returning_ids(Programme, rows), strict=True):
            m["id"] = pid
        insert(
            ProgrammeSkill,
            [
                {"programme_id": m["id"], "skill_id": self.skill_ids[slug], "level": level}
                for m in meta
                for slug, level in m["skills"].items()
            ],
        )
        return meta


def _enterprise_description(name: str, sector: str) -> str:
    texts = TEXTS["enterprise"]
    what = texts["sector_activity"].get(sector, texts["other_activity"])
    return texts["description"].format(name=name, what=what)


def _programme_description(prog: dict[str, Any], name_vi) -> str:
    top = sorted(prog["skills"].items(), key=lambda kv: -kv[1])[:6]
    skills = ", ".join(name_vi(s) for s, _ in top)
    return TEXTS["programme_description"].format(
        name=prog["name"], skills=skills, intake=prog["yearly_intake"]
    )
