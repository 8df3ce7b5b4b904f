"""`sequence: [a, b, c]`: the events occur in this order in the group; with
`adjacent`, each step is the very next record of the group after the one
before, within `ADJACENT_LINES`."""

from __future__ import annotations

from smslogdoc.engine.state import Group, Hit, Key, Progress, fits
from smslogdoc.rules.model import ADJACENT_LINES


def advance(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    condition = progress.condition
    steps = len(condition.steps)
    advanced: dict[int, list[Hit]] = {}
    for index in sorted(hits, reverse=True):  # one event never fills two steps
        hit = hits[index]
        if index == 0:
            advanced[1] = [hit]
        else:
            partial = group.partials.get(index)
            if (
                partial is not None
                and fits(partial[0], hit, condition.within)
                and _near(progress, partial[-1], hit)
            ):
                advanced[index + 1] = [*partial, hit]
    if condition.adjacent:
        group.partials = advanced
        if advanced:
            progress.open.add(key)
        else:
            progress.open.discard(key)
    else:
        group.partials.update(advanced)
    done = group.partials.pop(steps, None)
    if done is not None:
        progress.complete(key, group, done)


def _near(progress: Progress, previous: Hit, hit: Hit) -> bool:
    """Whether `hit` may follow `previous` (always, unless the steps must be adjacent)."""
    return not progress.condition.adjacent or hit.event.line - previous.event.end_line <= ADJACENT_LINES
