"""Turn ``make scan``'s raw output into the "Scan" section of ``docs/security.md``.

``python -m bench.scan.report WORKDIR [DOC]`` reads, from WORKDIR:

- ``meta.json``: when and how the scan ran (written by scripts/scan.sh);
- ``wapiti.json``: wapiti's JSON report (``-f json``), and ``wapiti.log``, its console
  (how far the crawl went, which modules ran, which were stopped by the time cap);
- ``sqlmap/targets.json`` and ``sqlmap/NAME.log``: what bench.scan.sqlmap_run ran and
  sqlmap's console for each target;
- ``access.log``: gunicorn's access log for the whole scan (requests and status codes);

and writes the section into DOC (default ``docs/security.md``): the section headed
``## Scan`` is replaced, everything else in the file is kept. Each finding gets its
severity and the verdict of the first rule in bench.scan.triage that explains it.

Standard library only: the report can be rebuilt, and tested, without the scanners.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.scan import triage

SECTION = "## Scan"
SEVERITIES = ("info", "low", "medium", "high", "critical")
#: Findings that count against the target "nothing above low that is real".
OPEN_VERDICTS = ("real", "not yet explained")


@dataclass
class Finding:
    tool: str
    category: str
    severity: str
    info: str
    parameter: str = ""
    requests: list[str] = field(default_factory=list)  # "METHOD /path", a few examples
    count: int = 1
    verdict: str = "not yet explained"
    explanation: str = ""

    @property
    def open(self) -> bool:
        return self.verdict in OPEN_VERDICTS

    @property
    def above_low(self) -> bool:
        return SEVERITIES.index(self.severity) > SEVERITIES.index("low")


def severity_of(level) -> str:
    """wapiti's level (0 info … 4 critical, an int or a digit string) as a word."""
    try:
        return SEVERITIES[max(0, min(int(level), 4))]
    except (TypeError, ValueError):
        return "info"


def _judge(finding: Finding) -> Finding:
    path = " ".join(finding.requests)
    rule = triage.triage(finding.category, finding.info, path)
    if rule is not None:
        finding.verdict, finding.explanation = rule.verdict, rule.explanation
    return finding


# ------------------------------------------------------------------------------- wapiti


def wapiti_findings(report: dict) -> list[Finding]:
    """Vulnerabilities and anomalies, one finding per (category, text, parameter).

    The same header or cookie remark on fifty pages is one finding with fifty requests.
    """
    grouped: dict[tuple, Finding] = {}
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (report.get(section) or {}).items():
            for item in items or []:
                key = (category, item.get("info", ""), item.get("parameter", ""))
                request = f"{item.get('method', 'GET')} {item.get('path', '')}"
                if key in grouped:
                    found = grouped[key]
                    found.count += 1
                    if request not in found.requests:
                        found.requests.append(request)
                    worst = max(SEVERITIES.index(found.severity), int(item.get("level") or 0))
                    found.severity = SEVERITIES[min(worst, 4)]
                    continue
                grouped[key] = Finding(
                    tool="wapiti",
                    category=category,
                    severity=severity_of(item.get("level", 0)),
                    info=item.get("info", ""),
                    parameter=item.get("parameter", ""),
                    requests=[request],
                )
    return [_judge(f) for f in grouped.values()]


_MODULE = re.compile(r"\[\*\] Launching module (\S+)")
_MODULE_CAP = re.compile(r"Max attack time was reached for module (\S+?),")
_FOUND = re.compile(r"Wapiti found (\d+) URLs and forms")
_DEADLINE = "Scan deadline reached"  # bench/scan/wapiti_compat.py


@dataclass
class WapitiRun:
    crawled: int = 0  # pages and forms found by the crawl
    crawl_capped: bool = False
    modules: list[str] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)  # stopped by --max-attack-time
    deadline: str | None = None  # "crawl" or the module running when the deadline came
    after_deadline: list[str] = field(default_factory=list)  # modules that did not run

    def describe(self, module: str) -> str:
        if module in self.after_deadline:
            return f"{module} (not run: deadline)"
        if module == self.deadline:
            return f"{module} (stopped by the deadline)"
        if module in self.capped:
            return f"{module} (time cap)"
        return module


def wapiti_run(text: str) -> WapitiRun:
    """What wapiti's console (``-v 1``) says about its crawl and its attack modules."""
    run = WapitiRun()
    found = None
    for line in text.splitlines():
        if not run.modules and run.deadline is None and line.startswith("[+] "):
            run.crawled += 1
        if m := _MODULE.search(line):
            run.modules.append(m.group(1))
            if run.deadline is not None:
                run.after_deadline.append(m.group(1))
        elif m := _MODULE_CAP.search(line):
            run.capped.append(m.group(1))
        elif "Max scan time was reached" in line:
            run.crawl_capped = True
        elif _DEADLINE in line:
            run.deadline = run.modules[-1] if run.modules else "crawl"
        elif m := _FOUND.search(line):
            found = int(m.group(1))
    # wapiti counts what its crawl found (this and earlier sessions); else count its lines.
    if found is not None:
        run.crawled = found
    return run


# ------------------------------------------------------------------------------- sqlmap

_NOT_INJECTABLE = re.compile(r"parameter '([^']+)' does not seem to be injectable")
_INJECTABLE = re.compile(r"parameter '([^']+)' (?:is|appears to be) '([^']+)' injectable")
_HEURISTIC_SQL = re.compile(
    r"heuristic \(basic\) test shows that \S+ parameter '([^']+)' might be injectable"
)
_HEURISTIC_XSS = re.compile(
    r"heuristic \(XSS\) test shows that \S+ parameter '([^']+)' might be vulnerable"
)
_HTTP_CODES = re.compile(r"HTTP error codes detected during run:")
_CODE = re.compile(r"(\d{3}) \(([^)]*)\) - (\d+) times")
_CRITICAL = re.compile(r"\[CRITICAL\] (.+)")


@dataclass
class SqlmapTarget:
    name: str
    url: str
    auth: str | None
    tested: list[str]
    seconds: float = 0.0
    timed_out: bool = False
    verdicts: dict[str, str] = field(default_factory=dict)  # parameter -> outcome
    http_errors: dict[str, int] = field(default_factory=dict)  # "500 (Internal …)" -> times
    problems: list[str] = field(default_factory=list)  # sqlmap's CRITICAL lines
    xss_hints: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)  # numeric, left out on purpose


def parse_sqlmap_log(text: str, target: SqlmapTarget) -> SqlmapTarget:
    """Fill ``target`` with what sqlmap's console ``text`` says about each parameter."""
    for param in target.tested:
        target.verdicts[param] = "not reached (time cap)" if target.timed_out else "not tested"
    for line in text.splitlines():
        if m := _NOT_INJECTABLE.search(line):
            target.verdicts[m.group(1)] = "not injectable"
        elif m := _INJECTABLE.search(line):
            target.verdicts[m.group(1)] = f"INJECTABLE ({m.group(2)})"
        elif m := _HEURISTIC_SQL.search(line):
            target.verdicts.setdefault(m.group(1), "heuristic: might be injectable")
        if m := _HEURISTIC_XSS.search(line):
            target.xss_hints.append(m.group(1))
        if m := _CRITICAL.search(line):
            target.problems.append(m.group(1).strip())
    for param in target.untested:
        target.verdicts.setdefault(param, "numeric, not tested")
    # sqlmap ends with "HTTP error codes detected during run:" and the codes on the next line.
    if codes := _HTTP_CODES.search(text):
        for code, name, times in _CODE.findall(text[codes.end() :]):
            label = f"{code} ({name})"
            target.http_errors[label] = target.http_errors.get(label, 0) + int(times)
    return target


def sqlmap_targets(directory: Path) -> tuple[dict, list[SqlmapTarget]]:
    """The run's settings and one parsed target per entry of ``targets.json``."""
    index = json.loads((directory / "targets.json").read_text(encoding="utf-8"))
    parsed = []
    for entry in index.get("targets", []):
        target = SqlmapTarget(
            name=entry["name"],
            url=entry["url"],
            auth=entry.get("auth"),
            tested=list(entry.get("tested") or entry.get("params") or {}),
            untested=[p for p in entry.get("params") or {} if p not in (entry.get("tested") or [])]
            if "tested" in entry
            else [],
            seconds=entry.get("seconds", 0.0),
            timed_out=bool(entry.get("timed_out")),
        )
        log = directory / f"{entry['name']}.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        parsed.append(parse_sqlmap_log(text, target))
    return index, parsed


def sqlmap_findings(targets: list[SqlmapTarget]) -> list[Finding]:
    """Injectable parameters and XSS hints. A 5xx that sqlmap saw is in the access log too,
    where it becomes a finding with its path (:func:`server_error_findings`)."""
    findings = []
    for t in targets:
        path = "GET " + (urlsplit(t.url).path or "/")
        for param, outcome in t.verdicts.items():
            if outcome.startswith("INJECTABLE"):
                findings.append(Finding("sqlmap", "SQL Injection", "high", outcome, param, [path]))
        for param in dict.fromkeys(t.xss_hints):
            findings.append(
                Finding(
                    "sqlmap",
                    "Cross Site Scripting",
                    "low",
                    "sqlmap's heuristic: the parameter's value may be echoed unescaped",
                    param,
                    [path],
                )
            )
    return [_judge(f) for f in findings]


# --------------------------------------------------------------------------- access log

# gunicorn's default access format: h l u [t] "r" s b "f" "a"
_ACCESS = re.compile(
    r'^\S+ \S+ \S+ \[[^\]]+\] "(?P<method>[A-Z]+) (?P<target>\S+)[^"]*" (?P<status>\d{3}) '
    r'\S+ "[^"]*" "(?P<agent>[^"]*)"'
)


@dataclass
class AccessStats:
    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_agent: Counter = field(default_factory=Counter)
    server_errors: Counter = field(default_factory=Counter)  # "METHOD /path" -> times


def access_stats(lines) -> AccessStats:
    stats = AccessStats()
    for line in lines:
        m = _ACCESS.match(line)
        if not m:
            continue
        stats.total += 1
        status = m.group("status")
        stats.by_status[status] += 1
        stats.by_agent[m.group("agent")] += 1
        if status.startswith("5"):
            path = m.group("target").split("?", 1)[0]
            stats.server_errors[f"{m.group('method')} {path} → {status}"] += 1
    return stats


def server_error_findings(stats: AccessStats) -> list[Finding]:
    """Every 5xx in the access log is a finding: bad input must never crash a request."""
    return [
        _judge(Finding("server", "Internal Server Error", "medium", what, "", [what], times))
        for what, times in stats.server_errors.most_common()
    ]


# ------------------------------------------------------------------------------ render


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _requests(finding: Finding, limit: int = 3) -> str:
    shown = ", ".join(f"`{r}`" for r in finding.requests[:limit])
    more = len(finding.requests) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def render(
    meta: dict,
    findings: list[Finding],
    stats: AccessStats,
    sqlmap_index: dict,
    targets: list[SqlmapTarget],
    wapiti_infos: dict,
    wapiti_console: WapitiRun | None = None,
) -> str:
    """The markdown of the ``## Scan`` section."""
    blocking = [f for f in findings if f.open and f.above_low]
    open_low = [f for f in findings if f.open and not f.above_low]
    out = [SECTION, ""]
    out.append(
        "Written by `make scan` (scripts/scan.sh, bench/scan/); rebuild this section from a "
        "scan's work directory with `python -m bench.scan.report WORKDIR`. Everything else in "
        "this file is kept as it is."
    )
    out.append("")
    verdict = (
        "**Target met: nothing above low that is real.**"
        if not blocking
        else f"**Target not met: {len(blocking)} finding(s) above low are real or not yet "
        "explained (below).**"
    )
    out += [verdict, ""]

    out += ["### Run", ""]
    out.append("| | |")
    out.append("| --- | --- |")
    rows = [
        ("date", meta.get("date", "?")),
        ("commit", f"`{meta.get('commit', '?')}`"),
        (
            "duration",
            f"{meta.get('total_seconds', '?')} s in all (wapiti "
            f"{meta.get('wapiti_seconds', '?')} s, sqlmap {meta.get('sqlmap_seconds', '?')} s)",
        ),
        (
            "requests",
            f"{stats.total} answered by the app ("
            + ", ".join(f"{code}: {n}" for code, n in sorted(stats.by_status.items()))
            + ")",
        ),
        ("server", meta.get("server", "?")),
        ("versions", meta.get("versions", "?")),
        (
            "wapiti",
            f"{wapiti_infos.get('version', '?')}, scope `{wapiti_infos.get('scope', '?')}` "
            f"on {wapiti_infos.get('target', '?')}; {meta.get('wapiti_options', '')}",
        ),
        (
            "sqlmap",
            f"level {sqlmap_index.get('level', '?')}, risk {sqlmap_index.get('risk', '?')}"
            f"; {meta.get('sqlmap_options', '')}",
        ),
    ]
    if wapiti_console is not None:
        crawl = f"{wapiti_console.crawled} pages and forms"
        if wapiti_console.crawl_capped:
            crawl += " (crawl stopped by its time cap)"
        elif wapiti_console.deadline == "crawl":
            crawl += " (crawl stopped by the deadline)"
        modules = ", ".join(wapiti_console.describe(m) for m in wapiti_console.modules)
        rows.append(("wapiti crawl", crawl))
        rows.append(("wapiti modules", modules or "none"))
    for name, value in rows:
        out.append(f"| {name} | {_cell(value)} |")
    out.append("")
    for note in meta.get("notes", []):
        out.append(f"- {note}")
    if meta.get("notes"):
        out.append("")

    out += ["### Findings", ""]
    if not findings:
        out += ["None.", ""]
    else:
        out.append("| severity | tool | finding | where | verdict |")
        out.append("| --- | --- | --- | --- | --- |")
        order = sorted(
            findings, key=lambda f: (-SEVERITIES.index(f.severity), f.tool, f.category, f.info)
        )
        for f in order:
            what = f"{f.category}: {f.info}"
            if f.parameter:
                what += f" (parameter `{f.parameter}`)"
            where = _requests(f) + (f" ({f.count}×)" if f.count > 1 else "")
            verdict = f"**{f.verdict}**" + (f": {f.explanation}" if f.explanation else "")
            out.append(
                f"| {f.severity} | {f.tool} | {_cell(what)} | {_cell(where)} | {_cell(verdict)} |"
            )
        out.append("")
    if open_low:
        out.append(f"{len(open_low)} low or informational finding(s) are not yet explained.")
        out.append("")

    out += ["### sqlmap, parameter by parameter", ""]
    out.append("| target | as | parameters | time |")
    out.append("| --- | --- | --- | --- |")
    for t in targets:
        path = urlsplit(t.url).path or "/"
        params = ", ".join(f"`{p}`: {v}" for p, v in t.verdicts.items()) or "none"
        extra = ""
        if t.http_errors:
            extra = "; HTTP errors: " + ", ".join(f"{k} ×{n}" for k, n in t.http_errors.items())
        if t.problems:
            extra += "; sqlmap: " + "; ".join(t.problems[:2])
        cap = " (cap)" if t.timed_out else ""
        out.append(
            f"| `{_cell(path)}` | {_cell(t.auth or 'anonymous')} | {_cell(params + extra)} | "
            f"{t.seconds} s{cap} |"
        )
    out.append("")
    return "\n".join(out)


def replace_section(document: str | None, section: str) -> str:
    """``document`` with its ``## Scan`` section replaced by ``section`` (added at the end
    when there is none; a new document gets a title)."""
    if not document or not document.strip():
        return "# Security\n\n" + section.rstrip() + "\n"
    lines = document.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        return document.rstrip() + "\n\n" + section.rstrip() + "\n"
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"^#{1,2} ", lines[i])),
        len(lines),
    )
    kept_after = "\n".join(lines[end:])
    before = "\n".join(lines[:start]).rstrip()
    result = (before + "\n\n" if before else "") + section.rstrip() + "\n"
    if kept_after.strip():
        result += "\n" + kept_after.rstrip() + "\n"
    return result


def build(workdir: Path) -> str:
    meta_file = workdir / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
    wapiti_file = workdir / "wapiti.json"
    wapiti = json.loads(wapiti_file.read_text(encoding="utf-8")) if wapiti_file.exists() else {}
    sqlmap_dir = workdir / "sqlmap"
    if (sqlmap_dir / "targets.json").exists():
        index, targets = sqlmap_targets(sqlmap_dir)
    else:
        index, targets = {}, []
    log = workdir / "access.log"
    stats = access_stats(
        log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    )
    findings = wapiti_findings(wapiti) + sqlmap_findings(targets) + server_error_findings(stats)
    console = workdir / "wapiti.log"
    run = (
        wapiti_run(console.read_text(encoding="utf-8", errors="replace"))
        if console.exists()
        else None
    )
    return render(meta, findings, stats, index, targets, wapiti.get("infos") or {}, run)


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 3):
        raise SystemExit("usage: python -m bench.scan.report WORKDIR [docs/security.md]")
    workdir = Path(argv[1])
    doc = Path(argv[2] if len(argv) == 3 else "docs/security.md")
    section = build(workdir)
    existing = doc.read_text(encoding="utf-8") if doc.exists() else None
    doc.write_text(replace_section(existing, section), encoding="utf-8")
    print(f"{doc}: Scan section written")


if __name__ == "__main__":
    main(sys.argv)
