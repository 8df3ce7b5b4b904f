"""SMS trace records: `message~  $$<Component><stamp><thread=N (0xN)>`.

Written by SMS 1.x and 2.0 clients and servers (smsapm32.log, ccim32.log,
clisvc.log ...) and by ConfigMgr site-server components (ccm.log). One record
is one physical line in a real log; this module also reads the damaged copies
found in knowledge-base articles: trailers wrapped onto following lines,
`&<`/`&>` and `<BR/>` left by HTML conversion, a lost `>`, runs of spaces.

`~` in a message stands for a line break (the writer replaced CR and LF),
except before a digit, where it is part of an 8.3 file name (`PROGRA~1`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from smslogdoc import times
from smslogdoc.formats import copied
from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.lines import Verdict, assemble, physical_lines
from smslogdoc.formats.plaintext import LineTimes
from smslogdoc.formats.protocol import Detected, Format, Sample
from smslogdoc.formats.severity import LITERALS, infer
from smslogdoc.model import Event, Severity

NAME = "smstrace"
"""The format's name, as its events and reports carry it."""
_SMS_TRAILER = re.compile(r"\$\$&?<[^<>]*&?>")
"""A trailer, as detection looks for it in a sample's lines."""

_TRAILER = re.compile(
    r"""\$\$<\s*(?P<component>[^<>]*?)\s*(?P<close>>)?   # $$<component>, the '>' sometimes lost
        \s*(?:<(?P<stamp>[^<>]*)>)?                        # <stamp>
        \s*(?:[<>]?\s*thread\s*=\s*(?P<thread>[^<>]*?)\s*>)?   # <thread=N (0xN)>
        \s*$""",
    re.VERBOSE,
)
_CUT_TRAILER = re.compile(
    r"""\$\$<\s*(?P<component>[^<>]*?)\s*>?\s*(?:<(?P<stamp>[^<>]*)>?)?\s*(?:[<>]?\s*thread\s*=\s*(?P<thread>[^<>]*?)\s*>?)?\s*$""",
    re.VERBOSE,
)
_CONTINUES = re.compile(r"\s*(?:<[^<>]*\d:\d\d[^<>]*>?|<?\s*thread\s*=)")
"""A line that carries the rest of a trailer wrapped after its component."""
_THREAD = re.compile(r"\s*(\d+)\s*(?:\(\s*0x[0-9A-Fa-f]+\s*\))?\s*$|\s*(?:0x)?([0-9A-Fa-f]+)\s*$")
_LINE_BREAK_TILDE = re.compile(r"~(?!\d)")


def _tail_start(text: str) -> int:
    return text.rfind("$$")


def _normalised(tail: str) -> str:
    if "&" in tail:
        tail = tail.replace("&<", "<").replace("&>", ">")
    if "<BR/>" in tail:
        tail = tail.replace("<BR/>", "")
    return tail


_EXACT = re.compile(r"\$\$<([^<>]*)><([^<>]*)><thread=(\d+) \(0x[0-9A-Fa-f]+\)>$")
"""The trailer as SMS writers write it; anything else takes the tolerant patterns."""


class Trailer:
    """The end-of-record marker of SMS trace lines, for the line assembler."""

    name = NAME

    def __init__(self) -> None:
        self._exact: tuple[str, int, re.Match[str]] | None = None
        """The last text `check` found an exact trailer in: `event` reuses the match."""

    def check(self, text: str) -> Verdict:
        """How complete the trailer at the end of `text` is."""
        start = text.rfind("$$<")
        if start >= 0 and text.find("$$", start + 2) < 0 and text.find("&", start) < 0:
            exact = _EXACT.match(text, start)
            if exact is not None:
                self._exact = (text, start, exact)
                return Verdict.COMPLETE
        start = _tail_start(text)
        if start < 0 or not text.startswith(("$$<", "$$&<"), start):
            return Verdict.NONE
        found = _TRAILER.match(_normalised(text[start:]))
        if found is None or (found["close"] is None and found["stamp"] is None and found["thread"] is None):
            return Verdict.OPEN
        if found["stamp"] is None and found["thread"] is None:
            return Verdict.PROVISIONAL
        return Verdict.COMPLETE

    @staticmethod
    def continues(line: str) -> bool:
        """Whether `line` carries the stamp or thread of a provisional trailer."""
        return _CONTINUES.match(line) is not None

    def event(self, text: str, line: int, end_line: int, ctx: ParseContext) -> Event:
        """The record that `text` (whose trailer `check` found whole) makes."""
        if self._exact is not None and self._exact[0] is text:
            _, start, exact = self._exact
            self._exact = None
            message = message_text(text[:start])
            severity = infer(message)
            return Event(
                ctx.path,
                line,
                end_line,
                times.sms_time(exact[2]) if exact[2] else None,
                " ".join(exact[1].split()),
                severity,
                int(exact[3]),
                message,
                NAME,
                severity_inferred=severity != Severity.INFO,
            )
        start = _tail_start(text)
        tail = _normalised(text[start:])
        found = _TRAILER.match(tail)
        if found is None:  # a trailer cut off at the end of the file: keep what it says
            ctx.problem("record cut off at the end of the file", end_line)
            found = _CUT_TRAILER.match(tail)
        return _build(text[:start], found, line, end_line, ctx.path)


def _build(raw_message: str, found: re.Match[str] | None, line: int, end_line: int, path: str) -> Event:
    component = stamp = thread_text = ""
    if found is not None:
        component = " ".join((found["component"] or "").split())
        stamp = found["stamp"] or ""
        thread_text = found["thread"] or ""
    message = message_text(raw_message)
    severity = infer(message)
    return Event(
        path,
        line,
        end_line,
        times.sms_time(stamp) if stamp else None,
        component,
        severity,
        thread_number(thread_text),
        message,
        NAME,
        severity_inferred=severity != Severity.INFO,
    )


def message_text(raw: str) -> str:
    """The message before `$$<`: separator spaces dropped, `~` made a line break."""
    message = raw.rstrip()
    if "~" in message:
        message = _LINE_BREAK_TILDE.sub("\n", message).strip("\r\n").rstrip()
    return message


def thread_number(text: str) -> int | None:
    """`1512 (0x5E8)` -> 1512; `E0` (SMS 1.x writes hex only) -> 224."""
    if not text:
        return None
    found = _THREAD.match(text)
    if found is None:
        return None
    if found[1] is not None:
        return int(found[1])
    return int(found[2], 16)


def parse(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[Event]:
    """Events from an SMS trace text stream whose first line is `first_line`."""
    return _records(physical_lines(stream, ctx, first_line), ctx)


_REGULAR = re.compile(r"(.*)\$\$<([^<>$&]*)><([^<>$&]*)><thread=(\d+) \(0x[0-9A-Fa-f]+\)>\Z", re.DOTALL)
"""A line that is one whole record as SMS writers write it: the last `$$<` of
the line opens `_EXACT`'s trailer, which holds no other `$` and no `&`. The
assembler, with no record pending, makes such a line one record by `_EXACT`
(and, with one pending, ends that record there: after it nothing is pending)."""
MAX_SECONDS = 4096
"""Seconds remembered per file (records come in time order: the memory is
emptied when full)."""


def _records(lines: Iterator[tuple[int, str]], ctx: ParseContext) -> Iterator[Event]:
    """The records of numbered lines: a regular line (`_REGULAR`) read by one
    match, with its second, component and thread remembered per file; from
    any other line up to and including the next regular one, the assembler's
    careful way (which ends in the state it starts in: nothing pending)."""
    trailer, clock = Trailer(), LineTimes(ctx.day_first)
    path, match = ctx.path, _REGULAR.match
    seconds: dict[str, tuple[int, int, int, int, int, int] | None] = {}
    components: dict[str, str] = {}
    for number, text in lines:
        found = match(text)
        if found is None:
            yield from assemble(_through_regular(number, text, lines), ctx, trailer, clock=clock)
            continue
        raw, component, stamp, thread = found.groups()
        message = message_text(raw)
        severity = infer(message)
        if len(seconds) >= MAX_SECONDS or len(components) >= MAX_SECONDS:
            seconds.clear()
            components.clear()
        yield Event(
            path,
            number,
            number,
            _time(stamp, seconds) if stamp else None,
            components.get(component) or components.setdefault(component, " ".join(component.split())),
            severity,
            int(thread),
            message,
            NAME,
            severity_inferred=severity != Severity.INFO,
        )


def _through_regular(number: int, text: str, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The line given and those after it, up to and including the next regular one."""
    yield number, text
    for number, text in lines:
        yield number, text
        if _REGULAR.match(text):
            return


def _time(stamp: str, seconds: dict[str, tuple[int, int, int, int, int, int] | None]) -> datetime | None:
    """`times.sms_time`, with the date and second of the usual shape read once a second."""
    if len(stamp) == 28:
        key = stamp[:20] + stamp[23:]
        if key in seconds:
            second = seconds[key]
        else:
            second = seconds[key] = times.sms_usual_second(stamp)
        if second is not None:
            try:
                return datetime(*second, int(stamp[20:23]) * 1000)
            except ValueError:
                pass  # read slowly below
    return times.sms_time(stamp)


# --- the byte layout, for scanning large logs (see read.scan) -------------------

_LINE_END = re.compile(rb"\$\$<[^<>\r\n]*><[^<>\r\n]*><thread=([^<>\r\n]*)>\r?\n")
"""The end of a regular line: the one `$$` of the line, a whole trailer (looser
than `_EXACT`: a line the parser reads with its tolerant patterns is regular
too), the line break. It captures the thread attribute."""
_THREAD_ATTRIBUTE = re.compile(rb"<thread=([^<>]*)>")


class ByteLayout:
    """One record per line; a regular line ends in exactly `$$<component><stamp><thread=N ...>`
    and holds no other `$$`."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx

    def cut(self, data: bytes) -> int:
        return data.rfind(b"\n") + 1

    def threads(self, block: bytes, final: bool) -> list[bytes] | None:
        if final and not block.endswith(b"\n"):
            block += b"\r\n"
        lines = block.count(b"\n")
        if not lines or block.count(b"$$") != lines:
            return None
        threads: list[bytes] = _LINE_END.findall(block)
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
        found = _THREAD_ATTRIBUTE.search(block, start, end)
        return thread_number(found[1].decode("latin-1").strip()) if found else None

    def parse(self, text: str, first_line: int) -> Iterator[Event]:
        pieces = text.split("\n")
        if pieces and pieces[-1] == "":
            pieces.pop()
        numbered = [
            (first_line + offset, piece[:-1] if piece.endswith("\r") else piece)
            for offset, piece in enumerate(pieces)
        ]
        return _records(iter(numbered), self.ctx)

    def stretches(self, text: str, spans: list[tuple[int, int, int]]) -> Iterator[Event]:
        for begin, end, line in spans:
            yield from self.parse(text[begin:end], line)


def detect(sample: Sample) -> Detected | None:
    """Lines with SMS trailers, at least as many as copied viewer rows (a copied
    row of an SMS log may hold a trailer too)."""
    sms = sum(1 for line in sample.lines if "$$" in line and _SMS_TRAILER.search(line))
    return Detected(NAME) if sms and sms >= len(copied.rows(sample)) else None


FORMAT = Format(
    NAME,
    parse,
    detect,
    ByteLayout,
    error_literals=tuple(
        literal.encode() for literal in LITERALS
    ),  # every record `severity.infer` makes an error holds one
    writes_severity=False,
)
