"""The province dashboard's tables: what the page shows under each chart and what its
CSV/XLSX exports contain, translated, built from a :class:`province.Report`.

Kept apart from :mod:`matchhub.services.province`, which computes the figures in SQL:
this module only words and lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import User
from matchhub.services import audit, exports
from matchhub.services.localities import name_of
from matchhub.services.orgs import sector_name
from matchhub.services.province import Filters, Report, report

# For each chart: the table it draws, the column of its labels, the columns it plots,
# and whether its bars lie horizontally (long labels such as skill names).
CHARTS = {
    # Demand and supply side by side on a log scale: they differ by orders of magnitude,
    # and a skill nobody has (ratio ∞) still shows as a demand bar with no supply bar.
    "gap": (0, (1, 2), True),
    "supply_skill": (0, (1,), True),
    "supply_college": (0, (1,), True),
    "supply_programme": (1, (2,), True),
    "supply_year": (0, (1,), False),
    "demand_skill": (0, (1,), True),
    "demand_sector": (0, (2,), True),
    "demand_locality": (0, (2,), True),
    "placement_college": (0, (3,), True),
    "placement_programme": (1, (4,), True),
}
# Charts keep to the first rows; the table under each chart has them all.
CHART_ROWS = 20


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[object]]


def tables(rep: Report, lang: str) -> dict[str, Table]:
    """Every table of the dashboard, translated, keyed by a stable id (used by exports)."""
    flags = {"shortage": _("shortage"), "balanced": _("balanced"), "surplus": _("surplus")}
    items = [
        Table(
            "gap",
            _("Skill gap: demand against supply"),
            [
                _("Skill"),
                _("Positions demanded"),
                _("Learners with the skill"),
                _("Positions per learner"),
                _("Status"),
            ],
            [
                [
                    g.skill.name(lang),
                    g.demand,
                    g.supply,
                    round(g.ratio, 3) if g.ratio is not None else None,
                    flags[g.flag],
                ]
                for g in rep.gaps
            ],
        ),
        Table(
            "supply_skill",
            _("Supply: learners by skill"),
            [_("Skill"), _("Learners")],
            [[s.name(lang), n] for s, n in rep.supply_by_skill],
        ),
        Table(
            "supply_college",
            _("Supply: learners by training institution"),
            [_("Training institution"), _("Learners")],
            [[name, n] for name, n in rep.supply_by_college],
        ),
        Table(
            "supply_programme",
            _("Supply: learners by programme"),
            [_("Training institution"), _("Programme"), _("Learners")],
            [[c, p, n] for c, p, n in rep.supply_by_programme],
        ),
        Table(
            "supply_year",
            _("Supply: learners by graduation year"),
            [_("Graduation year"), _("Learners")],
            # A year is a label, not a quantity: never "2.025".
            [[str(y) if y is not None else "—", n] for y, n in rep.supply_by_year],
        ),
        Table(
            "demand_skill",
            _("Demand: positions by required skill"),
            [_("Skill"), _("Positions")],
            [[s.name(lang), n] for s, n in rep.demand_by_skill],
        ),
        Table(
            "demand_sector",
            _("Demand by sector"),
            [_("Sector"), _("Orders"), _("Positions")],
            [[sector_name(s) or "—", o, p] for s, o, p in rep.demand_by_sector],
        ),
        Table(
            "demand_locality",
            _("Demand by locality"),
            [_("Locality"), _("Orders"), _("Positions")],
            [[name_of(loc) or "—", o, p] for loc, o, p in rep.demand_by_locality],
        ),
        Table(
            "placement_college",
            _("Placement rate by training institution"),
            [_("Training institution"), _("Learners"), _("Hired"), _("Placement rate")],
            [[c, n, p, round(r, 4)] for c, n, p, r in rep.placement_by_college],
        ),
        Table(
            "placement_programme",
            _("Placement rate by programme"),
            [
                _("Training institution"),
                _("Programme"),
                _("Learners"),
                _("Hired"),
                _("Placement rate"),
            ],
            [[c, pr, n, p, round(r, 4)] for c, pr, n, p, r in rep.placement_by_programme],
        ),
    ]
    return {t.key: t for t in items}


def chart_data(tables: dict[str, Table]) -> dict:
    """What each chart draws (the dashboard's Chart.js and the DOCX report's images)."""
    data = {}
    for key, (label_col, value_cols, horizontal) in CHARTS.items():
        table = tables[key]
        rows = table.rows[:CHART_ROWS]
        data[key] = {
            "horizontal": horizontal,
            "percent": key.startswith("placement"),
            "log": key == "gap",
            "labels": [str(r[label_col]) for r in rows],
            "datasets": [
                {"label": table.headers[c], "data": [r[c] or 0 for r in rows]} for c in value_cols
            ],
        }
    return data


def export_table(
    admin: User, filters: Filters, key: str, fmt: str, lang: str
) -> tuple[str, bytes, str] | None:
    """One dashboard table as a CSV or XLSX file: (file name, bytes, MIME type); audited.

    ``None`` for an unknown table or format.
    """
    if fmt not in ("csv", "xlsx"):
        return None
    table = tables(report(filters), lang).get(key)
    if table is None:
        return None
    name = f"matchhub-{key}-{filters.period}"
    data, mime = exports.table_file(fmt, table.headers, table.rows, table.title)
    record_export(admin, filters, key, fmt, rows=len(table.rows))
    return f"{name}.{fmt}", data, mime


def record_export(
    admin: User, filters: Filters, table: str, fmt: str, rows: int | None = None
) -> None:
    """Audit one export of the dashboard (a table, or the whole report as a document)."""
    details = {"rows": rows} if rows is not None else {}
    audit.record(
        "export.province",
        actor=admin,
        table=table,
        format=fmt,
        period=filters.period,
        graduation_year=filters.graduation_year,
        **details,
    )
    db.session.commit()
