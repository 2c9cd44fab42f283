"""The hiring pipeline: shortlist → invited → applied → interview → offer → hired.

Both sides move an application, each only along its own edges (see
``ENTERPRISE_MOVES`` and the learner functions). "Offer" is reached only by sending
an offer and "hired" only by the learner accepting it (:mod:`.job_offers`); booking
an interview time moves it to "interview" (:mod:`.interviews`). Every move is an
``ApplicationEvent`` with who, from, to and an optional note, so the full history
stays. An enterprise sees a learner's contact details only once the learner has
applied or accepted an invitation (statuses in ``CONTACT_VISIBLE``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Learner,
    LearnerSkill,
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
    User,
)
from matchhub.models.orders import LEARNER_VISIBLE
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit, notifications, pair_scores
from matchhub.services.orders import today_in_vietnam

S = ApplicationStatus

#: The pipeline's stages in the order they are shown.
STAGES: tuple[ApplicationStatus, ...] = tuple(ApplicationStatus)
#: Where an enterprise may move an application from each status by hand. Never to
#: "offer" or "hired": those follow an offer sent and an offer accepted. "Interview"
#: by hand stays for an interview arranged outside the platform (by phone).
ENTERPRISE_MOVES: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    S.SHORTLISTED: (S.INVITED, S.REJECTED),
    S.INVITED: (S.REJECTED,),
    S.APPLIED: (S.INTERVIEW, S.REJECTED),
    S.INTERVIEW: (S.REJECTED,),
    S.OFFER: (S.REJECTED,),
}
#: Statuses from which a learner may withdraw.
WITHDRAWABLE = frozenset({S.INVITED, S.APPLIED, S.INTERVIEW, S.OFFER})
#: Statuses in which the enterprise sees the learner's email and phone.
CONTACT_VISIBLE = frozenset({S.APPLIED, S.INTERVIEW, S.OFFER, S.HIRED})
MAX_NOTE = 2000
MAX_MESSAGE = 2000


def contact_visible(application: Application | None) -> bool:
    """Whether the enterprise may see the learner's contact details on ``application``."""
    return application is not None and application.status in CONTACT_VISIBLE


def _event(
    app: Application, to: ApplicationStatus, actor: User | None, note: str | None = None
) -> None:
    note = (note or "").strip()[:MAX_NOTE] or None
    app.events.append(
        ApplicationEvent(
            from_status=app.status, to_status=to, actor_id=actor.id if actor else None, note=note
        )
    )
    app.status = to


def record_move(
    app: Application, to: ApplicationStatus, actor: User | None, note: str | None = None
) -> None:
    """Move ``app`` to ``to`` with a history event (no commit): for the services whose
    action implies a stage (an interview booked, an offer sent or accepted)."""
    _event(app, to, actor, note)


def _ended(app: Application, by_learner: bool) -> None:
    """An application leaves the pipeline: its interview and open offer end with it."""
    from matchhub.services import interviews, job_offers

    interviews.end_with_application(app, acted_by_learner=by_learner)
    job_offers.end_with_application(app)


def _tell_learner(app: Application, kind: str, **payload) -> None:
    """Notify the learner (in the app and by mail) when they have an account."""
    if app.learner.user_id is not None:
        notifications.notify(
            app.learner.user_id,
            kind,
            email=True,
            order=app.order.title,
            org=app.order.organization.name,
            application_id=app.id,
            **payload,
        )


def _tell_enterprise(app: Application, kind: str) -> None:
    """Notify the order's organisation in the app only: applications can be many."""
    notifications.notify_organization(
        app.order.organization_id,
        kind,
        email=False,
        order=app.order.title,
        learner=app.learner.full_name,
        application_id=app.id,
    )


_LOADS = (
    selectinload(Application.order).selectinload(Order.organization),
    selectinload(Application.learner).selectinload(Learner.skills).selectinload(LearnerSkill.skill),
    selectinload(Application.events).selectinload(ApplicationEvent.actor),
)


def readable(user: User, application_id: int) -> Application:
    """An application with its order, learner and history, when ``user`` may see it: the
    enterprise's of the order, or the learner's own (never a private shortlist); else 404."""
    return owned_or_404(Application, user, Application.id == application_id, options=_LOADS)


def editable(user: User, application_id: int) -> Application:
    """The application when ``user`` may act on it (move, note, accept, withdraw); else 404.
    Which moves each side may make is the service's ``move`` and learner functions' business."""
    return owned_or_404(
        Application, user, Application.id == application_id, write=True, options=_LOADS
    )


def _find(order: Order, learner: Learner) -> Application | None:
    return db.session.scalar(
        sa.select(Application).where(
            Application.order_id == order.id, Application.learner_id == learner.id
        )
    )


# --- the enterprise side ---


def shortlist(order: Order, learner: Learner, user: User, invite: bool = False) -> Application:
    """Put a ranked learner on the order's shortlist (and invite them at once if ``invite``).

    Only a learner who may be matched (visible, consent given) can be shortlisted; a
    learner already in the pipeline is refused.
    """
    app = add_to_pipeline(order, learner, user, invite)
    db.session.commit()
    return app


def add_to_pipeline(
    order: Order, learner: Learner, user: User, invite: bool = False, tell: bool = True
) -> Application:
    """:func:`shortlist` without the commit, for a bulk action's one transaction; with
    ``tell`` false the caller announces the invitation itself (with its message)."""
    _refuse_training(order)
    if order.status not in (OrderStatus.DRAFT, OrderStatus.OPEN):
        raise ServiceError(_("This order is no longer open."))
    if not pair_scores.is_matchable(learner):
        raise ServiceError(_("This learner's profile is not available."))
    if _find(order, learner) is not None:
        raise ServiceError(_("This learner is already in the pipeline of this order."))
    if invite:
        _check_can_invite(order)
    app = Application(order_id=order.id, learner_id=learner.id, status=S.SHORTLISTED)
    app.events.append(ApplicationEvent(from_status=None, to_status=S.SHORTLISTED, actor_id=user.id))
    db.session.add(app)
    if invite:
        _event(app, S.INVITED, user)
    db.session.flush()
    audit.record(
        "application.invited" if invite else "application.shortlisted",
        actor=user,
        organization_id=order.organization_id,
        obj=app,
        learner_id=learner.id,
    )
    if invite and tell:
        _tell_learner(app, "application.invited")
    return app


def _check_can_invite(order: Order) -> None:
    if order.status is not OrderStatus.OPEN:
        raise ServiceError(_("Publish the order before inviting learners."))


def move(app: Application, user: User, to: ApplicationStatus, note: str | None = None) -> None:
    """Move an application to the next stage the enterprise may choose (see ENTERPRISE_MOVES)."""
    move_step(app, user, to, note)
    db.session.commit()


def move_step(
    app: Application,
    user: User,
    to: ApplicationStatus,
    note: str | None = None,
    tell: bool = True,
) -> None:
    """:func:`move` without the commit, for a bulk action's one transaction; refuses
    (``ServiceError``) before changing anything. With ``tell`` false the caller
    announces the move itself (with its message)."""
    if app.learner.is_erased:
        raise ServiceError(_("This learner deleted their account."))
    if to not in ENTERPRISE_MOVES.get(app.status, ()):
        raise ServiceError(_("This application cannot move to that stage now."))
    if to is S.INVITED:
        if not pair_scores.is_matchable(app.learner):
            raise ServiceError(_("This learner's profile is not available."))
        _check_can_invite(app.order)
    seen_by_learner = app.status in LEARNER_VISIBLE
    _event(app, to, user, note)
    if to is S.REJECTED:
        _ended(app, by_learner=False)
    audit.record(
        f"application.{to.value}",
        actor=user,
        organization_id=app.order.organization_id,
        obj=app,
        learner_id=app.learner_id,
    )
    if not tell:
        return
    if to is S.INVITED:
        _tell_learner(app, "application.invited")
    elif seen_by_learner:
        # a rejection straight from the private shortlist is never announced
        _tell_learner(app, "application.moved", stage=to.value)


def add_note(app: Application, user: User, note: str) -> None:
    """Keep a note in the application's history without changing its stage."""
    if not (note or "").strip():
        raise ServiceError(_("Write a note first."), field="note")
    _event(app, app.status, user, note)
    db.session.commit()


def pipeline(order: Order) -> list[Application]:
    """Every application of ``order`` with its learner, by stage then latest change."""
    apps = list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.order_id == order.id)
            .options(
                selectinload(Application.learner).selectinload(Learner.programme),
                selectinload(Application.events),
            )
            .order_by(Application.updated_at.desc(), Application.id.desc())
        )
    )
    rank = {s: i for i, s in enumerate(STAGES)}
    return sorted(apps, key=lambda a: rank[a.status])


def stage_counts(apps: Sequence[Application]) -> dict[ApplicationStatus, int]:
    """How many of ``apps`` sit in each stage, every stage listed (zeros included)."""
    counts = Counter(a.status for a in apps)
    return {s: counts.get(s, 0) for s in STAGES}


def shown_in_pipeline(app: Application) -> bool:
    """Who an enterprise sees in its pipeline, on the page, in the API and in exports alike.

    A learner who applied keeps what they sent even if they hide their profile or
    withdraw consent later; one the enterprise only shortlisted or invited disappears
    with their profile. A learner who deleted their account is never shown.
    """
    if app.learner.is_erased:
        return False
    return pair_scores.is_matchable(app.learner) or app.status in CONTACT_VISIBLE


def visible_pipeline(order: Order) -> list[Application]:
    """The applications of ``order`` its enterprise sees (:func:`shown_in_pipeline`)."""
    return [a for a in pipeline(order) if shown_in_pipeline(a)]


# --- the learner side ---


def _refuse_training(order: Order) -> None:
    # A training order is addressed to colleges: nobody applies to it or is invited to it;
    # learners enrol in the training a college agreed to deliver (services/training.py).
    if order.kind is OrderKind.TRAINING:
        raise ServiceError(
            _("A training order takes no applications: learners enrol with the training "
              "institution that agreed to deliver it.")
        )  # fmt: skip


def _check_open(order: Order) -> None:
    _refuse_training(order)
    if not order.is_live:
        raise ServiceError(_("This order is not open for applications."))
    if order.deadline is not None and order.deadline < today_in_vietnam():
        raise ServiceError(_("The application deadline has passed."))


def apply(order: Order, learner: Learner, user: User, message: str | None = None) -> Application:
    """The learner applies to an open order with an optional message.

    An invitation is accepted this way too; an earlier withdrawn application is
    reopened. From then on the enterprise sees the learner's contact details.
    """
    _check_open(order)
    message = (message or "").strip()[:MAX_MESSAGE] or None
    app = _find(order, learner)
    if app is None:
        app = Application(
            order_id=order.id, learner_id=learner.id, status=S.APPLIED, message=message
        )
        app.events.append(
            ApplicationEvent(from_status=None, to_status=S.APPLIED, actor_id=user.id, note=message)
        )
        db.session.add(app)
    elif app.status in (S.SHORTLISTED, S.INVITED, S.WITHDRAWN):
        app.message = message or app.message
        _event(app, S.APPLIED, user, message)
    else:
        raise ServiceError(_("You have already applied to this order."))
    db.session.flush()
    audit.record("application.applied", actor=user, organization_id=order.organization_id, obj=app)
    _tell_enterprise(app, "application.applied")
    db.session.commit()
    return app


def accept_invitation(app: Application, user: User, message: str | None = None) -> None:
    """Accept an invitation: the application becomes "applied"."""
    if app.status is not S.INVITED:
        raise ServiceError(_("There is no open invitation on this application."))
    apply(app.order, app.learner, user, message)


def decline_invitation(app: Application, user: User, note: str | None = None) -> None:
    """Decline an invitation: the application is withdrawn."""
    if app.status is not S.INVITED:
        raise ServiceError(_("There is no open invitation on this application."))
    _event(app, S.WITHDRAWN, user, note)
    audit.record(
        "application.declined", actor=user, organization_id=app.order.organization_id, obj=app
    )
    _tell_enterprise(app, "application.withdrawn")
    db.session.commit()


def withdraw(app: Application, user: User, note: str | None = None) -> None:
    """The learner withdraws an application that is still in progress."""
    if app.status not in WITHDRAWABLE:
        raise ServiceError(_("This application can no longer be withdrawn."))
    _event(app, S.WITHDRAWN, user, note)
    _ended(app, by_learner=True)
    audit.record(
        "application.withdrawn", actor=user, organization_id=app.order.organization_id, obj=app
    )
    _tell_enterprise(app, "application.withdrawn")
    db.session.commit()


def applications_of(learner: Learner) -> list[Application]:
    """The learner's applications (not the enterprises' private shortlists), newest first."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.learner_id == learner.id,
                Application.status.in_(LEARNER_VISIBLE),
            )
            .options(
                selectinload(Application.order).selectinload(Order.organization),
                selectinload(Application.order)
                .selectinload(Order.skills)
                .selectinload(OrderSkill.skill),
                selectinload(Application.events),
            )
            .order_by(Application.updated_at.desc(), Application.id.desc())
        )
    )
