"""The one place a report's document is built from (kind, who asks, filters): for its
print page, its DOCX download, and the job that builds the DOCX when a queue runs.

``params`` are the page's filters as JSON (a job carries them): the province's period
and graduation year, a college's demand filters; the outcome report has none. A
college's reports are always of the asking user's own organisation.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from matchhub.models import User
from matchhub.reports import college as reports_college
from matchhub.reports import province as reports_province
from matchhub.reports.docx import Report
from matchhub.services import demand, province


def province_params(filters: province.Filters) -> dict[str, Any]:
    return {"period": filters.period, "graduation_year": filters.graduation_year}


def demand_params(filters: demand.DemandFilters) -> dict[str, Any]:
    return asdict(filters)


def document(kind: str, user: User, params: dict[str, Any], lang: str) -> Report:
    """Report ``kind`` as ``user`` may see it, under ``params``, in ``lang``'s words
    (the caller's locale). Raises KeyError for an unknown kind."""
    if kind == "province":
        filters = province.Filters(
            period=params.get("period", province.DEFAULT_PERIOD),
            graduation_year=params.get("graduation_year"),
        )
        return reports_province.province_document(filters, lang)
    college = user.organization
    if kind == "demand":
        filters = demand.DemandFilters(**params)
        report = demand.demand_report(college, filters=filters)
        months = reports_college.month_labels(report.months, report.today)
        return reports_college.demand_document(college, filters, report, months, lang)
    if kind == "outcomes":
        return reports_college.outcome_document(college, lang)
    raise KeyError(kind)
