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

from smslogdoc.cli.common import Exit, fail, load_rules_or_exit, zone_option
from smslogdoc.model import SEVERITIES

if TYPE_CHECKING:
    from rich.console import Console

    from smslogdoc.fleet import Fleet
    from smslogdoc.fleet.machine import MachineResult
    from smslogdoc.inputs.archives import Machine
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.rules.model import Rule


def fleet(args: argparse.Namespace) -> None:
    """Diagnose many machines (one subfolder or archive of ROOT each) and rank the causes by how many machines they hit."""
    from pathlib import Path

    from smslogdoc.fleet import WRITERS, Fleet, fleet_machines
    from smslogdoc.model import Problem
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.jsondoc import problem_dict
    from smslogdoc.report.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    write = WRITERS.get(args.format)
    if write is None:
        fail(f"--format: unknown format {args.format!r}; choose {', '.join(WRITERS)}")
    _check(args)
    options = ReadOptions(zone=zone_option(args.tz))
    rules = load_rules_or_exit(args.rules, args.no_builtin)
    problems: list[Problem] = []
    machines = fleet_machines(args.roots, problems)
    own = [problem_dict(problem) for problem in problems]
    results = _results(args, machines, rules, options)
    with ExitStack() as stack:
        if args.output is not None:
            try:
                out: TextIO = stack.enter_context(Path(args.output).open("w", encoding="utf-8", newline=""))
            except OSError as error:
                fail(f"-o: cannot write {args.output}: {error.strerror or error}")
            text_console = console(color=False) if args.format != "text" else _file_console(out)
        else:
            out, text_console = sys.stdout, console()
        if not args.quiet and sys.stderr is not None and sys.stderr.isatty():
            results = stack.enter_context(_Progress(len(machines))).track(results)
        aggregate = Fleet(own)
        try:
            if args.redact:
                from smslogdoc.fleet.redaction import redacted

                results, aggregate.problems, aggregate.redaction = redacted(results, own)
            write(results, aggregate, out, text_console)
        except ImportError as error:
            fail(f"--dask: {error}")
        except OSError as error:
            if args.dask:
                fail(f"--dask: cannot reach the cluster at {args.dask}: {error}")
            raise
    if args.format == "csv" and not args.quiet:
        _csv_notes(aggregate)
    if not aggregate.read:
        raise Exit(2)
    if args.fail_on != "none" and aggregate.worst >= SEVERITIES.index(args.fail_on):
        raise Exit(1)
    raise Exit(0)


def _check(args: argparse.Namespace) -> None:
    """Exit 2 on a bad --fail-on or --jobs."""
    if args.fail_on not in (*SEVERITIES, "none"):
        fail(f"--fail-on: expected one of {', '.join(SEVERITIES)} or none, got {args.fail_on!r}")
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")


def _results(
    args: argparse.Namespace, machines: list[Machine], rules: list[Rule], options: ReadOptions
) -> Iterable[MachineResult]:
    """Each machine's result, in order: on a Dask cluster with --dask, else on this host's processes."""
    if args.dask:
        from smslogdoc.fleet.cluster import dask_results

        return dask_results(args.dask, machines, rules, options)
    from smslogdoc.fleet import machine_results
    from smslogdoc.parallel import cores

    return machine_results(machines, rules, options, args.jobs or cores())


def _csv_notes(aggregate: Fleet) -> None:
    """With CSV (which has no place for them): the redaction summary and the problems, on stderr."""
    from smslogdoc.report.terminal import console

    err = console(stderr=True)
    if aggregate.redaction is not None:
        from smslogdoc.report.redact import summary_text

        err.print(f"smslogdoc: {summary_text(aggregate.redaction)}", markup=False, highlight=False)
    for problem in aggregate.problems:
        where = problem["path"] if problem.get("line") is None else f"{problem['path']}:{problem['line']}"
        err.print(f"smslogdoc: {where}: {problem['message']}", markup=False, highlight=False)


def _file_console(out: TextIO) -> Console:
    from rich.console import Console

    return Console(file=out, width=100, no_color=True, emoji=False, highlight=False, force_terminal=False)


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
        for result in results:
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, advance=1, rate=f"{speed:.1f}/s" if speed else "")
            yield result
