"""Reading a learner file into validated, normalised rows: the header, then every row.

Decoding the file (CSV or XLSX, with its size, width and work limits) is
:mod:`matchhub.services.tabular`'s; the cells are checked by
:mod:`matchhub.services.import_rows`. Nothing here writes.
"""

from __future__ import annotations

from flask_babel import gettext as _

from matchhub.models import Organization
from matchhub.services import ServiceError, tabular, taxonomy_cache
from matchhub.services.import_columns import (
    COLUMN_BY_KEY,
    HEADER_INDEX,
    REASON,
    REQUIRED_COLUMNS,
    header_key,
)
from matchhub.services.import_rows import (
    GPA_STORED_SCALE,
    Issue,
    Parsed,
    ParsedRow,
    RowChecker,
    RowSkill,
    cell_text,
)
from matchhub.services.skill_specs import bad_levels, parse_skill_terms
from matchhub.services.skills import skill_ids_by_slug

#: Rows a file uploaded through the web may hold (the CLI takes any number).
MAX_WEB_ROWS = 50_000


def _skill_items(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(term, level) pairs of a skills cell, and the items whose level is not 1-5."""
    return parse_skill_terms(text), bad_levels(text)


def _header(header: list[object] | None) -> tuple[dict[str, int], dict[str, str], list[Issue]]:
    """Column positions and headers as written; refuses a file without the required columns."""
    if header is None or not any(cell_text(h) for h in header):
        raise ServiceError(_("The file is empty: the first row must hold the column headers."),
                           field="file")  # fmt: skip
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    file_issues: list[Issue] = []
    for i, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        key = HEADER_INDEX.get(header_key(text))
        if key is None:
            file_issues.append(
                Issue(1, text[:60], _("This column is not known and is ignored."), error=False)
            )
            continue
        if key == REASON:
            continue  # a rejected-rows file, fixed and uploaded again: the reasons are old
        if key in positions:
            raise ServiceError(
                _("The column “%(name)s” appears twice.", name=text[:60]), field="file"
            )
        positions[key] = i
        headers[key] = text[:60]
    missing = [str(COLUMN_BY_KEY[k].label) for k in REQUIRED_COLUMNS if k not in positions]
    if missing:
        raise ServiceError(
            _("Required columns are missing: %(names)s. Start from the template.",
              names=", ".join(missing)),
            field="file",
        )  # fmt: skip
    return positions, headers, file_issues


def check_header(content: bytes, filename: str) -> None:
    """Refuse at once a file that cannot be imported at all: its type, or its header row.

    Cheap (only the first row is read): the rows are checked by the preview.
    """
    # The web's bounds apply: a sheet's XML before its first row costs work too.
    rows = tabular.read_rows(content, filename, MAX_WEB_ROWS)
    try:
        _header(next(rows, None))
    finally:
        rows.close()


def parse_file(
    college: Organization,
    content: bytes,
    filename: str,
    max_rows: int | None = MAX_WEB_ROWS,
    *,
    sha256: str | None = None,
    gpa_scale: int = GPA_STORED_SCALE,
) -> Parsed:
    """Read, validate and normalise every row of a learner file. Writes nothing.

    Refuses with ``ServiceError`` a file that cannot be read at all (type, size,
    encoding, width, missing required columns, or more work than ``max_rows``
    rows justify: see :mod:`matchhub.services.tabular`); row and cell problems
    come back as :class:`Issue` s on each :class:`ParsedRow`. With ``sha256``
    (a stored upload's), the decoded rows are reused while the process keeps
    them. ``gpa_scale``: the scale the GPA column is written on (4 or 10); GPA is
    stored on the 4-point scale. O(rows + distinct skill terms).
    """
    stats = tabular.ReadStats()
    if sha256 is not None:
        rows = tabular.cached_rows(sha256, content, filename, max_rows, stats)
    else:
        rows = tabular.read_rows(content, filename, max_rows, stats)
    header = next(rows, None)
    positions, headers, file_issues = _header(header)
    header_width = max(i for i, h in enumerate(header) if cell_text(h)) + 1
    checker = RowChecker(college, headers, gpa_scale)
    parsed_rows: list[ParsedRow] = []
    skill_cells: list[tuple[ParsedRow, list[tuple[str, int]]]] = []
    skills_at = positions.get("skills")
    width = max(positions.values()) + 1
    for line, raw in enumerate(rows, start=2):
        if len(raw) < width:
            raw = [*raw, *([None] * (width - len(raw)))]
        if not any(cell_text(c) for c in raw):
            continue  # blank rows are common at the end of a sheet
        cells = {k: raw[i] for k, i in positions.items() if k != "skills"}
        row = checker.parse(line, cells)
        skills_text = cell_text(raw[skills_at]) if skills_at is not None else ""
        overflow = [cell_text(c) for c in raw[header_width:] if cell_text(c)]
        if overflow and skills_at == header_width - 1:
            # "Python:4, SQL" typed unquoted in a comma-separated file: the commas split
            # the skills cell, whose pieces are all that can follow the last column.
            skills_text = ", ".join([skills_text, *overflow])
        elif overflow:
            checker.issue(
                row, "",
                _("This row has more cells than the header row: put the skills in quotes or "
                  "separate the columns with semicolons."),
            )  # fmt: skip
        if skills_at is not None:
            pairs, bad = _skill_items(skills_text)
            for item in bad:
                checker.issue(
                    row, "skills",
                    _("“%(value)s”: a skill level goes from 1 to 5.", value=item[:60]),
                )  # fmt: skip
            skill_cells.append((row, pairs))
        if row.errors:
            row.raw = raw  # its line of the rejected rows, as the college wrote it
        parsed_rows.append(row)
    if not parsed_rows:
        file_issues.append(Issue(2, "", _("The file holds no learner below its header row.")))
    _check_scale(parsed_rows, gpa_scale, headers, file_issues)
    _normalise_skills(skill_cells, checker)
    return Parsed(
        filename=filename,
        columns=list(positions),
        headers=headers,
        rows=parsed_rows,
        file_issues=file_issues,
        encoding=stats.encoding,
        header_row=[cell_text(h) for h in header[:header_width]],
        gpa_scale=gpa_scale,
    )


def _check_scale(
    rows: list[ParsedRow], scale: int, headers: dict[str, str], issues: list[Issue]
) -> None:
    """Warn when a file said to be on the 10-point scale looks like a 4-point one.

    Read as 10-point, a 4-point GPA of 3.2 would be stored as 1.28 without any error.
    """
    written = [r.gpa_written for r in rows if r.gpa_written is not None]
    if scale == 10 and written and max(written) <= GPA_STORED_SCALE:
        issues.append(
            Issue(
                1,
                headers.get("gpa", ""),
                _("Every GPA in this file is 4 or less: if it is on the 4-point scale, upload "
                  "it again choosing that scale."),
                error=False,
            )
        )  # fmt: skip


def _normalise_skills(
    cells: list[tuple[ParsedRow, list[tuple[str, int]]]], checker: RowChecker
) -> None:
    """Normalise each distinct term once (a cohort repeats the same few hundred terms)."""
    terms = sorted({t for _, pairs in cells for t, _lv in pairs})
    if not cells:
        return
    normalized = dict(zip(terms, taxonomy_cache.normalize_terms(terms), strict=True))
    ids = skill_ids_by_slug()
    for row, pairs in cells:
        skills: list[RowSkill] = []
        seen: set[object] = set()
        for term, level in pairs:
            slug = normalized[term].skill_id
            skill_id = ids.get(slug) if slug else None
            key = skill_id if skill_id is not None else term.casefold()
            if key in seen:
                continue
            seen.add(key)
            if skill_id is None:
                checker.issue(
                    row, "skills",
                    _("Unknown skill “%(term)s”: kept as written for the province office "
                      "to review.", term=term[:60]),
                    error=False,
                )  # fmt: skip
            skills.append(RowSkill(term=term[:160], level=level, skill_id=skill_id, slug=slug))
        row.skills = skills
