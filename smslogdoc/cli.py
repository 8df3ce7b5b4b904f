"""The command line: options in, library calls, output and exit codes out.

Exit codes: 0 ran and found nothing at or above `--fail-on`; 1 findings;
2 bad input or usage (nothing could be read, bad option); 3 invalid rules.
Everything that decides something lives in the library; this module only
wires options to it and reports.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime, tzinfo
from itertools import chain
from typing import Annotated, NoReturn

import typer

from smslogdoc import __version__

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Tell why an SMS / ConfigMgr client install or software distribution failed, from the client's logs.",
)

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Log files or folders (walked recursively); '-' reads standard input.", show_default=False),
]
Since = Annotated[str | None, typer.Option("--since", help="Only records at or after this time (log-local unless an offset is given).")]
Until = Annotated[str | None, typer.Option("--until", help="Only records at or before this time.")]
Zone = Annotated[
    str | None,
    typer.Option("--tz", help="Zone for times the log writes without one (IANA, Windows name, or +HH:MM)."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the results, no notes about files.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also say which files were read, in which format, and why any were skipped.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    from smslogdoc.terminal import console, visible

    console(stderr=True).print(f"smslogdoc: {visible(message)}", markup=False)
    raise typer.Exit(code)


def _input_paths(paths: list[str] | None) -> list[str]:
    if paths:
        return paths
    if sys.stdin is not None and not sys.stdin.isatty():
        return ["-"]
    fail("no logs given: name log files or folders, or pipe a log in (see --help)")


def _zone(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    from smslogdoc.times import parse_zone

    try:
        return parse_zone(text)
    except ValueError as error:
        fail(f"--tz: {error}")


def _time(option: str, text: str | None, zone: tzinfo | None) -> datetime | None:
    if text is None:
        return None
    from smslogdoc.times import parse_user_time

    try:
        return parse_user_time(text, zone)
    except ValueError as error:
        fail(f"{option}: {error}")


@app.command()
def parse(
    paths: Paths = None,
    output: Annotated[
        str | None,
        typer.Option("--format", "-f", help="table (default on a terminal), jsonl (default otherwise) or csv.", show_default=False),
    ] = None,
    merge: Annotated[bool, typer.Option("--merge", help="Interleave the records of all logs by time.")] = False,
    since: Since = None,
    until: Until = None,
    tz: Zone = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Show the records smslogdoc reads from the logs: what the parser sees."""
    from smslogdoc import listing, timeline
    from smslogdoc.model import Event
    from smslogdoc.reader import ReadOptions, read_log
    from smslogdoc.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    if output is None:
        output = "table" if sys.stdout.isatty() else "jsonl"
    try:
        chosen = listing.EventFormat(output)
    except ValueError:
        fail(f"--format: unknown format {output!r}; choose table, jsonl or csv")
    zone = _zone(tz)
    start, end = _time("--since", since, zone), _time("--until", until, zone)
    session = _Session(_input_paths(paths))
    streams = [read_log(log, ReadOptions(zone=zone)) for log in session.logs]
    events: Iterator[Event] = timeline.merge(streams) if merge else chain.from_iterable(streams)
    events = timeline.within(events, start, end)
    try:
        if chosen is listing.EventFormat.jsonl:
            listing.write_jsonl(events, sys.stdout)
        elif chosen is listing.EventFormat.csv:
            listing.write_csv(events, sys.stdout)
        else:
            listing.write_table(events, console(), show_path=len(session.logs) > 1 or merge)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error
        raise typer.Exit(0) from None
    session.report(quiet=quiet, verbose=verbose)
    raise typer.Exit(0 if session.read_anything() else 2)


class _Session:
    """The logs of one command and the problems met gathering and reading them."""

    def __init__(self, paths: list[str]) -> None:
        from smslogdoc.inputs import collect
        from smslogdoc.model import Problem

        self.problems: list[Problem] = []
        self.logs = collect(paths, self.problems)

    def read_anything(self) -> bool:
        """Whether at least one file could be read as text."""
        return any(not report.skipped for log in self.logs for report in log.reports)

    def report(self, *, quiet: bool, verbose: bool) -> None:
        """Problems to stderr, one line each; with `verbose`, every file read."""
        from smslogdoc.terminal import console

        err = console(stderr=True)
        lines: list[str] = [str(problem) for problem in self.problems]
        for log in self.logs:
            for report in log.reports:
                if verbose and not report.skipped:
                    lines.append(f"{report.path}: read {report.events} record(s) as {report.format or 'nothing'} ({report.encoding or 'no text'})")
                lines.extend(str(problem) for problem in report.problems)
        if not self.logs and not self.problems:
            lines.append("no logs found")
        for line in lines:
            if quiet and not line:
                continue
            err.print(f"smslogdoc: {line}", markup=False, highlight=False)


def _version(value: bool) -> None:
    if value:
        print(f"smslogdoc {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """smslogdoc reads SMS 2.0, SMS 2003 and ConfigMgr client logs and explains failures."""


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:  # answer before importing anything heavy
        print(f"smslogdoc {__version__}")
        return
    app()
