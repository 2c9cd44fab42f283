"""Translated names of every enum value the interface shows."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from matchhub.models import (
    ApplicationStatus,
    OfferStatus,
    OrderKind,
    OrderStatus,
    OrgKind,
    ProgrammeLevel,
    Role,
    RoundStatus,
    VerificationState,
    Visibility,
)

# StrEnum members of different enums can be equal ("verified", "college"), so the
# tables are keyed by (enum class, value), never by the member alone.
_LABELS: list[tuple[enum.Enum, object]] = [
    (Role.ADMIN, _l("Province office")),
    (Role.ENTERPRISE, _l("Enterprise")),
    (Role.COLLEGE, _l("Training institution")),
    (Role.LEARNER, _l("Learner")),
    (OrgKind.ENTERPRISE, _l("Enterprise")),
    (OrgKind.COLLEGE, _l("Training institution")),
    (VerificationState.PENDING, _l("Pending verification")),
    (VerificationState.VERIFIED, _l("Verified")),
    (VerificationState.REJECTED, _l("Rejected")),
    (VerificationState.SUSPENDED, _l("Suspended")),
    (OrderKind.JOB, _l("Job")),
    (OrderKind.INTERNSHIP, _l("Internship")),
    (OrderKind.TRAINING, _l("Training order")),
    (OrderStatus.DRAFT, _l("Draft")),
    (OrderStatus.OPEN, _l("Open")),
    (OrderStatus.CLOSED, _l("Closed")),
    (OrderStatus.FILLED, _l("Filled")),
    (OrderStatus.CANCELLED, _l("Cancelled")),
    (ApplicationStatus.SHORTLISTED, _l("Shortlisted")),
    (ApplicationStatus.INVITED, _l("Invited")),
    (ApplicationStatus.APPLIED, _l("Applied")),
    (ApplicationStatus.INTERVIEW, _l("Interview")),
    (ApplicationStatus.OFFER, _l("Offer")),
    (ApplicationStatus.HIRED, _l("Hired")),
    (ApplicationStatus.REJECTED, _l("Rejected")),
    (ApplicationStatus.WITHDRAWN, _l("Withdrawn")),
    (ProgrammeLevel.UNIVERSITY, _l("University")),
    (ProgrammeLevel.COLLEGE, _l("College")),
    (ProgrammeLevel.VOCATIONAL, _l("Vocational")),
    (ProgrammeLevel.SHORT_COURSE, _l("Short course")),
    (Visibility.HIDDEN, _l("Hidden")),
    (Visibility.ENTERPRISES, _l("Verified enterprises only")),
    (Visibility.VERIFIED, _l("All verified users")),
    (OfferStatus.PENDING, _l("Awaiting decision")),
    (OfferStatus.ACCEPTED, _l("Accepted")),
    (OfferStatus.DECLINED, _l("Declined")),
    (RoundStatus.DRAFT, _l("Draft")),
    (RoundStatus.OPEN, _l("Open for ranking")),
    (RoundStatus.CLOSED, _l("Ranking closed")),
    (RoundStatus.PUBLISHED, _l("Published")),
]

# Bootstrap colour of each state badge.
_BADGES: list[tuple[enum.Enum, str]] = [
    (VerificationState.PENDING, "warning"),
    (VerificationState.VERIFIED, "success"),
    (VerificationState.REJECTED, "danger"),
    (VerificationState.SUSPENDED, "secondary"),
    (OrderStatus.DRAFT, "secondary"),
    (OrderStatus.OPEN, "success"),
    (OrderStatus.CLOSED, "dark"),
    (OrderStatus.FILLED, "primary"),
    (OrderStatus.CANCELLED, "danger"),
    (ApplicationStatus.HIRED, "success"),
    (ApplicationStatus.REJECTED, "danger"),
    (ApplicationStatus.WITHDRAWN, "secondary"),
    (ApplicationStatus.OFFER, "primary"),
    (OfferStatus.PENDING, "warning"),
    (OfferStatus.ACCEPTED, "success"),
    (OfferStatus.DECLINED, "secondary"),
    (RoundStatus.DRAFT, "secondary"),
    (RoundStatus.OPEN, "success"),
    (RoundStatus.CLOSED, "warning"),
    (RoundStatus.PUBLISHED, "primary"),
]


def _key(member: enum.Enum) -> tuple[type, str]:
    return type(member), member.value


LABELS = {_key(m): text for m, text in _LABELS}
BADGES = {_key(m): colour for m, colour in _BADGES}


def label(value: enum.Enum | None) -> str:
    """The translated name of ``value`` (empty for ``None``)."""
    if value is None:
        return ""
    return str(LABELS.get(_key(value), value.value))


def badge(value: enum.Enum) -> str:
    """The Bootstrap colour of ``value``'s badge."""
    return BADGES.get(_key(value), "info")


# Taxonomy categories are plain slugs (matchhub.matching.taxonomy.CATEGORIES), not an enum.
_CATEGORY_LABELS = {
    "programming-language": _l("Programming languages"),
    "framework-library": _l("Frameworks and libraries"),
    "database": _l("Databases"),
    "cloud-devops": _l("Cloud and DevOps"),
    "tool": _l("Development tools"),
    "testing": _l("Software testing"),
    "data-ai": _l("Data and AI"),
    "networking-security": _l("Networking and security"),
    "design": _l("Design"),
    "methodology": _l("Methods and processes"),
    "office": _l("Office software"),
    "domain": _l("Domain knowledge"),
    "transversal": _l("Soft skills"),
    "language": _l("Foreign languages"),
}


def category_label(slug: str | None) -> str:
    """The translated name of a skill category (the slug itself if it has none)."""
    if slug is None:
        return ""
    return str(_CATEGORY_LABELS.get(slug, slug))
