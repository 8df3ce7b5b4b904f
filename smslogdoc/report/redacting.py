"""`diagnose --redact`: a finished diagnosis with every name replaced by a
stable pseudonym (`redact.Redactor`) before any writer sees it, so every
format (text, JSON, JSON lines, Markdown, HTML) and the problem lines on
stderr show the same pseudonyms. The whole document is read first (a name
met anywhere is replaced everywhere); the findings, file reports and problems
of the outcome are then given the redacted texts. The bundled rules' own
texts (title, cause, references) are kept."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Finding
from smslogdoc.model import Problem
from smslogdoc.report.jsondoc import document


def redact_outcome(outcome: Outcome, shown: list[Finding]) -> dict[str, int]:
    """Redact `outcome` and the findings shown, in place; what was redacted
    (`Redactor.summary()`)."""
    from smslogdoc.htmlreport import bundled_rule_ids
    from smslogdoc.redact import Redactor

    redactor = Redactor()
    done = redactor.redact_document(document(outcome, shown), trusted_rule_ids=bundled_rule_ids())
    for finding, item in zip(shown, done["findings"], strict=True):
        _finding(finding, item)
    for report, item in zip(outcome.files, done["files"], strict=True):
        report.path = item["path"]
        report.problems = [_problem(problem) for problem in item["problems"]]
    outcome.problems = [_problem(problem) for problem in done["problems"]]
    return redactor.summary()


def _finding(finding: Finding, item: dict[str, Any]) -> None:
    finding.diagnosis, finding.cause, finding.fix = item["diagnosis"], item["cause"], list(item["fix"])
    finding.next_logs, finding.captures, finding.log = list(item["next_logs"]), dict(item["captures"]), item["log"]
    finding.group, finding.also, finding.note = item["group"], list(item["also"]), item["note"]
    finding.evidence = [
        replace(evidence, path=shown["path"], text=shown["text"], codes=tuple(shown["codes"]))
        for evidence, shown in zip(finding.evidence, item["evidence"], strict=True)
    ]


def _problem(item: dict[str, Any]) -> Problem:
    return Problem(item["path"], item["message"], item["line"])
