"""Rows copied out of a log viewer (CMTrace or SMS Trace "Copy to Clipboard"):
`message<TAB>component<TAB>date time<TAB>thread (0xHEX)`, or without the
component column (`message<TAB>date time<TAB>thread (0xHEX)`). Two other layouts
are read too: the date before the component (`message date time component
thread (0xHEX)`, single spaces), and the columns first, as Microsoft's
knowledge-base articles print rows (`MM-DD-YYYY HH:MM:SS.mmm component thread
(0xHEX) message`, KB 18408), where the lines after a row without columns of
their own go on its message.

The date and time are in the viewer's locale (US `3/4/2009 11:16:10 AM`, UK
`19/07/2024 17:36:08`, Dutch `12-11-2010 16:26:12`, German `03.07.2019
14:17:54`) and carry no zone, so times are local. A multi-line message is
pasted with its line breaks: the columns follow its last line. Pastes that
went through a web page lose their tabs (columns separated by spaces) or their
dates (`\\<date> \\<time>`); both are read too.

Whether a slashed or dashed 24-hour date is day-first is told by the file: a
day above 12 anywhere in it (the parser looks ahead, up to `LOOKAHEAD_CHARS`
and `LOOKAHEAD_LINES`) settles it. When nothing does, dates such as
`03/07/2019` are read day-first, each such event is marked `time_ambiguous`,
and the file gets one problem line saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain
from typing import TextIO

from smslogdoc import times
from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.lines import MAX_PENDING, Verdict, assemble, physical_lines
from smslogdoc.formats.protocol import Detected, Format, Sample
from smslogdoc.formats.severity import infer
from smslogdoc.model import Event, Severity

NAME = "copied"
"""The format's name, as its events and reports carry it."""

_THREAD_COLUMN = re.compile(r"\s*(\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\)\s*$")
_SPACED = re.compile(
    r"""^(?P<message>.*?)\s+(?P<component>[^\s]+)\s+
        (?P<when>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)
        (?:\s+(?P<thread>\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\))?\s*$""",
    re.VERBOSE,
)
_WHEN = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:\s*[AaPp][Mm])?"
_THREAD = r"(?P<thread>\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\)"
_DATE_FIRST = re.compile(rf"^(?P<message>.*?)\s+(?P<when>{_WHEN})\s+(?P<component>\S+)\s+{_THREAD}\s*$")
"""`message date time component thread (0xHEX)`: the date before the component."""
_LEADING = re.compile(rf"^\s*(?P<when>{_WHEN})\s+(?P<component>\S+)\s+{_THREAD}(?:\s+(?P<message>.*?))?\s*$")
"""`date time component thread (0xHEX) message`: the columns first (KB 18408)."""
_PLACEHOLDER = re.compile(
    r"^(?P<message>.*?)\\?<date>\s*\\?<time>\s*(?:(?P<thread>\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\))?\s*$"
)
_DATE_FIELDS = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2\d{2,4}\b")
_DASHED = re.compile(r"\s*\d{1,2}-\d{1,2}-\d{2,4}\b")
_MERIDIEM = re.compile(r"\d\s*[AaPp]\.?[Mm]\.?\s*$")

LOOKAHEAD_CHARS = 8 << 20
LOOKAHEAD_LINES = 100_000
"""How much of a paste is held (characters, lines), looking for a date that tells the date order."""


class Row:
    """The fields of one copied row."""

    __slots__ = ("component", "date", "leading", "message", "thread", "when")

    def __init__(
        self,
        message: str,
        component: str,
        when: datetime | None,
        thread: int | None,
        date: str = "",
        leading: bool = False,
    ) -> None:
        self.message, self.component, self.when, self.thread = message, component, when, thread
        self.date = date
        """The Date/Time column as written."""
        self.leading = leading
        """The columns come first and the message after them (KB 18408's layout)."""


def parse_row(line: str, day_first: bool | None = None) -> Row | None:
    """The columns at the end of `line`, or None when it has none."""
    if "\t" in line:
        row = _tabbed(line, day_first)
        if row is not None:
            return row
    for layout in (_SPACED, _DATE_FIRST, _LEADING):
        found = layout.match(line)
        if found:
            when = times.copied_time(found["when"], day_first=day_first)
            if when is not None:
                thread = int(found["thread"]) if found["thread"] else None
                message = found["message"] or ""
                return Row(message, found["component"], when, thread, found["when"], layout is _LEADING)
    if "<date>" in line:
        found = _PLACEHOLDER.match(line)
        if found:
            thread = int(found["thread"]) if found["thread"] else None
            return Row(found["message"], "", None, thread)
    return None


def _tabbed(line: str, day_first: bool | None) -> Row | None:
    parts = line.split("\t")
    while parts and not parts[-1].strip():
        parts.pop()  # SMS Trace ends rows with a tab
    if len(parts) < 3:
        return None
    thread = None
    found = _THREAD_COLUMN.match(parts[-1])
    if found:
        thread = int(found[1])
        parts.pop()
    if len(parts) == 2 and thread is not None:
        # no component column (`message<TAB>date time<TAB>thread (0xHEX)`, as the Driver
        # Automation Tool writes its log): the message is the whole first column
        when = times.copied_time(parts[1], day_first=day_first)
        return None if when is None else Row(parts[0], "", when, thread, parts[1])
    if len(parts) < 3:
        return None
    when = times.copied_time(parts[-1], day_first=day_first)
    if when is None:
        return None
    return Row("\t".join(parts[:-2]), parts[-2].strip(), when, thread, parts[-1])


def date_order(date: str) -> bool | None:
    """What one Date/Time column tells of the file's date order: True (day
    first: `19/02/2019`, also with AM/PM: `29/04/2021 1:56:09 PM`), False
    (month first: `07/25/2019`, or any other AM/PM date, the US form), None
    (`03/07/2019`, and dotted dates, always day-first)."""
    found = _DATE_FIELDS.match(date)
    if found is not None and found[2] != "." and int(found[1]) > 12 >= int(found[3]):
        return True
    if _MERIDIEM.search(date):
        return False
    if found is None or found[2] == ".":
        return None
    first, second = int(found[1]), int(found[3])
    if second > 12 >= first:
        return False
    return None


def order_of(row: Row) -> bool | None:
    """What a row tells of the file's date order (`date_order`); a dashed date
    in columns that come first is month-first when nothing else tells, as the
    `MM-DD-YYYY` of the log's own date attribute that layout repeats (KB 18408)."""
    order = date_order(row.date)
    if order is None and row.leading and _DASHED.match(row.date):
        return False
    return order


def ambiguous(date: str) -> bool:
    """Whether a Date/Time column reads differently day-first and month-first."""
    if _MERIDIEM.search(date):
        return False
    found = _DATE_FIELDS.match(date)
    return (
        found is not None
        and found[2] != "."
        and found[1] != found[3]
        and int(found[1]) <= 12
        and int(found[3]) <= 12
    )


def day_first_hint(sample_lines: list[str]) -> bool | None:
    """The date order of a paste, from the first of its rows that tells it."""
    for line in sample_lines:
        row = parse_row(line)
        if row is not None and row.date:
            order = order_of(row)
            if order is not None:
                return order
    return None


def _look_ahead(lines: Iterator[tuple[int, str]]) -> tuple[list[tuple[int, str]], bool | None]:
    """The lines read up to the first row that tells the date order (or the
    budget's end), and that order (None: nothing told)."""
    held: list[tuple[int, str]] = []
    size = 0
    for number, text in lines:
        held.append((number, text))
        size += len(text)
        row = parse_row(text)
        if row is not None and row.date:
            order = order_of(row)
            if order is not None:
                return held, order
        if size > LOOKAHEAD_CHARS or len(held) >= LOOKAHEAD_LINES:
            break
    return held, None


class Columns:
    """The end-of-record marker of copied rows, for the line assembler."""

    name = NAME

    def __init__(self, day_first: bool | None) -> None:
        self._day_first = day_first
        self._noted = False

    def check(self, text: str) -> Verdict:
        """COMPLETE when the last line of `text` ends with columns; PROVISIONAL
        when a line of it begins with them (the lines after may go on its
        message, up to `MAX_PENDING`)."""
        if "\n" not in text:  # the usual case: one line, parsed once
            row = parse_row(text, self._day_first)
            if row is None:
                return Verdict.NONE
            return Verdict.PROVISIONAL if row.leading else Verdict.COMPLETE
        lines = text.split("\n")
        if self._leading_at(lines) is not None:
            return Verdict.COMPLETE if len(lines) >= MAX_PENDING else Verdict.PROVISIONAL
        row = parse_row(lines[-1], self._day_first)
        return Verdict.COMPLETE if row is not None else Verdict.NONE

    @staticmethod
    def continues(line: str) -> bool:
        """Whether a line goes on the message of a row whose columns came first:
        it holds text and no columns of its own."""
        return bool(line.strip()) and parse_row(line) is None

    def _leading_at(self, lines: list[str]) -> int | None:
        """The first line that begins with columns (KB 18408's layout), if any."""
        for index, text in enumerate(lines):
            row = parse_row(text, self._day_first)
            if row is not None and row.leading:
                return index
        return None

    def _row(self, text: str) -> tuple[Row, str]:
        """The row of a record's text and its whole message."""
        lines = text.split("\n")
        at = self._leading_at(lines)
        if at is None:
            cut = text.rfind("\n") + 1
            row = parse_row(text[cut:], self._day_first)
            assert row is not None, "check() said the row is complete"
            return row, text[:cut] + row.message.rstrip()
        row = parse_row(lines[at], self._day_first)
        assert row is not None
        return row, "\n".join([*lines[:at], row.message.rstrip(), *lines[at + 1 :]]).strip("\n")

    def event(self, text: str, line: int, end_line: int, ctx: ParseContext) -> Event:
        row, message = self._row(text)
        unsure = self._day_first is None and row.when is not None and ambiguous(row.date)
        if unsure and not self._noted:
            self._noted = True
            ctx.problem(
                f"dates such as {row.date.split()[0]} read day-first: no date in the file tells whether day or month"
                " comes first, so their times are marked ambiguous (time_ambiguous in JSON)",
                line,
            )
        severity = infer(message)
        return Event(
            ctx.path,
            line,
            end_line,
            row.when,
            row.component,
            severity,
            row.thread,
            message,
            NAME,
            "",
            unsure,
            severity != Severity.INFO,
        )


def parse(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[Event]:
    """Events from pasted viewer rows whose first line is `first_line`."""
    lines: Iterable[tuple[int, str]] = physical_lines(stream, ctx, first_line)
    day_first = ctx.day_first
    if day_first is None:
        held, day_first = _look_ahead(iter(lines))
        lines = chain(held, lines)
    yield from assemble(lines, ctx, Columns(day_first))


def _rows(sample: Sample) -> list[str]:
    return [line for line in sample.lines if parse_row(line) is not None]


def rows(sample: Sample) -> list[str]:
    """The lines of a sample that are copied viewer rows."""
    return sample.once(_rows)


def detect(sample: Sample) -> Detected | None:
    """Three rows, or rows in a fifth of the sample's lines that hold text."""
    found = rows(sample)
    meaningful = sum(1 for line in sample.lines if line.strip())
    if len(found) >= 3 or (found and len(found) >= 0.2 * meaningful):
        return Detected(NAME, day_first_hint(found))
    return None


FORMAT = Format(NAME, parse, detect, writes_severity=False)
