"""A diagnosis run: read the logs under some paths, run the rules over them,
and gather findings, file reports and problems in one `Outcome`.

This is the library entry point the command line calls; it is usable on its
own (`diagnose(["C:/logs"], rules)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from smslogdoc import parallel as workers
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.results import without_explained_fallbacks
from smslogdoc.engine.tracer import Tracer
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import LogInput, collect
from smslogdoc.kinds import COMPONENT_SAMPLE
from smslogdoc.model import FileReport, Problem
from smslogdoc.read import scan, timeline
from smslogdoc.read.full import ReadOptions, read_log
from smslogdoc.rules.model import LogScope, Rule


@dataclass
class Outcome:
    """Everything one run found."""

    findings: list[Finding]
    files: list[FileReport]
    problems: list[Problem]
    logs: list[LogInput] = field(default_factory=list)
    rules: int = 0

    def read_anything(self) -> bool:
        """Whether at least one file could be read as text."""
        return any(not report.skipped for report in self.files)


def merge_by_folder(findings: list[Finding]) -> list[Finding]:
    """One finding per cause and folder: when a rule fires on several logs of one
    machine's folder (the site's mobileclient.tcf and the client's ccmsetup.log),
    keep the first, with the others' evidence added and their count."""
    kept: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        key = (finding.rule.id, finding.folder, finding.identity)
        first = kept.get(key)
        if first is None or not finding.folder:
            kept[key if finding.folder else (id(finding),)] = finding
            continue
        if finding.status == "confirmed" and first.status != "confirmed":
            finding, first = first, finding
            kept[key] = first
        first.evidence.extend(item for item in finding.evidence if item not in first.evidence)
        first.occurrences += finding.occurrences
        first.also.append(finding.log)
    return list(kept.values())


def diagnose(
    paths: Iterable[str],
    rules: list[Rule],
    *,
    options: ReadOptions | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    tracer: Tracer | None = None,
    jobs: int = 1,
) -> Outcome:
    """Run `rules` over the logs found under `paths` (files, folders, `-`),
    on up to `jobs` processes when there are many folders to read."""
    problems: list[Problem] = []
    logs = collect(paths, problems)
    options = options or ReadOptions()
    numbered = list(enumerate(logs))
    if tracer is None and workers.worth_it(logs, jobs):
        findings, found_problems = workers.diagnose_in_parallel(numbered, rules, options, since, until, jobs)
    else:
        findings, found_problems = diagnose_logs(numbered, Engine(rules, tracer=tracer), options, since, until, helper=jobs > 1)
    findings = merge_by_folder(without_explained_fallbacks(findings))
    findings.sort(key=Finding.sort_key)
    files = [report for log in logs for report in log.reports]
    return Outcome(findings, files, problems + found_problems, logs, len(rules))


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
    for number, log in numbered:
        findings.extend(_diagnose_log(engine, log, number, options, since, until, helper))
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
        needs = scan.plan(engine.rules, LogScope(kind.name if kind else None, log.file_name), kind)
        if needs is not None:
            return engine.log_of_kind(log, scan.read_log(log, needs, options, helper=helper), kind, number=number)
    return engine.log(log, timeline.within(read_log(log, options), since, until), number=number)
