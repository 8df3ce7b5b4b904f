"""A bounded memory of results per key.

Logs repeat themselves: the same messages run after run, the same date on
thousands of records. Where reading one costs more than a dictionary look-up
(a regular expression, a date parse), the result is remembered per text. The
memory holds at most `size` results and is emptied when full, so it stays
small whatever the input.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from smslogdoc.model import Event, Severity

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class Memo(Generic[Key, Value]):
    """Results of one function, remembered per key (at most `size` of them)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._known: dict[Key, Value] = {}

    def __len__(self) -> int:
        return len(self._known)

    def get(self, key: Key, compute: Callable[[Key], Value]) -> Value:
        """The remembered result for `key`, else `compute(key)`, remembered. What
        `compute` raises is not remembered."""
        known = self._known
        if key in known:
            return known[key]
        value = compute(key)
        if len(known) >= self.size:
            known.clear()
        known[key] = value
        return value


SEEN_RECORDS = 4096
"""Records (text, severity, component) whose matches a log remembers."""


class SeenRecords(Generic[Value]):
    """What matched the records a log wrote before, by their text, severity
    and component, where nothing else of a record decides it (`plain`: no
    matcher reads its thread or an INI file's fields). At most `SEEN_RECORDS`
    of them, forgotten all at once when full."""

    def __init__(self, plain: bool) -> None:
        self.plain = plain
        self._known: dict[tuple[str, Severity, str], Value] = {}

    def get(self, event: Event) -> Value | None:
        if not self.plain:
            return None
        return self._known.get((event.message, event.severity, event.component))

    def put(self, event: Event, found: Value) -> None:
        if self.plain:
            if len(self._known) >= SEEN_RECORDS:
                self._known.clear()
            self._known[(event.message, event.severity, event.component)] = found
