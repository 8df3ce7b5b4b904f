"""One input's way through the stages, for one process: each log read in full
(or, when large, scanned for what the rules need), its events through the
engine, the folder-wide findings at the end. `diagnose` calls it for the whole
input, `parallel`'s workers for their share of the folders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from smslogdoc.engine.loop import Engine
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput, archive_file, close_archives
from smslogdoc.kinds import COMPONENT_SAMPLE
from smslogdoc.model import Problem
from smslogdoc.read import plan, scan, timeline
from smslogdoc.read.full import ReadOptions, read_log
from smslogdoc.rules.model import LogScope


def diagnose_logs(
    numbered: Iterable[tuple[int, LogInput]],
    engine: Engine,
    options: ReadOptions,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    helper: bool = False,
) -> tuple[list[Finding], list[Problem]]:
    """The findings of some logs, each with its number in the whole input, and
    the problems the rules met. Folder-wide rules see the folders given here,
    so all of a folder's logs must be among them. With `helper`, a very large
    log is scanned by a second process (see `scan.read_log`)."""
    findings: list[Finding] = []
    previous: LogInput | None = None
    try:
        for number, log in numbered:
            if previous is not None and archive_file(previous) != archive_file(log):
                close_archives([previous])  # an archive stays open while its members are read, no longer
            previous = log
            findings.extend(_diagnose_log(engine, log, number, options, since, until, helper))
    finally:
        if previous is not None:
            close_archives([previous])
    findings.extend(engine.finish())
    problems, engine.problems = engine.problems, []
    return findings, problems


def _diagnose_log(
    engine: Engine, log: LogInput, number: int, options: ReadOptions, since: datetime | None, until: datetime | None, helper: bool
) -> list[Finding]:
    """One log through the engine: a large one is scanned for the records the
    rules need (see `scan`), any other is read in full."""
    if since is None and until is None and engine.tracer is None and scan.worth_scanning(log):
        kind, _ = engine.kind_of(log, scan.head(log, options, COMPONENT_SAMPLE))
        needs = plan.plan(engine.rules, LogScope(kind.name if kind else None, log.file_name), kind)
        if needs is not None:
            return engine.log_of_kind(log, scan.read_log(log, needs, options, helper=helper), kind, number=number)
    return engine.log(log, timeline.within(read_log(log, options), since, until), number=number)
