"""Typed SQLAlchemy models, one module per area; import them from here."""

from matchhub.models._types import utcnow
from matchhub.models.accounts import Membership, OrgRole, Role, User
from matchhub.models.api import ApiToken
from matchhub.models.audit import AuditEvent
from matchhub.models.courses import Course, CourseSkill
from matchhub.models.cvs import LearnerCV
from matchhub.models.engine import EngineChange, EngineState
from matchhub.models.hiring import (
    Interview,
    InterviewSlot,
    InterviewStatus,
    JobOffer,
    JobOfferStatus,
)
from matchhub.models.imports import PendingImport
from matchhub.models.jobs import FailedJob
from matchhub.models.learners import (
    ERASED_NAME,
    Learner,
    LearnerSkill,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    Visibility,
)
from matchhub.models.messages import ApplicationMessage, Side
from matchhub.models.notifications import Notification
from matchhub.models.orders import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
)
from matchhub.models.orgs import Organization, OrgKind, VerificationState
from matchhub.models.outcomes import WAVES, GraduateOutcome, OutcomeSource, Situation
from matchhub.models.rounds import (
    AllocationRound,
    RoundChoice,
    RoundOrder,
    RoundRanking,
    RoundResult,
    RoundStatus,
)
from matchhub.models.saved import AlertSent, AlertSubscription, SavedOrder
from matchhub.models.skills import Skill, SkillAlias, SkillMerge
from matchhub.models.training import OfferStatus, TrainingMode, TrainingOffer

__all__ = [
    "ERASED_NAME",
    "WAVES",
    "AlertSent",
    "AlertSubscription",
    "AllocationRound",
    "ApiToken",
    "Application",
    "ApplicationEvent",
    "ApplicationMessage",
    "ApplicationStatus",
    "AuditEvent",
    "Course",
    "CourseSkill",
    "EngineChange",
    "EngineState",
    "FailedJob",
    "GraduateOutcome",
    "Interview",
    "InterviewSlot",
    "InterviewStatus",
    "JobOffer",
    "JobOfferStatus",
    "Learner",
    "LearnerCV",
    "LearnerSkill",
    "Membership",
    "Notification",
    "OfferStatus",
    "Order",
    "OrderKind",
    "OrderSkill",
    "OrderStatus",
    "OrgKind",
    "OrgRole",
    "Organization",
    "OutcomeSource",
    "PendingImport",
    "Programme",
    "ProgrammeLevel",
    "ProgrammeSkill",
    "Role",
    "RoundChoice",
    "RoundOrder",
    "RoundRanking",
    "RoundResult",
    "RoundStatus",
    "SavedOrder",
    "Side",
    "Situation",
    "Skill",
    "SkillAlias",
    "SkillMerge",
    "TrainingMode",
    "TrainingOffer",
    "User",
    "VerificationState",
    "Visibility",
    "utcnow",
]
