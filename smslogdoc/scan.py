"""Sparse reading of large logs: only the records the rules can use.

A 1 GB log holds millions of records and a diagnosis needs a few thousand of
them: those holding text some rule (or the log's run model) looks for, the
records near the anchor of an `adjacent` sequence, and the last records (for
the time the log ends). For a large, regular file this module finds them in
the bytes, without decoding or parsing the rest:

1. `plan`: the literals to look for, each with the lines around its record
   that must be read as well, from the rules that apply to the log. There is
   no plan when a rule needs every record (a pattern without literal text).
2. Scan (first pass): the file is read in blocks of whole records. Each block
   must be regular: every record well formed, nothing between records, no NUL
   bytes, text whose ASCII lower-casing finds what `str.lower` would. Then
   the block is lowered and searched with one Aho-Corasick automaton, and hits
   become byte spans to read. One irregular block and the file is read in full
   instead, so the parser's handling and reporting of odd records is kept.
3. Read (second pass): the spans are parsed by the ordinary parser, with
   their real line numbers; between spans, the threads seen there are passed
   on as `ThreadNote`s when the log's runs own threads.

Findings are the same as from a full read: the records left out are records
no rule could match, and a test compares both ways on every sample log and on
large generated ones.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import BinaryIO, Protocol

from smslogdoc import cmtrace, decoding, detect
from smslogdoc.context import ParseContext
from smslogdoc.inputs import InputFile, LogInput
from smslogdoc.kinds import Kind
from smslogdoc.lines import assemble
from smslogdoc.literals import required_literals
from smslogdoc.model import Event, FileReport
from smslogdoc.reader import ReadOptions, read_file
from smslogdoc.rules import ADJACENT_LINES, LogScope, Rule
from smslogdoc.runs import ThreadNote
from smslogdoc.smstrace import Trailer, thread_number

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a declared dependency; without it logs are read in full
    ahocorasick_rs = None  # type: ignore[assignment]

MIN_SIZE = 8 << 20
"""Smaller files are read in full: scanning pays off on large logs only."""
TAIL_BYTES = 64 << 10
"""The end of the file is always read (the time the log ends decides open runs)."""
READ_SIZE = 1 << 20
"""The second pass reads this much at a time and parses the spans inside."""
MAX_SPANS = 1 << 19
"""Past this many stretches to read, the file is read in full (hits are dense)."""
_CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "smslogdoc_cp1252": "smslogdoc_cp1252"}
"""Encodings whose bytes lower-case as their text does, and how to decode a stretch."""
_LOWERS_TO_ASCII = (b"\xc4\xb0", b"\xe2\x84\xaa")
"""UTF-8 of the only characters whose `str.lower` is ASCII: U+0130 and the Kelvin sign."""


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
        first = ahocorasick_rs.MATCHKIND_LEFTMOST_FIRST
        return [(reach, ahocorasick_rs.BytesAhoCorasick(list(literals), matchkind=first)) for reach, literals in groups if literals]


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
    return any(_size(part) >= MIN_SIZE for part in log.parts)


def head(log: LogInput, options: ReadOptions, count: int) -> list[Event]:
    """The first `count` events of a log (to tell its kind), read apart from its reports."""
    events: list[Event] = []
    for part in log.parts:
        with closing(read_file(part, FileReport(part.display), options)) as stream:
            events.extend(islice(stream, count - len(events)))
        if len(events) >= count:
            break
    return events


# --- the formats ----------------------------------------------------------------


class _Layout(Protocol):
    """How records sit in the bytes of one format."""

    def cut(self, data: bytes) -> int:
        """Where the last record that may be incomplete starts (0: none found)."""
        ...

    def records(self, block: bytes, final: bool) -> int | None:
        """How many records a block of whole records holds; None when it is not regular."""
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

    def parse(self, text: str, first_line: int) -> Iterator[Event]:
        """The events of a stretch of whole records."""
        ...


_OPEN, _CLOSE = cmtrace.OPEN.encode(), cmtrace.CLOSE.encode()
_HEADER_START = _CLOSE + b'<time="'
_JOINS = (b'">\r\n' + _OPEN, b'">\n' + _OPEN, b'">' + _OPEN)
_CM_THREAD = re.compile(rb'" thread="(\d+)"')
_CM_HEADER_THREAD = re.compile(rb' thread="([^"]*)"')
_SMS_THREAD = re.compile(rb"<thread=([^<>]*)>")
_SMS_LINE_END = re.compile(rb"\$\$<[^<>\r\n]*><[^<>\r\n]*><thread=[^<>\r\n]*>\r?\n")
"""The end of a regular SMS trace line: the one `$$` of the line, a whole trailer, the line break."""


class _CMTrace:
    """Records from `<![LOG[` to the end of their header; a regular block has one
    native-looking header per record and nothing but line breaks between records."""

    def __init__(self, ctx: ParseContext) -> None:
        self.reader = cmtrace.Reader(ctx)

    def cut(self, data: bytes) -> int:
        return max(data.rfind(_OPEN), 0)

    def records(self, block: bytes, final: bool) -> int | None:
        count = block.count(_OPEN)
        if not count or not block.startswith(_OPEN) or block.count(_CLOSE) != count or block.count(_HEADER_START) != count:
            return None
        joins = block.count(_JOINS[0])
        if joins != count - 1:
            joins += block.count(_JOINS[1]) + block.count(_JOINS[2])
        if joins != count - 1:
            return None
        if not block.endswith((b'">\r\n', b'">\n')) and not (final and block.endswith(b'">')):
            return None
        return count

    def start(self, block: bytes, pos: int) -> int:
        return max(block.rfind(_OPEN, 0, pos + len(_OPEN)), 0)

    def end(self, block: bytes, pos: int) -> int:
        found = block.find(_OPEN, pos)
        return len(block) if found < 0 else found

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

    def records(self, block: bytes, final: bool) -> int | None:
        if final and not block.endswith(b"\n"):
            block += b"\r\n"
        lines = block.count(b"\n")
        if not lines or block.count(b"$$") != lines:
            return None
        if len(_SMS_LINE_END.findall(block)) != lines:
            return None
        return lines

    def start(self, block: bytes, pos: int) -> int:
        return block.rfind(b"\n", 0, pos) + 1

    def end(self, block: bytes, pos: int) -> int:
        if pos > 0 and block[pos - 1 : pos] == b"\n":
            return pos
        found = block.find(b"\n", pos)
        return len(block) if found < 0 else found + 1

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
    """Stretches of the file to read: (start, end, line of start), mostly in order."""

    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    lines: array[int] = field(default_factory=lambda: array("q"))

    def add(self, start: int, end: int, line: int) -> None:
        if end <= start:
            return
        if self.starts and self.starts[-1] <= start <= self.ends[-1]:
            self.ends[-1] = max(self.ends[-1], end)  # touches the last one: one span
            return
        if len(self.starts) >= MAX_SPANS:
            raise _Irregular
        self.starts.append(start)
        self.ends.append(end)
        self.lines.append(line)

    def merged(self) -> list[tuple[int, int, int]]:
        ordered = sorted(zip(self.starts, self.ends, self.lines, strict=True))
        out: list[tuple[int, int, int]] = []
        for start, end, line in ordered:
            if out and start <= out[-1][1]:
                if end > out[-1][1]:
                    out[-1] = (out[-1][0], end, out[-1][2])
                continue
            out.append((start, end, line))
        return out


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


class _Scanner:
    """The first pass over one file."""

    def __init__(self, layout: _Layout, plan: Plan, codec: str, block_size: int) -> None:
        self.layout = layout
        self.plan = plan
        self.codec = codec
        self.block_size = block_size
        self.spans = _Spans()
        self.records = 0
        self.reaches: list[_Reach] = []
        """Reaches of anchors that go on past the block they were found in."""
        self.previous: _Block | None = None
        """The block before the one being scanned (an anchor's reach may go back into it)."""
        self.start = 0
        """Where the text of the file starts (after a byte-order mark)."""
        self.notes: list[tuple[int, ThreadNote]] = []
        """(offset, threads first seen before it since the last note) when the log's runs own threads."""
        self.noted: set[bytes] = set()
        """Threads noted since the last record that may start a run."""

    def scan(self, raw: BinaryIO, start: int, size: int) -> None:
        self.start = start
        raw.seek(start)
        carry = b""
        offset, line = start, 1
        while True:
            data = raw.read(self.block_size)
            buf = carry + data if carry else data
            final = raw.tell() >= size or not data
            if final:
                block, carry = buf, b""
            else:
                cut = self.layout.cut(buf)
                if cut <= 0:
                    if len(buf) > self.block_size:
                        raise _Irregular  # one record longer than a block
                    carry = buf
                    continue
                block, carry = buf[:cut], buf[cut:]
            if block:
                current = _Block(block, offset, line)
                self.block(current, final)
                offset += len(block)
                line += block.count(b"\n")
            if final:
                self.tail(current if block else self.previous, offset)
                return
            if block:
                self.previous = current

    def check(self, data: bytes, final: bool) -> int:
        """The number of records in a block, or _Irregular."""
        if b"\x00" in data:
            raise _Irregular
        if not data.isascii() and self.codec == "utf-8":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise _Irregular from None
            if any(marker in data for marker in _LOWERS_TO_ASCII):
                raise _Irregular
        breaks = data.count(b"\r")
        if breaks and breaks != data.count(b"\r\n"):
            raise _Irregular  # a lone CR ends a line too: line numbers would need more care
        count = self.layout.records(data, final)
        if count is None:
            raise _Irregular
        return count

    def block(self, block: _Block, final: bool) -> None:
        """Find the records of one block to read."""
        data = block.data
        self.records += self.check(data, final)
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
        counted, line, skipped = 0, block.line, 0
        for record in sorted(marks):
            line += data.count(b"\n", counted, record)
            counted = record
            end = layout.end(data, record + 1)
            self.spans.add(block.offset + record, block.offset + end, line)
            if plan.starts:
                self._note(data, skipped, record, block.offset + record)
                skipped = end
                if any(start in lowered[record:end] for start in plan.starts):
                    self.noted = set()  # a run may start here: threads seen from now on are its
            reach = marks[record]
            if reach is not None:
                thread = layout.thread(data, record, end) if reach.own_thread else None
                if reach.before:
                    self._backward(block, record, line, line - reach.before, thread)
                if reach.after:
                    next_line = line + data.count(b"\n", record, end)
                    self._forward(block, end, next_line, _Reach(next_line - 1 + reach.after, thread))
        if plan.starts:
            self._note(data, skipped, len(data), block.offset + len(data))

    def _note(self, data: bytes, start: int, end: int, offset: int) -> None:
        """Note the threads of the records in data[start:end], read or not, that
        were not noted since the last record that may start a run."""
        found = set(_CM_THREAD.findall(data, start, end)) - self.noted
        if found:
            self.noted |= found
            self.notes.append((offset, ThreadNote(frozenset(int(thread) for thread in found))))

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


def read_log(log: LogInput, plan: Plan, options: ReadOptions) -> Iterator[Event | ThreadNote]:
    """The events of a logical log, each large and regular part scanned for what
    `plan` needs and the others read in full."""
    for part in log.parts:
        report = FileReport(part.display)
        log.reports.append(report)
        if part.path is not None and _size(part) >= MIN_SIZE:
            scanned = _scanned(part, report, plan, options)
            if scanned is not None:
                yield from scanned
                continue
        yield from read_file(part, report, options)


def _size(part: InputFile) -> int:
    if part.path is None:
        return 0
    try:
        return part.path.stat().st_size
    except OSError:
        return 0


def _scanned(part: InputFile, report: FileReport, plan: Plan, options: ReadOptions) -> Iterator[Event | ThreadNote] | None:
    """The scanned events of a file, or None when it must be read in full."""
    assert part.path is not None
    block_size = options.record_cap // 2
    if block_size < 64 << 10:
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
        ctx = ParseContext(report.path, report, options.record_cap, found.day_first)
        layout: _Layout
        if found.format == detect.CMTRACE:
            layout = _CMTrace(ctx)
        elif found.format == detect.SMSTRACE and not plan.starts:
            layout = _SmsTrace(ctx)
        else:
            raise _Irregular
        scanner = _Scanner(layout, plan, _CODECS[codec], block_size)
        start = 3 if codec == "utf-8-sig" else 0
        size = part.path.stat().st_size
        scanner.scan(raw, start, size)
    except (_Irregular, OSError, ValueError):
        raw.close()
        return None
    report.encoding, report.format, report.events = reported, found.format, scanner.records
    return _events(raw, scanner.spans.merged(), scanner.notes, layout, ctx, _CODECS[codec], options)


def _events(
    raw: BinaryIO,
    spans: Sequence[tuple[int, int, int]],
    notes: Sequence[tuple[int, ThreadNote]],
    layout: _Layout,
    ctx: ParseContext,
    codec: str,
    options: ReadOptions,
) -> Iterator[Event | ThreadNote]:
    """The second pass: parse the spans (read a window at a time), with the
    thread notes in their place between them."""
    zone = options.zone
    errors = "smslogdoc-cp1252" if codec == "utf-8" else "strict"
    window, window_start = b"", 0
    next_note = 0
    with raw:
        for begin, end, line in spans:
            while next_note < len(notes) and notes[next_note][0] <= begin:
                yield notes[next_note][1]
                next_note += 1
            if begin < window_start or end > window_start + len(window):
                raw.seek(begin)
                window, window_start = raw.read(max(READ_SIZE, end - begin)), begin
            text = window[begin - window_start : end - window_start].decode(codec, errors)
            for event in layout.parse(text, line):
                if zone is not None and event.time is not None and event.time.tzinfo is None:
                    event.time = event.time.replace(tzinfo=zone)
                yield event
    ctx.finish()
