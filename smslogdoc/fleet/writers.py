"""The fleet's output formats. Each writer takes the machines' results as they
stream in, adds each to the aggregation (`Fleet.add`) and writes what it can
at once: JSON writes each machine as it arrives and the aggregation at the
end, CSV a row per machine and finding, text waits for the ranking (it keeps
only the aggregation). See docs/json.md for the JSON contract."""

from __future__ import annotations

import csv
import json
import tempfile
import textwrap
from collections.abc import Callable, Iterable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from smslogdoc.fleet.aggregate import SHOWN_NAMES, Fleet
from smslogdoc.fleet.machine import MachineResult
from smslogdoc.report.terminal import log_text, visible

FLEET_VERSION = 1
EVIDENCE_CHARS = 300
"""Characters of a cause's example evidence shown in text."""

_SEVERITY_STYLE = {
    "error": "bold white on red",
    "warning": "bold black on yellow",
    "info": "bold white on blue",
}

Writer = Callable[[Iterable[MachineResult], Fleet, TextIO, Console], None]


def write_json(results: Iterable[MachineResult], fleet: Fleet, out: TextIO, console: Console) -> None:
    """`{"version", "machines", "causes", "unexplained", "problems"}`: one
    machine a line as it arrives, the aggregation once all have."""
    out.write(f'{{\n  "version": {FLEET_VERSION},\n  "machines": [')
    first = True
    for result in results:
        fleet.add(result)
        out.write(("\n    " if first else ",\n    ") + json.dumps(result.as_dict(), ensure_ascii=False))
        first = False
    out.write("\n  ],\n" if not first else "],\n")
    out.write(f'  "causes": {_lines([cause.as_dict() for cause in fleet.causes()])},\n')
    out.write(f'  "unexplained": {_lines([group.as_dict() for group in fleet.unexplained()])},\n')
    out.write(f'  "problems": {_lines(fleet.problems)}')
    if fleet.redaction is not None:
        out.write(f',\n  "redaction": {json.dumps(fleet.redaction)}')
    out.write("\n}\n")


def _lines(items: list[dict[str, object]]) -> str:
    if not items:
        return "[]"
    return "[\n" + ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items) + "\n  ]"


CSV_HEADER = ("machine", "rule", "severity", "title", "evidence", "time")


def write_csv(results: Iterable[MachineResult], fleet: Fleet, out: TextIO, console: Console) -> None:
    """One row per machine and finding (its first evidence as path:line, and
    its time); a machine without findings gets one row with an empty rule."""
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(CSV_HEADER)
    for result in results:
        fleet.add(result)
        if not result.findings:
            rows.writerow((result.name, "", "", "", "", ""))
        for finding in result.findings:
            evidence = finding["evidence"]
            first = evidence[0] if isinstance(evidence, list) and evidence else {}
            where = f"{first['path']}:{first['line']}" if first else ""
            rows.writerow(
                (
                    result.name,
                    finding["rule"],
                    finding["severity"],
                    finding["title"],
                    where,
                    first.get("time") or "",
                )
            )


def names(machines: list[str], shown: int = SHOWN_NAMES) -> str:
    """`A, B, C, D, E and 12 more`."""
    if len(machines) <= shown:
        return ", ".join(machines)
    return f"{', '.join(machines[:shown])} and {len(machines) - shown} more"


def write_text(results: Iterable[MachineResult], fleet: Fleet, out: TextIO, console: Console) -> None:
    """For a reader: the summary, the causes ranked by machines hit (each with
    its machines, one example of evidence and the fix), what no rule explains,
    the machines with no known cause, then the problems."""
    for result in results:
        fleet.add(result)
    width = max(40, min(console.width, 110))
    total = fleet.machines
    causes, unexplained = fleet.causes(), fleet.unexplained()
    console.print(
        Text(
            f"{total} machine{'s' if total != 1 else ''} · {len(causes)} known cause{'s' if len(causes) != 1 else ''} · "
            f"{len(fleet.clean)} without a known cause · {len(fleet.problems)} problem{'s' if len(fleet.problems) != 1 else ''}",
            style="bold",
        )
    )
    if fleet.redaction is not None:
        from smslogdoc.report.redaction import summary_text

        console.print(Text(summary_text(fleet.redaction), style="dim"), soft_wrap=True)
    console.print()
    for cause in causes:
        head = Text()
        head.append(f" {cause.severity.upper()} ", style=_SEVERITY_STYLE.get(cause.severity, "bold"))
        head.append(f" {visible(cause.title)}", style="bold")
        console.print(head, soft_wrap=True)
        console.print(
            Text(f"  rule {cause.rule} · on {len(cause.machines)} of {total} machines", style="dim")
        )
        _wrapped(console, names(cause.machines), width, "  ")
        example = cause.example
        if example.get("path"):
            where = Text("  e.g. ", style="dim")
            where.append_text(log_text(f"{example['path']}:{example['line']}", "cyan"))
            console.print(where, soft_wrap=True)
            text = str(example.get("text", "")).strip().split("\n", 1)[0][:EVIDENCE_CHARS]
            console.print(log_text(f"      {text}"), soft_wrap=True)
        if cause.fix:
            console.print(Text("  Fix", style="bold"))
            for number, step in enumerate(cause.fix, 1):
                _wrapped(console, step, width, "       ", first=f"    {number}. ")
        console.print()
    if unexplained:
        console.print(Text("Not explained by any rule", style="bold"))
        for group in unexplained:
            line = Text("  ")
            line.append_text(log_text(group.example.strip().split("\n", 1)[0][:EVIDENCE_CHARS]))
            line.append(f"  on {len(group.machines)} of {total} machines", style="bold")
            console.print(line, soft_wrap=True)
            _wrapped(console, names(group.machines), width, "    ")
            for code in group.codes:
                console.print(log_text(f"    = {code}", "magenta"), soft_wrap=True)
        console.print()
    if fleet.clean:
        console.print(
            Text(
                f"No known cause found on {len(fleet.clean)} machine{'s' if len(fleet.clean) != 1 else ''}",
                style="bold",
            )
        )
        _wrapped(console, ", ".join(fleet.clean), width, "  ")
        console.print()
    if fleet.problems:
        console.print(Text("Problems", style="bold"))
        for problem in fleet.problems:
            place = (
                str(problem["path"])
                if problem.get("line") is None
                else f"{problem['path']}:{problem['line']}"
            )
            console.print(log_text(f"  {place}: {problem['message']}"), soft_wrap=True)


def write_html(results: Iterable[MachineResult], fleet: Fleet, out: TextIO, console: Console) -> None:
    """One self-contained HTML file (`report.html.write_fleet`): the summary, a
    chart of machines per cause, the causes, then each machine. The machines
    wait in a temporary file (one JSON line each) while the ranking is made,
    so memory does not grow with them."""
    from smslogdoc.report.html import bundled_rule_ids, write_fleet

    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for result in results:
            fleet.add(result)
            spool.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
        spool.seek(0)
        write_fleet(
            out,
            (json.loads(line) for line in spool),
            causes=[cause.as_dict() for cause in fleet.causes()],
            unexplained=[group.as_dict() for group in fleet.unexplained()],
            problems=fleet.own_problems(),
            machine_count=fleet.machines,
            trusted_rule_ids=bundled_rule_ids(),
            redaction=fleet.redaction,
        )


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


WRITERS: dict[str, Writer] = {"text": write_text, "json": write_json, "csv": write_csv, "html": write_html}
"""`fleet --format` name -> writer."""
