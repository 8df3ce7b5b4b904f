"""Walking a report document generically: every string of it is read for
names and replaced, whatever key holds it, so that no field can be left out.
Kept as written: the values of keys that hold the tool's own vocabulary
(`SKIP_KEYS`: rule ids, severities, times, decoded codes ...), and the rule's
own text (`title`, `references`) of a finding of a bundled rule. A finding's
diagnosis, cause, fix and next logs are its rule's texts filled with values
from the log, so they are read and replaced like log text."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

SKIP_KEYS = frozenset(
    ("rule", "severity", "confidence", "status", "event", "format", "encoding", "codes", "time", "version")
)
"""Keys of a diagnose or fleet document whose values are the tool's own vocabulary, never log text."""
RULE_TEXT_KEYS = frozenset(("title", "references"))
"""Keys of a finding that hold the rule's own text as written, never filled
with values (left alone for bundled rules)."""


def strings(value: Any, trusted: frozenset[str], key: str = "") -> Iterator[str]:
    """Every string of `value` that may hold a name, in document order."""
    if isinstance(value, str):
        if key not in SKIP_KEYS:
            yield value
    elif isinstance(value, Mapping):
        keep_rule_text = is_trusted(value, trusted)
        for name, item in value.items():
            if not _kept(name, keep_rule_text):
                yield from strings(item, trusted, name)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item, trusted, key)


def copy(value: Any, trusted: frozenset[str], replace: Callable[[str], str], key: str = "") -> Any:
    """A copy of `value` with `replace` applied to every string `strings` yields."""
    if isinstance(value, str):
        return value if key in SKIP_KEYS else replace(value)
    if isinstance(value, Mapping):
        keep_rule_text = is_trusted(value, trusted)
        return {
            name: item if _kept(name, keep_rule_text) else copy(item, trusted, replace, name)
            for name, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [copy(item, trusted, replace, key) for item in value]
    return value


def _kept(name: str, keep_rule_text: bool) -> bool:
    return name in SKIP_KEYS or (keep_rule_text and name in RULE_TEXT_KEYS)


def is_trusted(finding: Mapping[str, Any], trusted: frozenset[str]) -> bool:
    """A finding of a bundled rule: `"bundled": true`, or its rule id trusted
    (when the document does not say)."""
    if "rule" not in finding or "evidence" not in finding:
        return False
    bundled = finding.get("bundled")
    if isinstance(bundled, bool):
        return bundled
    return finding.get("rule") in trusted
