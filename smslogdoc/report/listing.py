"""What `smslogdoc parse` prints: events as a log-viewer table, JSON Lines or CSV.

All three stream: events are written as they arrive, so memory does not grow
with the log. The table shows log text through `terminal.log_text` (inert);
JSON Lines and CSV keep the exact text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from smslogdoc.model import Event, Severity
from smslogdoc.report.terminal import log_name, log_text


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


WIDE = 120
"""From this many columns on, the table; below, each record as a line of its
where and when, its message on the lines below it (at 80 columns a table
leaves a message a dozen characters)."""


def write_table(
    events: Iterable[Event], console: Console, *, show_path: bool, paths: Sequence[str] = ()
) -> int:
    """A log-viewer table, coloured by severity, printed in batches as events
    arrive; below `WIDE` columns, a record a paragraph. A file is named by
    the shortest end of its path that no other of `paths` shares
    (`A/execmgr.log`, `B/execmgr.log`)."""
    count = 0
    batch: list[Event] = []
    labels = file_labels(paths)
    for event in events:
        batch.append(event)
        count += 1
        if len(batch) == _TABLE_BATCH:
            _print(console, batch, show_path, labels, header=count == _TABLE_BATCH)
            batch = []
    if batch or count == 0:
        _print(console, batch, show_path, labels, header=count <= _TABLE_BATCH)
    return count


def _print(
    console: Console, events: list[Event], show_path: bool, labels: Mapping[str, str], *, header: bool
) -> None:
    if console.width >= WIDE:
        console.print(_table(events, show_path, labels, header=header))
        return
    for event in events:
        style = _STYLES.get(event.severity, "")
        when = event.time.strftime("%Y-%m-%d %H:%M:%S.%f")[:23] if event.time else "(no time)"
        head = Text(when, style="dim" if event.time is None or event.time.tzinfo is None else "")
        head.append(f"  {_SEVERITY_WORDS[event.severity]:<5}", style=style)
        where = f"{_label(event.path, labels)}:{event.line}" if show_path else f"line {event.line}"
        head.append_text(log_name(f"  {where}", "cyan"))
        if event.component:
            head.append_text(log_name(f"  {event.component}"))
        if event.thread is not None:
            head.append(f"  {event.thread}", style="dim")
        console.print(head, overflow="fold")
        for line in log_text(event.message, style).wrap(console, max(console.width - 4, 20)):
            line.rstrip()
            console.print(Text("    ").append_text(line), soft_wrap=True)


def file_labels(paths: Iterable[str]) -> dict[str, str]:
    """Each path's shortest end (file name, then its folder ...) that no other path shares."""
    parts = {path: path.replace("\\", "/").split("/") for path in dict.fromkeys(paths)}
    labels: dict[str, str] = {}
    for path, pieces in parts.items():
        for size in range(1, len(pieces) + 1):
            end = pieces[-size:]
            if not any(other[-size:] == end for key, other in parts.items() if key != path):
                break
        labels[path] = "/".join(end)
    return labels


def _label(path: str, labels: Mapping[str, str]) -> str:
    return labels.get(path) or _file_name(path)


_SEVERITY_WORDS = {
    Severity.ERROR: "ERROR",
    Severity.WARNING: "WARN",
    Severity.INFO: "info",
    Severity.VERBOSE: "verb",
}


def _table(events: list[Event], show_path: bool, labels: Mapping[str, str], *, header: bool) -> Table:
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
            cells.append(log_name(f"{_label(event.path, labels)}:{event.line}", "dim"))
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
