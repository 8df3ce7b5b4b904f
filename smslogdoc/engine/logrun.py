"""The rules' conditions over one log while it is read: which rules' events a
record matches (`named`, remembered per record text, severity and component),
fed to each rule's conditions; slow or failing matches charged and their rules
skipped; the log's findings at its end."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from time import perf_counter, thread_time
from typing import Protocol

from smslogdoc.engine.candidates import Candidates, Hits
from smslogdoc.engine.condition import ConditionRun
from smslogdoc.engine.results import Causes
from smslogdoc.engine.runs import Run
from smslogdoc.engine.state import Result, Scope, SharedSides
from smslogdoc.engine.tracer import Tracer
from smslogdoc.findings import Finding
from smslogdoc.memo import SEEN_RECORDS, SeenRecords
from smslogdoc.model import Event, Problem
from smslogdoc.rules.model import Rule

SLOW_MATCH = 0.005
"""A match slower than this (seconds; an ordinary one takes microseconds) is
charged to its rule's budget. A match's time is the lesser of the clock's
and this thread's CPU time: on a busy machine a match the scheduler
interrupts would look slow by the clock, and rules would be disabled by
the load, not by their patterns (where CPU time advances in ticks,
Windows, the clock keeps a quick match from being charged a whole tick)."""


Named = dict[int, dict[str, Mapping[str, str]]]
"""The named events of each rule a record matched, with their captures."""


class _Grouping:
    """A remembered record's hits grouped by rule, and the conditions its
    records are fed to (worked out at the first such record)."""

    __slots__ = ("hits", "named", "plan")

    def __init__(self, hits: Hits, named: Named) -> None:
        self.hits = hits
        self.named = named
        self.plan: list[tuple[ConditionRun, Mapping[str, Mapping[str, str]]]] | None = None


class Engine(Protocol):
    """What a log's run needs of the engine (`loop.Engine`): the rules, the
    run-wide budget of slow matches, problems, the folder-wide conditions."""

    rules: list[Rule]
    tracer: Tracer | None
    exhausted: set[int]
    problems: list[Problem]

    def charge(self, number: int, seconds: float, event: Event) -> None: ...

    def checkers(
        self, number: int, *, thorough: bool = False, shared: dict[object, SharedSides] | None = None
    ) -> list[ConditionRun]: ...


class LogRun:
    """The rules' conditions over one log while it is read."""

    def __init__(
        self,
        engine: Engine,
        candidates: Candidates,
        followers: dict[int, dict[str, tuple[int, ...]]],
    ) -> None:
        self.engine = engine
        self.rules = engine.rules
        self.candidates = candidates
        self.followers = followers
        self.seen = SeenRecords[Hits](candidates.plain)
        self.grouped: dict[int, _Grouping] = {}
        """A remembered record's hits grouped by rule, by the id of its list of
        hits (kept, so the id is not another's): a grouping that no follower
        event, disabled rule or traced rule decides is the same for every record
        of that text (a log repeats its messages), and nothing changes it."""
        self.shared: dict[object, SharedSides] = {}
        """Side lists the conditions of several rules keep alike (`state.side_keys`)."""
        tracer = engine.tracer
        self.traced_rule = tracer.rule_id if tracer is not None else None
        self.traced_number = (
            -1
            if self.traced_rule is None
            else next((n for n, rule in enumerate(self.rules) if rule.id == self.traced_rule), -1)
        )
        self.local: dict[int, list[ConditionRun]] = {}
        self.every_event: list[tuple[int, ConditionRun]] = []
        self.by_run: list[tuple[int, ConditionRun]] = []
        self.causes = Causes()
        self.traced_results: list[Result] = []
        self.disabled: set[int] = set(engine.exhausted)
        self.last_time: datetime | None = None

    def conditions_of(self, number: int) -> list[ConditionRun]:
        """The rule's conditions over this log, set up when it first matches
        (most rules never match most logs)."""
        made = self.local.get(number)
        if made is None:
            made = self.local[number] = self.engine.checkers(
                number, thorough=number == self.traced_number, shared=self.shared
            )
            self.every_event.extend((number, checker) for checker in made if checker.every_event)
            self.by_run.extend((number, checker) for checker in made if checker.by_run)
        return made

    def feed(self, event: Event, owner: Run | None, seq: int, scope: Scope) -> None:
        """One record: the rules' events it matches fed to their conditions."""
        named, grouping = self.named(event)
        disabled = self.disabled
        if grouping is not None:
            if grouping.plan is None:
                grouping.plan = self._plan(named)
            for condition_run, names in grouping.plan:
                condition_run.feed(event, owner, seq, names, scope)
        else:
            local = self.local
            for number, names in named.items():
                if number not in disabled:
                    for condition_run in local.get(number) or self.conditions_of(number):
                        # a condition none of whose events the record matched has nothing to
                        # do, unless an adjacent sequence's open match ends at this record
                        if condition_run.every_event or not condition_run.names.isdisjoint(names):
                            condition_run.feed(event, owner, seq, names, scope)
        for number, condition_run in self.every_event:
            if condition_run.open and number not in named and number not in disabled:
                condition_run.touch(event, owner, scope)

    def _plan(self, named: Named) -> list[tuple[ConditionRun, Mapping[str, Mapping[str, str]]]]:
        """The conditions a remembered grouping's records are fed to, with their
        events: those the record's events route to (a rule's other alternatives
        are left out), and of conditions whose events go only to side lists
        other rules keep alike, the first (`ConditionRun.needed`)."""
        plan: list[tuple[ConditionRun, Mapping[str, Mapping[str, str]]]] = []
        claimed: set[tuple[int, str]] = set()
        for number, names in named.items():
            for condition_run in self.local.get(number) or self.conditions_of(number):
                if condition_run.needed(names, claimed):
                    plan.append((condition_run, names))
        return plan

    def named(self, event: Event) -> tuple[Named, _Grouping | None]:
        """The named events of each rule a record matches (with their captures),
        and their grouping when it is remembered (no follower event, disabled or
        traced rule decides it). What the matchers find in a record is
        remembered by its text, severity and component (a log repeats its
        records run after run)."""
        hits = self.seen.get(event)
        remembered = hits is not None
        if hits is None:
            hits, clean = self._hits(event)
            if clean and self.seen.plain:
                self.seen.put(event, hits)
                remembered = True
        grouped = self.grouped.get(id(hits)) if remembered else None
        if grouped is not None and grouped.hits is hits and not self.disabled:
            return grouped.named, grouped
        named: Named = {}
        local, disabled, followers = self.local, self.disabled, self.followers
        static = remembered and not disabled and self.traced_number < 0
        for number, name, captures in hits:
            if number in disabled:
                continue
            waiting = followers[number].get(name)
            if waiting is not None:
                static = False
                if number not in local or not any(local[number][position].open for position in waiting):
                    continue  # it can only continue a partial match, and none is open
            named.setdefault(number, {})[name] = captures
            if number == self.traced_number and self.engine.tracer is not None:
                self.engine.tracer.hit(name, event)
        if static:
            if len(self.grouped) >= SEEN_RECORDS:
                self.grouped.clear()
            grouped = self.grouped[id(hits)] = _Grouping(hits, named)
            return named, grouped
        return named, None

    def _hits(self, event: Event) -> tuple[Hits, bool]:
        """Each candidate event the record matches, with its captures; and
        whether every match ran cleanly (neither failed nor was slow)."""
        hits: Hits = []
        candidates = self.candidates.of(event)
        cpu = thread_time() if candidates else 0.0
        matchers = self.candidates.matchers
        tested: dict[int, Mapping[str, str] | None] = {}
        """What each matcher found in this record (events that test alike share one)."""
        clean = True
        for number, name in candidates:
            if number in self.disabled:
                continue
            matcher = matchers[(number, name)]
            if id(matcher) in tested:
                captures = tested[id(matcher)]
            else:
                started = (perf_counter(), cpu)
                try:
                    captures = tested[id(matcher)] = matcher.match(event)
                except TimeoutError:
                    self.fail(number, event, f"the pattern of event {name!r} took too long on this record")
                    self._charge(number, started, event)
                    clean = False
                    continue
                except Exception as error:  # a rule must never stop the run
                    self.fail(number, event, f"failed on this record ({type(error).__name__}: {error})")
                    clean = False
                    continue
                clean = self._charge(number, started, event) and clean
            if captures is not None:
                hits.append((number, name, captures))
        return hits, clean

    def _charge(self, number: int, started: tuple[float, float], event: Event) -> bool:
        """Charge a match that was slow by the clock and by this thread's CPU
        time since the record's first match began (which bounds the match's own);
        whether it was quick."""
        took = perf_counter() - started[0]
        if took > SLOW_MATCH:
            took = min(took, thread_time() - started[1])
        if took > SLOW_MATCH:
            self.engine.charge(number, took, event)
            if number in self.engine.exhausted:
                self.disabled.add(number)
            return False
        return True

    def fail(self, number: int, event: Event, why: str) -> None:
        """A rule that failed on a record is skipped for the rest of the log."""
        self.disabled.add(number)
        rule_id = self.rules[number].id
        self.engine.problems.append(
            Problem(
                event.path,
                f"rule {rule_id}: {why}; rule skipped for the rest of this log",
                event.line,
                rule=rule_id,
            )
        )

    def retire(self, keys: set[object]) -> None:
        """Runs that can get no more records: what their conditions found is final."""
        forget = []
        for number, checker in self.by_run:
            results, gone = checker.retire(keys, self.last_time)
            forget.append((checker, gone))
            for result in results:
                if number not in self.disabled:
                    self.causes.add(result)
                    if number == self.traced_number:
                        self.traced_results.append(result)
        for checker, gone in forget:  # after all: a side list may be several rules'
            checker.forget(gone)

    def finish(self, scope: Scope, folders: dict[int, str]) -> list[Finding]:
        """The log's findings (folder-wide conditions wait for `Engine.finish`)."""
        tracer = self.engine.tracer
        for number, checkers in self.local.items():
            if number in self.disabled:
                continue
            per_log = [checker for checker in checkers if "folder" not in checker.condition.by]
            rule_results = [result for checker in per_log for result in checker.finish(self.last_time)]
            if tracer is not None and number == self.traced_number:
                tracer.end(per_log, self.traced_results + rule_results)
            for result in rule_results:
                self.causes.add(result)
        skip = frozenset(self.rules[number].id for number in self.disabled)
        return self.causes.findings(scope.log, folders, skip=skip)
