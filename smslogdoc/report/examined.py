"""What a diagnosis did and did not examine, said in words every format shares:
the logs no rule reads (`uncovered`), the headline printed when no finding is
shown (`headline`: never a bare all-clear when error records exist, nothing was
read, the time window held no record, or findings were hidden), and the parts
the summary line adds (`summary_parts`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smslogdoc.diagnose import Outcome
from smslogdoc.engine.unexplained import RULE_ID
from smslogdoc.findings import Finding
from smslogdoc.rules.model import SEVERITIES

ALL_CLEAR = "No known failure signature found."
LISTED_UNCOVERED = 10
"""Logs no rule reads named one a line; the rest are counted."""


@dataclass(frozen=True)
class View:
    """The options that decided which findings are shown."""

    min_severity: str = "info"
    unexplained: str = "info"


@dataclass(frozen=True)
class LogCoverage:
    """One log as the diagnosis saw it."""

    name: str
    covered: bool
    records: int
    error_records: int
    in_window: int | None


def coverage(outcome: Outcome) -> list[LogCoverage]:
    """Each log that was read, with whether a rule reads it and its counts."""
    seen = []
    for log in outcome.logs:
        read = [report for report in log.reports if not report.skipped]
        if not read:
            continue
        windows = [report.in_window for report in read if report.in_window is not None]
        seen.append(
            LogCoverage(
                log.name,
                all(report.covered is not False for report in read),
                sum(report.events for report in read),
                sum(report.error_records for report in read),
                sum(windows) if windows else None,
            )
        )
    return seen


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def uncovered(outcome: Outcome, shown: list[Finding], view: View) -> list[str]:
    """One line per log no rule reads (at most `LISTED_UNCOVERED`, then a count)."""
    listed = {finding.log for finding in shown if finding.rule.id == RULE_ID}
    lines = []
    logs = [log for log in coverage(outcome) if not log.covered]
    for log in logs[:LISTED_UNCOVERED]:
        line = f"{log.name}: no rule reads this kind of log"
        if not log.error_records:
            line += (
                "; no error records in it"
                if log.in_window is None
                else f"; no error records among its {_plural(log.in_window, 'record')} in the window"
            )
        elif log.name in listed:
            line += f"; {_plural(log.error_records, 'error record')}, those no rule explains listed above"
        elif view.unexplained == "off":
            line += f"; {_plural(log.error_records, 'error record')} (not summarised: --unexplained off)"
        else:
            line += f"; {_plural(log.error_records, 'error record')}, none shown (known benign, or below --min-severity)"
        lines.append(line)
    if len(logs) > LISTED_UNCOVERED:
        lines.append(f"... and {_plural(len(logs) - LISTED_UNCOVERED, 'more log')} no rule reads")
    return lines


def hidden(outcome: Outcome, shown: list[Finding], view: View) -> str:
    """`1 info finding hidden by --min-severity error`, or '' when none is hidden."""
    shown_ids = {id(finding) for finding in shown}
    counts = Counter(finding.severity for finding in outcome.findings if id(finding) not in shown_ids)
    if not counts:
        return ""
    total = sum(counts.values())
    kinds = " and ".join(f"{counts[level]} {level}" for level in SEVERITIES if counts[level])
    return f"{kinds} finding{'' if total == 1 else 's'} hidden by --min-severity {view.min_severity}"


def window_note(outcome: Outcome) -> str:
    """`0 of 71 records in the window`, or '' without --since/--until."""
    logs = [log for log in coverage(outcome) if log.in_window is not None]
    if not logs:
        return ""
    inside = sum(log.in_window or 0 for log in logs)
    return f"{inside} of {_plural(sum(log.records for log in logs), 'record')} in the window"


def headline(outcome: Outcome, shown: list[Finding], view: View) -> str:
    """What to say when no finding is shown."""
    if not outcome.files:
        return "Nothing was examined: no log was found under the paths given (see the problems on stderr)."
    if not outcome.read_anything():
        return "Nothing was examined: no file could be read as a log (see the problems on stderr)."
    window = window_note(outcome)
    if window.startswith("0 of "):
        return f"Nothing was examined in the time window: {window}."
    quiet = hidden(outcome, shown, view)
    if quiet:
        return f"No finding at or above {view.min_severity}: {quiet}."
    errors = sum(log.error_records for log in coverage(outcome))
    if errors and view.unexplained == "off":
        return f"No rule matched, but the logs hold {_plural(errors, 'error record')} (not summarised: --unexplained off)."
    if errors:
        if errors == 1:
            return "No rule matched; the only error record is a known-benign message."
        return f"No rule matched; the {errors} error records are all known-benign messages."
    if coverage(outcome) and not any(log.covered for log in coverage(outcome)):
        return "No rule reads these logs, and they hold no error records."
    return ALL_CLEAR


def summary_parts(outcome: Outcome, shown: list[Finding], view: View) -> list[str]:
    """What the summary line adds: logs no rule reads, hidden findings, the window."""
    parts = []
    count = sum(1 for log in coverage(outcome) if not log.covered)
    if count:
        parts.append(f"{_plural(count, 'log')} no rule reads")
    quiet = hidden(outcome, shown, view)
    if quiet:
        parts.append(quiet)
    window = window_note(outcome)
    if window:
        parts.append(window)
    return parts
