"""Options several commands share (paths, time window, follow, chatter, rule
sources) and the help text made from a docstring; `cli.parser` builds the
commands with them."""

from __future__ import annotations

import argparse
from pathlib import Path


def help_text(docstring: str, width: int = 78) -> str:
    """A docstring as help: its indentation removed, each paragraph wrapped to `width`."""
    import inspect
    import textwrap

    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(textwrap.fill(" ".join(paragraph.split()), width) for paragraph in paragraphs)


def add_paths(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="Log files or folders (walked recursively); '-' reads standard input. Pipes, FIFOs and <(...) are read as streams; "
        "a FIFO nobody writes to is given up after SMSLOGDOC_FIFO_WAIT seconds (default 10). A path named here that is missing or unreadable makes the exit code 2.",
    )


def add_times(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--since",
        metavar="T",
        help="Only records at or after T: how long ago (2h, 30m, 3d, '2 hours ago'; write --since=-2h with '='), "
        "or a date and time (2021-07-14, '2021-07-14 08:00', 2021-07-14T08:00+02:00, '14 Jul 2021 8am'), log-local unless an offset is given.",
    )
    command.add_argument(
        "--until",
        metavar="T",
        help="Only records at or before T (the same forms); --since must not be after it.",
    )
    command.add_argument(
        "--tz",
        help="Zone for times the log writes without one (IANA, Windows name, or +HH:MM from -23:59 to +23:59).",
    )


def add_follow(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--follow",
        "-F",
        action="store_true",
        help=f"Keep reading the logs as they grow, across rotation (.log renamed to .lo_ and a new .log started), like tail -F: {what}.",
    )
    command.add_argument(
        "--follow-interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="With --follow: seconds between looks at the files (default 1).",
    )
    command.add_argument(
        "--follow-timeout",
        type=float,
        metavar="SECONDS",
        help="With --follow: stop after this many seconds (for scripts; default: until Ctrl-C).",
    )
    command.add_argument(
        "--follow-idle",
        type=float,
        metavar="SECONDS",
        help="With --follow: stop when the logs have not changed for this many seconds.",
    )


def add_chatter(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--quiet", "-q", action="store_true", help="Print only the results, no notes about files."
    )
    command.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="Also say which files were read, in which format, and why any were skipped.",
    )


def add_rule_sources(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="PATH",
        help="A folder (or file) of your own YAML rules, used beside the bundled ones. Repeatable.",
    )
    command.add_argument("--no-builtin", action="store_true", help="Do not load the bundled rules.")
