"""Rows copied out of a log viewer (CMTrace or SMS Trace "Copy to Clipboard"):
`message<TAB>component<TAB>date time<TAB>thread (0xHEX)`.

The date and time are in the viewer's locale (US `3/4/2009 11:16:10 AM`, UK
`19/07/2024 17:36:08`, German `03.07.2019 14:17:54`) and carry no zone, so
times are local. A multi-line message is pasted with its line breaks: the
columns follow its last line. Pastes that went through a web page lose their
tabs (columns separated by spaces) or their dates (`\\<date> \\<time>`); both
are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from smslogdoc import times
from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.lines import Verdict, assemble, physical_lines
from smslogdoc.formats.plaintext import severity_of
from smslogdoc.formats.protocol import Format
from smslogdoc.model import Event

_THREAD_COLUMN = re.compile(r"\s*(\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\)\s*$")
_SPACED = re.compile(
    r"""^(?P<message>.*?)\s+(?P<component>[^\s]+)\s+
        (?P<when>\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)
        (?:\s+(?P<thread>\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\))?\s*$""",
    re.VERBOSE,
)
_PLACEHOLDER = re.compile(r"^(?P<message>.*?)\\?<date>\s*\\?<time>\s*(?:(?P<thread>\d+)\s*\(\s*0x[0-9A-Fa-f]+\s*\))?\s*$")
_DATE_FIELDS = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}")


class Row:
    """The fields of one copied row."""

    __slots__ = ("component", "message", "thread", "when")

    def __init__(self, message: str, component: str, when: datetime | None, thread: int | None) -> None:
        self.message, self.component, self.when, self.thread = message, component, when, thread


def parse_row(line: str, day_first: bool | None = None) -> Row | None:
    """The columns at the end of `line`, or None when it has none."""
    if "\t" in line:
        row = _tabbed(line, day_first)
        if row is not None:
            return row
    found = _SPACED.match(line)
    if found:
        when = times.copied_time(found["when"], day_first=day_first)
        if when is not None:
            thread = int(found["thread"]) if found["thread"] else None
            return Row(found["message"], found["component"], when, thread)
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
    if len(parts) < 3:
        return None
    when = times.copied_time(parts[-1], day_first=day_first)
    if when is None:
        return None
    return Row("\t".join(parts[:-2]), parts[-2].strip(), when, thread)


def day_first_hint(sample_lines: list[str]) -> bool | None:
    """Infer the date order of a paste from day or month values above 12."""
    for line in sample_lines:
        if re.search(r"\s[AaPp][Mm]\b", line):
            return False
        for found in _DATE_FIELDS.finditer(line):
            first, second = int(found[1]), int(found[2])
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return None


class Columns:
    """The end-of-record marker of copied rows, for the line assembler."""

    name = "copied"

    def __init__(self, day_first: bool | None) -> None:
        self._day_first = day_first

    def check(self, text: str) -> Verdict:
        """COMPLETE when the last line of `text` ends with columns."""
        last = text[text.rfind("\n") + 1 :]
        return Verdict.COMPLETE if parse_row(last, self._day_first) is not None else Verdict.NONE

    @staticmethod
    def continues(line: str) -> bool:
        return False

    def event(self, text: str, line: int, end_line: int, ctx: ParseContext) -> Event:
        cut = text.rfind("\n") + 1
        row = parse_row(text[cut:], self._day_first)
        assert row is not None, "check() said the row is complete"
        message = text[:cut] + row.message.rstrip()
        return Event(ctx.path, line, end_line, row.when, row.component, severity_of(message), row.thread, message, "copied")


def parse(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[Event]:
    """Events from pasted viewer rows whose first line is `first_line`."""
    return assemble(physical_lines(stream, ctx, first_line), ctx, Columns(ctx.day_first))


FORMAT = Format("copied", parse)
