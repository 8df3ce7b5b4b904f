"""Every format smslogdoc reads, by name, in the order they are asked to claim
a file (`detect`). A new format is a module in this package with a `FORMAT`
(a `protocol.Format`, which says how it detects itself), listed here."""

from __future__ import annotations

from dataclasses import replace

from smslogdoc.formats import cmtrace, copied, damage, ini, smstrace
from smslogdoc.formats.lines import PLAIN_TEXT
from smslogdoc.formats.protocol import Detected, Format, Sample
from smslogdoc.formats.wraps import wrap_width

FORMATS: dict[str, Format] = {
    found.name: found for found in (cmtrace.FORMAT, smstrace.FORMAT, copied.FORMAT, ini.FORMAT, PLAIN_TEXT)
}
"""Plain text comes last: it claims any text."""


def detect(text: str) -> Detected:
    """The format of a file, decided from the first part of its text (never
    from its name): the first format in `FORMATS` that claims it, once what a
    paste did to its lines and characters (`damage.decorations_in`,
    `damage.characters_in`) is undone; that damage is in the answer's `damage`,
    to be undone as the file is read."""
    decorations = damage.decorations_in(Sample(text).lines)
    if decorations:
        text = damage.undecorated(text, decorations)
    found = _first(Sample(text))
    if found.format != cmtrace.FORMAT.name:
        characters = damage.characters_in(text)
        if characters:
            text = damage.repair(text, characters, start=True)
            found = _first(Sample(text))
            found = replace(found, damage=found.damage + characters)
        page = tuple(kind for kind in damage.page_characters_in(text) if kind not in found.damage)
        if page:
            # a page's non-breaking spaces and curly quotes in an SMS trace's or copied rows'
            # messages (which the rules read with spaces and straight quotes), or hiding their
            # shape; plain text puts them back itself, line by line
            spaced = _first(Sample(damage.repair(text, page, start=True)))
            if spaced.format != PLAIN_TEXT.name:
                found = replace(spaced, damage=found.damage + page)
    else:
        if damage.NBSP not in found.damage and damage.nbsp_in_headers(text):
            found = replace(found, damage=(*found.damage, damage.NBSP))
        if damage.MARKDOWN not in found.damage and wrap_width(Sample(text).lines, sure=True) is not None:
            found = replace(found, damage=(*found.damage, damage.WRAPPED))
    if decorations:
        found = replace(found, damage=decorations + found.damage)
    return found


def _first(sample: Sample) -> Detected:
    for candidate in FORMATS.values():
        found = candidate.detect(sample)
        if found is not None:
            return found
    raise AssertionError("plain text claims any text")
