"""A learner's CV file: upload (its text becomes the profile's CV text), the skills it
suggests, download, delete.

The text is read by :mod:`matchhub.services.cv_reader`; the skills are suggested by the
same extractor that suggests a course's skills from its syllabus
(:func:`matchhub.services.programmes.suggest_skills`), and only the skills the learner
confirms are added to the profile. Uploads and deletions are audited like every other
change to personal data.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import Application, Learner, LearnerCV, LearnerSkill, User, utcnow
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, applications, audit, programmes
from matchhub.services.cv_reader import MAX_BYTES, MAX_PAGES, TYPES, UnreadableCV, read_cv
from matchhub.services.profiles import MAX_SKILLS

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "TYPES",
    "add_skills",
    "cv_of",
    "delete",
    "for_applicant",
    "suggestions",
    "summary",
    "upload",
]


def cv_of(learner: Learner) -> LearnerCV | None:
    """The learner's stored CV file, if any (the bytes are loaded with it)."""
    return db.session.scalar(sa.select(LearnerCV).where(LearnerCV.learner_id == learner.id))


def summary(learner_id: int):
    """The learner's CV file's name, size and upload time, without its bytes (None: none)."""
    return db.session.execute(
        sa.select(LearnerCV.filename, LearnerCV.size, LearnerCV.uploaded_at).where(
            LearnerCV.learner_id == learner_id
        )
    ).first()


def for_applicant(user: User, order_id: int, learner_id: int) -> LearnerCV:
    """The CV of a learner who applied to the order, for the order's enterprise; 404 else.

    They sent it by applying, so the enterprise may read it as it reads their contact
    details (``applications.CONTACT_VISIBLE``); a shortlist or an invitation not yet
    accepted is not enough. The application is loaded through ``owned_or_404`` (another
    organisation's order answers 404), and each download is recorded as a profile view,
    so the learner sees it under "who viewed my profile".
    """
    app = owned_or_404(
        Application,
        user,
        Application.order_id == order_id,
        Application.learner_id == learner_id,
        Application.status.in_(applications.CONTACT_VISIBLE),
        options=(selectinload(Application.order),),
    )
    row = db.session.scalar(sa.select(LearnerCV).where(LearnerCV.learner_id == learner_id))
    if row is None:
        abort(404)
    audit.record(
        "profile.viewed",
        actor=user,
        organization_id=app.order.organization_id,
        obj=app.learner,
        learner_id=learner_id,
        order_id=order_id,
        cv=True,
    )
    db.session.commit()
    return row


def _safe_filename(name: str, content_type: str) -> str:
    """The file's base name, printable and short, with the extension its content has."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable() and c != '"')
    stem = base.rsplit(".", 1)[0].strip() if "." in base else base.strip()
    return f"{(stem or 'cv')[:150]}.{TYPES[content_type]}"


def upload(learner: Learner, user: User, filename: str, data: bytes) -> LearnerCV:
    """Store ``data`` as the learner's CV (replacing any earlier one) and put its text in
    the profile's CV text, which matching reads. Refused (ServiceError on ``file``) when
    it is not a readable PDF or DOCX within the limits."""
    try:
        read = read_cv(data)
    except UnreadableCV as exc:
        raise ServiceError(exc.message, field="file") from None
    row = cv_of(learner)
    replaced = row is not None
    if row is None:
        row = LearnerCV(learner_id=learner.id)
        db.session.add(row)
    row.filename = _safe_filename(filename, read.content_type)
    row.content_type = read.content_type
    row.size = len(data)
    row.content = data
    row.uploaded_at = utcnow()
    learner.cv_text = read.text
    audit.record(
        "cv.uploaded",
        actor=user,
        obj=learner,
        content_type=read.content_type,
        size=len(data),
        replaced=replaced,
        truncated=read.truncated,
    )
    db.session.commit()
    return row


def delete(learner: Learner, user: User) -> bool:
    """Delete the learner's CV file and the CV text read from it; skills already added
    stay. False when there was none."""
    row = cv_of(learner)
    if row is None:
        return False
    db.session.delete(row)
    learner.cv_text = ""
    audit.record("cv.deleted", actor=user, obj=learner)
    db.session.commit()
    return True


def suggestions(learner: Learner) -> list[programmes.SkillSuggestion]:
    """Skills the learner's CV text names that their profile does not list yet, each with
    the extractor's confidence and the sentence it comes from."""
    have = {s.skill_id for s in learner.skills if s.skill_id is not None}
    return [
        s
        for s in programmes.suggest_skills(learner.cv_text or "", kind="text")
        if s.skill.id not in have
    ]


def add_skills(learner: Learner, user: User, chosen: list[tuple[str, int]]) -> int:
    """Add the skills the learner confirmed (skill slug, level 1..5) to their profile;
    skills they already list keep their level. Returns how many were added."""
    have = {s.skill_id for s in learner.skills if s.skill_id is not None}
    levels: dict[str, int] = {}
    for slug, level in chosen:
        if not 1 <= level <= 5:
            raise ServiceError(_("Choose a level from 1 to 5."), field="skills")
        levels.setdefault(slug, level)
    added = [s for s in programmes.skills_by_slug(list(levels)) if s.id not in have]
    if len(learner.skills) + len(added) > MAX_SKILLS:
        raise ServiceError(_("List at most %(num)s skills.", num=MAX_SKILLS), field="skills")
    for skill in added:
        learner.skills.append(
            LearnerSkill(skill_id=skill.id, term=skill.name_en, level=levels[skill.slug])
        )
    if added:
        audit.record("cv.skills_added", actor=user, obj=learner, skills=len(added))
        db.session.commit()
    return len(added)
