"""The rule engine: events in, findings out.

For each log the engine tells its kind, picks the rules that apply, and
streams the events through three steps:

1. `runs.RunTracker` places each event in a run of its program;
2. `candidates.Candidates` picks, by the record's severity and one scan of
   its text, the matchers that could match; only those are run in full;
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

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Protocol

from smslogdoc.engine.candidates import Candidates, followers
from smslogdoc.engine.condition import ConditionRun
from smslogdoc.engine.logrun import LogRun
from smslogdoc.engine.results import findings_of
from smslogdoc.engine.ruleindex import RuleIndex
from smslogdoc.engine.runs import RunTracker
from smslogdoc.engine.state import Scope, SharedSides, place, side_keys
from smslogdoc.engine.tracer import Tracer
from smslogdoc.findings import Finding
from smslogdoc.kinds import COMPONENT_SAMPLE, Kind, KindTable, load_kinds
from smslogdoc.model import Event, Problem, ThreadNote
from smslogdoc.rules.model import LogScope, Rule

RETIRE_BATCH = 64
"""Runs that can get no more events are forgotten this many at a time."""
MAX_SETUPS = 4096
"""Kinds and names of logs whose rules are remembered (the rules themselves are
shared by every name they apply to alike)."""

_Setup = tuple[list[int], Candidates, dict[int, dict[str, tuple[int, ...]]]]
"""The rules that apply to a log, their events' filter, and their follower events."""
RULE_BUDGET = 2.0
"""Seconds a rule's slow matches may take in all, over a whole run (per
process), before the rule is disabled for the rest of it: a catastrophic
pattern costs at most this, however many logs there are."""


class LogInput(Protocol):
    """A log as the engine sees it: names, no files (`inputs.paths.LogInput` is one)."""

    @property
    def name(self) -> str:
        """How findings name the log."""
        ...

    @property
    def folder(self) -> str:
        """The folder it is in (rules `by: folder` correlate its logs)."""
        ...

    @property
    def file_name(self) -> str:
        """Its current file's name, which tells its kind (`ccmsetup.log`)."""
        ...


class Engine:
    """Diagnoses logs one after another; `finish` ends the run."""

    def __init__(
        self, rules: list[Rule], kinds: KindTable | None = None, tracer: Tracer | None = None
    ) -> None:
        self.rules = rules
        self.kinds = kinds or load_kinds()
        self.tracer = tracer
        self.problems: list[Problem] = []
        self._setups: dict[tuple[str | None, str], _Setup] = {}
        self._shared: dict[object, _Setup] = {}
        self._signatures: dict[
            tuple[str | None, str], tuple[tuple[int, ...], tuple[tuple[int, str], ...]]
        ] = {}
        self._interned: dict[
            tuple[tuple[int, ...], tuple[tuple[int, str], ...]],
            tuple[tuple[int, ...], tuple[tuple[int, str], ...]],
        ] = {}
        self._event_plans: dict[tuple[int, ...], _EventPlan] = {}
        self._folder_runs: dict[tuple[int, int], ConditionRun] = {}
        self._keys: dict[tuple[int, int], tuple[object, ...] | None] = {}
        self._folders: dict[int, str] = {}
        self._logs = 0
        self._index = RuleIndex(rules)
        self.spent: dict[int, float] = {}
        """Seconds each rule's slow matches took so far in this run."""
        self.exhausted: set[int] = set()
        """Rules whose budget is spent: disabled for the rest of the run."""

    def charge(self, number: int, seconds: float, event: Event) -> None:
        """Charge a slow match to its rule; past `RULE_BUDGET` the rule is
        disabled for the rest of the run, with one problem line naming it."""
        spent = self.spent[number] = self.spent.get(number, 0.0) + seconds
        if spent > RULE_BUDGET and number not in self.exhausted:
            self.exhausted.add(number)
            rule_id = self.rules[number].id
            self.problems.append(
                Problem(
                    event.path,
                    f"rule {rule_id}: its patterns took {spent:.1f} s in all, over the budget of "
                    f"{RULE_BUDGET:g} s a rule has for a run; rule disabled for the rest of the run",
                    event.line,
                    rule=rule_id,
                )
            )

    def kind_of(self, log: LogInput, events: Iterator[Event]) -> tuple[Kind | None, Iterator[Event]]:
        """The log's kind, from its name or else its first records' components."""
        kind = self.kinds.by_file_name(log.file_name)
        if kind is not None:
            return kind, events
        head = list(islice(events, COMPONENT_SAMPLE))
        return self.kinds.by_components(head), chain(head, events)

    def covers(self, where: LogScope) -> bool:
        """Whether a written rule reads logs of this kind and name (a rule
        family's generic wording or codes do not make a log read: the report
        still says no rule knows that log)."""
        return any(self.rules[number].tier == 0 for number in self._setup(where)[0])

    def log(self, log: LogInput, events: Iterable[Event], *, number: int | None = None) -> list[Finding]:
        """Run the rules over one log's events; its findings (folder-wide rules
        wait for `finish`). `number` is the log's place in the whole input
        (by default, the next): it orders findings."""
        kind, stream = self.kind_of(log, iter(events))
        return self.log_of_kind(log, stream, kind, number=number)

    def log_of_kind(
        self,
        log: LogInput,
        stream: Iterable[Event | ThreadNote],
        kind: Kind | None,
        *,
        number: int | None = None,
    ) -> list[Finding]:
        """`log` for a caller that already knows the log's kind; `stream` may
        carry `ThreadNote`s for stretches of the log a scan skipped."""
        index = self._logs if number is None else number
        self._logs = index + 1
        self._folders[index] = log.folder
        scope = Scope(log.name, log.folder, index, kind)
        active, candidates, followers = self._setup(LogScope(kind.name if kind else None, log.file_name))
        if self.tracer is not None:
            traced = [n for n, rule in enumerate(self.rules) if rule.id == self.tracer.rule_id]
            self.tracer.begin(log.name, kind.name if kind else None, bool(set(traced) & set(active)))
        if not active:
            for _ in stream:
                pass  # still read, so the file report counts its records
            return []
        run = LogRun(self, candidates, followers)
        if self.tracer is not None:
            for number in active:
                if self.rules[number].id == self.tracer.rule_id:
                    run.conditions_of(
                        number
                    )  # its explanation lists the conditions even when nothing matched
        tracker = RunTracker(kind.runs if kind else None)
        parts: dict[str, int] = {}
        seq = 0
        for event, owner in tracker.assign(stream):
            part = parts.get(event.path)
            if part is None:
                part = parts[event.path] = len(parts)
            seq = max(seq + 1, place(part, event.line))
            if event.time is not None:
                run.last_time = event.time
            run.feed(event, owner, seq, scope)
            if len(tracker.retired) >= RETIRE_BATCH:
                run.retire({retired.key for retired in tracker.retired})
                tracker.retired.clear()
        return run.finish(scope, self._folders)

    def finish(self) -> list[Finding]:
        """Findings of rules that correlate the logs of a folder; the folders
        seen so far are then done with (the engine may go on with others)."""
        results = [result for checker in self._folder_runs.values() for result in checker.finish(None)]
        findings = findings_of(results, None, self._folders)
        self._folder_runs = {}
        self._folders = {}
        return findings

    def checkers(
        self, number: int, *, thorough: bool = False, shared: dict[object, SharedSides] | None = None
    ) -> list[ConditionRun]:
        """A new run of each of a rule's conditions (shared by the folder for
        folder-wide ones); side lists alike kept once in `shared` (one log's)."""
        rule = self.rules[number]
        made = []
        for position, condition in enumerate(rule.conditions):
            if "folder" in condition.by:
                found = self._folder_runs.get((number, position))
                if found is None:
                    found = self._folder_runs[(number, position)] = ConditionRun(rule, condition)
                made.append(found)
                continue
            keys = None if thorough or shared is None else self._side_keys(number, position)
            alike = None if shared is None or keys is None else (shared, keys)
            made.append(ConditionRun(rule, condition, thorough=thorough, shared=alike))
        return made

    def _side_keys(self, number: int, position: int) -> tuple[object, ...] | None:
        """`state.side_keys` of a rule's condition, worked out once a run."""
        where = (number, position)
        if where not in self._keys:
            rule = self.rules[number]
            self._keys[where] = side_keys(rule, rule.conditions[position])
        return self._keys[where]

    def _setup(self, where: LogScope) -> _Setup:
        """For logs of one kind and name (thousands of machines' ccmsetup.log):
        the rules that apply, their events' filter, and their follower events.
        Remembered per kind and name (a bounded number of them) and shared by
        all names the same rules and events apply to, so thousands of
        differently named logs cost one filter, not thousands."""
        key = (where.kind, where.name)
        known = self._setups.get(key)
        if known is None:
            if len(self._setups) >= MAX_SETUPS:
                del self._setups[next(iter(self._setups))]
            signature = self.signature(where)
            known = self._shared.get(signature)
            if known is None:
                active = list(signature[0])
                later = {number: followers(self.rules[number]) for number in active}
                known = self._shared[signature] = (active, Candidates(self.rules, signature[1]), later)
            self._setups[key] = known
        return known

    def signature(self, where: LogScope) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
        """What of the rules applies to a log: the rules, and each one's events
        (an event may be scoped to some logs); logs with the same signature are
        diagnosed alike. Remembered per kind and name, as `_setup` is."""
        key = (where.kind, where.name)
        known = self._signatures.get(key)
        if known is None:
            if len(self._signatures) >= MAX_SETUPS:
                del self._signatures[next(iter(self._signatures))]
            made = self._signature(where)
            if len(self._interned) >= MAX_SETUPS:
                self._interned.clear()
            # thousands of differently named logs mostly share one signature: keep one copy
            known = self._signatures[key] = self._interned.setdefault(made, made)
        return known

    def _signature(self, where: LogScope) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
        active = self._index.applying(where)
        plan = self._event_plans.get(active)
        if plan is None:
            if len(self._event_plans) >= MAX_SETUPS:
                self._event_plans.clear()
            plan = self._event_plans[active] = _EventPlan.of(self.rules, active)
        return active, plan.events(where)


class _EventPlan:
    """The events of a set of applying rules, in the rules' order, worked out
    once per set: most logs share one set (thousands of differently named small
    logs), and only the events scoped to some logs (`logs:`) need asking again
    per log."""

    __slots__ = ("_all", "_scoped")

    def __init__(self, every: tuple[tuple[tuple[int, str], tuple[str, ...]], ...]) -> None:
        self._scoped = every if any(logs for _, logs in every) else None
        self._all = tuple(pair for pair, _ in every)

    @classmethod
    def of(cls, rules: list[Rule], active: tuple[int, ...]) -> _EventPlan:
        return cls(
            tuple(
                ((number, name), tuple(matcher.logs))
                for number in active
                for name, matcher in rules[number].events.items()
            )
        )

    def events(self, where: LogScope) -> tuple[tuple[int, str], ...]:
        """The (rule, event) pairs that apply to the log `where` names."""
        if self._scoped is None:
            return self._all
        return tuple(pair for pair, logs in self._scoped if not logs or where.is_one_of(logs))
