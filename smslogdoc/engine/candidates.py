"""Which rules' events could match a record: those that take records of its
severity (the rule families read error records only, and most records are not
errors), and of those, the ones whose literal its text holds
(`smslogdoc.prefilter`). Only these are run in full, and events that test alike
(a phrase read by one rule per family of logs, one start line that several
rules follow) share one matcher, so a record is tested once for all of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from smslogdoc.model import Event, Severity
from smslogdoc.prefilter import Prefilter
from smslogdoc.rules.model import Matcher, Rule

EventKey = tuple[int, str]
"""A rule's number and the name of one of its events."""
Hits = list[tuple[int, str, Mapping[str, str]]]
"""The events a record matched: rule number, event name, captures."""


class Candidates:
    """The events of some rules, filtered per record by severity, then by literal."""

    def __init__(self, rules: Sequence[Rule], events: Sequence[EventKey]) -> None:
        self._entries = [
            (key, rules[key[0]].events[key[1]].literals, rules[key[0]].events[key[1]].severities)
            for key in events
        ]
        self._by_severity: dict[Severity, Prefilter[EventKey]] = {}
        alike: dict[Matcher, Matcher] = {}
        self.matchers: dict[EventKey, Matcher] = {}
        """Each event's matcher: one object for events that test alike."""
        for number, name in events:
            matcher = rules[number].events[name]
            self.matchers[(number, name)] = alike.setdefault(matcher, matcher)
        self.plain = all(matcher.by_text for matcher in self.matchers.values())
        """Whether a record's text, severity and component decide what matches it."""

    def of(self, event: Event) -> list[EventKey]:
        """The events that may match `event`, in the rules' order of literals."""
        prefilter = self._by_severity.get(event.severity)
        if prefilter is None:
            prefilter = self._by_severity[event.severity] = Prefilter(
                [
                    (key, literals)
                    for key, literals, severities in self._entries
                    if not severities or event.severity in severities
                ]
            )
        return prefilter.candidates(event.message)


def followers(rule: Rule) -> dict[str, tuple[int, ...]]:
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
