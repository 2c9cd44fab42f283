"""The OpenAPI document is valid and describes exactly the routes the API has."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from matchhub.api.openapi import spec


def test_the_document_is_valid_openapi_3_1(client):
    served = client.get("/api/v1/openapi.json")  # public: no token needed
    assert served.status_code == 200
    document = served.get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document == spec()


def test_it_lists_exactly_the_blueprints_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(p, m) for p, ops in spec()["paths"].items() for m in ops}
    assert routes == documented


def test_every_operation_documents_its_errors_and_every_ref_resolves():
    document = spec()
    text = repr(document)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in document["components"]["schemas"], name
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            assert "200" in op["responses"], (path, method)
            if op.get("security") != []:
                assert "401" in op["responses"], (path, method)
