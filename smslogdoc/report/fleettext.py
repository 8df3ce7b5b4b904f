"""`fleet --format text` and `--format csv`. Text is for a reader: the summary,
the causes ranked by machines hit (each with its machines, one example of
evidence and the fix), what no rule explains, the machines with no known
cause, then the problems; it waits for the ranking, keeping only the
aggregation. CSV writes a row per machine and finding as they come."""

from __future__ import annotations

import csv
import textwrap
from typing import TextIO

from rich.console import Console
from rich.text import Text

from smslogdoc.report.aggregate import SHOWN_NAMES, FleetReport
from smslogdoc.report.document import CauseDoc, ComparisonDoc, UnexplainedDoc, strongest
from smslogdoc.report.examined import problem_line
from smslogdoc.report.fleetcompare import (
    cause_change_line,
    comparison_head,
    moved_names,
    outcome_change_line,
)
from smslogdoc.report.fleetstories import deployment_lines, outcome_text
from smslogdoc.report.redaction import summary_text
from smslogdoc.report.storydoc import DeploymentDoc
from smslogdoc.report.terminal import console_for, log_name, name, visible, wrapped
from smslogdoc.report.writers import Options

EVIDENCE_CHARS = 300
"""Characters of a cause's example evidence shown in text."""
CSV_HEADER = ("machine", "rule", "severity", "title", "evidence", "time", "problems")
LISTED_MACHINES = 20
"""Machines named in a text list (no known cause, not examined) before the rest are counted."""

_SEVERITY_STYLE = {
    "error": "bold white on red",
    "warning": "bold black on yellow",
    "info": "bold white on blue",
}


def write_csv(report: FleetReport, out: TextIO, options: Options) -> None:
    """One row per machine and finding (its decisive evidence as path:line,
    and its time); a machine without findings gets one row with an empty rule.
    Each row ends with the machine's problems (`path: message`, ` | ` between),
    so a machine where nothing could be read does not look healthy."""
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(CSV_HEADER)
    for machine in report.machines():
        problems = " | ".join(problem_line(problem) for problem in machine["problems"])
        if not machine["findings"]:
            rows.writerow((machine["name"], "", "", "", "", "", problems))
        for outcome in machine.get("stories", []):
            said = outcome_text(outcome["verdict"], outcome["phase"], outcome["what"])
            rows.writerow(
                (
                    machine["name"],
                    f"story:{outcome['workflow']}",
                    outcome["verdict"],
                    f"{outcome['subject']}: {said}",
                    "",
                    "",
                    "",
                )
            )
        for finding in machine["findings"]:
            first = strongest(finding["evidence"])
            where = f"{first['path']}:{first['line']}" if first else ""
            time = (first["time"] if first else None) or ""
            rows.writerow(
                (
                    machine["name"],
                    finding["rule"],
                    finding["severity"],
                    finding["title"],
                    where,
                    time,
                    problems,
                )
            )


def names(machines: list[str], shown: int = SHOWN_NAMES) -> str:
    """`A, B, C, D, E and 12 more`."""
    if len(machines) <= shown:
        return ", ".join(machines)
    return f"{', '.join(machines[:shown])} and {len(machines) - shown} more"


def write(report: FleetReport, out: TextIO, options: Options) -> None:
    """For a reader: the summary, the causes, what no rule explains, the
    machines with no known cause, then the problems."""
    for _ in report.machines():
        pass
    console = console_for(out)
    width = max(40, min(console.width, 110))
    total = report.count
    causes, unexplained = report.causes(), report.unexplained()
    problems = len(report.problems)
    unread = f" · {len(report.unread)} not examined (no file read)" if report.unread else ""
    console.print(
        Text(
            f"{total} machine{'s' if total != 1 else ''} · {len(causes)} known cause{'s' if len(causes) != 1 else ''} · "
            f"{len(report.clean)} without a known cause{unread} · {problems} problem{'s' if problems != 1 else ''}",
            style="bold",
        )
    )
    if report.redaction is not None:
        console.print(Text(summary_text(report.redaction), style="dim"), soft_wrap=True)
    console.print()
    comparison = report.comparison()
    if comparison is not None:
        _comparison(console, comparison, width)
    for cause in causes:
        _cause(console, cause, total, width)
    if unexplained:
        console.print(Text("Not explained by any rule", style="bold"))
        for group in unexplained:
            _unexplained(console, group, total, width)
        console.print()
    _deployments(console, report.deployments.docs(), width)
    for listed, title in (
        (report.clean, "No known cause found on"),
        (report.unread, "Not examined (no file could be read; see Problems) on"),
    ):
        if listed:
            console.print(
                Text(f"{title} {len(listed)} machine{'s' if len(listed) != 1 else ''}", style="bold")
            )
            every = " (all of them: -f csv or json)" if len(listed) > LISTED_MACHINES else ""
            _wrapped(console, names(listed, LISTED_MACHINES) + every, width, "  ")
            console.print()
    if report.problems:
        console.print(Text("Problems", style="bold"))
        for problem in report.problems:
            console.print(log_name(f"  {problem_line(problem)}"), soft_wrap=True)


def _cause(console: Console, cause: CauseDoc, total: int, width: int) -> None:
    head = Text()
    head.append(f" {cause['severity'].upper()} ", style=_SEVERITY_STYLE.get(cause["severity"], "bold"))
    for line in wrapped(head, f" {name(cause['title'])}", width, "  ", "bold"):
        console.print(line, soft_wrap=True)
    console.print(
        Text(f"  rule {cause['rule']} · on {len(cause['machines'])} of {total} machines", style="dim")
    )
    _wrapped(console, names(cause["machines"]), width, "  ")
    example = cause["example"]
    if example.get("path"):
        where = Text("  e.g. ", style="dim")
        where.append_text(log_name(f"{example['path']}:{example['line']}", "cyan"))
        console.print(where, soft_wrap=True)
        text = str(example.get("text", "")).strip().split("\n", 1)[0][:EVIDENCE_CHARS]
        for line in wrapped(Text("      "), visible(text), width, "        "):
            console.print(line, soft_wrap=True)
    if cause["fix"]:
        console.print(Text("  Fix", style="bold"))
        for number, step in enumerate(cause["fix"], 1):
            _wrapped(console, step, width, "       ", first=f"    {number}. ")
    console.print()


def _comparison(console: Console, comparison: ComparisonDoc, width: int) -> None:
    """What changed since the earlier report: a line for it, then each change
    of a cause and of where a deployment stopped, with their machines."""
    _wrapped(console, comparison_head(comparison, SHOWN_NAMES), width, "  ", first="")
    for item in comparison["changes"]:
        _wrapped(console, cause_change_line(item), width, " " * 11, first="  ")
        _wrapped(console, moved_names(item, SHOWN_NAMES), width, " " * 11)
    if comparison["deployments"]:
        console.print(Text("  Deployments, where their machines stopped", style="bold"))
        for outcome in comparison["deployments"]:
            _wrapped(console, outcome_change_line(outcome), width, " " * 6, first="    ")
            _wrapped(console, moved_names(outcome, SHOWN_NAMES), width, " " * 6)
    console.print()


def _deployments(console: Console, deployments: list[DeploymentDoc], width: int) -> None:
    """Per deployment, how many machines stopped where, with what."""
    if not deployments:
        return
    console.print(Text("Deployments, by where their machines stopped", style="bold"))
    for deployment in deployments:
        head, *outcomes = deployment_lines(deployment)
        _wrapped(console, head, width, "    ", first="  ")
        for line, outcome in zip(outcomes, deployment["outcomes"], strict=True):
            _wrapped(console, line, width, " " * 11, first="  ")
            if outcome["verdict"] != "succeeded":
                _wrapped(console, names(outcome["machines"]), width, " " * 11)
    console.print()


def _unexplained(console: Console, group: UnexplainedDoc, total: int, width: int) -> None:
    example = visible(group["example"].strip().split("\n", 1)[0][:EVIDENCE_CHARS])
    for line in wrapped(
        Text("  "), f"{example}  on {len(group['machines'])} of {total} machines", width, "    "
    ):
        console.print(line, soft_wrap=True)
    _wrapped(console, names(group["machines"]), width, "    ")
    for code in group["codes"]:
        for line in wrapped(Text("    "), f"= {visible(code)}", width, "      ", "magenta"):
            console.print(line, soft_wrap=True)


def _wrapped(console: Console, text: str, width: int, indent: str, first: str | None = None) -> None:
    for line in textwrap.wrap(
        visible(text),
        width=width,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ):
        console.print(Text(line), soft_wrap=True)
