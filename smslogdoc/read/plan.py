"""What a scan of a large log looks for (`Plan`): the literals the applicable
rules and the log's run model need, each with the records around a hit that
must be read too (`Reach`). There is no plan when a rule needs every record
(an event without literal text). See `read.scan`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from smslogdoc.kinds import Kind
from smslogdoc.literals import required_literals
from smslogdoc.model import Severity
from smslogdoc.rules.condition import ADJACENT_LINES, Condition
from smslogdoc.rules.model import LogScope, Matcher, Rule

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a declared dependency; without it logs are read in full
    ahocorasick_rs = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Reach:
    """The records around a hit that must be read too: those within `before`
    lines before its record and `after` lines after; with `own_thread`, only
    the nearest record of its thread on each side (its group's neighbour)."""

    before: int = 0
    after: int = 0
    own_thread: bool = True

    def __or__(self, other: Reach) -> Reach:
        return Reach(
            max(self.before, other.before), max(self.after, other.after), self.own_thread and other.own_thread
        )


@dataclass(frozen=True)
class Plan:
    """What a scan looks for: literals (lower-case ASCII) whose records are read,
    and literals whose records bring the records around them (a `Reach`)."""

    literals: tuple[bytes, ...]
    reaches: tuple[tuple[Reach, tuple[bytes, ...]], ...]
    starts: tuple[bytes, ...] = ()
    """When the log's runs own threads (ccmsetup): the literals of a run's first
    record. The threads of skipped records then matter (see `ThreadNote`)."""

    @cached_property
    def automata(self) -> list[tuple[Reach | None, ahocorasick_rs.BytesAhoCorasick]]:
        """One automaton per reach (and one for plain literals). Leftmost-first
        matching is the fast one; it may skip a literal that overlaps another,
        but only one in the same record and with the same reach."""
        groups: list[tuple[Reach | None, tuple[bytes, ...]]] = [(None, self.literals), *self.reaches]
        return [(reach, _automaton(literals)) for reach, literals in groups if literals]

    @cached_property
    def starts_automaton(self) -> ahocorasick_rs.BytesAhoCorasick | None:
        """Finds the records that may start a run (the threads seen between two matter)."""
        return _automaton(self.starts) if self.starts else None


def _automaton(literals: Iterable[bytes]) -> ahocorasick_rs.BytesAhoCorasick:
    return ahocorasick_rs.BytesAhoCorasick(list(literals), matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_FIRST)


class _Wanted:
    """The literals a plan reads, each with the reach around its records (None: none)."""

    def __init__(self) -> None:
        self.reaches: dict[str, Reach | None] = {}

    def need(self, literals: Iterable[str], reach: Reach | None = None) -> bool:
        """Read the records holding one of `literals`; False when they cannot
        be told in bytes (so the log must be read in full)."""
        found = False
        for literal in literals:
            if not literal.isascii() or "\n" in literal or "\r" in literal:
                return False  # bytes lower-case ASCII only, and a literal must not span records
            known = self.reaches.get(literal)
            self.reaches[literal] = reach if known is None else known if reach is None else known | reach
            found = True
        return found

    def rule(self, rule: Rule, where: LogScope) -> bool:
        """What one rule needs; False when it needs every record. An event that
        only error or warning records can match needs nothing more: a scan
        reads every one of those (the format's `error_literals`)."""
        literals = {
            name: m.literals
            for name, m in rule.events.items()
            if (not m.logs or where.is_one_of(m.logs)) and not _errors_only(m)
        }
        full: set[str] = set()
        reaches: dict[str, Reach] = {}
        for condition in rule.conditions:
            steps = {name for step in condition.steps for name in step}
            full |= condition.names - steps
            if not condition.adjacent:
                full |= steps
                continue
            anchored = _anchor(condition, literals)
            if anchored is None:
                return False
            anchor, reach = anchored
            for name in anchor:
                reaches[name] = reaches[name] | reach if name in reaches else reach
        for name, found in literals.items():
            if name in reaches and not self.need(found, reaches[name]):
                return False
            if name in full and name not in reaches and not self.need(found):
                return False
        return True

    def runs(self, kind: Kind | None) -> tuple[str, ...] | None:
        """What the log's run model needs, and the literals of a run's first
        record when its runs own threads; None when it needs every record."""
        if kind is None or kind.runs is None:
            return ()
        model = kind.runs
        for pattern in (model.starts, model.ends, model.reopens, *model.keyed):
            if pattern is not None and not self.need(required_literals(pattern.pattern)):
                return None
        if model.owned_threads and model.starts is not None:
            return required_literals(model.starts.pattern)
        return ()


def _errors_only(matcher: Matcher) -> bool:
    """Only error and warning records can match it: a scan reads all of those."""
    return bool(matcher.severities) and matcher.severities <= {Severity.ERROR, Severity.WARNING}


def _anchor(
    condition: Condition, literals: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], Reach] | None:
    """An adjacent pair needs its anchor step (the second, else the first,
    that has literals) and the records within reach of it: those of its
    group, which is at most its thread's when grouped by thread. None when
    the records it needs cannot be bounded."""
    if len(condition.steps) != 2:
        return None  # longer chains of multi-line records reach too far to bound
    if "folder" in condition.by:
        return None  # the group's next record may be in another log
    first, last = condition.steps
    own = "thread" in condition.by
    if all(literals.get(name) for name in last if name in literals):
        return last, Reach(before=ADJACENT_LINES, own_thread=own)
    if all(literals.get(name) for name in first if name in literals):
        return first, Reach(after=ADJACENT_LINES, own_thread=own)
    return None


def plan(
    rules: Iterable[Rule], where: LogScope, kind: Kind | None, *, also: Iterable[tuple[str, ...]] = ()
) -> Plan | None:
    """What the rules that apply to a log need from it, and the records holding
    one of each of `also` (the workflows' events); None when some rule or event
    needs every record."""
    if ahocorasick_rs is None:
        return None
    wanted = _Wanted()
    for rule in rules:
        if rule.applies(where) and not wanted.rule(rule, where):
            return None
    for literals in also:
        if not wanted.need(literals):
            return None
    starts = wanted.runs(kind)
    if starts is None:
        return None
    # A record holding `failed with error code 1603` holds `failed with error code`:
    # the literals holding another are found by one automaton, not by testing every pair.
    every = [literal for literal in wanted.reaches if literal]
    holds = ahocorasick_rs.AhoCorasick(every) if every else None
    empty = "" in wanted.reaches  # every other literal holds it

    def holds_another(literal: str) -> bool:
        if empty and literal:
            return True
        found = holds.find_matches_as_indexes(literal, overlapping=True) if holds and literal else ()
        return any(every[index] != literal for index, _, _ in found)

    plain = sorted(
        literal for literal, around in wanted.reaches.items() if around is None and not holds_another(literal)
    )
    grouped: dict[Reach, list[str]] = {}
    for literal, around in wanted.reaches.items():
        if around is not None:
            grouped.setdefault(around, []).append(literal)
    return Plan(
        tuple(literal.encode("ascii") for literal in plain),
        tuple(
            (reach, tuple(literal.encode("ascii") for literal in sorted(literals)))
            for reach, literals in grouped.items()
        ),
        tuple(literal.encode("ascii") for literal in starts),
    )
