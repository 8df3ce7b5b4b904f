"""`diagnose --format text`: findings for a reader at a terminal, each with its
evidence, fix and references, then a summary line. Log text goes through rich
always wrapped as inert `Text` (see `terminal`)."""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.text import Text

from smslogdoc.findings import CONFIRMED, Finding
from smslogdoc.report import examined
from smslogdoc.report.document import EvidenceDoc, FindingDoc, Report
from smslogdoc.report.examined import summary
from smslogdoc.report.redaction import summary_text
from smslogdoc.report.short import short_line
from smslogdoc.report.storydoc import StoryDoc
from smslogdoc.report.storylines import (
    link_text,
    not_succeeded,
    section_title,
    several_folders,
    story_lines,
)
from smslogdoc.report.terminal import console_for, log_name, name, visible, wrapped
from smslogdoc.report.wording import count, human_time
from smslogdoc.report.writers import Options

EVIDENCE_LINES = 8
"""Lines of one evidence record shown in text output."""

_SEVERITY_STYLE = {
    "error": "bold white on red",
    "warning": "bold black on yellow",
    "info": "bold white on blue",
}


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


def write(report: Report, out: TextIO, options: Options) -> None:
    """`--format text` (`-q`: failures in full, a confirmed info finding in one line)."""
    console = console_for(out)
    if options.quiet:
        write_quiet(report, console)
    else:
        write_text(report, console, options=options)


def write_quiet(report: Report, console: Console) -> None:
    """`--format text -q`: failures in full, a confirmed info finding (nothing
    failed: a success that asks for a restart, say) in one line."""
    for finding in report["document"]["findings"]:
        if finding["severity"] == "info" and finding["status"] == CONFIRMED:
            console.print(short_line(finding), soft_wrap=True)
        else:
            write_text(report, console, findings=[finding], with_summary=False)


def write_text(
    report: Report,
    console: Console,
    *,
    findings: list[FindingDoc] | None = None,
    with_summary: bool = True,
    options: Options | None = None,
) -> None:
    """Findings for a reader (the report's, or `findings`): each with its
    evidence, fix and references; then the logs no rule reads, the headline
    when no finding is shown, and a summary line."""
    options = options or Options()
    shown = report["document"]["findings"] if findings is None else findings
    write_findings(shown, console)
    if with_summary:
        write_stories(report["document"]["stories"], console)
        for note in examined.uncovered(report, shown, options):
            console.print(log_name(note, "yellow"), soft_wrap=True)
        if not shown:
            said = examined.headline(report, options)
            console.print(Text(said, style="green" if said == examined.ALL_CLEAR else "yellow"))
        console.print(Text(summary(report, options), style="bold"), soft_wrap=True)
    redaction = report["document"].get("redaction")
    if redaction is not None:
        console.print(Text(summary_text(redaction)), soft_wrap=True)


def write_stories(stories: list[StoryDoc], console: Console) -> None:
    """The stories that did not succeed, one line per phase, a blank line after each."""
    told = not_succeeded(stories)
    if not told:
        return
    console.print(Text(section_title(len(told), len(stories)), style="bold"), soft_wrap=True)
    console.print()
    folder = several_folders(stories)
    for story in told:
        for line in story_lines(story, folder=folder):
            console.print(log_name(line.text, _STORY_STYLE.get(line.kind, "")), soft_wrap=True)
        console.print()


_STORY_STYLE = {"heading": "bold", "marked": "bold red", "detail": "dim", "log": "", "next": "cyan"}


def write_findings(findings: list[FindingDoc], console: Console) -> None:
    """Each finding in full, a blank line after each."""
    width = max(40, min(console.width, 110))
    for finding in findings:
        for line in _finding_lines(finding, width):
            console.print(line, soft_wrap=True)
        console.print()


def _prose(text: str, width: int, indent: str, first: str | None = None) -> list[Text]:
    """Rule text wrapped at `width` with a hanging indent (no trailing spaces);
    each of its lines starts a line of its own."""
    wrapped: list[str] = []
    for number, paragraph in enumerate(text.split("\n")):
        wrapped += textwrap.wrap(
            visible(paragraph),
            width=width,
            initial_indent=first if first is not None and number == 0 else indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return [Text(line) for line in wrapped] or [Text(indent.rstrip())]


def _finding_lines(finding: FindingDoc, width: int) -> list[Text]:
    lines = _heading(finding, width)
    if finding["status"] != CONFIRMED:
        lines += [
            Text(line.plain, style="yellow")
            for line in _prose(f"INCONCLUSIVE: {finding['note']}", width, "  ")
        ]
    lines.append(Text())
    lines += _prose(finding["diagnosis"], width, "  ")
    lines += [Text(), Text("  Evidence", style="bold")]
    for item in finding["evidence"]:
        lines += _evidence_lines(item, finding["log"], width)
    spread = finding.get("spread")
    if spread is not None and (spread["evidence"] or spread["omitted"]):
        title = (
            f"  Other occurrences: the first and last {spread['cited']}"
            if spread["omitted"]
            else "  Other occurrences"
        )
        lines += [Text(), Text(title, style="bold")]
        for item in spread["evidence"]:
            lines += _evidence_lines(item, finding["log"], width)
        if spread["omitted"]:
            lines.append(Text(f"    ... {spread['omitted']:,} more occurrence(s) not shown", style="dim"))
    if finding["cause"]:
        lines += [Text(), Text("  Why this happens", style="bold")]
        lines += _prose(finding["cause"], width, "    ")
    lines += [Text(), Text("  Fix", style="bold")]
    for number, step in enumerate(finding["fix"], 1):
        first = f"    {number}. "
        lines += _prose(step, width, " " * len(first), first=first)
    for title, items in (("References", finding["references"]), ("Collect next", finding["next_logs"])):
        if items:
            lines += [Text(), Text(f"  {title}", style="bold")]
            for entry in items:
                lines += _prose(entry, width, "      ", first="    - ")
    return lines


def _heading(finding: FindingDoc, width: int = 110) -> list[Text]:
    """The severity and title, the rule, where: the lines above the diagnosis."""
    head = Text()
    head.append(f" {finding['severity'].upper()} ", style=_SEVERITY_STYLE[finding["severity"]])
    heading = wrapped(head, f" {name(finding['title'])}", width, "  ", "bold")
    meta = Text(f"  rule {finding['rule']} · confidence {finding['confidence']}", style="dim")
    if "spread" in finding:
        meta.append(f" · {spread_text(finding)}", style="dim")
    elif finding["occurrences"] > 1:
        meta.append(f" · seen {finding['occurrences']} times", style="dim")
    where = Text("  log ", style="dim")
    where.append_text(log_name(finding["log"], "cyan"))
    lines = [*heading, *wrapped(Text(), meta.plain, width, "    ", "dim"), where]
    if finding["group"]:  # beside the log when it fits, else on a line of its own
        group = f" · {name(finding['group'])}"
        if len(where.plain) + len(group) <= width:
            where.append(group)
        else:
            lines += wrapped(Text("   "), group, width, "      ")
    for link in finding.get("stories", []):
        lines += wrapped(Text("  "), name(link_text(link)), width, "    ")
    for other in finding["also"]:
        also = Text("  also in ", style="dim")
        also.append_text(log_name(other, "cyan"))
        lines.append(also)
    return lines


def spread_text(finding: FindingDoc) -> str:
    """`in 1,500 runs (first run 3, process 812 at ..., last ...)`."""
    spread = finding["spread"]
    occurrences = finding["occurrences"]
    seen = f"seen {occurrences:,} times " if occurrences != spread["runs"] else ""
    ends = [
        f"{name} {visible(end['group']) or 'line ' + str(end['line'])}"
        + (f" at {human_time(end['time'])}" if end["time"] is not None else "")
        for name, end in (("first", spread["first"]), ("last", spread["last"]))
    ]
    return f"{seen}in {spread['runs']:,} runs ({', '.join(ends)})"


def _evidence_lines(item: EvidenceDoc, log: str, width: int = 110) -> list[Text]:
    line, end = item["line"], item["end_line"]
    where = f"line {line}" if line == end else f"lines {line}-{end}"
    place = where if item["path"] == log else f"{name(item['path'])}:{where.split(' ', 1)[1]}"
    notes = []
    if item["time"] is not None:
        notes.append(human_time(item["time"]))
        if item.get("time_ambiguous"):
            notes.append("day/month order ambiguous")
    if item.get("severity_inferred"):
        notes.append("severity inferred from its words")
    if item["supporting"]:
        notes.append("supporting")
    # the place, then its notes; a note that would pass the width starts a line of its own
    head = Text("    ")
    head.append(place, style="cyan")
    lines = [head]
    for note in notes:
        if len(lines[-1].plain) + 3 + len(note) > width:
            lines.append(Text(f"      · {note}", style="dim"))
        else:
            lines[-1].append(f" · {note}", style="dim")
    style = "" if not item["supporting"] else "dim"
    text_lines = item["text"].strip("\r\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for text in text_lines[:EVIDENCE_LINES]:
        lines += wrapped(Text("      "), visible(text), width, "        ", style)
    if len(text_lines) > EVIDENCE_LINES:
        hidden = len(text_lines) - EVIDENCE_LINES
        lines.append(
            Text(
                f"      … {hidden} more line(s); all of them: smslogdoc parse {_quoted(name(item['path']))} (line {line})",
                style="dim",
            )
        )
    for code in item["codes"]:
        lines += wrapped(Text("      "), f"= {visible(code)}", width, "        ", "magenta")
    return lines


def _quoted(path: str) -> str:
    """A path as typed in a shell: quoted when it holds spaces or shell characters."""
    return path if path and all(ch.isalnum() or ch in "/\\._-:~+" for ch in path) else f'"{path}"'
