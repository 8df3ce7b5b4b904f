"""`all: [a, b]`: each of the events occurs in the group, in any order (within `within`)."""

from __future__ import annotations

from smslogdoc.engine.state import Group, Hit, Key, Progress, fits


def advance(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    condition = progress.condition
    for index, hit in hits.items():
        # Without a window the first of each part is the best evidence;
        # with one, the latest is the one most likely to fit it.
        if condition.within is not None or index not in group.latest:
            group.latest[index] = hit
    if len(group.latest) == len(condition.steps):
        found = sorted(group.latest.values(), key=lambda h: h.seq)
        if fits(found[0], found[-1], condition.within) and progress.complete(key, group, found):
            group.latest.clear()
