"""The fleet's report document (`fleet --format json`, docs/json.md) as it
streams: each machine's piece (`MachineResult`, made once in the worker that
diagnosed it) is written as it comes and added to the aggregation - the
causes ranked by how many machines they hit, what no rule explains (the
`unexplained-errors` findings, grouped by message template across machines),
the machines without a known cause, the problems.

Only names, counts and one example per cause are kept, never events, so the
aggregation stays small for thousands of machines. Every fleet writer gets a
`FleetReport` and reads `machines()` once, then the aggregation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

from smslogdoc.engine.unexplained import RULE_ID, template
from smslogdoc.findings import CONFIRMED
from smslogdoc.report.document import (
    JSON_VERSION,
    CauseDoc,
    ComparisonDoc,
    ExampleDoc,
    FindingDoc,
    FleetDoc,
    MachineDoc,
    ProblemDoc,
    UnexplainedDoc,
    strongest,
)
from smslogdoc.report.fleetcompare import Earlier, compare
from smslogdoc.report.fleetstories import Deployments
from smslogdoc.rules.model import SEVERITIES

SHOWN_NAMES = 5
"""Machine names shown per cause in text ("and N more" after)."""
MAX_CODES = 20
"""Decoded error codes kept per unexplained template."""


@dataclass
class MachineResult:
    """One machine's piece of the fleet document, and what the aggregation
    needs besides (plain data: it comes back pickled from a worker)."""

    document: MachineDoc
    files: int
    """Files found."""
    read: int
    """Files read as text."""
    templates: list[str] | None = None
    """The message template of each record its unexplained-errors findings
    list, in document order, as the diagnosis folded them; None when the
    records' texts must be folded here (they were redacted)."""

    @property
    def name(self) -> str:
        return self.document["name"]

    def worst_confirmed(self) -> int:
        """Index in SEVERITIES of its most severe confirmed finding; -1 when none."""
        levels = [
            SEVERITIES.index(item["severity"])
            for item in self.document["findings"]
            if item["status"] == CONFIRMED
        ]
        return max(levels, default=-1)


@dataclass
class _Cause:
    """One rule across the fleet: its first machine's finding, and the machines."""

    finding: FindingDoc
    example: ExampleDoc
    machines: list[str] = field(default_factory=list)

    def doc(self) -> CauseDoc:
        return {
            "rule": self.finding["rule"],
            "title": self.finding["title"],
            "severity": self.finding["severity"],
            "count": len(self.machines),
            "machines": self.machines,
            "example": self.example,
            "fix": self.finding["fix"],
        }


@dataclass
class _Unexplained:
    """One message template no rule explains, across the fleet."""

    template: str
    example: str
    """The first machine's record of it, as written."""
    machines: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    def doc(self) -> UnexplainedDoc:
        return {
            "template": self.template,
            "count": len(self.machines),
            "machines": self.machines,
            "codes": self.codes,
            "example": self.example,
        }


class FleetReport:
    """The fleet document, filled one machine at a time as `machines()` is read."""

    def __init__(
        self,
        results: Iterable[MachineResult] = (),
        problems: Iterable[ProblemDoc] = (),
        redaction: dict[str, int] | None = None,
        inputs: Sequence[str] = (),
        earlier: Earlier | None = None,
    ) -> None:
        self._results = results
        self.earlier = earlier
        """An earlier report of the same fleet to compare with (`fleet --compare`)."""
        self.names: list[str] = []
        """Every machine's name, in order (for the comparison)."""
        self.inputs = list(inputs)
        """The roots named on the command line (redacted with the rest under `--redact`)."""
        self.own: list[ProblemDoc] = list(problems)
        """The fleet's own problems (a ROOT that is no folder, an entry that is no machine)."""
        self.problems: list[ProblemDoc] = list(self.own)
        """The fleet's own problems, then each machine's."""
        self.redaction = redaction
        """What was redacted (`Redactor.summary()`), when the report is."""
        self.count = 0
        """Machines added."""
        self.read = 0
        """Machines where at least one file was read as text."""
        self.clean: list[str] = []
        """Machines read where no rule found a cause."""
        self.unread: list[str] = []
        """Machines where no file could be read (not examined: never among `clean`)."""
        self.worst = -1
        """Index in SEVERITIES of the most severe confirmed finding; -1 when none."""
        self._causes: dict[str, _Cause] = {}
        self.deployments = Deployments()
        """Per deployment, where its machines' stories stopped."""
        self._unexplained: dict[str, _Unexplained] = {}

    def machines(self) -> Iterator[MachineDoc]:
        """Each machine's piece of the document, in order, as it comes (added to the aggregation)."""
        for result in self._results:
            self.add(result)
            yield result.document

    def add(self, result: MachineResult) -> None:
        self.count += 1
        self.names.append(result.name)
        self.read += result.read > 0
        self.worst = max(self.worst, result.worst_confirmed())
        machine = result.document
        self.problems.extend(machine["problems"])
        self.deployments.add(machine["name"], machine.get("stories", []))
        templates = iter(result.templates) if result.templates is not None else None
        known = False
        for finding in machine["findings"]:
            if finding["rule"] == RULE_ID:
                self._add_unexplained(machine["name"], finding, templates)
                continue
            known = True
            cause = self._causes.get(finding["rule"])
            if cause is None:
                first = strongest(finding["evidence"])
                example = cast("ExampleDoc", {"machine": machine["name"], **(first or {})})
                cause = self._causes[finding["rule"]] = _Cause(finding, example)
            if not cause.machines or cause.machines[-1] != machine["name"]:
                cause.machines.append(machine["name"])
        if result.read == 0:
            self.unread.append(machine["name"])
        elif not known:
            self.clean.append(machine["name"])

    def _add_unexplained(self, machine: str, finding: FindingDoc, templates: Iterator[str] | None) -> None:
        for item in finding["evidence"]:
            key = next(templates) if templates is not None else template(item["text"])
            group = self._unexplained.get(key)
            if group is None:
                group = self._unexplained[key] = _Unexplained(key, item["text"])
            if not group.machines or group.machines[-1] != machine:
                group.machines.append(machine)
            for code in item["codes"]:
                if code not in group.codes and len(group.codes) < MAX_CODES:
                    group.codes.append(code)

    def causes(self) -> list[CauseDoc]:
        """Most machines first, then most severe, then by rule id."""
        ranked = sorted(
            self._causes.values(),
            key=lambda cause: (
                -len(cause.machines),
                -SEVERITIES.index(cause.finding["severity"]),
                cause.finding["rule"],
            ),
        )
        return [cause.doc() for cause in ranked]

    def unexplained(self) -> list[UnexplainedDoc]:
        """Most machines first, then by template."""
        ranked = sorted(self._unexplained.values(), key=lambda group: (-len(group.machines), group.template))
        return [group.doc() for group in ranked]

    def comparison(self) -> ComparisonDoc | None:
        """What changed since the earlier report, once every machine has been read."""
        if self.earlier is None:
            return None
        return compare(self.earlier, self.names, self.causes(), self.deployments.docs())

    def tail(self) -> FleetDoc:
        """The document's keys after `machines`, in their order (`document.FleetDoc`),
        once every machine has been read; `machines` is left empty."""
        document: FleetDoc = {
            "version": JSON_VERSION,
            "machines": [],
            "causes": self.causes(),
            "unexplained": self.unexplained(),
            "deployments": self.deployments.docs(),
            "problems": self.problems,
        }
        if self.redaction is not None:
            document["redaction"] = self.redaction
        comparison = self.comparison()
        if comparison is not None:
            document["compared"] = comparison
        return document
