"""Fingerprinted static files: cached by browsers for a year, never stale.

``url_for("static", filename=…)`` gains ``?v=<hash of the file's content>``. A
request carrying the current hash is answered with a one-year, immutable cache
lifetime, so pages stop revalidating every stylesheet and script; when a file
changes its hash changes, and so does every URL pointing at it. Requests without
the hash (or with an old one) keep the ordinary revalidation.
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, Response, request

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    # One hash per file and modification time: computed once per worker, and again only
    # when the file changes on disk (development).
    hashes: dict[str, tuple[float, str]] = {}

    def fingerprint(filename: str) -> str | None:
        path = os.path.join(app.static_folder or "", filename)
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        known = hashes.get(filename)
        if known is None or known[0] != mtime:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:12]
            known = hashes[filename] = (mtime, digest)
        return known[1]

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            digest = fingerprint(values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_fingerprinted(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == fingerprint(filename):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
