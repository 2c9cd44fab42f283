"""Claiming an imported profile: a learner account takes over what its college imported.

The college's import gives each new learner a claim code (mailed in the
invitation, :mod:`matchhub.services.invitations`); the learner who signs in with
it becomes the profile's owner and alone decides who may see it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import Application, Learner, LearnerSkill, Role, User, Visibility, utcnow
from matchhub.services import ServiceError, audit


def claimable_profile(code: str) -> Learner | None:
    """The imported, not yet claimed learner profile whose claim code is ``code``."""
    if not code or len(code) > 64:
        return None
    return db.session.scalar(
        sa.select(Learner).where(Learner.claim_code == code, Learner.user_id.is_(None))
    )


def _blocking_references(learner_id: int) -> bool:
    """Whether rows other than skills and applications (e.g. allocation rounds) point at
    ``learner_id``: those cannot be moved safely, so the claim waits."""
    for table in db.metadata.sorted_tables:
        if table.name in ("learner_skills", "applications", "learners"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "learners" and fk.parent is not None:
                found = db.session.execute(
                    sa.select(sa.literal(1)).select_from(table).where(fk.parent == learner_id)
                ).first()
                if found is not None:
                    return True
    return False


def claim_profile(code: str, user: User, consent: bool) -> Learner:
    """A learner account takes over the profile its college imported.

    What the account's own (sign-up) profile holds is merged in: skills the
    imported profile lacks, empty fields, applications; then it is removed.
    ``consent`` shows the profile to verified enterprises from now on.
    """
    if user.role is not Role.LEARNER:
        raise ServiceError(_("Only a learner account can claim a learner profile."))
    learner = claimable_profile(code)
    if learner is None:
        raise ServiceError(_("This invitation link is not valid or was already used."))
    own = db.session.scalar(sa.select(Learner).where(Learner.user_id == user.id))
    if own is not None:
        if _blocking_references(own.id):
            raise ServiceError(
                _("Your account takes part in an internship round: claim this profile after it.")
            )
        have = {(s.skill_id or 0, "" if s.skill_id else s.term.casefold()) for s in learner.skills}
        for s in own.skills:
            if (s.skill_id or 0, "" if s.skill_id else s.term.casefold()) not in have:
                learner.skills.append(LearnerSkill(skill_id=s.skill_id, term=s.term, level=s.level))
        for name in ("date_of_birth", "phone", "locality", "available_from", "cv_text"):
            if not getattr(learner, name) and getattr(own, name):
                setattr(learner, name, getattr(own, name))
        if not learner.preferred_localities and own.preferred_localities:
            learner.preferred_localities = list(own.preferred_localities)
        taken = set(
            db.session.scalars(
                sa.select(Application.order_id).where(Application.learner_id == learner.id)
            )
        )
        for application in db.session.scalars(
            sa.select(Application).where(Application.learner_id == own.id)
        ):
            if application.order_id not in taken:
                application.learner_id = learner.id
        db.session.flush()
        db.session.delete(own)
        db.session.flush()
    learner.user_id = user.id
    learner.claim_code = None
    learner.email = learner.email or user.email
    if consent:
        learner.consent_at = utcnow()
        learner.consent_purpose = _(
            "Verified enterprises may see my profile to offer internships and jobs."
        )
        learner.visibility = Visibility.ENTERPRISES
    audit.record("learner.claimed", actor=user, organization_id=learner.college_id, obj=learner)
    db.session.commit()
    return learner
