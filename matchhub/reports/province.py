"""What the reports sent upward say: the province dashboard here, a college's demand and
outcome reports in :mod:`matchhub.reports.college`, as :class:`~matchhub.reports.docx.Report`
documents in the request's language.

Every figure comes from the service the page itself reads (``province.report`` and its
tables, ``demand.demand_report``, ``outcomes.outcomes_of``) and is written the way the
page writes it, so the document, its print page and the screen agree.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from matchhub.i18n import _fmt_date, _fmt_number, _fmt_percent, skill_name
from matchhub.reports.charts import Chart
from matchhub.reports.docx import Report, Section, Table
from matchhub.services import province, province_tables
from matchhub.services.localities import province_info
from matchhub.services.orders import today_in_vietnam

# The dashboard's tables in the document, by section; with the columns shown as shares.
PROVINCE_SECTIONS = (
    ("demand", ("demand_skill", "demand_sector", "demand_locality")),
    ("supply", ("supply_skill", "supply_college", "supply_programme", "supply_year")),
    ("placement", ("placement_college", "placement_programme")),
)
_VN = ZoneInfo("Asia/Ho_Chi_Minh")
PERCENT_COLUMNS = {"placement_college": {3}, "placement_programme": {4}}


def _cell(value, percent: bool = False) -> str:
    if value is None:
        return "—"
    if percent:
        return _fmt_percent(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return _fmt_number(value)


def _capital(text: str) -> str:
    """The page's lower-case labels ("người học") as a table's row heads."""
    return text[:1].upper() + text[1:]


def _numeric(rows: list[list]) -> frozenset[int]:
    """Columns holding numbers (aligned right, as on the page)."""
    if not rows:
        return frozenset()
    return frozenset(
        i for i, v in enumerate(rows[0]) if isinstance(v, int | float) and not isinstance(v, bool)
    )


def header(lang: str, issuer: str | None = None) -> dict:
    """The header block: the province office's, or a college's (``issuer``)."""
    info = province_info(lang)
    place = info["place"] or info["name"]
    if issuer is not None:
        return {"authority": "", "issuer": issuer.upper(), "place": place}
    return {
        "authority": (info["authority"] or info["name"]).upper(),
        "issuer": (info["office"] or _("Province office")).upper(),
        "place": place,
    }


def _chart_from(spec: dict, title: str, lang: str) -> Chart:
    """A chart from the dashboard's chart data (``province_tables.chart_data``)."""
    return Chart(
        title=title,
        labels=spec["labels"],
        series=[(d["label"], d["data"]) for d in spec["datasets"]],
        kind="barh" if spec["horizontal"] else "bar",
        percent=spec["percent"],
        log=spec["log"],
        lang=lang,
    )


# --- the province dashboard ---


def _province_period(filters: province.Filters, today: date) -> str:
    start, _end = filters.bounds()
    if start is None:
        period = _("Period: all time, up to %(end)s", end=_fmt_date(today))
    else:
        first = start.astimezone(_VN).date()
        period = _("Period: %(start)s to %(end)s", start=_fmt_date(first), end=_fmt_date(today))
    cohort = (
        _("graduation year: %(year)s", year=str(filters.graduation_year))
        if filters.graduation_year
        else _("graduation year: all")
    )
    return f"{period}; {cohort}"


def province_document(filters: province.Filters, lang: str) -> Report:
    """The province dashboard for ``filters`` as a report to the province's leadership."""
    today = filters.today or today_in_vietnam()
    rep = province.report(filters)
    tables = province_tables.tables(rep, lang)
    charts = province_tables.chart_data(tables)

    def table_and_chart(key: str) -> list:
        t = tables[key]
        if not t.rows:
            return [t.title, _("No data for these filters.")]
        percent = PERCENT_COLUMNS.get(key, set())
        rows = [[_cell(v, i in percent) for i, v in enumerate(r)] for r in t.rows]
        return [
            _chart_from(charts[key], t.title, lang),
            Table(t.title, t.headers, rows, _numeric(t.rows)),
        ]

    days = rep.median_days_to_fill
    key_figures = Table(
        _("Key figures"),
        [_("Indicator"), _("Value")],
        [
            [_capital(_("learners")), _fmt_number(rep.learners)],
            [_capital(_("positions open during the period")), _fmt_number(rep.positions)],
            [
                _capital(_("fill rate (hired ÷ positions)")),
                _fmt_percent(rep.fill_rate) if rep.fill_rate is not None else "—",
            ],
            [
                _capital(_("median time to fill")),
                _("%(days)s days", days=_fmt_number(days)) if days is not None else "—",
            ],
            [_capital(_("orders filled in the period")), _fmt_number(rep.filled_orders)],
        ],
        frozenset({1}),
    )
    short = [skill_name(g.skill) for g in rep.gaps if g.flag == "shortage"][:5]
    overview = [key_figures]
    if short:
        overview.insert(0, _("Skills in shortest supply: %(skills)s.", skills=", ".join(short)))

    gap = tables["gap"]
    gap_rows = [
        [
            skill_name(g.skill),
            _fmt_number(g.demand),
            _fmt_number(g.supply),
            _fmt_number(g.ratio, "#,##0.00") if g.ratio is not None else "∞",
            gap.rows[i][4],
        ]
        for i, g in enumerate(rep.gaps)
    ]
    gap_blocks = (
        [
            _chart_from(charts["gap"], gap.title, lang),
            Table(gap.title, gap.headers, gap_rows, frozenset({1, 2, 3})),
        ]
        if gap_rows
        else [_("No data for these filters.")]
    )
    titles = {
        "demand": _("Demand for skills"),
        "supply": _("Supply of trained learners"),
        "placement": _("Placement of learners"),
    }
    sections = [
        Section(_("Key figures"), overview),
        Section(gap.title, gap_blocks),
        *(
            Section(titles[name], [b for key in keys for b in table_and_chart(key)])
            for name, keys in PROVINCE_SECTIONS
        ),
        Section(
            _("How these figures are computed"),
            [
                _(
                    "Supply: learners who list a skill, at any level. The graduation year "
                    "filters it; the period does not."
                ),
                _(
                    "Demand: positions of the orders that require a skill and were open "
                    "during the period."
                ),
                _(
                    "Gap: positions per learner with the skill. Shortage from %(shortage)s up "
                    "(or no learner has it), surplus below %(surplus)s, balanced between.",
                    shortage=_fmt_number(province.SHORTAGE_AT),
                    surplus=_fmt_number(province.SURPLUS_BELOW),
                ),
                _(
                    "Fill rate: hired applications ÷ positions of the orders open during the "
                    "period. Time to fill: publication to filled, for orders filled during "
                    "the period."
                ),
                _("Placement rate: learners with a hire during the period ÷ learners."),
            ],
        ),
    ]
    return Report(
        **header(lang),
        day=today,
        title=_("REPORT"),
        subject=_("Skill supply and demand in the province"),
        period=_province_period(filters, today),
        sections=sections,
        filename=f"matchhub-province-report-{filters.period}-{today.isoformat()}.docx",
        signer=_("HEAD OF THE ISSUING BODY"),
        lang=lang,
    )
