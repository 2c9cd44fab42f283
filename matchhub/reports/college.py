"""A college's reports sent upward: its demand report and its outcome report, as
:class:`~matchhub.reports.docx.Report` documents (the province's is in
:mod:`matchhub.reports.province`)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from matchhub.i18n import _fmt_date, _fmt_number, _fmt_percent, _ngettext, skill_name
from matchhub.labels import label
from matchhub.models import ApplicationStatus, OrderKind, Organization, Situation
from matchhub.reports.charts import Chart
from matchhub.reports.docx import Report, Section, Table
from matchhub.reports.province import header
from matchhub.services import demand, outcomes
from matchhub.services.localities import name_of as locality_name
from matchhub.services.orders import today_in_vietnam
from matchhub.services.orgs import sector_name

# --- a college's demand report ---


def month_labels(months: list[str], today: date) -> list[str]:
    """ "MM/YYYY" for each "YYYY-MM", the current month marked as counted only so far:
    its bar is not a drop in demand, the month is not over."""
    labels = [f"{m[5:]}/{m[:4]}" for m in months]
    if months and months[-1] == today.strftime("%Y-%m"):
        labels[-1] = _(
            "%(month)s (to %(day)s, month not over)", month=labels[-1], day=today.strftime("%d/%m")
        )
    return labels


def _demand_filters(filters: demand.DemandFilters) -> str:
    kind = label(OrderKind(filters.kind)) if filters.kind else _("All kinds")
    sector = sector_name(filters.sector) if filters.sector else _("All sectors")
    locality = locality_name(filters.locality) if filters.locality else _("All localities")
    return _(
        "Orders counted: %(kind)s; %(sector)s; %(locality)s.",
        kind=kind,
        sector=sector,
        locality=locality,
    )


def _split(rows: list[demand.SplitRow], name_of, fallback: str, key_label: str, title: str, lang):
    if not rows:
        return []
    names = [name_of(r.key) or fallback for r in rows]
    chart = Chart(
        title,
        names,
        [(_("Weighted demand"), [round(r.demand, 2) for r in rows])],
        lang=lang,
    )
    table = Table(
        title,
        [key_label, _("Orders"), _("Demand"), _("Top skills")],
        [
            [
                name,
                _fmt_number(r.orders),
                _fmt_number(r.demand, "0.0"),
                ", ".join(skill_name(s) for s in r.top_skills) or "—",
            ]
            for name, r in zip(names, rows, strict=True)
        ],
        frozenset({1, 2}),
    )
    return [chart, table]


def demand_document(
    college: Organization,
    filters: demand.DemandFilters,
    report: demand.DemandReport,
    months: list[str],
    lang: str,
) -> Report:
    """A college's demand report (``report``, with its months worded as the page words
    them) as a document for its leadership or the province."""
    overview = [
        _ngettext(
            "%(num)s open order of verified enterprises.",
            "%(num)s open orders of verified enterprises.",
            report.orders,
        ),
        _(
            "Each order counts for its number of positions, halved for every 90 days since "
            "it was published; a nice-to-have skill counts half."
        ),
        _demand_filters(filters),
    ]
    if report.since:
        overview.insert(1, _("Only orders published since %(day)s.", day=_fmt_date(report.since)))
    sections = [Section(_("Overview"), overview)]
    if not report.skills:
        overview.append(_("No open order names a skill yet."))
    else:
        title = _("Most demanded skills")
        sections.append(
            Section(
                title,
                [
                    Chart(
                        title,
                        [skill_name(r.skill) for r in report.skills],
                        [(_("Weighted demand"), [round(r.demand, 2) for r in report.skills])],
                        lang=lang,
                    ),
                    Table(
                        title,
                        [
                            _("Skill"),
                            _("Demand"),
                            _("Share"),
                            _("Orders"),
                            _("Level asked"),
                            _("My programmes teaching it"),
                        ],
                        [
                            [
                                skill_name(r.skill),
                                _fmt_number(r.demand, "0.0"),
                                _fmt_percent(r.share),
                                _fmt_number(r.orders),
                                f"{r.level}/5",
                                "; ".join(f"{p.name} ({lvl}/5)" for p, lvl in r.programmes)
                                or _("none"),
                            ]
                            for r in report.skills
                        ],
                        frozenset({1, 2, 3}),
                    ),
                ],
            )
        )
        title = _("Trend by month (positions in orders published that month)")
        trend = [
            Chart(
                title,
                months,
                [(skill_name(s), values) for s, values in report.trend],
                kind="line",
                lang=lang,
            ),
            Table(
                title,
                [_("Month"), *(skill_name(s) for s, _v in report.trend)],
                [
                    [month, *(_fmt_number(values[i]) for _s, values in report.trend)]
                    for i, month in enumerate(months)
                ],
                frozenset(range(1, len(report.trend) + 1)),
            ),
        ]
        sections.append(Section(title, trend))
        for key_label, rows, name_of, fallback, title in (
            (_("Sector"), report.sectors, sector_name, _("Other"), _("By sector")),
            (_("Locality"), report.localities, locality_name, _("Not stated"), _("By locality")),
        ):
            sections.append(Section(title, _split(rows, name_of, fallback, key_label, title, lang)))
    return Report(
        **header(lang, college.name),
        day=report.today,
        title=_("REPORT"),
        subject=_("Skills in demand across the province"),
        period=(
            _(
                "Open orders published from %(start)s to %(end)s.",
                start=_fmt_date(report.since),
                end=_fmt_date(report.today),
            )
            if report.since
            else _(
                "Open orders as of %(date)s; monthly trend over the last 12 months.",
                date=_fmt_date(report.today),
            )
        ),
        sections=sections,
        filename=f"matchhub-demand-report-{report.today.isoformat()}.docx",
        signer=_("HEAD OF THE UNIT"),
        lang=lang,
    )


# --- a college's outcome report ---


def outcome_document(college: Organization, lang: str, today: date | None = None) -> Report:
    """Where the college's learners went (``outcomes.outcomes_of``), as a document."""
    today = today or today_in_vietnam()
    cohorts = outcomes.outcomes_of(college)
    statuses = list(ApplicationStatus)
    learners = sum(c.learners for c in cohorts)
    hired = sum(c.hired_learners for c in cohorts)
    overview = [
        _(
            "Applications per status for each programme and cohort (graduation year); the "
            "placement rate is the share of the cohort hired at least once."
        ),
        _(
            "%(learners)s learners, of whom %(hired)s were hired at least once (%(rate)s).",
            learners=_fmt_number(learners),
            hired=_fmt_number(hired),
            rate=_fmt_percent(hired / learners if learners else 0),
        ),
    ]
    sections = [Section(_("Overview"), overview)]
    if cohorts:
        # By programme id: two programmes may share a name (at different levels).
        by_programme: dict[int | None, list] = {}
        for c in cohorts:
            name = c.programme.name if c.programme else _("No programme")
            acc = by_programme.setdefault(c.programme.id if c.programme else None, [name, 0, 0])
            acc[1] += c.learners
            acc[2] += c.hired_learners
        names = [name for name, _n, _h in by_programme.values()]
        rates = [h / n if n else 0.0 for _name, n, h in by_programme.values()]
        title = _("Placement rate by programme")
        sections.append(
            Section(
                title,
                [
                    Chart(title, names, [(_("Placement rate"), rates)], percent=True, lang=lang),
                    Table(
                        title,
                        [_("Programme"), _("Learners"), _("Hired learners"), _("Placement rate")],
                        [
                            [name, _fmt_number(n), _fmt_number(h), _fmt_percent(rate)]
                            for (name, n, h), rate in zip(by_programme.values(), rates, strict=True)
                        ],
                        frozenset({1, 2, 3}),
                    ),
                ],
            )
        )
        title = _("Outcomes by programme and cohort")
        sections.append(
            Section(
                title,
                [
                    Table(
                        title,
                        [
                            _("Programme"),
                            _("Cohort"),
                            _("Learners"),
                            *(label(s) for s in statuses),
                            _("Hired learners"),
                            _("Placement rate"),
                        ],
                        [
                            [
                                c.programme.name if c.programme else _("No programme"),
                                str(c.year) if c.year else "—",
                                _fmt_number(c.learners),
                                *(_fmt_number(c.statuses.get(s, 0)) for s in statuses),
                                _fmt_number(c.hired_learners),
                                _fmt_percent(c.placement_rate),
                            ]
                            for c in cohorts
                        ],
                        frozenset(range(2, len(statuses) + 5)),
                    )
                ],
            )
        )
    else:
        overview.append(_("No learner yet."))
    sections.extend(_graduate_sections(outcomes.graduate_report(college)))
    return Report(
        **header(lang, college.name),
        day=today,
        title=_("REPORT"),
        subject=_("Placement outcomes of the college's learners"),
        period=_("Figures as of %(date)s, every cohort of the college.", date=_fmt_date(today)),
        sections=sections,
        filename=f"matchhub-outcome-report-{today.isoformat()}.docx",
        signer=_("HEAD OF THE UNIT"),
        lang=lang,
    )


def _rate_text(rate: float | None) -> str:
    return _fmt_percent(rate) if rate is not None else "—"


def _graduate_sections(report: outcomes.GraduateReport) -> list[Section]:
    """The graduates' own answers 6 and 12 months after graduating (or the college's
    record of them), as the outcomes page shows them: by wave, by programme, and the
    skills of those employed against those still seeking."""
    situations = list(Situation)
    title = _("Graduates 6 and 12 months after graduation")
    if not report.any:
        return [Section(title, [_("No graduate has answered the survey yet.")])]
    counts = list(range(1, len(situations) + 4))
    sections = [
        Section(
            title,
            [
                _(
                    "Each graduate is asked, by a survey link or through the college, what "
                    "they do 6 and 12 months after graduating."
                ),
                Table(
                    title,
                    [
                        _("Months after graduation"),
                        _("Surveys sent"),
                        _("Answers"),
                        *(label(s) for s in situations),
                        _("Employment rate"),
                    ],
                    [
                        [
                            str(w.wave),
                            _fmt_number(w.surveyed),
                            _fmt_number(w.answered),
                            *(_fmt_number(w.situations.get(s, 0)) for s in situations),
                            _rate_text(w.employment_rate),
                        ]
                        for w in report.waves
                    ],
                    frozenset(counts),
                ),
            ],
        )
    ]
    if report.programmes:
        title = _("Placement by programme")
        sections.append(
            Section(
                title,
                [
                    Table(
                        title,
                        [
                            _("Programme"),
                            _("Months after graduation"),
                            _("Answers"),
                            _("Employment rate"),
                            _("In-field rate"),
                        ],
                        [
                            [
                                r.programme.name if r.programme else _("No programme"),
                                str(r.wave),
                                _fmt_number(r.answered),
                                _rate_text(r.employment_rate),
                                _rate_text(r.in_field_rate),
                            ]
                            for r in report.programmes
                        ],
                        frozenset({1, 2, 3, 4}),
                    )
                ],
            )
        )
    if report.skills:
        title = _("Skills of graduates")
        sections.append(
            Section(
                title,
                [
                    _(
                        "Each graduate counts once, at their latest answer: %(employed)s "
                        "employed, %(seeking)s still seeking.",
                        employed=_fmt_number(report.employed),
                        seeking=_fmt_number(report.seeking),
                    ),
                    Table(
                        title,
                        [_("Skill"), _("Share of the employed"), _("Share of those seeking")],
                        [
                            [
                                skill_name(r.skill),
                                _fmt_percent(r.employed_share),
                                _fmt_percent(r.seeking_share),
                            ]
                            for r in report.skills
                        ],
                        frozenset({1, 2}),
                    ),
                ],
            )
        )
    return sections
