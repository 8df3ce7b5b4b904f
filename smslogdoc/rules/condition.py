"""The condition language: how a rule's named events must relate (`Condition`),
the shapes a condition takes (`SHAPES`: their names, and what the rule checker
asks of each), and the checking of a rule's `condition:`.

A new shape is a `Shape` here and its `advance` in `engine.shapes` (the engine
maps each name to its function; a test checks both list the same names)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from smslogdoc.rules import yamlnodes
from smslogdoc.rules.checker import Checker, one_of
from smslogdoc.rules.suggest import did_you_mean
from smslogdoc.rules.templates import parse_duration

BUILTIN_GROUPS = ("run", "thread", "log", "folder")
ADJACENT_LINES = 64
"""An `adjacent` step must start within this many lines of the step before it."""


@dataclass(frozen=True)
class Shape:
    """One shape of condition, as the rule language declares it."""

    name: str
    lists: bool = False
    """Whether a step may be a list of alternative events (`[a, [b, c]]`)."""
    alternatives: bool = False
    """Whether all its events are alternatives of one step (`any`)."""
    min_steps: int = 1
    keys: tuple[str, ...] = ()
    """Keys only this shape takes."""


SHAPES: dict[str, Shape] = {
    shape.name: shape
    for shape in (
        Shape("any", alternatives=True),
        Shape("all", lists=True),
        Shape("sequence", lists=True, min_steps=2, keys=("adjacent",)),
        Shape("count", keys=("min", "distinct")),
    )
}
"""Each shape's name in a rule's `condition`."""
MODIFIERS = ("by", "within", "absent", "unless", "requires", "supported_by", "context")
"""The keys every shape takes."""
CONDITION_KEYS = (*SHAPES, *(key for shape in SHAPES.values() for key in shape.keys), *MODIFIERS)
_NUMBERS = ("no", "one", "two", "three", "four")


@dataclass(frozen=True)
class Condition:
    """How a rule's named events must relate, within one group of events."""

    shape: str
    """A name in `SHAPES`."""
    steps: tuple[tuple[str, ...], ...]
    """The events, each step a tuple of alternative matcher names."""
    by: tuple[str, ...] = ("log",)
    within: float | None = None
    absent: tuple[str, ...] = ()
    """Must not occur in the group (in the window): decided when the group ends."""
    unless: tuple[str, ...] = ()
    """Must not have occurred in the group before the match completes."""
    requires: tuple[str, ...] = ()
    """Must have occurred in the group before the match completes (cited as evidence)."""
    supported_by: tuple[str, ...] = ()
    """Optional; found in the group (near the match), cited and raising the confidence."""
    context: tuple[str, ...] = ()
    """Optional; found in the group (near the match), cited without changing the confidence."""
    adjacent: bool = False
    minimum: int = 1
    distinct: str | None = None

    @cached_property
    def names(self) -> frozenset[str]:
        """Every matcher name the condition uses."""
        used = {name for step in self.steps for name in step}
        return frozenset(
            used
            | set(self.absent)
            | set(self.unless)
            | set(self.requires)
            | set(self.supported_by)
            | set(self.context)
        )

    @cached_property
    def routes(self) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
        """For each named event: the side lists it goes to (places in absent,
        unless, requires, supported_by, context) and the steps it can fill."""
        sides = (self.absent, self.unless, self.requires, self.supported_by, self.context)
        return {
            name: (
                tuple(place for place, names in enumerate(sides) if name in names),
                tuple(index for index, step in enumerate(self.steps) if name in step),
            )
            for name in self.names
        }


def parse_conditions(
    checker: Checker, raw: object, events: Mapping[str, frozenset[str]]
) -> tuple[Condition, ...]:
    """The conditions of a rule (`condition:`, one or a list of alternatives);
    `events` gives each defined event's captured fields."""
    if raw is None:
        checker.error(("condition",), f"expected an event name or a mapping with {one_of(list(SHAPES))}")
        return ()
    alternatives = raw if isinstance(raw, list) else [raw]
    conditions = []
    for index, spec in enumerate(alternatives):
        path: yamlnodes.Path = ("condition", index) if isinstance(raw, list) else ("condition",)
        condition = _condition(checker, path, spec, events)
        if condition is not None:
            conditions.append(condition)
    return tuple(conditions)


def names(
    checker: Checker, path: yamlnodes.Path, raw: object, events: Mapping[str, object], *, steps: bool
) -> tuple[tuple[str, ...], ...]:
    """Event names (with `steps`, each item may be a list of alternatives), each checked to be defined."""
    items = raw if isinstance(raw, list) else [raw]
    result: list[tuple[str, ...]] = []
    for index, item in enumerate(items):
        options = item if (steps and isinstance(item, list)) else [item]
        found = []
        for option in options:
            if not isinstance(option, str):
                checker.error((*path, index), "expected an event name")
            elif option not in events:
                known = ", ".join(events) or "none"
                checker.error(
                    (*path, index),
                    f"undefined event {option!r}; events defined: {known}{did_you_mean(option, events)}",
                )
            else:
                found.append(option)
        if found:
            result.append(tuple(found))
    return tuple(result)


def _spec(
    checker: Checker, path: yamlnodes.Path, spec: object, events: Mapping[str, frozenset[str]]
) -> tuple[Shape, dict[str, object]] | None:
    """The shape and keys of one condition, or None (an error said why)."""
    if isinstance(spec, str):  # the short form: one event name
        if spec not in events:
            checker.error(
                path,
                f"undefined event {spec!r}; events defined: {', '.join(events) or 'none'}{did_you_mean(spec, events)}",
            )
            return None
        spec = {"any": [spec]}
    if not isinstance(spec, dict):
        checker.error(path, f"expected an event name or a mapping with {one_of(list(SHAPES))}")
        return None
    for key in spec:
        if key not in CONDITION_KEYS:
            checker.error(
                (*path, key),
                f"unknown key; expected one of {', '.join(CONDITION_KEYS)}{did_you_mean(key, CONDITION_KEYS)}",
            )
    shapes = [shape for name, shape in SHAPES.items() if name in spec]
    if len(shapes) != 1:
        checker.error(
            path, f"say exactly one of {one_of(list(SHAPES))} (absence alone has no evidence to cite)"
        )
        return None
    return shapes[0], spec


def _condition(
    checker: Checker, path: yamlnodes.Path, raw: object, events: Mapping[str, frozenset[str]]
) -> Condition | None:
    found = _spec(checker, path, raw, events)
    if found is None:
        return None
    shape, spec = found
    steps = names(checker, (*path, shape.name), spec[shape.name], events, steps=shape.lists)
    if shape.alternatives:
        steps = (tuple(name for step in steps for name in step),)
    listed = spec[shape.name]
    if shape.min_steps > 1 and (not isinstance(listed, list) or len(listed) < shape.min_steps):
        checker.error((*path, shape.name), f"a {shape.name} needs at least {_NUMBERS[shape.min_steps]} steps")
    within = None
    if "within" in spec:
        try:
            within = parse_duration(spec["within"])
        except ValueError as error:
            checker.error((*path, "within"), str(error))
    positive = {name for step in steps for name in step}
    by = _by(checker, path, spec, positive, events)
    _foreign_keys(checker, path, shape, spec)
    minimum, distinct = _count(checker, path, spec, positive, events)
    return Condition(
        shape=shape.name,
        steps=steps,
        by=by,
        within=within,
        absent=_flat(checker, path, "absent", spec, events),
        unless=_flat(checker, path, "unless", spec, events),
        requires=_flat(checker, path, "requires", spec, events),
        supported_by=_flat(checker, path, "supported_by", spec, events),
        context=_flat(checker, path, "context", spec, events),
        adjacent=_adjacent(checker, path, spec, by),
        minimum=minimum,
        distinct=distinct,
    )


def _by(
    checker: Checker,
    path: yamlnodes.Path,
    spec: Mapping[str, object],
    positive: set[str],
    events: Mapping[str, frozenset[str]],
) -> tuple[str, ...]:
    by = checker.strings(spec, "by", path) or ("log",)
    for key in by:
        if key not in BUILTIN_GROUPS:
            lacking = sorted(name for name in positive if key not in events[name])
            if lacking:
                checker.error(
                    (*path, "by"),
                    f"{key!r} is not run, thread, log or folder, and event(s) {', '.join(lacking)} capture no field of that name",
                )
    return by


def _foreign_keys(checker: Checker, path: yamlnodes.Path, shape: Shape, spec: Mapping[str, object]) -> None:
    """Keys that belong to another shape than this condition's."""
    for other in SHAPES.values():
        used = [key for key in other.keys if key in spec and spec[key] is not False]
        if other is not shape and used:
            verb = "belong" if len(other.keys) > 1 else "belongs"
            checker.error((*path, used[0]), f"{' and '.join(other.keys)} {verb} to {other.name}")


def _count(
    checker: Checker,
    path: yamlnodes.Path,
    spec: Mapping[str, object],
    positive: set[str],
    events: Mapping[str, frozenset[str]],
) -> tuple[int, str | None]:
    """`min` and `distinct` (of a count)."""
    minimum = spec.get("min", 1)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        checker.error((*path, "min"), "expected a whole number of at least 1")
        minimum = 1
    distinct = spec.get("distinct")
    if distinct is not None and (
        not isinstance(distinct, str) or any(distinct not in events[name] for name in positive)
    ):
        checker.error((*path, "distinct"), "expected the name of a field every counted event captures")
        distinct = None
    return minimum, distinct


def _adjacent(
    checker: Checker, path: yamlnodes.Path, spec: Mapping[str, object], by: tuple[str, ...]
) -> bool:
    """`adjacent` (of a sequence)."""
    adjacent = spec.get("adjacent", False)
    if adjacent and any(key not in BUILTIN_GROUPS for key in by):
        checker.error((*path, "adjacent"), "an adjacent sequence groups by run, thread, log or folder only")
    if not isinstance(adjacent, bool):
        checker.error((*path, "adjacent"), "expected true or false")
        adjacent = False
    return bool(adjacent)


def _flat(
    checker: Checker,
    path: yamlnodes.Path,
    key: str,
    spec: Mapping[str, object],
    events: Mapping[str, object],
) -> tuple[str, ...]:
    return tuple(
        name for step in names(checker, (*path, key), spec.get(key, []), events, steps=False) for name in step
    )
