"""What a format parser needs to know about the file it is parsing, and where it
reports what it could not read. Shared by every format module."""

from __future__ import annotations

from dataclasses import dataclass, field

from smslogdoc.model import Event, FileReport, Severity

UNPARSED = "unparsed"
"""The format of events made of text that fits no format (`ParseContext.unparsed`)."""

RECORD_CAP = 1 << 20
"""Longest record kept whole, in characters; longer ones are cut and reported."""

MAX_PROBLEMS_PER_FILE = 20
"""Problems listed one by one per file; the rest are counted in one last line."""


@dataclass
class ParseContext:
    """The file being parsed, its report, and the reading limits."""

    path: str
    report: FileReport
    record_cap: int = RECORD_CAP
    day_first: bool | None = None
    """For copied rows: whether `03/07/2019` is day-first (from the sniffed sample)."""
    _suppressed: int = field(default=0, init=False)

    def problem(self, message: str, line: int | None = None) -> None:
        """Report a problem on this file, keeping the list short."""
        if len(self.report.problems) < MAX_PROBLEMS_PER_FILE:
            self.report.problem(message, line)
        else:
            self._suppressed += 1

    def finish(self) -> None:
        """Add the count of problems not listed one by one."""
        if self._suppressed:
            self.report.problem(f"{self._suppressed} more problem(s) not listed")
            self._suppressed = 0

    def unparsed(self, text: str, line: int, end_line: int, why: str) -> Event:
        """An event for text that fits no format, with the problem reported."""
        self.problem(why, line)
        if len(text) > self.record_cap:
            text = text[: self.record_cap]
        return Event(self.path, line, end_line, None, "", Severity.INFO, None, text, UNPARSED)


def count_breaks(text: str) -> int:
    """Line breaks in `text`: CR, LF and CRLF each count once."""
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks
