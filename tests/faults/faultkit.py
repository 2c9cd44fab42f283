"""Helpers of the fault tests: apps on a given database, and worker processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from matchhub import create_app
from matchhub.config import TestConfig

ROOT = Path(__file__).resolve().parents[2]


def app_on(url: str, **settings):
    """An app (``TESTING`` off: errors take the production path) on the database at ``url``."""

    class FaultConfig(TestConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = url

    for key, value in settings.items():
        setattr(FaultConfig, key, value)
    return create_app(FaultConfig)


def python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    """Start ``python -c code args`` from the repository's root, as a worker would run."""
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True, **kwargs)
