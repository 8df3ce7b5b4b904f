"""Which format a file is in, decided from the first part of its text (never
from its name): CMTrace (also when a web page damaged it, see
`formats.damage`), SMS trace, copied viewer rows, INI, or plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smslogdoc.formats import cmtrace, copied, damage, ini

CMTRACE, SMSTRACE, COPIED, INI, TEXT = "cmtrace", "smstrace", "copied", "ini", "text"
FORMATS = (CMTRACE, SMSTRACE, COPIED, INI, TEXT)

_SAMPLE_LINES = 400
_SMS_TRAILER = re.compile(r"\$\$&?<[^<>]*&?>")


@dataclass(frozen=True)
class Detected:
    """The format of a file and what else its sample told."""

    format: str
    day_first: bool | None = None
    """For copied rows: the date order the sample showed, if it showed one."""
    damage: tuple[str, ...] = ()
    """For CMTrace: what a web page did to the paste (`formats.damage`), to be repaired."""


def detect(sample: str) -> Detected:
    """Decide the format from a sample of the file's text."""
    if cmtrace.OPEN in sample and cmtrace.looks_like_cmtrace(sample):
        return Detected(CMTRACE)
    found = damage.damage_in(sample)
    if found:
        return Detected(CMTRACE, damage=found)
    lines = re.split(r"\r\n|\r|\n", sample)[:_SAMPLE_LINES]
    sms = sum(1 for line in lines if "$$" in line and _SMS_TRAILER.search(line))
    rows = [line for line in lines if copied.parse_row(line) is not None]
    if sms and sms >= len(rows):
        return Detected(SMSTRACE)
    meaningful = sum(1 for line in lines if line.strip())
    if len(rows) >= 3 or (rows and len(rows) >= 0.2 * meaningful):
        return Detected(COPIED, copied.day_first_hint(rows))
    if ini.looks_like_ini(lines):
        return Detected(INI)
    return Detected(TEXT)
