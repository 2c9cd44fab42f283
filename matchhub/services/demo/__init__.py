"""The demo province: institutions, learners, enterprises, orders and pipelines.

``seed_demo()`` fills an empty database with a realistic Nam Định area: five
training institutions and their programmes (skills derived from a real
university's course lists, ``data/demo/programmes.json``), 1,500 learners of the
current cohort, 60 enterprises in the province's sectors, 150 orders whose skill
mixes follow real job-posting statistics (``data/demo/order_mixes.json``) and a
few hundred applications with their history. Every person and company is
fictional; names, templates and texts are data files in ``matchhub/data/demo/``.

Everything is built in memory from one seeded ``random.Random`` and written with
one bulk INSERT per table in a single transaction, which keeps the seed to a few
seconds on SQLite and PostgreSQL alike.

The parts: ``catalogue`` (the fixed data), ``organisations`` (colleges,
enterprises, staff, programmes), ``learners``, ``orders``, ``pipelines``
(applications and their history) and ``seed`` (the entry point and builder).
"""

from matchhub.services.demo.catalogue import (
    ADMIN_EMAIL,
    COLLEGE_EMAIL,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    ENTERPRISE_EMAIL,
    ENTERPRISES,
    LEARNER_EMAIL,
    SECTOR_TEMPLATES,
    TEMPLATES,
    TRANSVERSAL,
    OrderTemplate,
    _load_all,
)
from matchhub.services.demo.seed import DemoReport, database_is_empty, seed_demo

__all__ = [
    "ADMIN_EMAIL",
    "COLLEGE_EMAIL",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "ENTERPRISES",
    "ENTERPRISE_EMAIL",
    "LEARNER_EMAIL",
    "SECTOR_TEMPLATES",
    "TEMPLATES",
    "TRANSVERSAL",
    "DemoReport",
    "OrderTemplate",
    "_load_all",
    "database_is_empty",
    "seed_demo",
]
