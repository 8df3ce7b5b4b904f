"""One condition of one rule evaluated over the records of a log (or a folder):
its groups (`by`), the side lists, vetoes and requirements, the shape that
advances a group (`engine.shapes`), and, at the end, the groups where it held,
with `absent` decided and supporting evidence chosen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from smslogdoc.engine.runs import Run
from smslogdoc.engine.shapes import ADVANCE
from smslogdoc.engine.state import (
    Group,
    Hit,
    Key,
    Result,
    Scope,
    SharedSides,
    Sides,
    between,
    duration,
    fits,
    roles,
)
from smslogdoc.findings import CONFIRMED, INCONCLUSIVE
from smslogdoc.model import Event
from smslogdoc.rules.condition import BUILTIN_GROUPS, Condition
from smslogdoc.rules.model import Rule
from smslogdoc.times import instant

MAX_SIDE_HITS = 10_000
"""Absent and supporting events remembered per condition and log."""
MAX_CANDIDATES = 32
"""Complete matches kept per group while an absence is undecided."""

_NO_SIDE = Sides()
"""The side list of every condition that names no event for it: always empty
(no event is routed to it), so not made afresh for each of the rules' conditions
over each log (thousands of small logs, dozens of rules each)."""


class ConditionRun:
    """One condition of one rule, evaluated over the events of one scope."""

    def __init__(
        self,
        rule: Rule,
        condition: Condition,
        *,
        thorough: bool = False,
        shared: tuple[dict[object, SharedSides], tuple[object, ...]] | None = None,
    ) -> None:
        """`shared`: the side lists of the log's conditions alike (by `side_keys`)
        and this condition's keys there; they are then filled once a record."""
        self.rule = rule
        self.condition = condition
        self.groups: dict[Key, Group] = {}
        self.by_run = "run" in condition.by and "folder" not in condition.by
        """Grouped by the run of a log (run keys are per log: not for folder-wide conditions)."""
        self._run_at = condition.by.index("run") if self.by_run else -1
        self.absent, self.unless, self.requires, self.support, self.context = (
            self._side(names, place, shared) for place, names in enumerate(roles(condition))
        )
        self._sides = (self.absent, self.unless, self.requires, self.support, self.context)
        """In the order of `Condition.routes`' places."""
        self._routes = condition.routes
        """For each named event: the side lists it goes to and the steps it can fill."""
        self._shape = ADVANCE[condition.shape]
        self._settles = not condition.absent and not thorough
        """A group with a match is done: without `absent`, later matches change
        nothing reported (with --explain, `thorough`, they are still noted)."""
        self._plain = condition.by in (("run",), ("run", "thread"))
        self._fixed = all(name in BUILTIN_GROUPS for name in condition.by)
        """The group depends on the record alone (its log, folder, run, thread), not
        on what an event captured: worked out once a record, not per event name."""
        self.every_event = condition.adjacent
        self.names = frozenset(self._routes)
        """The events this condition routes (a rule's other conditions name others)."""
        self._by_run: dict[object, list[Key]] = {}
        """The group keys of each run not yet retired (by-run conditions only)."""
        self.open: set[Key] = set()
        """Groups of an adjacent sequence with a partial match, which their next event decides."""
        self.dropped: list[tuple[Key, list[Hit], str]] = []
        """Matches that did not count, and why (for --explain); a few at most."""

    def _side(
        self,
        names: tuple[str, ...],
        place: int,
        shared: tuple[dict[object, SharedSides], tuple[object, ...]] | None,
    ) -> Sides:
        if not names:
            return _NO_SIDE
        if shared is None:
            return Sides(self._run_at)
        lists, keys = shared
        found = lists.get(keys[place])
        if found is None:
            found = lists[keys[place]] = SharedSides(self._run_at)
        return found

    def key(
        self,
        event: Event,
        run: Run | None,
        captures: Mapping[str, str],
        scope: Scope,
        *,
        partial: bool = False,
    ) -> Key | None:
        """The group of an event; None when it cannot be placed. With `partial`,
        fields the event does not capture are None (it then counts for every group)."""
        if self._plain:  # the common groupings, without the general walk
            if run is None:
                return None
            return (run.key,) if len(self.condition.by) == 1 else (run.key, event.thread)
        values: list[object] = []
        for name in self.condition.by:
            if name == "log":
                values.append(scope.log)
            elif name == "folder":
                values.append(scope.folder)
            elif name == "run":
                if run is None:
                    return None
                values.append(run.key)
            elif name == "thread":
                values.append(event.thread)
            elif name in captures:
                values.append(captures[name].strip().lower())
            elif partial:
                values.append(None)
            else:
                return None
        return tuple(values)

    def feed(
        self, event: Event, run: Run | None, seq: int, named: Mapping[str, Mapping[str, str]], scope: Scope
    ) -> None:
        """Take one event and the rule's named events it matched."""
        steps: dict[Key, dict[int, Hit]] = {}
        groups, sides, fixed = self.groups, self._sides, self._fixed
        plain = self.key(event, run, {}, scope) if fixed else None
        for name, captures in named.items():
            route = self._routes.get(name)
            if route is None:
                continue  # an event of the rule's other conditions
            places, indexes = route
            hit: Hit | None = None  # made when kept (not for a group whose finding is made)
            if places:
                key = plain if fixed else self.key(event, run, captures, scope, partial=True)
                if key is not None:
                    hit = Hit(event, run, name, captures, seq, scope.index)
                    for place in places:
                        side = sides[place]
                        if len(side) < MAX_SIDE_HITS:
                            side.add(key, hit)
            if indexes:
                key = plain if fixed else self.key(event, run, captures, scope)
                if key is None:
                    continue
                done = groups.get(key)
                if done is not None and done.candidates and self._settles:
                    continue  # this group's finding is made
                if hit is None:
                    hit = Hit(event, run, name, captures, seq, scope.index)
                filled = steps.setdefault(key, {})
                for index in indexes:
                    filled.setdefault(index, hit)
        if self.every_event and self.open:
            key = self.key(event, run, {}, scope)
            if key in self.open:
                steps.setdefault(key, {})
        if steps:
            self._advance(steps)

    def _advance(self, steps: dict[Key, dict[int, Hit]]) -> None:
        """Move each group on by the steps one record filled in it."""
        groups = self.groups
        for key, hits in steps.items():
            group = groups.get(key)
            if group is None:
                if not hits:
                    continue
                group = groups[key] = Group()
                if self.by_run:
                    self._by_run.setdefault(key[self._run_at], []).append(key)
            self._shape(self, key, group, hits)
            if self._settles and group.candidates and key in self.open:
                self.open.discard(key)
                group.partials = {}

    def retire(self, runs: set[object], last_time: datetime | None) -> tuple[list[Result], set[object]]:
        """The runs with these keys can get no more events: their groups that
        hold a match become results now (what decides them can no longer
        change), and the rest is forgotten, so memory stays bounded over
        thousands of runs. A match whose `absent` window is still open at
        `last_time` waits for the end of the log. Also returned: the runs whose
        side hits `forget` may drop once every condition has retired them (a
        side list may be other rules' too)."""
        if not self.by_run:
            return [], set()
        at = self.condition.by.index("run")
        waiting: set[object] = set()
        done: list[Result] = []
        for key in [key for run in runs for key in self._by_run.pop(run, ())]:
            group = self.groups.get(key)
            if group is None:
                continue
            self.open.discard(key)
            if group.candidates:
                result, final = self._result(key, group, last_time, settled=True)
                if not final:
                    waiting.add(key[at])
                    group.partials, group.latest = {}, {}
                    group.counted.clear()
                    continue  # decided by finish, at the end of the log
                if result is not None:
                    done.append(result)
            del self.groups[key]
        return done, runs - waiting

    def forget(self, runs: set[object]) -> None:
        """Drop the side hits seen in these runs."""
        for side in self._sides:
            side.drop(runs)

    def needed(self, names: Mapping[str, object], claimed: set[tuple[int, str]]) -> bool:
        """Whether feeding this condition a record's events `names` does anything
        the conditions fed before it at that record do not: fill a step or a
        side list of its own, decide an adjacent sequence, or fill a shared side
        list with an event none of them filled it with (`claimed`: the list's
        id and the event's name, noted here)."""
        if self.every_event:
            return True
        needed = False
        for name in names:
            route = self._routes.get(name)
            if route is None:
                continue
            places, indexes = route
            needed = needed or bool(indexes)
            for place in places:
                side = self._sides[place]
                if type(side) is not SharedSides:
                    needed = True
                elif (id(side), name) not in claimed:
                    claimed.add((id(side), name))
                    needed = True
        return needed

    def touch(self, event: Event, run: Run | None, scope: Scope) -> None:
        """An event that matched none of the rule's events: the next event of its
        group, it ends a partial match of an adjacent sequence there. (The
        engine calls it only while some partial match is open.)"""
        key = self.key(event, run, {}, scope)
        if key in self.open:
            self.groups[key].partials = {}
            self.open.discard(key)

    def complete(self, key: Key, group: Group, hits: list[Hit]) -> bool:
        """Record a complete match unless an `unless` event came first or a
        `requires` event has not come yet; returns whether it counted."""
        last = (hits[-1].log, hits[-1].seq)
        veto = next((hit for _, hit in self.unless.compatible(key) if (hit.log, hit.seq) <= last), None)
        if veto is not None:
            self._drop(key, hits, f"{veto.name} came first (line {veto.event.line})")
            return False
        required: list[Hit] = []
        for name in self.condition.requires:
            found = next(
                (
                    hit
                    for _, hit in self.requires.compatible(key)
                    if hit.name == name and (hit.log, hit.seq) <= last
                ),
                None,
            )
            if found is None:
                self._drop(key, hits, f"required {name} had not occurred")
                return False
            required.append(found)
        group.matches += 1
        if not group.candidates or (self.condition.absent and len(group.candidates) < MAX_CANDIDATES):
            group.candidates.append(sorted([*required, *hits], key=lambda h: (h.log, h.seq)))
        elif self.condition.absent:
            group.candidates[-1] = sorted([*required, *hits], key=lambda h: (h.log, h.seq))
        return True

    def _drop(self, key: Key, hits: list[Hit], why: str) -> None:
        if len(self.dropped) < 20:
            self.dropped.append((key, hits, why))

    def finish(self, last_time: datetime | None, log_closed: bool = True) -> list[Result]:
        """The groups where the condition held, with absence and support decided."""
        results = []
        for key, group in self.groups.items():
            if group.candidates:
                result, _ = self._result(key, group, last_time, log_closed=log_closed)
                if result is not None:
                    results.append(result)
        return results

    def _result(
        self,
        key: Key,
        group: Group,
        last_time: datetime | None,
        *,
        log_closed: bool = True,
        settled: bool = False,
    ) -> tuple[Result | None, bool]:
        """The group's result (None when an absent event spoils every match) and
        whether it is final. With `settled` the group's run can get no more
        events: only an `absent` window still open at `last_time` keeps it from
        being final (the log may yet go on past it)."""
        condition = self.condition
        hits = group.candidates[0]
        status, note = CONFIRMED, ""
        if condition.absent:
            chosen, window_end = self._unspoiled(key, group)
            if chosen is None:
                return None, True
            hits = chosen
            ended = self._run_ended(hits[0])
            if window_end is not None:
                # the log must go on past the window, or the run must have ended in it
                conclusive = bool(ended) or (last_time is not None and instant(last_time) >= window_end)
                if settled and not conclusive:
                    return None, False
            else:
                # the whole group must have been seen: an open run may still bring it
                conclusive = log_closed if ended is None else ended
            if not conclusive:
                status = INCONCLUSIVE
                names = ", ".join(condition.absent)
                note = (
                    f"the log ends before the {duration(condition.within)} window closed, so {names} may still come"
                    if window_end is not None
                    else f"the run has not ended in this log, so {names} may still come"
                )
        support = self._nearest(self.support, key, hits)
        context = self._nearest(self.context, key, hits)
        return Result(self.rule, condition, key, hits, support, status, note, group.matches, context), True

    def _unspoiled(self, key: Key, group: Group) -> tuple[list[Hit] | None, float | None]:
        """The first match of the group no absent event spoils (None: each is
        spoiled), and the end of its window (None: no window)."""
        condition = self.condition
        window_end: float | None = None
        for hits in group.candidates:
            start = hits[0].event.time
            window_end = (
                instant(start) + condition.within
                if (condition.within is not None and start is not None)
                else None
            )
            spoiled = next(
                (
                    hit
                    for _, hit in self.absent.compatible(key)
                    if window_end is None or between(hit, hits[0], window_end)
                ),
                None,
            )
            if spoiled is None:
                return hits, window_end
            self._drop(key, hits, f"{spoiled.name} occurred (line {spoiled.event.line})")
        return None, window_end

    def _nearest(self, side: Sides, key: Key, hits: list[Hit]) -> list[Hit]:
        """For each named optional event, its occurrence in the group nearest the
        match. An occurrence that does not capture a field the group is keyed by
        could belong to any group: with `within`, it must lie in the window."""
        within = self.condition.within
        first, last = hits[0], hits[-1]
        best: dict[str, tuple[int, Hit]] = {}
        own = {(h.log, h.seq) for h in hits}
        for other, hit in side.compatible(key):
            if (hit.log, hit.seq) in own:
                continue
            wildcard = None in other and None not in key
            if wildcard and within is not None and not (fits(hit, first, within) and fits(hit, last, within)):
                continue
            distance = abs(hit.event.line - first.event.line) if hit.log == first.log else 1 << 40
            if hit.name not in best or distance < best[hit.name][0]:
                best[hit.name] = (distance, hit)
        return [hit for _, hit in sorted(best.values(), key=lambda item: (item[1].log, item[1].seq))]

    def _run_ended(self, first: Hit) -> bool | None:
        """Whether the group's run has ended; None when the group is not a program
        run (it then ends with the log)."""
        if "run" in self.condition.by and first.run is not None and not first.run.whole_log:
            return first.run.closed
        return None
