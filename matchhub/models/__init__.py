"""Typed SQLAlchemy models, one module per area; import them from here."""

from matchhub.models._types import utcnow
from matchhub.models.accounts import Membership, OrgRole, Role, User
from matchhub.models.audit import AuditEvent
from matchhub.models.learners import (
    Learner,
    LearnerSkill,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    Visibility,
)
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
from matchhub.models.skills import Skill, SkillAlias

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "AuditEvent",
    "Learner",
    "LearnerSkill",
    "Membership",
    "Order",
    "OrderKind",
    "OrderSkill",
    "OrderStatus",
    "OrgKind",
    "OrgRole",
    "Organization",
    "Programme",
    "ProgrammeLevel",
    "ProgrammeSkill",
    "Role",
    "Skill",
    "SkillAlias",
    "User",
    "VerificationState",
    "Visibility",
    "utcnow",
]
