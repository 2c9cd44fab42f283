"""Run every benchmark section and print one JSON object.

    .venv/bin/python -m bench.run                      # all sections present
    .venv/bin/python -m bench.run --only engine,quality

Sections are the modules ``bench.quality``, ``bench.extraction``, ``bench.engine``,
``bench.allocation``, ``bench.fairness``, ``bench.pages``, ``bench.imports``, ``bench.dashboard``,
``bench.throughput``, ``bench.ranking`` and ``bench.reports``; each exposes ``run() -> dict``
of flat keys. A section that is not there is skipped with a note on stderr; one that fails
is reported on stderr, the others still run, and the exit status is 1. Output: sorted
keys, indent 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback

SECTIONS = (
    "quality",
    "extraction",
    "engine",
    "allocation",
    "fairness",
    "pages",
    "imports",
    "dashboard",
    "throughput",
    "ranking",
    "reports",
)


def main(argv: list[str] | None = None) -> int:
    """Run the selected sections and print their merged figures; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help="comma-separated sections among: " + ", ".join(SECTIONS),
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    merged: dict = {}
    status = 0
    for name in chosen:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{name}":
                raise
            print(f"bench.run: no bench.{name} module, section skipped", file=sys.stderr)
            continue
        print(f"bench.run: running {name} ...", file=sys.stderr)
        try:
            figures = module.run()
        except Exception:  # one broken section must not hide the others
            print(f"bench.run: section {name} failed:", file=sys.stderr)
            traceback.print_exc()
            status = 1
            continue
        clash = sorted(set(figures) & set(merged))
        if clash:
            print(f"bench.run: {name} overrides keys {clash}", file=sys.stderr)
        merged.update(figures)
    print(json.dumps(merged, indent=2, sort_keys=True))
    return status


if __name__ == "__main__":
    sys.exit(main())
