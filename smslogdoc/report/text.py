"""`diagnose --format text`: findings for a reader at a terminal, each with its
evidence, fix and references, then a summary line. Log text goes through rich
always wrapped as inert `Text` (see `terminal`)."""

from __future__ import annotations

import textwrap
from collections import Counter
from datetime import datetime

from rich.console import Console
from rich.text import Text

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import CONFIRMED, Evidence, Finding
from smslogdoc.report import examined
from smslogdoc.report.terminal import log_text, visible
from smslogdoc.report.wording import count, severity_count

EVIDENCE_LINES = 8
"""Lines of one evidence record shown in text output."""

_SEVERITY_STYLE = {
    "error": "bold white on red",
    "warning": "bold black on yellow",
    "info": "bold white on blue",
}


def summary(outcome: Outcome, findings: list[Finding], view: examined.View | None = None) -> str:
    """One line: how many findings of each severity, logs read and skipped, and
    what was not examined (logs no rule reads, hidden findings, the window)."""
    confirmed = [f for f in findings if f.status == CONFIRMED]
    counts = Counter(f.severity for f in confirmed)
    parts = [
        severity_count(counts[level], level) for level in ("error", "warning", "info") if counts[level]
    ]  # "20 info findings"
    inconclusive = len(findings) - len(confirmed)
    head = f"{len(confirmed)} finding{'s' if len(confirmed) != 1 else ''}"
    if parts:
        head += f" ({', '.join(parts)})"
    if inconclusive:
        head += f", {inconclusive} inconclusive"
    read = sum(1 for report in outcome.files if not report.skipped)
    skipped = len(outcome.files) - read
    tail = f"{read} file{'s' if read != 1 else ''} read"
    if skipped:
        tail += f", {skipped} skipped"
    if outcome.problems or any(report.problems for report in outcome.files):
        tail += ", problems listed on stderr"
    extra = "".join(
        f" · {part}" for part in examined.summary_parts(outcome, findings, view or examined.View())
    )
    return f"{head} · {tail} · {outcome.rules} rule{'s' if outcome.rules != 1 else ''}{extra}"


def failing(findings: list[Finding], fail_on: str) -> list[Finding]:
    """The confirmed findings at or above `fail_on`: those that make the run exit 1."""
    from smslogdoc.rules.model import SEVERITIES

    return [
        f
        for f in findings
        if f.status == CONFIRMED and SEVERITIES.index(f.severity) >= SEVERITIES.index(fail_on)
    ]


def hidden_note(decided: list[Finding], shown: list[Finding], fail_on: str, min_severity: str) -> str:
    """When findings hidden by `--min-severity` decide the exit code, the line
    that says so (so the exit code and the printed summary agree); else ''."""
    hidden = [f for f in decided if f not in shown]
    if not hidden:
        return ""
    levels = Counter(f.severity for f in hidden)
    counted = ", ".join(
        count(levels[level], f"{level} finding") for level in ("error", "warning", "info") if levels[level]
    )
    return f"exit 1: {counted} at or above --fail-on {fail_on}, not shown (--min-severity {min_severity})"


def write_text(
    outcome: Outcome,
    findings: list[Finding],
    console: Console,
    *,
    with_summary: bool = True,
    view: examined.View | None = None,
) -> None:
    """Findings for a reader: each with its evidence, fix and references; then
    the logs no rule reads, the headline when no finding is shown, and a summary line."""
    view = view or examined.View()
    width = max(40, min(console.width, 110))
    for finding in findings:
        for line in _finding_lines(finding, width):
            console.print(line, soft_wrap=True)
        console.print()
    if with_summary:
        for note in examined.uncovered(outcome, findings, view):
            console.print(log_text(note, "yellow"), soft_wrap=True)
        if not findings:
            said = examined.headline(outcome, findings, view)
            console.print(Text(said, style="green" if said == examined.ALL_CLEAR else "yellow"))
        console.print(Text(summary(outcome, findings, view), style="bold"), soft_wrap=True)
    if outcome.redaction is not None:
        from smslogdoc.report.redact import summary_text

        console.print(Text(summary_text(outcome.redaction)), soft_wrap=True)


def _prose(text: str, width: int, indent: str, first: str | None = None) -> list[Text]:
    """Rule text wrapped at `width` with a hanging indent (no trailing spaces)."""
    wrapped = textwrap.wrap(
        visible(text),
        width=width,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [Text(line) for line in wrapped] or [Text(indent.rstrip())]


def _finding_lines(finding: Finding, width: int) -> list[Text]:
    rule = finding.rule
    head = Text()
    head.append(f" {rule.severity.upper()} ", style=_SEVERITY_STYLE[rule.severity])
    head.append(f" {visible(rule.title)}", style="bold")
    lines = [head]
    meta = Text(f"  rule {rule.id} · confidence {finding.confidence}", style="dim")
    if finding.spread is not None:
        meta.append(f" · {spread_text(finding)}", style="dim")
    elif finding.occurrences > 1:
        meta.append(f" · seen {finding.occurrences} times", style="dim")
    lines.append(meta)
    where = Text("  log ", style="dim")
    where.append_text(log_text(finding.log, "cyan"))
    if finding.group:
        where.append(f" · {visible(finding.group)}")
    lines.append(where)
    for other in finding.also:
        also = Text("  also in ", style="dim")
        also.append_text(log_text(other, "cyan"))
        lines.append(also)
    if finding.status != CONFIRMED:
        lines += [
            Text(line.plain, style="yellow") for line in _prose(f"INCONCLUSIVE: {finding.note}", width, "  ")
        ]
    lines.append(Text())
    lines += _prose(finding.diagnosis, width, "  ")
    lines += [Text(), Text("  Evidence", style="bold")]
    for item in finding.evidence:
        lines += _evidence_lines(item, finding.log)
    spread = finding.spread
    if spread is not None and (spread.evidence or spread.omitted):
        title = (
            f"  Other occurrences: the first and last {spread.cited}"
            if spread.omitted
            else "  Other occurrences"
        )
        lines += [Text(), Text(title, style="bold")]
        for item in spread.evidence:
            lines += _evidence_lines(item, finding.log)
        if spread.omitted:
            lines.append(Text(f"    ... {spread.omitted:,} more occurrence(s) not shown", style="dim"))
    lines += [Text(), Text("  Fix", style="bold")]
    for number, step in enumerate(finding.fix, 1):
        first = f"    {number}. "
        lines += _prose(step, width, " " * len(first), first=first)
    if rule.references:
        lines += [Text(), Text("  References", style="bold")]
        for reference in rule.references:
            lines += _prose(reference, width, "      ", first="    - ")
    if finding.next_logs:
        lines += [Text(), Text("  Collect next", style="bold")]
        for hint in finding.next_logs:
            lines += _prose(hint, width, "      ", first="    - ")
    return lines


def spread_text(finding: Finding) -> str:
    """`in 1,500 runs (first run 3, process 812 at ..., last ...)`."""
    spread = finding.spread
    assert spread is not None
    seen = f"seen {finding.occurrences:,} times " if finding.occurrences != spread.runs else ""
    ends = [
        f"{name} {visible(end.group) or 'line ' + str(end.line)}"
        + (f" at {human_time(end.time)}" if end.time is not None else "")
        for name, end in (("first", spread.first), ("last", spread.last))
    ]
    return f"{seen}in {spread.runs:,} runs ({', '.join(ends)})"


def _evidence_lines(item: Evidence, log: str) -> list[Text]:
    head = Text("    ")
    where = f"line {item.line}" if item.line == item.end_line else f"lines {item.line}-{item.end_line}"
    head.append(where if item.path == log else f"{visible(item.path)}:{where.split(' ', 1)[1]}", style="cyan")
    if item.time is not None:
        head.append(f" · {human_time(item.time)}", style="dim")
        if item.time_ambiguous:
            head.append(" · day/month order ambiguous", style="dim")
    if item.supporting:
        head.append(" · supporting", style="dim")
    lines = [head]
    style = "" if not item.supporting else "dim"
    text_lines = item.text.strip("\r\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in text_lines[:EVIDENCE_LINES]:
        lines.append(log_text(f"      {line}", style))
    if len(text_lines) > EVIDENCE_LINES:
        hidden = len(text_lines) - EVIDENCE_LINES
        lines.append(
            Text(
                f"      … {hidden} more line(s); all of them: smslogdoc parse {_quoted(visible(item.path))} (line {item.line})",
                style="dim",
            )
        )
    lines += [log_text(f"      = {code}", "magenta") for code in item.codes]
    return lines


def _quoted(path: str) -> str:
    """A path as typed in a shell: quoted when it holds spaces or shell characters."""
    return path if path and all(ch.isalnum() or ch in "/\\._-:~+" for ch in path) else f'"{path}"'


def human_time(when: datetime) -> str:
    """`2022-05-17 14:02:12.614 -04:00`, or `... (local)` when the log gives no zone."""
    text = when.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
    offset = when.strftime("%z")
    if not offset:
        return f"{text} (local)"
    return f"{text} {offset[:3]}:{offset[3:]}"
