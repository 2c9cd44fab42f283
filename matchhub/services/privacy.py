"""A learner's self-service over their personal data.

Visibility and consent decide whether the learner may appear in any ranking (see
:func:`matchhub.services.pair_scores.is_matchable`); both take effect at the next
request of every worker, because each change touches the matching index. The
learner can download everything held about them, see which organisations viewed
their profile, and delete the account: personal data is erased while the anonymous
facts that statistics need (an application's stage, the programme, the graduation
year) stay on an anonymised learner row. Data-subject requests are audited.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash

from matchhub.extensions import db
from matchhub.models import (
    ERASED_NAME,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationStatus,
    AuditEvent,
    GraduateOutcome,
    Interview,
    InterviewSlot,
    JobOffer,
    Learner,
    LearnerCV,
    LearnerSkill,
    Notification,
    Order,
    Organization,
    User,
    Visibility,
    utcnow,
)
from matchhub.services import (
    ServiceError,
    alerts,
    audit,
    interviews,
    job_offers,
    messages,
    saved,
    skill_merges,
)

_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: The one purpose a learner consents to; stored by key, shown translated.
CONSENT_PURPOSE = "matching"
CONSENT_PURPOSES = {
    CONSENT_PURPOSE: _l(
        "Show my profile and skills to verified organisations in match rankings, "
        "so that they can invite me to jobs, internships and training"
    ),
}


def purpose_text(key: str | None) -> str:
    """The translated purpose of a stored consent key ("" when none)."""
    text = CONSENT_PURPOSES.get(key or "")
    return str(text) if text is not None else (key or "")


def set_visibility(learner: Learner, user: User, visibility: Visibility) -> None:
    """Hide the profile, or show it to verified enterprises only or all verified users."""
    if learner.visibility is visibility:
        return
    audit.record(
        "privacy.visibility_changed",
        actor=user,
        obj=learner,
        old=learner.visibility.value,
        new=visibility.value,
    )
    learner.visibility = visibility
    db.session.commit()


def give_consent(learner: Learner, user: User, purpose: str = CONSENT_PURPOSE) -> None:
    """Record the learner's consent to ``purpose`` with the time it was given."""
    if purpose not in CONSENT_PURPOSES:
        raise ServiceError(_("Unknown purpose."))
    learner.consent_at = utcnow()
    learner.consent_purpose = purpose
    audit.record("privacy.consent_given", actor=user, obj=learner, purpose=purpose)
    db.session.commit()


def withdraw_consent(learner: Learner, user: User) -> None:
    """Withdraw consent: the learner leaves every ranking at every worker's next request."""
    if learner.consent_at is None:
        return
    audit.record(
        "privacy.consent_withdrawn", actor=user, obj=learner, purpose=learner.consent_purpose
    )
    learner.consent_at = None
    learner.consent_purpose = None
    db.session.commit()


@dataclass(frozen=True)
class ProfileView:
    """Looks at the learner's profile by one organisation on one day (Vietnam's calendar)."""

    organization: str
    day: date
    times: int
    last_at: datetime


def profile_views(learner: Learner, limit: int = 100) -> list[ProfileView]:
    """Who viewed the learner's profile, one line per organisation and day, newest first.

    HR opening a candidate ten times in two minutes is one line saying "10 times",
    not ten identical lines. Reads the audit log's most recent views (at most 50 per
    line shown), so a long history costs no more than a page of it.
    """
    rows = db.session.execute(
        sa.select(Organization.id, Organization.name, AuditEvent.created_at)
        .join(Organization, Organization.id == AuditEvent.organization_id)
        .where(
            AuditEvent.action == "profile.viewed",
            AuditEvent.object_type == "Learner",
            AuditEvent.object_id == learner.id,
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit * 50)
    )
    groups: dict[tuple[int, date], ProfileView] = {}
    for org_id, name, at in rows:
        key = (org_id, at.astimezone(_VIETNAM).date())
        seen = groups.get(key)
        if seen is None:
            if len(groups) == limit:
                continue  # older than every line shown; still count the lines' other views
            groups[key] = ProfileView(name, key[1], 1, at)
        else:
            groups[key] = replace(seen, times=seen.times + 1)
    return list(groups.values())


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_data(learner: Learner, user: User) -> bytes:
    """Everything held about the learner, as UTF-8 JSON; the request is audited."""
    learner = db.session.scalar(
        sa.select(Learner)
        .where(Learner.id == learner.id)
        .options(
            selectinload(Learner.skills).selectinload(LearnerSkill.skill),
            selectinload(Learner.programme),
            selectinload(Learner.college),
        )
    )
    apps = list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.learner_id == learner.id)
            .options(
                selectinload(Application.order).selectinload(Order.organization),
                selectinload(Application.events),
            )
            .order_by(Application.id)
        )
    )
    threads = messages.of_applications(a.id for a in apps)
    # Interviews and offers are about the learner too: times, places, pay, their replies.
    held_interviews = interviews.export_of(a.id for a in apps)
    held_offers = job_offers.export_of(a.id for a in apps)
    data = {
        "exported_at": _iso(utcnow()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "locale": user.locale,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "profile": {
            "full_name": learner.full_name,
            "date_of_birth": _iso(learner.date_of_birth),
            "email": learner.email,
            "phone": learner.phone,
            "college": learner.college.name if learner.college else None,
            "programme": learner.programme.name if learner.programme else None,
            "student_code": learner.student_code,
            "graduation_year": learner.graduation_year,
            "gpa": str(learner.gpa) if learner.gpa is not None else None,
            "locality": learner.locality,
            "preferred_localities": list(learner.preferred_localities or []),
            "available_from": _iso(learner.available_from),
            "cv_text": learner.cv_text,
            "visibility": learner.visibility.value,
            "consent_at": _iso(learner.consent_at),
            "consent_purpose": learner.consent_purpose,
            "created_at": _iso(learner.created_at),
            "updated_at": _iso(learner.updated_at),
        },
        "skills": [
            {"term": s.term, "skill": s.skill.slug if s.skill else None, "level": s.level}
            for s in learner.skills
        ],
        "applications": [
            {
                "order": a.order.title,
                "organization": a.order.organization.name,
                "status": a.status.value,
                "message": a.message,
                "created_at": _iso(a.created_at),
                "history": [
                    {
                        "from": e.from_status.value if e.from_status else None,
                        "to": e.to_status.value,
                        "note": e.note,
                        "at": _iso(e.created_at),
                    }
                    for e in a.events
                ],
                # Both sides' messages: the learner wrote or received each of them.
                "messages": [
                    {
                        "from": m.side.value,
                        "author": m.author.full_name if m.author else None,
                        "text": m.body,
                        "at": _iso(m.created_at),
                        "read_at": _iso(m.read_at),
                    }
                    for m in threads[a.id]
                ],
                "interviews": held_interviews.get(a.id, []),
                "offers": held_offers.get(a.id, []),
            }
            for a in apps
        ],
        "profile_views": [
            {
                "organization": v.organization,
                "day": _iso(v.day),
                "times": v.times,
                "last_at": _iso(v.last_at),
            }
            for v in profile_views(learner, 10_000)
        ],
        "graduate_outcomes": [
            {
                "months_after_graduation": o.wave,
                "situation": o.situation.value if o.situation else None,
                "recorded_by": o.source.value if o.source else None,
                "answered_at": _iso(o.answered_at),
                "survey_sent_at": _iso(o.survey_sent_at),
            }
            for o in db.session.scalars(
                sa.select(GraduateOutcome)
                .where(GraduateOutcome.learner_id == learner.id)
                .order_by(GraduateOutcome.wave)
            )
        ],
        "cv_file": _cv_file(learner),
        "saved_openings": saved.export_of(learner.id),
        "alerts": alerts.export_of(learner.id),
    }
    audit.record("data.exported", actor=user, obj=learner)
    db.session.commit()
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _cv_file(learner: Learner) -> dict[str, Any] | None:
    """The uploaded CV file as the learner sent it (base64), with its name and date."""
    cv = db.session.scalar(sa.select(LearnerCV).where(LearnerCV.learner_id == learner.id))
    if cv is None:
        return None
    return {
        "filename": cv.filename,
        "content_type": cv.content_type,
        "size": cv.size,
        "uploaded_at": _iso(cv.uploaded_at),
        "content_base64": base64.b64encode(cv.content).decode("ascii"),
    }


def _close_applications(learner_id: int) -> None:
    # An application still under way ends as withdrawn: nobody can move an erased
    # person to interview or hire. Hired and rejected ones keep their stage, so the
    # placement statistics stay right.
    db.session.execute(
        sa.update(Application)
        .where(
            Application.learner_id == learner_id,
            Application.status.not_in(
                (ApplicationStatus.HIRED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
            ),
        )
        .values(status=ApplicationStatus.WITHDRAWN, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def delete_account(learner: Learner, user: User, password: str) -> None:
    """Erase the learner's personal data and delete their login, after checking the password.

    Name, contacts, date of birth, CV, skills, student code, GPA, answers about their
    situation after graduating, messages (the application's message and both sides'
    threads) and notes about them, saved openings and alert settings go (and their skill
    rows from the taxonomy merges' journals); the learner row stays anonymised (hidden,
    no consent) so that application stages and placement statistics still count. Audit
    events about the learner keep no personal data: their IP addresses and details are
    cleared. A booked interview still to come is withdrawn from the HR organiser's
    calendar (a CANCEL by mail after the commit, saying only that the candidate withdrew).
    """
    if not check_password_hash(user.password_hash, password or ""):
        raise ServiceError(_("The password is wrong."), field="password")
    learner_id = learner.id
    learner.full_name = ERASED_NAME
    learner.email = None
    learner.phone = None
    learner.date_of_birth = None
    learner.cv_text = ""
    db.session.execute(sa.delete(LearnerCV).where(LearnerCV.learner_id == learner_id))
    # What they did after graduating is theirs, not an anonymous statistic: it goes too.
    db.session.execute(sa.delete(GraduateOutcome).where(GraduateOutcome.learner_id == learner_id))
    saved.erase(learner_id)
    alerts.erase(learner_id)
    learner.student_code = None
    learner.gpa = None
    learner.claim_code = None
    learner.preferred_localities = []
    learner.available_from = None
    learner.visibility = Visibility.HIDDEN
    learner.consent_at = None
    learner.consent_purpose = None
    # A merge's journal names their skill rows: an undo must not bring them back.
    skill_merges.erase(learner_id)
    learner.skills = []
    learner.user_id = None
    app_ids = sa.select(Application.id).where(Application.learner_id == learner_id)
    _close_applications(learner_id)
    # The enterprises' notices about these applications carry the learner's name.
    db.session.execute(
        sa.delete(Notification)
        .where(Notification.payload["application_id"].as_integer().in_(app_ids))
        .execution_options(synchronize_session=False)
    )
    # The messages of both sides are about the person: the thread goes, the stage stays.
    db.session.execute(
        sa.delete(ApplicationMessage)
        .where(ApplicationMessage.application_id.in_(app_ids))
        .execution_options(synchronize_session=False)
    )
    # A booked interview still to come leaves the organiser's calendar (mailed after the
    # commit, naming nobody).
    interviews.withdraw_erased(learner_id)
    # Interviews and offers hold times, places, pay and the learner's replies: all go;
    # an application's stage (hired) stays for the statistics.
    # (Slots first: SQLite enforces no ON DELETE CASCADE here.)
    interview_ids = sa.select(Interview.id).where(Interview.application_id.in_(app_ids))
    db.session.execute(
        sa.delete(InterviewSlot)
        .where(InterviewSlot.interview_id.in_(interview_ids))
        .execution_options(synchronize_session=False)
    )
    for model in (Interview, JobOffer):
        db.session.execute(
            sa.delete(model)
            .where(model.application_id.in_(app_ids))
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        sa.update(Application)
        .where(Application.learner_id == learner_id)
        .values(message=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(app_ids))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(AuditEvent)
        .where(
            sa.or_(
                AuditEvent.actor_id == user.id,
                sa.and_(AuditEvent.object_type == "Learner", AuditEvent.object_id == learner_id),
                sa.and_(AuditEvent.object_type == "User", AuditEvent.object_id == user.id),
            )
        )
        .values(ip=None, detail={})
        .execution_options(synchronize_session=False)
    )
    # SQLite does not enforce ON DELETE SET NULL unless told to, and may reuse the
    # highest id: nothing may keep pointing at this account once it is gone.
    for model, column in (
        (ApplicationEvent, ApplicationEvent.actor_id),
        (AuditEvent, AuditEvent.actor_id),
    ):
        db.session.execute(
            sa.update(model)
            .where(column == user.id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        )
    db.session.execute(sa.delete(Notification).where(Notification.user_id == user.id))
    db.session.delete(user)
    # Neither who asked nor their IP: the event itself must hold no personal data.
    db.session.add(
        AuditEvent(
            action="account.deleted",
            object_type="Learner",
            object_id=learner_id,
            detail={},
        )
    )
    db.session.commit()
