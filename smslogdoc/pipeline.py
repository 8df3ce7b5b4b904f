"""One input's way through the stages: each log read in full (or, when large,
scanned for what the rules need), its events through the engine, the
folder-wide findings at the end, then per log the error records no finding
explains (`engine.unexplained`) - in this process (`diagnose_logs`), or shared
out by folder to worker processes (`diagnose_in_parallel`, on the pool of
`parallel`).

Work is shared out by folder: the logs of one folder (one machine) go to one
worker, since folder-wide rules correlate them. Each log keeps its number in
the whole input and results come back in input order, so the findings are
exactly those one process finds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from weakref import WeakKeyDictionary

from smslogdoc import parallel
from smslogdoc.engine import unexplained
from smslogdoc.engine.benign import Benign, benign_list
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.settle import settle
from smslogdoc.engine.storybook import StoryBook
from smslogdoc.engine.storycontext import Cited
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput, archive_file, close_archives
from smslogdoc.kinds import COMPONENT_SAMPLE, Kind
from smslogdoc.model import WORKER_LOST, Event, FileReport, Problem, ThreadNote
from smslogdoc.read import plan, scan, timeline
from smslogdoc.read.full import ReadOptions, read_log
from smslogdoc.rules.model import SUMMARY_ID, LogScope, Rule
from smslogdoc.rules.workflow import Workflow
from smslogdoc.stories import Mark, Story

MIN_BYTES = 8 << 20
"""Less input than this is read in one process: starting workers would cost more."""
BATCHES_PER_WORKER = 32
"""Folders go out in this many batches per worker, so a slow folder does not leave the others idle."""


@dataclass(frozen=True)
class Reading:
    """How a log is read: the read options, the time window, and whether a
    very large log's scan may use a helper process (`scan.read_log`)."""

    options: ReadOptions
    since: datetime | None = None
    until: datetime | None = None
    helper: bool = False


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
    """The findings of some logs, each with its number in the whole input,
    settled (`engine.settle`), and the problems the rules met. Folder-wide
    rules see the folders given here, so all of a folder's logs must be
    among them. With `helper`, a very large
    log is scanned by a second process (see `scan.read_log`). `summary` is the
    severity of the unexplained-errors findings, or `off`. With `book`, the
    deployments the logs name are followed into stories.

    The logs are taken a stretch of whole folders at a time (`whole_folders`):
    each stretch's folder-wide findings, error tallies, stories and findings
    are settled before the next is read, so what is kept while reading grows with one
    folder, not with the whole input (5,000 logs in 50 folders). Nothing
    depends on another folder's logs, and the findings, problems and stories
    come out in the order one pass over everything gives."""
    findings: list[Finding] = []
    rule_problems: list[Problem] = []
    story_problems: list[Problem] = []
    stories: list[Story] = []
    benign = benign_list()
    reading = Reading(options, since, until, helper)
    previous: LogInput | None = None
    try:
        for stretch in whole_folders(numbered):
            tallies: list[unexplained.Tally] = []
            found_here: list[Finding] = []
            for number, log in stretch:
                if previous is not None and archive_file(previous) != archive_file(log):
                    close_archives([previous])  # an archive stays open while its members are read, no longer
                previous = log
                found, tally = diagnose_one(engine, number, log, reading, benign, book)
                found_here.extend(found)
                if tally is not None:
                    tallies.append(tally)
            found_here.extend(engine.finish())
            made, reported = settle(found_here, tallies, summary)
            if book is not None:
                stories.extend(book.finish(cited(made)))
                story_problems.extend(book.problems)
                book.problems = []
            rule_problems.extend(engine.problems)
            engine.problems = []
            findings.extend(reported)  # one per cause and folder, not per log, kept
    finally:
        if previous is not None:
            close_archives([previous])
    stories.sort(key=Story.sort_key)  # stable: a folder's stories keep their order
    return findings, rule_problems + story_problems, stories


def whole_folders(numbered: Iterable[tuple[int, LogInput]]) -> Iterator[list[tuple[int, LogInput]]]:
    """The logs in their order, cut into stretches that each hold every log of
    their folders: a cut is made only where no later log belongs to a folder
    already seen (logs of one folder given apart stay in one stretch)."""
    items = list(numbered)
    last = {log.folder: at for at, (_, log) in enumerate(items)}
    start = reach = 0
    for at, (_, log) in enumerate(items):
        reach = max(reach, last[log.folder])
        if at == reach:
            yield items[start : at + 1]
            start = at + 1


def diagnose_one(
    engine: Engine,
    number: int,
    log: LogInput,
    reading: Reading,
    benign: tuple[Benign, ...],
    book: StoryBook | None = None,
) -> tuple[list[Finding], unexplained.Tally | None]:
    """One log's findings (folder-wide rules wait for `engine.finish`), its
    file reports filled in, and the tally of its error records when it has
    some for `settle.summaries`. A scan reads the records `book`'s workflows
    need too, and `book` watches them (or records them: a worker's)."""
    tally = unexplained.Tally(log.name, log.folder, number, LogScope(None, log.file_name), benign)
    found = _diagnose_log(engine, log, number, reading, tally, book)
    windowed = reading.since is not None or reading.until is not None
    for report in log.reports:
        report.covered = None if report.skipped else tally.covered
        report.error_records = tally.errors.get(report.path, 0)
        report.in_window = tally.records.get(report.path, 0) if windowed else None
    return found, tally if tally.groups or tally.untracked else None


_PLANS: WeakKeyDictionary[Engine, dict[tuple[object, ...], plan.Plan | None]] = WeakKeyDictionary()
"""Each engine's plans, by what of its rules applies to a log and the log's kind (a few per run)."""
MAX_PLANS = 256


def _plan(
    engine: Engine, where: LogScope, kind: Kind | None, also: list[tuple[str, ...]]
) -> plan.Plan | None:
    """What a scan of a log must read (`read.plan`, with the literals `also`
    the stories need), worked out once for all logs the same rules and events
    apply to, of the same kind."""
    known = _PLANS.setdefault(engine, {})
    signature = engine.signature(where)
    key = (signature, kind.name if kind else None, tuple(also))
    if key not in known:
        if len(known) >= MAX_PLANS:
            known.clear()
        # the rules that apply, from the engine's index: not each of its thousands of rules asked again
        applying = [engine.rules[number] for number in signature[0]]
        known[key] = plan.plan(applying, where, kind, also=also)
    return known[key]


def _diagnose_log(
    engine: Engine,
    log: LogInput,
    number: int,
    reading: Reading,
    tally: unexplained.Tally,
    book: StoryBook | None,
) -> list[Finding]:
    """One log through the engine, its records watched by `tally` (and by
    `book`, for stories)."""
    kind, where, stream = _read(engine, log, number, reading, book)
    # before any record is watched: benign entries name kinds
    tally.where, tally.covered = where, engine.covers(where)
    return engine.log_of_kind(log, tally.watch(stream), kind, number=number)


def tell_one(
    engine: Engine,
    number: int,
    log: LogInput,
    reading: Reading,
    book: StoryBook,
) -> None:
    """The stories' part of `diagnose_one` alone: the log read as the engine
    reads it (the same records), watched by `book`; no rule runs and the file
    reports are not kept (the log is diagnosed elsewhere, by a worker)."""
    _, _, stream = _read(engine, replace(log, reports=[]), number, replace(reading, helper=False), book)
    for _ in stream:
        pass


def _read(
    engine: Engine,
    log: LogInput,
    number: int,
    reading: Reading,
    book: StoryBook | None,
) -> tuple[Kind | None, LogScope, Iterator[Event | ThreadNote]]:
    """A log's kind, scope and records, watched by `book`: a large one is
    scanned for the records the rules and the workflows of `book` need and its
    error records (see `scan`), any other is read in full."""
    options = reading.options
    if reading.since is None and reading.until is None and engine.tracer is None and scan.worth_scanning(log):
        kind, _ = engine.kind_of(log, scan.head(log, options, COMPONENT_SAMPLE))
        where = LogScope(kind.name if kind else None, log.file_name)
        needs = _plan(engine, where, kind, book.literals(where) if book else [])
        if needs is not None:
            stream: Iterator[Event | ThreadNote] = iter(
                scan.read_log(log, needs, options, helper=reading.helper)
            )
            if book is not None:
                stream = book.watch(stream, where, log.name, log.folder, number)
            return kind, where, stream
    kind, events = engine.kind_of(
        log, iter(timeline.within(read_log(log, options), reading.since, reading.until))
    )
    where = LogScope(kind.name if kind else None, log.file_name)
    watched = book.watch(events, where, log.name, log.folder, number) if book is not None else events
    return kind, where, iter(watched)


def worth_sharing(logs: Sequence[LogInput], jobs: int) -> bool:
    """Whether to share the logs out: several jobs, several folders, enough
    bytes, and no standard input (which only this process can read)."""
    if jobs < 2 or len({log.folder for log in logs}) < 2:
        return False
    parts = [part for log in logs for part in log.parts]
    if any(part.is_stdin for part in parts):
        return False
    return sum(part.size() for part in parts) >= MIN_BYTES


@dataclass(frozen=True)
class Settings:
    """What every worker is sent once: the rules (its engine is made from
    them) and how to read."""

    rules: list[Rule]
    options: ReadOptions
    since: datetime | None
    until: datetime | None
    summary: str
    workflows: tuple[Workflow, ...] = ()
    """Followed into stories in the worker: a batch holds whole folders, so a
    machine's stories are made where all its logs are read."""

    def reading(self, *, helper: bool) -> Reading:
        return Reading(self.options, self.since, self.until, helper)


Batch = list[tuple[int, LogInput]]
Done = tuple[list[tuple[str, Finding]], list[list[FileReport]], list[Problem], list[Story]]
"""A batch's findings (each with its rule's id: the rule itself stays home), its logs' file reports, its problems."""


def diagnose_in_parallel(
    numbered: Sequence[tuple[int, LogInput]], settings: Settings, jobs: int
) -> tuple[list[Finding], list[Problem], list[Story]]:
    """`diagnose_logs` over batches of whole folders on up to `jobs` worker
    processes; the file reports come back onto `numbered`'s logs."""
    batches = _batches(numbered, jobs * BATCHES_PER_WORKER)
    findings: list[Finding] = []
    problems: list[Problem] = []
    stories: list[Story] = []
    by_id = {rule.id: rule for rule in settings.rules}
    done = parallel.in_order(_work, batches, _start, settings, jobs=jobs, lost=_lost)
    for batch, (found, reports, met, told) in zip(batches, done, strict=True):
        stories.extend(told)
        for (_, log), log_reports in zip(batch, reports, strict=True):
            if log_reports is not log.reports:  # (not when the batch was done in this process)
                log.reports.extend(log_reports)
        findings.extend(taken_back(found, by_id))
        problems.extend(met)
    stories.sort(key=Story.sort_key)
    return findings, problems, stories


def _batches(numbered: Sequence[tuple[int, LogInput]], count: int) -> list[Batch]:
    """About `count` batches of whole folders, in input order."""
    by_folder: dict[str, Batch] = {}
    for item in numbered:
        by_folder.setdefault(item[1].folder, []).append(item)
    folders = list(by_folder.values())
    size = max(1, -(-len(folders) // count))
    return [
        [item for folder in folders[at : at + size] for item in folder] for at in range(0, len(folders), size)
    ]


def _lost(batch: Batch) -> Done:
    """A batch whose worker died: one problem a log, no finding."""
    return [], [log.reports for _, log in batch], [Problem(log.name, WORKER_LOST) for _, log in batch], []


def _start(settings: Settings) -> tuple[Engine, Settings]:
    return Engine(settings.rules), settings


def _work(state: tuple[Engine, Settings], batch: Batch) -> Done:
    """In a worker: one batch of folders; the findings go back with their rule's id only."""
    engine, settings = state
    book = StoryBook(settings.workflows) if settings.workflows else None
    findings, problems, stories = diagnose_logs(
        batch, engine, settings.options, settings.since, settings.until, summary=settings.summary, book=book
    )
    loaded = {rule.id for rule in engine.rules}
    return sent_back(findings, loaded), [log.reports for _, log in batch], problems, stories


def sent_back(findings: list[Finding], loaded: set[str]) -> list[tuple[str, Finding]]:
    """Findings as a worker sends them: each with its rule's id, the rule
    itself left out when it is one of the `loaded` rules (the caller has it)."""
    sent = []
    for finding in findings:
        rule_id = finding.rule.id
        if rule_id in loaded:
            finding.rule = None  # type: ignore[assignment]  # sent back as its id: the caller has the rules
        sent.append((rule_id, finding))
    return sent


def taken_back(sent: list[tuple[str, Finding]], by_id: dict[str, Rule]) -> list[Finding]:
    """`sent_back`'s findings with the caller's own rule objects again (a
    built-in summary comes back whole)."""
    for rule_id, finding in sent:
        if rule_id in by_id:
            finding.rule = by_id[rule_id]
    return [finding for _, finding in sent]


def cited(findings: list[Finding]) -> dict[str, list[Cited]]:
    """Per folder, the findings a story may cite (rule and evidence records):
    causes, not the summary of error records no rule explains."""
    by_folder: dict[str, list[Cited]] = {}
    written = {(item.path, item.line) for f in findings if not f.rule.family for item in f.evidence}
    for finding in findings:
        if finding.rule.id == SUMMARY_ID:
            continue
        if finding.rule.family and any((item.path, item.line) in written for item in finding.evidence):
            continue  # a rule family's reading of a record a written rule explains
        marks = tuple(
            Mark(item.path, item.line, item.end_line, item.time, item.text, "", item.event)
            for item in finding.evidence
        )
        by_folder.setdefault(finding.folder, []).append(Cited(finding.rule.id, marks))
    return by_folder
