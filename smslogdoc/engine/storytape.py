"""One log's workflow records, noted where the log is read and played into
the story book elsewhere.

When one machine's logs are shared out to worker processes (`perlog`), a
worker reads a log for the rules and notes on a tape the records that match a
workflow event, with what they matched; the process that tells the stories
plays the tapes into its book in input order (`StoryBook.play`), exactly as if
it had read the logs itself, without reading them again. A tape holds at most
`MAX_NOTED` records: past that it is marked full and emptied, and that log is
read again where the stories are told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from smslogdoc.engine.clock import Clock
from smslogdoc.engine.storygraph import NodeKey
from smslogdoc.model import Event, Problem
from smslogdoc.rules.model import LogScope

Hits = list[tuple[tuple[int, str], Mapping[str, str], Mapping[str, str], NodeKey | None]]
"""The workflow events a record matched (workflow number, event name), their
captures, the identifiers among them, normalised, and the node of the subject
they name whole (`storygraph.subject_node`)."""

Noted = tuple[int, float, Event, Hits]
"""A record that matched a workflow event: its place in the log (1, 2, ...),
the instant of the latest time of the log up to it, the record, what it matched."""

MAX_NOTED = 20_000
"""Records a tape holds (a log that has more is read again where the stories are told)."""


@dataclass(slots=True)
class Tape:
    """One log's workflow records, its clock and the problems met reading them."""

    scope: LogScope
    path: str
    folder: str
    number: int
    """The log's place in the input."""
    noted: list[Noted] = field(default_factory=list)
    clock: Clock | None = None
    """Set when the log has been read to its end."""
    problems: list[Problem] = field(default_factory=list)
    full: bool = False
    """More than `MAX_NOTED` records were noted: the tape holds none."""

    def note(self, seq: int, at: float, event: Event, hits: Hits) -> None:
        if self.full:
            return
        if len(self.noted) >= MAX_NOTED:
            self.full, self.noted = True, []
            return
        self.noted.append((seq, at, event, hits))
