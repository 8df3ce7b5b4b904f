"""Checking a workflow's markers: the events (or rules) that say a phase
started, succeeded, failed, waits, does not apply or ends the story, each with
its conditions (`where`, `after`, `before`), its reason and its verdict."""

from __future__ import annotations

from collections.abc import Mapping

import regex

from smslogdoc.rules import yamlnodes
from smslogdoc.rules.checker import Checker
from smslogdoc.rules.model import Matcher, Pattern, shared_pattern
from smslogdoc.rules.suggest import did_you_mean
from smslogdoc.rules.templates import placeholders
from smslogdoc.rules.workflow import Marker
from smslogdoc.stories import VERDICTS

_MARKER_KEYS = ("event", "rule", "reason", "until", "where", "after", "before", "verdict", "run")


def markers(
    checker: Checker, path: yamlnodes.Path, raw: object, events: Mapping[str, Matcher]
) -> tuple[Marker, ...]:
    markers = []
    for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
        where = (*path, index)
        spec = {"event": item} if isinstance(item, str) else item
        if not isinstance(spec, dict):
            checker.error(where, "expected an event name, {event: name, reason: '...'} or {rule: id}")
            continue
        for key in spec:
            if key not in _MARKER_KEYS:
                checker.error((*where, key), f"unknown key; expected one of {', '.join(_MARKER_KEYS)}")
        marker = _marker(checker, where, spec, events)
        if marker is not None:
            markers.append(marker)
    return tuple(markers)


def _marker(
    checker: Checker, where: yamlnodes.Path, spec: Mapping[str, object], events: Mapping[str, Matcher]
) -> Marker | None:
    event, rule = spec.get("event"), spec.get("rule")
    if (event is None) == (rule is None) or not isinstance(event or rule, str):
        checker.error(where, "say either event (a name) or rule (an id)")
        return None
    for key in ("event", "after", "before"):
        name = spec.get(key)
        if name is not None and name not in events:
            checker.error((*where, key), f"undefined event {name!r}{did_you_mean(str(name), events)}")
            return None
    captured = events[str(event)].captures if event is not None else frozenset()
    reason, until, verdict = spec.get("reason", ""), spec.get("until"), spec.get("verdict", "succeeded")
    if (
        not isinstance(reason, str)
        or (until is not None and until not in captured)
        or verdict not in VERDICTS
    ):
        checker.error(
            where, "reason is text, until a field the event captures, verdict one of " + ", ".join(VERDICTS)
        )
        return None
    if event is not None and placeholders(reason) - captured:
        checker.error(
            (*where, "reason"),
            f"unknown placeholder {{{sorted(placeholders(reason) - captured)[0]}}}; {event!r} captures {', '.join(sorted(captured)) or 'nothing'}",
        )
    conditions: list[tuple[str, Pattern]] = []
    wanted = spec.get("where") or {}
    if not isinstance(wanted, dict):
        checker.error((*where, "where"), "expected a mapping of captured fields to patterns")
        wanted = {}
    for name, pattern in wanted.items():
        try:
            conditions.append((str(name), shared_pattern(str(pattern), regex.IGNORECASE)))
            conditions[-1][1].compiled  # noqa: B018 - compiling is the check
        except regex.error as error:
            checker.error((*where, "where", name), f"bad regular expression: {error}")
    return Marker(
        event=str(event) if event else None,
        rule=str(rule) if rule else None,
        reason=reason,
        until=str(until) if until else None,
        where=tuple(conditions),
        after=str(spec["after"]) if spec.get("after") else None,
        before=str(spec["before"]) if spec.get("before") else None,
        verdict=str(verdict),
    )
