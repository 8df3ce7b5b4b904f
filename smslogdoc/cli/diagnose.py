"""`smslogdoc diagnose`: the logs in, the findings out, in the format asked for, and the exit code that says what was found."""

from __future__ import annotations

import argparse

from smslogdoc.cli.common import (
    Exit,
    Session,
    fail,
    input_paths,
    load_rules_or_exit,
    time_option,
    zone_option,
)
from smslogdoc.rules.model import SEVERITIES


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
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")
    zone = zone_option(args.tz)
    start, end = time_option("--since", args.since, zone), time_option("--until", args.until, zone)
    rules = load_rules_or_exit(args.rules, args.no_builtin)
    tracer = None
    if args.explain is not None:
        if args.explain not in {rule.id for rule in rules}:
            fail(f"--explain: no loaded rule has the id {args.explain!r} (see smslogdoc rules list)")
        tracer = Tracer(args.explain)
    outcome = run(
        input_paths(args.paths), rules, options=ReadOptions(zone=zone), since=start, until=end, tracer=tracer, jobs=args.jobs or cores()
    )
    shown = [f for f in outcome.findings if SEVERITIES.index(f.severity) >= SEVERITIES.index(args.min_severity)]
    out = console()
    redaction = None
    if args.redact:
        from smslogdoc.redact import summary_text
        from smslogdoc.report.redacting import redact_outcome

        redaction = redact_outcome(outcome, shown)
        if args.format in ("text", "markdown"):
            out.print(summary_text(redaction), markup=False, highlight=False, soft_wrap=True)
            out.print()
    if tracer is not None:
        from smslogdoc.report.explain import write_explanation

        write_explanation(next(rule for rule in rules if rule.id == args.explain), tracer, out)
        out.print()
    write(outcome, shown, Output(out, quiet=args.quiet, redaction=redaction))
    Session.of(outcome).report(quiet=args.quiet, verbose=args.verbose)
    if args.verbose:
        console(stderr=True).print(f"smslogdoc: ran {len(rules)} rules over {len(outcome.logs)} log(s)", markup=False)
    if not outcome.read_anything():
        raise Exit(2)
    if args.fail_on != "none" and any(
        f.status == "confirmed" and SEVERITIES.index(f.severity) >= SEVERITIES.index(args.fail_on) for f in outcome.findings
    ):
        raise Exit(1)
    raise Exit(0)
