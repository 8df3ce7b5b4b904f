"""The output formats of `diagnose`, each name mapped to its writer: a new
format is one module in this package and one entry here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Finding
from smslogdoc.report import jsondoc, markdown, text


@dataclass(frozen=True)
class Output:
    """Where and how a report is written."""

    console: Console
    """The terminal console (text)."""
    quiet: bool = False
    redaction: dict[str, int] | None = None
    """What `--redact` replaced (`redact.Redactor.summary()`), when it did."""


Writer = Callable[[Outcome, list[Finding], Output], None]


def _write_html(outcome: Outcome, shown: list[Finding], redaction: dict[str, int] | None) -> None:
    """One self-contained HTML file (`htmlreport`), to attach to a ticket."""
    from smslogdoc.htmlreport import bundled_rule_ids, write_diagnose

    write_diagnose(jsondoc.document(outcome, shown), sys.stdout, trusted_rule_ids=bundled_rule_ids(), redaction=redaction)

WRITERS: dict[str, Writer] = {
    "text": lambda outcome, shown, out: text.write_text(outcome, shown, out.console, with_summary=not out.quiet),
    "json": lambda outcome, shown, out: jsondoc.write_json(outcome, shown, sys.stdout, redaction=out.redaction),
    "jsonl": lambda outcome, shown, out: jsondoc.write_jsonl(shown, sys.stdout),
    "markdown": lambda outcome, shown, out: markdown.write_markdown(outcome, shown, sys.stdout),
    "html": lambda outcome, shown, out: _write_html(outcome, shown, out.redaction),
}
"""`--format` name -> writer."""
