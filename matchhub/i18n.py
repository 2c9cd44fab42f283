"""Languages: Vietnamese by default, English on request; Vietnam's time zone."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import numbers
from flask import Flask, current_app, g, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    get_translations,
    gettext,
)
from flask_login import current_user

from matchhub.extensions import babel

LANG_COOKIE = "lang"


def select_locale() -> str:
    """The language chosen on this device, else the account's saved choice, else Vietnamese.

    The cookie wins over the account because it is the most recent explicit
    choice (switching to English on the login page must survive the login);
    a new device without the cookie gets the account's language. The browser's
    Accept-Language is deliberately ignored: the platform is Vietnamese unless
    somebody asks for English.
    """
    languages = current_app.config["LANGUAGES"]
    forced = getattr(g, "forced_locale", None)
    if forced in languages:
        return forced
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


# Babel's CLDR patterns read "02:20:00 6 thg 8, 2026" in Vietnamese; offices write
# day/month/year and hours:minutes, so the patterns are set per language here.
_DATE_PATTERNS = {
    "vi": ("dd/MM/yyyy", "dd/MM/yyyy HH:mm"),
    "en": ("MMM d, yyyy", "MMM d, yyyy, HH:mm"),
}


def _fmt_date(value: date | datetime | None, format: str = "medium") -> str:
    """A date as dd/mm/yyyy (a date and time as dd/mm/yyyy HH:mm, in Vietnam's time) in
    Vietnamese, "Aug 6, 2026" in English. ``format`` is kept for the templates that pass
    one; "short" and "medium" read the same."""
    if value is None:
        return ""
    day, moment = _DATE_PATTERNS.get(str(get_locale()), _DATE_PATTERNS["vi"])
    if isinstance(value, datetime):
        return format_datetime(value, moment)
    return format_date(value, day)


#: The same, for Python code that words a date (a notification, a mail).
date_text = _fmt_date


def _fmt_time(value: datetime | None) -> str:
    """The hour and minute of ``value`` in Vietnam's time, 24-hour clock in both languages."""
    return "" if value is None else format_time(value, "HH:mm")


@lru_cache(maxsize=64)
def _number_pattern(format: str) -> numbers.NumberPattern:
    """``format`` parsed, once per worker: Babel parses a pattern string again on every
    call, and a page of matches formats dozens of scores. A pattern holds no locale:
    the locale still gives the symbols and separators when it is applied."""
    return numbers.parse_pattern(format)


def _fmt_number(value: float | int | None, format: str | None = None) -> str:
    if value is None:
        return ""
    pattern = None if format is None else _number_pattern(format)
    return numbers.format_decimal(value, format=pattern, locale=get_locale())


def _fmt_percent(value: float | None) -> str:
    if value is None:
        return ""
    return numbers.format_percent(value, format=_number_pattern("#,##0%"), locale=get_locale())


def _fmt_vnd(value: int | None) -> str:
    return "" if value is None else f"{format_decimal(value)} ₫"


def _millions(value: int) -> str:
    return numbers.format_decimal(value / 1_000_000, format="#,##0.#", locale=get_locale())


def salary_range(low: int | None, high: int | None) -> str:
    """An order's monthly pay as job boards write it: "8–12 triệu ₫", "từ 8 triệu ₫",
    "đến 12 triệu ₫", or "Thoả thuận" (negotiable) when the order gives none."""
    if low and high and low != high:
        return gettext("%(low)s–%(high)s million ₫", low=_millions(low), high=_millions(high))
    if low and high:
        return gettext("%(amount)s million ₫", amount=_millions(low))
    if low:
        return gettext("from %(amount)s million ₫", amount=_millions(low))
    if high:
        return gettext("up to %(amount)s million ₫", amount=_millions(high))
    return gettext("Negotiable")


def init_app(app: Flask) -> None:
    # Flask-Babel installs its own gettext callables in Jinja (newstyle).
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters.update(
        date=_fmt_date, time=_fmt_time, number=_fmt_number, percent=_fmt_percent, vnd=_fmt_vnd
    )
    app.jinja_env.add_extension("jinja2.ext.do")

    from matchhub.labels import (
        MATCH_LABELS,
        MATCH_PARTS,
        TIER_CLASSES,
        badge,
        category_label,
        label,
    )
    from matchhub.services.localities import name_of
    from matchhub.services.orgs import sector_name

    # Globals, not a context processor: imported macros see globals only.
    app.jinja_env.globals.update(
        label=label,
        badge=badge,
        match_labels=MATCH_LABELS,
        match_parts=MATCH_PARTS,
        tier_classes=TIER_CLASSES,
        skill_label=skill_label,
        category_label=category_label,
        locality_name=name_of,
        sector_name=sector_name,
        skill_name=skill_name,
        ngettext=_ngettext,
        salary_range=salary_range,
    )

    @app.context_processor
    def _language():
        return {"current_lang": current_lang(), "languages": app.config["LANGUAGES"]}


def _ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Plural forms whose count is written the local way (1.500 in Vietnamese, 1,500 in English)."""
    text = get_translations().ngettext(singular, plural, num)
    return text % {"num": format_decimal(num), **variables}


def current_lang() -> str:
    """The language of the current request, as a plain code ("vi" or "en")."""
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def skill_label(skill_id: str, skills) -> str:
    """What a match card shows of engine skill ``skill_id``: ``skills`` maps it to a
    name already in the page's language or to a Skill row (the id itself if neither)."""
    s = skills.get(skill_id, skill_id)
    return s if isinstance(s, str) else skill_name(s)


def skill_name(skill) -> str:
    """A skill's name in the current language (empty for ``None``)."""
    return skill.name(current_lang()) if skill is not None else ""
