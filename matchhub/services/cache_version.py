"""One version for every worker's in-memory matching data, bumped by the ORM itself.

Each worker keeps a normaliser (the taxonomy) and a matching index (learners and
live orders) in memory. They must follow the database, whichever worker or process
wrote to it. One row, ``EngineState`` key "matching", holds a version; every
transaction that changes what those caches are made of bumps it, and logs what it
changed in ``EngineChange`` (a learner id, an order id, "taxonomy" or "all"), so that
a worker that sees a newer version can patch exactly those rows instead of
rebuilding.

Nobody has to remember to call anything: SQLAlchemy events watch the models that
matter (learners and their skills, orders and their skills, organisations'
verification state and sector, skills and aliases) as the session flushes them, and
the bump is written in ``before_commit``, in the same transaction as the change.
Bulk statements (``session.execute(update(...))``, ``insert``, ``delete``) on those
tables are seen too, but carry no ids: they mean "rebuild" unless the writer names
the rows it touched with :func:`bulk_changed` (then workers patch). Writes that
bypass the session (a raw connection, SQL outside the app) are not seen.

Because the bump is an ``UPDATE`` of one row, concurrent writers are serialised by
that row's lock, so versions are committed in order and a reader that sees version
``V`` also sees every change up to ``V``. A reader compares ``(epoch, version)``
(one primary-key SELECT, :func:`current`) with what it built from; a new row (a
restored or emptied database) has a new epoch, so a worker never mistakes another
history's version N for the one it has seen.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, object_session

from matchhub.models import (
    EngineChange,
    EngineState,
    Learner,
    LearnerSkill,
    Order,
    OrderSkill,
    Organization,
    Skill,
    SkillAlias,
    utcnow,
)

KEY = "matching"
#: Versions of change log kept; a worker further behind than this rebuilds.
RETAIN_VERSIONS = 5000
_INFO = "matchhub.cache_version"
_OWN = "matchhub.cache_version.own"
_OWN_SINCE = "matchhub.cache_version.own_since"

#: Learner columns that a ranking reads (engine_profiles.load_learners and matchable_learner).
_LEARNER_COLUMNS = (
    "cv_text",
    "locality",
    "preferred_localities",
    "graduation_year",
    "programme_id",
    "visibility",
    "consent_at",
)
#: Organisation columns whose change moves its orders in or out of the market (or their sector).
_ORG_COLUMNS = ("state", "sector")
#: Tables whose bulk statements change the taxonomy, or the market.
_TAXONOMY_TABLES = {Skill.__tablename__, SkillAlias.__tablename__}
_MARKET_TABLES = {
    Learner.__tablename__,
    LearnerSkill.__tablename__,
    Order.__tablename__,
    OrderSkill.__tablename__,
    Organization.__tablename__,
}


@dataclass
class Changes:
    """What a transaction changed so far, or what a range of versions changed."""

    learners: set[int] = field(default_factory=set)
    orders: set[int] = field(default_factory=set)
    taxonomy: bool = False  # skills or aliases: the normaliser and every profile
    everything: bool = False  # rebuild the index (bulk write without ids, verification)
    unnamed_bulk: bool = False  # a bulk statement on the market that bulk_changed did not name
    named_bulk: bool = False

    def __bool__(self) -> bool:
        return bool(self.learners or self.orders or self.taxonomy or self.everything) or (
            self.unnamed_bulk and not self.named_bulk
        )


def _pending(session: Session | None) -> Changes | None:
    if session is None:
        return None
    return session.info.setdefault(_INFO, Changes())


def bulk_changed(
    session: Session,
    *,
    learners: Iterable[Learner | int] = (),
    orders: Iterable[Order | int] = (),
    everything: bool = False,
) -> None:
    """Name the rows the bulk statements of this transaction changed, so that workers
    patch them instead of rebuilding. Only for ``session.execute(insert/update/
    delete)``: changes to ORM objects are seen without it. Once called, the
    transaction's bulk statements are taken to have changed only what it names."""
    changes = _pending(session)
    changes.learners.update(x if isinstance(x, int) else x.id for x in learners)
    changes.orders.update(x if isinstance(x, int) else x.id for x in orders)
    changes.everything |= everything
    changes.named_bulk = True


# ----------------------------------------------------------------- watching the ORM


def _changed(target, columns: Iterable[str] | None) -> bool:
    """Whether an updated row's ``columns`` (None: any column) really changed."""
    state = sa.inspect(target)
    attrs = state.mapper.column_attrs
    names = columns if columns is not None else (a.key for a in attrs)
    return any(state.attrs[name].history.has_changes() for name in names)


def _learner(_mapper, _connection, target: Learner) -> None:
    _pending(object_session(target)).learners.add(target.id)


def _learner_updated(_mapper, _connection, target: Learner) -> None:
    if _changed(target, _LEARNER_COLUMNS):
        _learner(_mapper, _connection, target)


def _learner_skill(_mapper, _connection, target: LearnerSkill) -> None:
    changes = _pending(object_session(target))
    changes.learners.add(target.learner_id)
    # A row moved to another learner changes the old one too.
    changes.learners.update(i for i in sa.inspect(target).attrs.learner_id.history.deleted if i)


def _order(_mapper, _connection, target: Order) -> None:
    _pending(object_session(target)).orders.add(target.id)


def _order_updated(_mapper, _connection, target: Order) -> None:
    if _changed(target, None):
        _order(_mapper, _connection, target)


def _order_skill(_mapper, _connection, target: OrderSkill) -> None:
    changes = _pending(object_session(target))
    changes.orders.add(target.order_id)
    changes.orders.update(i for i in sa.inspect(target).attrs.order_id.history.deleted if i)


def _organization_updated(_mapper, _connection, target: Organization) -> None:
    if _changed(target, _ORG_COLUMNS):
        # Its orders enter or leave the market (or change sector): rebuild.
        _pending(object_session(target)).everything = True


def _organization_deleted(_mapper, _connection, target: Organization) -> None:
    _pending(object_session(target)).everything = True


def _taxonomy(_mapper, _connection, target) -> None:
    _pending(object_session(target)).taxonomy = True


def _taxonomy_updated(_mapper, _connection, target) -> None:
    if _changed(target, None):
        _taxonomy(_mapper, _connection, target)


_MAPPER_EVENTS = (
    (Learner, "after_insert", _learner),
    (Learner, "after_update", _learner_updated),
    (Learner, "after_delete", _learner),
    (LearnerSkill, "after_insert", _learner_skill),
    (LearnerSkill, "after_update", _learner_skill),
    (LearnerSkill, "after_delete", _learner_skill),
    (Order, "after_insert", _order),
    (Order, "after_update", _order_updated),
    (Order, "after_delete", _order),
    (OrderSkill, "after_insert", _order_skill),
    (OrderSkill, "after_update", _order_skill),
    (OrderSkill, "after_delete", _order_skill),
    (Organization, "after_update", _organization_updated),
    (Organization, "after_delete", _organization_deleted),
    (Skill, "after_insert", _taxonomy),
    (Skill, "after_update", _taxonomy_updated),
    (Skill, "after_delete", _taxonomy),
    (SkillAlias, "after_insert", _taxonomy),
    (SkillAlias, "after_update", _taxonomy_updated),
    (SkillAlias, "after_delete", _taxonomy),
)


def _bulk_statement(orm_execute_state) -> None:
    """``session.execute(insert/update/delete)`` on a table that matters."""
    if not (
        orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete
    ):
        return
    table = getattr(getattr(orm_execute_state.statement, "table", None), "name", None)
    if table in _TAXONOMY_TABLES:
        _pending(orm_execute_state.session).taxonomy = True
    elif table in _MARKET_TABLES:
        _pending(orm_execute_state.session).unnamed_bulk = True


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        # A savepoint: the changes are the enclosing transaction's, bumped at its commit.
        return
    # The commit flushes after this hook: flush now so that its rows are counted here.
    session.flush()
    write_pending(session)


def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:
        # Committed (written above) or rolled back (none of it happened): start afresh.
        session.info.pop(_INFO, None)
        session.info.pop(_OWN, None)
        session.info.pop(_OWN_SINCE, None)


def install() -> None:
    """Register the listeners (once per process; idempotent)."""
    if event.contains(Session, "before_commit", _before_commit):
        return
    for model, name, fn in _MAPPER_EVENTS:
        event.listen(model, name, fn)
    event.listen(Session, "do_orm_execute", _bulk_statement)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _transaction_ended)


# ----------------------------------------------------------------- the version row


def write_pending(session: Session) -> int | None:
    """Bump the version for this transaction's changes so far and log them; the new
    version, or None when nothing that matters changed. Called at commit, and by a
    reader that must see its own transaction's writes before it commits."""
    changes = session.info.get(_INFO)
    if not changes:
        return None
    session.info.pop(_INFO)
    version = _bump(session)
    session.info.setdefault(_OWN_SINCE, version)
    own = session.info.setdefault(_OWN, Changes())
    own.learners |= changes.learners
    own.orders |= changes.orders
    own.taxonomy |= changes.taxonomy
    own.everything |= changes.everything or (changes.unnamed_bulk and not changes.named_bulk)
    rows = [{"kind": "learner", "object_id": i} for i in changes.learners]
    rows += [{"kind": "order", "object_id": i} for i in changes.orders]
    if changes.taxonomy:
        rows.append({"kind": "taxonomy", "object_id": None})
    if changes.everything or (changes.unnamed_bulk and not changes.named_bulk):
        rows.append({"kind": "all", "object_id": None})
    now = utcnow()
    session.execute(
        sa.insert(EngineChange), [{**r, "version": version, "created_at": now} for r in rows]
    )
    if version % 500 == 0:
        # Workers further behind than the window rebuild anyway; keep the log small.
        session.execute(
            sa.delete(EngineChange).where(EngineChange.version <= version - RETAIN_VERSIONS)
        )
    return version


def _bump(session: Session) -> int:
    """Increment the version row (creating it on first use); the row lock orders writers."""
    update = (
        sa.update(EngineState)
        .where(EngineState.key == KEY)
        .values(version=EngineState.version + 1, updated_at=utcnow())
        .returning(EngineState.version)
    )
    version = session.execute(update).scalar()
    if version is not None:
        return version
    # First write of this database: create the row unless a concurrent writer just did.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(EngineState)
        .values(key=KEY, version=0, epoch=uuid.uuid4().hex, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return session.execute(update).scalar_one()


@dataclass(frozen=True)
class Version:
    """The stored version; ``own`` is what this session's transaction changed and has
    not committed yet (counted in ``number``): a cache that serves it must reload
    those rows again later, as the transaction may still roll back."""

    epoch: str
    number: int
    committed: int  # the version before this transaction's own bumps
    own: Changes | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.epoch, self.number)


def current(session: Session) -> Version | None:
    """The version as stored, None before the first change: one primary-key read.

    Writes this transaction made and has not committed yet are counted first, so a
    request that writes and then reads sees its own write."""
    session.flush()
    write_pending(session)
    row = session.execute(
        sa.select(EngineState.epoch, EngineState.version).where(EngineState.key == KEY)
    ).first()
    if row is None:
        return None
    own = session.info.get(_OWN)
    if own is None:
        return Version(row.epoch, row.version, row.version)
    # The row is locked by this transaction since its first bump: before it, all was committed.
    return Version(row.epoch, row.version, session.info[_OWN_SINCE] - 1, own)


def changes_between(session: Session, since: int, until: int) -> Changes:
    """What the versions ``since`` (excluded) to ``until`` (included) changed."""
    out = Changes()
    rows = session.execute(
        sa.select(EngineChange.kind, EngineChange.object_id).where(
            EngineChange.version > since, EngineChange.version <= until
        )
    )
    for kind, object_id in rows:
        if kind == "learner":
            out.learners.add(object_id)
        elif kind == "order":
            out.orders.add(object_id)
        elif kind == "taxonomy":
            out.taxonomy = True
        else:
            out.everything = True
    return out


def follows(built: tuple[str, int] | None, now: Version | None) -> bool:
    """Whether a cache built at ``built`` can be brought to ``now`` through the log
    (same history, not ahead, not further behind than the log keeps)."""
    if built is None or now is None:
        return built is None and now is None
    return built[0] == now.epoch and built[1] <= now.number <= built[1] + RETAIN_VERSIONS
