"""`diagnose --follow` and `parse --follow`: keep reading the logs as they grow
(across rotation, see `inputs.follow`), print each finding as soon as it is
confirmed (an inconclusive one when it resolves) or each new record; on
Ctrl-C, SIGTERM, `--follow-timeout` or `--follow-idle`, end with the summary
(after a signal, the run then exits 130 or 143 with one line, `cli.app`).

Each change reads the logs again from their start (watched installs and
deployments write a few megabytes): the findings are those of the whole log so
far, and only the ones not yet printed are printed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, cast

from smslogdoc.cli.common import Exit, Session, fail, machine_names

if TYPE_CHECKING:
    from rich.console import Console

    from smslogdoc.findings import Finding
    from smslogdoc.inputs.follow import FollowOptions
    from smslogdoc.model import Event
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.redaction import Redactor
    from smslogdoc.rules.model import Rule


def follow_options(args: argparse.Namespace) -> FollowOptions:
    """The `--follow-*` options, checked."""
    from smslogdoc.inputs.follow import FollowOptions

    if not args.paths or "-" in args.paths:
        fail("--follow: name the log files or folders to follow (standard input cannot be followed)")
    for name in ("follow_interval", "follow_timeout", "follow_idle"):
        value = getattr(args, name)
        if value is not None and value < 0:
            fail(f"--{name.replace('_', '-')}: expected seconds (0 or more), got {value}")
    return FollowOptions(
        interval=max(0.05, args.follow_interval), timeout=args.follow_timeout, idle=args.follow_idle
    )


def _key(finding: Finding) -> tuple[object, ...]:
    return (finding.rule.id, finding.log, finding.group, finding.identity)


def follow_diagnose(
    args: argparse.Namespace,
    rules: list[Rule],
    options: ReadOptions,
    since: datetime | None,
    until: datetime | None,
    keep: Callable[[Finding], bool],
) -> None:
    """Diagnose again on every change; print the confirmed findings not printed before."""
    from smslogdoc.diagnose import Outcome
    from smslogdoc.diagnose import diagnose as run
    from smslogdoc.inputs.follow import changes, with_rotated
    from smslogdoc.report import examined
    from smslogdoc.report.document import report_of
    from smslogdoc.report.terminal import console

    if args.format not in ("text", "short", "jsonl"):
        fail(f"--follow: --format {args.format} is written once at the end; use text, short or jsonl")
    watch = follow_options(args)
    out = console()
    printed: set[tuple[object, ...]] = set()
    outcome = Outcome([], [], [])
    shown: list[Finding] = []
    stopped: KeyboardInterrupt | None = None

    redactor = _redactor(args)
    write = _writer(args.format, out, redactor)
    try:
        for _ in changes(args.paths, watch):
            outcome = run(with_rotated(args.paths), rules, options=options, since=since, until=until, jobs=1)
            shown = [finding for finding in outcome.findings if keep(finding)]
            new = [f for f in shown if f.status == "confirmed" and _key(f) not in printed]
            printed.update(_key(f) for f in new)
            if new:
                write(new)
                sys.stdout.flush()
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM ends following: the summary follows
        stopped = stop
    waiting = [f for f in shown if f.status != "confirmed"]
    if waiting:
        write(waiting)
    report = report_of(outcome, shown)
    if redactor is not None:
        from smslogdoc.report.redaction import redact_report

        report = redact_report(report, redactor=redactor)
    if args.format != "jsonl" and not args.quiet:
        out.print(examined.summary(report) + " · followed until stopped", markup=False, soft_wrap=True)
    err = console(stderr=True)
    for line in examined.problem_lines(report, verbose=args.verbose):
        if line or not args.quiet:
            err.print(f"smslogdoc: {line}", markup=False, highlight=False)
    if stopped is not None:
        raise stopped
    from smslogdoc.report.text import failing

    raise Exit(1 if args.fail_on != "none" and failing(outcome.findings, args.fail_on) else 0)


def _redactor(args: argparse.Namespace) -> Redactor | None:
    """With `--redact`: one redactor for the whole session, so that a name has
    one pseudonym in every finding printed (the machine folders named are hosts)."""
    if not args.redact:
        return None
    from smslogdoc.report.redaction import Redactor

    return Redactor(hosts=machine_names(args.paths))


def _writer(format_name: str, out: Console, redactor: Redactor | None) -> Callable[[list[Finding]], None]:
    """How findings are printed as they come, in `--format` (text, short or
    jsonl), redacted by `redactor` (`--redact`)."""
    from smslogdoc.report import jsondoc, short, text
    from smslogdoc.report.document import FindingDoc, finding_doc

    def write(findings: list[Finding]) -> None:
        docs = [finding_doc(finding) for finding in findings]
        if redactor is not None:
            redacted = redactor.redact_document({"findings": docs})["findings"]
            docs = cast("list[FindingDoc]", redacted)
        if format_name == "jsonl":
            jsondoc.write_findings(docs, sys.stdout)
            sys.stdout.flush()
        elif format_name == "short":
            short.write_short(docs, out)
        else:
            text.write_findings(docs, out)

    return write


def follow_parse(
    args: argparse.Namespace,
    options: ReadOptions,
    write: Callable[[list[Event]], None],
    since: datetime | None,
    until: datetime | None,
) -> None:
    """Read again on every change; print the records not printed before."""
    from smslogdoc.inputs.follow import Position, changes, with_rotated
    from smslogdoc.read import timeline
    from smslogdoc.read.full import read_log

    watch = follow_options(args)
    position = Position()
    session = Session([])
    stopped: KeyboardInterrupt | None = None
    try:
        for _ in changes(args.paths, watch):
            session = Session(with_rotated(args.paths))
            fresh: list[Event] = []
            for log in session.logs:
                identities = {
                    part.display: Position.identity(str(part.path))
                    for part in log.parts
                    if part.path is not None
                }
                for event in timeline.within(read_log(log, options), since, until):
                    if position.new(identities.get(event.path), event.line):
                        fresh.append(event)
            if fresh:
                write(fresh)
                sys.stdout.flush()
    except KeyboardInterrupt as stop:
        stopped = stop
    session.report(quiet=args.quiet, verbose=args.verbose)
    if stopped is not None:
        raise stopped
    raise Exit(0 if session.read_anything() else 2)
