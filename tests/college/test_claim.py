"""An imported learner claims the profile their college created."""

import sqlalchemy as sa
from conftest import submit
from factories import (
    cohort_csv,
    cohort_rows,
    make_order,
    make_org,
    make_programme,
    make_user,
    skill,
)

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Learner,
    LearnerSkill,
    OrgKind,
    Role,
    Visibility,
)
from matchhub.services import imports


def _imported():
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT")
    imports.import_file(college, None, cohort_csv(cohort_rows(1)), "k.csv")
    return db.session.scalar(sa.select(Learner).where(Learner.college_id == college.id))


def test_learner_claims_and_merges_their_signup_profile(client, ctx, login):
    learner = _imported()
    code = learner.claim_code
    user = make_user(Role.LEARNER)
    own = db.session.scalar(sa.select(Learner).where(Learner.user_id == user.id))
    own.skills.append(LearnerSkill(skill=skill("docker"), term="Docker", level=2))
    order = make_order(make_org())
    db.session.add(Application(order=order, learner=own, status=ApplicationStatus.APPLIED))
    db.session.commit()
    own_id = own.id

    anonymous = client.get(f"/auth/claim/{code}").get_data(as_text=True)
    assert "/auth/login?next=" in anonymous and 'id="claim-form"' not in anonymous
    login(user.email)
    response = submit(client, f"/auth/claim/{code}", {"consent": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    claimed = db.session.get(Learner, learner.id)
    assert claimed.user_id == user.id and claimed.claim_code is None
    assert claimed.visibility is Visibility.ENTERPRISES and claimed.consent_at is not None
    assert "docker" in {s.skill.slug for s in claimed.skills if s.skill}
    assert db.session.get(Learner, own_id) is None
    assert db.session.scalar(sa.select(Application.learner_id)) == claimed.id
    assert client.get(f"/auth/claim/{code}").status_code == 404  # used once


def test_claim_without_consent_stays_hidden_and_bad_codes_are_404(client, ctx, login):
    learner = _imported()
    user = make_user(Role.LEARNER)
    login(user.email)
    submit(client, f"/auth/claim/{learner.claim_code}", {})
    db.session.expire_all()
    claimed = db.session.get(Learner, learner.id)
    assert claimed.user_id == user.id and claimed.visibility is Visibility.HIDDEN
    assert claimed.consent_at is None
    assert client.get("/auth/claim/not-a-real-code").status_code == 404


def test_college_staff_cannot_claim(client, ctx, login):
    learner = _imported()
    login(make_user(Role.COLLEGE, org=make_org(OrgKind.COLLEGE)).email)
    page = client.get(f"/auth/claim/{learner.claim_code}").get_data(as_text=True)
    assert 'id="claim-form"' not in page
    db.session.expire_all()
    assert db.session.get(Learner, learner.id).user_id is None
