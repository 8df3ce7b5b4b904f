"""`smslogdoc diagnose`: the logs in, the findings out, in the format asked for, and the exit code that says what was found."""

from __future__ import annotations

import argparse
from pathlib import Path

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


def diagnose(args: argparse.Namespace) -> None:
    """Find out why a client install or a software distribution failed, and what to do."""
    from smslogdoc.diagnose import diagnose as run
    from smslogdoc.engine.tracer import Tracer
    from smslogdoc.parallel import cores
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.terminal import console, prefer_utf8_output
    from smslogdoc.report.writers import WRITERS, Output

    prefer_utf8_output()
    write = WRITERS.get(args.format)
    if write is None:
        fail(f"--format: unknown format {args.format!r}; choose {', '.join(WRITERS)}")
    if args.min_severity not in SEVERITIES:
        fail(f"--min-severity: expected one of {', '.join(SEVERITIES)}, got {args.min_severity!r}")
    if args.fail_on not in (*SEVERITIES, "none"):
        fail(f"--fail-on: expected one of {', '.join(SEVERITIES)} or none, got {args.fail_on!r}")
    from smslogdoc.engine.unexplained import LEVELS

    if args.unexplained not in LEVELS:
        fail(f"--unexplained: expected one of {', '.join(LEVELS)}, got {args.unexplained!r}")
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")
    zone = zone_option(args.tz)
    start, end = time_window(args.since, args.until, zone)
    rules = load_rules_or_exit(args.rules, args.no_builtin)
    tracer = None
    if args.explain is not None:
        if args.explain not in {rule.id for rule in rules}:
            fail(f"--explain: no loaded rule has the id {args.explain!r} (see smslogdoc rules list)")
        tracer = Tracer(args.explain)
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
        from smslogdoc.report.redaction import GENERIC_FOLDERS
        from smslogdoc.report.redaction.outcome import redact_outcome

        # a folder named on the command line is usually one machine's logs (C:\Collected\WKS0042)
        folders = [Path(path).name for path in args.paths if path != "-" and Path(path).is_dir()]
        outcome, shown = redact_outcome(
            outcome, shown, hosts=[name for name in folders if name.casefold() not in GENERIC_FOLDERS]
        )
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
    Session.of(outcome).report(quiet=args.quiet, verbose=args.verbose)
    if not args.quiet:
        from smslogdoc.inputs.paths import unread_rotated

        for named, part in unread_rotated(paths, outcome.logs):
            console(stderr=True).print(
                f"smslogdoc: note: {named}: its older part {part} (before the log rotated) was not read; "
                "a cause may be there: name it too, or the folder",
                markup=False,
            )
    if args.verbose:
        console(stderr=True).print(
            f"smslogdoc: ran {len(rules)} rules over {len(outcome.logs)} log(s)", markup=False
        )
    if not outcome.read_anything():
        raise Exit(2)
    exit_for_unreadable(paths, outcome.logs, outcome.problems)
    if args.fail_on == "none":
        raise Exit(0)
    from smslogdoc.report.text import failing, hidden_note

    decided = failing(outcome.findings, args.fail_on)
    note = hidden_note(decided, shown, args.fail_on, args.min_severity)
    if note:
        (out if args.format == "text" and not args.quiet else console(stderr=True)).print(
            note, markup=False, soft_wrap=True
        )
    raise Exit(1 if decided else 0)
