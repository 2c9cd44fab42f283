"""The demo province: institutions, learners, enterprises, orders and pipelines.

``seed_demo()`` fills an empty database with a realistic Nam Định area: five
training institutions and their programmes (skills derived from a real
university's course lists, ``data/demo/programmes.json``), 1,500 learners of the
current cohort, 60 enterprises in the province's sectors, 150 orders whose skill
mixes follow real job-posting statistics (``data/demo/order_mixes.json``) and a
few hundred applications with their history. Every person and company is
fictional.

Everything is built in memory from one seeded ``random.Random`` and written with
one bulk INSERT per table in a single transaction, which keeps the seed to a few
seconds on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.matching.taxonomy import load_taxonomy
from matchhub.matching.text import fold
from matchhub.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Learner,
    LearnerSkill,
    Membership,
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
    Organization,
    OrgKind,
    OrgRole,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    Role,
    User,
    VerificationState,
    Visibility,
)
from matchhub.services.accounts import hash_password
from matchhub.services.localities import all_localities
from matchhub.services.skills import skill_ids_by_slug, sync_taxonomy

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

DEMO_PASSWORD = "matchhub-demo"  # noqa: S105 - published on purpose: it opens the demo only
ADMIN_EMAIL = "admin@demo.vn"
ENTERPRISE_EMAIL = "enterprise@demo.vn"
COLLEGE_EMAIL = "college@demo.vn"
LEARNER_EMAIL = "learner@demo.vn"
ADMIN_NAME = "Trần Minh Đức (Sở Khoa học và Công nghệ)"
DEMO_LOGINS = (ADMIN_EMAIL, ENTERPRISE_EMAIL, COLLEGE_EMAIL, LEARNER_EMAIL)

N_ORDERS = 150
CONSENT_PURPOSE = (
    "Cho phép doanh nghiệp đã được xác minh xem hồ sơ để mời thực tập, tuyển dụng "
    "và cho Sở thống kê cung – cầu kỹ năng."
)

# Fictional enterprises (code, name, sector, locality). Names are built from local
# place names and plain words and checked against the job-posting file's companies.
ENTERPRISES: tuple[tuple[str, str, str, str], ...] = (
    ("TTSOFT", "Công ty TNHH Phần mềm Thiên Trường Số", "software", "nd-thien-truong"),
    ("VHTECH", "Công ty CP Công nghệ Vị Hoàng Tech", "software", "nd-nam-dinh"),
    ("NCSOFT", "Công ty TNHH Giải pháp Số Non Côi", "software", "nd-nam-dinh"),
    ("THSOFT", "Công ty TNHH Phần mềm Tức Mặc", "software", "nd-my-loc"),
    ("BLDIGI", "Công ty CP Chuyển đổi số Bảo Lộc", "software", "nd-dong-a"),
    ("SDCODE", "Công ty TNHH Lập trình Sông Đào", "software", "nd-vi-khe"),
    ("HTOUTS", "Công ty CP Gia công Phần mềm Hồng Thiện", "software", "nd-thanh-nam"),
    ("CLSOFT", "Công ty TNHH Công nghệ Cổ Lễ Xanh", "software", "nd-truc-ninh"),
    ("PDAPP", "Công ty TNHH Ứng dụng Di động Phủ Dầy", "software", "nd-vu-ban"),
    ("LQDATA", "Công ty CP Dữ liệu Lạc Quần", "software", "nd-nam-dinh"),
    ("NDQA", "Công ty TNHH Kiểm thử Phần mềm Trường Thi", "software", "nd-truong-thi"),
    ("VXCLOUD", "Công ty CP Điện toán Vị Xuyên", "software", "nd-hong-quang"),
    ("HHWEB", "Công ty TNHH Thiết kế Web Hải Hậu Số", "software", "nd-hai-hau"),
    ("TNAI", "Công ty CP Trí tuệ Nhân tạo Thành Nam", "software", "nd-thanh-nam"),
    ("NBSOFT", "Công ty TNHH Phần mềm Hoa Lư Mới", "software", "ninh-binh"),
    ("HNOUTS", "Công ty CP Phần mềm Kinh Bắc – Chi nhánh Nam Định", "software", "ha-noi"),
    ("MTELEC", "Công ty TNHH Điện tử Mỹ Trung", "electronics", "nd-my-loc"),
    ("HXELEC", "Công ty CP Linh kiện Điện tử Hòa Xá", "electronics", "nd-my-loc"),
    ("BAELEC", "Công ty TNHH Thiết bị Điện tử Bảo An Nam Định", "electronics", "nd-nam-dinh"),
    ("YYELEC", "Công ty TNHH Cơ điện tử Ý Yên", "electronics", "nd-y-yen"),
    ("XTSMRT", "Công ty CP Thiết bị Thông minh Xuân Trường", "electronics", "nd-xuan-truong"),
    ("GTIOT", "Công ty TNHH IoT Nông nghiệp Giao Thủy", "electronics", "nd-giao-thuy"),
    ("PLELEC", "Công ty TNHH Điện tử Phủ Lý Mới", "electronics", "phu-ly"),
    ("SHDET", "Công ty CP Dệt may Sông Hồng Số", "textile", "nd-nam-dinh"),
    ("TCMAY", "Công ty TNHH May mặc Thành Công Vị Khê", "textile", "nd-vi-khe"),
    ("HHMAY", "Công ty TNHH May xuất khẩu Hải Hậu Xanh", "textile", "nd-hai-hau"),
    ("NHDET", "Công ty CP Sợi Dệt Nghĩa Hưng", "textile", "nd-nghia-hung"),
    ("TNMAY", "Công ty TNHH Thời trang Trực Ninh", "textile", "nd-truc-ninh"),
    ("VBMAY", "Công ty CP May Vụ Bản Phát", "textile", "nd-vu-ban"),
    ("DAMAY", "Công ty TNHH Dệt kim Đông A", "textile", "nd-dong-a"),
    ("XTMAY", "Công ty CP May Xuân Trường An", "textile", "nd-xuan-truong"),
    ("YYDET", "Công ty TNHH Nhuộm và Hoàn tất Ý Yên", "textile", "nd-y-yen"),
    ("YYCKH", "Công ty CP Cơ khí Đúc Ý Yên Mới", "manufacturing", "nd-y-yen"),
    ("HQCKH", "Công ty TNHH Cơ khí Chính xác Hồng Quang", "manufacturing", "nd-hong-quang"),
    ("MLAUTO", "Công ty CP Tự động hóa Mỹ Lộc", "manufacturing", "nd-my-loc"),
    ("NHTAU", "Công ty TNHH Đóng tàu Nghĩa Hưng Mới", "manufacturing", "nd-nghia-hung"),
    ("THNHUA", "Công ty CP Nhựa Kỹ thuật Thiên Hương", "manufacturing", "nd-thien-truong"),
    ("VBXMAY", "Công ty TNHH Máy Nông nghiệp Vụ Bản", "manufacturing", "nd-vu-ban"),
    ("NDLOG", "Công ty CP Logistics Cảng Thịnh Long Mới", "logistics", "nd-hai-hau"),
    ("VKLOG", "Công ty TNHH Vận tải Vị Khê Xanh", "logistics", "nd-vi-khe"),
    ("DALOG", "Công ty CP Kho vận Đông A", "logistics", "nd-dong-a"),
    ("NBLOG", "Công ty TNHH Giao nhận Tràng An Số", "logistics", "ninh-binh"),
    ("HPLOG", "Công ty CP Chuỗi cung ứng Duyên Hải Số", "logistics", "hai-phong"),
    ("NDFIN", "Quỹ Tín dụng Nhân dân Thành Nam Số", "finance", "nd-nam-dinh"),
    ("TTINS", "Công ty CP Bảo hiểm Thiên Trường An", "finance", "nd-thien-truong"),
    ("VHFIN", "Công ty Tài chính Vị Hoàng Số", "finance", "nd-truong-thi"),
    ("NCPAY", "Công ty CP Thanh toán Điện tử Non Côi", "finance", "nd-nam-dinh"),
    ("HNFIN", "Công ty CP Chứng khoán Sông Vị", "finance", "ha-noi"),
    ("CMART", "Công ty CP Siêu thị Chợ Rồng Số", "retail", "nd-nam-dinh"),
    ("TNSHOP", "Công ty TNHH Thương mại điện tử Thành Nam", "retail", "nd-thanh-nam"),
    ("HHMART", "Công ty CP Bán lẻ Hải Hậu Mới", "retail", "nd-hai-hau"),
    ("TTSHOP", "Công ty TNHH Chuỗi cửa hàng Tiện lợi Thiên Trường", "retail", "nd-thien-truong"),
    ("HCMSHP", "Công ty CP Bán lẻ Trực tuyến Phương Nam Số", "retail", "ho-chi-minh"),
    ("NDTEL", "Công ty CP Viễn thông Thành Nam Net", "telecom", "nd-nam-dinh"),
    ("VKNET", "Công ty TNHH Hạ tầng Mạng Vị Khê", "telecom", "nd-vi-khe"),
    ("NDHOS", "Bệnh viện Đa khoa Tư nhân Thiên Trường An", "healthcare", "nd-thien-truong"),
    ("NDEDU", "Công ty CP Giáo dục Số Vị Hoàng", "education", "nd-nam-dinh"),
    ("GTFOOD", "Công ty CP Thực phẩm Giao Thủy Xanh", "agrifood", "nd-giao-thuy"),
    ("TNXD", "Công ty CP Xây dựng Thành Nam Mới", "construction", "nd-thanh-nam"),
    ("NBTOUR", "Công ty TNHH Du lịch Tam Cốc Số", "tourism", "ninh-binh"),
)
DEMO_ENTERPRISE = "TTSOFT"
DEMO_COLLEGE = "NDCT"
PENDING_ENTERPRISES = ("CLSOFT", "XTMAY", "HPLOG", "NBTOUR")
REJECTED_ENTERPRISE = (
    "HNFIN",
    "Mã số thuế không khớp với giấy chứng nhận đăng ký doanh nghiệp đã tải lên.",
)


@dataclass(frozen=True)
class OrderTemplate:
    """A kind of order: its job group in the posting statistics and the skills it always asks."""

    key: str
    group: str
    job_title: str  # "Lập trình viên Java (Spring Boot)"
    intern_title: str  # what follows "Thực tập sinh "
    trainee: str  # what follows "Đặt hàng đào tạo N "
    pinned: tuple[str, ...]


TEMPLATES = {
    t.key: t
    for t in (
        OrderTemplate(
            "java",
            "backend",
            "Lập trình viên Java (Spring Boot)",
            "Lập trình Java",
            "lập trình viên Java",
            ("java", "spring-boot"),
        ),
        OrderTemplate(
            "node",
            "backend",
            "Lập trình viên Node.js",
            "Lập trình Node.js",
            "lập trình viên Node.js",
            ("nodejs", "javascript"),
        ),
        OrderTemplate(
            "php",
            "backend",
            "Lập trình viên PHP (Laravel)",
            "Lập trình PHP",
            "lập trình viên PHP",
            ("php", "laravel"),
        ),
        OrderTemplate(
            "dotnet",
            "backend",
            "Lập trình viên .NET (C#)",
            "Lập trình .NET",
            "lập trình viên C#/.NET",
            ("csharp", "dotnet"),
        ),
        OrderTemplate(
            "python",
            "backend",
            "Lập trình viên Python (Backend)",
            "Lập trình Python",
            "lập trình viên Python",
            ("python", "sql"),
        ),
        OrderTemplate(
            "react",
            "frontend",
            "Lập trình viên Front-end (ReactJS)",
            "Front-end ReactJS",
            "lập trình viên front-end",
            ("react", "javascript"),
        ),
        OrderTemplate(
            "vue",
            "frontend",
            "Lập trình viên Front-end (VueJS)",
            "Front-end VueJS",
            "lập trình viên front-end",
            ("vuejs", "javascript"),
        ),
        OrderTemplate(
            "fullstack",
            "fullstack",
            "Lập trình viên Full-stack",
            "Lập trình Full-stack",
            "lập trình viên full-stack",
            ("javascript", "sql"),
        ),
        OrderTemplate(
            "android",
            "mobile",
            "Lập trình viên Android (Kotlin)",
            "Lập trình Android",
            "lập trình viên Android",
            ("android", "kotlin"),
        ),
        OrderTemplate(
            "flutter",
            "mobile",
            "Lập trình viên Flutter",
            "Lập trình Flutter",
            "lập trình viên di động",
            ("flutter", "dart"),
        ),
        OrderTemplate(
            "tester",
            "qa",
            "Nhân viên Kiểm thử phần mềm",
            "Kiểm thử phần mềm",
            "nhân viên kiểm thử phần mềm",
            ("software-testing", "test-case"),
        ),
        OrderTemplate(
            "autotest",
            "qa",
            "Kỹ sư Kiểm thử tự động",
            "Kiểm thử tự động",
            "kỹ sư kiểm thử tự động",
            ("automation-testing", "selenium"),
        ),
        OrderTemplate(
            "devops",
            "devops",
            "Kỹ sư DevOps",
            "DevOps",
            "kỹ sư vận hành hệ thống",
            ("devops", "docker", "linux"),
        ),
        OrderTemplate(
            "ai",
            "data-ai",
            "Kỹ sư Trí tuệ nhân tạo / Học máy",
            "AI / Học máy",
            "kỹ sư học máy",
            ("python", "machine-learning"),
        ),
        OrderTemplate(
            "analyst",
            "data-engineer",
            "Chuyên viên Phân tích dữ liệu",
            "Phân tích dữ liệu",
            "nhân viên phân tích dữ liệu",
            ("data-analysis", "sql", "excel"),
        ),
        OrderTemplate(
            "uiux",
            "ui-ux",
            "Nhân viên Thiết kế UI/UX",
            "Thiết kế UI/UX",
            "nhân viên thiết kế giao diện",
            ("ui-ux", "figma"),
        ),
        OrderTemplate(
            "ba",
            "manager",
            "Chuyên viên Phân tích nghiệp vụ (BA)",
            "Phân tích nghiệp vụ",
            "chuyên viên phân tích nghiệp vụ",
            ("business-analysis", "uml"),
        ),
        OrderTemplate(
            "erp",
            "erp",
            "Chuyên viên Triển khai ERP",
            "Triển khai ERP",
            "chuyên viên triển khai ERP",
            ("erp", "excel"),
        ),
        OrderTemplate(
            "embedded",
            "embedded",
            "Kỹ sư Phần mềm nhúng",
            "Lập trình nhúng",
            "kỹ sư lập trình nhúng",
            ("embedded", "embedded-c"),
        ),
        OrderTemplate(
            "plc",
            "embedded",
            "Kỹ thuật viên Lập trình PLC",
            "Tự động hóa PLC",
            "kỹ thuật viên lập trình PLC",
            ("plc", "automation", "electronics"),
        ),
        OrderTemplate(
            "security",
            "security",
            "Chuyên viên An ninh mạng",
            "An ninh mạng",
            "chuyên viên an toàn thông tin",
            ("security", "networking"),
        ),
        OrderTemplate(
            "network",
            "devops",
            "Kỹ thuật viên Quản trị mạng",
            "Quản trị mạng",
            "kỹ thuật viên mạng",
            ("networking", "windows-server", "system-admin"),
        ),
        OrderTemplate(
            "support",
            "other",
            "Kỹ thuật viên CNTT (phần cứng, mạng)",
            "Hỗ trợ kỹ thuật IT",
            "kỹ thuật viên hỗ trợ CNTT",
            ("it-support", "hardware", "networking"),
        ),
        OrderTemplate(
            "game",
            "game",
            "Lập trình viên Game (Unity)",
            "Lập trình Game",
            "lập trình viên game",
            ("unity", "csharp"),
        ),
    )
}

# Which orders each sector places, with weights: the province's software houses
# hire developers and testers, its garment and engineering plants hire ERP,
# automation, data and support people.
SECTOR_TEMPLATES: dict[str, dict[str, int]] = {
    "software": {
        "java": 4,
        "node": 3,
        "php": 3,
        "dotnet": 2,
        "python": 2,
        "react": 4,
        "vue": 1,
        "fullstack": 3,
        "android": 2,
        "flutter": 2,
        "tester": 4,
        "autotest": 2,
        "devops": 2,
        "ai": 2,
        "uiux": 2,
        "ba": 2,
        "game": 1,
    },
    "electronics": {"embedded": 4, "plc": 3, "tester": 1, "support": 2, "dotnet": 1},
    "textile": {"erp": 3, "analyst": 2, "support": 3, "plc": 2, "dotnet": 1},
    "manufacturing": {"plc": 3, "embedded": 2, "erp": 2, "support": 2, "analyst": 1},
    "logistics": {"java": 1, "node": 1, "analyst": 2, "erp": 2, "android": 1, "support": 1},
    "finance": {"analyst": 2, "java": 2, "security": 2, "tester": 1, "ba": 2, "dotnet": 1},
    "retail": {"react": 2, "fullstack": 2, "flutter": 1, "analyst": 2, "uiux": 1, "php": 1},
    "telecom": {"network": 3, "security": 2, "devops": 1, "support": 1},
    "healthcare": {"support": 2, "fullstack": 1, "analyst": 1},
    "education": {"fullstack": 1, "php": 1, "uiux": 1, "support": 1},
    "agrifood": {"support": 1, "analyst": 1, "erp": 1},
    "construction": {"support": 1, "erp": 1},
    "tourism": {"php": 1, "support": 1, "uiux": 1},
}

TRANSVERSAL = (
    ("teamwork", 0.85),
    ("communication", 0.6),
    ("presentation", 0.45),
    ("problem-solving", 0.45),
    ("self-learning", 0.4),
    ("time-management", 0.3),
    ("english", 0.8),
    ("critical-thinking", 0.15),
    ("japanese", 0.04),
)

MOBILE_PREFIXES = (
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "086",
    "096",
    "097",
    "098",
    "081",
    "082",
    "083",
    "084",
    "085",
    "088",
    "091",
    "094",
    "070",
    "076",
    "077",
    "078",
    "079",
    "089",
    "090",
    "093",
    "056",
    "058",
)

_LEVEL_BY_NAME = {
    "university": ProgrammeLevel.UNIVERSITY,
    "college": ProgrammeLevel.COLLEGE,
    "vocational": ProgrammeLevel.VOCATIONAL,
    "short_course": ProgrammeLevel.SHORT_COURSE,
}
# Age at graduation by kind of programme; short courses retrain working adults.
_AGE_AT_GRADUATION = {
    ProgrammeLevel.UNIVERSITY: (22, 23),
    ProgrammeLevel.COLLEGE: (20, 22),
    ProgrammeLevel.VOCATIONAL: (18, 20),
    ProgrammeLevel.SHORT_COURSE: (21, 35),
}


@dataclass(frozen=True)
class DemoReport:
    """What ``seed_demo`` wrote (all zero when the demo was already there)."""

    created: bool
    colleges: int = 0
    programmes: int = 0
    learners: int = 0
    learner_skills: int = 0
    enterprises: int = 0
    orders: int = 0
    order_skills: int = 0
    applications: int = 0
    application_events: int = 0
    users: int = 0


@lru_cache(maxsize=1)
def _load(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _load_all() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return _load("programmes.json"), _load("names.json"), _load("order_mixes.json")


def database_is_empty() -> bool:
    """True when no account exists yet: a fresh database the demo may fill."""
    return db.session.scalar(sa.select(User.id).limit(1)) is None


def seed_demo(today: date | None = None, seed: int = 2026) -> DemoReport:
    """Build the demo province in one transaction, unless it is already there.

    Syncs the skill taxonomy first (always). When the demo admin account exists
    nothing else happens and ``created`` is false. Deterministic for a given
    ``seed`` and ``today``; every date is relative to ``today``. About 32,000 rows,
    one bulk INSERT per table: one to three seconds on SQLite or PostgreSQL.
    """
    sync_taxonomy()
    if db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return DemoReport(created=False)
    try:
        report = _Builder(today or date.today(), random.Random(seed)).run()
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return report


def _insert_returning_ids(model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert ``rows`` and return their new ids in the order of ``rows``."""
    if not rows:
        return []
    stmt = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.session.execute(sa.insert(model), rows)


def _tax_code(rng: random.Random, used: set[str]) -> str:
    """A fictional 10-digit tax code with a valid check digit (Nam Định's prefix 06)."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        digits = [0, 6, *(rng.randrange(10) for _ in range(7))]
        check = 10 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        code = "".join(map(str, digits)) + str(check)
        if check < 10 and code not in used:
            used.add(code)
            return code


class _Builder:
    """Holds the generated rows while the demo is assembled; one use only."""

    def __init__(self, today: date, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.now = datetime.combine(today, time(2, 0), tzinfo=UTC)
        self.programme_data, self.names, self.mixes = _load_all()
        self.taxonomy = {s.id: s for s in load_taxonomy()}
        # Only skills both the engine and the database know: a skill the taxonomy
        # dropped or merged since the demo data was written is left out, not fatal.
        self.skill_ids = {
            slug: sid for slug, sid in skill_ids_by_slug().items() if slug in self.taxonomy
        }
        self.localities = {loc.code: loc for loc in all_localities()}
        self.password_hash = hash_password(DEMO_PASSWORD)

    # -- helpers -----------------------------------------------------------------

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days, minutes=self.rng.randrange(600))

    def skill_term(self, slug: str) -> str:
        # The Vietnamese name is how a local CV or posting writes the skill; for a
        # technology it is its usual (English) name anyway.
        return self.taxonomy[slug].name_vi

    def skill_name_vi(self, slug: str) -> str:
        return self.taxonomy[slug].name_vi

    def locality_name(self, code: str) -> str:
        loc = self.localities.get(code)
        return loc.name_vi if loc else code

    def user_row(self, email: str, name: str, role: Role, days: float) -> dict[str, Any]:
        return {
            "email": email,
            "password_hash": self.password_hash,
            "full_name": name,
            "role": role,
            "locale": "vi",
            "active": True,
            "session_version": 1,
            "created_at": self.days_ago(days),
            "email_confirmed_at": self.days_ago(days),
        }

    # -- the build ----------------------------------------------------------------

    def run(self) -> DemoReport:
        admin = self.user_row(ADMIN_EMAIL, ADMIN_NAME, Role.ADMIN, 420)
        self.admin_id = _insert_returning_ids(User, [admin])[0]
        colleges = self.build_colleges()
        enterprises = self.build_enterprises()
        users = self.build_org_users(colleges, enterprises)
        programmes = self.build_programmes(colleges)
        learners, learner_skills = self.build_learners(programmes)
        orders, order_skills = self.build_orders(enterprises, users)
        apps, events = self.build_applications(orders, learners, users)
        return DemoReport(
            created=True,
            colleges=len(colleges),
            programmes=len(programmes),
            learners=len(learners),
            learner_skills=learner_skills,
            enterprises=len(enterprises),
            orders=len(orders),
            order_skills=order_skills,
            applications=apps,
            application_events=events,
            users=2 + len(users),  # the admin, one per organisation, the demo learner
        )

    def build_colleges(self) -> list[dict[str, Any]]:
        rows, meta = [], []
        for inst in self.programme_data["institutions"]:
            rows.append(
                {
                    "kind": OrgKind.COLLEGE,
                    "name": inst["name"],
                    "code": inst["code"],
                    "tax_code": None,
                    "locality": inst["locality"],
                    "sector": "education",
                    "address": inst["address"],
                    "website": None,
                    "description": inst["description"],
                    "state": VerificationState.VERIFIED,
                    "state_reason": None,
                    "verified_at": self.days_ago(380 + self.rng.randrange(30)),
                    "verified_by_id": self.admin_id,
                    "created_at": self.days_ago(410),
                }
            )
            meta.append(dict(inst))
        for m, org_id in zip(meta, _insert_returning_ids(Organization, rows), strict=True):
            m["id"] = org_id
        return meta

    def build_enterprises(self) -> list[dict[str, Any]]:
        rows, meta = [], []
        used: set[str] = set()
        reject_code, reject_reason = REJECTED_ENTERPRISE
        for code, name, sector, locality in ENTERPRISES:
            created = 90 + self.rng.randrange(300)
            if code in PENDING_ENTERPRISES:
                state, reason, verified_at, by = VerificationState.PENDING, None, None, None
                created = 2 + self.rng.randrange(12)
            elif code == reject_code:
                state, reason, verified_at, by = (
                    VerificationState.REJECTED,
                    reject_reason,
                    None,
                    self.admin_id,
                )
                created = 20
            else:
                state, reason, by = VerificationState.VERIFIED, None, self.admin_id
                verified_at = self.days_ago(created - 1 - self.rng.randrange(3))
            rows.append(
                {
                    "kind": OrgKind.ENTERPRISE,
                    "name": name,
                    "code": code,
                    "tax_code": _tax_code(self.rng, used),
                    "locality": locality,
                    "sector": sector,
                    "address": f"{self.locality_name(locality)}, tỉnh Ninh Bình"
                    if locality.startswith("nd-")
                    else self.locality_name(locality),
                    "website": None,
                    "description": _enterprise_description(name, sector),
                    "state": state,
                    "state_reason": reason,
                    "verified_at": verified_at,
                    "verified_by_id": by,
                    "created_at": self.days_ago(created),
                }
            )
            meta.append(
                {
                    "code": code,
                    "name": name,
                    "sector": sector,
                    "locality": locality,
                    "state": state,
                    "created_days": created,
                }
            )
        for m, org_id in zip(meta, _insert_returning_ids(Organization, rows), strict=True):
            m["id"] = org_id
        return meta

    def build_org_users(self, colleges, enterprises) -> dict[str, int]:
        """One account per organisation; returns user id by organisation code."""
        rows, codes = [], []
        for org in [*colleges, *enterprises]:
            code = org["code"]
            if code == DEMO_ENTERPRISE:
                email, name = ENTERPRISE_EMAIL, "Phạm Quang Huy"
            elif code == DEMO_COLLEGE:
                email, name = COLLEGE_EMAIL, "Đỗ Thị Lan"
            else:
                email, name = f"hr.{code.lower()}@demo.vn", self.person_name()[0]
            role = Role.COLLEGE if org in colleges else Role.ENTERPRISE
            rows.append(self.user_row(email, name, role, 400))
            codes.append((code, org["id"]))
        ids = _insert_returning_ids(User, rows)
        _insert(
            Membership,
            [
                {
                    "user_id": uid,
                    "organization_id": org_id,
                    "org_role": OrgRole.OWNER,
                    "created_at": self.days_ago(400),
                }
                for uid, (_, org_id) in zip(ids, codes, strict=True)
            ],
        )
        return {code: uid for uid, (code, _) in zip(ids, codes, strict=True)}

    def build_programmes(self, colleges) -> list[dict[str, Any]]:
        by_code = {c["code"]: c for c in colleges}
        rows, meta = [], []
        for raw in self.programme_data["programmes"]:
            college = by_code[raw["institution"]]
            prog = {
                **raw,
                "skills": {s: lv for s, lv in raw["skills"].items() if s in self.skill_ids},
                "electives": [s for s in raw["electives"] if s in self.skill_ids],
                "college": college,
                "level_enum": _LEVEL_BY_NAME[raw["level"]],
            }
            rows.append(
                {
                    "organization_id": college["id"],
                    "code": prog["code"],
                    "name": prog["name"],
                    "level": prog["level_enum"],
                    "field": prog["field"],
                    "yearly_intake": prog["yearly_intake"],
                    "description": _programme_description(prog, self.skill_name_vi),
                    "created_at": self.days_ago(405),
                }
            )
            meta.append(prog)
        for m, pid in zip(meta, _insert_returning_ids(Programme, rows), strict=True):
            m["id"] = pid
        _insert(
            ProgrammeSkill,
            [
                {"programme_id": m["id"], "skill_id": self.skill_ids[slug], "level": level}
                for m in meta
                for slug, level in m["skills"].items()
            ],
        )
        return meta

    # -- people -------------------------------------------------------------------

    def person_name(self) -> tuple[str, bool, str, str]:
        """(full name, is_female, family, given) drawn from weighted name lists."""
        rng, names = self.rng, self.names
        families = names["family"]
        family = rng.choices([f for f, _ in families], [w for _, w in families])[0]
        female = rng.random() < 0.45
        middle = rng.choice(names["middle_female" if female else "middle_male"])
        given = rng.choice(names["given_female" if female else "given_male"])
        return f"{family} {middle} {given}", female, family, given

    def build_learners(self, programmes) -> tuple[list[dict[str, Any]], int]:
        nd_codes = [c for c in self.localities if c.startswith("nd-")]
        other_codes = [c for c in self.localities if not c.startswith("nd-")]
        rows, meta = [], []
        seq: dict[str, int] = {}
        for prog in programmes:
            college = prog["college"]
            for i in range(prog["learners"]):
                demo = college["code"] == DEMO_COLLEGE and prog["code"] == "UDPM" and i == 0
                row, skills = self.learner(prog, college, seq, nd_codes, other_codes, demo)
                if demo:
                    row["user_id"] = self.learner_user(row)
                    row["email"] = LEARNER_EMAIL
                rows.append(row)
                meta.append(
                    {
                        "skills": skills,
                        "visible": row["visibility"] is not Visibility.HIDDEN,
                        "demo": demo,
                        "user_id": row["user_id"],
                    }
                )
        ids = _insert_returning_ids(Learner, rows)
        skill_rows = []
        for m, lid in zip(meta, ids, strict=True):
            m["id"] = lid
            for slug, level in m["skills"].items():
                skill_rows.append(
                    {
                        "learner_id": lid,
                        "skill_id": self.skill_ids[slug],
                        "term": self.skill_term(slug),
                        "level": level,
                    }
                )
        _insert(LearnerSkill, skill_rows)
        return meta, len(skill_rows)

    def learner_user(self, row: dict[str, Any]) -> int:
        user = self.user_row(LEARNER_EMAIL, row["full_name"], Role.LEARNER, 260)
        return _insert_returning_ids(User, [user])[0]

    def learner(self, prog, college, seq, nd_codes, other_codes, demo):
        rng = self.rng
        if demo:
            full, female, given = "Nguyễn Thu Trang", True, "Trang"
        else:
            full, female, _, given = self.person_name()
        level = prog["level_enum"]
        grad = rng.choices((2025, 2026, 2027), (0.15, 0.7, 0.15))[0] if not demo else 2026
        lo, hi = _AGE_AT_GRADUATION[level]
        born = date(grad - rng.randint(lo, hi), 1, 1) + timedelta(days=rng.randrange(365))
        entry = (
            grad
            - {
                ProgrammeLevel.UNIVERSITY: 4,
                ProgrammeLevel.COLLEGE: 3,
                ProgrammeLevel.VOCATIONAL: 2,
                ProgrammeLevel.SHORT_COURSE: 1,
            }[level]
        )
        n = seq[college["code"]] = seq.get(college["code"], 0) + 1
        student_code = f"{college['code_prefix']}{entry % 100:02d}{prog['code']}{n:04d}"
        initials = "".join(p[0] for p in full.split()[:-1])
        local = fold(f"{given}{initials}").replace(" ", "")
        email = f"{local}.{n:04d}@sv.{college['code'].lower()}.demo.vn"
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
        # Most of the cohort grew up in the Nam Định area; some came from elsewhere.
        locality = rng.choice(nd_codes if rng.random() < 0.82 else other_codes)
        preferred = [locality]
        for code in ("nd-nam-dinh", "ha-noi", "ninh-binh", "nd-my-loc", "ho-chi-minh"):
            if code != locality and rng.random() < 0.3:
                preferred.append(code)
        ability = rng.gauss(0, 0.6)  # one learner is stronger across the board than another
        gpa = None
        if level is not ProgrammeLevel.SHORT_COURSE:
            gpa = Decimal(f"{min(3.95, max(1.8, rng.gauss(2.95 + ability * 0.35, 0.35))):.2f}")
        skills = self.learner_skills(prog, ability, demo)
        if demo:
            visibility = Visibility.ENTERPRISES
        else:
            visibility = rng.choices(
                (Visibility.ENTERPRISES, Visibility.VERIFIED, Visibility.HIDDEN), (0.83, 0.12, 0.05)
            )[0]
        consent = visibility is not Visibility.HIDDEN
        created = self.days_ago(200 + rng.randrange(60))
        return {
            "user_id": None,
            "college_id": college["id"],
            "programme_id": prog["id"],
            "student_code": student_code,
            "full_name": full,
            "date_of_birth": born,
            "email": email,
            "phone": phone,
            "graduation_year": grad,
            "gpa": gpa,
            "locality": locality,
            "preferred_localities": preferred,
            "available_from": max(self.today, date(grad, 6, 15) + timedelta(rng.randrange(60))),
            "cv_text": self.cv_text(prog, college, skills, female, grad),
            "visibility": visibility,
            "consent_at": self.days_ago(rng.randrange(1, 140)) if consent else None,
            "consent_purpose": CONSENT_PURPOSE if consent else None,
            "claim_code": None,
            "created_at": created,
            "updated_at": created,
        }, skills

    def learner_skills(self, prog, ability: float, demo: bool) -> dict[str, int]:
        """Programme skills with noise, a few self-taught electives and transversal skills."""
        rng = self.rng
        skills: dict[str, int] = {}
        for slug, level in prog["skills"].items():
            if rng.random() < (0.97 if demo else 0.78):
                skills[slug] = _clamp(round(level + ability + rng.gauss(0, 0.7)))
        for slug in rng.sample(prog["electives"], k=min(len(prog["electives"]), rng.randint(0, 3))):
            skills.setdefault(slug, _clamp(round(2 + ability + rng.gauss(0, 0.8))))
        for slug, p in TRANSVERSAL:
            if rng.random() < p and slug in self.skill_ids:
                base = 2.4 if slug in ("english", "japanese") else 3
                skills.setdefault(slug, _clamp(round(base + rng.gauss(0, 0.8))))
        if demo:
            strong = {"java": 4, "spring-boot": 3, "sql": 3, "git": 3, "english": 3}
            skills.update({s: lv for s, lv in strong.items() if s in self.skill_ids})
        return skills

    def cv_text(self, prog, college, skills, female: bool, grad: int) -> str:
        rng = self.rng
        tech = sorted(
            (s for s in skills if self.taxonomy[s].category not in ("transversal", "language")),
            key=lambda s: -skills[s],
        )[:5]
        strong = ", ".join(self.skill_term(s) for s in tech) or "tin học văn phòng"
        project = rng.choice(prog["projects"])
        if grad < self.today.year:
            status = "Đã tốt nghiệp"
        elif grad == self.today.year and self.today.month >= 7:
            status = "Vừa tốt nghiệp"
        else:
            status = "Sinh viên năm cuối"
        if prog["level"] == "short_course":
            status = "Học viên khóa chuyển đổi nghề"
        soft = [
            self.skill_name_vi(s).lower()
            for s in ("teamwork", "communication", "self-learning")
            if s in skills
        ]
        lines = [
            f"{status} ngành {prog['name']} tại {college['name']} (tốt nghiệp {grad}).",
            f"Kỹ năng chính: {strong}.",
            f"Dự án tiêu biểu: {project}.",
        ]
        if soft:
            lines.append(f"Có kỹ năng {', '.join(soft)}.")
        if "english" in skills and skills["english"] >= 3:
            lines.append("Đọc hiểu tốt tài liệu kỹ thuật tiếng Anh.")
        lines.append(
            rng.choice(
                (
                    "Mong muốn làm việc tại Nam Định để gắn bó lâu dài.",
                    "Sẵn sàng thực tập toàn thời gian và học hỏi công nghệ mới.",
                    "Mong muốn phát triển thành kỹ sư vững nghề trong doanh nghiệp.",
                    "Ưu tiên công việc ổn định, có lộ trình phát triển rõ ràng."
                    if female
                    else "Ưu tiên môi trường năng động, nhiều dự án thực tế.",
                )
            )
        )
        return "\n".join(lines)

    # -- demand -------------------------------------------------------------------

    def build_orders(self, enterprises, users) -> tuple[list[dict[str, Any]], int]:
        rng = self.rng
        verified = [e for e in enterprises if e["state"] is VerificationState.VERIFIED]
        pending = [e for e in enterprises if e["state"] is VerificationState.PENDING]
        demo_ent = next(e for e in enterprises if e["code"] == DEMO_ENTERPRISE)
        # Who places each order: the demo enterprise a handful, pending ones a draft
        # each, the rest spread with the bigger sectors ordering more.
        owners = [demo_ent] * 7 + pending
        weights = [
            3 if e["sector"] in ("software", "textile", "electronics") else 2
            for e in verified
            if e is not demo_ent
        ]
        others = [e for e in verified if e is not demo_ent]
        owners += others  # every verified enterprise has at least one order
        owners += rng.choices(others, weights, k=N_ORDERS - len(owners))
        kinds = [OrderKind.JOB] * 83 + [OrderKind.INTERNSHIP] * 52 + [OrderKind.TRAINING] * 15
        rng.shuffle(kinds)
        demo_kinds = [
            OrderKind.JOB,
            OrderKind.JOB,
            OrderKind.INTERNSHIP,
            OrderKind.JOB,
            OrderKind.INTERNSHIP,
            OrderKind.JOB,
            OrderKind.TRAINING,
        ]
        # keep the overall mix: swap the demo enterprise's kinds in from the shuffled list
        for i, kind in enumerate(demo_kinds):
            j = kinds.index(kind, i)
            kinds[i], kinds[j] = kinds[j], kinds[i]

        rows, meta = [], []
        for i, ent in enumerate(owners):
            kind = kinds[i]
            is_demo = ent is demo_ent
            if ent["state"] is VerificationState.PENDING:
                status = OrderStatus.DRAFT
            elif is_demo:
                status = (
                    OrderStatus.OPEN,
                    OrderStatus.OPEN,
                    OrderStatus.OPEN,
                    OrderStatus.OPEN,
                    OrderStatus.FILLED,
                    OrderStatus.CLOSED,
                    OrderStatus.DRAFT,
                )[i]
            else:
                status = rng.choices(
                    (
                        OrderStatus.OPEN,
                        OrderStatus.DRAFT,
                        OrderStatus.CLOSED,
                        OrderStatus.FILLED,
                        OrderStatus.CANCELLED,
                    ),
                    (0.72, 0.06, 0.1, 0.08, 0.04),
                )[0]
            template = TEMPLATES[self.pick_template(ent, is_demo, i)]
            row, skills = self.order(ent, kind, status, template, users[ent["code"]])
            rows.append(row)
            meta.append(
                {
                    "kind": kind,
                    "status": status,
                    "skills": skills,
                    "demo": is_demo,
                    "headcount": row["headcount"],
                    "published_at": row["published_at"],
                    "closed_at": row["closed_at"],
                    "org_code": ent["code"],
                    "template": template.key,
                }
            )
        ids = _insert_returning_ids(Order, rows)
        skill_rows = []
        for m, oid in zip(meta, ids, strict=True):
            m["id"] = oid
            for slug, required, level, weight in m["skills"]:
                skill_rows.append(
                    {
                        "order_id": oid,
                        "skill_id": self.skill_ids[slug],
                        "term": self.skill_term(slug),
                        "required": required,
                        "level": level,
                        "weight": weight,
                    }
                )
        _insert(OrderSkill, skill_rows)
        return meta, len(skill_rows)

    def pick_template(self, ent, is_demo: bool, i: int) -> str:
        if is_demo:
            # The demo learner studies Java: the demo company's first orders fit her.
            return ("java", "react", "java", "tester", "fullstack", "node", "java")[i]
        choices = SECTOR_TEMPLATES[ent["sector"]]
        return self.rng.choices(list(choices), list(choices.values()))[0]

    def order_skills(self, template: OrderTemplate, kind: OrderKind, seniority: str):
        """(slug, required, level, weight) drawn from the template's job-group statistics."""
        rng = self.rng
        group = self.mixes["groups"][template.group]
        size = group["skills_per_posting"]
        n = rng.randint(max(3, size["p25"]), max(4, size["p75"]))
        if kind is OrderKind.INTERNSHIP:
            n = max(3, n - 1)
        chosen = [s for s in template.pinned if s in self.skill_ids]
        pool = [
            (s, w)
            for s, w in group["skills"].items()
            if s not in chosen
            and s in self.skill_ids
            and self.taxonomy[s].category not in ("transversal", "language")
        ]
        while len(chosen) < n and pool:
            k = rng.choices(range(len(pool)), [w for _, w in pool])[0]
            chosen.append(pool.pop(k)[0])
        n_required = max(1, len(template.pinned), math.ceil(len(chosen) * 0.6))
        base = {"fresher": 2, "junior": 3, "middle": 3}.get(seniority, 3)
        if kind is OrderKind.INTERNSHIP:
            base = 2
        out = []
        for idx, slug in enumerate(chosen):
            required = idx < n_required
            pinned = slug in template.pinned
            level = _clamp(
                base + (1 if pinned and seniority == "middle" else 0) - (0 if required else 1)
            )
            weight = 2.0 if pinned else (1.0 if required else 0.5)
            out.append((slug, required, level, weight))
        for slug, p in (("english", 0.45), ("teamwork", 0.35), ("japanese", 0.03)):
            if slug not in chosen and rng.random() < p and slug in self.skill_ids:
                out.append((slug, False, 2 if slug != "teamwork" else 3, 0.5))
        return out

    def order(
        self, ent, kind: OrderKind, status: OrderStatus, template: OrderTemplate, user_id: int
    ):
        rng = self.rng
        seniority = rng.choices(("fresher", "junior", "middle"), (0.45, 0.4, 0.15))[0]
        skills = self.order_skills(template, kind, seniority)
        if kind is OrderKind.JOB:
            headcount = rng.choices(range(1, 11), (25, 25, 15, 10, 8, 5, 4, 3, 3, 2))[0]
            low = {"fresher": 8, "junior": 11, "middle": 16}[seniority] + rng.randint(0, 3)
            salary = (low * 1_000_000, (low + rng.randint(3, 9)) * 1_000_000)
            title = f"{template.job_title} ({seniority.capitalize()})"
        elif kind is OrderKind.INTERNSHIP:
            headcount = rng.randint(2, 15)
            low = rng.choice((2, 2.5, 3, 3.5))
            salary = (int(low * 1_000_000), int((low + rng.choice((1, 1.5, 2))) * 1_000_000))
            title = f"Thực tập sinh {template.intern_title}"
        else:
            headcount = rng.choice((10, 12, 15, 20, 20, 25, 30, 40))
            salary = (None, None)
            title = f"Đặt hàng đào tạo {headcount} {template.trainee}"
        locality = ent["locality"]
        remote = ent["sector"] == "software" and kind is OrderKind.JOB and rng.random() < 0.1
        # Days before today; an order is published only after its enterprise was
        # verified (a few days after it signed up).
        oldest = ent["created_days"] - 5
        if status is OrderStatus.DRAFT:
            published = closed = None
            created_days = rng.uniform(0.5, min(20, ent["created_days"]))
            deadline = self.today + timedelta(days=rng.randint(30, 60))
        elif status is OrderStatus.OPEN:
            # Recent orders are many, old ones few: recency drives the demand reports.
            published_days = max(0.2, min(rng.expovariate(1 / 35), 175, oldest))
            created_days = published_days + rng.uniform(0.5, 3)
            published = self.days_ago(published_days)
            deadline = self.today + timedelta(days=rng.randint(5, 60))
            closed = None
        else:
            published_days = rng.uniform(45, min(180, oldest))
            created_days = published_days + rng.uniform(0.5, 3)
            published = self.days_ago(published_days)
            deadline = (published + timedelta(days=rng.randint(21, 45))).date()
            if deadline >= self.today:
                deadline = self.today - timedelta(days=rng.randint(1, 10))
            closed = datetime.combine(deadline, time(10, 0), tzinfo=UTC)
        start = deadline + timedelta(days=rng.randint(7, 45))
        if kind is OrderKind.TRAINING:
            start = deadline + timedelta(days=rng.randint(30, 90))
        created = self.days_ago(created_days)
        return {
            "organization_id": ent["id"],
            "created_by_id": user_id,
            "kind": kind,
            "title": title,
            "description": self.order_description(
                ent, kind, template, headcount, skills, locality, remote
            ),
            "headcount": headcount,
            "locality": locality,
            "remote": remote,
            "salary_min": salary[0],
            "salary_max": salary[1],
            "start_date": start,
            "deadline": deadline,
            "status": status,
            "published_at": published,
            "closed_at": closed,
            "created_at": created,
            "updated_at": closed or published or created,
        }, skills

    def order_description(self, ent, kind, template, headcount, skills, locality, remote) -> str:
        required = ", ".join(self.skill_term(s) for s, req, _, _ in skills if req)
        nice = ", ".join(self.skill_term(s) for s, req, _, _ in skills if not req)
        place = self.locality_name(locality)
        if kind is OrderKind.JOB:
            lines = [
                f"{ent['name']} cần tuyển {headcount} {template.trainee} "
                f"làm việc tại {place}{' (có thể làm từ xa)' if remote else ''}.",
                f"Yêu cầu: {required}.",
            ]
            if nice:
                lines.append(f"Ưu tiên ứng viên biết: {nice}.")
            lines.append(
                "Quyền lợi: lương tháng 13, bảo hiểm đầy đủ, đào tạo nội bộ, "
                "xét tăng lương hai lần mỗi năm."
            )
        elif kind is OrderKind.INTERNSHIP:
            weeks = self.rng.choice((8, 10, 12))
            lines = [
                f"Chương trình thực tập {weeks} tuần tại {place} dành cho sinh viên năm cuối "
                f"và sinh viên mới tốt nghiệp, có người hướng dẫn riêng.",
                f"Yêu cầu nền tảng: {required}.",
            ]
            if nice:
                lines.append(f"Biết thêm {nice} là lợi thế.")
            lines.append("Có phụ cấp thực tập; thực tập sinh tốt được xem xét tuyển chính thức.")
        else:
            lines = [
                f"{ent['name']} đặt hàng các cơ sở đào tạo trong tỉnh đào tạo {headcount} "
                f"{template.trainee} đạt các kỹ năng: {required}.",
                "Doanh nghiệp cam kết tiếp nhận học viên đạt yêu cầu sau khóa học, hỗ trợ "
                "giảng viên thỉnh giảng và nơi thực hành.",
            ]
            if nice:
                lines.append(f"Nội dung bổ trợ mong muốn: {nice}.")
        return "\n".join(lines)

    # -- pipelines ----------------------------------------------------------------

    def build_applications(self, orders, learners, users) -> tuple[int, int]:
        rng = self.rng
        visible = [m for m in learners if m["visible"]]
        demo_learner = next(m for m in learners if m["demo"])
        s = ApplicationStatus
        # The demo learner's own pipeline: invited to one order, applied to another,
        # interviewing for a third (the demo company's open Java and React orders).
        demo_paths = [[s.SHORTLISTED, s.INVITED], [s.APPLIED], [s.APPLIED, s.INTERVIEW]]
        app_rows, plans = [], []
        for order in orders:
            if order["kind"] is OrderKind.TRAINING or order["status"] in (
                OrderStatus.DRAFT,
                OrderStatus.CANCELLED,
            ):
                continue
            if order["demo"]:
                n = rng.randint(10, 16)
            elif order["status"] is OrderStatus.OPEN:
                n = rng.randint(1, 5)
            else:
                n = rng.randint(2, 6)
            candidates = self.candidates(order, visible, 3 * n)
            picked = rng.sample(candidates, k=min(n, len(candidates)))
            if (
                order["demo"]
                and order["template"] in ("java", "react")
                and (order["status"] is OrderStatus.OPEN and demo_paths)
            ):
                picked = [demo_learner, *[c for c in picked if c is not demo_learner]]
            hired = 0
            for learner in picked:
                path = self.pipeline(order, hired)
                if learner is demo_learner:
                    path = demo_paths.pop(0)
                if path[-1] is ApplicationStatus.HIRED:
                    hired += 1
                plans.append((order, learner, path))
        app_ids_rows = []
        for order, learner, path in plans:
            start = order["published_at"] + timedelta(days=rng.uniform(0.5, 10))
            end = order["closed_at"] or self.now
            if start >= end:
                start = order["published_at"] + (end - order["published_at"]) / 3
            step = (end - start) / (len(path) + 1)
            times = [start + step * k for k in range(len(path))]
            app_ids_rows.append((order, learner, path, times))
            app_rows.append(
                {
                    "order_id": order["id"],
                    "learner_id": learner["id"],
                    "status": path[-1],
                    "message": _application_message(path[0]),
                    "created_at": times[0],
                    "updated_at": times[-1],
                }
            )
        ids = _insert_returning_ids(Application, app_rows)
        event_rows = []
        for app_id, (order, learner, path, times) in zip(ids, app_ids_rows, strict=True):
            previous = None
            for status, at in zip(path, times, strict=True):
                by_learner = status in (ApplicationStatus.APPLIED, ApplicationStatus.WITHDRAWN)
                event_rows.append(
                    {
                        "application_id": app_id,
                        "from_status": previous,
                        "to_status": status,
                        "actor_id": learner["user_id"] if by_learner else users[order["org_code"]],
                        "note": _event_note(status),
                        "created_at": at,
                    }
                )
                previous = status
        _insert(ApplicationEvent, event_rows)
        return len(app_rows), len(event_rows)

    def candidates(self, order, visible, k: int) -> list[dict[str, Any]]:
        """The ``k`` best of a random sample of visible learners by required-skill cover."""
        required = [(s, level) for s, req, level, _ in order["skills"] if req]
        sample = self.rng.sample(visible, k=min(300, len(visible)))

        def cover(learner) -> float:
            have = learner["skills"]
            return sum(min(have.get(s, 0), level) / level for s, level in required)

        sample.sort(key=cover, reverse=True)
        return [m for m in sample[: max(k, 1)] if not m["demo"]]

    def pipeline(self, order, hired: int) -> list[ApplicationStatus]:
        """A plausible history for one application, ending in its current status."""
        s = ApplicationStatus
        rng = self.rng
        if order["status"] is OrderStatus.OPEN:
            end = rng.choices(
                (
                    s.APPLIED,
                    s.SHORTLISTED,
                    s.INVITED,
                    s.INTERVIEW,
                    s.OFFER,
                    s.REJECTED,
                    s.WITHDRAWN,
                ),
                (0.33, 0.2, 0.1, 0.17, 0.06, 0.11, 0.03),
            )[0]
        elif order["status"] is OrderStatus.FILLED and hired < order["headcount"]:
            end = rng.choices((s.HIRED, s.REJECTED, s.WITHDRAWN), (0.6, 0.35, 0.05))[0]
        else:
            end = rng.choices((s.HIRED, s.REJECTED, s.WITHDRAWN), (0.15, 0.75, 0.1))[0]
            if end is s.HIRED and hired >= order["headcount"]:
                end = s.REJECTED
        invited_route = rng.random() < 0.3  # the enterprise found the learner first
        head = [s.SHORTLISTED, s.INVITED, s.APPLIED] if invited_route else [s.APPLIED]
        paths = {
            s.APPLIED: [s.APPLIED],
            s.SHORTLISTED: [s.SHORTLISTED],
            s.INVITED: [s.SHORTLISTED, s.INVITED],
            s.INTERVIEW: [*head, s.INTERVIEW],
            s.OFFER: [*head, s.INTERVIEW, s.OFFER],
            s.HIRED: [*head, s.INTERVIEW, s.OFFER, s.HIRED],
            s.REJECTED: [*head, *([s.INTERVIEW] if rng.random() < 0.4 else []), s.REJECTED],
            s.WITHDRAWN: [*head, s.WITHDRAWN],
        }
        return paths[end]


def _clamp(level: int) -> int:
    return max(1, min(5, level))


def _enterprise_description(name: str, sector: str) -> str:
    what = {
        "software": "phát triển phần mềm, gia công cho khách hàng Nhật Bản và châu Âu",
        "electronics": "lắp ráp linh kiện, bo mạch và thiết bị điện tử",
        "textile": "dệt, may và xuất khẩu hàng may mặc",
        "manufacturing": "cơ khí chế tạo và sản xuất công nghiệp",
        "logistics": "vận tải, kho bãi và giao nhận hàng hóa",
        "finance": "dịch vụ tài chính, tín dụng và bảo hiểm",
        "retail": "bán lẻ và thương mại điện tử",
        "telecom": "hạ tầng viễn thông và dịch vụ Internet",
        "healthcare": "khám chữa bệnh và chăm sóc sức khỏe",
        "education": "giáo dục và nền tảng học trực tuyến",
        "agrifood": "chế biến nông sản, thủy sản",
        "construction": "xây dựng dân dụng và công nghiệp",
        "tourism": "du lịch và lữ hành",
    }.get(sector, "sản xuất và dịch vụ")
    return f"{name} hoạt động trong lĩnh vực {what} (doanh nghiệp hư cấu của dữ liệu demo)."


def _programme_description(prog: dict[str, Any], name_vi) -> str:
    top = sorted(prog["skills"].items(), key=lambda kv: -kv[1])[:6]
    skills = ", ".join(name_vi(s) for s, _ in top)
    return (
        f"Chương trình {prog['name']}: trọng tâm {skills}. "
        f"Chỉ tiêu tuyển sinh {prog['yearly_intake']} mỗi năm."
    )


def _application_message(first: ApplicationStatus) -> str | None:
    if first is ApplicationStatus.APPLIED:
        return "Em xin ứng tuyển vị trí này, mong được quý công ty xem xét hồ sơ."
    return None


_NOTES = {
    ApplicationStatus.SHORTLISTED: "Hồ sơ phù hợp, đưa vào danh sách chọn.",
    ApplicationStatus.INVITED: "Đã gửi lời mời ứng tuyển.",
    ApplicationStatus.INTERVIEW: "Hẹn phỏng vấn trực tiếp tại văn phòng.",
    ApplicationStatus.OFFER: "Đã gửi thư mời nhận việc.",
    ApplicationStatus.HIRED: "Ứng viên đã nhận việc.",
    ApplicationStatus.REJECTED: "Chưa phù hợp với yêu cầu ở thời điểm này.",
    ApplicationStatus.WITHDRAWN: "Ứng viên rút hồ sơ.",
}


def _event_note(status: ApplicationStatus) -> str | None:
    return _NOTES.get(status)
