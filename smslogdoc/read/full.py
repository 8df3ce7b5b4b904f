"""Logs to events: open each file (or standard input), sniff its encoding and
format, and stream its records as `Event`s.

Reading never raises for bad input (`read.guard`). A file that cannot be opened, is binary,
or breaks in the middle is reported on its `FileReport` and reading goes on
with the next file.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from typing import BinaryIO, TextIO, cast

from smslogdoc.formats import damage
from smslogdoc.formats.context import RECORD_CAP, ParseContext
from smslogdoc.formats.registry import FORMATS, detect
from smslogdoc.inputs import decoding
from smslogdoc.inputs.paths import InputFile, LogInput
from smslogdoc.inputs.streams import PartSplitter, open_path
from smslogdoc.model import Event, FileReport
from smslogdoc.read.guard import guarded


@dataclass(frozen=True)
class ReadOptions:
    """How to read: the zone for local times, and the record cap."""

    zone: tzinfo | None = None
    """Zone given to times the log writes without one (`--tz`); None keeps them local."""
    record_cap: int = RECORD_CAP


def read_log(log: LogInput, options: ReadOptions = ReadOptions()) -> Iterator[Event]:
    """The events of a logical log: its rotated parts oldest first, as one stream."""
    for part in log.parts:
        report = FileReport(part.display)
        log.reports.append(report)
        yield from read_file(part, report, options)


def read_file(
    part: InputFile, report: FileReport, options: ReadOptions = ReadOptions()
) -> Generator[Event, None, None]:
    """The events of one physical file; what goes wrong lands on `report`."""
    try:
        raw = _open(part)
    except OSError as error:
        report.skipped = True
        report.problem(f"cannot open: {error.strerror or error}")
        return
    try:
        yield from read_stream(raw, report, options, seekable=part.path is not None and raw.seekable())
    finally:
        if not part.is_stdin:
            raw.close()


def _open(part: InputFile) -> BinaryIO:
    """The part's bytes: a file, an archive member's stream (not seekable,
    read in full once), or standard input."""
    if part.member is not None:
        return part.member.open()
    if part.path is not None:
        return open_path(part.path)  # a pipe or FIFO is read as a stream, never waited on forever
    stdin = sys.stdin.buffer if sys.stdin is not None else None
    if stdin is None:
        raise OSError("standard input is not available")
    return stdin


def read_stream(
    raw: BinaryIO, report: FileReport, options: ReadOptions = ReadOptions(), *, seekable: bool = True
) -> Iterator[Event]:
    """The events of an open binary stream (a file, standard input, or bytes in memory)."""
    try:
        opened = decoding.open_binary(raw, seekable=seekable)
    except OSError as error:
        report.skipped = True
        report.problem(f"cannot read: {error.strerror or error}")
        return
    if opened.stream is None:
        report.skipped = opened.skip_reason != "empty file"
        report.problem(opened.skip_reason)
        return
    report.encoding = opened.encoding
    found = detect(opened.sample)
    report.format = found.format
    ctx = ParseContext(report.path, report, options.record_cap, found.day_first)
    stream: TextIO = opened.stream
    if found.damage:
        ctx.problem(
            f"this paste was changed on its way from the log ({', '.join(found.damage)}); repaired before reading"
        )
        stream = damage.repaired(stream, found.damage)
    if seekable:
        yield from text_events(found.format, stream, ctx, options, counted=opened.counted)
        return
    parts = PartSplitter(stream)  # files concatenated into a pipe: each BOM starts one
    try:
        yield from text_events(found.format, cast(TextIO, parts), ctx, options, counted=opened.counted)
    finally:
        for line in parts.parts:
            if line > 1:
                report.problem(
                    "a byte-order mark: another file starts here in the stream (read on as its next part)",
                    line,
                )


def text_events(
    kind: str,
    stream: TextIO,
    ctx: ParseContext,
    options: ReadOptions,
    *,
    first_line: int = 1,
    counted: decoding.Counted | None = None,
) -> Iterator[Event]:
    """The events of a text stream in format `kind` whose first line is
    `first_line`; what goes wrong lands on the context's report. `counted`:
    the stream's error handler, whose counts say how it was decoded."""
    try:
        yield from guarded(FORMATS[kind].events(stream, ctx, first_line), ctx, options.zone, count=True)
    finally:
        finish_report(ctx, counted)


def finish_report(ctx: ParseContext, counted: decoding.Counted | None) -> None:
    """The last words on a file read: problems not listed one by one, and how
    its bytes decoded (`counted`, then released)."""
    report = ctx.report
    ctx.finish()
    if counted is None:
        return
    counts = counted.counts
    counted.release()
    if counts.fallback and report.encoding.startswith("utf-8"):
        report.encoding += "+cp1252"
    if counts.replaced:
        ctx.problem(
            f"{counts.replaced} byte(s) are not valid {report.encoding.upper()} (an odd last byte or a lone surrogate); shown as U+FFFD"
        )
