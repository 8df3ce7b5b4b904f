"""What the HTML report says besides its findings: what was and was not
examined (the same words text and Markdown use, `report.examined`), when and
by which version it was written, from which inputs, a table of contents for
a long report, and rule text with its `code` spans shown as code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from smslogdoc import __version__
from smslogdoc.report import examined
from smslogdoc.report.document import Report
from smslogdoc.report.htmlparts import _plural
from smslogdoc.report.htmltext import esc
from smslogdoc.report.writers import Options

TOC_FINDINGS = 5
"""A report with more findings than this gets a table of contents."""


@dataclass(frozen=True)
class Examined:
    """What a diagnosis examined, as the HTML report says it."""

    headline: str = examined.ALL_CLEAR
    """Said when no finding is shown (never the all-clear when nothing was examined)."""
    not_examined: list[str] = field(default_factory=list)
    """The logs no rule reads, one line each."""
    notes: list[str] = field(default_factory=list)
    """What the summary line adds: logs no rule reads, findings hidden, the window."""
    inputs: list[str] = field(default_factory=list)
    """The paths named on the command line (redacted with the report)."""


def examined_of(report: Report, options: Options) -> Examined:
    """The HTML report's words on what `report` examined."""
    shown = report["document"]["findings"]
    return Examined(
        headline=examined.headline(report, options),
        not_examined=examined.uncovered(report, shown, options),
        notes=examined.summary_parts(report, options),
        inputs=list(report.get("inputs") or []),
    )


def examined_of_document(files_: Sequence[Mapping[str, Any]], document: Mapping[str, Any]) -> Examined:
    """What a bare JSON document tells of what was examined: no file read,
    findings hidden, files no rule reads."""
    if not files_:
        return Examined(headline="Nothing was examined: no log was found under the paths given.")
    if all(item.get("skipped") for item in files_):
        return Examined(headline="Nothing was examined: no file could be read as a log.")
    notes = []
    hidden = document.get("hidden")
    if isinstance(hidden, int) and hidden:
        notes.append(f"{_plural(hidden, 'finding')} hidden by --min-severity")
    uncovered = [str(item.get("path", "")) for item in files_ if item.get("covered") is False]
    if uncovered:
        notes.append(f"{_plural(len(uncovered), 'file')} no rule reads")
    windows = [item.get("in_window") for item in files_ if item.get("in_window") is not None]
    if windows and not any(windows):
        return Examined(headline="Nothing was examined in the time window: no record fell in it.")
    headline = f"No finding shown: {'; '.join(notes)}." if notes else examined.ALL_CLEAR
    return Examined(
        headline=headline,
        notes=notes,
        not_examined=[f"{path}: no rule reads this kind of log" for path in uncovered],
    )


def stamp_html(inputs: Sequence[str], now: datetime | None = None) -> str:
    """`Generated 2026-12-06 11:40 UTC by smslogdoc 0.1.0 · input: ...`."""
    moment = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    line = f"Generated {esc(moment)} by smslogdoc {esc(__version__)}"
    if inputs:
        named = ", ".join(f'<span class="mono">{esc(path)}</span>' for path in inputs)
        line += f" · input{'s' if len(inputs) != 1 else ''}: {named}"
    return f'<p class="meta" id="generated">{line}</p>\n'


def notes_html(said: Examined) -> str:
    """The summary's notes (hidden findings, the window, logs no rule reads)."""
    if not said.notes:
        return ""
    return '<p class="notice" id="notes">' + " · ".join(esc(note) for note in said.notes) + "</p>\n"


def headline_html(said: Examined) -> str:
    """The line under Findings when none is shown."""
    css = "" if said.headline == examined.ALL_CLEAR else ' class="notice"'
    return f"<p{css}>{esc(said.headline)}</p>\n"


def not_examined_html(said: Examined) -> str:
    """The logs no rule reads, under their own heading."""
    if not said.not_examined:
        return ""
    items = "".join(f'<li><span class="mono">{esc(line)}</span></li>' for line in said.not_examined)
    return f'<h2 id="not-examined">Not examined by any rule</h2>\n<ul>{items}</ul>\n'


def toc_html(entries: Sequence[tuple[str, str]], findings: Sequence[tuple[str, str]]) -> str:
    """A table of contents: the sections (`(anchor, title)`), the findings under
    theirs; empty for a short report."""
    if len(findings) <= TOC_FINDINGS:
        return ""
    parts = ['<nav id="contents"><h2>Contents</h2><ul>']
    for anchor, title in entries:
        parts.append(f'<li><a href="#{esc(anchor)}">{esc(title)}</a>')
        if anchor == "findings":
            parts.append(
                "<ol>" + "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in findings) + "</ol>"
            )
        parts.append("</li>")
    parts.append("</ul></nav>\n")
    return "".join(parts)
