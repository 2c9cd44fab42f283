"""Placement outcomes of the college's learners, on screen and exported."""

import io

from flask import Response, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.college import bp
from matchhub.i18n import current_lang
from matchhub.labels import label
from matchhub.models import ApplicationStatus
from matchhub.services import exports, outcomes, report_college, report_docx


@bp.route("/outcomes")
def outcome_report():
    return render_template(
        "college/outcome_report.html",
        cohorts=outcomes.outcomes_of(current_user.organization),
        statuses=list(ApplicationStatus),
    )


@bp.route("/outcomes.<any(csv, xlsx):fmt>")
def outcome_export(fmt: str):
    cohorts = outcomes.outcomes_of(current_user.organization)
    statuses = list(ApplicationStatus)
    headers = [
        _("Programme"),
        _("Graduation year"),
        _("Learners"),
        *[label(s) for s in statuses],
        _("Hired learners"),
        _("Placement rate"),
    ]
    rows = [
        [
            c.programme.name if c.programme else _("No programme"),
            c.year or "",
            c.learners,
            *[c.statuses.get(s, 0) for s in statuses],
            c.hired_learners,
            round(c.placement_rate, 4),
        ]
        for c in cohorts
    ]
    body, mimetype = exports.table_file(fmt, headers, rows, _("Outcomes"))
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename=outcomes.{fmt}"},
    )


@bp.route("/outcomes.docx")
def outcome_docx():
    document = report_college.outcome_document(current_user.organization, current_lang())
    return send_file(
        io.BytesIO(report_docx.to_docx(document)),
        mimetype=report_docx.DOCX_MIME,
        as_attachment=True,
        download_name=document.filename,
    )


@bp.route("/outcomes/print")
def outcome_print():
    return render_template(
        "reports/print.html",
        report=report_college.outcome_document(current_user.organization, current_lang()),
        back=url_for("college.outcome_report"),
        docx=url_for("college.outcome_docx"),
    )
