"""The first pass of a scan: a large file read in blocks of whole records, each
checked to be regular (the format's `ByteLayout`), lowered and searched with
the plan's automata; hits become byte spans for the second pass to parse,
and the threads of skipped records become notes. The pass goes a segment of
blocks at a time and hands on what nothing later can change (`Handover`), so
memory stays bounded. See `read.scan`."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.protocol import ByteLayout
from smslogdoc.formats.registry import FORMATS
from smslogdoc.model import FileReport, ThreadNote
from smslogdoc.read.plan import Plan, Reach
from smslogdoc.read.spans import Irregular, Notes, Spans

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a declared dependency; without it logs are read in full
    ahocorasick_rs = None  # type: ignore[assignment]


TAIL_BYTES = 64 << 10
"""The end of the file is always read (the time the log ends decides open runs)."""
CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "smslogdoc_cp1252": "smslogdoc_cp1252"}
"""Encodings whose bytes lower-case as their text does, and how to decode a stretch."""
_LOWERS_TO_ASCII = (b"\xc4\xb0", b"\xe2\x84\xaa")
"""UTF-8 of the only characters whose `str.lower` is ASCII: U+0130 and the Kelvin sign."""
_LONE_CR = re.compile(rb"\r(?!\n)")


@dataclass
class _Block:
    """A block of whole records and where it sits in the file."""

    data: bytes
    offset: int
    line: int


@dataclass
class _Reach:
    """Records still to read after an anchor: every record up to line `last`, or
    with a `thread`, the first record of that thread (the anchor's group is
    within its thread, so that record is the only one that can follow it)."""

    last: int
    thread: int | None


@dataclass(frozen=True)
class Cut:
    """Where what has been handed on ends: the offset and line of the first
    record not handed on yet, and how many records came before it."""

    offset: int
    line: int
    records: int


class Scanner:
    """The first pass over one file, a segment of blocks at a time: the spans
    and notes of a segment are handed on before the next is scanned, so memory
    does not grow with the file."""

    def __init__(
        self,
        layout: ByteLayout,
        plan: Plan,
        codec: str,
        block_size: int,
        raw: BinaryIO,
        start: int,
        size: int,
    ) -> None:
        self.layout = layout
        self.plan = plan
        self.codec = codec
        self.block_size = block_size
        self.raw = raw
        self.size = size
        self.start = start
        """Where the text of the file starts (after a byte-order mark)."""
        self.spans = Spans()
        self.notes = Notes()
        """(offset, threads) when the log's runs own threads: the threads of the stretch before the offset."""
        self.noted: set[bytes] = set()
        """Threads noted since the last record that may start a run (a stretch may span blocks)."""
        self.reaches: list[_Reach] = []
        """Reaches of anchors that go on past the block they were found in."""
        self.previous: _Block | None = None
        """The last block scanned (the next one's reaches may go back into it)."""
        self.records = 0
        self.read_at, self.offset, self.line = start, start, 1
        """Where pass 1 reads next; where the next block starts, and its line."""
        self.carry = b""
        self.done = False
        self.cut = Cut(start, 1, 0)

    def segment(self, blocks: int) -> None:
        """Scan up to `blocks` more blocks (the rest, if the file ends first)."""
        raw = self.raw
        while blocks > 0:
            raw.seek(self.read_at)
            data = raw.read(self.block_size)
            self.read_at += len(data)
            buf = self.carry + data if self.carry else data
            final = self.read_at >= self.size or not data
            if final:
                block, self.carry = buf, b""
            else:
                cut = self.layout.cut(buf)
                if cut <= 0:
                    if len(buf) > self.block_size:
                        raise Irregular  # one record longer than a block
                    self.carry = buf
                    continue
                block, self.carry = buf[:cut], buf[cut:]
            current = _Block(block, self.offset, self.line)
            if block:
                self.block(current, final)
                self.offset += len(block)
                self.line += block.count(b"\n")
            if final:
                self.tail(current if block else self.previous, self.offset)
                self.done = True
                return
            self.previous = current
            blocks -= 1

    def handover(self) -> tuple[list[tuple[int, int, int]], list[tuple[int, ThreadNote]]]:
        """The spans and notes nothing scanned later can change: all at the end
        of the file, else those before the last block scanned."""
        last = self.previous
        if self.done or last is None:
            spans, notes = self.spans.split(len(self.spans)), self.notes.split(1 << 62)
            self.cut = Cut(self.offset, self.line, self.records)
            return spans, notes
        spans = self.spans.split(bisect_right(self.spans.starts, last.offset - 1))
        if spans and spans[-1][1] > last.offset:  # it runs on into the last block: split it there
            start, end, line = spans[-1]
            spans[-1] = (start, last.offset, line)
            self.spans.add(last.offset, end, last.line)
        self.cut = Cut(last.offset, last.line, self.records - self.layout.count(last.data))
        return spans, self.notes.split(last.offset)

    def check(self, data: bytes, final: bool) -> list[bytes]:
        """The thread attribute of each record of a block, or Irregular."""
        if b"\x00" in data:
            raise Irregular
        if not data.isascii() and self.codec == "utf-8":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise Irregular from None
            if any(marker in data for marker in _LOWERS_TO_ASCII):
                raise Irregular
        if _LONE_CR.search(data):
            raise Irregular  # a lone CR ends a line too: line numbers would need more care
        threads = self.layout.threads(data, final)
        if threads is None:
            raise Irregular
        return threads

    def block(self, block: _Block, final: bool) -> None:
        """Find the records of one block to read."""
        data = block.data
        threads = self.check(data, final)
        self.records += len(threads)
        layout, plan = self.layout, self.plan
        pending, self.reaches = self.reaches, []
        for going_on in pending:
            self._forward(block, 0, block.line, going_on)
        marks: dict[int, Reach | None] = {}
        lowered = data.lower()
        for reach, automaton in plan.automata:
            for _, at, _ in automaton.find_matches_as_indexes(lowered):
                record = layout.start(data, at)
                known = marks.get(record)
                marks[record] = reach if known is None else known if reach is None else known | reach
        counted, line = 0, block.line
        for record in sorted(marks):
            line += data.count(b"\n", counted, record)
            counted = record
            end = layout.end(data, record + 1)
            self.spans.add(block.offset + record, block.offset + end, line)
            reach = marks[record]
            if reach is not None:
                thread = layout.thread(data, record, end) if reach.own_thread else None
                if reach.before:
                    self._backward(block, record, line, line - reach.before, thread)
                if reach.after:
                    next_line = line + data.count(b"\n", record, end)
                    self._forward(block, end, next_line, _Reach(next_line - 1 + reach.after, thread))
        if plan.starts_automaton is not None:
            self._note_threads(block, lowered, threads, plan.starts_automaton)

    def _note_threads(
        self, block: _Block, lowered: bytes, threads: list[bytes], starts: ahocorasick_rs.BytesAhoCorasick
    ) -> None:
        """Note the threads of each stretch between records that may start a run,
        at its end. Within a stretch no run starts, so a thread's owner is the
        same wherever in the stretch it first appears. `threads` holds the
        thread attribute of each record of the block."""
        data, since, first = block.data, 0, 0
        for record in sorted(
            {self.layout.start(data, at) for _, at, _ in starts.find_matches_as_indexes(lowered)}
        ):
            last = first + self.layout.count(data, since, record)
            self._note(threads[first:last], block.offset + record)
            self.noted = set()
            since, first = record, last
        self._note(threads[first:], block.offset + len(data))

    def _note(self, threads: list[bytes], offset: int) -> None:
        found = {
            thread for thread in set(threads) - self.noted if thread.isdigit()
        }  # as `cmtrace.thread_id` reads them
        if found:
            self.noted |= found
            self.notes.add(offset, (int(thread) for thread in found))

    def _forward(self, block: _Block, pos: int, line: int, reach: _Reach) -> None:
        """Read the records from `pos` (on `line`) in `reach`; what goes on past
        the block is left in `self.reaches`."""
        data, layout = block.data, self.layout
        while pos < len(data) and line <= reach.last:
            end = layout.end(data, pos + 1)
            if reach.thread is None:
                self.spans.add(block.offset + pos, block.offset + end, line)
            elif layout.thread(data, pos, end) == reach.thread:
                self.spans.add(block.offset + pos, block.offset + end, line)
                return  # the next record of the group: the only one that can follow the anchor
            line += data.count(b"\n", pos, end)
            pos = end
        if pos >= len(data) and line <= reach.last:
            self.reaches.append(reach)

    def _backward(self, block: _Block, record: int, line: int, first: int, thread: int | None) -> None:
        """Read the records before the one at `record` (on `line`) that end on
        line `first` or later; with a `thread`, only the last of that thread."""
        data, base = block.data, block.offset
        if first <= block.line and self.previous is not None:
            data = self.previous.data + data
            base = self.previous.offset
            record += len(self.previous.data)
        layout, pos = self.layout, record
        while True:
            if pos <= 0:
                if base > self.start and line > first:
                    raise Irregular  # the reach goes back past two blocks: lines that long are not regular
                return
            start = layout.start(data, pos - 1)
            breaks = data.count(b"\n", start, pos)
            start_line = line - breaks
            if start_line + breaks - (data[pos - 1] == 10) < first:
                return
            if thread is None:
                self.spans.add(base + start, base + pos, start_line)
            elif layout.thread(data, start, pos) == thread:
                self.spans.add(base + start, base + pos, start_line)
                return  # the previous record of the group: the only one the anchor can follow
            pos, line = start, start_line

    def tail(self, last: _Block | None, end_offset: int) -> None:
        """Read the last records of the file (from the last two blocks)."""
        if last is None:
            return
        data, base, first_line = last.data, last.offset, last.line
        previous = self.previous
        if len(data) < TAIL_BYTES and previous is not None and previous is not last:
            data, base, first_line = previous.data + data, previous.offset, previous.line
        start = self.layout.end(data, max(0, len(data) - TAIL_BYTES))
        if start >= len(data):
            start = self.layout.start(data, len(data) - 1)
        self.spans.add(base + start, end_offset, first_line + data.count(b"\n", 0, start))


@dataclass(frozen=True)
class Handover:
    """What the first pass hands on: the spans and notes nothing scanned later
    can change, and where they end. `irregular`: the pass stopped at a block
    that is not regular, and the file is read in full from `cut` on."""

    spans: list[tuple[int, int, int]]
    notes: list[tuple[int, ThreadNote]]
    cut: Cut
    done: bool
    irregular: bool = False


@dataclass(frozen=True)
class Setup:
    """What a first pass needs to know of a file (picklable, for a helper process)."""

    path: Path
    plan: Plan
    format: str
    codec: str
    block_size: int
    start: int
    size: int
    blocks: int
    """Blocks scanned between handovers."""

    def scanner(self, raw: BinaryIO) -> Scanner:
        ctx = ParseContext(
            str(self.path), FileReport(str(self.path)), self.block_size * 2, None
        )  # the first pass parses nothing
        return Scanner(
            layout_of(self.format, ctx), self.plan, self.codec, self.block_size, raw, self.start, self.size
        )


def layout_of(format_name: str, ctx: ParseContext) -> ByteLayout:
    """The byte layout of a format that can be scanned."""
    layout = FORMATS[format_name].layout
    assert layout is not None, f"{format_name} cannot be scanned"
    return layout(ctx)


def passes(scanner: Scanner, blocks: int) -> Generator[Handover, None, None]:
    """The first pass, handed on every `blocks` blocks."""
    while not scanner.done:
        try:
            scanner.segment(blocks)
        except (Irregular, ValueError):
            yield Handover([], [], scanner.cut, done=False, irregular=True)
            return
        spans, notes = scanner.handover()
        yield Handover(spans, notes, scanner.cut, scanner.done)
