"""The province dashboard: supply against demand, fill and placement, with exports."""

from flask import Response, abort, render_template, request
from flask_login import current_user

from matchhub.admin import bp
from matchhub.i18n import current_lang
from matchhub.services import province, province_tables

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


def _filters() -> province.Filters:
    period = request.args.get("period", province.DEFAULT_PERIOD)
    if period not in province.PERIODS:
        period = province.DEFAULT_PERIOD
    year = request.args.get("year", type=int)
    return province.Filters(period=period, graduation_year=year)


def _chart_data(tables) -> dict:
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


@bp.route("/province")
def province_report():
    filters = _filters()
    rep = province.report(filters)
    tables = province_tables.tables(rep, current_lang())
    return render_template(
        "admin/province_report.html",
        rep=rep,
        tables=tables,
        chart_data=_chart_data(tables),
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
