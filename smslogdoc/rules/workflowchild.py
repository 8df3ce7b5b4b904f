"""Checking a step's child stories (`steps.child_story`: an Install Application
step holds the application's story) and the status numbers they are read
with (`status_meanings`), into a `ChildSpec`, every error naming its key."""

from __future__ import annotations

from collections.abc import Mapping

from smslogdoc.rules import yamlnodes
from smslogdoc.rules.checker import Checker
from smslogdoc.rules.model import Matcher
from smslogdoc.rules.suggest import did_you_mean
from smslogdoc.rules.workflow import ChildSpec

_CHILD_KEYS = (
    "workflow",
    "opens",
    "joins",
    "by",
    "keys",
    "name",
    "status",
    "failed",
    "succeeded",
    "next_logs",
)
STATUS_KINDS = ("succeeded", "failed", "waiting", "in_progress", "not_applicable", "available", "unknown")
"""How `status_meanings.verdicts` sorts a status number (only the first four end a child)."""

_PATH: yamlnodes.Path = ("steps", "child_story")


def child_spec(
    checker: Checker, raw: object, meanings: object, events: Mapping[str, Matcher]
) -> ChildSpec | None:
    """The child stories a step holds, or None (and errors) when `raw` is wrong."""
    if not isinstance(raw, dict):
        checker.error(_PATH, "expected a mapping: workflow, opens, joins, by, keys ...")
        return None
    for key in raw:
        if key not in _CHILD_KEYS:
            checker.error(
                (*_PATH, key),
                f"unknown key; expected one of {', '.join(_CHILD_KEYS)}{did_you_mean(str(key), _CHILD_KEYS)}",
            )
    workflow = raw.get("workflow")
    if not isinstance(workflow, str) or not workflow:
        checker.error((*_PATH, "workflow"), "expected the id of the child's workflow")
    opens, joins = _events(checker, raw, "opens", events), _events(checker, raw, "joins", events)
    succeeded = _events(checker, raw, "succeeded", events)
    failed = _failed(checker, raw.get("failed", []), events)
    status = raw.get("status")
    if status is not None and (not isinstance(status, str) or "status" not in _captures(events, status)):
        checker.error((*_PATH, "status"), "expected an event that captures {status} (a number)")
        status = None
    named = (*opens, *joins, *succeeded, *(event for event, _ in failed))
    captured = set().union(*(_captures(events, name) for name in named)) if named else set()
    by = raw.get("by", "")
    if not isinstance(by, str) or by not in captured:
        checker.error(
            (*_PATH, "by"), f"expected a field the child's events capture: {', '.join(sorted(captured))}"
        )
    keys = raw.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) and v in captured for v in keys.values()):
        checker.error(
            (*_PATH, "keys"), "expected the child workflow's keys, each mapped to a field its events capture"
        )
        keys = {}
    name = checker.strings(raw, "name", _PATH)
    next_logs = raw.get("next_logs", "")
    if not isinstance(next_logs, str):
        checker.error((*_PATH, "next_logs"), "expected text")
    verdicts, phases = _meanings(checker, meanings)
    if checker.errors:
        return None
    return ChildSpec(
        str(workflow),
        opens,
        joins,
        str(by),
        {str(key): str(value) for key, value in keys.items()},
        name,
        str(status) if status else None,
        verdicts,
        phases,
        failed,
        succeeded,
        str(next_logs),
    )


def _captures(events: Mapping[str, Matcher], name: str) -> set[str]:
    matcher = events.get(name)
    return set(matcher.captures) if matcher is not None else set()


def _events(
    checker: Checker, raw: Mapping[str, object], key: str, events: Mapping[str, Matcher]
) -> tuple[str, ...]:
    names = checker.strings(raw, key, _PATH)
    for index, name in enumerate(names):
        if name not in events:
            checker.error((*_PATH, key, index), f"undefined event {name!r}{did_you_mean(name, events)}")
    return tuple(name for name in names if name in events)


def _failed(
    checker: Checker, raw: object, events: Mapping[str, Matcher]
) -> tuple[tuple[str, str | None], ...]:
    """`failed: [event, {event: name, phase: id}]`."""
    found: list[tuple[str, str | None]] = []
    for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
        spec = {"event": item} if isinstance(item, str) else item
        name = spec.get("event") if isinstance(spec, dict) else None
        phase = spec.get("phase") if isinstance(spec, dict) else None
        if not isinstance(name, str) or name not in events or not isinstance(phase, str | None):
            checker.error((*_PATH, "failed", index), "expected an event name or {event: name, phase: id}")
            continue
        found.append((name, phase))
    return tuple(found)


def _meanings(checker: Checker, raw: object) -> tuple[dict[int, str], dict[int, str]]:
    """`status_meanings`: `verdicts` (a kind -> its numbers) and `phases` (a
    phase -> the failed numbers of it); `source` and `values` document them."""
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        checker.error(("status_meanings",), "expected a mapping: source, verdicts, phases, values")
        return {}, {}
    verdicts: dict[int, str] = {}
    phases: dict[int, str] = {}
    for key, target in (("verdicts", verdicts), ("phases", phases)):
        table = raw.get(key, {})
        if not isinstance(table, dict):
            checker.error(("status_meanings", key), "expected a mapping of names to lists of numbers")
            continue
        for name, numbers in table.items():
            if key == "verdicts" and name not in STATUS_KINDS:
                checker.error(
                    ("status_meanings", key, name),
                    f"expected one of {', '.join(STATUS_KINDS)}{did_you_mean(str(name), STATUS_KINDS)}",
                )
            if not isinstance(numbers, list) or not all(isinstance(n, int) for n in numbers):
                checker.error(("status_meanings", key, name), "expected a list of numbers")
                continue
            target.update(dict.fromkeys(numbers, str(name)))
    return verdicts, phases
