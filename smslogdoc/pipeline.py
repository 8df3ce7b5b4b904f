"""One input's way through the stages, for one process: each log read in full
(or, when large, scanned for what the rules need), its events through the
engine, the folder-wide findings at the end, then per log the error records
no finding explains (`engine.unexplained`). `diagnose` calls it for the whole
input, `parallel`'s workers for their share of the folders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from smslogdoc.engine import unexplained
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.storybook import StoryBook
from smslogdoc.engine.verdict import Cited
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput, archive_file, close_archives
from smslogdoc.kinds import COMPONENT_SAMPLE
from smslogdoc.model import Problem
from smslogdoc.read import plan, scan, timeline
from smslogdoc.read.full import ReadOptions, read_log
from smslogdoc.rules.model import LogScope
from smslogdoc.stories import Mark, Story


def diagnose_logs(
    numbered: Iterable[tuple[int, LogInput]],
    engine: Engine,
    options: ReadOptions,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    helper: bool = False,
    summary: str = "info",
    book: StoryBook | None = None,
) -> tuple[list[Finding], list[Problem], list[Story]]:
    """The findings of some logs, each with its number in the whole input, and
    the problems the rules met. Folder-wide rules see the folders given here,
    so all of a folder's logs must be among them. With `helper`, a very large
    log is scanned by a second process (see `scan.read_log`). `summary` is the
    severity of the unexplained-errors findings, or `off`. With `book`, the
    records also go to the workflows, and the stories come back third."""
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
            findings.extend(_diagnose_log(engine, log, number, options, since, until, helper, tally, book))
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
    stories = book.finish(cited(findings)) if book is not None else []
    problems, engine.problems = engine.problems, []
    if book is not None:
        problems, book.problems = problems + book.problems, []
    return findings, problems, stories


def _diagnose_log(
    engine: Engine,
    log: LogInput,
    number: int,
    options: ReadOptions,
    since: datetime | None,
    until: datetime | None,
    helper: bool,
    tally: unexplained.Tally,
    book: StoryBook | None,
) -> list[Finding]:
    """One log through the engine, its records watched by `tally`: a large one
    is scanned for the records the rules need and its error records (see
    `scan`), any other is read in full."""
    if since is None and until is None and engine.tracer is None and scan.worth_scanning(log):
        kind, _ = engine.kind_of(log, scan.head(log, options, COMPONENT_SAMPLE))
        where = LogScope(kind.name if kind else None, log.file_name)
        needs = plan.plan(engine.rules, where, kind, also=book.literals(where) if book else ())
        if needs is not None:
            tally.where, tally.covered = where, engine.covers(where)
            stream = scan.read_log(log, needs, options, helper=helper)
            if book is not None:
                stream = book.watch(stream, where, log.name, log.folder, number)
            return engine.log_of_kind(log, tally.watch(stream), kind, number=number)
    kind, stream = engine.kind_of(log, iter(timeline.within(read_log(log, options), since, until)))
    where = LogScope(kind.name if kind else None, log.file_name)
    tally.where, tally.covered = (
        where,
        engine.covers(where),
    )  # before any record is watched: benign entries name kinds
    watched = book.watch(stream, where, log.name, log.folder, number) if book is not None else stream
    return engine.log_of_kind(log, tally.watch(watched), kind, number=number)


def cited(findings: list[Finding]) -> dict[str, list[Cited]]:
    """Per folder, the findings a story may cite (rule and evidence records)."""
    by_folder: dict[str, list[Cited]] = {}
    for finding in findings:
        marks = tuple(
            Mark(item.path, item.line, item.end_line, item.time, item.text, "", item.event)
            for item in finding.evidence
        )
        by_folder.setdefault(finding.folder, []).append(Cited(finding.rule.id, marks))
    return by_folder
