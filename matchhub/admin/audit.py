"""The audit log: search by actor, organisation, action and dates; export as CSV."""

from datetime import date

from flask import Response, render_template, request
from flask_login import current_user

from matchhub.admin import bp
from matchhub.audit_labels import action_kind_label, action_label, object_label
from matchhub.services import audit, exports


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _search() -> audit.Search:
    return audit.Search(
        actor=request.args.get("actor", "").strip() or None,
        organization=request.args.get("org", "").strip() or None,
        action=request.args.get("action", "").strip() or None,
        date_from=_date("from"),
        date_to=_date("to"),
    )


@bp.route("/audit")
def audit_list():
    search = _search()
    actions = audit.actions()
    pagination = audit.search_events(search, page=request.args.get("page", 1, type=int))
    return render_template(
        "admin/audit_list.html",
        pagination=pagination,
        search=search,
        actions=actions,
        action_kinds=sorted({a.split(".", 1)[0] for a in actions}),
        org_names=audit.organization_names(
            {e.organization_id for e in pagination.items if e.organization_id}
        ),
        action_label=action_label,
        action_kind_label=action_kind_label,
        object_label=object_label,
    )


@bp.route("/audit/export")
def audit_export():
    data = audit.export_csv(current_user, _search())
    return Response(
        data,
        mimetype=exports.MIMETYPES["csv"],
        headers={"Content-Disposition": 'attachment; filename="matchhub-audit.csv"'},
    )
