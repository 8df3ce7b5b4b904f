"""Sparse reading of large logs: only the records the rules can use.

A 1 GB log holds millions of records and a diagnosis needs a few thousand of
them: those holding text some rule (or the log's run model) looks for, the
records near the anchor of an `adjacent` sequence, and the last records (for
the time the log ends). For a large, regular file this module finds them in
the bytes, without decoding or parsing the rest:

1. `plan`: the literals to look for, each with the records around its own
   that must be read as well, from the rules that apply to the log. There is
   no plan when a rule needs every record (an event without literal text).
2. Scan (first pass): the file is read in blocks of whole records. Each block
   must be regular: every record one end marker and a header in the native
   shape, nothing between records, no NUL bytes or lone CRs, text whose ASCII
   lower-casing finds what `str.lower` would. The block is lowered and
   searched with Aho-Corasick automata; hits become byte spans to read.
   Error records are always among them (`Format.error_literals`).
3. Read (second pass): the spans are parsed by the ordinary parser, with
   their real line numbers; between spans, the threads seen in the skipped
   records are passed on as `ThreadNote`s when the log's runs own threads.

The passes alternate a segment of blocks at a time, so memory stays bounded.
When more than one process may be used, the first pass over a very large file
runs in a helper process and hands its segments over a pipe, so the two
passes overlap.
A block that is not regular, and all that follows from the start of its
segment, is read in full: odd records are handled and reported as without a
scan. Findings are the same either way; tests compare both on every sample
log and on large generated ones, and `fuzz/fuzz_scan.py` does on mutated ones.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from itertools import chain, islice
from typing import BinaryIO

from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.protocol import ByteLayout
from smslogdoc.formats.registry import FORMATS, detect
from smslogdoc.inputs import decoding
from smslogdoc.inputs.paths import InputFile, LogInput
from smslogdoc.model import Event, FileReport, ThreadNote
from smslogdoc.read.full import ReadOptions, finish_report, read_file
from smslogdoc.read.guard import guarded
from smslogdoc.read.helper import helper_passes
from smslogdoc.read.plan import Plan
from smslogdoc.read.scanner import CODECS, Handover, Setup, layout_of, passes
from smslogdoc.read.spans import Irregular

MIN_SIZE = 16 << 10
"""Smaller files are read in full: below this, reading every record costs
less than looking for some (a client's logs are 250 KB by default, and
those are scanned too)."""
MIN_BLOCK = 64 << 10
"""Blocks are half the record cap (no regular block then holds an overlong
record); with a cap so small that blocks would be smaller, files are read in full."""
SEGMENT_BLOCKS = 128
"""Blocks scanned before their spans are handed on (64 MiB at the default cap)."""
HELPER_SIZE = 64 << 20
"""From this size on, when more than one process may be used, the first pass
runs in a helper process while the second pass parses what it handed on."""
HELPER_SEGMENT_BLOCKS = 16
"""Blocks a helper scans between handovers (smaller: the two passes overlap more)."""
READ_SIZE = 1 << 20
"""The second pass reads this much at a time and parses the spans inside."""


def worth_scanning(log: LogInput) -> bool:
    """Whether a part of the log is large enough for a scan to pay off (a
    scan needs a file on disk: archive members and standard input are read in full)."""
    return any(part.path is not None and part.size() >= MIN_SIZE for part in log.parts)


def head(log: LogInput, options: ReadOptions, count: int) -> Iterator[Event]:
    """The first `count` events of a log (to tell its kind), read apart from its
    reports, and only as far as they are asked for."""
    left = count
    for part in log.parts:
        with closing(read_file(part, FileReport(part.display), options)) as stream:
            for event in islice(stream, left):
                left -= 1
                yield event
        if not left:
            return


def read_log(
    log: LogInput, plan: Plan, options: ReadOptions, *, helper: bool = False
) -> Iterator[Event | ThreadNote]:
    """The events of a logical log, each large and regular part scanned for what
    `plan` needs and the others read in full. With `helper`, a part of
    `HELPER_SIZE` or more is scanned by a second process while this one parses
    what the scan found."""
    for part in log.parts:
        report = FileReport(part.display)
        log.reports.append(report)
        size = part.size()
        if part.path is not None and size >= MIN_SIZE:
            scanned = _scanned(part, size, report, plan, options, helper=helper and size >= HELPER_SIZE)
            if scanned is not None:
                yield from scanned
                continue
        yield from read_file(part, report, options)


def _scanned(
    part: InputFile, size: int, report: FileReport, plan: Plan, options: ReadOptions, *, helper: bool
) -> Iterator[Event | ThreadNote] | None:
    """The scanned events of a file of `size` bytes, or None when it must be read in full."""
    assert part.path is not None
    block_size = options.record_cap // 2
    if block_size < MIN_BLOCK:
        return None
    try:
        raw = part.path.open("rb")
    except OSError:
        return None
    try:
        sample = raw.read(decoding.SAMPLE_SIZE)
        codec, reported = decoding.sniff(sample)
        if codec not in CODECS:
            raise Irregular
        found = detect(codecs.decode(sample, codec, "replace").lstrip("\ufeff"))
        described = FORMATS[found.format]
        if described.layout is None or (plan.starts and not described.threads_of_runs):
            raise Irregular
        if found.damage:
            raise Irregular  # a damaged paste (formats.damage) is read in full, repaired
        setup = Setup(
            part.path,
            _with_errors(plan, described.error_literals, shared=not helper),
            found.format,
            CODECS[codec],
            block_size,
            3 if codec == "utf-8-sig" else 0,
            size,
            HELPER_SEGMENT_BLOCKS if helper else SEGMENT_BLOCKS,
        )
        handovers = helper_passes(setup) if helper else passes(setup.scanner(raw), setup.blocks)
        first = next(handovers)
        if first.irregular:
            raise Irregular
    except (Irregular, OSError, ValueError):
        raw.close()
        return None  # nothing handed on yet: the file is read in full as usual
    report.encoding, report.format = reported, found.format
    ctx = ParseContext(report.path, report, options.record_cap, found.day_first)
    return _events(first, handovers, raw, layout_of(found.format, ctx), setup.codec, ctx, options)


_PLANS: dict[tuple[Plan, tuple[bytes, ...]], Plan] = {}
"""Plans with a format's error literals, so that each builds its automata once."""
MAX_PLANS = 256


def _with_errors(plan: Plan, error_literals: tuple[bytes, ...], *, shared: bool) -> Plan:
    """The plan that also reads the format's error records: remembered when
    `shared` (a folder of 200 logs has a handful of distinct plans), else a new
    one without automata (it goes to a helper process)."""
    if not shared:
        return Plan(plan.literals + error_literals, plan.reaches, plan.starts)
    key = (plan, error_literals)
    known = _PLANS.get(key)
    if known is None:
        if len(_PLANS) >= MAX_PLANS:
            _PLANS.clear()
        known = _PLANS[key] = Plan(plan.literals + error_literals, plan.reaches, plan.starts)
    return known


def _events(
    first: Handover,
    handovers: Generator[Handover, None, None],
    raw: BinaryIO,
    layout: ByteLayout,
    codec: str,
    ctx: ParseContext,
    options: ReadOptions,
) -> Iterator[Event | ThreadNote]:
    """The second pass, through the same guard as a full read (`read.guard`)."""
    counted = decoding.Counted(codec)
    try:
        with raw, closing(handovers):
            yield from guarded(
                _second_pass(first, handovers, raw, layout, codec, ctx, counted.errors),
                ctx,
                options.zone,
                count=False,
            )
    finally:
        finish_report(ctx, counted)


def _second_pass(
    first: Handover,
    handovers: Generator[Handover, None, None],
    raw: BinaryIO,
    layout: ByteLayout,
    codec: str,
    ctx: ParseContext,
    errors: str,
) -> Iterator[Event | ThreadNote]:
    """A handover at a time: parse the spans, with the thread notes in their
    place between them. From a block that is not regular on, the file is read in full."""
    report = ctx.report
    for handover in chain([first], handovers):
        report.events = handover.cut.records
        if handover.irregular:
            raw.seek(handover.cut.offset)
            stream = io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")
            for event in FORMATS[report.format].events(stream, ctx, handover.cut.line):
                report.events += 1
                yield event
            return
        yield from _parse_spans(raw, handover.spans, handover.notes, layout, codec, errors)


def _drained(layout: ByteLayout, text: str | None, batch: list[tuple[int, int, int]]) -> Iterator[Event]:
    """The events of the spans of `text` waiting in `batch`, which is left
    empty (the reader's own iterator, not a generator around it: every record
    passes one layer less)."""
    if not batch:
        return iter(())
    spans = batch.copy()
    batch.clear()
    return layout.stretches(text or "", spans)


def _parse_spans(
    raw: BinaryIO,
    spans: Iterable[tuple[int, int, int]],
    notes: Iterable[tuple[int, ThreadNote]],
    layout: ByteLayout,
    codec: str,
    errors: str,
) -> Iterator[Event | ThreadNote]:
    """Parse spans (reading a window of the file at a time), with the notes in
    place. A window of ASCII bytes (most are) is decoded once and its spans
    parsed in place, in one call up to the next note or window, rather than
    each cut out and decoded apart (a span mostly holds one record)."""
    window, window_start = b"", 0
    text: str | None = None
    """The window decoded, when it is ASCII: its characters are its bytes."""
    batch: list[tuple[int, int, int]] = []
    """Spans of `text` waiting to be parsed, relative to the window."""
    pending = iter(notes)
    note = next(pending, None)
    for begin, end, line in spans:
        if note is not None and note[0] <= begin:
            yield from _drained(layout, text, batch)
            while note is not None and note[0] <= begin:
                yield note[1]
                note = next(pending, None)
        if begin < window_start or end > window_start + len(window):
            yield from _drained(layout, text, batch)
            raw.seek(begin)
            window, window_start = raw.read(max(READ_SIZE, end - begin)), begin
            text = window.decode(codec, errors) if window.isascii() else None
        if note is not None and begin < note[0] < end:
            yield from _drained(layout, text, batch)
            while note is not None and begin < note[0] < end:
                # Spans that touch are merged: a note at a record inside one (the
                # start of a run, just after a record read for a rule) goes between.
                piece = window[begin - window_start : note[0] - window_start]
                yield from layout.parse(piece.decode(codec, errors), line)
                line += piece.count(b"\n")
                begin = note[0]
                yield note[1]
                note = next(pending, None)
        if text is not None:
            batch.append((begin - window_start, end - window_start, line))
        else:
            yield from layout.parse(
                window[begin - window_start : end - window_start].decode(codec, errors), line
            )
    yield from _drained(layout, text, batch)
    while note is not None:
        yield note[1]
        note = next(pending, None)
