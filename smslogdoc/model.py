"""The nouns every stage shares: a parsed log record (`Event`), its `Severity`,
a `Problem` met while reading input, the per-file `FileReport`, and the
`ThreadNote` a scan leaves where it skipped records.

Everything here is plain data. Parsers create events, the rule engine reads
them, reporters print them; nothing in this module does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum


class Level(StrEnum):
    """How severe a finding is: a rule's `severity`, `--min-severity`,
    `--fail-on`, `--unexplained`. Its members are strings (`"error"`), so they
    print, compare and serialise as the words they are."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


SEVERITIES: tuple[Level, ...] = tuple(Level)
"""The severities of findings, lowest first."""


class Severity(IntEnum):
    """How a record rates itself: CMTrace `type` 0..3, or words in the text
    (a finding's severity is a `Level`, named like the three upper ones)."""

    VERBOSE = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in output and in rules (`error`, `warning`...)."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a severity name (`error`, `Warning`, ...); raises ValueError."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r}; expected one of {names}") from None


@dataclass(slots=True, eq=True)
class Event:
    """One log record, parsed. Created by the parsers, never modified afterwards."""

    path: str
    """The log file as the user named it (or `<stdin>`)."""

    line: int
    """First physical line of the record, 1-based. CR, LF and CRLF each end a line."""

    end_line: int
    """Last physical line of the record (equal to `line` for one-line records)."""

    time: datetime | None
    """When the record was written. Time-zone aware when the log says its offset;
    naive when the format only carries local wall-clock time; None when absent."""

    component: str
    """The writer of the record (`ccmsetup`, `execmgr`, `APM`, an INI section...)."""

    severity: Severity
    """CMTrace `type`; for other formats only text that clearly says error or warning."""

    thread: int | None
    """Thread id as written, or None when the format has none."""

    message: str
    """The record's text with its line breaks and leading spaces kept."""

    format: str
    """The format that produced the record: cmtrace, smstrace, copied, ini, text or unparsed."""

    file: str = ""
    """The CMTrace `file` attribute (`ccmsetup.cpp:9498`), empty elsewhere."""

    time_ambiguous: bool = False
    """True when the date could be read day-first or month-first and the file
    did not tell which (a copied row's `03/07/2019` with no day above 12 in it)."""


@dataclass(frozen=True)
class ThreadNote:
    """Threads that first appear in a stretch of a log whose records were not
    read one by one (large logs are scanned for the records rules need, `read.scan`): the
    engine's run tracker gives them to the current run, as if each record had been seen."""

    threads: frozenset[int]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that went wrong reading input, reported in one line and never fatal."""

    path: str
    message: str
    line: int | None = None
    rule: str | None = None
    """The rule the problem is about (a pattern that took too long), when it is
    not the input's: such a problem says nothing about whether the file could be read."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class FileReport:
    """What reading one file produced: filled in while its events stream past."""

    path: str
    format: str = ""
    encoding: str = ""
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: bool = False
    """True when the file was not parsed at all (binary, unreadable, missing)."""
    covered: bool | None = None
    """Whether any loaded rule reads this kind of log (None until diagnosed)."""
    error_records: int = 0
    """Error records the diagnosis saw in the file (known-benign ones included)."""
    in_window: int | None = None
    """With --since/--until, the records inside the window (None without one)."""

    def problem(self, message: str, line: int | None = None) -> Problem:
        """Record a problem with this file and return it."""
        found = Problem(self.path, message, line)
        self.problems.append(found)
        return found
