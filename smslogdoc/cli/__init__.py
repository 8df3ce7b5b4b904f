"""The command line, a thin layer over the library: `app` builds the parser and
runs a command; each command is one module (`diagnose`, `parse`, `rules`,
`explain`) that wires options to library calls and reports; `common` holds
what they share (exit codes, inputs, times, rules), `usertime` the times a
user types. The library is imported only for the command that runs, so the
tool starts quickly."""

from smslogdoc.cli.app import main

__all__ = ["main"]
