"""What `smslogdoc diagnose` prints: findings as text for a terminal, JSON (a
versioned contract), JSON Lines, or Markdown to paste into a ticket.

Text goes through rich with log text always wrapped as inert `Text` (see
`terminal`); JSON keeps the exact text; Markdown puts log text in code fences
that the text cannot close.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TextIO

from rich.console import Console
from rich.text import Text

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import CONFIRMED, Evidence, Finding
from smslogdoc.model import FileReport, Problem
from smslogdoc.report.listing import iso
from smslogdoc.report.terminal import log_text, visible

JSON_VERSION = 1


class ReportFormat(StrEnum):
    """Output formats of `diagnose`."""

    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


EVIDENCE_LINES = 8
"""Lines of one evidence record shown in text output."""

_SEVERITY_STYLE = {"error": "bold white on red", "warning": "bold black on yellow", "info": "bold white on blue"}


# --- JSON -----------------------------------------------------------------------


def problem_dict(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "line": problem.line, "message": problem.message}


def evidence_dict(evidence: Evidence) -> dict[str, object]:
    return {
        "path": evidence.path,
        "line": evidence.line,
        "end_line": evidence.end_line,
        "time": iso(evidence.time),
        "text": evidence.text,
        "event": evidence.event,
        "codes": list(evidence.codes),
        "supporting": evidence.supporting,
    }


def finding_dict(finding: Finding) -> dict[str, object]:
    """A finding as the JSON contract describes it (docs/json.md)."""
    rule = finding.rule
    return {
        "rule": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "confidence": finding.confidence,
        "status": finding.status,
        "diagnosis": finding.diagnosis,
        "cause": finding.cause,
        "fix": finding.fix,
        "references": list(rule.references),
        "next_logs": finding.next_logs,
        "captures": finding.captures,
        "log": finding.log,
        "group": finding.group,
        "occurrences": finding.occurrences,
        "also": finding.also,
        "note": finding.note,
        "evidence": [evidence_dict(item) for item in finding.evidence],
    }


def file_dict(report: FileReport) -> dict[str, object]:
    return {
        "path": report.path,
        "format": report.format,
        "encoding": report.encoding,
        "events": report.events,
        "skipped": report.skipped,
        "problems": [problem_dict(problem) for problem in report.problems],
    }


def write_json(outcome: Outcome, findings: list[Finding], out: TextIO) -> None:
    """The JSON document of docs/json.md: findings indented for reading, files and
    problems (thousands, for a tree of folders) one compact object a line."""
    found = json.dumps([finding_dict(finding) for finding in findings], ensure_ascii=False, indent=2).replace("\n", "\n  ")
    out.write(f'{{\n  "version": {JSON_VERSION},\n  "findings": {found},\n')
    out.write(f'  "files": {_lines([file_dict(report) for report in outcome.files])},\n')
    out.write(f'  "problems": {_lines([problem_dict(problem) for problem in outcome.problems])}\n}}\n')


def _lines(items: list[dict[str, object]]) -> str:
    """A JSON list with one compact item a line (JSON strings hold no raw line breaks)."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items) + "\n  ]"


def write_jsonl(findings: Iterable[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding_dict(finding), ensure_ascii=False))
        out.write("\n")


# --- text -----------------------------------------------------------------------


def summary(outcome: Outcome, findings: list[Finding]) -> str:
    """One line: how many findings of each severity, logs read and skipped."""
    confirmed = [f for f in findings if f.status == CONFIRMED]
    counts = Counter(f.severity for f in confirmed)
    parts = [f"{counts[level]} {level}{'s' if counts[level] != 1 else ''}" for level in ("error", "warning", "info") if counts[level]]
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
    return f"{head} · {tail} · {outcome.rules} rules"


def write_text(outcome: Outcome, findings: list[Finding], console: Console, *, with_summary: bool = True) -> None:
    """Findings for a reader: each with its evidence, fix and references; then a summary line."""
    width = max(40, min(console.width, 110))
    for finding in findings:
        for line in _finding_lines(finding, width):
            console.print(line, soft_wrap=True)
        console.print()
    if with_summary:
        if not findings:
            console.print(Text("No known failure signature found.", style="green"))
        console.print(Text(summary(outcome, findings), style="bold"), soft_wrap=True)


def _prose(text: str, width: int, indent: str, first: str | None = None) -> list[Text]:
    """Rule text wrapped at `width` with a hanging indent (no trailing spaces)."""
    wrapped = textwrap.wrap(visible(text), width=width, initial_indent=first if first is not None else indent,
                            subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
    return [Text(line) for line in wrapped] or [Text(indent.rstrip())]


def _finding_lines(finding: Finding, width: int) -> list[Text]:
    rule = finding.rule
    head = Text()
    head.append(f" {rule.severity.upper()} ", style=_SEVERITY_STYLE[rule.severity])
    head.append(f" {visible(rule.title)}", style="bold")
    lines = [head]
    meta = Text(f"  rule {rule.id} · confidence {finding.confidence}", style="dim")
    if finding.occurrences > 1:
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
        lines += [Text(line.plain, style="yellow") for line in _prose(f"INCONCLUSIVE: {finding.note}", width, "  ")]
    lines.append(Text())
    lines += _prose(finding.diagnosis, width, "  ")
    lines += [Text(), Text("  Evidence", style="bold")]
    for item in finding.evidence:
        lines += _evidence_lines(item, finding.log)
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


def _evidence_lines(item: Evidence, log: str) -> list[Text]:
    head = Text("    ")
    where = f"line {item.line}" if item.line == item.end_line else f"lines {item.line}-{item.end_line}"
    head.append(where if item.path == log else f"{visible(item.path)}:{where.split(' ', 1)[1]}", style="cyan")
    if item.time is not None:
        head.append(f" · {human_time(item.time)}", style="dim")
    if item.supporting:
        head.append(" · supporting", style="dim")
    lines = [head]
    style = "" if not item.supporting else "dim"
    text_lines = item.text.strip("\r\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in text_lines[:EVIDENCE_LINES]:
        lines.append(log_text(f"      {line}", style))
    if len(text_lines) > EVIDENCE_LINES:
        lines.append(Text(f"      ... {len(text_lines) - EVIDENCE_LINES} more line(s); the JSON output has them all", style="dim"))
    lines += [log_text(f"      = {code}", "magenta") for code in item.codes]
    return lines


def human_time(when: datetime) -> str:
    """`2022-05-17 14:02:12.614 -04:00`, or `... (local)` when the log gives no zone."""
    text = when.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
    offset = when.strftime("%z")
    if not offset:
        return f"{text} (local)"
    return f"{text} {offset[:3]}:{offset[3:]}"


# --- Markdown --------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Text from a rule or log made inert in Markdown (no links, no HTML, no emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", visible(text))


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def write_markdown(outcome: Outcome, findings: list[Finding], out: TextIO) -> None:
    out.write("# smslogdoc findings\n\n")
    if not findings:
        out.write("No known failure signature found.\n\n")
    for finding in findings:
        rule = finding.rule
        status = "" if finding.status == CONFIRMED else f" (inconclusive: {_md(finding.note)})"
        out.write(f"## {rule.severity.upper()}: {_md(rule.title)}{status}\n\n")
        out.write(f"Rule `{rule.id}` · confidence {finding.confidence} · log `{visible(finding.log).replace('`', '')}`")
        if finding.group:
            out.write(f" · {_md(finding.group)}")
        out.write("\n\n")
        out.write(f"{_md(finding.diagnosis)}\n\n**Evidence**\n\n")
        lines = []
        for item in finding.evidence:
            stamp = f" {iso(item.time)}" if item.time else ""
            lines.append(f"{item.where}{stamp}{' (supporting)' if item.supporting else ''}")
            text = visible(item.text.strip("\r\n")).replace("\r\n", "\n").replace("\r", "\n")
            lines.extend(f"    {line}" for line in text.split("\n"))
            lines.extend(f"    = {code}" for code in item.codes)
        out.write(_fence("\n".join(lines)) + "\n\n**Fix**\n\n")
        out.writelines(f"{number}. {_md(step)}\n" for number, step in enumerate(finding.fix, 1))
        if rule.references:
            out.write("\n**References**\n\n")
            out.writelines(f"- {_md(reference)}\n" for reference in rule.references)
        if finding.next_logs:
            out.write("\n**Collect next**\n\n")
            out.writelines(f"- {_md(hint)}\n" for hint in finding.next_logs)
        out.write("\n")
    out.write(f"_{_md(summary(outcome, findings))}_\n")
