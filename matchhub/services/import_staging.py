"""The web's import flow: stage an upload, preview it, then commit or discard it.

The file is stored server-side in ``PendingImport`` with the college, the user
and its SHA-256; the preview and the commit parse the *stored* bytes again, so
what is written is what was previewed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import PurePath

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import Organization, PendingImport, Skill, User, utcnow
from matchhub.services import ServiceError, import_rejects, invitations
from matchhub.services.import_parse import check_header, parse_file
from matchhub.services.import_rows import GPA_SCALES, GPA_STORED_SCALE, Parsed
from matchhub.services.import_write import ImportResult, can_write, plan, write_parsed

#: How long an uploaded file waits for its commit.
PENDING_TTL = timedelta(hours=2)


@dataclass(frozen=True)
class Preview:
    token: str
    parsed: Parsed
    created: int
    updated: int
    unchanged: int
    skills: dict[int, Skill]  # database id -> skill, for display

    @property
    def changes(self) -> int:
        return self.created + self.updated

    @property
    def can_commit(self) -> bool:
        """Every row can be imported."""
        return can_write(self.parsed)

    @property
    def can_skip(self) -> bool:
        """Some rows have errors, and the others can be imported without them."""
        return not self.can_commit and can_write(self.parsed, skip_invalid=True)


def _purge_expired() -> None:
    db.session.execute(
        sa.delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_TTL)
    )
    import_rejects.purge_expired()


def stage_upload(
    college: Organization,
    user: User,
    content: bytes,
    filename: str,
    *,
    gpa_scale: int = GPA_STORED_SCALE,
) -> str:
    """Keep an uploaded file server-side for its preview and commit; returns its token.

    A file that cannot be imported at all (type, encoding, header row) is refused
    at once (``ServiceError``), before anything is stored. ``gpa_scale``: the scale
    the file's GPA column is written on (``GPA_SCALES``), kept with the upload.
    """
    if gpa_scale not in GPA_SCALES:
        raise ServiceError(_("Choose a GPA scale of 4 or 10 points."), field="gpa_scale")
    filename = PurePath(filename or "").name[:200] or "upload"
    check_header(content, filename)
    _purge_expired()
    token = secrets.token_urlsafe(24)
    db.session.add(
        PendingImport(
            token=token,
            college_id=college.id,
            user_id=user.id,
            filename=filename,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            gpa_scale=gpa_scale,
        )
    )
    db.session.commit()
    return token


def _pending(college: Organization, token: str) -> PendingImport:
    """The staged upload of ``token`` for this college only; expired or foreign → refused."""
    pending = db.session.scalar(
        sa.select(PendingImport).where(
            PendingImport.token == token, PendingImport.college_id == college.id
        )
    )
    if pending is None or pending.created_at < utcnow() - PENDING_TTL:
        raise ServiceError(_("This upload has expired or does not exist: upload the file again."))
    if hashlib.sha256(pending.content).hexdigest() != pending.sha256:
        raise ServiceError(_("The stored upload is damaged: upload the file again."))
    return pending


def pending_size(college: Organization, token: str) -> int:
    """The size in bytes of this college's staged upload; refused when expired or foreign."""
    return len(_pending(college, token).content)


def _parse(college: Organization, pending: PendingImport) -> Parsed:
    return parse_file(
        college,
        pending.content,
        pending.filename,
        sha256=pending.sha256,
        gpa_scale=pending.gpa_scale,
    )


def preview_upload(college: Organization, token: str) -> Preview:
    """Every row of a staged upload, validated and compared with the database. Writes nothing."""
    pending = _pending(college, token)
    parsed = _parse(college, pending)
    new, updates, unchanged = plan(college, parsed)
    ids = {s.skill_id for r in parsed.rows for s in r.skills or () if s.skill_id}
    skills = {
        s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(ids)))
    } if ids else {}  # fmt: skip
    return Preview(token, parsed, len(new), len(updates), unchanged, skills)


def commit_upload(
    college: Organization,
    user: User,
    token: str,
    *,
    invite: str = invitations.NOW,
    progress: Callable[[int, int], None] | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Write a previewed upload in one transaction; refused while any row has an error,
    unless ``skip_invalid``: then the valid rows are written, and the others kept for
    their download (``ImportResult.rejects``) in the same transaction.

    ``invite``: when the new learners are invited (``invitations.CHOICES``);
    ``progress(done, total)`` is told after each chunk of rows (a job's progress page).
    """
    pending = _pending(college, token)
    parsed = _parse(college, pending)
    result = write_parsed(
        college,
        user,
        parsed,
        sha256=pending.sha256,
        invite=invite,
        progress=progress,
        skip_invalid=skip_invalid,
    )
    if result.skipped:
        result = replace(result, rejects=import_rejects.keep(college, user, parsed))
    db.session.delete(pending)
    db.session.commit()
    return result


def rejected_rows(college: Organization, token: str) -> import_rejects.RejectedTable:
    """The rows of this college's staged upload that have errors, as a file to fix."""
    return import_rejects.table(_parse(college, _pending(college, token)))


def discard_upload(college: Organization, token: str) -> bool:
    """Forget a staged upload of this college without importing it.

    ``False`` when the college has no such upload (another college's token, or
    one already gone): nothing was discarded, and the caller must not say so.
    """
    deleted = db.session.execute(
        sa.delete(PendingImport).where(
            PendingImport.token == token, PendingImport.college_id == college.id
        )
    ).rowcount
    db.session.commit()
    return bool(deleted)
