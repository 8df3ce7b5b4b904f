"""Condition shapes: how the records a rule names must relate for its condition
to hold. Each shape is one module with one function, `advance`, that takes the
hits of one record in one group and moves that group's state on (calling
`Progress.complete` when a match is whole). Modifiers that every shape shares
(`by`, `within`, `unless`, `requires`, `absent`, `supported_by`) are applied by
`engine.condition`; a new shape is a new module here, its name in `SHAPES`, and
its checks in `rules.schema`."""

from __future__ import annotations

from collections.abc import Callable

from smslogdoc.engine.shapes import all_of, any_of, count, sequence
from smslogdoc.engine.state import Group, Hit, Key, Progress

Advance = Callable[[Progress, Key, Group, dict[int, Hit]], None]

SHAPES: dict[str, Advance] = {
    "any": any_of.advance,
    "all": all_of.advance,
    "sequence": sequence.advance,
    "count": count.advance,
}
"""Each shape's name in a rule's `condition`, and the function that advances it."""
