"""Condition shapes: how the records a rule names must relate for its condition
to hold. Each shape is one function that takes the hits of one record in one
group and moves that group's state on (calling `Progress.complete` when a match
is whole); `ADVANCE` maps each name the rule language declares
(`rules.condition.SHAPES`) to its function. Modifiers that every shape shares
(`by`, `within`, `unless`, `requires`, `absent`, `supported_by`) are applied by
`engine.condition`."""

from __future__ import annotations

from collections.abc import Callable

from smslogdoc.engine.state import Group, Hit, Key, Progress, fits
from smslogdoc.rules.condition import ADJACENT_LINES

Advance = Callable[[Progress, Key, Group, dict[int, Hit]], None]


def any_of(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    """`any: [a, b]` (or a bare event name): the first record matching any of the events is a match."""
    if hits:
        progress.complete(key, group, [next(iter(hits.values()))])


def all_of(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    """`all: [a, b]`: each of the events occurs in the group, in any order (within `within`)."""
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


def sequence(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    """`sequence: [a, b, c]`: the events occur in this order in the group; with
    `adjacent`, each step is the very next record of the group after the one
    before, within `ADJACENT_LINES`."""
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


def count(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
    """`count: a` with `min: N`: the event occurs at least N times in the group
    (within `within`; `distinct: field` counts distinct captured values)."""
    condition = progress.condition
    hit = hits[0]
    if group.candidates and not condition.absent:
        return  # one match per group is enough to report
    group.counted.append(hit)
    if condition.within is not None and hit.event.time is not None:
        while group.counted and not fits(group.counted[0], hit, condition.within):
            group.counted.popleft()
    if condition.distinct is not None:
        seen: dict[str, Hit] = {}
        for counted in group.counted:
            seen.setdefault(counted.captures.get(condition.distinct, "").lower(), counted)
        value = len(seen)
        evidence = list(seen.values())
    else:
        value = len(group.counted)
        evidence = list(group.counted)
    if value >= condition.minimum:
        progress.complete(key, group, evidence)
    elif condition.within is None and condition.distinct is None and len(group.counted) > condition.minimum:
        group.counted.popleft()


ADVANCE: dict[str, Advance] = {"any": any_of, "all": all_of, "sequence": sequence, "count": count}
"""The function that advances each shape, by its name in `rules.condition.SHAPES`."""
