"""An accent-free search column kept in step with the text it is read from.

Vietnamese users type without diacritics ("ke toan" for "Kế toán"), and neither SQLite
nor PostgreSQL (without an extension) compares text that way. So a row that can be
searched keeps ``search_text``: its searched columns folded by the engine's own
normaliser (:func:`matchhub.matching.text.fold`: lower case, accents removed, đ -> d),
and a search is ``search_text LIKE '%folded words%'`` on either engine, in the database.

The column is written on every path that writes the text: ORM flushes (mapper events)
and bulk ``INSERT``s (a column default read from the row's parameters). A bulk ``UPDATE``
of a searched column must also write ``search_text`` (see :func:`search_key`).
"""

from __future__ import annotations

import sqlalchemy as sa

from matchhub.matching.text import fold

#: The longest folded text kept: a description is at most a few thousand characters.
MAX_SEARCH_TEXT = 20_000


def search_key(*parts: str | None) -> str:
    """The folded text of ``parts``, one line each (a search never spans two)."""
    return "\n".join(fold(p) for p in parts if p)[:MAX_SEARCH_TEXT]


def column_default(*names: str):
    """A column default that folds the row's ``names`` (bulk inserts, no ORM object)."""

    def default(context) -> str:
        params = context.get_current_parameters()
        return search_key(*(params.get(n) for n in names))

    return default


def keep_in_step(model: type, *names: str) -> None:
    """Fold ``names`` into ``model.search_text`` whenever an ORM flush writes one of them."""

    def on_insert(_mapper, _connection, target) -> None:
        target.search_text = search_key(*(getattr(target, n) for n in names))

    def on_update(_mapper, _connection, target) -> None:
        state = sa.inspect(target)
        if any(state.attrs[n].history.has_changes() for n in names):
            on_insert(_mapper, _connection, target)

    sa.event.listen(model, "before_insert", on_insert)
    sa.event.listen(model, "before_update", on_update)


def refresh_search_text(model: type, ids: list[int], *names: str) -> None:
    """Rewrite ``search_text`` of ``model``'s rows ``ids`` after a bulk UPDATE of ``names``
    (which bypasses the mapper events)."""
    from matchhub.extensions import db

    cols = [getattr(model, n) for n in names]
    rows = db.session.execute(sa.select(model.id, *cols).where(model.id.in_(ids))).all()
    if rows:
        db.session.execute(
            sa.update(model),
            [{"id": row[0], "search_text": search_key(*row[1:])} for row in rows],
        )
