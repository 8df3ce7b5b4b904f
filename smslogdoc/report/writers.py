"""The output formats of `diagnose`, each name mapped to its writer: a new
format is one module in this package and one entry here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Finding
from smslogdoc.report import examined, jsondoc, markdown, short, text


@dataclass(frozen=True)
class Output:
    """Where and how a report is written."""

    console: Console
    """The terminal console (text)."""
    quiet: bool = False
    min_severity: str = "info"
    """`--min-severity`: findings below it were left out of those shown."""
    unexplained: str = "info"
    """`--unexplained`: whether error records no rule explains are summarised."""


Writer = Callable[[Outcome, list[Finding], Output], None]


def _html(outcome: Outcome, shown: list[Finding], out: Output) -> None:
    from smslogdoc.report.html import write_diagnose

    write_diagnose(jsondoc.document(outcome, shown), sys.stdout, redaction=outcome.redaction)


WRITERS: dict[str, Writer] = {
    "text": lambda outcome, shown, out: (
        short.write_quiet_text(outcome, shown, out.console)
        if out.quiet
        else text.write_text(outcome, shown, out.console, view=_view(out))
    ),
    "short": lambda outcome, shown, out: short.write_short_report(
        outcome, shown, out.console, with_summary=not out.quiet
    ),
    "json": lambda outcome, shown, out: jsondoc.write_json(outcome, shown, sys.stdout),
    "jsonl": lambda outcome, shown, out: jsondoc.write_jsonl(shown, sys.stdout),
    "markdown": lambda outcome, shown, out: markdown.write_markdown(
        outcome, shown, sys.stdout, view=_view(out)
    ),
    "html": _html,
}
"""`--format` name -> writer."""


def _view(out: Output) -> examined.View:
    return examined.View(out.min_severity, out.unexplained)
