"""One input's way through the stages, for one process: each log read in full
(or, when large, scanned for what the rules need), its events through the
engine, the folder-wide findings at the end, then per log the error records
no finding explains (`engine.unexplained`). `diagnose` calls it for the whole
input, `parallel`'s workers for their share of the folders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from weakref import WeakKeyDictionary

from smslogdoc.engine import unexplained
from smslogdoc.engine.loop import Engine
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput, archive_file, close_archives
from smslogdoc.kinds import COMPONENT_SAMPLE, Kind
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
    summary: str = "info",
) -> tuple[list[Finding], list[Problem]]:
    """The findings of some logs, each with its number in the whole input, and
    the problems the rules met. Folder-wide rules see the folders given here,
    so all of a folder's logs must be among them. With `helper`, a very large
    log is scanned by a second process (see `scan.read_log`). `summary` is the
    severity of the unexplained-errors findings, or `off`."""
    findings: list[Finding] = []
    tallies: list[unexplained.Tally] = []
    benign = unexplained.benign_list()
    previous: LogInput | None = None
    try:
        for number, log in numbered:
            if previous is not None and archive_file(previous) != archive_file(log):
                close_archives([previous])  # an archive stays open while its members are read, no longer
            previous = log
            tally = unexplained.Tally(log.name, log.folder, number, LogScope(None, log.file_name), benign)
            findings.extend(_diagnose_log(engine, log, number, options, since, until, helper, tally))
            windowed = since is not None or until is not None
            for report in log.reports:
                report.covered = None if report.skipped else tally.covered
                report.error_records = tally.errors.get(report.path, 0)
                report.in_window = tally.records.get(report.path, 0) if windowed else None
            if tally.groups or tally.untracked:
                tallies.append(tally)
    finally:
        if previous is not None:
            close_archives([previous])
    findings.extend(engine.finish())
    if summary != "off":
        by_log: dict[str, list[Finding]] = {}
        for finding in findings:
            for item in finding.evidence:
                by_log.setdefault(item.path, []).append(finding)
        for tally in tallies:
            citing = [finding for path in sorted(tally.paths) for finding in by_log.get(path, [])]
            found = unexplained.summary(tally, citing, summary)
            if found is not None:
                findings.append(found)
    problems, engine.problems = engine.problems, []
    return findings, problems


_PLANS: WeakKeyDictionary[Engine, dict[tuple[object, ...], plan.Plan | None]] = WeakKeyDictionary()
"""Each engine's plans, by what of its rules applies to a log and the log's kind (a few per run)."""
MAX_PLANS = 256


def _plan(engine: Engine, where: LogScope, kind: Kind | None) -> plan.Plan | None:
    """What a scan of a log must read (`read.plan`), worked out once for all
    logs the same rules and events apply to, of the same kind."""
    known = _PLANS.setdefault(engine, {})
    key = (engine.signature(where), kind.name if kind else None)
    if key not in known:
        if len(known) >= MAX_PLANS:
            known.clear()
        known[key] = plan.plan(engine.rules, where, kind)
    return known[key]


def _diagnose_log(
    engine: Engine,
    log: LogInput,
    number: int,
    options: ReadOptions,
    since: datetime | None,
    until: datetime | None,
    helper: bool,
    tally: unexplained.Tally,
) -> list[Finding]:
    """One log through the engine, its records watched by `tally`: a large one
    is scanned for the records the rules need and its error records (see
    `scan`), any other is read in full."""
    if since is None and until is None and engine.tracer is None and scan.worth_scanning(log):
        kind, _ = engine.kind_of(log, scan.head(log, options, COMPONENT_SAMPLE))
        where = LogScope(kind.name if kind else None, log.file_name)
        needs = _plan(engine, where, kind)
        if needs is not None:
            tally.where, tally.covered = where, engine.covers(where)
            return engine.log_of_kind(
                log, tally.watch(scan.read_log(log, needs, options, helper=helper)), kind, number=number
            )
    kind, stream = engine.kind_of(log, iter(timeline.within(read_log(log, options), since, until)))
    where = LogScope(kind.name if kind else None, log.file_name)
    tally.where, tally.covered = (
        where,
        engine.covers(where),
    )  # before any record is watched: benign entries name kinds
    return engine.log_of_kind(log, tally.watch(stream), kind, number=number)
