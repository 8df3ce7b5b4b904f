"""What the first pass of a scan keeps, compactly (a large file has many):
the stretches of the file to read (`Spans`) and the thread notes between them
(`Notes`); both give up (`Irregular`) past a bound, so memory stays bounded."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from smslogdoc.model import ThreadNote

MAX_SPANS = 1 << 19
"""Past this many stretches to read, the file is read in full (hits are dense):
the scan's memory stays bounded whatever the file's size."""
MAX_NOTED = 1 << 20
"""Likewise for the threads noted between runs."""


class Irregular(Exception):
    """The file cannot be scanned: read it in full."""


@dataclass
class Spans:
    """Stretches of the file to read, (start, end, line of start), kept sorted
    and merged where they touch; compact, as a large file has many."""

    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    lines: array[int] = field(default_factory=lambda: array("q"))

    def __len__(self) -> int:
        return len(self.starts)

    def add(self, start: int, end: int, line: int) -> None:
        if end <= start:
            return
        starts, ends, lines = self.starts, self.ends, self.lines
        at = (
            len(starts) if not starts or start >= starts[-1] else bisect_right(starts, start)
        )  # nearly always the end
        if at and start <= ends[at - 1]:  # it touches the one before: grow that one
            at -= 1
            ends[at] = max(ends[at], end)
        else:
            if len(starts) >= MAX_SPANS:
                raise Irregular  # hits are dense: reading everything costs no more
            starts.insert(at, start)
            ends.insert(at, end)
            lines.insert(at, line)
        while at + 1 < len(starts) and starts[at + 1] <= ends[at]:  # and swallows those after it
            ends[at] = max(ends[at], ends[at + 1])
            del starts[at + 1], ends[at + 1], lines[at + 1]

    def __iter__(self) -> Iterator[tuple[int, int, int]]:
        return zip(self.starts, self.ends, self.lines, strict=True)

    def split(self, count: int) -> list[tuple[int, int, int]]:
        """Take out the first `count` spans."""
        taken = list(zip(self.starts[:count], self.ends[:count], self.lines[:count], strict=True))
        del self.starts[:count], self.ends[:count], self.lines[:count]
        return taken


@dataclass
class Notes:
    """Thread notes, compact: for each, its offset and its threads."""

    offsets: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    """Where each note's threads end in `threads`."""
    threads: array[int] = field(default_factory=lambda: array("q"))

    def add(self, offset: int, threads: Iterable[int]) -> None:
        self.threads.extend(threads)
        if len(self.threads) > MAX_NOTED:
            raise Irregular
        self.offsets.append(offset)
        self.ends.append(len(self.threads))

    def split(self, upto: int) -> list[tuple[int, ThreadNote]]:
        """Take out the notes at offsets up to `upto`."""
        count = bisect_right(self.offsets, upto)
        taken, begin = [], 0
        for offset, end in zip(self.offsets[:count], self.ends[:count], strict=True):
            taken.append((offset, ThreadNote(frozenset(self.threads[begin:end]))))
            begin = end
        del self.offsets[:count], self.ends[:count], self.threads[:begin]
        for index in range(len(self.ends)):
            self.ends[index] -= begin
        return taken
