"""Walking a report document generically: every string of it is read for
names and replaced, whatever key holds it, so that no field can be left out.
Kept as written: the values of keys that hold the tool's own vocabulary
(`SKIP_KEYS`: rule ids, severities, times, decoded codes ...), and the rule's
own text (`title`, `references`) of a finding of a bundled rule. Such a
finding's diagnosis, cause, fix and next logs (`RENDERED_KEYS`) are its rule's
words filled with values the finding holds (its captures, its log, its
group): only what touches those values is read for names there, and only
names met are replaced in them (`known`), so that the rule's own words are
never taken for names. A user rule's texts are read like log text."""

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
RENDERED_KEYS = frozenset(("diagnosis", "cause", "fix", "next_logs"))
"""Keys of a finding that hold the rule's texts filled with values."""


def strings(
    value: Any, trusted: frozenset[str], key: str = ""
) -> Iterator[tuple[str, tuple[str, ...] | None]]:
    """Every string of `value` that may hold a name, in document order, each
    with None, or (a bundled rule's text filled with values) with the values
    its finding holds: only what touches them is a name there."""
    if isinstance(value, str):
        if key not in SKIP_KEYS:
            yield value, None
    elif isinstance(value, Mapping):
        bundled = is_trusted(value, trusted)
        filled = _values(value) if bundled else None
        for name, item in value.items():
            if _kept(name, bundled):
                continue
            if filled is not None and name in RENDERED_KEYS:
                for text, _ in strings(item, trusted, name):
                    yield text, filled
            else:
                yield from strings(item, trusted, name)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item, trusted, key)


def _values(finding: Mapping[str, Any]) -> tuple[str, ...]:
    """What a finding's texts may have been filled with: its captures, its
    log's name, its group."""
    captures = finding.get("captures")
    found = [str(item) for item in captures.values()] if isinstance(captures, Mapping) else []
    log = str(finding.get("log") or "")
    found += [log, log.replace("\\", "/").rsplit("/", 1)[-1], str(finding.get("group") or "")]
    return tuple(item for item in found if item)


def copy(
    value: Any,
    trusted: frozenset[str],
    replace: Callable[[str], str],
    known: Callable[[str], str],
    key: str = "",
) -> Any:
    """A copy of `value` with `replace` applied to every string `strings`
    yields, and `known` to a bundled rule's texts filled with values."""
    if isinstance(value, str):
        return value if key in SKIP_KEYS else replace(value)
    if isinstance(value, Mapping):
        bundled = is_trusted(value, trusted)
        return {
            name: item
            if _kept(name, bundled)
            else copy(item, trusted, known if bundled and name in RENDERED_KEYS else replace, known, name)
            for name, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [copy(item, trusted, replace, known, key) for item in value]
    return value


def _kept(name: str, bundled: bool) -> bool:
    return name in SKIP_KEYS or (bundled and name in RULE_TEXT_KEYS)


def is_trusted(finding: Mapping[str, Any], trusted: frozenset[str]) -> bool:
    """A finding of a bundled rule: `"bundled": true`, or its rule id trusted
    (when the document does not say)."""
    if "rule" not in finding or "evidence" not in finding:
        return False
    bundled = finding.get("bundled")
    if isinstance(bundled, bool):
        return bundled
    return finding.get("rule") in trusted
