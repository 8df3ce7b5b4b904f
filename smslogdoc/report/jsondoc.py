"""`diagnose --format json` (the versioned contract of docs/json.md) and
`--format jsonl`: log text kept exactly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Evidence, Finding, Occurrence, Spread
from smslogdoc.model import FileReport, Problem
from smslogdoc.report.listing import iso

JSON_VERSION = 1


def problem_dict(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "line": problem.line, "message": problem.message}


def evidence_dict(evidence: Evidence) -> dict[str, object]:
    record: dict[str, object] = {
        "path": evidence.path,
        "line": evidence.line,
        "end_line": evidence.end_line,
        "time": iso(evidence.time),
        "text": evidence.text,
        "event": evidence.event,
        "codes": list(evidence.codes),
        "supporting": evidence.supporting,
    }
    if evidence.time_ambiguous:
        record["time_ambiguous"] = True
    return record


def occurrence_dict(occurrence: Occurrence) -> dict[str, object]:
    return {
        "group": occurrence.group,
        "path": occurrence.path,
        "line": occurrence.line,
        "time": iso(occurrence.time),
    }


def spread_dict(spread: Spread) -> dict[str, object]:
    return {
        "runs": spread.runs,
        "first": occurrence_dict(spread.first),
        "last": occurrence_dict(spread.last),
        "cited": spread.cited,
        "omitted": spread.omitted,
        "evidence": [evidence_dict(item) for item in spread.evidence],
    }


def finding_dict(finding: Finding) -> dict[str, object]:
    """A finding as the JSON contract describes it (docs/json.md); `spread`
    only for a cause seen in more than one run."""
    rule = finding.rule
    found: dict[str, object] = {
        "rule": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "confidence": finding.confidence,
        "status": finding.status,
        "diagnosis": finding.diagnosis,
        "cause": finding.cause,
        "fix": finding.fix,
        "references": list(rule.references),
        "next_logs": finding.next_logs,
        "captures": finding.captures,
        "log": finding.log,
        "group": finding.group,
        "occurrences": finding.occurrences,
        "also": finding.also,
        "note": finding.note,
        "evidence": [evidence_dict(item) for item in finding.evidence],
        "bundled": rule.bundled,
    }
    if finding.spread is not None:
        found["spread"] = spread_dict(finding.spread)
    return found


def file_dict(report: FileReport) -> dict[str, object]:
    return {
        "path": report.path,
        "format": report.format,
        "encoding": report.encoding,
        "events": report.events,
        "skipped": report.skipped,
        "problems": [problem_dict(problem) for problem in report.problems],
        "covered": report.covered,
        "error_records": report.error_records,
        "in_window": report.in_window,
    }


def write_json(outcome: Outcome, findings: list[Finding], out: TextIO) -> None:
    """The JSON document of docs/json.md (`document`): findings indented for
    reading, files and problems (thousands, for a tree of folders) one compact
    object a line, the counts on one line each."""
    parts = []
    for key, value in document(outcome, findings).items():
        if key == "findings":
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        elif key in ("files", "problems"):
            text = _lines(value)  # type: ignore[arg-type]
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f'  "{key}": {text}')
    out.write("{\n" + ",\n".join(parts) + "\n}\n")


def document(outcome: Outcome, findings: list[Finding]) -> dict[str, object]:
    """The JSON document as a dict (for the HTML report)."""
    found: dict[str, object] = {
        "version": JSON_VERSION,
        "findings": [finding_dict(finding) for finding in findings],
        "files": [file_dict(report) for report in outcome.files],
        "problems": [problem_dict(problem) for problem in outcome.problems],
        "hidden": len(outcome.findings) - len(findings),
    }
    if outcome.redaction is not None:
        found["redaction"] = outcome.redaction
    return found


def _lines(items: list[dict[str, object]]) -> str:
    """A JSON list with one compact item a line (JSON strings hold no raw line breaks)."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items) + "\n  ]"


def write_jsonl(findings: Iterable[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding_dict(finding), ensure_ascii=False))
        out.write("\n")
