"""`diagnose --format json` (the versioned contract of docs/json.md) and
`--format jsonl`: log text kept exactly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Evidence, Finding
from smslogdoc.model import FileReport, Problem
from smslogdoc.report.listing import iso

JSON_VERSION = 1


def problem_dict(problem: Problem) -> dict[str, object]:
    return {"path": problem.path, "line": problem.line, "message": problem.message}


def evidence_dict(evidence: Evidence) -> dict[str, object]:
    return {
        "path": evidence.path,
        "line": evidence.line,
        "end_line": evidence.end_line,
        "time": iso(evidence.time),
        "text": evidence.text,
        "event": evidence.event,
        "codes": list(evidence.codes),
        "supporting": evidence.supporting,
    }


def finding_dict(finding: Finding) -> dict[str, object]:
    """A finding as the JSON contract describes it (docs/json.md)."""
    rule = finding.rule
    return {
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
    }


def file_dict(report: FileReport) -> dict[str, object]:
    return {
        "path": report.path,
        "format": report.format,
        "encoding": report.encoding,
        "events": report.events,
        "skipped": report.skipped,
        "problems": [problem_dict(problem) for problem in report.problems],
    }


def document(outcome: Outcome, findings: list[Finding]) -> dict[str, object]:
    """The JSON document of docs/json.md as a dict (what `write_json` writes)."""
    return {
        "version": JSON_VERSION,
        "findings": [finding_dict(finding) for finding in findings],
        "files": [file_dict(report) for report in outcome.files],
        "problems": [problem_dict(problem) for problem in outcome.problems],
    }


def write_json(outcome: Outcome, findings: list[Finding], out: TextIO, *, redaction: dict[str, int] | None = None) -> None:
    """The JSON document of docs/json.md: findings indented for reading, files and
    problems (thousands, for a tree of folders) one compact object a line."""
    found = json.dumps([finding_dict(finding) for finding in findings], ensure_ascii=False, indent=2).replace("\n", "\n  ")
    out.write(f'{{\n  "version": {JSON_VERSION},\n  "findings": {found},\n')
    out.write(f'  "files": {_lines([file_dict(report) for report in outcome.files])},\n')
    out.write(f'  "problems": {_lines([problem_dict(problem) for problem in outcome.problems])}')
    if redaction is not None:
        out.write(f',\n  "redaction": {json.dumps(redaction)}')  # with --redact: how many names of each class
    out.write("\n}\n")


def _lines(items: list[dict[str, object]]) -> str:
    """A JSON list with one compact item a line (JSON strings hold no raw line breaks)."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items) + "\n  ]"


def write_jsonl(findings: Iterable[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(json.dumps(finding_dict(finding), ensure_ascii=False))
        out.write("\n")
