"""Speed of the college's learner import (``matchhub.services.imports``).

    .venv/bin/python -m bench.imports         # JSON of run()

The app runs on a throwaway SQLite file (``BENCH_DATABASE_URL`` picks another
database, e.g. PostgreSQL) with the shipped taxonomy; files are generated with
fixed content and are not timed.

- ``import_1500_xlsx_s``: through the web, as a college user: POST the 1,500-row
  XLSX to the upload form, GET the preview page, POST the commit. Median of 3, each
  into a fresh college (every row a new learner).
- ``import_1500_xlsx_reimport_s``: the same file again into the same college (every
  row compared, 0 changes). Median of 3.
- ``import_100k_csv_s``: ``flask import-learners`` on a 100,000-row CSV (the CLI's
  path: parse, validate, normalise, bulk insert), one run into an empty college, the
  invitations left for later (``--invitations later``): mailing them is a job, which a
  worker runs apart from the import when a queue is configured.
- ``invitations_100k_mail_s``: that job, run here without a queue: the 100,000 claim
  mails rendered in Vietnamese and handed over (to the log: no MAIL_SERVER), each
  marked sent.
- ``import_100k_csv_reimport_s``: the same file again (100,000 comparisons, 0 changes).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

_SKILLS = (
    "Python:4, SQL, Git",
    "Java:3, Spring Boot, MySQL:2",
    "JavaScript, HTML:4, CSS, React",
    "Excel:3, tiếng Anh giao tiếp",
    "C#, .NET, SQL Server",
    "Docker:2, Linux, Python",
    "PHP, Laravel, MySQL",
    "AutoCAD, Excel",
)
HEADERS = [
    "Mã sinh viên",
    "Họ và tên",
    "Ngày sinh",
    "Email",
    "Số điện thoại",
    "Chương trình đào tạo",
    "Năm tốt nghiệp",
    "Điểm trung bình",
    "Kỹ năng",
]
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway account in a throwaway database


def rows(n: int) -> list[list[object]]:
    """``n`` valid rows; the same ``n`` always gives the same rows."""
    return [
        [
            f"SV{i:06d}",
            f"Nguyễn Văn {i}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2002 + i % 4}",
            f"sv{i}@example.vn",
            f"09{i:08d}",
            "CNTT" if i % 3 else "KTPM",
            2025 + i % 3,
            f"{2 + (i % 20) / 10:.2f}",
            _SKILLS[i % len(_SKILLS)],
        ]
        for i in range(1, n + 1)
    ]


def xlsx(data: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sinh viên")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(data: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(data)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _app(url: str):
    from matchhub import create_app
    from matchhub.extensions import db
    from matchhub.services.skills import sync_taxonomy

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    # Each new learner's invitation goes to the log: thousands of lines that say nothing here.
    logging.getLogger("matchhub.services.imports").setLevel(logging.ERROR)
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_taxonomy()
    return app


def _college(code: str):
    """A verified college with two programmes and one staff account (email returned)."""
    from matchhub.extensions import db
    from matchhub.models import (
        Membership,
        Organization,
        OrgKind,
        OrgRole,
        Programme,
        ProgrammeLevel,
        Role,
        User,
        VerificationState,
        utcnow,
    )
    from matchhub.services.accounts import hash_password

    org = Organization(
        kind=OrgKind.COLLEGE,
        name=f"Cao đẳng {code}",
        code=code,
        locality="nd-nam-dinh",
        state=VerificationState.VERIFIED,
    )
    for pcode, name in (("CNTT", "Công nghệ thông tin"), ("KTPM", "Kỹ thuật phần mềm")):
        db.session.add(
            Programme(
                organization=org, code=pcode, name=name, level=ProgrammeLevel.COLLEGE, field="IT"
            )
        )
    email = f"staff-{code.lower()}@example.vn"
    user = User(
        email=email,
        password_hash=hash_password(PASSWORD),
        full_name="Cán bộ",
        role=Role.COLLEGE,
        email_confirmed_at=utcnow(),
    )
    db.session.add_all([org, user, Membership(user=user, organization=org, org_role=OrgRole.OWNER)])
    db.session.commit()
    return org, email


def _web_import(client, content: bytes) -> float:
    start = time.perf_counter()
    response = client.post(
        "/college/imports",
        data={"file": (io.BytesIO(content), "khoa.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.status_code
    preview_url = response.headers["Location"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    done = client.post(preview_url + "/commit")
    assert done.status_code == 302
    elapsed = time.perf_counter() - start
    result = client.get("/college/imports").get_data(as_text=True)
    assert 'id="import-result"' in result
    return elapsed


def run() -> dict:
    """Time the web import of a cohort and the CLI import of 100,000 rows."""
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = _app(url)
        cohort = xlsx(rows(1500))
        first, again = [], []
        for n in range(3):
            with app.app_context():
                _org, email = _college(f"WEB{n}")
            client = app.test_client()
            login = client.post("/auth/login", data={"email": email, "password": PASSWORD})
            assert login.status_code == 302
            first.append(_web_import(client, cohort))
            again.append(_web_import(client, cohort))

        big = Path(tmp) / "cohort-100k.csv"
        big.write_bytes(csv_bytes(rows(100_000)))
        with app.app_context():
            _college("CLI")
        runner = app.test_cli_runner()
        timings = []
        # The invitations wait ("later"): mailing them is a job of its own, timed apart.
        args = ["import-learners", str(big), "--college", "CLI", "--invitations", "later"]
        for _ in range(2):
            start = time.perf_counter()
            result = runner.invoke(args=args)
            timings.append(time.perf_counter() - start)
            assert result.exit_code == 0, result.output
        with app.app_context():
            import sqlalchemy as sa

            from matchhub.extensions import db
            from matchhub.models import Organization
            from matchhub.services import invitations

            college = db.session.scalar(sa.select(Organization).where(Organization.code == "CLI"))
            start = time.perf_counter()
            # No queue here: the send job runs in this process once the commit is done,
            # each mail rendered and handed to the log (no MAIL_SERVER).
            invitations.send_waiting(college)
            mailing = time.perf_counter() - start
        with app.app_context():
            from matchhub.extensions import db

            db.session.remove()
            db.engine.dispose()
    return {
        "import_1500_xlsx_s": round(statistics.median(first), 3),
        "import_1500_xlsx_reimport_s": round(statistics.median(again), 3),
        "import_100k_csv_s": round(timings[0], 2),
        "import_100k_csv_reimport_s": round(timings[1], 2),
        "invitations_100k_mail_s": round(mailing, 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, sort_keys=True))
