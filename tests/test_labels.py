"""Every enum value the interface shows has its own translated label."""

from flask_babel import force_locale

from matchhub.labels import badge, label
from matchhub.models import (
    ApplicationStatus,
    OrderKind,
    OrderStatus,
    OrgKind,
    OutcomeSource,
    ProgrammeLevel,
    Role,
    Situation,
    VerificationState,
    Visibility,
)

ENUMS = (
    ApplicationStatus,
    OrderKind,
    OrderStatus,
    OrgKind,
    OutcomeSource,
    ProgrammeLevel,
    Situation,
    Role,
    VerificationState,
    Visibility,
)


def test_equal_values_of_different_enums_keep_their_own_labels(app):
    with app.test_request_context(), force_locale("en"):
        assert label(VerificationState.VERIFIED) == "Verified"
        assert label(Visibility.VERIFIED) == "All verified users"
        assert label(ProgrammeLevel.COLLEGE) == "College"
        assert label(OrgKind.COLLEGE) == "Training institution"
        assert badge(VerificationState.VERIFIED) == "success"
        assert badge(Visibility.VERIFIED) == "info"


def test_every_member_has_a_vietnamese_label(app):
    with app.test_request_context(), force_locale("vi"):
        for enum_cls in ENUMS:
            for member in enum_cls:
                text = label(member)
                assert text and text != member.value, member
