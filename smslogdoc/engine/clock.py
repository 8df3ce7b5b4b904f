"""How far a log's records go in time, and that it is there: what the story
book needs of every log of a folder besides its stories (a story whose chain
stopped while the logs went on has stalled; one whose logs end with it is
incomplete). A worker that reads a log sends its clock back on the log's tape
(`storytape`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from smslogdoc.times import instant


@dataclass
class Clock:
    """What a log tells the book about its folder besides its stories: that it
    is there, and how far its records go in time (noted as the book watches
    the log, or on its tape in a worker)."""

    name: str
    last: float | None = None
    """The latest instant of its records."""
    aware: set[bool] = field(default_factory=set)
    """Whether its times carried an offset (both, when some did and some did not)."""
    latest: dict[bool, datetime] = field(default_factory=dict)
    """The latest time of its records, without and with an offset (compared as
    they are: a record costs a comparison, the instant is worked out once)."""

    def note(self, when: datetime) -> None:
        aware = when.tzinfo is not None
        latest = self.latest.get(aware)
        if latest is None or when > latest:
            self.latest[aware] = when

    def settled(self) -> Clock:
        """The clock with `last` and `aware` worked out from the times noted."""
        for aware, when in self.latest.items():
            self.aware.add(aware)
            now = instant(when)
            self.last = now if self.last is None else max(self.last, now)
        self.latest = {}
        return self
