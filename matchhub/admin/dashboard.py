"""The province dashboard: supply against demand, fill and placement, with exports."""

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user

from matchhub.admin import bp
from matchhub.i18n import current_lang
from matchhub.reports import build
from matchhub.reports.routes import download
from matchhub.services import province, province_tables


def _filters() -> province.Filters:
    period = request.args.get("period", province.DEFAULT_PERIOD)
    if period not in province.PERIODS:
        period = province.DEFAULT_PERIOD
    year = request.args.get("year", type=int)
    return province.Filters(period=period, graduation_year=year)


@bp.route("/province")
def province_report():
    filters = _filters()
    rep = province.report(filters)
    tables = province_tables.tables(rep, current_lang())
    return render_template(
        "admin/province_report.html",
        rep=rep,
        tables=tables,
        chart_data=province_tables.chart_data(tables),
        filters=filters,
        periods=province.PERIODS,
        years=province.graduation_years(),
        shortage_at=province.SHORTAGE_AT,
        surplus_below=province.SURPLUS_BELOW,
    )


@bp.route("/province/export")
def province_export():
    result = province_tables.export_table(
        current_user,
        _filters(),
        request.args.get("table", ""),
        request.args.get("format", "csv"),
        current_lang(),
    )
    if result is None:
        abort(404)
    filename, data, mime = result
    return Response(
        data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _filter_args() -> dict:
    return {k: request.args[k] for k in ("period", "year") if request.args.get(k)}


@bp.route("/province/report.docx")
def province_docx():
    filters = _filters()
    province_tables.record_export(current_user, filters, "report", "docx")
    return download("province", build.province_params(filters))


@bp.route("/province/print")
def province_print():
    params = build.province_params(_filters())
    return render_template(
        "reports/print.html",
        report=build.document("province", current_user, params, current_lang()),
        back=url_for("admin.province_report", **_filter_args()),
        docx=url_for("admin.province_docx", **_filter_args()),
    )
