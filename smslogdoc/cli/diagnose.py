"""`smslogdoc diagnose`: the logs in, the findings out, in the format asked for, and the exit code that says what was found."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from smslogdoc.cli.common import (
    Exit,
    Session,
    exit_for_unreadable,
    fail,
    input_paths,
    load_rules_or_exit,
    time_window,
    zone_option,
)
from smslogdoc.model import SEVERITIES

if TYPE_CHECKING:
    from smslogdoc.diagnose import Outcome
    from smslogdoc.engine.tracer import Tracer
    from smslogdoc.findings import Finding
    from smslogdoc.report.writers import Writer
    from smslogdoc.rules.model import Rule


def diagnose(args: argparse.Namespace) -> None:
    """Find out why a client install or a software distribution failed, and what to do."""
    from smslogdoc.diagnose import diagnose as run
    from smslogdoc.parallel import cores
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.terminal import prefer_utf8_output

    prefer_utf8_output()
    write = _checked(args)
    zone = zone_option(args.tz)
    start, end = time_window(args.since, args.until, zone)
    rules = load_rules_or_exit(args.rules, args.no_builtin)
    tracer = _tracer(args, rules)
    if args.follow:
        from smslogdoc.cli.follow import follow_diagnose

        level = SEVERITIES.index(args.min_severity)
        follow_diagnose(
            args, rules, ReadOptions(zone=zone), start, end, lambda f: SEVERITIES.index(f.severity) >= level
        )
    paths = input_paths(args.paths)
    outcome = run(
        paths,
        rules,
        options=ReadOptions(zone=zone),
        since=start,
        until=end,
        tracer=tracer,
        jobs=args.jobs or cores(),
        unexplained=args.unexplained,
    )
    shown = [
        f for f in outcome.findings if SEVERITIES.index(f.severity) >= SEVERITIES.index(args.min_severity)
    ]
    if args.redact:
        outcome, shown = _redacted(args, outcome, shown)
    _write(args, write, outcome, shown, rules, tracer)
    _notes(args, paths, outcome, len(rules))
    _exit(args, paths, outcome, shown)


def _checked(args: argparse.Namespace) -> Writer:
    """The writer of `--format`, once every option's value is checked (exit 2 on a bad one)."""
    from smslogdoc.engine.unexplained import LEVELS
    from smslogdoc.report.writers import WRITERS

    write = WRITERS.get(args.format)
    if write is None:
        fail(f"--format: unknown format {args.format!r}; choose {', '.join(WRITERS)}")
    if args.min_severity not in SEVERITIES:
        fail(f"--min-severity: expected one of {', '.join(SEVERITIES)}, got {args.min_severity!r}")
    if args.fail_on not in (*SEVERITIES, "none"):
        fail(f"--fail-on: expected one of {', '.join(SEVERITIES)} or none, got {args.fail_on!r}")
    if args.unexplained not in LEVELS:
        fail(f"--unexplained: expected one of {', '.join(LEVELS)}, got {args.unexplained!r}")
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")
    return write


def _tracer(args: argparse.Namespace, rules: list[Rule]) -> Tracer | None:
    """With `--explain RULE`, the observer of that rule (exit 2 when no rule has the id)."""
    if args.explain is None:
        return None
    from smslogdoc.engine.tracer import Tracer

    if args.explain not in {rule.id for rule in rules}:
        fail(f"--explain: no loaded rule has the id {args.explain!r} (see smslogdoc rules list)")
    return Tracer(args.explain)


def _redacted(
    args: argparse.Namespace, outcome: Outcome, shown: list[Finding]
) -> tuple[Outcome, list[Finding]]:
    from smslogdoc.report.redact import GENERIC_FOLDERS
    from smslogdoc.report.redaction import redact_outcome

    # a folder named on the command line is usually one machine's logs (C:\Collected\WKS0042)
    folders = [Path(path).name for path in args.paths if path != "-" and Path(path).is_dir()]
    return redact_outcome(
        outcome, shown, hosts=[name for name in folders if name.casefold() not in GENERIC_FOLDERS]
    )


def _write(
    args: argparse.Namespace,
    write: Writer,
    outcome: Outcome,
    shown: list[Finding],
    rules: list[Rule],
    tracer: Tracer | None,
) -> None:
    from smslogdoc.report.terminal import console
    from smslogdoc.report.writers import Output

    out = console()
    if tracer is not None:
        from smslogdoc.report.explain import write_explanation

        write_explanation(next(rule for rule in rules if rule.id == args.explain), tracer, out)
        out.print()
    write(
        outcome,
        shown,
        Output(out, quiet=args.quiet, min_severity=args.min_severity, unexplained=args.unexplained),
    )


def _notes(args: argparse.Namespace, paths: list[str], outcome: Outcome, rules: int) -> None:
    """Problems, unread older parts of a rotated log, and with --verbose what was run, on stderr."""
    from smslogdoc.inputs.paths import unread_rotated
    from smslogdoc.report.terminal import console

    Session.of(outcome).report(quiet=args.quiet, verbose=args.verbose)
    if not args.quiet:
        for named, part in unread_rotated(paths, outcome.logs):
            console(stderr=True).print(
                f"smslogdoc: note: {named}: its older part {part} (before the log rotated) was not read; "
                "a cause may be there: name it too, or the folder",
                markup=False,
            )
    if args.verbose:
        console(stderr=True).print(
            f"smslogdoc: ran {rules} rules over {len(outcome.logs)} log(s)", markup=False
        )


def _exit(args: argparse.Namespace, paths: list[str], outcome: Outcome, shown: list[Finding]) -> None:
    """Leave with the outcome's exit code (`Outcome.exit_code`), or 2 for a named
    path that could not be read; saying so when findings --min-severity hid decide it."""
    from smslogdoc.report.terminal import console
    from smslogdoc.report.text import hidden_note

    code = outcome.exit_code(args.fail_on)
    if code == 2:
        raise Exit(2)
    exit_for_unreadable(paths, outcome.logs, outcome.problems)
    note = hidden_note(outcome.failing(args.fail_on), shown, args.fail_on, args.min_severity)
    if note:
        (console() if args.format == "text" and not args.quiet else console(stderr=True)).print(
            note, markup=False, soft_wrap=True
        )
    raise Exit(code)
