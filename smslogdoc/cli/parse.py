"""`smslogdoc parse`: the records smslogdoc reads, as a table, JSON Lines or CSV."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING

from smslogdoc.cli.common import (
    Exit,
    Session,
    exit_for_unreadable,
    fail,
    input_paths,
    time_window,
    zone_option,
)

if TYPE_CHECKING:
    from smslogdoc.model import Event

FORMATS = ("text", "jsonl", "csv")
"""`parse --format` values (`text`, the table, is `listing.EventFormat.table`)."""


def parse(args: argparse.Namespace) -> None:
    """Show the records smslogdoc reads from the logs: what the parser sees."""
    from smslogdoc.read import timeline
    from smslogdoc.read.full import ReadOptions, read_log
    from smslogdoc.report import listing
    from smslogdoc.report.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    output = (
        args.format or "text"
    )  # the table, on a terminal or piped (| less): machines ask for jsonl or csv
    try:
        chosen = listing.EventFormat("table" if output == "text" else output)
    except ValueError:
        fail(f"--format: unknown format {output!r}; choose {', '.join(FORMATS[:-1])} or {FORMATS[-1]}")
    zone = zone_option(args.tz)
    start, end = time_window(args.since, args.until, zone)
    if args.follow:
        from smslogdoc.cli.follow import follow_parse

        header_written: list[bool] = []

        def write(fresh: list[Event]) -> None:
            if chosen is listing.EventFormat.jsonl:
                listing.write_jsonl(fresh, sys.stdout)
            elif chosen is listing.EventFormat.csv:
                rows = io.StringIO()
                listing.write_csv(fresh, rows)
                sys.stdout.write(rows.getvalue() if not header_written else rows.getvalue().split("\n", 1)[1])
                header_written.append(True)  # one header row, however many batches follow
            else:
                listing.write_table(fresh, console(), show_path=True)

        follow_parse(args, ReadOptions(zone=zone), write, start, end)
    paths = input_paths(args.paths)
    session = Session(paths)
    if chosen is listing.EventFormat.table and not session.logs and session.problems:
        session.report(quiet=args.quiet, verbose=args.verbose)  # the reason alone, not an empty table
        raise Exit(2)
    streams = [read_log(log, ReadOptions(zone=zone)) for log in session.logs]
    events: Iterator[Event] = timeline.merge(streams) if args.merge else chain.from_iterable(streams)
    read, shown = Counted(events), Counted(())
    events = shown.of(timeline.within(read, start, end))
    if chosen is listing.EventFormat.jsonl:
        listing.write_jsonl(events, sys.stdout)
    elif chosen is listing.EventFormat.csv:
        listing.write_csv(events, sys.stdout)
    else:
        labels = [part.display for log in session.logs for part in log.parts]
        listing.write_table(events, console(), show_path=len(session.logs) > 1 or args.merge, paths=labels)
    session.report(quiet=args.quiet, verbose=args.verbose)
    if not shown.count and session.read_anything() and not args.quiet:  # (else the problems say why)
        console(stderr=True).print(f"smslogdoc: {_why_no_rows(read.count)}", markup=False)
    if not session.read_anything():
        raise Exit(2)
    exit_for_unreadable(paths, session.logs, session.problems)
    raise Exit(0)


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
