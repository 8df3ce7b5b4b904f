"""The fast path of the CMTrace reader: runs of regular records (a native
header on one line, at most a line break between records, nothing else),
found by one compiled pattern and cut into fields by it, with what repeats
from record to record (a date and bias, a writer, a thread id) worked out once
per file. Anything else (a header in another shape, text between records, an
overlong record) stops the run, and `cmtracetext.Reader` reads it the careful
way; the events are the same either way (`tests/formats/test_cmtrace_regular.py`
compares the two on every sample and on mutated logs).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from smslogdoc import times
from smslogdoc.formats.context import ParseContext, count_breaks
from smslogdoc.model import Event, Severity

REGULAR = re.compile(
    r"(\r\n|\n)?<!\[LOG\[([^\]]*(?:\](?!LOG\]!>)[^\]]*)*)\]LOG\]!>"
    r'<time="([^"\r\n]*)" date="([^"\r\n]*)" component="([^"\r\n]*)" context="[^"\r\n]*" '
    r'type="([^"\r\n]*)" thread="([^"\r\n]*)" file="([^"\r\n]*)">'
)
"""A regular record and the line break before it: its message (which holds no
end marker) and the native header's attributes, none broken over lines."""
OPEN = "<![LOG["
_SEVERITY = {"0": Severity.VERBOSE, "1": Severity.INFO, "2": Severity.WARNING, "3": Severity.ERROR}
_Day = tuple[int, int, int, tzinfo | None]
_NO_DAY: _Day = (0, 0, 0, None)
_MILLIS = {f"{millis:03d}": timedelta(milliseconds=millis) for millis in range(1000)}
"""A time's milliseconds as written (`068`) and as an amount to add."""
_SECONDS = {f"{second:02d}": timedelta(seconds=second) for second in range(60)}
MAX_SECONDS = 100_000
"""Seconds remembered per file (more than a day's worth: odd digits too)."""


class Reading(Protocol):
    """What the fast path needs of the reader it works for."""

    ctx: ParseContext
    line: int
    cut: tuple[str, int] | None

    def check_bias(self, clock: str, line: int) -> None: ...

    def iso_sign(self, component: str, source_file: str) -> bool: ...

    def records(self, buf: str, end_of_file: bool) -> Generator[Event, None, int]: ...


class Regular:
    """The per-file memory of the fast path: days and zones by date and bias,
    writers' sign conventions, thread ids."""

    def __init__(self, format_name: str) -> None:
        self.name = format_name
        self.days: dict[tuple[str, str, bool], _Day] = {}
        self.signs: dict[tuple[str, str], bool] = {}
        self.threads: dict[str, int | None] = {}
        self.seconds: dict[str, tuple[_Day, datetime]] = {}
        """A second's time (and the day it was built for) by a time's first 8
        characters (a day has 86,400), and a minute's by its first 5."""

    def records(self, reader: Reading, buf: str, pos: int, end: int) -> Generator[Event, None, int]:
        """Yield the regular records from `pos` on (before `end`); return where
        the run of them stopped."""
        _, stopped = yield from self.stretches(reader, buf, ((pos, end, reader.line),), blank_ends=False)
        return stopped

    def stretches(
        self,
        reader: Reading,
        buf: str,
        spans: Sequence[tuple[int, int, int]],
        *,
        blank_ends: bool = True,
        careful: bool = False,
    ) -> Generator[Event, None, tuple[int, int]]:
        """Yield the regular records of each stretch of `buf` (start, end, first
        line) in turn; return the place of the first stretch whose run of them
        stopped short, and where (or the number of stretches, and the last's
        end). With `blank_ends`, a stretch whose records are followed by line
        breaks alone is whole (the stretches a scan picks end so); its lines
        are counted. With `careful`, what is left of a stretch that stopped
        short is read by the reader's careful loop (`records`) and the run goes
        on with the next stretch (no generator between: a record passes one
        layer less). One call for the many stretches of a scanned window: what
        a call binds is bound once for all of them."""
        # long on purpose: the loop every CMTrace record goes through, its
        # look-ups bound to locals once; the rare cases go back to the reader.
        ctx = reader.ctx
        path, cap, name = ctx.path, ctx.record_cap, self.name
        days, signs, threads, seconds = self.days, self.signs, self.threads, self.seconds
        severity_of, info = _SEVERITY.get, Severity.INFO
        line = reader.line
        match = REGULAR.match
        end = 0
        try:
            for index, (begin, end, line) in enumerate(spans):
                pos = begin
                while reader.cut is None:
                    found = match(buf, pos, end)
                    if found is None:
                        break
                    brk, message, clock, date, component, kind, thread, source_file = found.groups()
                    if OPEN in message or len(message) + len(OPEN) > cap:
                        break  # a record without its end marker before this one, or an overlong one
                    if brk:
                        line += 1
                    first = line
                    if "\n" in message or "\r" in message:
                        line += count_breaks(message)
                    sign = signs.get((component, source_file))
                    if sign is None:
                        sign = signs[(component, source_file)] = reader.iso_sign(component, source_file)
                    when = _time(clock, date, sign, days, seconds)
                    if when is not None and when.tzinfo is None:
                        reader.line = line
                        reader.check_bias(clock, first)
                    number = threads.get(thread, _UNSEEN)
                    if number is _UNSEEN:
                        number = threads[thread] = (
                            int(thread) if thread.isdigit() and thread.isascii() else None
                        )
                    pos = found.end()
                    yield Event(
                        path,
                        first,
                        line,
                        when,
                        component,
                        severity_of(kind, info),
                        number,  # type: ignore[arg-type]
                        message,
                        name,
                        source_file,
                    )
                if pos == end:
                    continue
                if blank_ends and pos > begin and not buf[pos:end].strip():
                    line += count_breaks(buf[pos:end])
                    continue
                if not careful:
                    return index, pos
                reader.line = line
                yield from reader.records(buf[pos:end], True)
                line = reader.line
        finally:
            reader.line = line
        return len(spans), end


_UNSEEN = object()


def _time(
    clock: str,
    date: str,
    iso_sign: bool,
    days: dict[tuple[str, str, bool], _Day],
    seconds: dict[str, tuple[_Day, datetime]],
) -> datetime | None:
    """`times.cmtrace_time`, its date and bias read once per file, and a
    second's time built once (records come many to a second; from its
    minute's, for logs that write a record every few seconds): a record's
    time is that second's plus its milliseconds, an addition instead of a
    new `datetime` (which costs about three times as much)."""
    if len(clock) > 12 and clock[2] == ":" and clock[5] == ":" and clock[8] == "." and clock[12] in "+-":
        key = (date, clock[12:], iso_sign)
        day = days.get(key)
        if day is None:
            day = days[key] = _day(date, clock[12:], iso_sign)
        if day is not _NO_DAY:
            known = seconds.get(clock[:8])
            if known is None or known[0] is not day:
                known = _second(clock, day, seconds)
            millis = _MILLIS.get(clock[9:12])
            if known is not None and millis is not None:
                return known[1] + millis
            try:
                return datetime(
                    day[0],
                    day[1],
                    day[2],
                    int(clock[0:2]),
                    int(clock[3:5]),
                    int(clock[6:8]),
                    int(clock[9:12]) * 1000,
                    day[3],
                )
            except ValueError:
                pass  # read slowly below
    return times.cmtrace_time(clock, date, iso_sign=iso_sign)


def _second(clock: str, day: _Day, seconds: dict[str, tuple[_Day, datetime]]) -> tuple[_Day, datetime] | None:
    """The time of a clock's second on `day`, remembered (None when its hour,
    minute or second is not one): its minute's plus its seconds where that
    minute was seen."""
    minute = seconds.get(clock[:5])
    if minute is None or minute[0] is not day:
        try:
            start = datetime(day[0], day[1], day[2], int(clock[0:2]), int(clock[3:5]), 0, 0, day[3])
        except ValueError:
            return None
        minute = seconds[clock[:5]] = (day, start)
    offset = _SECONDS.get(clock[6:8])
    if offset is None:
        return None
    if len(seconds) >= MAX_SECONDS:
        seconds.clear()
    known = seconds[clock[:8]] = (day, minute[1] + offset)
    return known


def _day(date: str, bias: str, iso_sign: bool) -> _Day:
    """(year, month, day, zone) as `times.cmtrace_time` reads them."""
    return times.native_base((date, bias, iso_sign)) or _NO_DAY
