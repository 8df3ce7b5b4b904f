"""The rule engine: events in, findings out.

For each log the engine tells its kind, picks the rules that apply, and
streams the events through three steps:

1. `runs.RunTracker` places each event in a run of its program;
2. `prefilter.Prefilter` picks, in one scan of the text, the matchers that
   could match; only those are run in full;
3. each rule condition keeps, per group of events (`by`), the partial state
   of its relation: the newest start of each step of a `sequence`, the latest
   event of each part of an `all`, the events of a `count`.

At the end of a log (or, for rules `by: folder`, at the end of the input),
conditions become findings. `absent` is decided only then: the forbidden event
must not occur in the group (in the window, with `within`); when the group is
still open (the run never ended, or the log ends inside the window) the
finding is *inconclusive*, not confirmed. One finding is kept per rule and log
(per captured value when the rule groups by one): the latest confirmed match,
with the number of runs it was seen in. A fallback rule's finding is dropped
when a specific rule explains the same run.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from heapq import merge
from itertools import chain, islice, product, repeat

from smslogdoc import codes
from smslogdoc.engine.runs import Run, RunTracker, ThreadNote
from smslogdoc.findings import CONFIRMED, INCONCLUSIVE, Evidence, Finding, raised
from smslogdoc.inputs.paths import LogInput
from smslogdoc.kinds import COMPONENT_SAMPLE, Kind, KindTable, load_kinds
from smslogdoc.model import Event, Problem
from smslogdoc.read.timeline import instant
from smslogdoc.rules.model import ADJACENT_LINES, BUILTIN_GROUPS, Condition, LogScope, Rule
from smslogdoc.rules.prefilter import Prefilter
from smslogdoc.rules.templates import render

MAX_EVIDENCE = 8
"""Evidence records kept per finding (a count condition may match many)."""
MAX_SIDE_HITS = 10_000
"""Absent and supporting events remembered per condition and log."""
RETIRE_BATCH = 64
"""Runs that can get no more events are forgotten this many at a time."""
MAX_CANDIDATES = 32
"""Complete matches kept per group while an absence is undecided."""


@dataclass(frozen=True, slots=True)
class Hit:
    """An event that matched one of a rule's named events."""

    event: Event
    run: Run | None
    name: str
    captures: Mapping[str, str]
    seq: int
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
class _Group:
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


class ConditionRun:
    """One condition of one rule, evaluated over the events of one scope."""

    def __init__(self, rule: Rule, condition: Condition) -> None:
        self.rule = rule
        self.condition = condition
        self.groups: dict[Key, _Group] = {}
        self.step_of: dict[str, list[int]] = {}
        for index, step in enumerate(condition.steps):
            for name in step:
                self.step_of.setdefault(name, []).append(index)
        self.absent, self.unless, self.requires, self.support, self.context = (_Sides() for _ in range(5))
        self._sides = (
            (condition.absent, self.absent),
            (condition.unless, self.unless),
            (condition.requires, self.requires),
            (condition.supported_by, self.support),
            (condition.context, self.context),
        )
        self.every_event = condition.adjacent
        self.by_run = "run" in condition.by and "folder" not in condition.by
        """Grouped by the run of a log (run keys are per log: not for folder-wide conditions)."""
        self.open: set[Key] = set()
        """Groups of an adjacent sequence with a partial match, which their next event decides."""
        self.dropped: list[tuple[Key, list[Hit], str]] = []
        """Matches that did not count, and why (for --explain); a few at most."""

    def key(self, event: Event, run: Run | None, captures: Mapping[str, str], scope: Scope, *, partial: bool = False) -> Key | None:
        """The group of an event; None when it cannot be placed. With `partial`,
        fields the event does not capture are None (it then counts for every group)."""
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

    def feed(self, event: Event, run: Run | None, seq: int, named: Mapping[str, Mapping[str, str]], scope: Scope) -> None:
        """Take one event and the rule's named events it matched."""
        steps: dict[Key, dict[int, Hit]] = {}
        for name, captures in named.items():
            hit = Hit(event, run, name, captures, seq, scope.index)
            for names, side in self._sides:
                if name in names and len(side) < MAX_SIDE_HITS:
                    key = self.key(event, run, captures, scope, partial=True)
                    if key is not None:
                        side.add(key, hit)
            for index in self.step_of.get(name, ()):
                key = self.key(event, run, captures, scope)
                if key is not None:
                    steps.setdefault(key, {}).setdefault(index, hit)
        if self.every_event:
            key = self.key(event, run, {}, scope)
            if key in self.open:
                steps.setdefault(key, {})
        for key, hits in steps.items():
            group = self.groups.get(key)
            if group is None:
                if not hits:
                    continue
                group = self.groups[key] = _Group()
            self._advance(key, group, hits)

    def retire(self, runs: set[object]) -> None:
        """The runs with these keys can get no more events: forget what can no
        longer become a match in them (memory then stays bounded over
        thousands of runs)."""
        if not self.by_run:
            return
        at = self.condition.by.index("run")
        matched: set[object] = set()
        for key in [key for key in self.groups if key[at] in runs]:
            group = self.groups[key]
            self.open.discard(key)
            if group.candidates:
                matched.add(key[at])
                group.partials, group.latest = {}, {}
                group.counted.clear()
            else:
                del self.groups[key]
        self.unless.drop(lambda key: key[at] in runs)
        self.requires.drop(lambda key: key[at] in runs)
        # absent, supporting and context events are looked up for matches only
        for side in (self.absent, self.support, self.context):
            side.drop(lambda key: key[at] in runs and key[at] not in matched)

    def touch(self, event: Event, run: Run | None, scope: Scope) -> None:
        """An event that matched none of the rule's events: the next event of its
        group, it ends a partial match of an adjacent sequence there. (The
        engine calls it only while some partial match is open.)"""
        key = self.key(event, run, {}, scope)
        if key in self.open:
            self.groups[key].partials = {}
            self.open.discard(key)

    def _advance(self, key: Key, group: _Group, hits: dict[int, Hit]) -> None:
        shape = self.condition.shape
        if shape == "sequence":
            self._sequence(key, group, hits)
        elif shape == "all":
            for index, hit in hits.items():
                # Without a window the first of each part is the best evidence;
                # with one, the latest is the one most likely to fit it.
                if self.condition.within is not None or index not in group.latest:
                    group.latest[index] = hit
            if len(group.latest) == len(self.condition.steps):
                found = sorted(group.latest.values(), key=lambda h: h.seq)
                if _fits(found[0], found[-1], self.condition.within) and self._complete(key, group, found):
                    group.latest.clear()
        elif shape == "count":
            self._count(key, group, hits[0])
        elif hits:
            self._complete(key, group, [next(iter(hits.values()))])

    def _near(self, previous: Hit, hit: Hit) -> bool:
        """Whether `hit` may follow `previous` (always, unless the steps must be adjacent)."""
        return not self.condition.adjacent or hit.event.line - previous.event.end_line <= ADJACENT_LINES

    def _sequence(self, key: Key, group: _Group, hits: dict[int, Hit]) -> None:
        steps = len(self.condition.steps)
        advanced: dict[int, list[Hit]] = {}
        for index in sorted(hits, reverse=True):  # one event never fills two steps
            hit = hits[index]
            if index == 0:
                advanced[1] = [hit]
            else:
                partial = group.partials.get(index)
                if partial is not None and _fits(partial[0], hit, self.condition.within) and self._near(partial[-1], hit):
                    advanced[index + 1] = [*partial, hit]
        if self.condition.adjacent:
            group.partials = advanced
            if advanced:
                self.open.add(key)
            else:
                self.open.discard(key)
        else:
            group.partials.update(advanced)
        done = group.partials.pop(steps, None)
        if done is not None:
            self._complete(key, group, done)

    def _count(self, key: Key, group: _Group, hit: Hit) -> None:
        condition = self.condition
        if group.candidates and not self.condition.absent:
            return  # one match per group is enough to report
        group.counted.append(hit)
        if condition.within is not None and hit.event.time is not None:
            while group.counted and not _fits(group.counted[0], hit, condition.within):
                group.counted.popleft()
        if condition.distinct is not None:
            seen: dict[str, Hit] = {}
            for counted in group.counted:
                seen.setdefault(counted.captures.get(condition.distinct, "").lower(), counted)
            value = len(seen)
            evidence = list(seen.values())
        else:
            value = len(group.counted)
            evidence = list(group.counted)
        if value >= condition.minimum:
            self._complete(key, group, evidence)
        elif condition.within is None and condition.distinct is None and len(group.counted) > condition.minimum:
            group.counted.popleft()

    def _complete(self, key: Key, group: _Group, hits: list[Hit]) -> bool:
        """Record a complete match unless an `unless` event came first or a
        `requires` event has not come yet; returns whether it counted."""
        last = (hits[-1].log, hits[-1].seq)
        veto = next((hit for _, hit in self.unless.compatible(key) if (hit.log, hit.seq) <= last), None)
        if veto is not None:
            self._drop(key, hits, f"{veto.name} came first (line {veto.event.line})")
            return False
        required: list[Hit] = []
        for name in self.condition.requires:
            found = next((hit for _, hit in self.requires.compatible(key) if hit.name == name and (hit.log, hit.seq) <= last), None)
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
        condition = self.condition
        for key, group in self.groups.items():
            if not group.candidates:
                continue
            hits = group.candidates[0]
            status, note = CONFIRMED, ""
            if condition.absent:
                chosen = None
                for hits in group.candidates:
                    start = hits[0].event.time
                    window_end = instant(start) + condition.within if (condition.within is not None and start is not None) else None
                    spoiled = next(
                        (hit for _, hit in self.absent.compatible(key) if window_end is None or _between(hit, hits[0], window_end)),
                        None,
                    )
                    if spoiled is None:
                        chosen = hits
                        break
                    self._drop(key, hits, f"{spoiled.name} occurred (line {spoiled.event.line})")
                if chosen is None:
                    continue
                hits = chosen
                ended = self._run_ended(hits[0])
                if window_end is not None:
                    # the log must go on past the window, or the run must have ended in it
                    conclusive = bool(ended) or (last_time is not None and instant(last_time) >= window_end)
                else:
                    # the whole group must have been seen: an open run may still bring it
                    conclusive = log_closed if ended is None else ended
                if not conclusive:
                    status = INCONCLUSIVE
                    names = ", ".join(condition.absent)
                    note = (
                        f"the log ends before the {_duration(condition.within)} window closed, so {names} may still come"
                        if window_end is not None
                        else f"the run has not ended in this log, so {names} may still come"
                    )
            support = self._nearest(self.support, key, hits)
            context = self._nearest(self.context, key, hits)
            results.append(Result(self.rule, condition, key, hits, support, status, note, group.matches, context))
        return results

    def _nearest(self, side: _Sides, key: Key, hits: list[Hit]) -> list[Hit]:
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
            if wildcard and within is not None and not (_fits(hit, first, within) and _fits(hit, last, within)):
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


def _fits(first: Hit, last: Hit, within: float | None) -> bool:
    """Whether two events lie within `within` seconds of each other (either order)."""
    if within is None or first.event.time is None or last.event.time is None:
        return True
    return abs(instant(last.event.time) - instant(first.event.time)) <= within


def _between(hit: Hit, first: Hit, window_end: float) -> bool:
    if hit.event.time is None or first.event.time is None:
        return True
    return instant(first.event.time) <= instant(hit.event.time) <= window_end


class _Sides:
    """The hits of one side list of a condition (absent, unless, requires,
    supported_by, context) by the group key they were seen with. A key may hold
    None where the event did not capture the field: it fits every group."""

    def __init__(self) -> None:
        self._by_key: dict[Key, list[Hit]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: Key, hit: Hit) -> None:
        self._by_key.setdefault(key, []).append(hit)
        self._count += 1

    def drop(self, gone: Callable[[Key], bool]) -> None:
        """Forget the hits seen with keys for which `gone` is true."""
        if not self._by_key:
            return
        for key in [key for key in self._by_key if gone(key)]:
            self._count -= len(self._by_key.pop(key))

    def compatible(self, key: Key) -> Iterator[tuple[Key, Hit]]:
        """(side key, hit) for the hits that fit group `key`, in the order they were seen."""
        lists = [(variant, found) for variant in set(product(*((value, None) for value in key))) if (found := self._by_key.get(variant))]
        streams = [zip(repeat(variant), found) for variant, found in lists]
        if len(streams) == 1:
            return streams[0]
        return merge(*streams, key=lambda item: (item[1].log, item[1].seq))


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


@dataclass
class TracedLog:
    """What one rule did on one log, for `--explain`."""

    log: str
    kind: str | None
    applies: bool
    hits: dict[str, list[Event]] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    open: list[tuple[Condition, Key, _Group]] = field(default_factory=list)
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
        entry.open = [(run.condition, key, group) for run in runs for key, group in run.groups.items() if group.match is None]
        entry.dropped = [(run.condition, key, hits, why) for run in runs for key, hits, why in run.dropped]


class Engine:
    """Diagnoses logs one after another; `finish` ends the run."""

    def __init__(self, rules: list[Rule], kinds: KindTable | None = None, tracer: Tracer | None = None) -> None:
        self.rules = rules
        self.kinds = kinds or load_kinds()
        self.tracer = tracer
        self.problems: list[Problem] = []
        self._setups: dict[tuple[str | None, str], tuple[list[int], Prefilter[tuple[int, str]], dict[int, dict[str, tuple[int, ...]]]]] = {}
        self._folder_runs: dict[tuple[int, int], ConditionRun] = {}
        self._folders: dict[int, str] = {}
        self._logs = 0

    def kind_of(self, log: LogInput, events: Iterator[Event]) -> tuple[Kind | None, Iterator[Event]]:
        """The log's kind, from its name or else its first records' components."""
        kind = self.kinds.by_file_name(log.file_name)
        if kind is not None:
            return kind, events
        head = list(islice(events, COMPONENT_SAMPLE))
        return self.kinds.by_components(head), chain(head, events)

    def log(self, log: LogInput, events: Iterable[Event], *, number: int | None = None) -> list[Finding]:
        """Run the rules over one log's events; its findings (folder-wide rules
        wait for `finish`). `number` is the log's place in the whole input
        (by default, the next): it orders findings."""
        kind, stream = self.kind_of(log, iter(events))
        return self.log_of_kind(log, stream, kind, number=number)

    def log_of_kind(self, log: LogInput, stream: Iterable[Event | ThreadNote], kind: Kind | None, *, number: int | None = None) -> list[Finding]:
        """`log` for a caller that already knows the log's kind; `stream` may
        carry `ThreadNote`s for stretches of the log a scan skipped."""
        index = self._logs if number is None else number
        self._logs = index + 1
        self._folders[index] = log.folder
        scope = Scope(log.name, log.folder, index, kind)
        where = LogScope(kind.name if kind else None, log.file_name)
        active, prefilter, followers = self._setup(where)
        if self.tracer is not None:
            traced = [n for n, rule in enumerate(self.rules) if rule.id == self.tracer.rule_id]
            self.tracer.begin(log.name, kind.name if kind else None, bool(set(traced) & set(active)))
        if not active:
            for _ in stream:
                pass  # still read, so the file report counts its records
            return []
        local: dict[int, list[ConditionRun]] = {}
        every_event: list[tuple[int, ConditionRun]] = []
        by_run: list[ConditionRun] = []

        def conditions_of(number: int) -> list[ConditionRun]:
            """The rule's conditions over this log, set up when it first matches
            (most rules never match most logs)."""
            made = local.get(number)
            if made is None:
                made = local[number] = self._checkers(number)
                every_event.extend((number, checker) for checker in made if checker.every_event)
                by_run.extend(checker for checker in made if checker.by_run)
            return made

        if self.tracer is not None:
            for number in active:
                if self.rules[number].id == self.tracer.rule_id:
                    conditions_of(number)  # its explanation lists the conditions even when nothing matched
        disabled: set[int] = set()
        tracker = RunTracker(kind.runs if kind else None)
        last_time: datetime | None = None
        seq = 0
        traced_rule = self.tracer.rule_id if self.tracer is not None else None
        for event, run in tracker.assign(stream):
            seq += 1
            if event.time is not None:
                last_time = event.time
            named: dict[int, dict[str, Mapping[str, str]]] = {}
            for number, name in prefilter.candidates(event.message):
                if number in disabled:
                    continue
                waiting = followers[number].get(name)
                if waiting is not None and (number not in local or not any(local[number][position].open for position in waiting)):
                    continue  # it can only continue a partial match, and none is open
                rule = self.rules[number]
                try:
                    captures = rule.events[name].match(event)
                except TimeoutError:
                    disabled.add(number)
                    self.problems.append(Problem(event.path, f"rule {rule.id}: the pattern of event {name!r} took too long; rule skipped for the rest of this log", event.line))
                    continue
                except Exception as error:  # a rule must never stop the run
                    disabled.add(number)
                    self.problems.append(Problem(event.path, f"rule {rule.id}: failed on this record ({type(error).__name__}: {error}); rule skipped for the rest of this log", event.line))
                    continue
                if captures is not None:
                    named.setdefault(number, {})[name] = captures
                    if rule.id == traced_rule and self.tracer is not None:
                        self.tracer.hit(name, event)
            for number, names in named.items():
                if number not in disabled:
                    for condition_run in conditions_of(number):
                        condition_run.feed(event, run, seq, names, scope)
            for number, condition_run in every_event:
                if condition_run.open and number not in named and number not in disabled:
                    condition_run.touch(event, run, scope)
            if len(tracker.retired) >= RETIRE_BATCH:
                keys = {run.key for run in tracker.retired}
                for checker in by_run:
                    checker.retire(keys)
                tracker.retired.clear()
        results: list[Result] = []
        for number, checkers in local.items():
            if number in disabled:
                continue
            per_log = [checker for checker in checkers if "folder" not in checker.condition.by]
            rule_results = [result for checker in per_log for result in checker.finish(last_time)]
            if self.tracer is not None and self.rules[number].id == self.tracer.rule_id:
                self.tracer.end(per_log, rule_results)
            results.extend(rule_results)
        return self._findings(results, scope.log)

    def finish(self) -> list[Finding]:
        """Findings of rules that correlate the logs of a folder; the folders
        seen so far are then done with (the engine may go on with others)."""
        results = [result for checker in self._folder_runs.values() for result in checker.finish(None)]
        findings = self._findings(results, None)
        self._folder_runs = {}
        self._folders = {}
        return findings

    def _checkers(self, number: int) -> list[ConditionRun]:
        """A new run of each of a rule's conditions (shared by the folder for folder-wide ones)."""
        rule = self.rules[number]
        made = []
        for position, condition in enumerate(rule.conditions):
            if "folder" in condition.by:
                made.append(self._folder_runs.setdefault((number, position), ConditionRun(rule, condition)))
            else:
                made.append(ConditionRun(rule, condition))
        return made

    def _setup(self, where: LogScope) -> tuple[list[int], Prefilter[tuple[int, str]], dict[int, dict[str, tuple[int, ...]]]]:
        """For logs of one kind and name (thousands of machines' ccmsetup.log):
        the rules that apply, their prefilter, and their follower events."""
        key = (where.kind, where.name)
        known = self._setups.get(key)
        if known is None:
            active = [number for number, rule in enumerate(self.rules) if rule.applies(where)]
            followers = {number: _followers(self.rules[number]) for number in active}
            known = self._setups[key] = (active, self._prefilter(where, active), followers)
        return known

    def _prefilter(self, where: LogScope, active: list[int]) -> Prefilter[tuple[int, str]]:
        entries = []
        for number in active:
            for name, matcher in self.rules[number].events.items():
                if not matcher.logs or where.is_one_of(matcher.logs):
                    entries.append(((number, name), matcher.literals))
        return Prefilter(entries)

    def _findings(self, results: list[Result], log: str | None) -> list[Finding]:
        merged: dict[tuple[object, ...], list[Result]] = {}
        for result in results:
            merged.setdefault((result.rule.id, *_identity(result)), []).append(result)
        findings = []
        for group in merged.values():
            best = max(group, key=lambda r: (r.status == CONFIRMED, r.hits[-1].log, r.hits[-1].seq))
            findings.append(self._finding(best, len(group), log))
        return findings

    def _finding(self, result: Result, groups: int, log: str | None) -> Finding:
        rule = result.rule
        captures: dict[str, str] = {}
        for hit in [*result.support, *result.context]:
            captures.update(hit.captures)
        for hit in result.hits:  # the match's own fields win
            captures.update(hit.captures)
        first = result.hits[0]
        label = _group_label(result)
        values: dict[str, object] = {
            **captures,
            "log": first.event.path.replace("\\", "/").rsplit("/", 1)[-1],
            "run": label,
            "occurrences": groups,
        }
        cited = [(hit, False) for hit in [*result.hits[:MAX_EVIDENCE], *result.context]] + [(hit, True) for hit in result.support]
        cited.sort(key=lambda item: (item[0].log, item[0].seq))
        evidence = [_evidence(hit, supporting=supporting) for hit, supporting in cited]
        confidence = raised(rule.confidence) if result.support else rule.confidence
        return Finding(
            rule=rule,
            status=result.status,
            confidence=confidence,
            log=log if log is not None else (first.event.path if "folder" not in result.condition.by else str(result.key[result.condition.by.index("folder")])),
            group=label,
            captures=captures,
            evidence=evidence,
            diagnosis=render(rule.diagnosis, values),
            cause=render(rule.cause, values),
            fix=[render(step, values) for step in rule.fix],
            next_logs=[render(hint, values) for hint in rule.next_logs],
            occurrences=groups,
            note=result.note,
            order=(first.log, first.seq),
            folder=self._folders.get(first.log, ""),
            identity=_identity(result),
            runs=frozenset((hit.log, hit.run.key) for hit in [*result.hits, *result.support, *result.context] if hit.run is not None),
        )


def _followers(rule: Rule) -> dict[str, tuple[int, ...]]:
    """Events a rule uses only as a later step of adjacent sequences, with the
    positions of those conditions: they matter only while one has a partial
    match open (`after_mp_list`, which matches nearly every record)."""
    uses: dict[str, list[int]] = {}
    other: set[str] = set()
    for position, condition in enumerate(rule.conditions):
        steps = {name for step in condition.steps for name in step}
        first = set(condition.steps[0]) if condition.steps else set()
        sides = condition.names - steps  # absent, unless, requires, supported_by, context
        for name in condition.names:
            if condition.adjacent and name not in first and name not in sides:
                uses.setdefault(name, []).append(position)
            else:
                other.add(name)
    return {name: tuple(positions) for name, positions in uses.items() if name not in other}


def without_explained_fallbacks(findings: list[Finding]) -> list[Finding]:
    """Drop a fallback finding when a specific finding cites the same run (of the
    same log), and keep only the most severe fallback per run."""
    specific = {run for finding in findings if not finding.rule.fallback for run in finding.runs}
    kept_runs: set[tuple[int, object]] = set()
    dropped: set[int] = set()
    for finding in sorted(findings, key=lambda f: -f.rule.rank):
        if not finding.rule.fallback:
            continue
        if finding.runs & specific or finding.runs & kept_runs:
            dropped.add(id(finding))
        kept_runs |= finding.runs
    return [finding for finding in findings if id(finding) not in dropped]


def _identity(result: Result) -> tuple[object, ...]:
    """The parts of a result's group that make it a different cause: captured
    values, and runs that are different things (programs), not retries."""
    first = result.hits[0]
    parts: list[object] = []
    for name, value in zip(result.condition.by, result.key, strict=True):
        if name not in BUILTIN_GROUPS or (name == "run" and first.run is not None and first.run.distinct):
            parts.append(value)
    return tuple(parts)


def _group_label(result: Result) -> str:
    parts = []
    first = result.hits[0]
    for name, value in zip(result.condition.by, result.key, strict=True):
        if name == "run" and first.run is not None:
            parts.append(first.run.label)
        elif name == "thread" and value is not None:
            parts.append(f"thread {value}")
        elif name not in BUILTIN_GROUPS:
            parts.append(f"{name} {first.captures.get(name, value)}")
    return ", ".join(parts)


def _evidence(hit: Hit, *, supporting: bool = False) -> Evidence:
    event = hit.event
    explained = tuple(found.explanation.one_line() for found in codes.find_codes(event.message))
    return Evidence(event.path, event.line, event.end_line, event.time, event.message, hit.name, explained, supporting)
