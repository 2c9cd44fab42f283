"""Run Debian's wapiti 3.0.4 with working URL exclusions and an overall deadline.

Run with the system interpreter that wapiti is installed for (``/usr/bin/python3
bench/scan/wapiti_compat.py ARGS``, the same arguments as ``wapiti``).

- **Exclusions.** wapiti 3.0.4 turns each ``-x`` pattern into ``<pattern>\\Z(?ms)``; Python
  3.11 refuses global flags that are not at the start of an expression, so any ``-x`` crashes
  the crawl before its first request. The scan cannot go without them: the crawl submits
  forms, and a submitted logout form ends the scanner's session (and every other session of
  its user). The same translation is swapped in with the flags in front.
- **Deadline.** ``--max-attack-time`` is only checked between two resources, and one resource
  (a page with five parameters, each tried with dozens of payloads) can take minutes on a
  busy machine. With ``WAPITI_DEADLINE`` (seconds) set, every request after the deadline is
  refused the way Ctrl-C would stop it, and wapiti's question "what now?" is answered "write
  the report": the crawl stops, each remaining module stops at its first request, and the
  JSON report holds everything found until then. The console says so ("deadline reached").
- **Loopback only.** Every request wapiti would send to a host other than this machine's
  loopback is refused before it leaves: wapiti 3.0.4 downloads its Wappalyzer database even
  when that module is not chosen, and some modules and its crash reports call its public
  server. The scan must not talk to anything but the app.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
import time
from urllib.parse import urlsplit

from requests.exceptions import ConnectionError as RequestsConnectionError
from wapitiCore.main.wapiti import wapiti_main
from wapitiCore.net import crawler


def wildcard_translate(pattern: str) -> re.Pattern:
    """``*`` matches anything; every other character stands for itself (as wapiti means it)."""
    return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _host(resource) -> str:
    return (urlsplit(getattr(resource, "url", "") or "").hostname or "").lower()


class DeadlineReached(KeyboardInterrupt):
    """Raised in place of a request after the deadline; wapiti handles it as Ctrl-C."""


def guard_requests(deadline_seconds: float | None) -> None:
    """Refuse requests off loopback and, past the deadline, every request."""
    deadline = None if deadline_seconds is None else time.monotonic() + deadline_seconds
    told = []

    def guarded(method):
        def wrapper(self, resource, *args, **kwargs):
            # Crawler.request(method, form, ...) takes the HTTP method first.
            target = args[0] if isinstance(resource, str) and args else resource
            if _host(target) not in LOOPBACK:
                print(f"Refused a request off this machine: {getattr(target, 'url', target)}")
                raise RequestsConnectionError("make scan talks to loopback only")
            if deadline is not None and time.monotonic() > deadline:
                if not told:
                    told.append(True)
                    print(f"Scan deadline reached ({deadline_seconds:.0f} s): writing the report")
                raise DeadlineReached
            return method(self, resource, *args, **kwargs)

        return wrapper

    for name in ("get", "post", "request"):
        setattr(crawler.Crawler, name, guarded(getattr(crawler.Crawler, name)))
    # wapiti asks what to do after Ctrl-C: "r" stops the module and goes on to the report.
    builtins.input = lambda prompt="": "r"


crawler.wildcard_translate = wildcard_translate

if __name__ == "__main__":
    seconds = os.environ.get("WAPITI_DEADLINE")
    guard_requests(float(seconds) if seconds else None)
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
