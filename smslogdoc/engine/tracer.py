"""`--explain`'s observer of the engine: for one rule, what matched where, what
each group was still waiting for, and what was dropped and why. The engine
calls it only when one is given, so a normal run pays nothing for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from smslogdoc.engine.condition import ConditionRun
from smslogdoc.engine.state import Group, Hit, Key, Result
from smslogdoc.model import Event
from smslogdoc.rules.condition import Condition


@dataclass
class TracedLog:
    """What one rule did on one log, for `--explain`."""

    log: str
    kind: str | None
    applies: bool
    hits: dict[str, list[Event]] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    open: list[tuple[Condition, Key, Group]] = field(default_factory=list)
    dropped: list[tuple[Condition, Key, list[Hit], str]] = field(default_factory=list)


class Tracer:
    """Records, for one rule, what matched and what was missing (`--explain`)."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        self.logs: list[TracedLog] = []

    def begin(self, log: str, kind: str | None, applies: bool) -> None:
        self.logs.append(TracedLog(log, kind, applies))

    def hit(self, name: str, event: Event) -> None:
        self.logs[-1].hits.setdefault(name, []).append(event)

    def end(self, runs: list[ConditionRun], results: list[Result]) -> None:
        entry = self.logs[-1]
        entry.results = results
        entry.open = [
            (run.condition, key, group)
            for run in runs
            for key, group in run.groups.items()
            if group.match is None
        ]
        entry.dropped = [(run.condition, key, hits, why) for run in runs for key, hits, why in run.dropped]
