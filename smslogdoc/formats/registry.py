"""Every format smslogdoc reads, by name, in the order they are asked to claim
a file (`detect`). A new format is a module in this package with a `FORMAT`
(a `protocol.Format`, which says how it detects itself), listed here."""

from __future__ import annotations

from smslogdoc.formats import cmtrace, copied, ini, smstrace
from smslogdoc.formats.lines import PLAIN_TEXT
from smslogdoc.formats.protocol import Detected, Format, Sample

FORMATS: dict[str, Format] = {
    found.name: found for found in (cmtrace.FORMAT, smstrace.FORMAT, copied.FORMAT, ini.FORMAT, PLAIN_TEXT)
}
"""Plain text comes last: it claims any text."""


def detect(text: str) -> Detected:
    """The format of a file, decided from the first part of its text (never
    from its name): the first format in `FORMATS` that claims it."""
    sample = Sample(text)
    for candidate in FORMATS.values():
        found = candidate.detect(sample)
        if found is not None:
            return found
    raise AssertionError("plain text claims any text")
