"""The OpenAPI 3.1 document of ``/api/v1``, generated from the routes and their schemas.

flask-smorest collects each route's parameters, body and answer from its decorators;
this module adds what is the same for every route (the token, the errors every call
may meet) and serves the result at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

VERSION = "1.1.0"
PREFIX = "/api/v1"

SPEC_KWARGS: dict[str, Any] = {
    "title": "MatchHub API",
    "version": VERSION,
    "openapi_version": "3.1.0",
    "info": {
        "description": (
            "Skill orders, ranked and explained candidates, matches, demand and gaps; "
            "orders and cohort imports written by other systems. Every call but this "
            "document needs a personal token from the account's “API tokens” page: "
            "`Authorization: Bearer mh_…`. A token acts as its user, with that user's role "
            "and organisation; it reads, and writes only when made with the `write` scope. "
            "Messages follow the user's language. Rate limit: 300 calls a minute per token."
        )
    },
    "servers": [{"url": PREFIX}],
    "security": [{"token": []}],
}

# What any call with a token may answer besides its own answers.
_COMMON_ERRORS = {
    "401": "No valid token",
    "403": "Not allowed for this role, or the token lacks the scope",
    "404": "Not found, or not yours",
    "429": "Rate limit exceeded",
}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _build(api) -> dict[str, Any]:
    if "token" not in api.spec.components.security_schemes:
        api.spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    document = api.spec.to_dict()
    paths = {}
    for path, operations in document["paths"].items():
        # Paths are relative to the server URL, as clients generated from it expect.
        paths[path.removeprefix(PREFIX) or "/"] = operations
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.pop("default", None)  # every status is listed
            if operation.get("security") == []:
                continue
            for status, description in _COMMON_ERRORS.items():
                responses.setdefault(status, _error_response(description))
    document["paths"] = paths
    document["components"].get("responses", {}).pop("DEFAULT_ERROR", None)
    # flask-smorest lists one tag per blueprint; operations are tagged by their route.
    document.pop("tags", None)
    return document


def spec(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI document (built once per application; treat it as read-only)."""
    app = app or current_app
    cache = app.extensions.setdefault("matchhub-openapi", {})
    if "document" not in cache:
        from matchhub.api import api

        cache["document"] = _build(api)
    return cache["document"]
