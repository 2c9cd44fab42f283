"""Calling /api/v1 in tests: a token for a user, and calls whose answers are validated
against the OpenAPI document's schema for that path, method and status."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from matchhub.api.spec import spec
from matchhub.services import api_tokens


def token_for(user, days: int | None = 30, scopes=("read",)) -> str:
    return api_tokens.create_token(user, "tests", days, scopes)[1]


def _template(doc: dict, path: str) -> str:
    """The OpenAPI path template a concrete ``/api/v1/...`` path belongs to (a literal
    segment beats a parameter, as in routing: ``/orders/open`` is not an order id)."""
    parts = path.split("?")[0].removeprefix("/api/v1").split("/")
    found = []
    for template in doc["paths"]:
        tparts = template.split("/")
        if len(tparts) == len(parts) and all(
            t == p or t.startswith("{") for t, p in zip(tparts, parts, strict=True)
        ):
            found.append((sum(t.startswith("{") for t in tparts), template))
    assert found, f"{path} is not in the OpenAPI document"
    return min(found)[1]


def _resolve(doc: dict, node: dict) -> dict:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = doc["components"][kind][name]
    return node


def schema_errors(doc: dict, path: str, method: str, status: int, body) -> list[str]:
    """What in ``body`` breaks the documented schema of that response (empty: valid)."""
    op = doc["paths"][_template(doc, path)][method.lower()]
    assert str(status) in op["responses"], f"{method} {path}: {status} is not documented"
    response = _resolve(doc, op["responses"][str(status)])
    if status == 204:
        return []
    schema = response["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": doc["components"]})
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)
    ]


def call(client, method: str, path: str, token: str | None, **kwargs):
    """Call the API; every documented answer must match its schema."""
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = client.open(path, method=method, headers=headers, **kwargs)
    if response.status_code == 204:
        return response
    assert response.is_json, response.get_data(as_text=True)[:200]
    doc = spec(client.application)
    problems = schema_errors(doc, path, method, response.status_code, response.get_json())
    assert not problems, problems
    return response
