"""Diagnosing many logs on several cores.

Work is shared out by folder: the logs of one folder (one machine) go to one
worker process, since folder-wide rules correlate them. Each log keeps its
number in the whole input and results come back in input order, so the
findings are exactly those one process finds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from smslogdoc.engine.loop import Engine
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput
from smslogdoc.model import FileReport, Problem
from smslogdoc.pipeline import diagnose_logs
from smslogdoc.read.full import ReadOptions
from smslogdoc.read.helper import child_signals
from smslogdoc.rules.model import Rule

MIN_BYTES = 8 << 20
"""Less input than this is read in one process: starting workers would cost more."""
BATCHES_PER_WORKER = 32
"""Folders go out in this many batches per worker, so a slow folder does not leave the others idle."""

_engine: Engine | None = None
"""A worker's engine, made once when it starts, from the rules it is sent."""


def cores() -> int:
    """How many processes `--jobs 0` (all cores) means: the cores this process
    may run on, where the system says (Linux), else all of them."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def worth_it(logs: Sequence[LogInput], jobs: int) -> bool:
    """Whether to share the logs out: several jobs, several folders, enough
    bytes, and no standard input (which only this process can read)."""
    if jobs < 2 or len({log.folder for log in logs}) < 2:
        return False
    parts = [part for log in logs for part in log.parts]
    if any(part.is_stdin for part in parts):
        return False
    return sum(part.size() for part in parts) >= MIN_BYTES


def diagnose_in_parallel(
    numbered: Sequence[tuple[int, LogInput]],
    rules: list[Rule],
    options: ReadOptions,
    since: datetime | None,
    until: datetime | None,
    jobs: int,
    unexplained: str = "info",
) -> tuple[list[Finding], list[Problem]]:
    """`pipeline.diagnose_logs` over batches of folders in worker processes;
    the file reports come back onto `numbered`'s logs."""
    batches = _batches(numbered, jobs * BATCHES_PER_WORKER)
    tasks = [
        ([(number, log) for number, log in batch], options, since, until, unexplained) for batch in batches
    ]
    findings: list[Finding] = []
    problems: list[Problem] = []
    by_id = {rule.id: rule for rule in rules}
    with worker_pool(min(jobs, len(batches)), _start, (rules,)) as pool:
        for batch, (found, reports, met) in zip(batches, pool.map(_work, tasks), strict=True):
            for (_, log), log_reports in zip(batch, reports, strict=True):
                log.reports.extend(log_reports)
            for rule_id, finding in found:
                if rule_id in by_id:  # the caller's own rule objects (a built-in summary comes back whole)
                    finding.rule = by_id[rule_id]
                findings.append(finding)
            problems.extend(met)
    return findings, problems


@contextmanager
def worker_pool(
    workers: int, start: Callable[..., None], arguments: tuple[Any, ...]
) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes, each started with `start(*arguments)`
    (which calls `read.helper.child_signals`). Should the caller stop early
    (Ctrl-C, SIGTERM, an error, a generator closed), work not yet started is
    cancelled and the workers are ended at once, not waited for."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=start, initargs=arguments)
    try:
        yield pool
    except BaseException:
        processes: dict[int, Any] = dict(getattr(pool, "_processes", None) or {})  # shutdown forgets them
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            process.terminate()
        if manager is not None:  # let it see its workers gone before the interpreter exits
            manager.join(timeout=5)
        raise
    pool.shutdown()


def _batches(numbered: Sequence[tuple[int, LogInput]], count: int) -> list[list[tuple[int, LogInput]]]:
    """About `count` batches of whole folders, in input order."""
    by_folder: dict[str, list[tuple[int, LogInput]]] = {}
    for item in numbered:
        by_folder.setdefault(item[1].folder, []).append(item)
    folders = list(by_folder.values())
    size = max(1, -(-len(folders) // count))
    return [
        [item for folder in folders[at : at + size] for item in folder] for at in range(0, len(folders), size)
    ]


def _start(rules: list[Rule]) -> None:
    global _engine
    child_signals()
    _engine = Engine(rules)


def _work(
    task: tuple[list[tuple[int, LogInput]], ReadOptions, datetime | None, datetime | None, str],
) -> tuple[list[tuple[str, Finding]], list[list[FileReport]], list[Problem]]:
    numbered, options, since, until, unexplained = task
    assert _engine is not None, "the worker was started without its rules"
    findings, problems = diagnose_logs(numbered, _engine, options, since, until, summary=unexplained)
    loaded = {rule.id for rule in _engine.rules}
    sent = []
    for finding in findings:
        rule_id = finding.rule.id
        if rule_id in loaded:
            finding.rule = None  # type: ignore[assignment]  # sent back as its id: the caller has the rules
        sent.append((rule_id, finding))
    return sent, [log.reports for _, log in numbered], problems
