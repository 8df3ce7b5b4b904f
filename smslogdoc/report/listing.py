"""What `smslogdoc parse` prints: events as a log-viewer table, JSON Lines or CSV.

All three stream: events are written as they arrive, so memory does not grow
with the log. The table shows log text through `terminal.log_text` (inert);
JSON Lines and CSV keep the exact text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from smslogdoc.model import Event, Severity
from smslogdoc.report.terminal import log_text


class EventFormat(StrEnum):
    """Output formats of `parse`."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"


FIELDS = ("path", "line", "end_line", "time", "component", "severity", "thread", "message", "format")
"""The keys of a JSON Lines event and the CSV columns, in order."""

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.VERBOSE: "dim"}
_TABLE_BATCH = 200


def iso(when: datetime | None) -> str | None:
    """ISO 8601, with the UTC offset when the log gave one."""
    return None if when is None else _iso(when)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds" if when.microsecond % 1000 == 0 else "microseconds")


def as_dict(event: Event) -> dict[str, object]:
    """The event as the JSON Lines object (keys in `FIELDS` order, then `file`
    and `time_ambiguous` when set)."""
    record: dict[str, object] = {
        "path": event.path,
        "line": event.line,
        "end_line": event.end_line,
        "time": iso(event.time),
        "component": event.component,
        "severity": event.severity.label,
        "thread": event.thread,
        "message": event.message,
        "format": event.format,
    }
    if event.file:
        record["file"] = event.file
    if event.time_ambiguous:
        record["time_ambiguous"] = True
    if event.severity_inferred:
        record["severity_inferred"] = True
    return record


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    """One JSON object per line (the keys and values of `as_dict`, written
    without building a dict: this is the hot loop of `parse`); returns how many
    were written."""
    encode = _encode_string
    strings: dict[str, str] = {}  # paths and components repeat: encode them once
    count = 0
    write = out.write
    for event in events:
        path = strings.get(event.path) or strings.setdefault(event.path, encode(event.path))
        component = strings.get(event.component) or strings.setdefault(
            event.component, encode(event.component)
        )
        time = "null" if event.time is None else '"' + _iso(event.time) + '"'
        thread = "null" if event.thread is None else event.thread
        tail = f', "file": {encode(event.file)}}}\n' if event.file else "}\n"
        if event.time_ambiguous:
            tail = tail[:-2] + ', "time_ambiguous": true}\n'
        if event.severity_inferred:
            tail = tail[:-2] + ', "severity_inferred": true}\n'
        write(
            f'{{"path": {path}, "line": {event.line}, "end_line": {event.end_line}, "time": {time}, '
            f'"component": {component}, "severity": "{_LABELS[event.severity]}", "thread": {thread}, '
            f'"message": {encode(event.message)}, "format": "{event.format}"{tail}'
        )
        count += 1
    return count


_LABELS = {severity: severity.label for severity in Severity}
_encode_string = json.encoder.encode_basestring
"""JSON string literal of a str, keeping non-ASCII text (C implementation)."""


def write_csv(events: Iterable[Event], out: TextIO) -> int:
    """A header row, then one row per event; returns how many were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    count = 0
    for event in events:
        row = as_dict(event)
        writer.writerow(["" if row[name] is None else row[name] for name in FIELDS])
        count += 1
    return count


def write_table(events: Iterable[Event], console: Console, *, show_path: bool) -> int:
    """A log-viewer table, coloured by severity, printed in batches as events arrive."""
    count = 0
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        count += 1
        if len(batch) == _TABLE_BATCH:
            console.print(_table(batch, show_path, header=count == _TABLE_BATCH))
            batch = []
    if batch or count == 0:
        console.print(_table(batch, show_path, header=count <= _TABLE_BATCH))
    return count


_SEVERITY_WORDS = {
    Severity.ERROR: "ERROR",
    Severity.WARNING: "WARN",
    Severity.INFO: "info",
    Severity.VERBOSE: "verb",
}


def _table(events: list[Event], show_path: bool, *, header: bool) -> Table:
    """Time, severity (a word, not only a colour: it survives print and pipes),
    the file's name and line when several logs are shown (not the full path:
    `ccm.log` and `ccmsetup.log` must not look alike), component, thread, and
    the message with all the room that is left."""
    table = Table(box=None, show_header=header, header_style="bold", pad_edge=False, expand=False)
    table.add_column("Time", no_wrap=True, width=23)
    table.add_column("Sev", no_wrap=True, width=5)
    if show_path:
        table.add_column("File", no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column("Component", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("Thread", justify="right", no_wrap=True, max_width=6)
    table.add_column("Message", overflow="fold", ratio=1, min_width=30)
    for event in events:
        style = _STYLES.get(event.severity, "")
        when = event.time.strftime("%Y-%m-%d %H:%M:%S.%f")[:23] if event.time else ""
        cells: list[Text] = [
            Text(when, style="dim" if event.time is not None and event.time.tzinfo is None else ""),
            Text(_SEVERITY_WORDS[event.severity], style=style),
        ]
        if show_path:
            cells.append(log_text(f"{_file_name(event.path)}:{event.line}", "dim"))
        cells += [
            log_text(event.component),
            Text("" if event.thread is None else str(event.thread)),
            log_text(event.message, style),
        ]
        table.add_row(*cells)
    return table


def _file_name(path: str) -> str:
    """The last part of a path, Windows or POSIX (`<stdin>` as it is)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]
