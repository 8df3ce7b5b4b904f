"""`smslogdoc fleet`: each immediate subfolder or archive of ROOT is one
machine; the causes ranked by machines hit, what no rule explains, the
machines without a known cause, the problems; a progress bar on a terminal;
the exit code that says what was found (as diagnose's)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, TextIO

from smslogdoc.cli.common import (
    Exit,
    fail,
    load_rules_or_exit,
    load_workflows_or_exit,
    output_to,
    with_benign_list,
    zone_option,
)
from smslogdoc.model import SEVERITIES

if TYPE_CHECKING:
    from smslogdoc.report.aggregate import FleetReport, MachineResult
    from smslogdoc.report.document import ProblemDoc
    from smslogdoc.report.fleetcompare import Earlier


def fleet(args: argparse.Namespace) -> None:
    """Diagnose many machines (one subfolder or archive of ROOT each) and rank the causes by how many machines they hit."""
    from smslogdoc.fleet import fleet_machines, machine_results
    from smslogdoc.model import Problem
    from smslogdoc.parallel import cores
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.document import problem_doc
    from smslogdoc.report.terminal import prefer_utf8_output

    prefer_utf8_output()
    if args.fail_on not in (*SEVERITIES, "none"):
        from smslogdoc.rules.suggest import did_you_mean

        fail(
            f"--fail-on: expected one of {', '.join(SEVERITIES)} or none, got {args.fail_on!r}"
            + did_you_mean(args.fail_on, (*SEVERITIES, "none"))
        )
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")
    earlier = _earlier(args)
    options = ReadOptions(zone=zone_option(args.tz))
    rules = with_benign_list(load_rules_or_exit(args.rules, args.no_builtin))
    problems: list[Problem] = []
    machines = fleet_machines(args.roots, problems)
    own = [problem_doc(problem) for problem in problems]
    workflows = load_workflows_or_exit(args.rules, rules, args.no_builtin)
    if args.dask:
        from smslogdoc.fleet.cluster import dask_results

        results: Iterable[MachineResult] = dask_results(args.dask, machines, rules, options, workflows)
    else:
        results = machine_results(machines, rules, options, args.jobs or cores(), workflows)
    with output_to(args.output) as out:
        report = _write(args, results, own, len(machines), out, earlier)
    _finish(args, report)


def _earlier(args: argparse.Namespace) -> Earlier | None:
    """The earlier report `--compare` names, read before any machine is."""
    if args.compare is None:
        return None
    if args.format == "csv":
        fail(
            "--compare: csv has a row per machine and finding, no place for what changed; use text, json or html"
        )
    from pathlib import Path

    from smslogdoc.report.fleetcompare import EarlierError, read_earlier

    try:
        return read_earlier(Path(args.compare), args.compare)
    except EarlierError as error:
        fail(f"--compare: {args.compare}: {error}")


def _write(
    args: argparse.Namespace,
    results: Iterable[MachineResult],
    own: list[ProblemDoc],
    count: int,
    out: TextIO,
    earlier: Earlier | None,
) -> FleetReport:
    """The machines' results (redacted with `--redact`) written to `out` in the
    format asked for, a progress bar on stderr meanwhile; the report."""
    from smslogdoc.report.aggregate import FleetReport
    from smslogdoc.report.writers import Options, fleet_writer

    with ExitStack() as stack:
        if _progress_wanted(args):
            results = stack.enter_context(_Progress(count)).track(results)
        try:
            redaction = None
            inputs = list(args.roots)
            if args.redact:
                from smslogdoc.report.redaction import redact_machines

                results, own, inputs, redaction, earlier = redact_machines(results, own, inputs, earlier)
            report = FleetReport(results, own, redaction, inputs, earlier)
            fleet_writer(args.format)(report, out, Options(quiet=args.quiet))
        except ImportError as error:
            fail(f"--dask: {error}")
        except OSError as error:
            if args.dask:
                fail(f"--dask: cannot reach the cluster at {args.dask}: {error}")
            raise
    return report


def _progress_wanted(args: argparse.Namespace) -> bool:
    """A bar on a terminal's stderr, unless a report streams to the same
    terminal meanwhile (json, csv, html on stdout): text waits for all machines."""
    if args.quiet or sys.stderr is None or not sys.stderr.isatty():
        return False
    streaming = args.output is None and args.format != "text"
    return not (streaming and sys.stdout is not None and sys.stdout.isatty())


def _finish(args: argparse.Namespace, report: FleetReport) -> None:
    """The problems on stderr (CSV has no place for them), then the exit code."""
    if args.format == "csv" and not args.quiet:
        from smslogdoc.report.examined import problem_line
        from smslogdoc.report.redaction import summary_text
        from smslogdoc.report.terminal import console

        err = console(stderr=True)
        if report.redaction is not None:
            err.print(f"smslogdoc: {summary_text(report.redaction)}", markup=False, highlight=False)
        for problem in report.problems:
            err.print(f"smslogdoc: {problem_line(problem)}", markup=False, highlight=False)
    if not report.read:
        raise Exit(2)
    from smslogdoc.model import WORKER_LOST

    if any(problem["message"] == WORKER_LOST for problem in report.problems):
        raise Exit(2)  # a machine was not examined: its worker died (listed under problems)
    if args.fail_on != "none" and report.worst >= SEVERITIES.index(args.fail_on):
        raise Exit(1)
    raise Exit(0)


class _Progress:
    """A progress bar on stderr: machines done of all, and the rate."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from smslogdoc.report.terminal import console

        self.total = total
        self.progress = Progress(
            TextColumn("machines"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console(stderr=True),
            transient=True,
        )

    def __enter__(self) -> _Progress:
        self.progress.__enter__()
        self.task = self.progress.add_task("machines", total=self.total, rate="")
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def track(self, results: Iterable[MachineResult]) -> Iterator[MachineResult]:
        """The results, the bar advanced by each; once the last is in, the bar
        is taken away, before the report's first line is written after it."""
        for result in results:
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, advance=1, rate=f"{speed:.1f}/s" if speed else "")
            self.progress.refresh()
            yield result
        self.progress.stop()
