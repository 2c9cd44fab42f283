"""Localities come from a data file (a province's wards and communes), never from code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "localities.json"


@dataclass(frozen=True)
class Locality:
    code: str
    name_vi: str
    name_en: str

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_vi


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Locality, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Locality(**{k: row[k] for k in ("code", "name_vi", "name_en")})
        for row in data["localities"]
    )


def all_localities() -> tuple[Locality, ...]:
    """Every locality of the configured file, in the file's order."""
    return _load(str(current_app.config.get("LOCALITIES_FILE") or DEFAULT_FILE))


def locality_codes() -> list[str]:
    return [loc.code for loc in all_localities()]


def choices() -> list[tuple[str, str]]:
    """(code, name) pairs in the current language, for a select field."""
    lang = str(get_locale() or "vi")
    return [(loc.code, loc.name(lang)) for loc in all_localities()]


def name_of(code: str | None) -> str:
    """The locality's name in the current language; the code itself when unknown."""
    if not code:
        return ""
    lang = str(get_locale() or "vi")
    for loc in all_localities():
        if loc.code == code:
            return loc.name(lang)
    return code
