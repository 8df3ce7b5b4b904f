"""`any: [a, b]` (or a bare event name): the first record matching any of the events is a match."""

from __future__ import annotations

from smslogdoc.engine.state import Group, Hit, Key, Progress


def advance(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    if hits:
        progress.complete(key, group, [next(iter(hits.values()))])
