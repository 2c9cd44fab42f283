"""Enterprises' skill orders and the applications to them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._search import column_default, keep_in_step
from matchhub.models._types import UTCDateTime, enum_column, utcnow
from matchhub.models.orgs import Organization, VerificationState

if TYPE_CHECKING:
    from matchhub.models.accounts import User
    from matchhub.models.learners import Learner
    from matchhub.models.skills import Skill


class OrderKind(enum.StrEnum):
    JOB = "job"
    INTERNSHIP = "internship"
    TRAINING = "training"


#: The kinds of order learners apply to (``Order.is_opening``); a training order is
#: addressed to colleges.
OPENING_KINDS = (OrderKind.JOB, OrderKind.INTERNSHIP)


class OrderStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"
    CANCELLED = "cancelled"


class ApplicationStatus(enum.StrEnum):
    SHORTLISTED = "shortlisted"
    INVITED = "invited"
    APPLIED = "applied"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


#: Statuses of a training order in which learners see the training colleges agreed to give.
TRAINING_SHOWN = (OrderStatus.OPEN, OrderStatus.FILLED)

#: What a learner sees of their applications: all but an enterprise's private shortlist.
LEARNER_VISIBLE = frozenset(set(ApplicationStatus) - {ApplicationStatus.SHORTLISTED})


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        sa.CheckConstraint("headcount BETWEEN 1 AND 500", name="headcount_range"),
        sa.Index("ix_orders_status_kind", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    kind: Mapped[OrderKind] = mapped_column(enum_column(OrderKind))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    headcount: Mapped[int] = mapped_column(default=1)
    locality: Mapped[str | None] = mapped_column(sa.String(40))
    remote: Mapped[bool] = mapped_column(default=False)
    salary_min: Mapped[int | None] = mapped_column(sa.BigInteger)  # VND per month
    salary_max: Mapped[int | None] = mapped_column(sa.BigInteger)
    start_date: Mapped[date | None]
    deadline: Mapped[date | None]  # to apply; jobs and internships only
    # A training order's own terms (jobs and internships leave them empty): how long the
    # training lasts and what the enterprise will pay per trainee, if it says.
    duration_weeks: Mapped[int | None]
    budget_per_trainee: Mapped[int | None] = mapped_column(sa.BigInteger)  # VND
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Title and description folded for accent-free search (see models/_search.py).
    search_text: Mapped[str] = mapped_column(
        sa.Text, default=column_default("title", "description"), server_default=""
    )

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()
    skills: Mapped[list[OrderSkill]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderSkill.id"
    )
    applications: Mapped[list[Application]] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )

    @hybrid_property
    def is_live(self) -> bool:
        """A live order: open (publishing is the only way in) and of a verified organisation.

        The one definition of what learners, the public lists, the API, rounds and the
        engine's index may offer; a suspended, pending or rejected organisation's orders
        are not live, whatever their status. In SQL it needs no join.
        """
        verified = self.organization.state is VerificationState.VERIFIED
        return self.status is OrderStatus.OPEN and verified

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls) -> sa.ColumnElement[bool]:
        # An uncorrelated IN: usable with or without a join to organizations.
        verified = sa.select(Organization.id).where(
            Organization.state == VerificationState.VERIFIED
        )
        return sa.and_(cls.status == OrderStatus.OPEN, cls.organization_id.in_(verified))

    @hybrid_property
    def is_opening(self) -> bool:
        """A live job or internship: what learners may apply to, and what the openings lists,
        the matches, the public pages and the API offer them.

        A live training order is addressed to colleges, never to learners: learners see only
        the training a college agreed to deliver (:attr:`shows_agreed_training`).
        """
        return self.is_live and self.kind in OPENING_KINDS

    @is_opening.inplace.expression
    @classmethod
    def _is_opening_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.is_live, cls.kind.in_(OPENING_KINDS))

    @hybrid_property
    def shows_agreed_training(self) -> bool:
        """A training order whose agreed training learners may see: of a verified
        organisation, open or filled (every seat agreed: the training still lies ahead).

        Only the offers the enterprise accepted (from a college still verified) are shown
        of it: ``TrainingOffer.is_open_to_learners``. Draft, closed and cancelled orders
        show nothing.
        """
        verified = self.organization.state is VerificationState.VERIFIED
        return self.kind is OrderKind.TRAINING and self.status in TRAINING_SHOWN and verified

    @shows_agreed_training.inplace.expression
    @classmethod
    def _shows_agreed_training_expression(cls) -> sa.ColumnElement[bool]:
        verified = sa.select(Organization.id).where(
            Organization.state == VerificationState.VERIFIED
        )
        return sa.and_(
            cls.kind == OrderKind.TRAINING,
            cls.status.in_(TRAINING_SHOWN),
            cls.organization_id.in_(verified),
        )

    @property
    def required_skills(self) -> list[OrderSkill]:
        return [s for s in self.skills if s.required]

    @property
    def nice_skills(self) -> list[OrderSkill]:
        return [s for s in self.skills if not s.required]


keep_in_step(Order, "title", "description")


class OrderSkill(db.Model):
    """A skill an order asks for; ``skill_id`` is null for a term the taxonomy does not know."""

    __tablename__ = "order_skills"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        sa.CheckConstraint("weight > 0 AND weight <= 5", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="SET NULL"), index=True
    )
    term: Mapped[str] = mapped_column(sa.String(160))
    required: Mapped[bool] = mapped_column(default=True)
    level: Mapped[int] = mapped_column(default=3)
    weight: Mapped[float] = mapped_column(default=1.0)

    order: Mapped[Order] = relationship(back_populates="skills")
    skill: Mapped[Skill | None] = relationship()


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (sa.UniqueConstraint("order_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus), index=True)
    message: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="applications")
    learner: Mapped[Learner] = relationship()
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )


class ApplicationEvent(db.Model):
    """One step of an application's history: who moved it, from where to where, and why."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ApplicationStatus | None] = mapped_column(enum_column(ApplicationStatus))
    to_status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
