"""Findings: what the engine concluded, with the evidence that shows it.

A finding is a rule that fired on a log (or a folder of logs): its status
(`confirmed`, or `inconclusive` when the log ends before the rule's window
closed), the captured fields and the other values its rule's texts are filled
with, and the evidence records with the error codes they mention decoded. It
is data: the report puts it in words (`report.texts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from smslogdoc.rules.model import CONFIDENCES, SEVERITIES, Rule

CONFIRMED = "confirmed"
INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One log record that a finding rests on."""

    path: str
    line: int
    end_line: int
    time: datetime | None
    text: str
    event: str
    """Which of the rule's named events the record matched."""
    codes: tuple[str, ...] = ()
    """One-line explanations of the error codes the record mentions."""
    supporting: bool = False
    """True for optional evidence that raised the confidence."""
    time_ambiguous: bool = False
    """The record's date could be read day-first or month-first (see `Event.time_ambiguous`)."""
    severity_inferred: bool = False
    """The record carries no severity; its words made it an error or a warning
    (see `Event.severity_inferred`)."""
    template: str = ""
    """The message template the record's text folds into (`engine.unexplained.template`),
    on the records the unexplained-errors summary lists; '' elsewhere."""

    @property
    def where(self) -> str:
        return (
            f"{self.path}:{self.line}"
            if self.line == self.end_line
            else f"{self.path}:{self.line}-{self.end_line}"
        )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where one occurrence of a cause (one run, mostly) begins."""

    group: str
    path: str
    line: int
    time: datetime | None


@dataclass(slots=True)
class Spread:
    """A cause seen in more than one run of a log: how many, the first and the
    latest, and the evidence of the first and last few (bounded)."""

    runs: int
    first: Occurrence
    last: Occurrence
    evidence: list[Evidence]
    """The records of the first and last few occurrences other than the one
    the finding cites (a few each)."""
    cited: int
    """Occurrences whose records are in `evidence`."""
    omitted: int
    """Occurrences neither the finding nor `evidence` cites."""


@dataclass(slots=True)
class Finding:
    """A rule that fired, with everything a reader needs to act on it."""

    rule: Rule
    status: str
    confidence: str
    log: str
    """The log (or, for rules over a folder, the folder) the finding is about."""
    group: str
    """Which run, thread or value the evidence comes from ('' for the whole log)."""
    captures: dict[str, str]
    evidence: list[Evidence]
    values: dict[str, str] = field(default_factory=dict)
    """What the rule's texts are filled with besides the captures: `log` (the
    log's file name), `run` (the group's label), `occurrences` (in that log)."""
    occurrences: int = 1
    note: str = ""
    order: tuple[int, int] = field(default=(0, 0))
    """Where the finding's first evidence stands in the input, for a stable order."""
    folder: str = ""
    """The folder of the log, where findings of one cause in several logs are merged."""
    identity: tuple[object, ...] = ()
    """What makes two findings of the rule different causes (a program, a captured value)."""
    also: list[str] = field(default_factory=list)
    """Other logs of the same folder where the rule found the same cause."""
    runs: frozenset[tuple[int, object]] = frozenset()
    """The runs its evidence comes from, as (log number, run key): where a fallback
    gives way to a specific finding."""
    distinct_runs: frozenset[tuple[int, object]] = frozenset()
    """The runs of a program among `runs` (not a whole log), where a rule family's
    finding gives way to a more specific one."""
    spread: Spread | None = None
    """Set when the cause was seen in more than one run of the log."""
    reported: tuple[str, ...] = ()
    """Causes the field reports for an error code of a record the finding cites, in that
    log: those of the code context that gave way to this written rule's finding."""
    reported_near: tuple[str, ...] = ()
    """For a fallback's finding (no specific cause found): "CODE (line N): causes"
    of each code context near it that gave way to it."""

    @property
    def severity(self) -> str:
        return self.rule.severity

    def sort_key(self) -> tuple[int, int, int, int, str, str]:
        """Confirmed before inconclusive, most severe first, then input order, then rule id."""
        return (
            0 if self.status == CONFIRMED else 1,
            -SEVERITIES.index(self.severity),
            self.order[0],
            self.order[1],
            self.rule.id,
            self.log,
        )


def raised(confidence: str) -> str:
    """One confidence level higher (high stays high)."""
    index = CONFIDENCES.index(confidence)
    return CONFIDENCES[min(index + 1, len(CONFIDENCES) - 1)]
