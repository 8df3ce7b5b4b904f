"""Diagnosing many logs on several cores.

Work is shared out by folder: the logs of one folder (one machine) go to one
worker process, since folder-wide rules correlate them. Each log keeps its
number in the whole input and results come back in input order, so the
findings are exactly those one process finds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime

from smslogdoc.engine.loop import Engine
from smslogdoc.engine.storybook import StoryBook
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput
from smslogdoc.model import FileReport, Problem
from smslogdoc.pipeline import diagnose_logs
from smslogdoc.read.full import ReadOptions
from smslogdoc.rules.model import Rule
from smslogdoc.rules.workflow import Workflow
from smslogdoc.stories import Story

MIN_BYTES = 8 << 20
"""Less input than this is read in one process: starting workers would cost more."""
BATCHES_PER_WORKER = 32
"""Folders go out in this many batches per worker, so a slow folder does not leave the others idle."""

_engine: Engine | None = None
"""A worker's engine, made once when it starts, from the rules it is sent."""
_workflows: list[Workflow] = []
"""A worker's workflows, sent when it starts."""


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
    workflows: Sequence[Workflow] = (),
) -> tuple[list[Finding], list[Problem], list[Story]]:
    """`pipeline.diagnose_logs` over batches of folders in worker processes;
    the file reports come back onto `numbered`'s logs."""
    batches = _batches(numbered, jobs * BATCHES_PER_WORKER)
    tasks = [
        ([(number, log) for number, log in batch], options, since, until, unexplained) for batch in batches
    ]
    findings: list[Finding] = []
    problems: list[Problem] = []
    stories: list[Story] = []
    by_id = {rule.id: rule for rule in rules}
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(batches)), initializer=_start, initargs=(rules, list(workflows))
    ) as pool:
        for batch, (found, reports, met, told) in zip(batches, pool.map(_work, tasks), strict=True):
            stories.extend(told)
            for (_, log), log_reports in zip(batch, reports, strict=True):
                log.reports.extend(log_reports)
            for rule_id, finding in found:
                if rule_id in by_id:  # the caller's own rule objects (a built-in summary comes back whole)
                    finding.rule = by_id[rule_id]
                findings.append(finding)
            problems.extend(met)
    stories.sort(key=Story.sort_key)
    return findings, problems, stories


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


def _start(rules: list[Rule], workflows: list[Workflow]) -> None:
    global _engine, _workflows
    _engine, _workflows = Engine(rules), workflows


def _work(
    task: tuple[list[tuple[int, LogInput]], ReadOptions, datetime | None, datetime | None, str],
) -> tuple[list[tuple[str, Finding]], list[list[FileReport]], list[Problem], list[Story]]:
    numbered, options, since, until, unexplained = task
    assert _engine is not None, "the worker was started without its rules"
    book = StoryBook(_workflows) if _workflows else None
    findings, problems, stories = diagnose_logs(
        numbered, _engine, options, since, until, summary=unexplained, book=book
    )
    loaded = {rule.id for rule in _engine.rules}
    sent = []
    for finding in findings:
        rule_id = finding.rule.id
        if rule_id in loaded:
            finding.rule = None  # type: ignore[assignment]  # sent back as its id: the caller has the rules
        sent.append((rule_id, finding))
    return sent, [log.reports for _, log in numbered], problems, stories
