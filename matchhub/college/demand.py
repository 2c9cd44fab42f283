"""The province's skill demand, curriculum gaps per programme, and their exports."""

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchhub.college import bp
from matchhub.i18n import current_lang, skill_name
from matchhub.labels import label
from matchhub.models import OrderKind
from matchhub.reports import build
from matchhub.reports import docx as docx_report
from matchhub.reports.college import month_labels
from matchhub.reports.routes import download
from matchhub.services import (
    demand,
    exports,
    learners,
    localities,
    orgs,
    programmes,
)
from matchhub.services.localities import name_of as locality_name
from matchhub.services.orgs import sector_name


def _chart_data(report: demand.DemandReport, months: list[str]) -> dict:
    """What the charts draw; the same figures are in the tables beside them."""
    return {
        "skills": {
            "label": _("Weighted demand"),
            "labels": [skill_name(r.skill) for r in report.skills],
            "values": [round(r.demand, 2) for r in report.skills],
        },
        "trend": {
            "labels": months,
            "datasets": [
                {"label": skill_name(skill), "data": values} for skill, values in report.trend
            ],
        },
        "sectors": {
            "label": _("Weighted demand"),
            "labels": [sector_name(r.key) or _("Other") for r in report.sectors],
            "values": [round(r.demand, 2) for r in report.sectors],
        },
        "localities": {
            "label": _("Weighted demand"),
            "labels": [locality_name(r.key) or _("Not stated") for r in report.localities],
            "values": [round(r.demand, 2) for r in report.localities],
        },
    }


def _filters() -> demand.DemandFilters:
    """The report's filters from the query string; a value not in its list means "all"
    (the selects offer only known ones)."""

    def known(name: str, allowed) -> str | None:
        value = request.args.get(name, "")
        return value if value in allowed else None

    period = known("period", demand.PERIODS) or demand.DEFAULT_PERIOD
    return demand.DemandFilters(
        kind=known("kind", {k.value for k in OrderKind}),
        sector=known("sector", orgs.SECTORS),
        locality=known("locality", set(localities.locality_codes())),
        months=demand.months_of(period),
    )


def _period_choices() -> list[tuple[str, str]]:
    return [
        (p, ngettext("Last %(num)s month", "Last %(num)s months", int(p)) if p != "all"
         else _("All open orders"))
        for p in demand.PERIODS
    ]  # fmt: skip


@bp.route("/demand")
def demand_report():
    filters = _filters()
    report = demand.demand_report(current_user.organization, filters=filters)
    months = month_labels(report.months, report.today)
    return render_template(
        "college/demand_report.html",
        report=report,
        months=months,
        chart_data=_chart_data(report, months),
        filters=filters,
        periods=_period_choices(),
        kinds=[(k.value, label(k)) for k in OrderKind],
        sectors=orgs.sector_choices(),
        localities=localities.choices(),
    )


@bp.route("/demand.<any(csv, xlsx):fmt>")
def demand_export(fmt: str):
    report = demand.demand_report(current_user.organization, filters=_filters())
    headers = [
        _("Skill"),
        _("Weighted demand"),
        _("Share of demand"),
        _("Orders"),
        _("Level asked"),
        _("My programmes teaching it"),
    ]
    rows = [
        [
            skill_name(r.skill),
            round(r.demand, 2),
            round(r.share, 4),
            r.orders,
            r.level,
            "; ".join(f"{p.name} ({level}/5)" for p, level in r.programmes),
        ]
        for r in report.skills
    ]
    name = f"demand-{report.today.isoformat()}.{fmt}"
    body, mimetype = exports.table_file(fmt, headers, rows, _("Demand"))
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


def _document() -> docx_report.Report:
    """The report as it stands under the page's filters, as a document to send upward."""
    return build.document("demand", current_user, build.demand_params(_filters()), current_lang())


def _filter_args() -> dict:
    """The page's filters as its query string names them (for the print page's links)."""
    filters = _filters()
    args = {"kind": filters.kind, "sector": filters.sector, "locality": filters.locality}
    if filters.months:
        args["period"] = filters.period
    return {k: v for k, v in args.items() if v}


@bp.route("/demand.docx")
def demand_docx():
    return download("demand", build.demand_params(_filters()))


@bp.route("/demand/print")
def demand_print():
    return render_template(
        "reports/print.html",
        report=_document(),
        back=url_for("college.demand_report", **_filter_args()),
        docx=url_for("college.demand_docx", **_filter_args()),
    )


@bp.route("/gaps")
def gap_list():
    programmes = learners.programmes_of(current_user.organization)
    return render_template("college/gap_list.html", overview=demand.gap_overview(programmes))


@bp.route("/programmes/<int:programme_id>/gaps")
def gap_detail(programme_id: int):
    programme = programmes.readable(current_user, programme_id)
    return render_template("college/gap_detail.html", gaps=demand.programme_gap_report(programme))
