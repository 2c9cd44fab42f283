"""What each scanner finding that was looked at turned out to be (``make scan``'s report).

A rule matches a finding by its category and, optionally, by patterns on its text and path
(regular expressions, searched case-insensitively). The first matching rule gives the verdict;
a finding no rule matches is reported as "not yet explained" and counts against the scan's
target until someone reads it and adds a rule here (or fixes the code).

Verdicts: ``false positive`` (the scanner is wrong, or the scan's own setup causes it),
``accepted`` (true, but not a weakness here, and why), ``fixed`` (real, fixed in the commit
named), ``real`` (open: a real weakness still there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    category: str
    verdict: str
    explanation: str
    info: str = ""  # pattern on the finding's text
    path: str = ""  # pattern on the request path

    def matches(self, category: str, info: str, path: str) -> bool:
        return (
            self.category.lower() == category.lower()
            and (not self.info or re.search(self.info, info, re.IGNORECASE) is not None)
            and (not self.path or re.search(self.path, path, re.IGNORECASE) is not None)
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "Secure Flag cookie",
        "false positive",
        "The scan serves plain HTTP on loopback with `SESSION_COOKIE_SECURE=false` so that the "
        "scanners can keep a session. In production (`MATCHHUB_ENV=production`) the session and "
        "remember cookies are Secure by default (`ProdConfig`), and the device and language "
        "cookies follow the same setting (`matchhub/auth/throttle.py`, "
        "`matchhub/public/routes.py`).",
    ),
    Rule(
        "HTTP Secure Headers",
        "accepted",
        "`X-XSS-Protection` is deprecated: browsers removed the XSS auditor it switched on, and "
        "OWASP's advice is to leave it out (or send `0`). What it stood for is done by the "
        "Content-Security-Policy on every answer (`script-src 'self'`, no inline script).",
        info=r"X-XSS-Protection",
    ),
    Rule(
        "HTTP Secure Headers",
        "false positive",
        "HSTS is only meaningful over HTTPS (browsers ignore it over HTTP, RFC 6797 §8.1); the "
        "app sends `Strict-Transport-Security` on every secure request, and behind a TLS proxy "
        "once `TRUSTED_PROXIES` is set. The scan runs over plain HTTP on loopback.",
        info=r"Strict-Transport-Security",
    ),
    Rule(
        "Content Security Policy Configuration",
        "false positive",
        "The policy is `default-src 'self'; script-src 'self'; style-src 'self'; … object-src "
        "'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'` on every answer "
        "(`matchhub/security.py`); wapiti 3.0.4 misreads a policy that names no `unsafe-*` "
        "source as weak when a directive falls back to `default-src`.",
    ),
    Rule(
        "Cross Site Request Forgery",
        "false positive",
        "The form is the language switcher in the page header: its buttons post to "
        "`/language/<lang>` through `formaction`, which wapiti 3.0.4 ignores, so it posts the "
        "form to the page's own URL. That URL takes no POST and answers 405 with a valid token "
        "and with a wrong one; wapiti reads the two identical answers as a token that is not "
        "checked. Flask-WTF's CSRFProtect checks the token on every POST of the web pages "
        "(only `/api/v1`, which takes bearer tokens and no cookies, is exempt); "
        "`/language/<lang>` itself refuses a wrong token with 400.",
        info=r"not properly checked",
    ),
    Rule(
        "Cross Site Request Forgery",
        "false positive",
        "Every POST form carries Flask-WTF's CSRF token and a POST without a valid one is "
        "refused (400); the forms wapiti lists are search and filter forms sent with GET, which "
        "change nothing.",
        info=r"GET|search|filter",
    ),
)


def triage(category: str, info: str, path: str) -> Rule | None:
    """The first rule that explains this finding, or ``None``."""
    for rule in RULES:
        if rule.matches(category, info, path):
            return rule
    return None
