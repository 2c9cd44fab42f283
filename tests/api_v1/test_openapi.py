"""The OpenAPI document is generated from the routes' schemas, valid, and describes
exactly the routes the API has."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from matchhub.api.spec import spec


def test_the_document_is_valid_openapi_3_1(app, client):
    served = client.get("/api/v1/openapi.json")  # public: no token needed
    assert served.status_code == 200
    document = served.get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document == spec(app)


def test_it_lists_exactly_the_blueprints_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            assert rule.endpoint.startswith("api."), rule  # nothing else under /api
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(p, m) for p, ops in spec(app)["paths"].items() for m in ops if m != "parameters"}
    assert routes == documented


def test_every_operation_documents_its_answers_and_errors_and_every_ref_resolves(app):
    document = spec(app)
    text = repr(document)
    for kind, name in re.findall(r"#/components/(\w+)/(\w+)", text):
        assert name in document["components"][kind], name
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            assert any(s.startswith("2") for s in op["responses"]), (path, method)
            assert op.get("summary"), (path, method)
            if op.get("security") != []:
                assert {"401", "403", "404", "429"} <= set(op["responses"]), (path, method)


def test_writing_routes_ask_for_the_write_scope(app):
    document = spec(app)
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if method in ("post", "put", "delete") and not path.startswith("/skills/"):
                assert op["security"] == [{"token": ["write"]}], (path, method)
