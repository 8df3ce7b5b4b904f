"""Plain text lines: Windows Installer logs, pasted messages, anything without
record structure. Each line is an event; its time is taken from the line when
the line carries one, and its severity from its words (`formats.severity`)."""

from __future__ import annotations

import re
from datetime import datetime

from smslogdoc import times
from smslogdoc.formats.severity import infer
from smslogdoc.formats.webpage import QUOTES
from smslogdoc.model import Event, Severity

NAME = "text"
"""The format's name, as its events and reports carry it."""

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,7}))?\s*(Z|[+-]\d{2}:?\d{2})?(?!\d)"
)
_LOCALE = re.compile(
    r"(?<![\d/.])(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)"
)
_MSI_CLOCK = re.compile(
    r"^MSI \(\w\) \([0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}\) \[(\d{2}):(\d{2}):(\d{2}):(\d{3})\]"
)
_LOOKS_AT = 48
"""Only a time near the start of a line is taken as the line's time."""


class LineTimes:
    """Finds the time a plain line carries. Remembers the last full date so
    that time-only lines (Windows Installer `[16:26:11:416]`) get one too."""

    def __init__(self, day_first: bool | None = None) -> None:
        # Plain logs with slashed dates are mostly Windows Installer logs, which
        # write the US short date (2/4/2020 = 4 February) unless told otherwise.
        self._day_first = False if day_first is None else day_first
        self._date: datetime | None = None

    def of(self, text: str) -> datetime | None:
        head = text[:_LOOKS_AT]
        found = _ISO.search(head)
        if found:
            return self._remember(_iso(found))
        found = _LOCALE.search(head)
        if found:
            return self._remember(times.copied_time(found[1], day_first=self._day_first))
        found = _MSI_CLOCK.match(text)
        if found and self._date is not None:
            hour, minute, second, milli = (int(part) for part in found.groups())
            try:
                return self._date.replace(hour=hour, minute=minute, second=second, microsecond=milli * 1000)
            except ValueError:
                return None
        return None

    def _remember(self, value: datetime | None) -> datetime | None:
        if value is not None:
            self._date = value
        return value


def _iso(found: re.Match[str]) -> datetime | None:
    micro = int((found[7] + "000000")[:6]) if found[7] else 0
    zone = None
    if found[8]:
        zone = times.parse_zone("+00:00" if found[8] == "Z" else found[8])
    try:
        year, month, day, hour, minute, second = (int(found[i]) for i in range(1, 7))
        return datetime(year, month, day, hour, minute, second, micro, zone)
    except ValueError:
        return None


_PAGE_CHARACTERS = str.maketrans({**QUOTES, "\xa0": " "})
"""What a web page makes of quotes and spaces in a pasted line, put back."""


def text_event(path: str, line: int, end_line: int, text: str, clock: LineTimes) -> Event:
    """One plain-text event (without the spaces a paste left at the line's end)."""
    if text[-1:].isspace():
        text = text.rstrip()
    if not text.isascii():
        text = text.translate(_PAGE_CHARACTERS)
    severity = infer(text)
    return Event(
        path,
        line,
        end_line,
        clock.of(text),
        "",
        severity,
        None,
        text,
        NAME,
        severity_inferred=severity != Severity.INFO,
    )
