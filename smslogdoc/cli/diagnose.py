"""`smslogdoc diagnose`: the logs in, the findings out, in the format asked for, and the exit code that says what was found."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from smslogdoc.cli.common import (
    Exit,
    exit_for_unreadable,
    fail,
    input_paths,
    load_rules_or_exit,
    load_workflows_or_exit,
    machine_names,
    output_to,
    time_window,
    with_benign_list,
    zone_option,
)
from smslogdoc.model import SEVERITIES
from smslogdoc.report.wording import count

PROSE_FORMATS = ("text", "short", "markdown")
"""Formats written for a reader: `--explain`'s trace goes before them on the same stream."""

if TYPE_CHECKING:
    from rich.console import Console

    from smslogdoc.diagnose import Outcome
    from smslogdoc.engine.tracer import Tracer
    from smslogdoc.findings import Finding
    from smslogdoc.report.document import Report
    from smslogdoc.rules.model import Rule


def diagnose(args: argparse.Namespace) -> None:
    """Find out why a client install or a software distribution failed, and what to do."""
    from smslogdoc.diagnose import diagnose as run
    from smslogdoc.parallel import cores
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.terminal import prefer_utf8_output

    prefer_utf8_output()
    _check_options(args)
    zone = zone_option(args.tz)
    start, end = time_window(args.since, args.until, zone)
    rules = with_benign_list(load_rules_or_exit(args.rules, args.no_builtin))
    tracer = _tracer(args, rules)
    if args.follow:
        from smslogdoc.cli.follow import follow_diagnose

        if args.output is not None:
            fail(
                "--follow prints each finding as it comes, on standard output: -o FILE is for a report written once"
            )
        level = SEVERITIES.index(args.min_severity)
        follow_diagnose(
            args, rules, ReadOptions(zone=zone), start, end, lambda f: SEVERITIES.index(f.severity) >= level
        )
    paths = input_paths(args.paths)
    with output_to(args.output) as out:
        outcome = run(
            paths,
            rules,
            options=ReadOptions(zone=zone),
            since=start,
            until=end,
            tracer=tracer,
            jobs=args.jobs or cores(),
            unexplained=args.unexplained,
            workflows=load_workflows_or_exit(args.rules, rules, args.no_builtin),
        )
        shown = [
            f for f in outcome.findings if SEVERITIES.index(f.severity) >= SEVERITIES.index(args.min_severity)
        ]
        said = _named_first(args, paths, outcome)
        report, shown_as = _write(args, outcome, shown, out, rules, tracer)
        _finish(args, paths, outcome, report, shown, out, said, shown_as)


def _check_options(args: argparse.Namespace) -> None:
    """Exit 2, saying why, on an option value that cannot be used."""
    from smslogdoc.engine.unexplained import LEVELS
    from smslogdoc.rules.suggest import did_you_mean

    if args.min_severity not in SEVERITIES:
        fail(
            f"--min-severity: expected one of {', '.join(SEVERITIES)}, got {args.min_severity!r}"
            + did_you_mean(args.min_severity, SEVERITIES)
        )
    if args.fail_on not in (*SEVERITIES, "none"):
        fail(
            f"--fail-on: expected one of {', '.join(SEVERITIES)} or none, got {args.fail_on!r}"
            + did_you_mean(args.fail_on, (*SEVERITIES, "none"))
        )
    if args.unexplained not in LEVELS:
        fail(
            f"--unexplained: expected one of {', '.join(LEVELS)}, got {args.unexplained!r}"
            + did_you_mean(args.unexplained, LEVELS)
        )
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")


def _tracer(args: argparse.Namespace, rules: list[Rule]) -> Tracer | None:
    """`--explain RULE`: the observer that records what the rule saw."""
    if args.explain is None:
        return None
    from smslogdoc.engine.tracer import Tracer

    if args.explain not in {rule.id for rule in rules}:
        from smslogdoc.rules.suggest import did_you_mean

        fail(
            f"--explain: no loaded rule has the id {args.explain!r}"
            + (did_you_mean(args.explain, [rule.id for rule in rules]) or " (see smslogdoc rules list)")
        )
    return Tracer(args.explain)


def _write(
    args: argparse.Namespace,
    outcome: Outcome,
    shown: list[Finding],
    out: TextIO,
    rules: list[Rule],
    tracer: Tracer | None,
) -> tuple[Report, Callable[[str], str]]:
    """The report of the findings shown (redacted with `--redact`), written to
    `out` in the format asked for (after the `--explain` trace); the report,
    and how a name from the logs is written beside it (redacted with `--redact`)."""
    from smslogdoc.report.document import report_of
    from smslogdoc.report.terminal import console_for
    from smslogdoc.report.writers import Options, diagnose_writer

    report = report_of(outcome, shown, keep=False)  # the stories are not needed after it
    report["inputs"] = list(args.paths) or ["-"]
    shown_as: Callable[[str], str] = str
    if args.redact:
        from smslogdoc.report.redaction import Redactor, redact_report

        redactor = Redactor()
        report = redact_report(report, hosts=machine_names(args.paths), redactor=redactor)
        shown_as = redactor.redact_text
    if tracer is not None:
        from smslogdoc.report.explain import write_explanation
        from smslogdoc.report.terminal import console

        # a document (json, jsonl, html) is all stdout holds: the explanation goes to stderr
        where = console_for(out) if args.format in PROSE_FORMATS else console(stderr=True)
        write_explanation(next(rule for rule in rules if rule.id == args.explain), tracer, where, shown_as)
        where.print()
    options = Options(quiet=args.quiet, min_severity=args.min_severity, unexplained=args.unexplained)
    diagnose_writer(args.format)(report, out, options)
    return report, shown_as


def _finish(
    args: argparse.Namespace,
    paths: list[str],
    outcome: Outcome,
    report: Report,
    shown: list[Finding],
    out: TextIO,
    said: list[str],
    shown_as: Callable[[str], str] = str,
) -> None:
    """The problems and notes on stderr (but those `said` first), each path
    as `shown_as` writes it (redacted with `--redact`), then the exit code."""
    from smslogdoc.report.examined import problem_lines
    from smslogdoc.report.terminal import console, console_for

    err = console(stderr=True)
    for line in problem_lines(report, verbose=args.verbose):
        if line not in said and not (args.quiet and not line):
            err.print(f"smslogdoc: {line}", markup=False, highlight=False)
    if args.format == "jsonl" and not args.quiet:
        _not_examined(report, args, err)
    if not args.quiet:
        from smslogdoc.inputs.paths import unread_rotated

        for named, part in unread_rotated(paths, outcome.logs):
            err.print(
                f"smslogdoc: note: {shown_as(named)}: its older part {shown_as(str(part))} (before the log rotated) was not read; "
                "a cause may be there: name it too, or the folder",
                markup=False,
            )
    if args.verbose:
        err.print(
            f"smslogdoc: ran {count(outcome.rules, 'rule')} over {len(outcome.logs)} log(s)", markup=False
        )
    if not outcome.read_anything():
        raise Exit(2)
    from smslogdoc.model import WORKER_LOST

    if any(problem.message == WORKER_LOST for problem in outcome.problems):
        raise Exit(2)  # a log was not examined: its worker died (the line on stderr names it)
    exit_for_unreadable(paths, outcome.logs, outcome.problems, _as_reported(outcome, report))
    if args.fail_on == "none":
        raise Exit(0)
    from smslogdoc.report.text import failing, hidden_note

    decided = failing(outcome.findings, args.fail_on)
    note = hidden_note(decided, shown, args.fail_on, args.min_severity)
    if note:
        where: Console = console_for(out) if args.format == "text" and not args.quiet else err
        where.print(note, markup=False, soft_wrap=True)
    raise Exit(1 if decided else 0)


def _not_examined(report: Report, args: argparse.Namespace, err: Console) -> None:
    """For `jsonl` (findings only, one a line): what was not examined, on stderr."""
    from smslogdoc.report.examined import ALL_CLEAR, headline, summary_parts, uncovered
    from smslogdoc.report.writers import Options

    options = Options(min_severity=args.min_severity, unexplained=args.unexplained)
    shown = report["document"]["findings"]
    said = headline(report, options)
    lines = [] if shown or said == ALL_CLEAR else [said]
    lines += uncovered(report, shown, options)
    lines += [
        part for part in summary_parts(report, options) if part not in said and "no rule reads" not in part
    ]
    for line in lines:
        err.print(f"smslogdoc: note: {line}", markup=False, highlight=False, soft_wrap=True)


def _named_first(args: argparse.Namespace, paths: list[str], outcome: Outcome) -> list[str]:
    """For people (text, short): a path named on the command line that could
    not be read is said first, one line each, before the report; when no path
    named could be read, that line is all (exit 2). The lines said."""
    from smslogdoc.cli.common import unreadable_named
    from smslogdoc.report.terminal import console

    if args.format not in ("text", "short") or args.redact:
        return []
    bad = set(unreadable_named(paths, outcome.logs, outcome.problems))
    said = [str(problem) for problem in outcome.problems if problem.path in bad]
    for line in said:
        console(stderr=True).print(f"smslogdoc: {line}", markup=False, highlight=False)
    if said and bad == {path for path in paths if path != "-"}:
        raise Exit(2)  # nothing named could be read: no empty report after the reason
    return said


def _as_reported(outcome: Outcome, report: Report) -> dict[str, str]:
    """Each path of the outcome's problems and files as the report names it
    (redacted with `--redact`)."""
    document = report["document"]
    paths = {
        problem.path: item["path"]
        for problem, item in zip(outcome.problems, document["problems"], strict=True)
    }
    paths.update(
        {read.path: item["path"] for read, item in zip(outcome.files, document["files"], strict=True)}
    )
    return paths
