"""The command line's entry point: options in (`cli.parser`), the command's
module called, its exit code out.

Exit codes: 0 ran and found nothing at or above `--fail-on`; 1 findings;
2 bad input or usage (nothing could be read, bad option); 3 invalid rules.
Everything that decides something lives in the library; this module only
wires options to it and reports. It is built on argparse, and imports the
library only for the command that runs, so the tool starts quickly.
"""

from __future__ import annotations

import sys

from smslogdoc import __version__
from smslogdoc.cli.common import Exit
from smslogdoc.cli.parser import build_parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code (console-script and `python -m` entry point)."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # answer before importing anything
        print(f"smslogdoc {__version__}")
        return 0
    parser = build_parser()
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
