"""The status-value family: a vocabulary of `data/states.yaml` (how logs write
it, which logs, each value's name, meaning and outcome) becomes one rule per
value whose outcome is a failure (a wait is left to the stories), each
pattern narrowed to that value; a vocabulary whose records carry their own
severity (`STATMSG ... SEV=E`) also gets a rule per severity for the values
it does not list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from smslogdoc.kinds import KindTable
from smslogdoc.model import Level
from smslogdoc.rules.condition import Condition
from smslogdoc.rules.families.table import (
    TIER_STATE,
    Bad,
    compiled,
    listed,
    log_kinds,
    relevant,
    slug,
    text,
    texts,
    usual_causes,
)
from smslogdoc.rules.model import Matcher, Rule

OUTCOME_SEVERITY = {"failed": Level.ERROR, "waiting": Level.WARNING, "warning": Level.WARNING}
_STATE_SEVERITY = {"failed": Level.ERROR, "warning": Level.WARNING}
"""A status value that waits is left to the stories: healthy clients wait for
content, windows and restarts all the time, and a story says whether the wait ended."""


def _group_end(pattern: str, start: int) -> int:
    """The index of the parenthesis that closes the group opening at `start`."""
    depth, index = 0, start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":  # a character class: its parentheses are literal
            index = pattern.index("]", index + 2)
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return index
        index += 1
    raise Bad("written_as", f"unbalanced group in {pattern!r}")


def _narrowed(pattern: str, group: str, values: Iterable[str]) -> str | None:
    """`pattern` with its `(?P<group>...)` narrowed to `values`; None without that group."""
    start = pattern.find(f"(?P<{group}>")
    if start < 0:
        return None
    end = _group_end(pattern, start)
    spelled = "|".join(re.escape(value) for value in values)
    return f"{pattern[:start]}(?P<{group}>{spelled})(?![\\w]){pattern[end + 1 :]}"


def _value_patterns(written: Iterable[str], key: str, value: str, spec: Mapping[str, object]) -> list[str]:
    """Each way a log writes the vocabulary, narrowed to one value."""
    names = [str(spec["name"])] if spec.get("name") else []
    names += [str(alias) for alias in listed(spec.get("aliases"))]
    found = []
    for pattern in written:
        narrowed: str | None = pattern
        if key == "topic/value":
            topic, _, number = value.partition("/")
            narrowed = _narrowed(pattern, "topic", [topic])
            narrowed = narrowed and _narrowed(narrowed, "value", [number])
        elif key == "name" or "(?P<value>" not in pattern:
            narrowed = (
                _narrowed(pattern, "name", [value] if key == "name" else names)
                if (key == "name" or names)
                else None
            )
        else:
            narrowed = _narrowed(pattern, "value", [value])
        if narrowed:
            found.append(narrowed)
    return found


def state_rules(entry: Mapping[str, object], path: str, *, kinds: KindTable) -> list[Rule]:
    vocabulary = text(entry, "vocabulary")
    written = texts(entry, "written_as", required=True)
    key = str(entry.get("key", "value"))
    logs = log_kinds(entry, kinds)
    sources = texts(entry, "sources", required=True)
    values = entry.get("values")
    if not isinstance(values, dict) or not values:
        raise Bad("values", "expected a mapping of values to {name, meaning, outcome}")
    rules = []
    for value, spec in values.items():
        if not isinstance(spec, dict):
            raise Bad(f"values.{value}", "expected {name, meaning, outcome}")
        severity = _STATE_SEVERITY.get(str(spec.get("outcome")))
        patterns = _own_severity(entry, _value_patterns(written, key, str(value), spec), severity)
        if severity is None or not patterns:
            continue  # succeeded, in progress, informational; or no way to tell the value
        name = f" ({spec['name']})" if spec.get("name") and str(spec["name"]) != str(value) else ""
        meaning = text(spec, "meaning")
        rules.append(
            _state_rule(
                f"state-{slug(vocabulary)}-{slug(str(value))}",
                f"{vocabulary} {value}{name}: {meaning}",
                severity,
                logs,
                _alternatives(patterns),
                path,
                sources,
                TIER_STATE + meaning.startswith("see "),  # it defers to another vocabulary's value
                texts(spec, "causes"),
            )
        )
    rules += _severity_rules(entry, vocabulary, written, logs, path, sources)
    return rules


def _own_severity(entry: Mapping[str, object], patterns: list[str], severity: Level | None) -> list[str]:
    """`patterns` narrowed, where the records say their own severity (`SEV=E`),
    to the letters whose outcome is the value's: ids were renumbered between
    versions, so an id a table lists as an error names a failure only on a
    record that says it is one."""
    spec = entry.get("severity")
    if severity is None or not isinstance(spec, dict) or not isinstance(spec.get("group"), str):
        return patterns
    letters = [
        str(letter)
        for letter, outcome in spec.items()
        if letter != "group" and _STATE_SEVERITY.get(str(outcome)) == severity
    ]
    if not letters:
        return patterns
    return [_narrowed(pattern, str(spec["group"]), letters) or pattern for pattern in patterns]


def _severity_rules(
    entry: Mapping[str, object],
    vocabulary: str,
    written: tuple[str, ...],
    logs: tuple[str, ...],
    path: str,
    sources: tuple[str, ...],
) -> list[Rule]:
    """A vocabulary whose records say their own severity (`STATMSG ... SEV=E`):
    the values its table does not list, by that severity."""
    spec = entry.get("severity")
    if not isinstance(spec, dict) or not isinstance(spec.get("group"), str):
        return []
    rules = []
    for letter, outcome in spec.items():
        severity = _STATE_SEVERITY.get(str(outcome))
        if letter == "group" or severity is None:
            continue
        patterns = [
            found for pattern in written if (found := _narrowed(pattern, str(spec["group"]), [str(letter)]))
        ]
        if patterns:
            meaning = f"a component reports a status message of severity {letter} ({outcome})"
            rules.append(
                _state_rule(
                    f"state-{slug(vocabulary)}-sev-{slug(str(letter))}",
                    f"{vocabulary} with SEV={letter}: {meaning}",
                    severity,
                    logs,
                    "|".join(patterns),
                    path,
                    sources,
                    TIER_STATE + 1,
                )
            )
    return rules


def _state_rule(
    rule_id: str,
    title: str,
    severity: Level,
    logs: tuple[str, ...],
    pattern: str,
    path: str,
    sources: tuple[str, ...],
    tier: int,
    causes: tuple[str, ...] = (),
) -> Rule:
    """A value's rule; its `causes` (what the field finds behind the value)
    become the finding's cause."""
    head, _, meaning = title.partition(": ")
    return Rule(
        id=rule_id,
        title=title[0].upper() + title[1:],
        severity=severity,
        confidence="medium",
        applies_to=logs,
        events={"state": Matcher("state", message=compiled(pattern))},
        conditions=(Condition("any", (("state",),)),),
        diagnosis=f"{{log}} writes {head}: {meaning}",
        fix=(
            "Read the lines of {log} around this one: they name what the value is about, and what the client or server did next.",
        ),
        cause=usual_causes(causes),
        causes=causes,
        path=path,
        references=relevant(sources, (title, *causes)),
        tier=tier,
        family="state",
    )


_GROUP = re.compile(r"[(][?]P<(\w+)>")


def _alternatives(patterns: list[str]) -> str:
    """One pattern matching any of `patterns`, their groups renamed apart (a
    group name may appear once; the names are not read: the rule's texts are
    the value's)."""
    renamed = [
        _GROUP.sub(rf"(?P<\g<1>_{index}>", pattern) if index else pattern
        for index, pattern in enumerate(patterns)
    ]
    return "|".join(f"(?:{pattern})" for pattern in renamed)
