"""Bulk import of a college's learners from CSV or XLSX: preview, then one transaction.

The flow on the web is upload → :func:`stage_upload` (the file is stored
server-side in ``PendingImport`` with the college, the user and its SHA-256) →
:func:`preview_upload` (every row parsed, validated and normalised; nothing
written) → :func:`commit_upload` (the *stored* bytes parsed again and written in
one transaction). The CLI calls :func:`import_file`, the same parse and write
without the staging. Decoding the file (CSV or XLSX, with its size, width and
work limits) is :mod:`matchhub.services.tabular`'s.

Rules:

* a learner is matched by (college, student code); an unchanged row changes
  nothing, so re-importing a file reports 0 changes; a changed row updates that
  learner; a new student code creates a learner with a claim code, and its
  invitation to claim the profile is mailed now, later or never as the college
  chooses (:mod:`matchhub.services.invitations`);
* a profile the learner has already claimed belongs to the learner: an import
  only updates its academic fields (programme, graduation year, GPA);
* imported learners are hidden from enterprises and have no consent until they
  claim their profile: the college cannot consent on their behalf;
* a column missing from the file leaves that field untouched; an empty cell in a
  present column clears it;
* GPA is stored on one scale, out of 4: the upload says which scale its GPA column
  is written on (4 or 10, ``GPA_SCALES``), each value is checked against it, and a
  10-point GPA is converted linearly (x 0.4, rounded half up to 0.01: 8.0 → 3.20);
* any error in any row refuses the whole commit, unless the college asks to skip
  the rows with errors: the valid rows are then written (still one transaction,
  and the same file again changes nothing) and the skipped ones can be downloaded
  with the reason of each (:mod:`import_rejects`), to fix and upload again;
  unknown skill terms are only warnings: they are kept as terms for the province
  office to review.

Writes are bulk statements (one INSERT / UPDATE per chunk of rows, not one ORM
object per row), which keeps 100,000 rows within a minute.

This module is the use case's front: the parts are :mod:`import_columns` (the
columns and the template), :mod:`import_rows` (a row's cells validated),
:mod:`import_parse` (a file read into rows), :mod:`import_write` (compare and
write), :mod:`import_staging` (the web's upload, preview, commit) and
:mod:`import_rejects` (the rows left out, as a file to fix). Claiming
an imported profile is :mod:`matchhub.services.profile_claims`.
"""

from matchhub.services.import_columns import COLUMNS, template_headers, template_rows
from matchhub.services.import_parse import MAX_WEB_ROWS, parse_file
from matchhub.services.import_rejects import RejectedTable
from matchhub.services.import_rejects import stored as stored_rejects
from matchhub.services.import_rows import GPA_SCALES, GPA_STORED_SCALE, Issue, Parsed
from matchhub.services.import_staging import (
    Preview,
    commit_upload,
    discard_upload,
    pending_size,
    preview_upload,
    rejected_rows,
    stage_upload,
)
from matchhub.services.import_write import ImportResult, import_file

__all__ = [
    "COLUMNS",
    "GPA_SCALES",
    "GPA_STORED_SCALE",
    "MAX_WEB_ROWS",
    "ImportResult",
    "Issue",
    "Parsed",
    "Preview",
    "RejectedTable",
    "commit_upload",
    "discard_upload",
    "import_file",
    "parse_file",
    "pending_size",
    "preview_upload",
    "rejected_rows",
    "stage_upload",
    "stored_rejects",
    "template_headers",
    "template_rows",
]
