"""One machine's logs on several cores.

A folder is one machine, and rules `by: folder` correlate its logs, so
`pipeline.diagnose_in_parallel` gives a folder to one worker whole. When there
are fewer folders than jobs (a client's `CCM\\Logs`: about a hundred logs, one
folder), the logs themselves are shared out: each log that no folder-wide rule
applies to is read and run through the rules in a worker process (the one
pool, `parallel.in_order`), which sends back the log's findings, file reports,
the tally of its error records and the problems it met. The logs a folder-wide
rule applies to, and very large ones (scanned with a helper process, see
`read.scan`), stay in this process, which reads them while the workers read
the others. Per-log findings do not depend on other logs, so merged in input
order, followed by the folder-wide findings and the summaries, they are
exactly those one process finds.

A machine's stories need its logs in one story book, in input order: a
worker's book records, on a tape per log (`engine.storytape`), the records
that match a workflow event and how far the log's records go in time, and
this process plays the tapes into its book in input order, between the logs
it reads itself, as if it had read them (tasks hold logs in input order, so
tapes come back in about the order they are played). A log with too many
such records for a tape is read again here for its stories alone
(`pipeline.tell_one`).
"""

from __future__ import annotations

from collections.abc import Sequence

from smslogdoc import parallel
from smslogdoc.engine import unexplained
from smslogdoc.engine.benign import Benign, benign_list
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.settle import settle
from smslogdoc.engine.storybook import StoryBook
from smslogdoc.engine.storytape import Tape
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput, close_archives
from smslogdoc.kinds import COMPONENT_SAMPLE
from smslogdoc.model import WORKER_LOST, FileReport, Problem
from smslogdoc.pipeline import (
    MIN_BYTES,
    Settings,
    cited,
    diagnose_one,
    sent_back,
    taken_back,
    tell_one,
)
from smslogdoc.read import scan
from smslogdoc.rules.model import LogScope, Rule
from smslogdoc.stories import Story

TASKS_PER_WORKER = 32
"""Logs go out in about this many tasks per worker (several small logs to a task)."""

Task = list[tuple[int, LogInput]]
Done = list[
    tuple[list[tuple[str, Finding]], unexplained.Tally | None, list[FileReport], list[Problem], Tape | None]
]
"""Per log of a task: its findings (each with its rule's id), tally, file reports,
problems, and (when stories are told) its tape."""


def worth_it(logs: Sequence[LogInput], jobs: int) -> bool:
    """Whether to share out the logs of fewer folders than jobs: several jobs
    and logs, enough bytes, no standard input."""
    if jobs < 2 or len(logs) < 2 or len({log.folder for log in logs}) >= jobs:
        return False
    parts = [part for log in logs for part in log.parts]
    if any(part.is_stdin for part in parts):
        return False
    return sum(part.size() for part in parts) >= MIN_BYTES


def diagnose_shared(
    numbered: Sequence[tuple[int, LogInput]], settings: Settings, jobs: int
) -> tuple[list[Finding], list[Problem], list[Story]]:
    """`pipeline.diagnose_logs` with the logs no folder-wide rule applies to
    read in worker processes; the file reports come back onto the logs, the
    workflow records noted on tapes, played into the story book in input order."""
    engine = Engine(settings.rules)
    book = StoryBook(settings.workflows) if settings.workflows else None
    wide = [rule for rule in settings.rules if any("folder" in c.by for c in rule.conditions)]
    here: set[int] = set()
    out: list[tuple[int, LogInput]] = []
    for number, log in numbered:
        if _stays(wide, log, _scopes(engine, log, settings)):
            here.add(number)
        else:
            out.append((number, log))
    tasks = _tasks(out, jobs * TASKS_PER_WORKER)
    done = parallel.in_order(_work, tasks, _start, settings, jobs=jobs, chunksize=1, lost=_lost)
    per_log: dict[int, tuple[list[Finding], unexplained.Tally | None, list[Problem]]] = {}
    tapes: dict[int, Tape | None] = {}
    by_id = {rule.id: rule for rule in settings.rules}
    benign = benign_list()
    back = zip(tasks, done, strict=True)
    try:
        # the pool starts on the first result asked for, then works while this process reads its logs
        if tasks:
            _merge(*next(back), by_id, per_log, tapes)
        for number, log in numbered:
            if number in here:
                per_log[number] = _diagnose_here(engine, number, log, settings, benign, book)
                continue
            while number not in per_log:
                _merge(*next(back), by_id, per_log, tapes)
            tape = tapes.pop(number)
            if book is not None and tape is not None:
                if tape.full:  # too many records to send: read again here for the stories
                    tell_one(engine, number, log, settings.reading(helper=False), book)
                else:
                    book.play(tape)
    finally:
        done.close()  # (on an error or Ctrl-C: the workers are ended)
    findings = [finding for n, _ in numbered for finding in per_log[n][0]]
    findings.extend(engine.finish())
    tallies = [tally for n, _ in numbered if (tally := per_log[n][1]) is not None]
    made, reported = settle(findings, tallies, settings.summary)
    problems = [problem for n, _ in numbered for problem in per_log[n][2]] + engine.problems
    if book is None:
        return reported, problems, []
    stories = book.finish(cited(made))
    return reported, problems + book.problems, stories


def _diagnose_here(
    engine: Engine,
    number: int,
    log: LogInput,
    settings: Settings,
    benign: tuple[Benign, ...],
    book: StoryBook | None,
) -> tuple[list[Finding], unexplained.Tally | None, list[Problem]]:
    """A log read in this process (a very large one with a helper process),
    watched by `book`: its findings, tally and problems."""
    try:
        found, tally = diagnose_one(engine, number, log, settings.reading(helper=True), benign, book)
    finally:
        close_archives([log])
    problems, engine.problems = engine.problems, []
    return found, tally, problems


def _scopes(engine: Engine, log: LogInput, settings: Settings) -> list[LogScope]:
    """The kinds a log may be of, as the engine tells it: by its name, else by
    its first records' components (within a time window, any kind is assumed)."""
    kind = engine.kinds.by_file_name(log.file_name)
    if kind is None and settings.since is None and settings.until is None:
        kind, _ = engine.kind_of(log, scan.head(log, settings.options, COMPONENT_SAMPLE))
        kinds = [kind.name if kind is not None else None]
    else:
        kinds = [kind.name] if kind is not None else [None, *engine.kinds.kinds]
    return [LogScope(name, log.file_name) for name in kinds]


def _stays(wide: list[Rule], log: LogInput, scopes: list[LogScope]) -> bool:
    """Whether a log is diagnosed in this process: a folder-wide rule may apply
    to it, or it is large enough for a helper process of its own."""
    if any(part.path is not None and part.size() >= scan.HELPER_SIZE for part in log.parts):
        return True
    return any(rule.applies(scope) for rule in wide for scope in scopes)


def _tasks(numbered: list[tuple[int, LogInput]], count: int) -> list[Task]:
    """About `count` tasks of logs in input order, of about the same size (a
    large log is a task of its own), so results come back in the order the
    stories are told."""
    budget = max(1, -(-sum(_size(log) for _, log in numbered) // max(1, count)))
    tasks: list[Task] = []
    size = 0
    for item in numbered:
        this = _size(item[1])
        if tasks and size + this <= budget:
            tasks[-1].append(item)
            size += this
        else:
            tasks.append([item])
            size = this
    return tasks


def _size(log: LogInput) -> int:
    return sum(part.size() for part in log.parts)


def _merge(
    task: Task,
    results: Done,
    by_id: dict[str, Rule],
    per_log: dict[int, tuple[list[Finding], unexplained.Tally | None, list[Problem]]],
    tapes: dict[int, Tape | None],
) -> None:
    for (number, log), (sent, tally, reports, problems, tape) in zip(task, results, strict=True):
        if reports is not log.reports:  # (not when the task was done in this process)
            log.reports.extend(reports)
        per_log[number] = (taken_back(sent, by_id), tally, problems)
        tapes[number] = tape


def _lost(task: Task) -> Done:
    """A task whose worker died (killed, out of memory): a problem line per log
    (its stories are not told)."""
    return [([], None, log.reports, [Problem(log.name, WORKER_LOST)], None) for _, log in task]


def _start(settings: Settings) -> tuple[Engine, Settings, StoryBook | None]:
    recording = StoryBook(settings.workflows, recording=True) if settings.workflows else None
    return Engine(settings.rules), settings, recording


def _work(state: tuple[Engine, Settings, StoryBook | None], task: Task) -> Done:
    """In a worker: each log of the task through the rules; findings go back
    with their rule's id only, tallies without the benign list, and the
    records of the workflows on a tape (the book here records)."""
    engine, settings, recording = state
    benign = benign_list()
    loaded = {rule.id for rule in engine.rules}
    done: Done = []
    for number, log in task:
        try:
            found, tally = diagnose_one(
                engine, number, log, settings.reading(helper=False), benign, recording
            )
        finally:
            close_archives([log])
        engine.finish()  # forgets the log (no folder-wide rule applies to it)
        sent = sent_back(found, loaded)
        if tally is not None:
            tally.shed()
        problems, engine.problems = engine.problems, []
        tape = None
        if recording is not None and recording.tapes:
            tape = recording.tapes[-1]
            recording.tapes.clear()
        done.append((sent, tally, log.reports, problems, tape))
    return done
