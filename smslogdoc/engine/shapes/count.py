"""`count: a` with `min: N`: the event occurs at least N times in the group
(within `within`; `distinct: field` counts distinct captured values)."""

from __future__ import annotations

from smslogdoc.engine.state import Group, Hit, Key, Progress, fits


def advance(progress: Progress, key: Key, group: Group, hits: dict[int, Hit]) -> None:
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
