"""A college's cohort import by another system: upload → preview → commit.

The steps of the import page (:mod:`matchhub.services.imports`): the upload is kept
server-side and previewed, row by row, before anything is written; the commit writes
the stored file in one transaction, and only once: the upload is gone afterwards.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from matchhub.api import bp, error, inputs, schemas, writes
from matchhub.models import Role
from matchhub.security import require
from matchhub.services import ServiceError, imports

#: Issues listed in a preview; the counts give the rest.
MAX_ISSUES = 1000


def _college():
    require(Role.COLLEGE)
    return current_user.organization


def _issues(issues) -> list:
    return list(issues[:MAX_ISSUES])


def _preview(token: str):
    """The preview's body, or a 404 answer when the college has no such upload."""
    try:
        preview = imports.preview_upload(_college(), token)
    except ServiceError as exc:  # another college's upload, an expired or committed one
        return error(404, exc.message)
    parsed = preview.parsed
    errors, warnings = parsed.errors, parsed.warnings
    return {
        "id": preview.token,
        "filename": parsed.filename,
        "rows": len(parsed.rows),
        "created": preview.created,
        "updated": preview.updated,
        "unchanged": preview.unchanged,
        "can_commit": preview.can_commit,
        "can_skip": preview.can_skip,
        "valid_rows": parsed.valid_count,
        "rejected_rows": len(parsed.rejected),
        "gpa_scale": parsed.gpa_scale,
        "error_count": len(errors),
        "errors": _issues(errors),
        "warning_count": len(warnings),
        "warnings": _issues(warnings),
    }


@bp.post("/imports")
@bp.doc(tags=["colleges"])
@bp.arguments(inputs.UploadBody, location="files", as_kwargs=True)
@bp.arguments(inputs.UploadArgs, location="query", as_kwargs=True)
@bp.response(201, schemas.ImportPreview, description="Stored and previewed; nothing written")
@writes
def import_upload(file, gpa_scale):
    """Upload a cohort file (CSV or XLSX) and preview it (colleges, `write` scope)"""
    token = imports.stage_upload(
        _college(), current_user, file.read(), file.filename or "", gpa_scale=gpa_scale
    )
    return _preview(token)


@bp.get("/imports/<token>")
@bp.doc(tags=["colleges"])
@bp.response(200, schemas.ImportPreview)
def import_preview(token: str):
    """The preview of an upload not yet committed (colleges)"""
    return _preview(token)


@bp.post("/imports/<token>/commit")
@bp.doc(tags=["colleges"])
@bp.arguments(inputs.CommitArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ImportResult, description="Written in one transaction")
@bp.alt_response(409, schema=schemas.Error, description="Some row has an error")
@writes
def import_commit(token: str, skip_invalid: bool):
    """Write a previewed upload (colleges, `write` scope)

    Refused (409) while any row has an error, unless `skip_invalid`: then the valid rows
    are written and the others counted in `skipped` (refused when no row is valid). An
    upload is written once, after which its id answers 404.
    """
    college = _college()
    try:
        return imports.commit_upload(college, current_user, token, skip_invalid=skip_invalid)
    except ServiceError as exc:
        # Refused rows (409), or an upload that is gone: committed, expired, not theirs (404).
        preview = _preview(token)
        return error(409, exc.message) if isinstance(preview, dict) else preview


@bp.delete("/imports/<token>")
@bp.doc(tags=["colleges"])
@bp.response(204, description="Discarded; nothing was imported")
@writes
def import_discard(token: str):
    """Discard an upload without importing it (colleges, `write` scope)"""
    if not imports.discard_upload(_college(), token):
        return error(404, _("This upload has expired or does not exist: upload the file again."))
    return None
