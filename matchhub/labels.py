"""Translated names of every enum value the interface shows."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from matchhub.models import (
    ApplicationStatus,
    InterviewStatus,
    JobOfferStatus,
    OfferStatus,
    OrderKind,
    OrderStatus,
    OrgKind,
    OutcomeSource,
    ProgrammeLevel,
    Role,
    RoundStatus,
    Situation,
    TrainingMode,
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
    (OfferStatus.WITHDRAWN, _l("Withdrawn")),
    (InterviewStatus.PROPOSED, _l("Times proposed")),
    (InterviewStatus.SCHEDULED, _l("Scheduled")),
    (InterviewStatus.RESCHEDULE, _l("Another time asked")),
    (InterviewStatus.CANCELLED, _l("Cancelled")),
    (JobOfferStatus.SENT, _l("Awaiting reply")),
    (JobOfferStatus.ACCEPTED, _l("Accepted")),
    (JobOfferStatus.DECLINED, _l("Declined")),
    (JobOfferStatus.WITHDRAWN, _l("Withdrawn")),
    (TrainingMode.IN_PERSON, _l("In person")),
    (TrainingMode.ONLINE, _l("Online")),
    (TrainingMode.BLENDED, _l("Blended (in person and online)")),
    (RoundStatus.DRAFT, _l("Draft")),
    (RoundStatus.OPEN, _l("Open for ranking")),
    (RoundStatus.CLOSED, _l("Ranking closed")),
    (RoundStatus.PUBLISHED, _l("Published")),
    (Situation.EMPLOYED_IN_FIELD, _l("Employed in their field")),
    (Situation.EMPLOYED_ELSEWHERE, _l("Employed in another field")),
    (Situation.STUDYING, _l("Studying further")),
    (Situation.SEEKING, _l("Seeking work")),
    (OutcomeSource.LEARNER, _l("The graduate's answer")),
    (OutcomeSource.COLLEGE, _l("Recorded by the college")),
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
    (OfferStatus.WITHDRAWN, "secondary"),
    (InterviewStatus.SCHEDULED, "success"),
    (InterviewStatus.RESCHEDULE, "warning"),
    (InterviewStatus.CANCELLED, "secondary"),
    (JobOfferStatus.SENT, "primary"),
    (JobOfferStatus.ACCEPTED, "success"),
    (JobOfferStatus.DECLINED, "secondary"),
    (JobOfferStatus.WITHDRAWN, "secondary"),
    (RoundStatus.DRAFT, "secondary"),
    (RoundStatus.OPEN, "success"),
    (RoundStatus.CLOSED, "warning"),
    (RoundStatus.PUBLISHED, "primary"),
    (Situation.EMPLOYED_IN_FIELD, "success"),
    (Situation.EMPLOYED_ELSEWHERE, "primary"),
    (Situation.STUDYING, "info"),
    (Situation.SEEKING, "warning"),
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


# The three tiers of the ranking contract (matchhub.matching.types.Tier), short form for
# tables and exports; cards spell out the detail ("Nearly: one level short in SQL").
_TIER_LABELS = {
    2: _l("Meets the requirements"),
    1: _l("Nearly meets the requirements"),
    0: _l("Misses a requirement"),
}


#: The words of a match card (templates/_macros/match.html), lazy: each is translated
#: where it is shown, in the language of the request that shows it.
MATCH_LABELS = {
    "has": _l("Has:"),
    "below": _l("Below the level asked:"),
    "missing": _l("Missing:"),
    "nice": _l("Nice to have:"),
    "levels": _l("level held / level asked"),
    "asked": _l("level asked"),
    "implied": _l("implied"),
    "related": _l("related skill"),
    "unknown": _l("Not recognised yet:"),
    "unknown_title": _l(
        "A required term the platform does not recognise yet: it counts as missing for "
        "everyone until the province office maps it to a skill."
    ),
    "meets": _l("Meets the requirements"),
    "none": _l("No recognised required skill"),
    "implied_title": _l(
        "Not listed, but implied by another skill listed (React implies JavaScript): "
        "credited one level below it."
    ),
}


#: The words of a match's score table (components_table in the same macros).
MATCH_PARTS = {
    "part": _l("Part of the score"),
    "fit": _l("Fit"),
    "points": _l("Points"),
    "score": _l("Score"),
    "rows": (
        ("required", "coverage", _l("Required skills")),
        ("nice", "nice_coverage", _l("Nice-to-have skills")),
        ("text", "text_similarity", _l("CV and description alike")),
        ("locality", "locality_fit", _l("Locality")),
        ("overlap", "skill_overlap", _l("Skills profile alike")),
    ),
}
#: The badge colour of each ranking tier (2 meets, 1 nearly, 0 misses).
TIER_CLASSES = {2: "text-bg-success", 1: "text-bg-warning", 0: "text-bg-secondary"}


def tier_label(tier: int | None) -> str:
    """The translated short name of a ranking tier (empty for ``None``)."""
    return "" if tier is None else str(_TIER_LABELS.get(int(tier), ""))


def category_label(slug: str | None) -> str:
    """The translated name of a skill category (the slug itself if it has none)."""
    if slug is None:
        return ""
    return str(_CATEGORY_LABELS.get(slug, slug))
