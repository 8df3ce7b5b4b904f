"""`diagnose --format short`: one line per finding (`grep`-able, never wrapped),
one per story that did not succeed (`STORY`), then the summary line."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from smslogdoc.findings import CONFIRMED
from smslogdoc.report.document import FindingDoc, Report, strongest
from smslogdoc.report.examined import ALL_CLEAR, headline, summary
from smslogdoc.report.storylines import not_succeeded, one_line, several_folders
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
    last = strongest(finding["evidence"])
    if last is not None:
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
    console = console_for(out)
    findings = report["document"]["findings"]
    write_short(findings, console)
    stories = report["document"]["stories"]
    folder = several_folders(stories)
    for story in not_succeeded(stories):
        console.print(Text(one_line(story, folder=folder), style="magenta"), soft_wrap=True)
    if not options.quiet:
        said = headline(report, options)
        if not findings and said != ALL_CLEAR:  # nothing examined, or findings hidden: one line says so
            console.print(Text(said), soft_wrap=True)
        console.print(Text(summary(report, options), style="bold"), soft_wrap=True)
