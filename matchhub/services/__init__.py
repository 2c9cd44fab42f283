"""Use cases: the only place that queries and commits.

One public function is one unit of work: it validates, writes, records the
audit event and commits (or rolls back). Helpers only flush.
"""


class ServiceError(Exception):
    """A use case refused: ``message`` is translated and safe to show to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
