"""Sparse reading of large logs: only the records the rules can use.

A 1 GB log holds millions of records and a diagnosis needs a few thousand of
them: those holding text some rule (or the log's run model) looks for, the
records near the anchor of an `adjacent` sequence, and the last records (for
the time the log ends). For a large, regular file this module finds them in
the bytes, without decoding or parsing the rest:

1. `plan`: the literals to look for, each with the records around its own
   that must be read as well, from the rules that apply to the log. There is
   no plan when a rule needs every record (an event without literal text).
2. Scan (first pass): the file is read in blocks of whole records. Each block
   must be regular: every record one end marker and a header in the native
   shape, nothing between records, no NUL bytes or lone CRs, text whose ASCII
   lower-casing finds what `str.lower` would. The block is lowered and
   searched with Aho-Corasick automata; hits become byte spans to read.
3. Read (second pass): the spans are parsed by the ordinary parser, with
   their real line numbers; between spans, the threads seen in the skipped
   records are passed on as `ThreadNote`s when the log's runs own threads.

The passes alternate a segment of blocks at a time, so memory stays bounded.
When more than one process may be used, the first pass over a very large file
runs in a helper process and hands its segments over a pipe, so the two
passes overlap.
A block that is not regular, and all that follows from the start of its
segment, is read in full: odd records are handled and reported as without a
scan. Findings are the same either way; tests compare both on every sample
log and on large generated ones, and `fuzz/fuzz_scan.py` does on mutated ones.
"""

from __future__ import annotations

import codecs
import io
import multiprocessing
import re
from array import array
from bisect import bisect_right
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import cached_property
from itertools import chain, islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO, Protocol

from smslogdoc.engine.runs import ThreadNote
from smslogdoc.formats import cmtrace
from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.lines import assemble
from smslogdoc.formats.smstrace import Trailer, thread_number
from smslogdoc.inputs import decoding, detect
from smslogdoc.inputs.paths import InputFile, LogInput
from smslogdoc.kinds import Kind
from smslogdoc.model import Event, FileReport
from smslogdoc.read.full import ReadOptions, read_file, text_events
from smslogdoc.rules.literals import required_literals
from smslogdoc.rules.model import ADJACENT_LINES, LogScope, Rule

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a declared dependency; without it logs are read in full
    ahocorasick_rs = None  # type: ignore[assignment]

MIN_SIZE = 8 << 20
"""Smaller files are read in full: scanning pays off on large logs only."""
MIN_BLOCK = 64 << 10
"""Blocks are half the record cap (no regular block then holds an overlong
record); with a cap so small that blocks would be smaller, files are read in full."""
TAIL_BYTES = 64 << 10
"""The end of the file is always read (the time the log ends decides open runs)."""
SEGMENT_BLOCKS = 128
"""Blocks scanned before their spans are handed on (64 MiB at the default cap)."""
HELPER_SIZE = 64 << 20
"""From this size on, when more than one process may be used, the first pass
runs in a helper process while the second pass parses what it handed on."""
HELPER_SEGMENT_BLOCKS = 16
"""Blocks a helper scans between handovers (smaller: the two passes overlap more)."""
READ_SIZE = 1 << 20
"""The second pass reads this much at a time and parses the spans inside."""
MAX_SPANS = 1 << 19
"""Past this many stretches to read, the file is read in full (hits are dense):
the scan's memory stays bounded whatever the file's size."""
MAX_NOTED = 1 << 20
"""Likewise for the threads noted between runs."""
_CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "smslogdoc_cp1252": "smslogdoc_cp1252"}
"""Encodings whose bytes lower-case as their text does, and how to decode a stretch."""
_LOWERS_TO_ASCII = (b"\xc4\xb0", b"\xe2\x84\xaa")
"""UTF-8 of the only characters whose `str.lower` is ASCII: U+0130 and the Kelvin sign."""
_LONE_CR = re.compile(rb"\r(?!\n)")


# --- what to look for ---------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """The records around a hit that must be read too: those within `before`
    lines before its record and `after` lines after; with `own_thread`, only
    the nearest record of its thread on each side (its group's neighbour)."""

    before: int = 0
    after: int = 0
    own_thread: bool = True

    def __or__(self, other: Reach) -> Reach:
        return Reach(max(self.before, other.before), max(self.after, other.after), self.own_thread and other.own_thread)


@dataclass(frozen=True)
class Plan:
    """What a scan looks for: literals (lower-case ASCII) whose records are read,
    and literals whose records bring the records around them (a `Reach`)."""

    literals: tuple[bytes, ...]
    reaches: tuple[tuple[Reach, tuple[bytes, ...]], ...]
    starts: tuple[bytes, ...] = ()
    """When the log's runs own threads (ccmsetup): the literals of a run's first
    record. The threads of skipped records then matter (see `ThreadNote`)."""

    @cached_property
    def automata(self) -> list[tuple[Reach | None, ahocorasick_rs.BytesAhoCorasick]]:
        """One automaton per reach (and one for plain literals). Leftmost-first
        matching is the fast one; it may skip a literal that overlaps another,
        but only one in the same record and with the same reach."""
        groups: list[tuple[Reach | None, tuple[bytes, ...]]] = [(None, self.literals), *self.reaches]
        return [(reach, _automaton(literals)) for reach, literals in groups if literals]

    @cached_property
    def starts_automaton(self) -> ahocorasick_rs.BytesAhoCorasick | None:
        """Finds the records that may start a run (the threads seen between two matter)."""
        return _automaton(self.starts) if self.starts else None


def _automaton(literals: Iterable[bytes]) -> ahocorasick_rs.BytesAhoCorasick:
    return ahocorasick_rs.BytesAhoCorasick(list(literals), matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_FIRST)


def plan(rules: Iterable[Rule], where: LogScope, kind: Kind | None) -> Plan | None:
    """What the rules that apply to a log need from it; None when some rule
    needs every record."""
    if ahocorasick_rs is None:
        return None
    wanted: dict[str, Reach | None] = {}

    def need(literals: Iterable[str], reach: Reach | None = None) -> bool:
        found = False
        for literal in literals:
            if not literal.isascii() or "\n" in literal or "\r" in literal:
                return False  # bytes lower-case ASCII only, and a literal must not span records
            known = wanted.get(literal)
            wanted[literal] = reach if known is None else known if reach is None else known | reach
            found = True
        return found

    for rule in rules:
        if not rule.applies(where):
            continue
        literals = {name: m.literals for name, m in rule.events.items() if not m.logs or where.is_one_of(m.logs)}
        full: set[str] = set()
        reaches: dict[str, Reach] = {}
        for condition in rule.conditions:
            steps = {name for step in condition.steps for name in step}
            full |= condition.names - steps
            if not condition.adjacent:
                full |= steps
                continue
            # An adjacent pair needs its anchor step (the second, else the
            # first, that has literals) and the records within reach of it:
            # those of its group, which is at most its thread's when grouped by thread.
            if len(condition.steps) != 2:
                return None  # longer chains of multi-line records reach too far to bound
            if "folder" in condition.by:
                return None  # the group's next record may be in another log
            first, last = condition.steps
            own = "thread" in condition.by
            if all(literals.get(name) for name in last if name in literals):
                anchor, reach = last, Reach(before=ADJACENT_LINES, own_thread=own)
            elif all(literals.get(name) for name in first if name in literals):
                anchor, reach = first, Reach(after=ADJACENT_LINES, own_thread=own)
            else:
                return None
            for name in anchor:
                reaches[name] = reaches[name] | reach if name in reaches else reach
        for name, found in literals.items():
            if name in reaches and not need(found, reaches[name]):
                return None
            if name in full and name not in reaches and not need(found):
                return None
    starts: tuple[str, ...] = ()
    if kind is not None and kind.runs is not None:
        model = kind.runs
        for pattern in (model.starts, model.ends, model.reopens, *model.keyed):
            if pattern is not None and not need(required_literals(pattern.pattern)):
                return None
        if model.owned_threads and model.starts is not None:
            starts = required_literals(model.starts.pattern)
    # A record holding `failed with error code 1603` holds `failed with error code`.
    plain = sorted(
        literal for literal, around in wanted.items() if around is None and not any(other != literal and other in literal for other in wanted)
    )
    grouped: dict[Reach, list[str]] = {}
    for literal, around in wanted.items():
        if around is not None:
            grouped.setdefault(around, []).append(literal)
    return Plan(
        tuple(literal.encode("ascii") for literal in plain),
        tuple((reach, tuple(literal.encode("ascii") for literal in sorted(literals))) for reach, literals in grouped.items()),
        tuple(literal.encode("ascii") for literal in starts),
    )


def worth_scanning(log: LogInput) -> bool:
    """Whether a part of the log is large enough for a scan to pay off."""
    return any(part.size() >= MIN_SIZE for part in log.parts)


def head(log: LogInput, options: ReadOptions, count: int) -> Iterator[Event]:
    """The first `count` events of a log (to tell its kind), read apart from its
    reports, and only as far as they are asked for."""
    left = count
    for part in log.parts:
        with closing(read_file(part, FileReport(part.display), options)) as stream:
            for event in islice(stream, left):
                left -= 1
                yield event
        if not left:
            return


# --- the formats ----------------------------------------------------------------


class _Layout(Protocol):
    """How records sit in the bytes of one format."""

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


_OPEN, _CLOSE = cmtrace.OPEN.encode(), cmtrace.CLOSE.encode()
_RECORD_END = re.compile(
    rb"\]LOG\]!>"
    + cmtrace.NATIVE_HEADER.pattern.replace("(", "(?:").replace('thread="(?:', 'thread="(').encode()
    + rb"(?:\r?\n)?(?=<!\[LOG\[|\Z)"
)
"""The end of a regular record: its end marker, a header in the native shape
(what the parser reads without a problem), at most a line break, then the
next record or the end of the block. It captures the thread attribute."""
_CM_HEADER_THREAD = re.compile(rb' thread="([^"]*)"')
_SMS_THREAD = re.compile(rb"<thread=([^<>]*)>")
_SMS_LINE_END = re.compile(rb"\$\$<[^<>\r\n]*><[^<>\r\n]*><thread=([^<>\r\n]*)>\r?\n")
"""The end of a regular SMS trace line: the one `$$` of the line, a whole
trailer, the line break. It captures the thread attribute."""


class _CMTrace:
    """Records from `<![LOG[` to the end of their header; a regular block has one
    end marker per record, each followed by a native header, and nothing but
    line breaks between records."""

    def __init__(self, ctx: ParseContext) -> None:
        self.reader = cmtrace.Reader(ctx)

    def cut(self, data: bytes) -> int:
        return max(data.rfind(_OPEN), 0)

    def threads(self, block: bytes, final: bool) -> list[bytes] | None:
        count = block.count(_OPEN)
        if not count or not block.startswith(_OPEN) or block.count(_CLOSE) != count:
            return None
        threads: list[bytes] = _RECORD_END.findall(block)
        if len(threads) != count:
            return None  # a header the fast pattern does not read, or text between records
        return threads

    def start(self, block: bytes, pos: int) -> int:
        return max(block.rfind(_OPEN, 0, pos + len(_OPEN)), 0)

    def end(self, block: bytes, pos: int) -> int:
        found = block.find(_OPEN, pos)
        return len(block) if found < 0 else found

    def count(self, data: bytes, start: int = 0, end: int | None = None) -> int:
        return data.count(_OPEN, start, end)

    def thread(self, block: bytes, start: int, end: int) -> int | None:
        found = _CM_HEADER_THREAD.search(block, block.rfind(_CLOSE, start, end), end)
        return cmtrace.thread_id(found[1].decode("latin-1")) if found else None

    def parse(self, text: str, first_line: int) -> Iterator[Event]:
        return self.reader.whole(text, first_line)


class _SmsTrace:
    """One record per line; a regular line ends in exactly `$$<component><stamp><thread=N ...>`
    and holds no other `$$`."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.trailer = Trailer()

    def cut(self, data: bytes) -> int:
        return data.rfind(b"\n") + 1

    def threads(self, block: bytes, final: bool) -> list[bytes] | None:
        if final and not block.endswith(b"\n"):
            block += b"\r\n"
        lines = block.count(b"\n")
        if not lines or block.count(b"$$") != lines:
            return None
        threads: list[bytes] = _SMS_LINE_END.findall(block)
        if len(threads) != lines:
            return None
        return threads

    def start(self, block: bytes, pos: int) -> int:
        return block.rfind(b"\n", 0, pos) + 1

    def end(self, block: bytes, pos: int) -> int:
        if pos > 0 and block[pos - 1 : pos] == b"\n":
            return pos
        found = block.find(b"\n", pos)
        return len(block) if found < 0 else found + 1

    def count(self, data: bytes, start: int = 0, end: int | None = None) -> int:
        end = len(data) if end is None else end
        return data.count(b"\n", start, end) + (1 if end > start and data[end - 1] != 10 else 0)

    def thread(self, block: bytes, start: int, end: int) -> int | None:
        found = _SMS_THREAD.search(block, start, end)
        return thread_number(found[1].decode("latin-1").strip()) if found else None

    def parse(self, text: str, first_line: int) -> Iterator[Event]:
        pieces = text.split("\n")
        if pieces and pieces[-1] == "":
            pieces.pop()
        numbered = [(first_line + offset, piece[:-1] if piece.endswith("\r") else piece) for offset, piece in enumerate(pieces)]
        return assemble(numbered, self.ctx, self.trailer)


# --- the first pass: spans to read ------------------------------------------------


class _Irregular(Exception):
    """The file cannot be scanned: read it in full."""


@dataclass
class _Spans:
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
        at = len(starts) if not starts or start >= starts[-1] else bisect_right(starts, start)  # nearly always the end
        if at and start <= ends[at - 1]:  # it touches the one before: grow that one
            at -= 1
            ends[at] = max(ends[at], end)
        else:
            if len(starts) >= MAX_SPANS:
                raise _Irregular  # hits are dense: reading everything costs no more
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
class _Notes:
    """Thread notes, compact: for each, its offset and its threads."""

    offsets: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    """Where each note's threads end in `threads`."""
    threads: array[int] = field(default_factory=lambda: array("q"))

    def add(self, offset: int, threads: Iterable[int]) -> None:
        self.threads.extend(threads)
        if len(self.threads) > MAX_NOTED:
            raise _Irregular
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
class _Cut:
    """Where what has been handed on ends: the offset and line of the first
    record not handed on yet, and how many records came before it."""

    offset: int
    line: int
    records: int


class _Scanner:
    """The first pass over one file, a segment of blocks at a time: the spans
    and notes of a segment are handed on before the next is scanned, so memory
    does not grow with the file."""

    def __init__(self, layout: _Layout, plan: Plan, codec: str, block_size: int, raw: BinaryIO, start: int, size: int) -> None:
        self.layout = layout
        self.plan = plan
        self.codec = codec
        self.block_size = block_size
        self.raw = raw
        self.size = size
        self.start = start
        """Where the text of the file starts (after a byte-order mark)."""
        self.spans = _Spans()
        self.notes = _Notes()
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
        self.cut = _Cut(start, 1, 0)

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
                        raise _Irregular  # one record longer than a block
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
            self.cut = _Cut(self.offset, self.line, self.records)
            return spans, notes
        spans = self.spans.split(bisect_right(self.spans.starts, last.offset - 1))
        if spans and spans[-1][1] > last.offset:  # it runs on into the last block: split it there
            start, end, line = spans[-1]
            spans[-1] = (start, last.offset, line)
            self.spans.add(last.offset, end, last.line)
        self.cut = _Cut(last.offset, last.line, self.records - self.layout.count(last.data))
        return spans, self.notes.split(last.offset)

    def check(self, data: bytes, final: bool) -> list[bytes]:
        """The thread attribute of each record of a block, or _Irregular."""
        if b"\x00" in data:
            raise _Irregular
        if not data.isascii() and self.codec == "utf-8":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise _Irregular from None
            if any(marker in data for marker in _LOWERS_TO_ASCII):
                raise _Irregular
        if _LONE_CR.search(data):
            raise _Irregular  # a lone CR ends a line too: line numbers would need more care
        threads = self.layout.threads(data, final)
        if threads is None:
            raise _Irregular
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

    def _note_threads(self, block: _Block, lowered: bytes, threads: list[bytes], starts: ahocorasick_rs.BytesAhoCorasick) -> None:
        """Note the threads of each stretch between records that may start a run,
        at its end. Within a stretch no run starts, so a thread's owner is the
        same wherever in the stretch it first appears. `threads` holds the
        thread attribute of each record of the block."""
        data, since, first = block.data, 0, 0
        for record in sorted({self.layout.start(data, at) for _, at, _ in starts.find_matches_as_indexes(lowered)}):
            last = first + self.layout.count(data, since, record)
            self._note(threads[first:last], block.offset + record)
            self.noted = set()
            since, first = record, last
        self._note(threads[first:], block.offset + len(data))

    def _note(self, threads: list[bytes], offset: int) -> None:
        found = {thread for thread in set(threads) - self.noted if thread.isdigit()}  # as `cmtrace.thread_id` reads them
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
                    raise _Irregular  # the reach goes back past two blocks: lines that long are not regular
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


# --- the second pass: events ---------------------------------------------------------


def read_log(log: LogInput, plan: Plan, options: ReadOptions, *, helper: bool = False) -> Iterator[Event | ThreadNote]:
    """The events of a logical log, each large and regular part scanned for what
    `plan` needs and the others read in full. With `helper`, a part of
    `HELPER_SIZE` or more is scanned by a second process while this one parses
    what the scan found."""
    for part in log.parts:
        report = FileReport(part.display)
        log.reports.append(report)
        size = part.size()
        if part.path is not None and size >= MIN_SIZE:
            scanned = _scanned(part, size, report, plan, options, helper=helper and size >= HELPER_SIZE)
            if scanned is not None:
                yield from scanned
                continue
        yield from read_file(part, report, options)


@dataclass(frozen=True)
class _Handover:
    """What the first pass hands on: the spans and notes nothing scanned later
    can change, and where they end. `irregular`: the pass stopped at a block
    that is not regular, and the file is read in full from `cut` on."""

    spans: list[tuple[int, int, int]]
    notes: list[tuple[int, ThreadNote]]
    cut: _Cut
    done: bool
    irregular: bool = False


@dataclass(frozen=True)
class _Setup:
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

    def scanner(self, raw: BinaryIO) -> _Scanner:
        ctx = ParseContext(str(self.path), FileReport(str(self.path)), self.block_size * 2, None)  # the first pass parses nothing
        return _Scanner(_layout(self.format, ctx), self.plan, self.codec, self.block_size, raw, self.start, self.size)


def _layout(format_name: str, ctx: ParseContext) -> _Layout:
    return _CMTrace(ctx) if format_name == detect.CMTRACE else _SmsTrace(ctx)


def _passes(scanner: _Scanner, blocks: int) -> Generator[_Handover, None, None]:
    """The first pass, handed on every `blocks` blocks."""
    while not scanner.done:
        try:
            scanner.segment(blocks)
        except (_Irregular, ValueError):
            yield _Handover([], [], scanner.cut, done=False, irregular=True)
            return
        spans, notes = scanner.handover()
        yield _Handover(spans, notes, scanner.cut, scanner.done)


def _scanned(part: InputFile, size: int, report: FileReport, plan: Plan, options: ReadOptions, *, helper: bool) -> Iterator[Event | ThreadNote] | None:
    """The scanned events of a file of `size` bytes, or None when it must be read in full."""
    assert part.path is not None
    block_size = options.record_cap // 2
    if block_size < MIN_BLOCK:
        return None
    try:
        raw = part.path.open("rb")
    except OSError:
        return None
    try:
        sample = raw.read(decoding.SAMPLE_SIZE)
        codec, reported = decoding.sniff(sample)
        if codec not in _CODECS:
            raise _Irregular
        found = detect.detect(codecs.decode(sample, codec, "replace").lstrip("\ufeff"))
        if found.format != detect.CMTRACE and (found.format != detect.SMSTRACE or plan.starts):
            raise _Irregular
        setup = _Setup(
            part.path,
            Plan(plan.literals, plan.reaches, plan.starts),  # without its automata: it may go to a helper
            found.format,
            _CODECS[codec],
            block_size,
            3 if codec == "utf-8-sig" else 0,
            size,
            HELPER_SEGMENT_BLOCKS if helper else SEGMENT_BLOCKS,
        )
        handovers = _helper_passes(setup) if helper else _passes(setup.scanner(raw), setup.blocks)
        first = next(handovers)
        if first.irregular:
            raise _Irregular
    except (_Irregular, OSError, ValueError):
        raw.close()
        return None  # nothing handed on yet: the file is read in full as usual
    report.encoding, report.format = reported, found.format
    ctx = ParseContext(report.path, report, options.record_cap, found.day_first)
    return _events(first, handovers, raw, _layout(found.format, ctx), setup.codec, ctx, options)


def _events(
    first: _Handover, handovers: Generator[_Handover, None, None], raw: BinaryIO, layout: _Layout, codec: str, ctx: ParseContext, options: ReadOptions
) -> Iterator[Event | ThreadNote]:
    """The second pass, a handover at a time: parse the spans, with the thread
    notes in their place between them. From a block that is not regular on,
    the file is read in full."""
    report = ctx.report
    errors = decoding.errors_for(codec)  # as the reader decodes the same file
    with raw, closing(handovers):
        try:
            for handover in chain([first], handovers):
                report.events = handover.cut.records
                if handover.irregular:
                    raw.seek(handover.cut.offset)
                    stream = io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")
                    yield from text_events(report.format or "", stream, ctx, options, first_line=handover.cut.line)
                    return  # text_events has finished the report
                yield from _parse_spans(raw, handover.spans, handover.notes, layout, codec, errors, options.zone)
        except OSError as error:
            ctx.problem(f"read error, rest of the file not read: {error.strerror or error}")
    ctx.finish()


# --- a helper process for the first pass ---------------------------------------------


def _helper_passes(setup: _Setup) -> Generator[_Handover, None, None]:
    """The first pass run by a second process, its handovers received here as
    they come (the pipe holds about one: memory stays bounded). Should the
    helper stop early, the file is read in full from the last handover on."""
    receiving, sending = multiprocessing.Pipe(duplex=False)
    helper = multiprocessing.Process(target=_helper, args=(setup, sending), daemon=True)
    helper.start()
    sending.close()
    last = _Cut(setup.start, 1, 0)
    try:
        while True:
            try:
                message = receiving.recv()
            except (EOFError, OSError):
                message = _Handover([], [], last, done=False, irregular=True)  # the helper died
            if isinstance(message, str):
                raise OSError(message)
            yield message
            if message.done or message.irregular:
                return
            last = message.cut
    finally:
        receiving.close()
        if helper.is_alive():
            helper.terminate()
        helper.join()


def _helper(setup: _Setup, sending: Connection) -> None:
    """The helper process: scan the file and send each handover on."""
    try:
        with setup.path.open("rb") as raw:
            for handover in _passes(setup.scanner(raw), setup.blocks):
                sending.send(handover)
    except OSError as error:
        sending.send(error.strerror or str(error))
    finally:
        sending.close()


def _parse_spans(
    raw: BinaryIO,
    spans: Iterable[tuple[int, int, int]],
    notes: Iterable[tuple[int, ThreadNote]],
    layout: _Layout,
    codec: str,
    errors: str,
    zone: tzinfo | None,
) -> Iterator[Event | ThreadNote]:
    """Parse spans (reading a window of the file at a time), with the notes in place."""
    window, window_start = b"", 0
    pending = iter(notes)
    note = next(pending, None)
    for begin, end, line in spans:
        while note is not None and note[0] <= begin:
            yield note[1]
            note = next(pending, None)
        if begin < window_start or end > window_start + len(window):
            raw.seek(begin)
            window, window_start = raw.read(max(READ_SIZE, end - begin)), begin
        text = window[begin - window_start : end - window_start].decode(codec, errors)
        for event in layout.parse(text, line):
            if zone is not None and event.time is not None and event.time.tzinfo is None:
                event.time = event.time.replace(tzinfo=zone)
            yield event
    while note is not None:
        yield note[1]
        note = next(pending, None)
