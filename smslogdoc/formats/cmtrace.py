"""The CMTrace format: a stream read in chunks (only the unfinished tail of a
chunk is kept, so memory does not grow with the file), how a file is
recognised as CMTrace (also when a web page damaged it, `formats.damage`), and
the byte layout large logs are scanned by. The markers, headers and the
reader of records are `formats.cmtracetext`.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import TextIO

from smslogdoc.formats import damage
from smslogdoc.formats.cmtracetext import (
    CHUNK,
    CLOSE,
    NAME,
    OPEN,
    OPEN_LEN,
    Reader,
    looks_like_cmtrace,
    native_header,
    thread_id,
)
from smslogdoc.formats.context import UNPARSED, ParseContext, count_breaks
from smslogdoc.formats.protocol import Detected, Format, Sample
from smslogdoc.model import Event, Severity


def detect(sample: Sample) -> Detected | None:
    """CMTrace as written, or a paste of it that a web page damaged (to be repaired)."""
    if OPEN in sample.text and looks_like_cmtrace(sample.text):
        return Detected(NAME)
    found = damage.damage_in(sample.text)
    return Detected(NAME, damage=found) if found else None


def parse(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[Event]:
    """Events from a CMTrace text stream whose first line is `first_line`."""
    reader = Reader(ctx)
    reader.line = first_line
    buffer = ""
    while True:
        chunk = stream.read(CHUNK)
        end_of_file = not chunk
        buffer += chunk
        consumed = yield from reader.records(buffer, end_of_file)
        buffer = buffer[consumed:]
        if end_of_file:
            break
        if len(buffer) > ctx.record_cap:
            buffer = yield from _overlong(reader, buffer, stream)


def _overlong(reader: Reader, buf: str, stream: TextIO) -> Generator[Event, None, str]:
    """The buffer passed the cap without a whole record: cut the record (or
    the run of foreign text) and skip ahead without holding the rest."""
    ctx = reader.ctx
    start = buf.find(OPEN)
    if start < 0:
        return (yield from _overlong_line(reader, buf, stream))
    yield from reader.gap(buf[:start])
    first = reader.line
    kept = buf[start + OPEN_LEN : start + OPEN_LEN + ctx.record_cap]
    reader.line += count_breaks(kept)
    rest = buf[start + OPEN_LEN + ctx.record_cap :]
    skipped = 0
    while True:
        close = rest.find(CLOSE)
        if close >= 0:
            skipped += close
            reader.line += count_breaks(rest[:close])
            ctx.problem(
                f"record longer than {ctx.record_cap:,} characters: message cut, {skipped:,} characters skipped",
                first,
            )
            reader.cut = (kept, first)
            return OPEN + rest[close:]
        keep = len(CLOSE) - 1
        skipped += len(rest) - keep
        reader.line += count_breaks(rest[:-keep])
        chunk = stream.read(CHUNK)
        if not chunk:
            yield ctx.unparsed(kept, first, reader.line, "record cut off at the end of the file")
            return ""
        rest = rest[-keep:] + chunk


def _overlong_line(reader: Reader, buf: str, stream: TextIO) -> Generator[Event, None, str]:
    """Text with no record in it and a line longer than the cap: the line's
    first cap characters become one unparsed event; the rest of the line is
    skipped without being held."""
    ctx = reader.ctx
    last_break = max(buf.rfind("\n"), buf.rfind("\r"))
    if last_break >= 0:
        yield from reader.gap(buf[: last_break + 1])
        buf = buf[last_break + 1 :]
        if len(buf) <= ctx.record_cap:
            return buf
    first = reader.line
    kept, rest = buf[: ctx.record_cap], buf[ctx.record_cap :]
    skipped = 0
    while True:
        ends = [i for i in (rest.find("\n"), rest.find("\r"), rest.find(OPEN)) if i >= 0]
        if ends:
            skipped += min(ends)
            rest = rest[min(ends) :]
            break
        keep = len(OPEN) - 1
        skipped += max(0, len(rest) - keep)
        chunk = stream.read(CHUNK)
        if not chunk:
            skipped += min(len(rest), keep)
            rest = ""
            break
        rest = rest[-keep:] + chunk
    ctx.problem(f"line longer than {ctx.record_cap:,} characters: cut, {skipped:,} characters skipped", first)
    yield Event(ctx.path, first, first, None, "", Severity.INFO, None, kept, UNPARSED)
    return rest


# --- the byte layout, for scanning large logs (see read.scan) -------------------

_OPEN_BYTES, _CLOSE_BYTES = OPEN.encode(), CLOSE.encode()
_RECORD_END = re.compile(rb"\]LOG\]!>" + native_header(("thread",)).encode() + rb"(?:\r?\n)?(?=<!\[LOG\[|\Z)")
"""The end of a regular record: its end marker, a header in the native shape
(what the parser reads without a problem), at most a line break, then the
next record or the end of the block. It captures the thread attribute."""
_HEADER_THREAD = re.compile(rb' thread="([^"]*)"')


class ByteLayout:
    """Records from `<![LOG[` to the end of their header; a regular block has one
    end marker per record, each followed by a native header, and nothing but
    line breaks between records."""

    def __init__(self, ctx: ParseContext) -> None:
        self.reader = Reader(ctx)

    def cut(self, data: bytes) -> int:
        return max(data.rfind(_OPEN_BYTES), 0)

    def threads(self, block: bytes, final: bool) -> list[bytes] | None:
        count = block.count(_OPEN_BYTES)
        if not count or not block.startswith(_OPEN_BYTES) or block.count(_CLOSE_BYTES) != count:
            return None
        threads: list[bytes] = _RECORD_END.findall(block)
        if len(threads) != count:
            return None  # a header the fast pattern does not read, or text between records
        return threads

    def start(self, block: bytes, pos: int) -> int:
        return max(block.rfind(_OPEN_BYTES, 0, pos + len(_OPEN_BYTES)), 0)

    def end(self, block: bytes, pos: int) -> int:
        found = block.find(_OPEN_BYTES, pos)
        return len(block) if found < 0 else found

    def count(self, data: bytes, start: int = 0, end: int | None = None) -> int:
        return data.count(_OPEN_BYTES, start, end)

    def thread(self, block: bytes, start: int, end: int) -> int | None:
        found = _HEADER_THREAD.search(block, block.rfind(_CLOSE_BYTES, start, end), end)
        return thread_id(found[1].decode("latin-1")) if found else None

    def parse(self, text: str, first_line: int) -> Iterator[Event]:
        return self.reader.whole(text, first_line)

    def stretches(self, text: str, spans: list[tuple[int, int, int]]) -> Iterator[Event]:
        return self.reader.stretches(text, spans)


FORMAT = Format(
    NAME,
    parse,
    detect,
    ByteLayout,
    error_literals=(b'type="3"', b'type="2"'),  # the header's type of an error and of a warning record
    threads_of_runs=True,
)
