"""The demo's fixed data: logins, enterprises, order templates, word lists and texts.

The lists themselves live in ``matchhub/data/demo/*.json`` so that changing a
company name or a sentence is a data edit; this module only loads and shapes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DEMO_PASSWORD = "matchhub-demo"  # noqa: S105 - published on purpose: it opens the demo only
ADMIN_EMAIL = "admin@demo.vn"
ENTERPRISE_EMAIL = "enterprise@demo.vn"
COLLEGE_EMAIL = "college@demo.vn"
LEARNER_EMAIL = "learner@demo.vn"
ADMIN_NAME = "Trần Minh Đức (Sở Khoa học và Công nghệ)"
DEMO_LOGINS = (ADMIN_EMAIL, ENTERPRISE_EMAIL, COLLEGE_EMAIL, LEARNER_EMAIL)
DEMO_COLLEGE = "NDCT"
N_ORDERS = 150


@cache
def _load(name: str) -> dict[str, Any]:
    data = resources.files("matchhub").joinpath("data", "demo", name)
    return json.loads(data.read_text(encoding="utf-8"))


def _load_all() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return _load("programmes.json"), _load("names.json"), _load("order_mixes.json")


@dataclass(frozen=True)
class OrderTemplate:
    """A kind of order: its job group in the posting statistics and the skills it always asks."""

    key: str
    group: str
    job_title: str  # "Lập trình viên Java (Spring Boot)"
    intern_title: str  # what follows "Thực tập sinh "
    trainee: str  # what follows "Đặt hàng đào tạo N "
    pinned: tuple[str, ...]


_enterprises = _load("enterprises.json")
# Fictional enterprises (code, name, sector, locality).
ENTERPRISES: tuple[tuple[str, str, str, str], ...] = tuple(
    (e["code"], e["name"], e["sector"], e["locality"]) for e in _enterprises["enterprises"]
)
DEMO_ENTERPRISE: str = _enterprises["demo_enterprise"]
PENDING_ENTERPRISES: tuple[str, ...] = tuple(_enterprises["pending"])
REJECTED_ENTERPRISE: tuple[str, str] = (
    _enterprises["rejected"]["code"],
    _enterprises["rejected"]["reason"],
)

_orders = _load("order_templates.json")
TEMPLATES: dict[str, OrderTemplate] = {
    t["key"]: OrderTemplate(**{**t, "pinned": tuple(t["pinned"])}) for t in _orders["templates"]
}
# Which orders each sector places, with weights.
SECTOR_TEMPLATES: dict[str, dict[str, int]] = _orders["sector_templates"]

_people = _load("people.json")
TRANSVERSAL: tuple[tuple[str, float], ...] = tuple((s, p) for s, p in _people["transversal"])
MOBILE_PREFIXES: tuple[str, ...] = tuple(_people["mobile_prefixes"])

TEXTS: dict[str, Any] = _load("texts.json")
CONSENT_PURPOSE: str = TEXTS["consent_purpose"]
