"""The matching engine: a pure library.

It imports nothing from Flask, SQLAlchemy or the rest of ``matchhub`` (a test
enforces it), takes frozen dataclasses in and gives results out, and is
deterministic, so the web app, the API, the CLI and the benchmarks share it.
"""
