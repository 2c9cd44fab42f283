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


@lru_cache(maxsize=4)
def _province(path: str) -> dict[str, str]:
    return json.loads(Path(path).read_text(encoding="utf-8")).get("province", {})


def province_info(lang: str) -> dict[str, str]:
    """The province's name, and what its reports carry in their header: the authority over
    the office (``authority``), the office issuing them (``office``) and the place they
    are dated at (``place``); each in ``lang``, empty when the file does not say."""
    data = _province(str(current_app.config.get("LOCALITIES_FILE") or DEFAULT_FILE))
    return {
        key: data.get(f"{key}_{lang}") or data.get(f"{key}_vi") or ""
        for key in ("name", "authority", "office", "place")
    }


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
