"""Line-based formats: physical lines in, records out.

SMS trace logs and copied viewer rows end each record with a marker (the
`$$<...>` trailer, the viewer's columns). In a real log that is one line per
record; in the copies admins paste from knowledge-base articles and forums the
message, or the marker itself, is wrapped onto several lines. The assembler
holds lines without a marker until a marker completes them, and gives up on a
block at a blank line or after `MAX_PENDING` lines, so that prose in a pasted
document becomes plain text events and memory stays bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from enum import Enum
from itertools import chain, islice
from typing import Protocol, TextIO

from smslogdoc.formats import plaintext
from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.plaintext import LineTimes, text_event
from smslogdoc.formats.protocol import Detected, Format, Sample
from smslogdoc.formats.severity import QUOTED_LINES, quoted_failure
from smslogdoc.formats.wraps import (
    WRAP_WIDTHS,
    hangs_on,
    narrow,
    widest,
    wrap_width,
    wrapped_on,
)
from smslogdoc.model import Event, Severity

MAX_PENDING = 64
"""Lines held while waiting for a record's marker."""

_DECORATION = re.compile(r"^[\s#>*;/|]*$")
"""Comment and quote markers around pasted records (`#`, `>`, `//`), nothing else."""


class Verdict(Enum):
    """How far a block of lines gets towards a whole record."""

    NONE = 0
    """No marker: a plain line."""
    OPEN = 1
    """A marker has begun but is not closed yet (wrapped trailer)."""
    PROVISIONAL = 2
    """A marker that may go on in the next line (`$$<component>` alone)."""
    COMPLETE = 3


class RecordEnd(Protocol):
    """What ends a record in a line-based format."""

    name: str

    def check(self, text: str) -> Verdict: ...

    def continues(self, line: str) -> bool: ...

    def event(self, text: str, line: int, end_line: int, ctx: ParseContext) -> Event: ...


def physical_lines(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, text without its line ending) for each line of `stream`.

    CR, LF and CRLF each end a line. A line longer than the record cap is cut:
    the rest is skipped without being held in memory, and the cut is reported.
    """
    number = first_line
    cap = ctx.record_cap
    readline = stream.readline
    nul_lines = 0
    while True:
        text = readline(cap)
        if nul_lines and (not text or not _only_nul(text)):
            ctx.problem(
                f"{nul_lines:,} line(s) of NUL bytes skipped (a part of the file that was never written)",
                number - nul_lines,
            )
            nul_lines = 0
        if not text:
            return
        if "\x00" in text and _only_nul(text):
            nul_lines += 1
            number += 1 if text[-1] in "\r\n" else 0
            continue
        if text[-1] in "\r\n":
            if text[-1] == "\n" and len(text) > 1 and text[-2] == "\r":
                yield number, text[:-2]
            else:
                yield number, text[:-1]
        elif len(text) >= cap:
            skipped = 0
            while True:
                more = readline(cap)
                if not more:
                    break
                skipped += len(more.rstrip("\r\n"))
                if more[-1] in "\r\n":
                    break
            ctx.problem(f"line longer than {cap:,} characters: cut, {skipped:,} characters skipped", number)
            yield number, text
        else:
            yield number, text  # the last line, without a line ending
        number += 1


def _only_nul(text: str) -> bool:
    return not text.strip("\x00\r\n\t ")


def assemble(  # noqa: C901 - long on purpose (below)
    lines: Iterable[tuple[int, str]],
    ctx: ParseContext,
    end: RecordEnd | None,
    *,
    loose: str = plaintext.NAME,
    clock: LineTimes | None = None,
) -> Iterator[Event]:
    """Records from physical lines.

    `end` recognises a record's marker; with None every line is a plain text
    event. Lines that no marker claims become `text` events, or `unparsed`
    events when `loose` is `context.UNPARSED` (text between CMTrace records), where
    decoration lines (quote and comment markers) are dropped.
    """
    # long on purpose: one state machine over every line of a file, whose
    # states share `pending` and `state`; as methods or helpers each line would
    # pay calls and attribute look-ups, and the transitions would be spread out.
    clock = clock or LineTimes(ctx.day_first)
    path = ctx.path
    if end is None:
        for number, text in lines:
            if text.strip():
                yield text_event(path, number, number, text, clock)
        return

    pending: list[tuple[int, str]] = []
    state = Verdict.NONE

    def loose_events(block: list[tuple[int, str]]) -> Iterator[Event]:
        if loose == plaintext.NAME:
            for number, text in block:
                yield text_event(path, number, number, text, clock)
            return
        kept = [(number, text) for number, text in block if not _DECORATION.match(text)]
        if kept:
            body = "\n".join(text for _, text in kept)
            yield ctx.unparsed(
                body, kept[0][0], kept[-1][0], "text that is not a record of this log's format"
            )

    def record(block: list[tuple[int, str]]) -> Event:
        text = block[0][1] if len(block) == 1 else "\n".join(text for _, text in block)
        return end.event(text, block[0][0], block[-1][0], ctx)

    for number, text in lines:
        if state is Verdict.PROVISIONAL:
            if end.continues(text):
                pending.append((number, text))
                state = end.check("\n".join(t for _, t in pending))
                if state is Verdict.COMPLETE:
                    yield record(pending)
                    pending = []
                    state = Verdict.NONE
                continue
            yield record(pending)
            pending = []
            state = Verdict.NONE
        if not text.strip():
            if state is Verdict.OPEN and len(pending) < MAX_PENDING:
                continue  # a blank line inside a wrapped trailer
            if pending:
                yield from loose_events(pending)
                pending = []
            continue
        if not pending:
            verdict = end.check(text)
            if verdict is Verdict.COMPLETE:
                yield end.event(text, number, number, ctx)
                continue
            pending.append((number, text))
            state = verdict
            continue
        if loose != plaintext.NAME and state is Verdict.NONE and end.check(text) is not Verdict.NONE:
            # Between CMTrace records, foreign lines never join the record that follows.
            yield from loose_events(pending)
            pending = []
            verdict = end.check(text)
            if verdict is Verdict.COMPLETE:
                yield end.event(text, number, number, ctx)
            else:
                pending.append((number, text))
                state = verdict
            continue
        pending.append((number, text))
        verdict = end.check("\n".join(t for _, t in pending))
        if verdict is Verdict.COMPLETE:
            yield record(pending)
            pending = []
            state = Verdict.NONE
        elif verdict is Verdict.NONE and state is Verdict.OPEN:
            state = Verdict.OPEN  # stays open until closed or given up on
        else:
            state = verdict
        if len(pending) >= MAX_PENDING:
            if state is Verdict.OPEN:
                yield ctx.unparsed(
                    "\n".join(t for _, t in pending),
                    pending[0][0],
                    pending[-1][0],
                    "record marker never closed",
                )
                pending = []
                state = Verdict.NONE
            else:
                yield from loose_events(pending[:1])
                pending = pending[1:]
    if pending:
        if state in (Verdict.OPEN, Verdict.PROVISIONAL):
            yield record(pending)
        else:
            yield from loose_events(pending)


def plain_text(stream: TextIO, ctx: ParseContext, first_line: int = 1) -> Iterator[Event]:
    """Plain text: each line an event (see `plaintext`), no record markers; in
    text a mail client or a forum wrapped (`wrap_width`), a line the wrap broke
    and the lines it went on to are one event; a quote of a line or three is read
    as one (`_quoted`)."""
    lines = physical_lines(stream, ctx, first_line)
    held = list(islice(lines, WRAP_SAMPLE))
    texts = [text for _, text in held]
    events = _plain_events(chain(held, lines), texts, ctx)
    if len(held) < WRAP_SAMPLE and sum(1 for text in texts if text.strip()) <= QUOTED_LINES:
        return _quoted(events)
    return events


def _plain_events(lines: Iterable[tuple[int, str]], texts: list[str], ctx: ParseContext) -> Iterator[Event]:
    """The events of plain text whose first lines are `texts`: unwrapped where they show a wrap."""
    width = wrap_width(texts)
    if width is not None:
        return _unwrapped(lines, ctx, width, wrapped_on)
    width = narrow(texts)
    if width is None and any(
        len(text.strip()) > WRAP_WIDTHS[0] and " " not in text.strip() for text in texts
    ):
        width = WRAP_WIDTHS[-1]  # a word too long to break was put on a line of its own
    if width is None and 0 < widest([text.rstrip() for text in texts]) < WRAP_WIDTHS[0]:
        # no line reaches a wrapper's width: a wrapper may still have broken a line short of it
        # (where the next word, a long one, did not fit), so at the narrowest width a wrapper
        # uses, and again only where a line hangs
        width = WRAP_WIDTHS[0]
    if width is not None:  # a few long lines wrapped among short ones: only where a line hangs
        return _unwrapped(lines, ctx, width, hangs_on)
    return assemble(lines, ctx, None)


def _quoted(events: Iterator[Event]) -> Iterator[Event]:
    """The events of a quote (a line or three pasted from a ticket): where none is an error
    or a warning, a line that says something does not exist is the failure it was quoted
    for (`severity.quoted_failure`), an error as inferred."""
    kept = list(events)
    if any(event.severity is not Severity.INFO for event in kept):
        return iter(kept)
    return iter(
        replace(event, severity=Severity.ERROR, severity_inferred=True)
        if quoted_failure(event.message)
        else event
        for event in kept
    )


WRAP_SAMPLE = 400
"""Lines looked at to tell whether a text was wrapped."""
_MAX_JOINED = 16
"""The most lines joined into one event."""


def _unwrapped(
    lines: Iterable[tuple[int, str]], ctx: ParseContext, width: int, goes_on: Callable[[str, str, int], bool]
) -> Iterator[Event]:
    clock = LineTimes(ctx.day_first)
    path = ctx.path
    block: list[tuple[int, str]] = []
    for number, text in lines:
        if block and (
            not text.strip() or len(block) >= _MAX_JOINED or not goes_on(block[-1][1], text, width)
        ):
            yield _joined(path, block, clock)
            block = []
        if text.strip():
            block.append((number, text))
    if block:
        yield _joined(path, block, clock)


def _joined(path: str, block: list[tuple[int, str]], clock: LineTimes) -> Event:
    text = block[0][1] if len(block) == 1 else " ".join(part.rstrip() for _, part in block)
    return text_event(path, block[0][0], block[-1][0], text, clock)


def _claim(sample: Sample) -> Detected:
    return Detected(plaintext.NAME)  # the last format asked: any text is plain text


PLAIN_TEXT = Format(plaintext.NAME, plain_text, _claim, writes_severity=False)
"""Plain text is described here, beside the line reader, since `plaintext` is what this module builds on."""
