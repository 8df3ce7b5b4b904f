"""CMTrace text ("CCM format"), as ConfigMgr clients, MDT, PSADT and many
scripts write it:

    <![LOG[message]LOG]!><time="15:10:29.068+00" date="02-04-2020" component="ccmsetup"
        context="" type="1" thread="3396" file="ccmsetup.cpp:9498">

The markers and headers, and the `Reader` that finds records in a buffer of
text. Records are found by their markers, not by lines: a message may hold
CRLF, LF or bare CR line breaks.

The native attribute order is parsed by one fast pattern; anything else (other
order, upper-case names, missing attributes, line breaks inside the header) by
a tolerant one. Text between records is read as SMS trace lines when it is
(some files mix both) and is otherwise an `unparsed` event. A record longer
than the cap keeps the cap's worth of message; the cut is reported. The
format itself (reading a stream in chunks, detection, the byte layout) is
`formats.cmtrace`.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence

from smslogdoc import times
from smslogdoc.formats.cmtraceregular import Regular
from smslogdoc.formats.context import UNPARSED, ParseContext, count_breaks
from smslogdoc.formats.lines import assemble
from smslogdoc.formats.smstrace import Trailer
from smslogdoc.model import Event, Severity

NAME = "cmtrace"
"""The format's name, as its events and reports carry it."""
OPEN = "<![LOG["
CLOSE = "]LOG]!>"
CHUNK = 1 << 20

OPEN_LEN, CLOSE_LEN = len(OPEN), len(CLOSE)

_HEADER_ATTRIBUTES = ("time", "date", "component", "context", "type", "thread", "file")
"""The attributes of a native header, in the order ConfigMgr writes them."""


def native_header(captured: tuple[str, ...]) -> str:
    """The pattern of a header in the native shape, with a group for each
    attribute in `captured` (in header order). The parser and the byte layout
    both build theirs here, so they always agree on what is regular."""
    parts = [f'{name}="([^"]*)"' if name in captured else f'{name}="[^"]*"' for name in _HEADER_ATTRIBUTES]
    return "<" + " ".join(parts) + ">"


NATIVE_HEADER = re.compile(native_header(("time", "date", "component", "type", "thread", "file")))
_LOOSE_HEADER = re.compile(r'\s*<((?:[^<>"]|"[^"]*")*)>')
_ATTRIBUTE = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*"([^"]*)"')
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_POWERSHELL_FUNCTION = re.compile(r"^[A-Z][a-z]+-[A-Za-z]+$")

_SEVERITY = {"0": Severity.VERBOSE, "1": Severity.INFO, "2": Severity.WARNING, "3": Severity.ERROR}


def looks_like_cmtrace(sample: str) -> bool:
    """At least one whole record with a real time in it (a script that merely
    writes CMTrace logs holds the markers too, with variables for values)."""
    start = sample.find(OPEN)
    while start >= 0:
        close = sample.find(CLOSE, start)
        if close < 0:
            return False
        header = _LOOSE_HEADER.match(sample, close + len(CLOSE))
        if header and re.search(r'(?i)time\s*=\s*"\d{1,2}:\d{2}', header[1]):
            return True
        start = sample.find(OPEN, close)
    return False


def thread_id(text: str) -> int | None:
    """The thread id of a header, if it is a number (ASCII digits: `²` is a digit
    to str.isdigit but not to int)."""
    return int(text) if text.isdigit() and text.isascii() else None


class _Writers:
    """Remembers which components are PowerShell writers, whose bias has the ISO sign."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}

    def iso_sign(self, component: str, source_file: str) -> bool:
        if source_file.endswith((".ps1", ".psm1", ".PS1", ".PSM1")):
            return True
        known = self._known.get(component)
        if known is None:
            known = self._known[component] = _POWERSHELL_FUNCTION.match(component) is not None
        return known


class Reader:
    """Scans a text buffer for records, keeping the line count across chunks."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.line = 1
        self.writers = _Writers()
        self.trailer = Trailer()
        self.cut: tuple[str, int] | None = None
        """A message cut at the cap, waiting for its header: (kept text, first line)."""
        self.bad_bias = False
        """Whether a bias out of range was reported (once per file)."""
        self.regular = Regular(NAME)
        """The fast path, for runs of regular records."""

    def iso_sign(self, component: str, source_file: str) -> bool:
        return self.writers.iso_sign(component, source_file)

    def check_bias(self, clock: str, line: int) -> None:
        """Report, once per file, a time whose bias is beyond a day: it is read as local time."""
        if not self.bad_bias and times.bias_out_of_range(clock):
            self.bad_bias = True
            self.ctx.problem(
                f"time zone bias out of range in time={clock!r}; such times are read as local time, zone unknown",
                line,
            )

    def whole(self, text: str, first_line: int) -> Generator[Event, None, int]:
        """The events of `text`, whole records that start on line `first_line`
        (a stretch of a file the scanner picked, see `scan`)."""
        self.line = first_line
        pos = yield from self.regular.records(self, text, 0, len(text))
        rest = text[pos:] if pos else text
        if pos and not rest.strip():  # all of it regular (the scan's spans are): its last line break left
            self.line += count_breaks(rest)
            return len(text)
        return pos + (yield from self.records(rest, True))

    def stretches(self, text: str, spans: Sequence[tuple[int, int, int]]) -> Iterator[Event]:
        """`whole` for each stretch of `text` (start, end, first line): the
        stretches a scan picked in one window of a file, read in place by one
        run of the fast path rather than each cut out and read apart (most
        hold one record). What the fast path leaves of a stretch is read the
        careful way, as `whole` does, and the fast path goes on with the next."""
        return self.regular.stretches(self, text, spans, careful=True)

    def records(self, buf: str, end_of_file: bool) -> Generator[Event, None, int]:  # noqa: C901 - long on purpose (below)
        """Yield the whole records in `buf`; return how much of it was consumed.
        With `end_of_file`, also what is left: cut records and trailing text."""
        # long on purpose: the loop every CMTrace record of every log goes
        # through, its locals bound once (`find`, `header_at`); the rare cases
        # are methods already (`odd_record`, `gap`), the common one stays inline.
        ctx, path = self.ctx, self.ctx.path
        find = buf.find
        header_at = NATIVE_HEADER.match
        pos = 0
        start = find(OPEN)
        while start >= 0:
            if start == pos or (start - pos <= 2 and buf[pos:start] in ("\r\n", "\n")):
                moved = yield from self.regular.records(self, buf, pos, len(buf))
                if moved != pos:
                    pos = moved
                    start = find(OPEN, pos)
                    continue
            close = find(CLOSE, start + OPEN_LEN)
            following = find(OPEN, start + OPEN_LEN)
            if close < 0 or 0 <= following < close:
                if following < 0:
                    if not end_of_file:
                        break  # the record goes on in the next chunk
                    yield from self.gap(buf[pos:start])
                    text = buf[start:]
                    yield ctx.unparsed(
                        text,
                        self.line,
                        self.line + count_breaks(text),
                        "record cut off at the end of the file",
                    )
                    self.line += count_breaks(text)
                    return len(buf)
                # a record without its end marker, then another record
                yield from self.gap(buf[pos:start])
                text = buf[start:following]
                breaks = count_breaks(text)
                yield ctx.unparsed(
                    text, self.line, self.line + breaks, "CMTrace record without its ]LOG]!> end marker"
                )
                self.line += breaks
                pos = start = following
                continue
            found = header_at(buf, close + CLOSE_LEN)
            if found is None:
                event_end = yield from self.odd_record(buf, pos, start, close, following, end_of_file)
                if event_end < 0:
                    break  # header not complete yet
                pos = event_end
                start = following if following >= pos else find(OPEN, pos)
                continue
            gap = buf[pos:start]
            if gap:
                if gap == "\r\n" or gap == "\n":
                    self.line += 1
                else:
                    yield from self.gap(gap)
            message = buf[start + OPEN_LEN : close]
            first = self.line
            if "\n" in message or "\r" in message:
                self.line += count_breaks(message)
            if find("\n", close, found.end()) >= 0 or find("\r", close, found.end()) >= 0:
                self.line += count_breaks(buf[close : found.end()])  # a value broken over lines
            if close - start > ctx.record_cap:
                message = self.capped(message, first)
            clock, date, component, kind, thread, source_file = found.groups()
            when = times.cmtrace_time(clock, date, iso_sign=self.writers.iso_sign(component, source_file))
            if when is not None and when.tzinfo is None:
                self.check_bias(clock, first)
            if self.cut is not None:
                message, first = self.cut
                self.cut = None
            yield Event(
                path,
                first,
                self.line,
                when,
                component,
                _SEVERITY.get(kind, Severity.INFO),
                thread_id(thread),
                message,
                NAME,
                source_file,
            )
            pos = found.end()
            start = following if following >= pos else find(OPEN, pos)
        if end_of_file:
            yield from self.gap(buf[pos:])
            return len(buf)
        if start < 0:
            # No record starts in the rest: hand over its complete lines now (so
            # foreign text does not pile up) and keep the last, unfinished one,
            # plus a CR that may be the first half of a CRLF.
            keep_from = max(buf.rfind("\n"), buf.rfind("\r")) + 1
            if buf.endswith("\r"):
                keep_from -= 1
            if keep_from > pos:
                yield from self.gap(buf[pos:keep_from])
                pos = keep_from
        return pos

    def odd_record(
        self, buf: str, pos: int, start: int, close: int, following: int, end_of_file: bool
    ) -> Generator[Event, None, int]:
        """A record whose header is not in the native shape. Returns where it
        ends, or -1 when its header is not complete yet."""
        ctx = self.ctx
        limit = following if following >= 0 else len(buf)
        found = _LOOSE_HEADER.match(buf, close + CLOSE_LEN, limit)
        if found is None and not end_of_file and following < 0:
            return -1
        yield from self.gap(buf[pos:start])
        first = self.line
        message = buf[start + OPEN_LEN : close]
        if found is None:
            # No header at all: keep what there is, as the file writer left it.
            end = limit if following >= 0 else len(buf)
            text = buf[start:end].rstrip("\r\n")
            self.line += count_breaks(text)
            attributes = {k.lower(): v for k, v in _ATTRIBUTE.findall(buf, close + CLOSE_LEN, end)}
            why = (
                "record cut off at the end of the file"
                if following < 0
                else "CMTrace record without a header"
            )
            if not attributes:
                yield ctx.unparsed(text, first, self.line, why)
                return start + len(text)
            ctx.problem(why, first)
            yield self.event_from(attributes, message, first)
            return start + len(text)
        attributes = {name.lower(): value for name, value in _ATTRIBUTE.findall(found[1])}
        self.line += count_breaks(buf[start : found.end()])
        if not attributes:
            yield ctx.unparsed(
                buf[start : found.end()], first, self.line, "CMTrace record with an unreadable header"
            )
            return found.end()
        if self.cut is not None:
            message, first = self.cut
            self.cut = None
        elif len(message) > ctx.record_cap:
            message = self.capped(message, first)
        yield self.event_from(attributes, message, first)
        return found.end()

    def capped(self, message: str, first: int) -> str:
        """Keep the cap's worth of an overlong message and report the cut."""
        cap = self.ctx.record_cap
        self.ctx.problem(
            f"record longer than {cap:,} characters: message cut, {len(message) - cap:,} characters skipped",
            first,
        )
        return message[:cap]

    def event_from(self, attributes: dict[str, str], message: str, first: int) -> Event:
        component = attributes.get("component", "")
        source_file = attributes.get("file", "")
        clock, date = attributes.get("time", ""), attributes.get("date", "")
        when = (
            times.cmtrace_time(clock, date, iso_sign=self.writers.iso_sign(component, source_file))
            if clock and date
            else None
        )
        if when is not None and when.tzinfo is None:
            self.check_bias(clock, first)
        thread = attributes.get("thread", "").strip()
        return Event(
            self.ctx.path,
            first,
            self.line,
            when,
            component,
            _SEVERITY.get(attributes.get("type", "").strip(), Severity.INFO),
            thread_id(thread),
            message,
            NAME,
            source_file,
        )

    def gap(self, text: str) -> Iterator[Event]:
        """Text between records: SMS trace lines are read as such, quote and
        comment markers are dropped, anything else is unparsed."""
        if not text:
            return
        if not text.strip():
            self.line += count_breaks(text)
            return
        if "\ufffd" in text and not text.strip("\ufffd\r\n\t "):
            self.line += count_breaks(text)  # undecodable bytes, already reported by the reader
            return
        if "\x00" in text and not text.strip("\x00\r\n\t "):
            self.ctx.problem(
                f"{text.count(chr(0)):,} NUL bytes skipped (a part of the file that was never written)",
                self.line,
            )
            self.line += count_breaks(text)
            return
        if CLOSE in text:
            text = yield from self.headless(text)
        pieces = _LINE_BREAKS.split(text)
        numbered = [(self.line + offset, piece) for offset, piece in enumerate(pieces)]
        self.line += len(pieces) - 1
        yield from assemble(numbered, self.ctx, self.trailer, loose=UNPARSED)

    def headless(self, text: str) -> Generator[Event, None, str]:
        """Records whose start was overwritten: two processes appending to one
        log through separate handles write at the same offset, and the later
        record covers the start of the earlier one (seen in real smsts.log).
        The tail still has its end marker and header, so it is kept, with
        what is left of its message. Returns the text after the last one."""
        while True:
            close = text.find(CLOSE)
            if close < 0:
                return text
            found = NATIVE_HEADER.match(text, close + CLOSE_LEN) or _LOOSE_HEADER.match(
                text, close + CLOSE_LEN
            )
            attributes = (
                {name.lower(): value for name, value in _ATTRIBUTE.findall(found[0])} if found else {}
            )
            if found is None or not attributes:
                return text
            lead = len(text) - len(text.lstrip("\r\n"))
            before = text[:lead]
            self.line += count_breaks(before)
            first = self.line
            message = text[lead:close]
            self.line += count_breaks(text[lead : found.end()])
            self.ctx.problem(
                "record without its start (overwritten by another writer); kept from mid-message", first
            )
            yield self.event_from(attributes, message, first)
            text = text[found.end() :]
