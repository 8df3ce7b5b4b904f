"""`diagnose --format short`: one line per finding, for many findings (a fleet
of folders, a watched log): severity, rule, where, and the title; then the
summary line."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import CONFIRMED, Finding
from smslogdoc.report.terminal import log_text, visible

_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def short_line(finding: Finding) -> Text:
    """`ERROR    ccmsetup-service-cannot-access-source  ccmsetup.log:80  ccmsetup ... cannot read its source share`."""
    line = Text(f"{finding.severity.upper():<8}", style=_STYLE[finding.severity])
    if finding.status != CONFIRMED:
        line.append("inconclusive ", style="yellow")
    line.append(f"{finding.rule.id}  ", style="dim")
    where = finding.log
    if finding.evidence:
        last = finding.evidence[-1]
        where = f"{last.path}:{last.line}"
    line.append_text(log_text(where, "cyan"))
    line.append(f"  {visible(finding.rule.title)}")
    return line


def write_short(findings: list[Finding], console: Console) -> None:
    """The findings, one line each (never wrapped)."""
    for finding in findings:
        console.print(short_line(finding), soft_wrap=True)


def write_short_report(
    outcome: Outcome, findings: list[Finding], console: Console, *, with_summary: bool = True
) -> None:
    """One line per finding, then the summary line (as `text`)."""
    from smslogdoc.report.text import summary

    write_short(findings, console)
    if with_summary:
        console.print(Text(summary(outcome, findings), style="bold"), soft_wrap=True)


def write_quiet_text(outcome: Outcome, findings: list[Finding], console: Console) -> None:
    """`--format text -q`: failures in full, a confirmed info finding (nothing
    failed: a success that asks for a restart, say) in one line."""
    from smslogdoc.report.text import write_text

    for finding in findings:
        if finding.severity == "info" and finding.status == CONFIRMED:
            console.print(short_line(finding), soft_wrap=True)
        else:
            write_text(outcome, [finding], console, with_summary=False)
