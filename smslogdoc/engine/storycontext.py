"""What a folder says beyond a story's own records: the findings a story may
cite (`Cited`, indexed by the records they cite and by rule), how far the
folder's logs go in time, which logs it holds, the stories told before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from smslogdoc.stories import Mark, Story


@dataclass(frozen=True)
class Cited:
    """A finding a story may cite: its rule and its evidence records."""

    rule: str
    evidence: tuple[Mark, ...]


@dataclass(frozen=True)
class Context:
    """What the folder says beyond the story's own records."""

    folder: str
    last: float | None
    """The latest instant of any record in the folder."""
    logs: frozenset[str]
    """The names of the folder's logs, lower case."""
    mixed_zones: bool
    """Some records carry a time zone and some do not."""
    cited: Sequence[Cited] = ()
    told: Sequence[Story] = ()
    """The folder's stories of the workflows told before this one (a step's children may be among them)."""

    @cached_property
    def citing(self) -> dict[tuple[str, int], list[int]]:
        """The findings (places in `cited`) that cite each record (path, line):
        a story looks up its own records rather than reading every finding of
        the folder (thousands of logs, thousands of findings)."""
        index: dict[tuple[str, int], list[int]] = {}
        for position, finding in enumerate(self.cited):
            for mark in finding.evidence:
                places = index.setdefault((mark.path, mark.line), [])
                if not places or places[-1] != position:
                    places.append(position)
        return index

    @cached_property
    def of_rule(self) -> dict[tuple[str, str], list[int]]:
        """The findings (places in `cited`) of each rule with evidence in each
        log (rule, path): a story asks for those in its own logs only, not
        for every finding of the rule in a folder of thousands of logs."""
        index: dict[tuple[str, str], list[int]] = {}
        for position, finding in enumerate(self.cited):
            for path in dict.fromkeys(mark.path for mark in finding.evidence):
                index.setdefault((finding.rule, path), []).append(position)
        return index
