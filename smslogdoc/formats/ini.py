"""INI-like files such as the site server's `mobileclient.tcf`: `[Section]`
headers and `key=value` lines (keys often indented), `;` comments.

Each section header and each key line is an event whose component is the
section name and whose message is the line as written, so rules can ask for a
section or key to be present, missing or matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.lines import physical_lines
from smslogdoc.formats.protocol import Detected, Format, Sample
from smslogdoc.model import Event, Severity

NAME = "ini"
"""The format's name, as its events and reports carry it."""

_SECTION = re.compile(r"^\s*\[([^\]\r\n]*)\]\s*$")
_KEY = re.compile(r"^\s*([^=;#\[\s][^=]*?)\s*=(.*)$")
_COMMENT = re.compile(r"^\s*[;#]")


def looks_like_ini(lines: list[str]) -> bool:
    """A section header first, then mostly sections and keys."""
    meaningful = [line for line in lines if line.strip() and not _COMMENT.match(line)]
    if not meaningful or not _SECTION.match(meaningful[0]):
        return False
    fitting = sum(1 for line in meaningful if _SECTION.match(line) or _KEY.match(line))
    return fitting >= 0.8 * len(meaningful)


def split_key(message: str) -> tuple[str, str] | None:
    """(key, value) of an INI key line, key trimmed, value as written."""
    found = _KEY.match(message)
    return (found[1].strip(), found[2]) if found else None


def parse(lines: Iterable[tuple[int, str]], ctx: ParseContext) -> Iterator[Event]:
    """Events from the numbered lines of an INI file."""
    section = ""
    for number, text in lines:
        if not text.strip() or _COMMENT.match(text):
            continue
        found = _SECTION.match(text)
        if found:
            section = found[1].strip()
        elif not _KEY.match(text):
            yield ctx.unparsed(text, number, number, "line is neither a [section] nor a key=value pair")
            continue
        yield Event(ctx.path, number, number, None, section, Severity.INFO, None, text, NAME)


def _stream_events(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[Event]:
    return parse(physical_lines(stream, ctx, first_line), ctx)


def detect(sample: Sample) -> Detected | None:
    return Detected(NAME) if looks_like_ini(sample.lines) else None


FORMAT = Format(NAME, _stream_events, detect)
