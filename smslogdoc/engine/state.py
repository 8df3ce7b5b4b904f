"""What the engine remembers while it reads: a record that matched a rule's
named event (`Hit`), the log being read (`Scope`), what one condition has seen
in one group of records (`Group`), a condition that held (`Result`), the side
lists of absent / unless / requires / supporting events (`Sides`), and the time
arithmetic the conditions share."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from heapq import merge
from itertools import product, repeat
from typing import Protocol

from smslogdoc.engine.runs import Run
from smslogdoc.kinds import Kind
from smslogdoc.model import Event
from smslogdoc.rules.condition import Condition
from smslogdoc.rules.model import Rule
from smslogdoc.times import instant


def place(part: int, line: int) -> int:
    """Where a record stands in its log, as one number: its part (0 for the
    oldest rotated part) and its line. A full read and a scan (which reads
    only some records) give a record the same place, so findings are ordered
    the same either way (`Hit.seq`, `Finding.order`)."""
    return (part << 44) + (line << 12)


@dataclass(slots=True, eq=False)
class Hit:
    """An event that matched one of a rule's named events; never modified once
    made (not frozen: a frozen dataclass costs a `setattr` call per field, and
    the engine makes one per matching record and event name)."""

    event: Event
    run: Run | None
    name: str
    captures: Mapping[str, str]
    seq: int
    """Its order in the log: its `place`, or one more than the record before
    when that has the same place (two records on one line)."""
    log: int
    """Which log of the input (in reading order) the event came from."""


@dataclass(frozen=True)
class Scope:
    """The log being read, as the conditions see it."""

    log: str
    folder: str
    index: int
    kind: Kind | None


Key = tuple[object, ...]


@dataclass(slots=True)
class Group:
    """What one condition has seen in one group of events."""

    partials: dict[int, list[Hit]] = field(default_factory=dict)
    latest: dict[int, Hit] = field(default_factory=dict)
    counted: deque[Hit] = field(default_factory=deque)
    candidates: list[list[Hit]] = field(default_factory=list)
    """Complete matches: the first, and, when an absence is to be decided, later
    ones too (an earlier match whose window the absent event spoils must not hide
    a later one it does not)."""
    matches: int = 0

    @property
    def match(self) -> list[Hit] | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class Result:
    """A condition that held in one group, before it becomes a finding."""

    rule: Rule
    condition: Condition
    key: Key
    hits: list[Hit]
    support: list[Hit]
    status: str
    note: str
    matches: int
    context: list[Hit] = field(default_factory=list)


class Progress(Protocol):
    """What a condition shape sees of the condition it advances (`ConditionRun`)."""

    condition: Condition
    open: set[Key]
    """Groups of an adjacent sequence with a partial match, which their next event decides."""

    def complete(self, key: Key, group: Group, hits: list[Hit]) -> bool:
        """Record a complete match (unless vetoed); whether it counted."""
        ...


def fits(first: Hit, last: Hit, within: float | None) -> bool:
    """Whether two events lie within `within` seconds of each other (either order)."""
    if within is None or first.event.time is None or last.event.time is None:
        return True
    return abs(instant(last.event.time) - instant(first.event.time)) <= within


def between(hit: Hit, first: Hit, window_end: float) -> bool:
    if hit.event.time is None or first.event.time is None:
        return True
    return instant(first.event.time) <= instant(hit.event.time) <= window_end


class Sides:
    """The hits of one side list of a condition (absent, unless, requires,
    supported_by, context) by the group key they were seen with. A key may hold
    None where the event did not capture the field: it fits every group. With
    `run_at` (the place of the run in the key, -1 for none) the keys of each
    run are indexed, so a run's hits are forgotten without a look at the rest."""

    def __init__(self, run_at: int = -1) -> None:
        self._by_key: dict[Key, list[Hit]] = {}
        self._count = 0
        self._run_at = run_at
        self._keys_of: dict[object, list[Key]] = {}

    def __len__(self) -> int:
        return self._count

    def add(self, key: Key, hit: Hit) -> None:
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = []
            if self._run_at >= 0:
                self._keys_of.setdefault(key[self._run_at], []).append(key)
        found.append(hit)
        self._count += 1

    def drop(self, runs: set[object]) -> None:
        """Forget the hits seen in these runs."""
        if not self._by_key:
            return
        for run in runs:
            for key in self._keys_of.pop(run, ()):
                self._count -= len(self._by_key.pop(key))

    def compatible(self, key: Key) -> Iterator[tuple[Key, Hit]]:
        """(side key, hit) for the hits that fit group `key`, in the order they were seen."""
        if not self._by_key:
            return iter(())  # most side lists stay empty (the shared one of conditions that name none)
        lists = [
            (variant, found)
            for variant in set(product(*((value, None) for value in key)))
            if (found := self._by_key.get(variant))
        ]
        streams = [zip(repeat(variant), found) for variant, found in lists]
        if len(streams) == 1:
            return streams[0]
        return merge(*streams, key=lambda item: (item[1].log, item[1].seq))


class SharedSides(Sides):
    """A side list the conditions of several rules keep alike (`side_keys`):
    filled once per record and event, by whichever of them is fed first."""

    def __init__(self, run_at: int = -1) -> None:
        super().__init__(run_at)
        self._last: tuple[int, int] = (-1, -1)
        self._names: set[str] = set()

    def add(self, key: Key, hit: Hit) -> None:
        at = (hit.log, hit.seq)
        if at != self._last:
            self._last = at
            self._names = set()
        elif hit.name in self._names:
            return  # another rule's condition kept this record as this event
        self._names.add(hit.name)
        super().add(key, hit)


def side_keys(rule: Rule, condition: Condition) -> tuple[object, ...] | None:
    """What makes each side list of a condition (absent, unless, requires,
    supported_by, context) the same as another rule's: its events' names and
    matchers and the grouping (None for a list it does not keep). Conditions
    alike in that keep one list (`SharedSides`): about 40 `app-exit-*` rules
    each keep the same start and command records of AppEnforce.log as context.
    None: the condition keeps its own lists (with `absent` a run's side hits
    may outlive its retirement; an adjacent sequence is fed every record;
    folder-wide conditions are the engine's, not a log's)."""
    if condition.absent or condition.adjacent or "folder" in condition.by:
        return None
    return tuple(
        (condition.by, tuple(sorted((name, rule.events[name]) for name in names))) if names else None
        for names in roles(condition)
    )


def roles(condition: Condition) -> tuple[tuple[str, ...], ...]:
    """The side lists' events, in the order of `Condition.routes`' places."""
    return (
        condition.absent,
        condition.unless,
        condition.requires,
        condition.supported_by,
        condition.context,
    )


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
