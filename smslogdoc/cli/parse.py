"""`smslogdoc parse`: the records smslogdoc reads, as a table, JSON Lines or CSV."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING

from smslogdoc.cli.common import (
    Exit,
    Session,
    exit_for_unreadable,
    fail,
    input_paths,
    machine_names,
    time_window,
    zone_option,
)

if TYPE_CHECKING:
    from datetime import datetime

    from smslogdoc.inputs.paths import LogInput
    from smslogdoc.model import Event
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report import listing
    from smslogdoc.report.redaction import Redactor

FORMATS = ("text", "jsonl", "csv")
"""`parse --format` values (`text`, the table, is `listing.EventFormat.table`)."""


def parse(args: argparse.Namespace) -> None:
    """Show the records smslogdoc reads from the logs: what the parser sees."""
    from smslogdoc.read import timeline
    from smslogdoc.read.full import ReadOptions, read_log
    from smslogdoc.report import listing
    from smslogdoc.report.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    # the table, on a terminal or piped (| less): machines ask for jsonl or csv
    output = args.format or "text"
    try:
        chosen = listing.EventFormat("table" if output == "text" else output)
    except ValueError:
        fail(f"--format: unknown format {output!r}; choose {', '.join(FORMATS[:-1])} or {FORMATS[-1]}")
    zone = zone_option(args.tz)
    start, end = time_window(args.since, args.until, zone)
    if args.follow:
        _follow(args, chosen, ReadOptions(zone=zone), start, end)
    paths = input_paths(args.paths)
    session = Session(paths)
    if chosen is listing.EventFormat.table and not session.logs and session.problems:
        session.report(quiet=args.quiet, verbose=args.verbose)  # the reason alone, not an empty table
        raise Exit(2)
    streams = [read_log(log, ReadOptions(zone=zone)) for log in session.logs]
    events: Iterator[Event] = timeline.merge(streams) if args.merge else chain.from_iterable(streams)
    read, shown = Counted(events), Counted(())
    events = shown.of(timeline.within(read, start, end))
    shown_as: Callable[[str], str] = str
    if args.redact:
        redactor = _learned(session.logs, ReadOptions(zone=zone), machine_names(args.paths))
        events, shown_as = _redacted(events, redactor), redactor.redact_text
    if chosen is listing.EventFormat.jsonl:
        listing.write_jsonl(events, sys.stdout)
    elif chosen is listing.EventFormat.csv:
        listing.write_csv(events, sys.stdout)
    else:
        labels = [shown_as(part.display) for log in session.logs for part in log.parts]
        listing.write_table(events, console(), show_path=len(session.logs) > 1 or args.merge, paths=labels)
    session.report(quiet=args.quiet, verbose=args.verbose, shown_as=shown_as)
    if not shown.count and session.read_anything() and not args.quiet:  # (else the problems say why)
        console(stderr=True).print(f"smslogdoc: {_why_no_rows(read.count)}", markup=False)
    if not session.read_anything():
        raise Exit(2)
    exit_for_unreadable(paths, session.logs, session.problems)
    raise Exit(0)


def _follow(
    args: argparse.Namespace,
    chosen: listing.EventFormat,
    options: ReadOptions,
    start: datetime | None,
    end: datetime | None,
) -> None:
    """`parse --follow`: each new record as it is written (redacted with
    `--redact`, names learned as they are met)."""
    from smslogdoc.cli.follow import follow_parse
    from smslogdoc.report import listing
    from smslogdoc.report.terminal import console

    header_written: list[bool] = []
    following = _learned([], options, machine_names(args.paths)) if args.redact else None

    def write(fresh: list[Event]) -> None:
        if following is not None:
            fresh = list(_redacted(fresh, following))
        if chosen is listing.EventFormat.jsonl:
            listing.write_jsonl(fresh, sys.stdout)
        elif chosen is listing.EventFormat.csv:
            rows = io.StringIO()
            listing.write_csv(fresh, rows)
            sys.stdout.write(rows.getvalue() if not header_written else rows.getvalue().split("\n", 1)[1])
            header_written.append(True)  # one header row, however many batches follow
        else:
            listing.write_table(fresh, console(), show_path=True)

    follow_parse(args, options, write, start, end)


def _learned(logs: list[LogInput], options: ReadOptions, hosts: list[str]) -> Redactor:
    """A redactor that knows every name the logs give away (their files read a
    first time, so that a name is replaced before the record that gives it
    away is met; standard input, read once, is learned as it goes), and the
    machines the folders named are (`hosts`)."""
    from smslogdoc.read.full import read_log
    from smslogdoc.report.redaction import Redactor

    redactor = Redactor()
    for host in hosts:
        redactor.add_host(host)
    for log in logs:
        if any(part.is_stdin for part in log.parts):
            continue
        redactor.learn(log.name)
        for event in read_log(replace(log, reports=[]), options):
            redactor.learn(event.message)
    return redactor


def _redacted(events: Iterable[Event], redactor: Redactor) -> Iterator[Event]:
    """Each record with its path, writer, source file and message redacted."""
    text = redactor.redact_text
    for event in events:
        yield replace(
            event,
            path=text(event.path),
            component=text(event.component),
            file=text(event.file),
            message=text(event.message),
        )


class Counted:
    """An iterator of events that counts what went past."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = iter(events)
        self.count = 0

    def of(self, events: Iterable[Event]) -> Counted:
        self.events = iter(events)
        return self

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        event = next(self.events)
        self.count += 1
        return event


def _why_no_rows(read: int) -> str:
    """Why `parse` printed no record from the files it read: none in the time
    window, or none in the files."""
    if read:
        return f"no records: none of the {read:,} records read falls in the --since/--until window"
    return "no records: the files read hold none"
