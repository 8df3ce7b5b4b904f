"""The few marks a phase of a story keeps while the logs are read: the first
start and the latest record of each outcome, each with where it stands in
time (`Seen`). Shared by `engine.storybook`, which fills them, and
`engine.verdict`, which reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from smslogdoc.stories import Mark

Order = tuple[float, int, int]
"""Where a record stands: its instant, its log's number in the input, its place in the log."""


@dataclass(slots=True)
class Seen:
    """A mark with where it stands in time."""

    order: Order
    mark: Mark
    aware: bool | None
    """Whether its time carried an offset (None: no time at all)."""


@dataclass(slots=True)
class PhaseMarks:
    """The few marks one phase keeps: the first start and the latest of each
    outcome (and the first failure, to tell a recovery)."""

    first_started: Seen | None = None
    latest: dict[str, Seen] = field(default_factory=dict)
    first_failed: Seen | None = None

    def add(self, seen: Seen) -> None:
        kind = seen.mark.mark
        if kind == "started" and (self.first_started is None or seen.order < self.first_started.order):
            self.first_started = seen
        if kind == "failed" and (self.first_failed is None or seen.order < self.first_failed.order):
            self.first_failed = seen
        known = self.latest.get(kind)
        if known is None or seen.order >= known.order:
            self.latest[kind] = seen

    def merged(self, other: PhaseMarks) -> PhaseMarks:
        result = PhaseMarks(self.first_started, dict(self.latest), self.first_failed)
        for seen in other.all():
            result.add(seen)
        return result

    def all(self) -> list[Seen]:
        found = {
            id(seen): seen for seen in (self.first_started, self.first_failed, *self.latest.values()) if seen
        }
        return sorted(found.values(), key=lambda seen: seen.order)
