"""Security headers on every response, input every view can trust, and the one rule of
who may see or change which object.

Input guards (here, once, rather than in each view):

- a NUL byte (or, in JSON, a lone surrogate) anywhere in the path, the query string, a form
  field or a JSON body is refused with 400: PostgreSQL cannot store NUL in text and no
  legitimate client sends one;
- ``request.args.get(name, type=int)`` and ``request.form.get(..., type=int)`` treat an integer
  beyond the database's 32-bit columns (or a non-finite float) as absent, like any other value
  that does not convert, so ``page=10**20`` is page 1 and not an overflow in the query;
- ``<int:…>`` in a URL matches only what a 32-bit key can hold (404 beyond it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, abort, request
from flask import Request as FlaskRequest
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from matchhub.extensions import db
from matchhub.models import (
    AllocationRound,
    ApiToken,
    Application,
    ApplicationMessage,
    Course,
    Learner,
    Notification,
    Order,
    Organization,
    OrgKind,
    Programme,
    Role,
    RoundOrder,
    RoundResult,
    RoundStatus,
    SavedOrder,
    SkillMerge,
    TrainingOffer,
    User,
    VerificationState,
)
from matchhub.models.orders import LEARNER_VISIBLE

# No inline script anywhere: every script is a file under /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Pages show personal data: never keep them in shared caches.
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


#: The largest value an integer column (and so an id, a page, a year) holds on PostgreSQL.
MAX_INT = 2**31 - 1
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


class BoundedArgs(ImmutableMultiDict):
    """Query and form values whose typed ``get`` refuses numbers no column can hold."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default, type)
        if type is None or value is default:
            return value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            return default
        if isinstance(value, float) and not math.isfinite(value):
            return default
        return value


class Request(FlaskRequest):
    parameter_storage_class = BoundedArgs


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` up to :data:`MAX_INT`: a larger id cannot exist, so it is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_forbidden(value) -> bool:
    if isinstance(value, str):
        return _FORBIDDEN.search(value) is not None
    if isinstance(value, dict):
        return any(_has_forbidden(k) or _has_forbidden(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_forbidden(v) for v in value)
    return False


def _refuse_forbidden_characters():
    suspects = [request.path]
    for source in (request.args, request.form):
        for key, values in source.lists():
            suspects.append(key)
            suspects.extend(values)
    if request.is_json:
        suspects.append(request.get_json(silent=True))
    if any(_has_forbidden(value) for value in suspects):
        raise BadRequest(_("The request contains a character that is not allowed (NUL)."))


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.before_request(_refuse_forbidden_characters)
    app.after_request(_headers)


def local_url(target: str | None) -> str | None:
    """``target`` when it is a path on this site (a form's "back to" field), else None:
    never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as "/" and drop tabs and line breaks, so "/" + TAB +
    # "/evil.example" would lead to another host.
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    return target


def register_converters(app: Flask) -> None:
    """Before any blueprint registers a route: URL converters apply when rules are added."""
    app.url_map.converters["int"] = BoundedIntConverter


def require(roles: Iterable[Role] | Role) -> None:
    """Abort unless the user is signed in (401, the login page) with one of ``roles`` (403).

    This is the only 403: a role that has no business on a page at all. Objects are
    checked by :func:`owned_or_404`, and someone else's object is a 404.
    """
    if not current_user.is_authenticated:
        abort(401)
    allowed = {roles} if isinstance(roles, Role) else set(roles)
    if current_user.role not in allowed:
        abort(403)


# ---------------------------------------------------------------- who may see which object
#
# One table, read by one helper. Each rule is a SQL condition on the model's rows for one
# user, so a service loads only what the user may see: an id that exists but is not theirs
# finds nothing, exactly like an id that does not exist (404, never 403, so that a foreign
# object's existence is not revealed). ``write`` asks for the owner's rights: editing, the
# pipeline, deciding; reading alone may be wider (a live order is anyone's to read).

_NOTHING = sa.false()


def _org_id(user) -> int | None:
    org = user.organization
    return org.id if org is not None else None


def _own_orders(user):
    """Ids of the orders of the enterprise ``user`` works for (none for other roles)."""
    org_id = _org_id(user)
    if user.role is not Role.ENTERPRISE or org_id is None:
        return None
    return sa.select(Order.id).where(Order.organization_id == org_id)


def _own_learner(user):
    return sa.select(Learner.id).where(Learner.user_id == user.id)


def _order(user, write: bool):
    own = _own_orders(user)
    mine = Order.id.in_(own) if own is not None else _NOTHING
    if write:
        return mine
    # Anyone signed in reads a live order, but a learner only a live opening (a training
    # order is addressed to colleges; learners see the training agreed on it through the
    # offers, ``TrainingOffer.is_open_to_learners``); a learner also keeps reading an order
    # they applied to after it closes.
    if user.role is not Role.LEARNER:
        return sa.or_(mine, Order.is_live)
    applied = Order.id.in_(
        sa.select(Application.order_id).where(
            Application.learner_id.in_(_own_learner(user)),
            Application.status.in_(LEARNER_VISIBLE),
        )
    )
    return sa.or_(mine, Order.is_opening, applied)


def _application(user, write: bool):
    own = _own_orders(user)
    if own is not None:
        return Application.order_id.in_(own)
    if user.role is Role.LEARNER:
        # A shortlist is the enterprise's own notebook: not the learner's to see.
        return sa.and_(
            Application.learner_id.in_(_own_learner(user)),
            Application.status.in_(LEARNER_VISIBLE),
        )
    return _NOTHING


def _application_message(user, write: bool):
    # A message belongs to its application's thread: whoever may see the application.
    return ApplicationMessage.application_id.in_(
        sa.select(Application.id).where(_application(user, write))
    )


def _college(column):
    def rule(user, write: bool):
        org_id = _org_id(user)
        if user.role is not Role.COLLEGE or org_id is None:
            return _NOTHING
        return column(org_id)

    return rule


def _learner(user, write: bool):
    # A college keeps its own learners' records (outcomes after graduating); a learner
    # their own profile.
    if user.role is Role.LEARNER:
        return Learner.user_id == user.id
    return _college(lambda org_id: Learner.college_id == org_id)(user, write)


def _training_offer(user, write: bool):
    # The order's enterprise decides an offer; the college that sent it only reads it.
    own = _own_orders(user)
    if own is not None:
        return TrainingOffer.order_id.in_(own)
    if write:
        return _NOTHING
    return _college(lambda org_id: TrainingOffer.college_id == org_id)(user, write)


def _round(user, write: bool):
    if user.role is Role.ADMIN:
        return sa.true()
    shown = AllocationRound.status != RoundStatus.DRAFT
    if user.role is Role.LEARNER:
        return shown
    if user.role is Role.COLLEGE:
        # A college reads a round once it is published, and only one its learners were in.
        org_id = _org_id(user)
        if org_id is None:
            return _NOTHING
        return sa.and_(
            AllocationRound.status == RoundStatus.PUBLISHED,
            AllocationRound.id.in_(
                sa.select(RoundResult.round_id)
                .join(Learner, Learner.id == RoundResult.learner_id)
                .where(Learner.college_id == org_id)
            ),
        )
    own = _own_orders(user)
    if own is None:
        return _NOTHING
    # An enterprise sees only the rounds its orders take part in.
    return sa.and_(
        shown,
        AllocationRound.id.in_(sa.select(RoundOrder.round_id).where(RoundOrder.order_id.in_(own))),
    )


def _round_order(user, write: bool):
    if user.role is Role.ADMIN:
        return sa.true()
    own = _own_orders(user)
    return RoundOrder.order_id.in_(own) if own is not None else _NOTHING


def _organization(user, write: bool):
    # The province office verifies, rejects and suspends any; a member reads their own.
    if user.role is Role.ADMIN:
        return sa.true()
    org_id = _org_id(user)
    if write or org_id is None:
        return _NOTHING
    return Organization.id == org_id


def _account(user, write: bool):
    # The province office manages every account; anyone else only their own.
    return sa.true() if user.role is Role.ADMIN else User.id == user.id


def _office_only(user, write: bool):
    return sa.true() if user.role is Role.ADMIN else _NOTHING


def _own_by_learner(column):
    def rule(user, write: bool):
        return column.in_(_own_learner(user)) if user.role is Role.LEARNER else _NOTHING

    return rule


def _own_by_user(column):
    return lambda user, write: column == user.id


#: Who may read (R) and change (W) what; the province office is "admin", "own org" the
#: organisation the user works for. Anything not listed: nobody.
#:
#: ==============  ==========================================  ===========================
#: object          read                                        write
#: ==============  ==========================================  ===========================
#: Order           own org's (enterprise); any live order      own org's (enterprise)
#:                 (learners: any live job or internship, and
#:                 an order they applied to)
#: Application     the order's enterprise; the learner's own   the same
#:                 (not while only shortlisted)
#: Application-    as its application                          the same
#: Message
#: Programme       own college's                               the same
#: Course          own college's programmes'                   the same
#: Learner         own college's; the learner's own           the same
#: TrainingOffer   the order's enterprise; the sending college the order's enterprise
#: AllocationRound admin: all; learner: not a draft;           (admin pages only)
#:                 enterprise: not a draft, its orders in it;
#:                 college: published, its learners in it
#: RoundOrder      admin: all; the order's enterprise          the same
#: Organization    admin: all; a member: their own             admin
#: User            admin: all; oneself                         the same
#: Notification,   the user's own                              the same
#: ApiToken
#: SkillMerge      admin                                       admin
#: SavedOrder      the learner's own                           the same
#: ==============  ==========================================  ===========================
POLICY: dict[type, Callable[[User, bool], sa.ColumnElement[bool]]] = {
    Order: _order,
    Application: _application,
    ApplicationMessage: _application_message,
    Programme: _college(lambda org_id: Programme.organization_id == org_id),
    Course: _college(
        lambda org_id: Course.programme_id.in_(
            sa.select(Programme.id).where(Programme.organization_id == org_id)
        )
    ),
    Learner: _learner,
    TrainingOffer: _training_offer,
    AllocationRound: _round,
    RoundOrder: _round_order,
    Organization: _organization,
    User: _account,
    Notification: _own_by_user(Notification.user_id),
    ApiToken: _own_by_user(ApiToken.user_id),
    SkillMerge: _office_only,
    SavedOrder: _own_by_learner(SavedOrder.learner_id),
}


def allowed(model: type, user, write: bool = False) -> sa.ColumnElement[bool]:
    """The SQL condition on ``model``'s rows that ``user`` may read (or, with ``write``, change).

    Nobody signed in may see any of them; a model without a rule is a programming error
    (it fails loudly rather than open).
    """
    if user is None or not user.is_authenticated:
        return _NOTHING
    try:
        rule = POLICY[model]
    except KeyError:
        raise LookupError(f"no access rule for {model.__name__} in security.POLICY") from None
    return rule(user, write)


#: What anyone, signed in or not, may read on the public pages (no login): a live opening
#: (job or internship: a training order is addressed to colleges), and a verified
#: enterprise (its profile page). Nothing else is public; nothing is ever writable from here.
PUBLIC: dict[type, Callable[[], sa.ColumnElement[bool]]] = {
    Order: lambda: Order.is_opening,
    Organization: lambda: sa.and_(
        Organization.kind == OrgKind.ENTERPRISE,
        Organization.state == VerificationState.VERIFIED,
    ),
}


T = TypeVar("T")


def owned_or_404(model: type[T], user, *criteria, write: bool = False, options: Iterable = ()) -> T:
    """The one ``model`` row matching ``criteria`` that ``user`` may see (or change); else 404.

    Every service's ``readable``/``editable`` loads through here, so pages, the API and
    commands apply the same rule; an object of another organisation or learner, an
    unknown id and a refused one all answer the same 404.
    """
    stmt = sa.select(model).where(*criteria, allowed(model, user, write)).options(*options)
    found = db.session.scalar(stmt)
    if found is None:
        abort(404)
    return found


def public_or_404(model: type[T], *criteria, options: Iterable = ()) -> T:
    """The one ``model`` row matching ``criteria`` that is public (:data:`PUBLIC`); else 404,
    the same answer as for an id that does not exist."""
    try:
        rule = PUBLIC[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no public rule in security.PUBLIC") from None
    found = db.session.scalar(sa.select(model).where(*criteria, rule()).options(*options))
    if found is None:
        abort(404)
    return found
