"""One machine of a fleet diagnosed as one folder, as `diagnose` does, into a
compact `MachineResult`: its findings and problems as the JSON contract
writes them (plain data, so it pickles cheaply back from a worker process or
a Dask worker), and no events."""

from __future__ import annotations

from dataclasses import dataclass

from smslogdoc.diagnose import merge_by_folder
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.results import without_explained_fallbacks
from smslogdoc.findings import Finding
from smslogdoc.inputs.archives import Machine
from smslogdoc.inputs.paths import close_archives, collect
from smslogdoc.model import Problem
from smslogdoc.pipeline import diagnose_logs
from smslogdoc.read.full import ReadOptions
from smslogdoc.report.jsondoc import finding_dict, problem_dict
from smslogdoc.rules.model import SEVERITIES

JsonDict = dict[str, object]


@dataclass
class MachineResult:
    """What one machine's logs gave."""

    name: str
    path: str
    findings: list[JsonDict]
    """Each as `diagnose --format json` writes it (docs/json.md), in diagnose's order."""
    problems: list[JsonDict]
    """Problems met listing, reading and diagnosing its logs."""
    files: int
    """Files found."""
    read: int
    """Files read as text."""

    def worst_confirmed(self) -> int:
        """Index in SEVERITIES of its most severe confirmed finding; -1 when none."""
        levels = [
            SEVERITIES.index(str(item["severity"])) for item in self.findings if item["status"] == "confirmed"
        ]
        return max(levels, default=-1)

    def as_dict(self) -> JsonDict:
        """The machine as the fleet JSON lists it (docs/json.md)."""
        return {"name": self.name, "path": self.path, "findings": self.findings, "problems": self.problems}


def diagnose_machine(machine: Machine, engine: Engine, options: ReadOptions) -> MachineResult:
    """Read and diagnose one machine's logs (a folder or an archive) with
    `engine`, which is left ready for the next machine."""
    problems: list[Problem] = []
    logs = collect([str(machine.path)], problems)
    try:
        findings, met, _ = diagnose_logs(list(enumerate(logs)), engine, options)
    finally:
        close_archives(logs)
    kept: list[Finding] = merge_by_folder(without_explained_fallbacks(findings))
    kept.sort(key=Finding.sort_key)
    reports = [report for log in logs for report in log.reports]
    found = [*problems, *(problem for report in reports for problem in report.problems), *met]
    return MachineResult(
        machine.name,
        str(machine.path),
        [finding_dict(finding) for finding in kept],
        [problem_dict(problem) for problem in found],
        len(reports),
        sum(1 for report in reports if not report.skipped),
    )
