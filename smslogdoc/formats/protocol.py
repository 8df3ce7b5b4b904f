"""What every log format provides (`Format`): its name, how it recognises its
own text (`detect`, given a `Sample` of a file), how its text becomes events,
and, for the formats large logs come in, how its records sit in the bytes
(`ByteLayout`), so that the sparse reader (`read.scan`) and the parser read one
description of the format, never two."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TextIO, TypeVar, cast

from smslogdoc.formats.context import ParseContext
from smslogdoc.model import Event

SAMPLE_LINES = 400
"""Lines of a sample the line-based formats look at."""

T = TypeVar("T")


class Sample:
    """The first part of a file's text, as the formats look at it to claim the file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._worked_out: dict[object, object] = {}

    @cached_property
    def lines(self) -> list[str]:
        """Its first SAMPLE_LINES lines (CR, LF and CRLF each end one)."""
        return re.split(r"\r\n|\r|\n", self.text)[:SAMPLE_LINES]

    def once(self, work: Callable[[Sample], T]) -> T:
        """`work(self)`, worked out once however many formats ask (copied rows)."""
        if work not in self._worked_out:
            self._worked_out[work] = work(self)
        return cast(T, self._worked_out[work])


@dataclass(frozen=True)
class Detected:
    """The format of a file and what else its sample told."""

    format: str
    day_first: bool | None = None
    """For copied rows: the date order the sample showed, if it showed one."""
    damage: tuple[str, ...] = ()
    """For CMTrace: what a web page did to the paste (`formats.damage`), to be repaired."""


class ByteLayout(Protocol):
    """How records sit in the bytes of one format (for scanning large logs)."""

    def cut(self, data: bytes) -> int:
        """Where the last record that may be incomplete starts (0: none found)."""
        ...

    def threads(self, block: bytes, final: bool) -> list[bytes] | None:
        """The thread attribute of each record of a block of whole records, in
        order (as many as it holds records); None when the block is not regular."""
        ...

    def start(self, block: bytes, pos: int) -> int:
        """Where the record holding `pos` starts."""
        ...

    def end(self, block: bytes, pos: int) -> int:
        """Where the first record starting at or after `pos` starts (the block's end if none)."""
        ...

    def thread(self, block: bytes, start: int, end: int) -> int | None:
        """The thread id of the record in block[start:end], as the parser reads it."""
        ...

    def count(self, data: bytes, start: int = 0, end: int | None = None) -> int:
        """The records in bytes of whole regular records (those in data[start:end])."""
        ...

    def parse(self, text: str, first_line: int) -> Iterator[Event]:
        """The events of a stretch of whole records."""
        ...

    def stretches(self, text: str, spans: list[tuple[int, int, int]]) -> Iterator[Event]:
        """`parse` of each stretch of `text` (start, end, first line), in order."""
        ...


@dataclass(frozen=True)
class Format:
    """One log format."""

    name: str
    """As events and reports name it (`cmtrace`, `smstrace` ...)."""
    events: Callable[[TextIO, ParseContext, int], Iterator[Event]]
    """The events of a text stream whose first line is the given number."""
    detect: Callable[[Sample], Detected | None]
    """Whether a file's sample is in this format (None: it is not). The formats
    are asked in the registry's order; the first to claim a file reads it."""
    layout: Callable[[ParseContext], ByteLayout] | None = None
    """Its byte layout, for formats whose large logs may be scanned."""
    error_literals: tuple[bytes, ...] = ()
    """With a layout: lower-case bytes every error and warning record holds, so a
    scan always reads those records (for the unexplained-errors summary, and
    for the rules whose events only such records can match)."""
    threads_of_runs: bool = False
    """With a layout: whether its threads can be noted for logs whose runs own
    threads (a scan of such a log needs them; see `read.scan`)."""
    writes_severity: bool = True
    """Whether its records say their own severity (CMTrace's type); where they
    do not (SMS trace, copied rows, plain text), it is inferred from the words
    (`formats.severity`), so finding nothing in them is no all-clear."""
