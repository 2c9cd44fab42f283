"""Run Debian's wapiti 3.0.4 with its URL exclusions working on Python 3.11.

Run with the system interpreter that wapiti is installed for (``/usr/bin/python3
bench/scan/wapiti_compat.py ARGS``, the same arguments as ``wapiti``).

wapiti 3.0.4 turns each ``-x`` pattern into ``<pattern>\\Z(?ms)``; Python 3.11 refuses global
flags that are not at the start of an expression, so any ``-x`` crashes the crawl before its
first request. The scan cannot go without them: the crawl submits forms, and a submitted
logout form ends the scanner's session (and every other session of its user). This swaps in
the same translation with the flags in front, then runs wapiti unchanged.
"""

from __future__ import annotations

import re
import sys

from wapitiCore.main.wapiti import wapiti_main
from wapitiCore.net import crawler


def wildcard_translate(pattern: str) -> re.Pattern:
    """``*`` matches anything; every other character stands for itself (as wapiti means it)."""
    return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")


crawler.wildcard_translate = wildcard_translate

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
