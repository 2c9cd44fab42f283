"""Bad input never crashes a page: generated from the URL map, the forms and the API contract.

For every route and every role (a visitor, a learner, an enterprise, a college, the province
office), every query parameter and form field gets, in turn: a value far too long (with the
CRLF line breaks a browser sends), a NUL byte, a number no column can hold, and the field
repeated. Each answer must be below 500: a form error, a 400, a 404 or a redirect.

Where the names come from:

- query parameters: ``request.args.get/getlist("…")`` in the view's source, plus the fields of
  every GET form on the page;
- form fields: the ``…Form`` classes the view's source builds, plus every POST form the pages
  show (their current values are the baseline the repeated-field case doubles);
- the API: its OpenAPI document (query parameters and JSON body properties).

Routes that end the session (logout, deleting one's own data) run last.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from apiclient import token_for
from conftest import csrf_token, submit
from factories import make_order, make_org, make_programme, make_round, make_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms import DecimalField, FloatField, IntegerField

from matchhub.extensions import db
from matchhub.models import Learner, Order, OrderKind, OrgKind, Role, utcnow
from matchhub.services import applications, curation, skill_merges

LONG = ("Việt " + "a" * 94 + "\r\n") * 60  # 6,000 characters (CRLF as a browser sends it)
NUL = "a\x00b"
HUGE = str(10**20)
_ARGS = re.compile(r"""args\.get(?:list)?\(\s*["'](\w+)["']""")
_FORM_ARGS = re.compile(r"""form\.get(?:list)?\(\s*["'](\w+)["']""")
_FORM_CLASS = re.compile(r"\b(\w+Form)\(")
# Routes that end or change the session: run after everything else.
_LAST = ("privacy_delete", "user_role_change", "user_deactivate", "logout")


class _Forms(HTMLParser):
    """Every <form> of a page: its action, method and fields with their current values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                 "fields": MultiDict()}
            )
            return
        if tag == "option" and self._select and self.forms:
            fields = self.forms[-1]["fields"]
            if not fields.get(self._select) or "selected" in a:
                fields[self._select] = a.get("value", "")
            return
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1]["fields"]
        name = a["name"]
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                fields.setdefault(name, a.get("value") or "y")
            else:
                fields.add(name, a.get("value") or "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields.setdefault(name, "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            fields[self._textarea] = (fields.get(self._textarea) or "") + data


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _source(view) -> str:
    try:
        return inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return ""


def _form_fields(view, seen: frozenset = frozenset()) -> list[str]:
    """Field names of the ``…Form`` classes the view builds, plus raw ``request.form`` reads."""
    if view is None or view in seen:
        return []
    source = _source(view)
    module = inspect.getmodule(inspect.unwrap(view))
    names: list[str] = _FORM_ARGS.findall(source)
    for cls_name in set(_FORM_CLASS.findall(source)):
        cls = getattr(module, cls_name, None)
        if isinstance(cls, type) and hasattr(cls, "_unbound_fields"):
            names.extend(name for name, _f in cls._unbound_fields or [])
        elif isinstance(cls, type):
            names.extend(n for n in dir(cls) if not n.startswith("_") and n != "Meta")
    # a form class a helper builds (``_order_form()``) lives next to the view
    for helper in re.findall(r"\b(_\w+form)\(", source):
        names.extend(_form_fields(getattr(module, helper, None), seen | {view}))
    return sorted(set(names) - {"csrf_token"})


def _variants(fields: MultiDict, numeric=(), per_field=False, long=True) -> list[MultiDict]:
    """The bad versions of a set of fields.

    All fields at once: too long, with a NUL byte, a huge number, each repeated. With
    ``per_field`` (a route the role may use), also one field at a time, the others kept at
    their baseline so that validation of the others does not stop the request early: too long
    (``long``), and a huge number for the ``numeric`` ones.
    """
    names = list(fields.keys()) or ["q"]
    baseline = {n: fields.get(n) or "1" for n in names}
    repeated = MultiDict()
    for n in names:
        repeated.add(n, baseline[n])
        repeated.add(n, baseline[n] + "\n2")
    variants = [
        MultiDict(dict.fromkeys(names, LONG)),
        MultiDict({n: baseline[n] + NUL for n in names}),
        MultiDict(dict.fromkeys(names, HUGE)),
        repeated,
    ]
    if per_field:
        for n in names:
            if long:
                variants.append(MultiDict({**baseline, n: LONG}))
            if n in numeric:
                variants.append(MultiDict({**baseline, n: HUGE}))
    return variants


def _numeric(view, fields: MultiDict) -> set[str]:
    """Fields that carry a number: a WTForms number field, or a digit baseline."""
    found = {n for n, v in fields.items() if v.strip().lstrip("-").isdigit()}
    module = inspect.getmodule(inspect.unwrap(view))
    for cls_name in set(_FORM_CLASS.findall(_source(view))):
        cls = getattr(module, cls_name, None)
        for name, unbound in getattr(cls, "_unbound_fields", None) or []:
            if issubclass(unbound.field_class, IntegerField | DecimalField | FloatField):
                found.add(name)
    return found | set(_FORM_ARGS.findall(_source(view)))


@pytest.fixture
def world(app, ctx):
    """One of everything a route can name, with its id under the URL argument's name."""
    admin = make_user(Role.ADMIN)
    enterprise = make_org()
    hr = make_user(Role.ENTERPRISE, org=enterprise)
    college = make_org(OrgKind.COLLEGE)
    teacher = make_user(Role.COLLEGE, org=college)
    programme = make_programme(college)
    student = make_user(Role.LEARNER)
    learner = db.session.scalars(sa.select(Learner).where(Learner.user_id == student.id)).one()
    learner.college = college
    learner.consent_at = utcnow()
    db.session.commit()
    order = make_order(enterprise)
    make_order(enterprise, kind=OrderKind.TRAINING, title="Đào tạo Python")
    application = applications.apply(order, learner, student)
    rnd = make_round(admin, [make_order(enterprise, kind=OrderKind.INTERNSHIP)])
    merged = curation.create_skill(admin, "Kỹ năng gộp", "Merged skill", "tool")
    kept = curation.create_skill(admin, "Kỹ năng giữ", "Kept skill", "tool")
    merge = skill_merges.merge_skills(admin, merged.slug, kept.slug)
    return {
        "users": {Role.ADMIN: admin, Role.ENTERPRISE: hr, Role.COLLEGE: teacher,
                  Role.LEARNER: student},
        "ids": {
            "org_id": enterprise.id,
            "user_id": student.id,
            "order_id": order.id,
            "learner_id": learner.id,
            "application_id": application.id,
            "round_id": rnd.id,
            "programme_id": programme.id,
            "course_id": 1,
            "notification_id": 1,
            "offer_id": 1,
            "token_id": 1,
            "merge_id": merge.id,
        },
    }


def _url(rule, ids) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if arg in ids:
            values[arg] = ids[arg]
        elif hasattr(converter, "items"):
            values[arg] = sorted(converter.items)[0]
        else:
            values[arg] = "x"
    return rule.build(values, append_unknown=False)[1]


def _csrf(client) -> str:
    page = client.get("/auth/tokens").get_data(as_text=True) or ""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if found is None:
        page = client.get("/auth/login").get_data(as_text=True)
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1)


def _check(response, method, url, data=None):
    assert response.status_code < 500, (method, url, data, response.get_data(as_text=True)[-800:])


def _web_routes(app):
    rules = [
        r for r in app.url_map.iter_rules()
        if r.endpoint != "static" and not r.rule.startswith("/api/")
    ]
    return sorted(rules, key=lambda r: (r.endpoint.endswith(_LAST), _LAST_ORDER(r), r.rule))


def _LAST_ORDER(rule) -> int:
    for i, name in enumerate(_LAST):
        if rule.endpoint.endswith(name):
            return i
    return -1


def _own(rule, role) -> bool:
    """Whether ``role`` may use the route (a section's routes refuse the other roles early)."""
    section = rule.endpoint.partition(".")[0]
    if section in ("admin", "enterprise", "college", "learner"):
        return role is not None and role.value == section
    return True


ROLES = [None, Role.LEARNER, Role.ENTERPRISE, Role.COLLEGE, Role.ADMIN]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "visitor")
def test_no_bad_input_crashes_a_page(app, client, world, login, role):
    ids = world["ids"]
    if role is not None:
        login(world["users"][role].email)
    token = _csrf(client)
    adapter = app.url_map.bind("localhost")
    seen_forms: dict[str, MultiDict] = {}
    rules = _web_routes(app)

    # GET: every query parameter the view reads or its GET forms send
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        url = _url(rule, ids)
        plain = client.get(url)
        _check(plain, "GET", url)
        names = MultiDict()
        for name in _ARGS.findall(_source(app.view_functions[rule.endpoint])):
            names.setdefault(name, "1")
        if plain.mimetype == "text/html":
            for form in _forms(plain.get_data(as_text=True)):
                target = urlsplit(form["action"]).path or url
                if form["method"] == "get" and target == url:
                    for name, value in form["fields"].items(multi=True):
                        names.setdefault(name, value)
                elif form["method"] == "post":
                    seen_forms.setdefault(target, form["fields"])
        if not names:
            names.add("page", "1")
        # query values are not stored: one field at a time only for numbers
        for bad in _variants(names, set(names), per_field=_own(rule, role), long=False):
            _check(client.get(url + "?" + urlencode(list(bad.items(multi=True)))), "GET", url, bad)

    # POST: every field of the forms the view builds and of the forms the pages show
    for rule in rules:
        if "POST" not in rule.methods:
            continue
        url = _url(rule, ids)
        fields = MultiDict()
        for path, shown in seen_forms.items():
            try:
                endpoint, _args = adapter.match(path, method="POST")
            except HTTPException:
                continue
            if endpoint == rule.endpoint:
                for name, value in shown.items(multi=True):
                    fields.setdefault(name, value)
        for name in _form_fields(app.view_functions[rule.endpoint]):
            fields.setdefault(name, "")
        fields.pop("csrf_token", None)
        view = app.view_functions[rule.endpoint]
        # and once with every field missing: nothing may come from the edited object instead
        for bad in [MultiDict(), *_variants(fields, _numeric(view, fields), _own(rule, role))]:
            bad.add("csrf_token", token)
            _check(client.post(url, data=bad), "POST", url, bad)


def _api_calls(app):
    from matchhub.api.spec import spec

    doc = spec(app)
    for template, ops in doc["paths"].items():
        for method, op in ops.items():
            if method == "parameters":  # the path's own, not an operation
                continue
            query = {
                p["name"]: p.get("schema", {})
                for p in op.get("parameters", [])
                if p.get("in") == "query"
            }
            schema = (
                op.get("requestBody", {}).get("content", {}).get("application/json", {})
                .get("schema", {})
            )  # fmt: skip
            if "$ref" in schema:
                schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            yield template, method.upper(), query, schema.get("properties", {})


def _example(schema: dict) -> str:
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("type") in ("integer", "number"):
        return str(schema.get("minimum", 1))
    return "x"


@pytest.mark.parametrize("role", ROLES[1:], ids=lambda r: r.value)
def test_no_bad_input_crashes_the_api(app, client, world, role):
    raw = token_for(world["users"][role], scopes=("read", "write"))  # probe the writes too
    headers = {"Authorization": f"Bearer {raw}"}
    ids = world["ids"]
    for template, method, query, body in _api_calls(app):
        path = "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), template)
        baseline = MultiDict({n: _example(schema) for n, schema in query.items()})
        numeric = {n for n, schema in query.items() if schema.get("type") in ("integer", "number")}
        for bad in _variants(baseline, numeric, per_field=True):
            url = path + ("?" + urlencode(list(bad.items(multi=True))) if query else "")
            if method == "GET":
                _check(client.get(url, headers=headers), method, url, bad)
        if not body:
            continue
        for value in (LONG * 10, NUL, 10**20, ["a", "b"], {"x": NUL}, "\ud800"):
            payload = {
                name: ([value] if spec_.get("type") == "array" else value)
                for name, spec_ in body.items()
            }
            response = client.open(path, method=method, headers=headers, json=payload)
            _check(response, method, path, payload)



# ---------------------------------------------------------------- the probe's own cases


def test_a_too_long_password_is_a_form_error(client, ctx):
    response = submit(client, "/auth/login", {"email": "an@example.vn", "password": "x" * 201})
    assert response.status_code == 200
    assert "không được dài quá 200 ký tự" in response.get_data(as_text=True)


def test_nul_in_a_query_or_a_field_is_a_translated_400(client, ctx):
    response = client.get("/orders?locality=%00")
    assert response.status_code == 400
    assert "ký tự không được phép" in response.get_data(as_text=True)
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"csrf_token": token, "email": "a\x00@b.vn", "password": "x"}
    )
    assert response.status_code == 400


def test_numbers_no_column_holds_are_ignored_or_not_found(client, world, login):
    assert client.get(f"/orders?page={HUGE}").status_code == 200
    raw = token_for(world["users"][Role.LEARNER])
    headers = {"Authorization": f"Bearer {raw}"}
    # The API validates against its documented bounds: a page beyond them is refused.
    response = client.get(f"/api/v1/orders/open?page={HUGE}", headers=headers)
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400
    response = client.get(f"/api/v1/stats/skill-gaps?graduation_year={HUGE}", headers=headers)
    assert response.status_code < 500
    login(world["users"][Role.ENTERPRISE].email)
    assert client.get(f"/enterprise/orders/{HUGE}").status_code == 404


def test_a_repeated_field_takes_its_first_value(client, world, login):
    login(world["users"][Role.ENTERPRISE].email)
    url = f"/enterprise/orders/{world['ids']['order_id']}/edit"
    form = _forms(client.get(url).get_data(as_text=True))
    fields = next(f["fields"] for f in form if "title" in f["fields"])
    fields.setlist("required_skills", ["Python:4", "SQL:2"])
    response = client.post(url, data=fields)
    assert response.status_code == 302
    order = db.session.get(Order, world["ids"]["order_id"])
    assert [s.term for s in order.required_skills] == ["Python"]


def test_a_textarea_counts_a_line_break_as_one_character(client, world, login):
    login(world["users"][Role.ENTERPRISE].email)
    url = f"/enterprise/orders/{world['ids']['order_id']}/edit"
    form = _forms(client.get(url).get_data(as_text=True))
    fields = next(f["fields"] for f in form if "title" in f["fields"])
    fields["description"] = "abc\r\n" * 1200  # 4,800 characters in the box, 6,000 sent
    assert client.post(url, data=fields).status_code == 302
    order = db.session.get(Order, world["ids"]["order_id"])
    assert order.description.count("\n") >= 1199 and "\r" not in order.description

