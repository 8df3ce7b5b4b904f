"""`diagnose --format json` (the versioned contract of docs/json.md),
`--format jsonl` (one finding a line) and `fleet --format json`: the report
document written as it is, log text kept exactly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from smslogdoc.report.aggregate import FleetReport
from smslogdoc.report.document import JSON_VERSION, FindingDoc, Report
from smslogdoc.report.writers import Options


def write(report: Report, out: TextIO, options: Options) -> None:
    """The JSON document, its keys in the order `document.DiagnoseDoc` gives
    them: findings indented for reading, files and problems (thousands, for a
    tree of folders) one compact object a line, the counts on one line each.
    Written a finding and a line at a time: the whole text is never held at
    once (json's indenting encoder makes a string per token, some fifty bytes
    each, before it joins them: a million of them for 10 MB of findings)."""
    out.write("{\n")
    for at, (key, value) in enumerate(report["document"].items()):
        out.write((",\n" if at else "") + f'  "{key}": ')
        if key == "findings":
            indented(value, out)  # type: ignore[arg-type]
        elif key in ("files", "problems"):
            write_lines_of(value, out)  # type: ignore[arg-type]
        elif isinstance(value, list):
            compact(value, out)
        else:
            out.write(json.dumps(value, ensure_ascii=False))
    out.write("\n}\n")


def compact(items: Sequence[object], out: TextIO) -> None:
    """A list as `json.dumps(items)` writes it, on one line, one item at a time
    (the stories of thousands of logs: the encoder would hold every token of
    the whole list at once before it joins them)."""
    out.write("[")
    for at, item in enumerate(items):
        out.write(", " if at else "")
        out.write(json.dumps(item, ensure_ascii=False))
    out.write("]")


def indented(items: Sequence[object], out: TextIO) -> None:
    """A list as `json.dumps(items, indent=2)` writes it, every line after the
    first indented two more spaces (it is a value of the document's top
    object), one item at a time (JSON strings hold no raw line breaks)."""
    _write_list(
        items, out, lambda item: json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
    )


def write_lines_of(items: Sequence[object], out: TextIO) -> None:
    """A JSON list with one compact item a line, written an item at a time."""
    _write_list(items, out, lambda item: json.dumps(item, ensure_ascii=False))


def _write_list(items: Sequence[object], out: TextIO, dump: Callable[[object], str]) -> None:
    """`[`, each item as `dump` writes it on a line of its own (indented as a
    value of the document's top object), `]`; `[]` when there is none."""
    if not items:
        out.write("[]")
        return
    out.write("[")
    for at, item in enumerate(items):
        out.write(",\n    " if at else "\n    ")
        out.write(dump(item))
    out.write("\n  ]")


def write_lines(report: Report, out: TextIO, options: Options) -> None:
    """`--format jsonl`: the document's findings, one JSON object a line."""
    write_findings(report["document"]["findings"], out)


def write_findings(findings: Iterable[FindingDoc], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding, ensure_ascii=False))
        out.write("\n")


def write_fleet(report: FleetReport, out: TextIO, options: Options) -> None:
    """`fleet --format json`: each machine one compact line, written as it
    comes; the aggregation (the keys after `machines`, in the order
    `document.FleetDoc` gives them) once all have."""
    out.write(f'{{\n  "version": {JSON_VERSION},\n  "machines": [')
    first = True
    for machine in report.machines():
        out.write(("\n    " if first else ",\n    ") + json.dumps(machine, ensure_ascii=False))
        first = False
    out.write("]" if first else "\n  ]")
    for key, value in report.tail().items():
        if key not in ("version", "machines"):
            out.write(f',\n  "{key}": ')
            if isinstance(value, list):
                write_lines_of(value, out)
            else:
                out.write(json.dumps(value, ensure_ascii=False))
    out.write("\n}\n")
