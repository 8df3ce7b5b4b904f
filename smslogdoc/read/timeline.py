"""Events in time: the `--since/--until` window and the `--merge` interleaving
of several logs.

Rules for times (documented in the README):

* A record without a time takes the time of the record before it in the same
  log, so multi-line pastes and plain lines stay with their neighbours.
* A time typed without an offset means the logs' own local wall-clock time; a
  time typed with an offset is an instant, compared with the instants of
  records that carry one.
* `--merge` orders by instant where a record carries an offset and by
  wall-clock time (as if UTC) where it does not; `--tz` gives local-only
  records their zone first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import datetime

from smslogdoc.model import Event
from smslogdoc.times import instant


def carried(events: Iterable[Event]) -> Iterator[tuple[datetime | None, Event]]:
    """(effective time, event): the event's own time, or the last one seen before it."""
    last: datetime | None = None
    for event in events:
        if event.time is not None:
            last = event.time
        yield last, event


def at_or_after(when: datetime, bound: datetime) -> bool:
    """Whether `when` is at or after `bound` (wall-clock times when either has no offset)."""
    if bound.tzinfo is None or when.tzinfo is None:
        return when.replace(tzinfo=None) >= bound.replace(tzinfo=None)
    return when >= bound


def within(events: Iterable[Event], since: datetime | None, until: datetime | None) -> Iterator[Event]:
    """The events whose (effective) time lies in [since, until]; events before
    any time in their log are kept only when no `since` is given."""
    if since is None and until is None:
        yield from events
        return
    for when, event in carried(events):
        if when is None:
            if since is None:
                yield event
            continue
        if since is not None and not at_or_after(when, since):
            continue
        if until is not None and not at_or_after(until, when):
            continue
        yield event


def merge(streams: Iterable[Iterable[Event]]) -> Iterator[Event]:
    """Interleave several logs by time, lazily; ties keep the order given."""
    keyed = []
    for index, stream in enumerate(streams):
        keyed.append(_keyed(stream, index))
    for _, _, _, event in heapq.merge(*keyed):
        yield event


def _keyed(stream: Iterable[Event], index: int) -> Iterator[tuple[float, int, int, Event]]:
    for sequence, (when, event) in enumerate(carried(stream)):
        yield (instant(when) if when is not None else float("-inf"), index, sequence, event)
