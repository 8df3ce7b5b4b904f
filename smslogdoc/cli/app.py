"""The command line's entry point: options in (`cli.parser`), the command's
module called, its exit code out.

Exit codes: 0 ran and found nothing at or above `--fail-on`; 1 findings;
2 bad input or usage (nothing could be read, bad option); 3 invalid rules;
130 stopped by Ctrl-C (SIGINT); 143 stopped by SIGTERM. Everything that
decides something lives in the library; this module only wires options to it
and reports. It is built on argparse, and imports the library only for the
command that runs, so the tool starts quickly.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from smslogdoc import __version__
from smslogdoc.cli.common import Exit, Terminated
from smslogdoc.cli.parser import build_parser

INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT, as shells report it)."""
TERMINATED = 143
"""Exit code after SIGTERM (128 + 15)."""


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code (console-script and `python -m` entry point).
    Ctrl-C and SIGTERM end it with one line on stderr, never a traceback."""
    previous = _on_terminate(_terminate)
    try:
        return _run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM as `Terminated`
        return _stopped(stop)
    finally:
        _on_terminate(previous)


def _run(args: list[str]) -> int:
    if args == ["--version"]:  # answer before importing anything
        print(f"smslogdoc {__version__}")
        return 0
    parser = build_parser()
    from smslogdoc.cli.completion import autocomplete, completing

    if completing():  # the shell asking what to offer (argcomplete): answered from the parser
        autocomplete(parser)
    if not args:
        parser.print_help()
        return 2
    try:
        options = parser.parse_args(args)
    except SystemExit as error:  # argparse's own usage errors and --help
        return error.code if isinstance(error.code, int) else 2
    from smslogdoc.report.terminal import set_color

    set_color(getattr(options, "color", "auto"))
    try:
        options.command(options)
    except Exit as done:
        return done.code
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error
        return 0
    return 0


def _terminate(number: int, frame: FrameType | None) -> None:
    """SIGTERM's handler: stop the run where it is, as Ctrl-C does."""
    raise Terminated


Handler = Callable[[int, FrameType | None], Any] | int | None


def _on_terminate(handler: Handler) -> Handler:
    """Install `handler` for SIGTERM where this platform and thread allow it
    (signals are set from the main thread only); the handler it replaces."""
    number = getattr(signal, "SIGTERM", None)
    if number is None or handler is None:
        return None
    try:
        return signal.signal(number, handler)
    except (ValueError, OSError):  # not the main thread, or not settable here
        return None


def _stopped(stop: KeyboardInterrupt) -> int:
    """One line on stderr for a run stopped by a signal; its exit code. A
    second Ctrl-C while this is written is ignored."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        previous = None
    terminated = isinstance(stop, Terminated)
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError):
        print(
            "smslogdoc: stopped (SIGTERM)" if terminated else "smslogdoc: stopped (Ctrl-C)", file=sys.stderr
        )
    if previous is not None:
        signal.signal(signal.SIGINT, previous)
    return TERMINATED if terminated else INTERRUPTED
