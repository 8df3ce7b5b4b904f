"""The status values of `states.yaml` and `states-*.yaml` as messages write them,
each with its outcome: how `formats.severity` tells a pasted "CcmSetup is
exiting with return code 7" (a restart to wait for, not a failure) from a line
that failed. The rule family of the same tables (`rules.families.states`) names
the values; this reading only says what outcome a message's values have.

Vocabularies whose records say their own severity (`STATMSG ... SEV=E`, ids
renumbered between versions) and those keyed by topic and value are left out:
their values mean nothing without the letter or the topic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from smslogdoc.data.yamlload import LOADER

STATE_TABLES = r"states(?:-[\w-]+)?\.yaml"
"""The file names of the status tables in the data folder (the rule family reads the same)."""


@dataclass(frozen=True)
class Written:
    """One way a vocabulary is written, and the outcome of each of its values
    by value (as written) and by lower-case name or alias."""

    pattern: re.Pattern[str]
    outcomes: Mapping[str, str]


@cache
def written_values() -> tuple[Written, ...]:
    """Every usable way of writing a status value, in the tables' order."""
    found: list[Written] = []
    folder = resources.files("smslogdoc.data")
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not re.fullmatch(STATE_TABLES, item.name):
            continue
        entries = yaml.load(item.read_text(encoding="utf-8"), Loader=LOADER) or []
        for entry in entries if isinstance(entries, list) else []:
            found += _written(entry)
    return tuple(found)


def _written(entry: Any) -> list[Written]:
    if (
        not isinstance(entry, dict)
        or entry.get("severity")
        or entry.get("key", "value") not in ("value", "name")
    ):
        return []
    values = entry.get("values")
    if not isinstance(values, dict):
        return []
    outcomes: dict[str, str] = {}
    for value, spec in values.items():
        if not isinstance(spec, dict) or not spec.get("outcome"):
            continue
        outcome = str(spec["outcome"])
        outcomes.setdefault(str(value), outcome)
        for name in [spec.get("name"), *(spec.get("aliases") or [])]:
            if name:
                outcomes.setdefault(str(name).lower(), outcome)
    patterns = entry.get("written_as") or []
    return [
        Written(re.compile(str(pattern)), outcomes)
        for pattern in (patterns if isinstance(patterns, list) else [patterns])
    ]


def outcomes_in(message: str) -> frozenset[str]:
    """The outcomes (`failed`, `waiting`, `succeeded`, ...) of the status values
    `message` writes that the tables know; empty when it writes none."""
    found: set[str] = set()
    for written in written_values():
        match = written.pattern.search(message)
        if match is None:
            continue
        groups = match.groupdict()
        value, name = groups.get("value"), groups.get("name")
        outcome = (value is not None and written.outcomes.get(value)) or (
            name is not None and written.outcomes.get(name.lower())
        )
        if outcome:
            found.add(outcome)
    return frozenset(found)
