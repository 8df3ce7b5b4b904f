"""`diagnose --format json` (the versioned contract of docs/json.md),
`--format jsonl` (one finding a line) and `fleet --format json`: the report
document written as it is, log text kept exactly."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TextIO

from smslogdoc.report.aggregate import FleetReport
from smslogdoc.report.document import JSON_VERSION, FindingDoc, Report
from smslogdoc.report.writers import Options


def write(report: Report, out: TextIO, options: Options) -> None:
    """The JSON document, its keys in the order `document.DiagnoseDoc` gives
    them: findings indented for reading, files and problems (thousands, for a
    tree of folders) one compact object a line, the counts on one line each."""
    parts = []
    for key, value in report["document"].items():
        if key == "findings":
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        elif key in ("files", "problems"):
            text = lines(value)  # type: ignore[arg-type]
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f'  "{key}": {text}')
    out.write("{\n" + ",\n".join(parts) + "\n}\n")


def write_lines(report: Report, out: TextIO, options: Options) -> None:
    """`--format jsonl`: the document's findings, one JSON object a line."""
    write_findings(report["document"]["findings"], out)


def write_findings(findings: Iterable[FindingDoc], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding, ensure_ascii=False))
        out.write("\n")


def lines(items: list[Mapping[str, object]]) -> str:
    """A JSON list with one compact item a line (JSON strings hold no raw line breaks)."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items) + "\n  ]"


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
            text = lines(value) if isinstance(value, list) else json.dumps(value)
            out.write(f',\n  "{key}": {text}')
    out.write("\n}\n")
