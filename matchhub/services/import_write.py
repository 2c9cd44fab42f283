"""Writing a parsed learner file: compare with the database, then insert and update.

The rules (a learner is matched by college and student code; a claimed profile
only takes academic fields; imported learners stay hidden until they claim) are
listed in :mod:`matchhub.services.imports`. Writes are bulk statements, a chunk
of rows each; any failure rolls the whole import back.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import Learner, LearnerSkill, Organization, User, Visibility, utcnow
from matchhub.models._search import refresh_search_text
from matchhub.services import ServiceError, audit, invitations
from matchhub.services.import_parse import parse_file
from matchhub.services.import_rows import GPA_STORED_SCALE, Parsed, ParsedRow, RowSkill

#: Rows written per bulk statement.
CHUNK = 1000

#: Fields of a profile the learner has claimed that an import may still change.
_ACADEMIC = frozenset({"programme_id", "graduation_year", "gpa"})


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    invited: int = 0  # invitations queued for sending now
    held: int = 0  # invitations waiting for the college's verification
    waiting: int = 0  # invitations the college chose to send later
    not_sent: int = 0  # invitations the college chose never to send
    skipped: int = 0  # rows left out for their errors, at the college's request
    rejects: str | None = None  # the token of those rows' download, when any

    @property
    def changes(self) -> int:
        return self.created + self.updated


_FIELDS = (
    "full_name",
    "date_of_birth",
    "email",
    "phone",
    "programme_id",
    "graduation_year",
    "gpa",
)


@dataclass
class _Existing:
    id: int
    claimed: bool
    values: dict[str, object]
    skills: tuple


def _existing(college: Organization, codes: list[str]) -> dict[str, _Existing]:
    """The college's learners among ``codes``, with their skills. Two queries.

    The college's learners are read whole rather than through IN lists of codes:
    a college holds tens of thousands at most, and long IN lists are slow to send.
    """
    wanted = set(codes)
    found: dict[str, _Existing] = {}
    cols = [getattr(Learner, f) for f in _FIELDS]
    for row in db.session.execute(
        sa.select(Learner.id, Learner.student_code, Learner.user_id, *cols).where(
            Learner.college_id == college.id
        )
    ):
        if row.student_code in wanted:
            found[row.student_code] = _Existing(
                id=row.id,
                claimed=row.user_id is not None,
                values={f: getattr(row, f) for f in _FIELDS},
                skills=(),
            )
    if not found:
        return found
    by_id = {e.id: e for e in found.values()}
    skills: dict[int, list] = {}
    for lid, sid, term, level in db.session.execute(
        sa.select(
            LearnerSkill.learner_id, LearnerSkill.skill_id, LearnerSkill.term, LearnerSkill.level
        )
        .join(Learner, Learner.id == LearnerSkill.learner_id)
        .where(Learner.college_id == college.id)
    ):
        if lid in by_id:
            skills.setdefault(lid, []).append(_skill_key(sid, term, level))
    for lid, keys in skills.items():
        by_id[lid].skills = tuple(sorted(keys))
    return found


def _skill_key(skill_id: int | None, term: str, level: int) -> tuple:
    return (skill_id or 0, "" if skill_id else term.casefold(), level)


def _row_skill_keys(row: ParsedRow) -> tuple:
    return tuple(sorted(_skill_key(s.skill_id, s.term, s.level) for s in row.skills or ()))


def _same(a: object, b: object) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None) == (b is None) and (a is None or Decimal(a) == Decimal(b))
    return a == b


def plan(college: Organization, parsed: Parsed) -> tuple[list, list, int]:
    """Split valid rows into (new rows, [(existing, changes, new skills or None)], unchanged)."""
    rows = [r for r in parsed.rows if not r.errors]
    existing = _existing(college, [r.values["student_code"] for r in rows])
    new, updates, unchanged = [], [], 0
    for row in rows:
        old = existing.get(row.values["student_code"])
        if old is None:
            row.status = "new"
            new.append(row)
            continue
        fields = {k: v for k, v in row.values.items() if k in _FIELDS}
        if old.claimed:
            fields = {k: v for k, v in fields.items() if k in _ACADEMIC}
        changes = {k: v for k, v in fields.items() if not _same(old.values.get(k), v)}
        skills = None
        if row.skills is not None and not old.claimed and _row_skill_keys(row) != old.skills:
            skills = row.skills
        if changes or skills is not None:
            row.status = "updated"
            updates.append((old, changes, skills))
        else:
            row.status = "unchanged"
            unchanged += 1
    return new, updates, unchanged


def can_write(parsed: Parsed, skip_invalid: bool = False) -> bool:
    """Whether ``parsed`` may be written: no error at all, or, skipping the rows with
    errors, no error of the whole file and at least one valid row."""
    if not parsed.errors:
        return True
    return skip_invalid and not parsed.file_errors and parsed.valid_count > 0


def import_file(
    college: Organization,
    user: User | None,
    content: bytes,
    filename: str,
    *,
    invite: str = invitations.NOW,
    gpa_scale: int = GPA_STORED_SCALE,
    skip_invalid: bool = False,
) -> tuple[Parsed, ImportResult | None]:
    """Parse and, when no row has an error, write a learner file at once (the CLI's path).

    Returns the parse (with its issues) and the result, or ``None`` when refused
    because of errors. With ``skip_invalid``, rows with errors are left out
    instead (refused still when no row is valid). No row limit.
    """
    parsed = parse_file(college, content, filename, max_rows=None, gpa_scale=gpa_scale)
    if not can_write(parsed, skip_invalid):
        return parsed, None
    result = write_parsed(
        college,
        user,
        parsed,
        sha256=hashlib.sha256(content).hexdigest(),
        invite=invite,
        skip_invalid=skip_invalid,
    )
    db.session.commit()
    return parsed, result


def write_parsed(
    college: Organization,
    user: User | None,
    parsed: Parsed,
    *,
    sha256: str,
    invite: str = invitations.NOW,
    progress: Callable[[int, int], None] | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Insert and update the learners of ``parsed`` (flushes; the caller commits).

    Refused while a row has an error, unless ``skip_invalid``: then the valid rows
    are written and the others counted as skipped. Any failure rolls the whole
    import back: nothing of the file stays written.
    """
    if not can_write(parsed, skip_invalid):
        if parsed.errors and skip_invalid:
            raise ServiceError(_("No row of this file can be imported: nothing was imported."))
        raise ServiceError(
            _("The file still has errors: fix them and upload it again. Nothing was imported.")
        )
    try:
        new, updates, unchanged = plan(college, parsed)
        state = invitations.state_for(college, invite)
        invited = 0
        now = utcnow()
        total, report = len(new) + len(updates), progress or (lambda done, total: None)
        report(0, total)
        for start in range(0, len(new), CHUNK):
            invited += _insert_learners(college, new[start : start + CHUNK], now, state)
            report(min(start + CHUNK, len(new)), total)
        if new:
            _insert_skills(new, _new_ids(college, now))
        for start in range(0, len(updates), CHUNK):
            _update_learners(updates[start : start + CHUNK])
            report(len(new) + min(start + CHUNK, len(updates)), total)
        # An unverified college prepares its list; its learners are invited once the
        # province office verifies it, as orders wait to publish.
        result = ImportResult(
            len(new),
            len(updates),
            unchanged,
            invited=invited if state == "queued" else 0,
            held=invited if state == "held" else 0,
            waiting=invited if state == "later" else 0,
            not_sent=invited if state == "never" else 0,
            skipped=len(parsed.rejected),
        )
        audit.record(
            "learners.imported",
            actor=user,
            organization_id=college.id,
            obj=college,
            filename=parsed.filename,
            sha256=sha256,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            skipped=result.skipped,
        )
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        # Two imports of the same learners at once: the second loses on the unique code.
        db.session.rollback()
        raise ServiceError(
            _("Another import of these learners ran at the same time: upload the file again.")
        ) from exc
    except Exception:
        db.session.rollback()
        raise
    if result.invited:
        invitations.send_after_commit(college)  # by a job, once the learners are committed
    return result


def _insert_learners(
    college: Organization, rows: list[ParsedRow], now: datetime, invitation: str
) -> int:
    """Bulk-insert one chunk of new learners, created at ``now``, their invitation in state
    ``invitation`` when they have an email; returns how many have one.

    A plain executemany: an INSERT ... RETURNING of a thousand rows is one huge
    statement that the PostgreSQL driver parses again for every chunk (3x slower).
    """
    records = []
    for row in rows:
        v = row.values
        records.append(
            {
                "college_id": college.id,
                "student_code": v["student_code"],
                "full_name": v["full_name"],
                "date_of_birth": v.get("date_of_birth"),
                "email": v.get("email"),
                "phone": v.get("phone"),
                "programme_id": v.get("programme_id"),
                "graduation_year": v.get("graduation_year"),
                "gpa": v.get("gpa"),
                "preferred_localities": [],
                "cv_text": "",
                "visibility": Visibility.HIDDEN,
                "claim_code": secrets.token_urlsafe(16),
                "invitation": invitation if v.get("email") else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(sa.insert(Learner), records)
    return sum(1 for r in records if r["email"])


def _new_ids(college: Organization, now: datetime) -> dict[str, int]:
    """Student code -> id of the learners this import created (all stamped ``now``)."""
    return dict(
        db.session.execute(
            sa.select(Learner.student_code, Learner.id).where(
                Learner.college_id == college.id, Learner.created_at == now
            )
        ).all()
    )


def _insert_skills(rows: list[ParsedRow], ids: dict[str, int]) -> None:
    """Bulk-insert the skills of the new learners, a chunk of rows per statement."""
    for start in range(0, len(rows), CHUNK):
        skills = [
            {
                "learner_id": ids[row.values["student_code"]],
                "skill_id": s.skill_id,
                "term": s.term,
                "level": s.level,
            }
            for row in rows[start : start + CHUNK]
            for s in row.skills or ()
        ]
        if skills:
            db.session.execute(sa.insert(LearnerSkill), skills)


def _update_learners(updates: list[tuple[_Existing, dict, list[RowSkill] | None]]) -> None:
    """Bulk-update one chunk of changed learners; replaced skill lists are rewritten."""
    now = utcnow()
    by_keys: dict[tuple, list[dict]] = {}
    for old, changes, _skills in updates:
        if changes:
            record = {"id": old.id, "updated_at": now, **changes}
            by_keys.setdefault(tuple(sorted(record)), []).append(record)
    for records in by_keys.values():
        db.session.execute(sa.update(Learner), records)
    renamed = [old.id for old, changes, _s in updates if changes and "full_name" in changes]
    if renamed:  # a bulk UPDATE skips the mapper events that keep the search column
        refresh_search_text(Learner, renamed, "full_name", "cv_text")
    replaced = [(old.id, skills) for old, _c, skills in updates if skills is not None]
    if replaced:
        db.session.execute(
            sa.delete(LearnerSkill).where(LearnerSkill.learner_id.in_([i for i, _ in replaced]))
        )
        rows = [
            {"learner_id": lid, "skill_id": s.skill_id, "term": s.term, "level": s.level}
            for lid, skills in replaced
            for s in skills
        ]
        if rows:
            db.session.execute(sa.insert(LearnerSkill), rows)
