"""The output formats of `diagnose` and of `fleet`: one registry per command,
each name mapped to its writer, `write(document, out, options)` - the report
document (`document.Report`, or the streaming `aggregate.FleetReport`), the
text stream to write to, and the `Options` that shaped it.

The registries' names are the command line's `--format` choices, its help
(`choices_help`) and the shell's completions. They import nothing heavy: a
writer's module is imported when it is used, so the command line starts
quickly. A new format is one module with its writer, and one entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from smslogdoc.report.aggregate import FleetReport
    from smslogdoc.report.document import Report


@dataclass(frozen=True)
class Options:
    """How a report is written, beyond its document."""

    quiet: bool = False
    """`-q`: failures only, no summary."""
    min_severity: str = "info"
    """`--min-severity`: findings below it were left out of those shown."""
    unexplained: str = "info"
    """`--unexplained`: whether error records no rule explains are summarised."""


@dataclass(frozen=True)
class Format:
    """One output format: where its writer is, and a few words for `--help`."""

    module: str
    """The module of `smslogdoc.report` that writes it."""
    function: str
    help: str = ""

    def load(self) -> Callable[[Any, TextIO, Options], None]:
        module = importlib.import_module(f"smslogdoc.report.{self.module}")
        return cast("Callable[[Any, TextIO, Options], None]", getattr(module, self.function))


DEFAULT = "text"

DIAGNOSE: dict[str, Format] = {
    "text": Format("text", "write"),
    "short": Format("short", "write", "one line a finding"),
    "json": Format("jsondoc", "write"),
    "jsonl": Format("jsondoc", "write_lines"),
    "markdown": Format("markdown", "write"),
    "html": Format("html", "write", "one self-contained file for a ticket"),
}
"""`diagnose --format` name -> its writer of a `document.Report`."""


FLEET: dict[str, Format] = {
    "text": Format("fleettext", "write"),
    "json": Format("jsondoc", "write_fleet"),
    "csv": Format("fleettext", "write_csv"),
    "html": Format("html", "write_fleet_report", "one self-contained file"),
}
"""`fleet --format` name -> its writer of an `aggregate.FleetReport`."""


def diagnose_writer(name: str) -> Callable[[Report, TextIO, Options], None]:
    return DIAGNOSE[name].load()


def fleet_writer(name: str) -> Callable[[FleetReport, TextIO, Options], None]:
    return FLEET[name].load()


def choices_help(formats: Mapping[str, Format]) -> str:
    """`text (default), short (one line a finding), json, ... or html (...)`."""
    words = [
        f"{name} ({'default' if name == DEFAULT else form.help})" if name == DEFAULT or form.help else name
        for name, form in formats.items()
    ]
    return f"{', '.join(words[:-1])}, or {words[-1]}." if len(words) > 1 else f"{''.join(words)}."
