"""`smslogdoc parse`: the records smslogdoc reads, as a table, JSON Lines or CSV."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from itertools import chain

from smslogdoc.cli.common import (
    Exit,
    Session,
    exit_for_unreadable,
    fail,
    input_paths,
    time_window,
    zone_option,
)

FORMATS = ("text", "jsonl", "csv")
"""`parse --format` values (`text`, the table, is `listing.EventFormat.table`)."""


def parse(args: argparse.Namespace) -> None:
    """Show the records smslogdoc reads from the logs: what the parser sees."""
    from smslogdoc.model import Event
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
    events = timeline.within(events, start, end)
    if chosen is listing.EventFormat.jsonl:
        listing.write_jsonl(events, sys.stdout)
    elif chosen is listing.EventFormat.csv:
        listing.write_csv(events, sys.stdout)
    else:
        shown = [part.display for log in session.logs for part in log.parts]
        listing.write_table(events, console(), show_path=len(session.logs) > 1 or args.merge, paths=shown)
    session.report(quiet=args.quiet, verbose=args.verbose)
    if not session.read_anything():
        raise Exit(2)
    exit_for_unreadable(paths, session.logs, session.problems)
    raise Exit(0)
