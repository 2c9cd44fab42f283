"""The engine is a pure library: stdlib, numpy, scipy, scikit-learn, rapidfuzz only."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import matchhub.matching

ENGINE = Path(matchhub.matching.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "sklearn", "rapidfuzz"}
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "jinja2")


def engine_modules():
    return sorted(ENGINE.rglob("*.py"))


def imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                continue  # relative: inside the engine package by construction
            yield node.lineno, node.module or ""


def allowed(module):
    root = module.split(".")[0]
    if root in sys.stdlib_module_names or root in ALLOWED_THIRD_PARTY:
        return True
    return module == "matchhub.matching" or module.startswith("matchhub.matching.")


def test_engine_modules_import_only_allowed_packages():
    modules = engine_modules()
    assert len(modules) >= 5
    bad = [
        f"{path.relative_to(ENGINE)}:{line} imports {name}"
        for path in modules
        for line, name in imported_roots(path)
        if not allowed(name)
    ]
    assert bad == []


def test_importing_the_engine_loads_no_web_framework():
    # The real package: importing the engine through ``matchhub`` must not load Flask either.
    names = [
        "matchhub.matching" + ("" if p.stem == "__init__" else "." + p.stem)
        for p in engine_modules()
        if p.parent == ENGINE
    ]
    script = f"""
import importlib, json, sys
for name in {names!r}:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN!r})))
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=ENGINE.parents[1],
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
