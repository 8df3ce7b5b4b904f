"""What a diagnosis did and did not examine, said in words every format shares:
the logs no rule reads (`uncovered`), the headline printed when no finding is
shown (`headline`: never a bare all-clear when error records exist, nothing was
read, the time window held no record, or findings were hidden), the parts
the summary line adds (`summary_parts`), and the problems met reading, one
line each for stderr (`problem_lines`). All of it from the report document,
so `--redact` has already passed over every name these lines hold."""

from __future__ import annotations

from collections import Counter

from smslogdoc.engine.unexplained import RULE_ID
from smslogdoc.findings import CONFIRMED
from smslogdoc.formats.registry import FORMATS
from smslogdoc.report.document import FindingDoc, ProblemDoc, Report
from smslogdoc.report.wording import count, severity_count
from smslogdoc.report.writers import Options
from smslogdoc.rules.model import SEVERITIES

ALL_CLEAR = "No known failure signature found."
LISTED_UNCOVERED = 10
"""Logs no rule reads named one a line; the rest are counted."""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def uncovered(report: Report, shown: list[FindingDoc], options: Options) -> list[str]:
    """One line per log no rule reads (at most `LISTED_UNCOVERED`, then a count)."""
    listed = {finding["log"] for finding in shown if finding["rule"] == RULE_ID}
    named = {finding["log"] for finding in shown if finding["rule"] != RULE_ID}
    lines = []
    logs = [log for log in report["logs"] if not log["covered"]]
    for log in logs[:LISTED_UNCOVERED]:
        line = f"{log['name']}: no rule reads this kind of log"
        errors = log["error_records"]
        if not errors:
            line += (
                "; no error records in it"
                if log["in_window"] is None
                else f"; no error records among its {_plural(log['in_window'], 'record')} in the window"
            )
        elif log["name"] in listed:
            line += f"; {_plural(errors, 'error record')}, those no rule explains listed above"
        elif log["name"] in named:
            line += f"; {_plural(errors, 'error record')}, named by the findings above from what their words and codes say"
        elif options.unexplained == "off":
            line += f"; {_plural(errors, 'error record')} (not summarised: --unexplained off)"
        else:
            line += f"; {_plural(errors, 'error record')}, none shown (known benign, or below --min-severity)"
        lines.append(line)
    if len(logs) > LISTED_UNCOVERED:
        lines.append(f"... and {_plural(len(logs) - LISTED_UNCOVERED, 'more log')} no rule reads")
    return lines


def hidden(report: Report, options: Options) -> str:
    """`1 info finding hidden by --min-severity error`, or '' when none is hidden."""
    counts = Counter(finding["severity"] for finding in report["left_out"])
    if not counts:
        return ""
    total = sum(counts.values())
    kinds = " and ".join(f"{counts[level]} {level}" for level in SEVERITIES if counts[level])
    return f"{kinds} finding{'' if total == 1 else 's'} hidden by --min-severity {options.min_severity}"


def window_note(report: Report) -> str:
    """`0 of 71 records in the window`, or '' without --since/--until."""
    logs = [log for log in report["logs"] if log["in_window"] is not None]
    if not logs:
        return ""
    inside = sum(log["in_window"] or 0 for log in logs)
    return f"{inside} of {_plural(sum(log['records'] for log in logs), 'record')} in the window"


def read_anything(report: Report) -> bool:
    """Whether at least one file could be read as text."""
    return any(not item["skipped"] for item in report["document"]["files"])


def _writes_severity(name: str | None) -> bool:
    """Whether the format called `name` writes each record's severity (unknown: yes)."""
    found = FORMATS.get(name or "")
    return found is None or found.writes_severity


def headline(report: Report, options: Options) -> str:
    """What to say when no finding is shown."""
    if not report["document"]["files"]:
        return "Nothing was examined: no log was found under the paths given (see the problems on stderr)."
    if not read_anything(report):
        return "Nothing was examined: no file could be read as a log (see the problems on stderr)."
    window = window_note(report)
    if window.startswith("0 of "):
        return f"Nothing was examined in the time window: {window}."
    quiet = hidden(report, options)
    if quiet:
        return f"No finding at or above {options.min_severity}: {quiet}."
    errors = sum(log["error_records"] for log in report["logs"])
    if errors and options.unexplained == "off":
        return f"No rule matched, but the logs hold {_plural(errors, 'error record')} (not summarised: --unexplained off)."
    if errors:
        if errors == 1:
            return "No rule matched; the only error record is a known-benign message."
        return f"No rule matched; the {errors} error records are all known-benign messages."
    if report["logs"] and not any(log["covered"] for log in report["logs"]):
        return (
            "No rule reads these logs, and no line in them is an error or says in words smslogdoc knows "
            "that something failed. Not an all-clear: a failure written in other words goes unrecognised."
        )
    if any(
        not _writes_severity(item["format"]) for item in report["document"]["files"] if not item["skipped"]
    ):
        return (
            "No rule matched, and no line says in words smslogdoc knows that something failed. These "
            "lines carry no severity of their own (SMS trace, copied rows or plain text), so this is not "
            "an all-clear: a failure written in other words goes unrecognised."
        )
    return ALL_CLEAR


def summary_parts(report: Report, options: Options) -> list[str]:
    """What the summary line adds: logs no rule reads, hidden findings, the window."""
    parts = []
    count = sum(1 for log in report["logs"] if not log["covered"])
    if count:
        parts.append(f"{_plural(count, 'log')} no rule reads")
    quiet = hidden(report, options)
    if quiet:
        parts.append(quiet)
    window = window_note(report)
    if window:
        parts.append(window)
    return parts


def problem_line(problem: ProblemDoc) -> str:
    """`path:line: message`, or `path: message`."""
    where = problem["path"] if problem["line"] is None else f"{problem['path']}:{problem['line']}"
    return f"{where}: {problem['message']}"


def problem_lines(report: Report, *, verbose: bool = False) -> list[str]:
    """The problems met finding and reading the logs, one line each (for
    stderr); with `verbose`, a line for every file read too."""
    document = report["document"]
    lines = [problem_line(problem) for problem in document["problems"]]
    for item in document["files"]:
        if verbose and not item["skipped"]:
            lines.append(
                f"{item['path']}: read {item['events']} record(s) as {item['format'] or 'nothing'} ({item['encoding'] or 'no text'})"
            )
        lines.extend(problem_line(problem) for problem in item["problems"])
    if not document["files"] and not document["problems"]:
        lines.append("no logs found")
    return lines


def summary(report: Report, options: Options | None = None) -> str:
    """One line: how many findings of each severity, logs read and skipped, and
    what was not examined (logs no rule reads, hidden findings, the window)."""
    document = report["document"]
    findings = document["findings"]
    confirmed = [f for f in findings if f["status"] == CONFIRMED]
    counts = Counter(f["severity"] for f in confirmed)
    parts = [
        severity_count(counts[level], level) for level in ("error", "warning", "info") if counts[level]
    ]  # "20 info findings"
    inconclusive = len(findings) - len(confirmed)
    head = f"{len(confirmed)} finding{'s' if len(confirmed) != 1 else ''}"
    if parts:
        head += f" ({', '.join(parts)})"
    if inconclusive:
        head += f", {inconclusive} inconclusive"
    files = document["files"]
    read = sum(1 for item in files if not item["skipped"])
    skipped = len(files) - read
    tail = f"{read} file{'s' if read != 1 else ''} read"
    if skipped:
        tail += f", {skipped} skipped"
    if document["problems"] or any(item["problems"] for item in files):
        tail += ", problems listed on stderr"
    extra = "".join(f" · {part}" for part in summary_parts(report, options or Options()))
    return f"{head} · {tail} · {count(report['rules'], 'rule')}{extra}"
