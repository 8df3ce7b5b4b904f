"""One machine of a fleet diagnosed as one folder, as `diagnose` does, into its
piece of the fleet document (`report.aggregate.MachineResult`): its findings
and problems as the JSON document holds them, made once here (plain data, so
it pickles cheaply back from a worker process or a Dask worker), and no
events."""

from __future__ import annotations

from collections.abc import Sequence

from smslogdoc.engine.loop import Engine
from smslogdoc.engine.storybook import StoryBook
from smslogdoc.engine.unexplained import RULE_ID
from smslogdoc.findings import Finding
from smslogdoc.inputs.archives import Machine
from smslogdoc.inputs.paths import close_archives, collect
from smslogdoc.model import Problem
from smslogdoc.pipeline import diagnose_logs
from smslogdoc.read.full import ReadOptions
from smslogdoc.report.aggregate import MachineResult
from smslogdoc.report.document import MachineDoc, finding_doc, problem_doc
from smslogdoc.report.storydoc import outcome_doc
from smslogdoc.rules.workflow import Workflow


def diagnose_machine(
    machine: Machine, engine: Engine, options: ReadOptions, workflows: Sequence[Workflow] = ()
) -> MachineResult:
    """Read and diagnose one machine's logs (a folder or an archive) with
    `engine`, which is left ready for the next machine; with `workflows`, where
    each of its stories stopped."""
    problems: list[Problem] = []
    logs = collect([str(machine.path)], problems)
    book = StoryBook(workflows) if workflows else None
    try:
        findings, met, stories = diagnose_logs(list(enumerate(logs)), engine, options, book=book)
    finally:
        close_archives(logs)
    kept = sorted(findings, key=Finding.sort_key)  # settled by `diagnose_logs`
    reports = [report for log in logs for report in log.reports]
    found = [*problems, *(problem for report in reports for problem in report.problems), *met]
    document: MachineDoc = {
        "name": machine.name,
        "path": str(machine.path),
        "findings": [finding_doc(finding) for finding in kept],
        "problems": [problem_doc(problem) for problem in found],
    }
    if book is not None:
        document["stories"] = [outcome_doc(story) for story in stories]
    return MachineResult(
        document,
        files=len(reports),
        read=sum(1 for report in reports if not report.skipped),
        templates=[
            item.template for finding in kept if finding.rule.id == RULE_ID for item in finding.evidence
        ],
    )
