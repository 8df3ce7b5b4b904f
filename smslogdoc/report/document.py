"""The report document: what `diagnose --format json` and `fleet --format json`
write (docs/json.md), as typed structures, and its making from a diagnosis.

The TypedDicts below are the one statement of the document's keys and their
order: the builders make each piece in its declared order, the JSON writers
write what they are given, and every other writer (text, short, Markdown,
HTML, CSV) reads the same pieces. A finding becomes a `FindingDoc` once, here
(its rule's texts rendered then, `texts`); a fleet machine's findings become
the same pieces once, in the worker that diagnosed it (`MachineDoc`). A
story's pieces are in `storydoc`.

A diagnosis' `Report` is its JSON document plus what the other formats say
besides (the findings `--min-severity` left out, each log as it was examined,
the number of rules). `--redact` is one pass over a whole `Report`
(`redaction.redact_report`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NotRequired, TypedDict

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Evidence, Finding, Occurrence, Spread
from smslogdoc.model import FileReport, Problem
from smslogdoc.report.listing import iso
from smslogdoc.report.storydoc import DeploymentDoc, OutcomeDoc, StoryDoc, StoryLinkDoc, explained, story_docs
from smslogdoc.report.texts import texts
from smslogdoc.stories import Story

JSON_VERSION = 1
"""The version of both documents (keys are only ever added within a version)."""


class ProblemDoc(TypedDict):
    path: str
    line: int | None
    message: str


class EvidenceDoc(TypedDict):
    path: str
    line: int
    end_line: int
    time: str | None
    text: str
    event: str
    codes: list[str]
    supporting: bool
    time_ambiguous: NotRequired[bool]
    """Present, and true, only when the record's date could be read either way."""
    severity_inferred: NotRequired[bool]
    """Present, and true, only when the record had no severity of its own and its
    words made it an error or a warning (a paste, copied rows, plain text)."""


class OccurrenceDoc(TypedDict):
    group: str
    path: str
    line: int
    time: str | None


class SpreadDoc(TypedDict):
    runs: int
    first: OccurrenceDoc
    last: OccurrenceDoc
    cited: int
    omitted: int
    evidence: list[EvidenceDoc]


class FindingDoc(TypedDict):
    rule: str
    title: str
    severity: str
    confidence: str
    status: str
    diagnosis: str
    cause: str
    fix: list[str]
    references: list[str]
    next_logs: list[str]
    captures: dict[str, str]
    log: str
    group: str
    occurrences: int
    also: list[str]
    note: str
    evidence: list[EvidenceDoc]
    bundled: bool
    spread: NotRequired[SpreadDoc]
    """Only for a cause seen in more than one run."""
    stories: NotRequired[list[StoryLinkDoc]]
    """`diagnose` only, when the finding cites a record of a story: the phases it explains."""


class FileDoc(TypedDict):
    path: str
    format: str
    encoding: str
    events: int
    skipped: bool
    problems: list[ProblemDoc]
    covered: bool | None
    error_records: int
    in_window: int | None


class DiagnoseDoc(TypedDict):
    """`diagnose --format json`."""

    version: int
    findings: list[FindingDoc]
    files: list[FileDoc]
    problems: list[ProblemDoc]
    hidden: int
    stories: list[StoryDoc]
    """Every story of every folder, those that did not succeed first."""
    redaction: NotRequired[dict[str, int]]
    """With `--redact`: how many distinct names of each class were replaced."""


class LogDoc(TypedDict):
    """One log that was read (its rotated parts together), as the diagnosis saw it."""

    name: str
    covered: bool
    """Whether a loaded rule reads this kind of log."""
    records: int
    error_records: int
    in_window: int | None


class Report(TypedDict):
    """A diagnosis as every `diagnose` writer gets it."""

    document: DiagnoseDoc
    left_out: list[FindingDoc]
    """The findings `--min-severity` left out (the JSON counts them: `hidden`)."""
    logs: list[LogDoc]
    rules: int
    """How many rules ran."""
    inputs: NotRequired[list[str]]
    """The paths named on the command line (`-` for standard input)."""


class MachineDoc(TypedDict):
    """One machine of `fleet --format json`."""

    name: str
    path: str
    findings: list[FindingDoc]
    problems: list[ProblemDoc]
    stories: NotRequired[list[OutcomeDoc]]
    """Where each of its stories stopped (`fleet`)."""


class _Machine(TypedDict):
    machine: str


class ExampleDoc(_Machine, EvidenceDoc):
    """A cause's example: the first machine's first evidence record, with the machine's name."""


class CauseDoc(TypedDict):
    rule: str
    title: str
    severity: str
    count: int
    machines: list[str]
    example: ExampleDoc
    fix: list[str]


class UnexplainedDoc(TypedDict):
    template: str
    count: int
    machines: list[str]
    codes: list[str]
    example: str


class MachinesChangeDoc(TypedDict):
    both: int  # machines in both reports: the ones compared
    added: list[str]  # only in this report
    gone: list[str]  # only in the earlier one


class ChangeDoc(TypedDict):
    rule: str
    title: str
    severity: str
    change: str  # new, more, moved, fewer or resolved (`fleetcompare.CHANGES`)
    before: int  # machines in both reports it hit then
    now: int
    gained: list[str]
    lost: list[str]


class OutcomeChangeDoc(TypedDict):
    workflow: str
    subject: str
    verdict: str
    phase: str | None
    what: str
    before: int
    now: int
    gained: list[str]
    lost: list[str]


class ComparisonDoc(TypedDict):
    """`fleet --compare`: what changed since an earlier report (`fleetcompare`)."""

    earlier: str
    machines: MachinesChangeDoc
    changes: list[ChangeDoc]
    unchanged: int  # causes on the same machines in both
    deployments: list[OutcomeChangeDoc]  # where deployments stopped, machines that came or went


class FleetDoc(TypedDict):
    """`fleet --format json` (written as it streams: `report.aggregate`)."""

    version: int
    machines: list[MachineDoc]
    causes: list[CauseDoc]
    unexplained: list[UnexplainedDoc]
    deployments: list[DeploymentDoc]
    problems: list[ProblemDoc]
    redaction: NotRequired[dict[str, int]]
    compared: NotRequired[ComparisonDoc]


# --- making it -------------------------------------------------------------------


_FAILURE_WORDS = re.compile(
    r"\b(?:fail\w*|error|denied|cannot|can't|unable|not found|exit code (?:is )?[1-9]|return code = [1-9]|0x8)",
    re.IGNORECASE,
)


def strongest(evidence: Sequence[EvidenceDoc]) -> EvidenceDoc | None:
    """The record a finding rests on, to cite when one line is all there is
    room for: the first evidence that is not only supporting and says a
    failure (fails, an error, denied, a non-zero exit code, ...), else the
    last that is not only supporting, else the last."""
    decisive = [item for item in evidence if not item["supporting"]]
    for item in decisive:
        if _FAILURE_WORDS.search(item["text"]):
            return item
    kept = decisive or list(evidence)
    return kept[-1] if kept else None


def problem_doc(problem: Problem) -> ProblemDoc:
    return {"path": problem.path, "line": problem.line, "message": problem.message}


def evidence_doc(evidence: Evidence) -> EvidenceDoc:
    record: EvidenceDoc = {
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
    if evidence.severity_inferred:
        record["severity_inferred"] = True
    return record


def occurrence_doc(occurrence: Occurrence) -> OccurrenceDoc:
    return {
        "group": occurrence.group,
        "path": occurrence.path,
        "line": occurrence.line,
        "time": iso(occurrence.time),
    }


def spread_doc(spread: Spread) -> SpreadDoc:
    return {
        "runs": spread.runs,
        "first": occurrence_doc(spread.first),
        "last": occurrence_doc(spread.last),
        "cited": spread.cited,
        "omitted": spread.omitted,
        "evidence": [evidence_doc(item) for item in spread.evidence],
    }


def finding_doc(finding: Finding) -> FindingDoc:
    """A finding as the document holds it, its rule's texts rendered;
    `spread` only for a cause seen in more than one run."""
    rule = finding.rule
    said = texts(finding)
    found: FindingDoc = {
        "rule": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "confidence": finding.confidence,
        "status": finding.status,
        "diagnosis": said.diagnosis,
        "cause": said.cause,
        "fix": said.fix,
        "references": list(rule.references),
        "next_logs": said.next_logs,
        "captures": dict(finding.captures),
        "log": finding.log,
        "group": finding.group,
        "occurrences": finding.occurrences,
        "also": list(finding.also),
        "note": finding.note,
        "evidence": [evidence_doc(item) for item in finding.evidence],
        "bundled": rule.bundled,
    }
    if finding.spread is not None:
        found["spread"] = spread_doc(finding.spread)
    return found


def _linked(found: FindingDoc, folder: str, stories: Sequence[Story]) -> FindingDoc:
    """A finding with the stories it explains, if any."""
    links = explained(found["rule"], folder, stories)
    if links:
        found["stories"] = links
    return found


def file_doc(report: FileReport) -> FileDoc:
    return {
        "path": report.path,
        "format": report.format,
        "encoding": report.encoding,
        "events": report.events,
        "skipped": report.skipped,
        "problems": [problem_doc(problem) for problem in report.problems],
        "covered": report.covered,
        "error_records": report.error_records,
        "in_window": report.in_window,
    }


def diagnose_doc(outcome: Outcome, shown: Sequence[Finding], *, keep: bool = True) -> DiagnoseDoc:
    """The JSON document of a diagnosis, with the findings `shown`; unless
    `keep`, the outcome's stories are given up as their pieces are made
    (`storydoc.story_docs`)."""
    return {
        "version": JSON_VERSION,
        "findings": [_linked(finding_doc(finding), finding.folder, outcome.stories) for finding in shown],
        "files": [file_doc(report) for report in outcome.files],
        "problems": [problem_doc(problem) for problem in outcome.problems],
        "hidden": len(outcome.findings) - len(shown),
        "stories": story_docs(outcome.stories, keep=keep),
    }


def log_docs(outcome: Outcome) -> list[LogDoc]:
    """Each log that was read, with whether a rule reads it and its counts."""
    seen: list[LogDoc] = []
    for log in outcome.logs:
        read = [report for report in log.reports if not report.skipped]
        if not read:
            continue
        windows = [report.in_window for report in read if report.in_window is not None]
        seen.append(
            {
                "name": log.name,
                "covered": all(report.covered is not False for report in read),
                "records": sum(report.events for report in read),
                "error_records": sum(report.error_records for report in read),
                "in_window": sum(windows) if windows else None,
            }
        )
    return seen


def report_of(outcome: Outcome, shown: Sequence[Finding] | None = None, *, keep: bool = True) -> Report:
    """The report of a diagnosis showing `shown` (all its findings by default);
    unless `keep`, the outcome's stories are given up as their pieces are
    made (the command line, which writes the report and needs them no more)."""
    shown = outcome.findings if shown is None else shown
    kept = {id(finding) for finding in shown}
    return {
        "document": diagnose_doc(outcome, shown, keep=keep),
        "left_out": [finding_doc(finding) for finding in outcome.findings if id(finding) not in kept],
        "logs": log_docs(outcome),
        "rules": outcome.rules,
    }
