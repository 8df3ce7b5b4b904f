"""A diagnosis run: read the logs under some paths, run the rules over them,
and gather findings, file reports and problems in one `Outcome`.

This is the library entry point the command line calls; it is usable on its
own (`diagnose(["C:/logs"], rules)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from smslogdoc import perlog
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.storybook import StoryBook
from smslogdoc.engine.tracer import Tracer
from smslogdoc.findings import CONFIRMED, Finding
from smslogdoc.inputs.paths import LogInput, collect
from smslogdoc.model import SEVERITIES, FileReport, Level, Problem
from smslogdoc.pipeline import Settings, diagnose_in_parallel, diagnose_logs, worth_sharing
from smslogdoc.read.full import ReadOptions
from smslogdoc.rules.model import Rule
from smslogdoc.rules.workflow import Workflow
from smslogdoc.stories import Story
from smslogdoc.times import instant


@dataclass
class Outcome:
    """Everything one run found."""

    findings: list[Finding]
    files: list[FileReport]
    problems: list[Problem]
    logs: list[LogInput] = field(default_factory=list)
    rules: int = 0
    stories: list[Story] = field(default_factory=list)
    """Each deployment followed through its folder's logs (`engine.storybook`)."""

    def read_anything(self) -> bool:
        """Whether at least one file could be read as text."""
        return any(not report.skipped for report in self.files)

    def failing(self, fail_on: str) -> list[Finding]:
        """The confirmed findings at or above `fail_on` (a severity, or `none`):
        those that make the run exit 1."""
        if fail_on == "none":
            return []
        level = SEVERITIES.index(Level(fail_on))
        return [
            finding
            for finding in self.findings
            if finding.status == CONFIRMED and SEVERITIES.index(finding.severity) >= level
        ]

    def exit_code(self, fail_on: str) -> int:
        """2 when no file could be read; else 1 when a confirmed finding is at
        or above `fail_on`, else 0 (the command line adds 2 for a path it
        named that could not be read, and 3 for invalid rules)."""
        if not self.read_anything():
            return 2
        return 1 if self.failing(fail_on) else 0


def diagnose(
    paths: Iterable[str],
    rules: list[Rule],
    *,
    options: ReadOptions | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    tracer: Tracer | None = None,
    jobs: int = 1,
    unexplained: str = "info",
    workflows: Sequence[Workflow] = (),
) -> Outcome:
    """Run `rules` over the logs found under `paths` (files, folders, `-`),
    on up to `jobs` processes when there are many folders to read.
    `unexplained` is the severity of each log's summary of error records no
    finding explains (`engine.unexplained`), or `off`. `workflows` are followed
    through each folder's logs into stories (`Outcome.stories`)."""
    problems: list[Problem] = []
    logs = collect(paths, problems)
    options = options or ReadOptions()
    numbered = list(enumerate(logs))
    settings = Settings(rules, options, since, until, unexplained, tuple(workflows))
    if tracer is None and perlog.worth_it(logs, jobs):
        findings, found_problems, stories = perlog.diagnose_shared(numbered, settings, jobs)
    elif tracer is None and worth_sharing(logs, jobs):
        findings, found_problems, stories = diagnose_in_parallel(numbered, settings, jobs)
    else:
        findings, found_problems, stories = diagnose_logs(
            numbered,
            Engine(rules, tracer=tracer),
            options,
            since,
            until,
            helper=jobs > 1,
            summary=unexplained,
            book=StoryBook(workflows) if workflows else None,
        )
    files = [report for log in logs for report in log.reports]
    written = sum(1 for rule in rules if not rule.family)  # the families' are counted apart (rules list)
    findings.sort(key=Finding.sort_key)  # settled by the pipeline a stretch of folders at a time
    return Outcome(findings, files, problems + found_problems, logs, written, stories=stories)


def tell(
    paths: Iterable[str],
    rules: list[Rule],
    workflows: Sequence[Workflow],
    *,
    options: ReadOptions | None = None,
    deployment: str | None = None,
    jobs: int = 1,
) -> Outcome:
    """Every story of the logs under `paths` (succeeded ones too), in the order
    of their first record, or only those naming `deployment` (`Story.names`);
    the rules run as well, so a story cites the findings that explain it."""
    outcome = diagnose(paths, rules, options=options, jobs=jobs, unexplained="off", workflows=workflows)
    told = [story for story in outcome.stories if deployment is None or story.names(deployment)]
    outcome.stories = sorted(told, key=_first_time)
    return outcome


def _first_time(story: Story) -> tuple[str, float]:
    times = [instant(mark.time) for phase in story.phases for mark in phase.evidence if mark.time is not None]
    return story.folder, min(times, default=float("inf"))
