"""Across the fleet: the causes ranked by how many machines they hit, what no
rule explains (the `unexplained-errors` findings, grouped by message template
across machines), the machines without a known cause, and the problems.

Machines are added one at a time (`Fleet.add`) as their results stream in;
only names, counts and one example per cause are kept, never events, so the
aggregation stays small for thousands of machines."""

from __future__ import annotations

from dataclasses import dataclass, field

from smslogdoc.engine.unexplained import template
from smslogdoc.fleet.machine import JsonDict, MachineResult
from smslogdoc.rules.model import SEVERITIES

UNEXPLAINED_RULE = "unexplained-errors"
"""The per-log finding listing the error records no rule explains (its evidence:
the first record of each message-template group)."""
SHOWN_NAMES = 5
"""Machine names shown per cause in text ("and N more" after)."""


def fold(text: str) -> str:
    """A message's template, as the per-log summary folds it (`engine.unexplained.template`):
    the same message on two machines is one template."""
    return template(text)


@dataclass
class Cause:
    """One rule across the fleet."""

    rule: str
    title: str
    severity: str
    fix: list[str]
    example: JsonDict
    """The first machine's first evidence record, with the machine's name."""
    machines: list[str] = field(default_factory=list)

    def as_dict(self) -> JsonDict:
        return {
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity,
            "count": len(self.machines),
            "machines": self.machines,
            "example": self.example,
            "fix": self.fix,
        }


@dataclass
class Unexplained:
    """One message template no rule explains, across the fleet."""

    template: str
    example: str
    """The first machine's record of it, as written."""
    machines: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    """The error codes its records mention, decoded (as evidence lists them)."""

    def as_dict(self) -> JsonDict:
        return {
            "template": self.template,
            "count": len(self.machines),
            "machines": self.machines,
            "codes": self.codes,
            "example": self.example,
        }


@dataclass
class Fleet:
    """The aggregation, filled one machine at a time."""

    problems: list[JsonDict] = field(default_factory=list)
    """The fleet's own problems (a root that is not a folder...), then each machine's."""
    machines: int = 0
    read: int = 0
    """Machines where at least one file was read as text."""
    clean: list[str] = field(default_factory=list)
    """Machines where no rule found a cause."""
    worst: int = -1
    """Index in SEVERITIES of the most severe confirmed finding; -1 when none."""
    redaction: dict[str, int] | None = None
    """What was redacted (`redact.Redactor.summary()`), when the report is."""
    own: int = -1
    """How many of `problems` are the fleet's own (set when the first machine is added)."""
    _causes: dict[str, Cause] = field(default_factory=dict)
    _unexplained: dict[str, Unexplained] = field(default_factory=dict)

    def add(self, result: MachineResult) -> None:
        if self.own < 0:
            self.own = len(self.problems)
        self.machines += 1
        self.read += result.read > 0
        self.worst = max(self.worst, result.worst_confirmed())
        self.problems.extend(result.problems)
        known = False
        for finding in result.findings:
            rule = str(finding["rule"])
            if rule == UNEXPLAINED_RULE:
                self._add_unexplained(result.name, finding)
                continue
            known = True
            cause = self._causes.get(rule)
            if cause is None:
                evidence = finding["evidence"]
                first = dict(evidence[0]) if isinstance(evidence, list) and evidence else {}
                fix = finding["fix"]
                cause = self._causes[rule] = Cause(
                    rule,
                    str(finding["title"]),
                    str(finding["severity"]),
                    list(fix) if isinstance(fix, list) else [],
                    {"machine": result.name, **first},
                )
            if not cause.machines or cause.machines[-1] != result.name:
                cause.machines.append(result.name)
        if not known:
            self.clean.append(result.name)

    def _add_unexplained(self, machine: str, finding: JsonDict) -> None:
        evidence = finding["evidence"]
        for item in evidence if isinstance(evidence, list) else []:
            text = str(item["text"])
            key = fold(text)
            group = self._unexplained.get(key)
            if group is None:
                group = self._unexplained[key] = Unexplained(key, text)
            if not group.machines or group.machines[-1] != machine:
                group.machines.append(machine)
            for code in item.get("codes", ()):
                if code not in group.codes and len(group.codes) < 20:
                    group.codes.append(code)

    def own_problems(self) -> list[JsonDict]:
        """The fleet's own problems, without the machines'."""
        return self.problems[: self.own] if self.own >= 0 else self.problems

    def causes(self) -> list[Cause]:
        """Most machines first, then most severe, then by rule id."""
        return sorted(
            self._causes.values(),
            key=lambda cause: (-len(cause.machines), -SEVERITIES.index(cause.severity), cause.rule),
        )

    def unexplained(self) -> list[Unexplained]:
        """Most machines first, then by template."""
        return sorted(self._unexplained.values(), key=lambda group: (-len(group.machines), group.template))
