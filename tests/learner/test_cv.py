"""A learner's CV file: read by content with bounded work, skills suggested and confirmed,
downloadable, in the data export and gone with the account."""

import base64
import io
import json
import tracemalloc

import pytest
import sqlalchemy as sa
from conftest import csrf_token
from cvfiles import (
    PNG,
    docx_bytes,
    encrypted_pdf,
    long_pdf,
    lying_zip_docx,
    pdf_bytes,
    zip_bomb_docx,
)
from factories import PASSWORD, make_order, make_org, make_user
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from matchhub.extensions import db
from matchhub.models import Application, ApplicationStatus, AuditEvent, LearnerCV, Role, utcnow
from matchhub.services import ServiceError, applications, cv_reader, cvs, privacy
from matchhub.services.learners import learner_of_user

CV_LINES = (
    "Nguyen Van An - Software developer",
    "Built web services in Python and deployed them with Docker.",
)

# --- reading ---


def test_a_docx_and_a_pdf_are_read_by_their_content(ctx):
    docx = cv_reader.read_cv(docx_bytes(*CV_LINES))
    assert docx.content_type == cv_reader.DOCX
    assert "deployed them with Docker" in docx.text
    pdf = cv_reader.read_cv(pdf_bytes(*CV_LINES))
    assert pdf.content_type == cv_reader.PDF
    assert "Python and deployed them with Docker" in pdf.text
    assert not pdf.truncated


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "Tệp trống"),
        (PNG, "không phải tệp PDF hoặc Word"),
        (b"PK\x03\x04 not really a zip", "không phải tệp PDF hoặc Word"),
        (b"%PDF-1.7\n" + b"\x00" * (cv_reader.MAX_BYTES), "lớn hơn 5 MB"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "Không đọc được tệp PDF"),
        pytest.param("encrypted", "khoá bằng mật khẩu", id="encrypted"),
        pytest.param("long", "hơn 30 trang", id="too-many-pages"),
        pytest.param("bomb", "giải nén ra quá nhiều", id="zip-bomb"),
    ],
)
def test_hostile_files_are_refused_with_a_reason(ctx, data, says):
    data = {"encrypted": encrypted_pdf, "long": lambda: long_pdf(31), "bomb": zip_bomb_docx}.get(
        data, lambda: data
    )()
    with pytest.raises(cv_reader.UnreadableCV) as refused:
        cv_reader.read_cv(data)
    assert says in refused.value.message


def test_a_zip_bomb_that_lies_about_its_size_is_refused_without_being_inflated(ctx):
    bomb = lying_zip_docx(50)
    tracemalloc.start()
    try:
        with pytest.raises(cv_reader.UnreadableCV):
            cv_reader.read_cv(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < cv_reader.MAX_UNZIPPED  # not the 50 MB the member holds


def test_the_text_kept_is_bounded(ctx):
    long_line = "Python " * 2000  # 14,000 characters a paragraph
    read = cv_reader.read_cv(docx_bytes(long_line, long_line, long_line))
    assert read.truncated and len(read.text) == cv_reader.MAX_TEXT


# --- the use cases ---


def test_upload_replaces_the_file_and_fills_the_cv_text(ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    cvs.upload(learner, user, "C:\\Users\\an\\CV cũ.pdf", pdf_bytes("Python"))
    row = cvs.upload(learner, user, "Hồ sơ của An.docx", docx_bytes(*CV_LINES))
    assert db.session.scalar(sa.select(sa.func.count(LearnerCV.id))) == 1
    assert (row.filename, row.content_type) == ("Hồ sơ của An.docx", cv_reader.DOCX)
    assert learner.cv_text.startswith("Nguyen Van An")
    # a PNG called .pdf is refused and the stored CV stays as it was
    with pytest.raises(ServiceError) as refused:
        cvs.upload(learner, user, "cv.pdf", PNG)
    assert refused.value.field == "file"
    db.session.rollback()
    assert cvs.cv_of(learner).filename == "Hồ sơ của An.docx"
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("cv.uploaded") == 2


def test_suggestions_come_from_the_extractor_and_only_confirmed_skills_are_saved(ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    cvs.upload(learner, user, "cv.docx", docx_bytes(*CV_LINES))
    found = {s.skill.slug: s for s in cvs.suggestions(learner)}
    assert {"python", "docker"} <= set(found)
    assert "Docker" in found["docker"].evidence and 0 < found["docker"].confidence <= 1
    assert cvs.add_skills(learner, user, [("docker", 4)]) == 1
    assert [(s.skill.slug, s.level) for s in learner.skills] == [("docker", 4)]
    assert "docker" not in {s.skill.slug for s in cvs.suggestions(learner)}
    assert cvs.add_skills(learner, user, [("docker", 2)]) == 0  # already listed: level kept
    assert learner.skills[0].level == 4


def test_deleting_the_cv_removes_the_file_and_its_text_but_keeps_skills(ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    cvs.upload(learner, user, "cv.docx", docx_bytes(*CV_LINES))
    cvs.add_skills(learner, user, [("python", 3)])
    assert cvs.delete(learner, user)
    assert cvs.cv_of(learner) is None and learner.cv_text == ""
    assert [s.skill.slug for s in learner.skills] == ["python"]
    assert not cvs.delete(learner, user)


def test_the_export_carries_the_file_and_erasure_removes_it(ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    data = pdf_bytes(*CV_LINES)
    cvs.upload(learner, user, "cv.pdf", data)
    exported = json.loads(privacy.export_data(learner, user))
    assert exported["cv_file"]["filename"] == "cv.pdf"
    assert base64.b64decode(exported["cv_file"]["content_base64"]) == data
    assert "Docker" in exported["profile"]["cv_text"]
    privacy.delete_account(learner, user, PASSWORD)
    assert db.session.scalar(sa.select(sa.func.count(LearnerCV.id))) == 0


# --- the pages ---


def _upload(client, data: bytes, name: str):
    token = csrf_token(client, "/learner/cv")
    # Encoded in memory: the test client would spool a big body to an unclosed temp file.
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(data), name)}
    )
    return client.post(
        "/learner/cv", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_upload_suggest_confirm_and_the_matches_follow(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    make_order(make_org(), title="Kỹ sư triển khai Docker", skills=("docker",))
    login(user.email)
    meets = "/learner/matches?tier=meets"
    assert "Kỹ sư triển khai Docker" not in client.get(meets).get_data(as_text=True)

    assert _upload(client, docx_bytes(*CV_LINES), "cv.docx").status_code == 302
    html = client.get("/learner/cv").get_data(as_text=True)
    assert "cv.docx" in html and 'data-skill="docker"' in html
    assert "Docker" in html and "deployed them with Docker" in html  # the triggering sentence
    assert "matching" in html.lower() or "ghép" in html.lower()  # says where the text goes

    token = csrf_token(client, "/learner/cv")
    answer = client.post(
        "/learner/cv/skills",
        data={"csrf_token": token, "skill": ["docker"], "level-docker": "4", "level-python": "5"},
    )
    assert answer.status_code == 302 and answer.location.endswith("/learner/matches")
    db.session.refresh(learner)
    assert [(s.skill.slug, s.level) for s in learner.skills] == [("docker", 4)]  # python unticked
    assert "Kỹ sư triển khai Docker" in client.get(meets).get_data(as_text=True)

    download = client.get("/learner/cv/file")
    assert download.status_code == 200
    assert download.mimetype == cv_reader.DOCX
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data == cvs.cv_of(learner).content


def test_a_refused_file_stays_on_the_page_with_the_reason(client, ctx, login):
    user = make_user(Role.LEARNER)
    login(user.email)
    answer = _upload(client, PNG, "cv.pdf")
    assert answer.status_code == 400
    assert "Đây không phải tệp PDF hoặc Word (DOCX)" in answer.get_data(as_text=True)
    answer = _upload(client, b"%PDF-1.7\n" + b"\0" * cv_reader.MAX_BYTES, "big.pdf")
    assert answer.status_code == 400
    assert "lớn hơn 5 MB" in answer.get_data(as_text=True)
    assert cvs.cv_of(learner_of_user(user)) is None


def test_a_body_over_the_request_limit_keeps_the_learner_on_the_page(
    app, client, ctx, login, monkeypatch
):
    login(make_user(Role.LEARNER).email)
    token = csrf_token(client, "/learner/cv")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    # Encoded in memory: the test client would spool a body this big to an unclosed temp file.
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(b"%PDF-" + b"\0" * 2**21), "cv.pdf")}
    )
    answer = client.post(
        "/learner/cv", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert answer.status_code == 413
    html = answer.get_data(as_text=True)
    # the upload form with the limit in force (the request's, below the CV's own 5 MB)
    assert 'id="cv-upload-form"' in html and "lớn hơn 1 MB" in html


def test_only_the_learner_reaches_their_cv(client, ctx, login):
    owner = make_user(Role.LEARNER)
    cvs.upload(learner_of_user(owner), owner, "cv.pdf", pdf_bytes(*CV_LINES))
    login(make_user(Role.LEARNER).email)
    assert client.get("/learner/cv/file").status_code == 404  # another learner has none


def test_other_roles_are_refused_the_cv_pages(client, ctx, login):
    login(make_user(Role.ENTERPRISE, org=make_org()).email)
    assert client.get("/learner/cv").status_code == 403
    assert client.get("/learner/cv/file").status_code == 403


def test_the_export_lists_profile_views_grouped_as_the_page_does(ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    org = make_org(name="Công ty Xem Hồ Sơ")
    for _ in range(2):
        db.session.add(
            AuditEvent(
                action="profile.viewed",
                organization_id=org.id,
                object_type="Learner",
                object_id=learner.id,
                detail={},
            )
        )
    db.session.commit()
    views = json.loads(privacy.export_data(learner, user))["profile_views"]
    assert [(v["organization"], v["times"]) for v in views] == [("Công ty Xem Hồ Sơ", 2)]


def test_an_enterprise_reads_an_applicants_cv_and_the_learner_sees_it(client, ctx, login):
    org = make_org(name="Công ty Đọc CV")
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org, skills=("docker",))
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.consent_at = utcnow()
    data = docx_bytes(*CV_LINES)
    cvs.upload(learner, user, "cv.docx", data)
    other = learner_of_user(make_user(Role.LEARNER))
    cvs.upload(other, other.user, "other.docx", docx_bytes(*CV_LINES))
    applications.apply(order, learner, user, "")
    db.session.add(Application(order=order, learner=other, status=ApplicationStatus.INVITED))
    db.session.commit()
    login(hr.email)
    detail = client.get(f"/enterprise/orders/{order.id}/candidates/{learner.id}")
    assert 'id="candidate-cv"' in detail.get_data(as_text=True)
    answer = client.get(f"/enterprise/orders/{order.id}/candidates/{learner.id}/cv")
    assert answer.status_code == 200 and answer.data == data
    # invited but not applied: the CV was never sent
    assert client.get(f"/enterprise/orders/{order.id}/candidates/{other.id}/cv").status_code == 404
    views = [v for v in privacy.profile_views(learner) if v.organization == "Công ty Đọc CV"]
    assert views and views[0].times == 2  # the profile page and the file
