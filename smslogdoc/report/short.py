"""`diagnose --format short`: one line per finding (`grep`-able, never wrapped),
then the summary line; and `--format text -q`, which shows failures in full
and a confirmed info finding in one line."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from smslogdoc.findings import CONFIRMED
from smslogdoc.report.document import FindingDoc, Report
from smslogdoc.report.terminal import console_for, log_text, visible
from smslogdoc.report.writers import Options

_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def short_line(finding: FindingDoc) -> Text:
    """`ERROR    ccmsetup-service-cannot-access-source  ccmsetup.log:80  ccmsetup ... cannot read its source share`."""
    line = Text(f"{finding['severity'].upper():<8}", style=_STYLE[finding["severity"]])
    if finding["status"] != CONFIRMED:
        line.append("inconclusive ", style="yellow")
    line.append(f"{finding['rule']}  ", style="dim")
    where = finding["log"]
    if finding["evidence"]:
        last = finding["evidence"][-1]
        where = f"{last['path']}:{last['line']}"
    line.append_text(log_text(where, "cyan"))
    line.append(f"  {visible(finding['title'])}")
    return line


def write_short(findings: list[FindingDoc], console: Console) -> None:
    """The findings, one line each (never wrapped)."""
    for finding in findings:
        console.print(short_line(finding), soft_wrap=True)


def write(report: Report, out: TextIO, options: Options) -> None:
    """One line per finding, then (unless `-q`) the summary line, as `text` has it."""
    from smslogdoc.report.text import summary

    console = console_for(out)
    write_short(report["document"]["findings"], console)
    if not options.quiet:
        console.print(Text(summary(report), style="bold"), soft_wrap=True)


def write_quiet(report: Report, console: Console) -> None:
    """`--format text -q`: failures in full, a confirmed info finding (nothing
    failed: a success that asks for a restart, say) in one line."""
    from smslogdoc.report.text import write_text

    for finding in report["document"]["findings"]:
        if finding["severity"] == "info" and finding["status"] == CONFIRMED:
            console.print(short_line(finding), soft_wrap=True)
        else:
            write_text(report, console, findings=[finding], with_summary=False)
