"""Runs: which run of its program each record of a log belongs to.

Two shapes, as the kinds table describes them:

* **Banner runs** (ccmsetup): a run starts at its banner and owns the threads
  that first appear after it. ccmsetup's bootstrap process and the service it
  starts write to one file at the same time, so ownership goes by thread: the
  bootstrap's `CcmSetup is exiting with return code 0`, written after the
  service's banner, stays with the bootstrap run and cannot hide the service
  run's failure.
* **Keyed runs** (execmgr executions, SMS 2.0 APM programs): a record that
  names the program (and package, advertisement) belongs to that program's
  run; a record that names none (`Command line = ...`, `Program exit code 5`)
  joins the next record of its own thread that does, or, failing that, the
  last one before it.

A run is *closed* once its end record is seen; rules that wait for something
not to happen treat an open run at the end of the log as inconclusive.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from smslogdoc.kinds import RunModel
from smslogdoc.model import Event, ThreadNote

WAIT_LINES = 2000
"""How far (in lines) a record that names no program looks ahead, in its own
thread, for one that does; after that it joins the last one before it."""


@dataclass
class Run:
    """One run of a program in a log."""

    key: object
    label: str
    closed: bool = False
    distinct: bool = False
    """True when different runs are different things (two programs), so their
    findings stay apart; False when they are retries of one thing (ccmsetup runs)."""
    whole_log: bool = False
    """The one run of a log whose kind has no runs."""


@dataclass
class RunTracker:
    """Assigns runs to the records of one log, in order."""

    model: RunModel | None
    runs: dict[object, Run] = field(default_factory=dict)
    retired: list[Run] = field(default_factory=list)
    """Runs that can get no more records (their threads are free again), for
    the engine to forget what cannot become a match any more; it empties it."""

    def assign(self, events: Iterable[Event | ThreadNote]) -> Iterator[tuple[Event, Run | None]]:
        """(event, its run) for each event; None when the event cannot be placed
        in a run. A log whose kind has no runs is one run."""
        if self.model is None:
            whole = self._run("log", "")  # a log without runs is one run
            whole.whole_log = True
            for event in events:
                if not isinstance(event, ThreadNote):
                    yield event, whole
        elif self.model.starts is not None:
            yield from self._banner_runs(events, self.model)
        else:
            yield from self._keyed_runs(events, self.model)

    def _run(self, key: object, label: str, *, closed: bool = False) -> Run:
        run = self.runs.get(key)
        if run is None:
            run = self.runs[key] = Run(key, label, closed)
        return run

    def _banner_runs(
        self, events: Iterable[Event | ThreadNote], model: RunModel
    ) -> Iterator[tuple[Event, Run | None]]:
        assert model.starts is not None
        starts, ends = model.starts, model.ends
        current = self._run(0, "before the first run")
        count = 0
        owners: dict[int, tuple[int, Run]] = {}
        """thread -> (number, run) of the run that owns it"""
        for event in events:
            if isinstance(event, ThreadNote):
                for thread in event.threads:
                    owners.setdefault(thread, (count, current))
                continue
            found = starts.search(event.message) if "=====" in event.message else None
            if found:
                count += 1
                process = found.groupdict().get("process")
                current = self._run(count, f"run {count}" + (f", process {process}" if process else ""))
                run = current
                # Windows reuses thread ids: a thread of a run two starts back
                # (its process long gone) is free to join a new run.
                owners = {thread: owner for thread, owner in owners.items() if owner[0] >= count - 1}
                gone = self.runs.pop(count - 2, None)
                if gone is not None:
                    self.retired.append(gone)
                if event.thread is not None:
                    owners[event.thread] = (count, run)
            elif event.thread is None or not model.owned_threads:
                run = current
            else:
                run = owners.setdefault(event.thread, (count, current))[1]
            if ends is not None and ends.search(event.message):
                run.closed = True
            yield event, run

    def _keyed_runs(
        self, events: Iterable[Event | ThreadNote], model: RunModel
    ) -> Iterator[tuple[Event, Run | None]]:
        waiting: dict[int | None, deque[Event]] = {}
        """Records that name no program, by thread, until one of their thread does."""
        arrivals: deque[Event] = deque()
        """The same, oldest first, for expiry (and some already claimed: those are skipped)."""
        last_key: dict[int | None, Run] = {}
        ends = model.ends
        for event in events:
            if isinstance(event, ThreadNote):
                continue
            while arrivals and event.line - arrivals[0].line > WAIT_LINES:
                yield from self._claim(arrivals.popleft(), waiting, last_key)
            run = self._keyed(event.message, model)
            thread = event.thread
            if run is None:
                waiting.setdefault(thread, deque()).append(event)
                arrivals.append(event)
                continue
            if run.closed and (model.reopens is None or model.reopens.search(event.message)):
                run.closed = False  # the program runs again
            for held_event in waiting.pop(thread, ()):
                yield held_event, run
            last_key[thread] = run
            if ends is not None and ends.search(event.message):
                run.closed = True
            yield event, run
        while arrivals:
            yield from self._claim(arrivals.popleft(), waiting, last_key)

    @staticmethod
    def _claim(
        event: Event, waiting: dict[int | None, deque[Event]], last_key: dict[int | None, Run]
    ) -> Iterator[tuple[Event, Run | None]]:
        """A record that waited WAIT_LINES lines (or to the end of the log) for
        its thread to name a program: it joins the last run named before it in
        its thread; unless a record of its thread has claimed it already."""
        held = waiting.get(event.thread)
        if held and held[0] is event:
            held.popleft()
            if not held:
                del waiting[event.thread]
            yield event, last_key.get(event.thread)

    def _keyed(self, message: str, model: RunModel) -> Run | None:
        named = model.program(message)
        if named is None:
            return None
        run = self._run(*named)
        run.distinct = True
        return run
