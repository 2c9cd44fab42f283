"""Log in to a running MatchHub over HTTP and hand the session to the scanners.

``python -m bench.scan.login BASE_URL ACCOUNTS.json ROLE USER_AGENT OUT_PREFIX`` logs in as
ROLE's account from ``bench.scan.prepare`` and writes

- ``OUT_PREFIX.json``: the cookies in wapiti's JSON cookie-file format (``wapiti -c``);
- ``OUT_PREFIX.txt``: the same cookies as one ``Cookie`` header value (``sqlmap --cookie``).

The user agent must be the one the scanner sends: the app's "strong" session protection
drops a session whose user agent or address changes.
Standard library only, so it runs wherever the app's virtualenv does.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base_url: str, email: str, password: str, user_agent: str) -> http.cookiejar.CookieJar:
    """A cookie jar holding a logged-in session; raises when the login does not succeed."""
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {base_url}")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    opener.addheaders = [("User-Agent", user_agent)]
    url = base_url.rstrip("/") + "/auth/login"
    with opener.open(url, timeout=30) as response:
        page = response.read().decode("utf-8")
    match = _CSRF.search(page)
    if not match:
        raise RuntimeError(f"no CSRF token on {url}")
    body = urllib.parse.urlencode(
        {"csrf_token": match.group(1), "email": email, "password": password}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 - http(s), checked above
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # the 302 that _NoRedirect does not follow
        status = exc.code
    if status != 302:
        raise RuntimeError(f"login as {email} answered {status}, not a redirect")
    return jar


def wapiti_cookies(jar: http.cookiejar.CookieJar) -> dict:
    """``{domain: {path: {name: attributes}}}``, as wapitiCore.net.jsoncookie reads it."""
    out: dict = {}
    for cookie in jar:
        out.setdefault(cookie.domain, {}).setdefault(cookie.path, {})[cookie.name] = {
            "value": cookie.value,
            "expires": cookie.expires,
            "secure": cookie.secure,
            "port": None,
            "version": cookie.version or 0,
        }
    return out


def cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def main(argv: list[str]) -> None:
    if len(argv) != 6:
        raise SystemExit(
            "usage: python -m bench.scan.login BASE_URL ACCOUNTS.json ROLE USER_AGENT OUT_PREFIX"
        )
    base_url, accounts_file, role, user_agent, prefix = argv[1:]
    with open(accounts_file, encoding="utf-8") as f:
        account = json.load(f)["logins"][role]
    jar = login(base_url, account["email"], account["password"], user_agent)
    if any(cookie.secure for cookie in jar):
        raise SystemExit("the session cookie is Secure: set SESSION_COOKIE_SECURE=false over http")
    with open(prefix + ".json", "w", encoding="utf-8") as f:
        json.dump(wapiti_cookies(jar), f, indent=2)
    with open(prefix + ".txt", "w", encoding="utf-8") as f:
        f.write(cookie_header(jar) + "\n")


if __name__ == "__main__":
    main(sys.argv)
