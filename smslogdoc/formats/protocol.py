"""What every log format provides (`Format`): its name, how its text becomes
events, and, for the formats large logs come in, how its records sit in the
bytes (`ByteLayout`), so that the sparse reader (`read.scan`) and the parser
read one description of the format, never two."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, TextIO

from smslogdoc.formats.context import ParseContext
from smslogdoc.model import Event


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


@dataclass(frozen=True)
class Format:
    """One log format."""

    name: str
    """As `inputs.detect` names it and reports show it (`cmtrace`, `smstrace` ...)."""
    events: Callable[[TextIO, ParseContext, int], Iterator[Event]]
    """The events of a text stream whose first line is the given number."""
    layout: Callable[[ParseContext], ByteLayout] | None = None
    """Its byte layout, for formats whose large logs may be scanned."""
