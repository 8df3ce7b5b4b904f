"""Events made in Python, for engine tests that read no file.

`logs` makes a log's events one record at a time (lines counted, times given as
`HH:MM:SS` of one day, UTC); `engine_findings` runs rules (parsed from inline
YAML by `rule`) over such logs through `engine.loop.Engine` directly, as the
pipeline does: one `Engine.log` per log, `Engine.finish` for the rules that
correlate a folder's logs, then the fallbacks a specific finding explains are
dropped. No parser, no reader, no file is involved.

The engine takes a log as an `inputs.paths.LogInput` (it reads only its name,
folder and file name); `log_input` is the one place that builds one, so a change
of that signature is mended here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smslogdoc.engine.explained import without_explained_fallbacks
from smslogdoc.engine.loop import Engine
from smslogdoc.findings import Finding
from smslogdoc.inputs.paths import InputFile, LogInput
from smslogdoc.model import Event, Severity
from smslogdoc.rules.model import Rule
from smslogdoc.rules.schema import parse_rule

DAY = datetime(2020, 2, 4, tzinfo=UTC)


def rule(text: str) -> Rule:
    """A rule from YAML written inline (dedented); it must be valid."""
    parsed, errors = parse_rule(textwrap.dedent(text), "<test>")
    assert [str(error) for error in errors] == []
    assert parsed is not None
    return parsed


@dataclass
class Log:
    """One log's events, in the order they were added."""

    name: str
    folder: str = "WKS0042"
    component: str = ""
    events: list[Event] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}"

    def add(
        self,
        message: str,
        clock: str | None = "10:00:00",
        *,
        thread: int | None = 1,
        severity: Severity = Severity.INFO,
        component: str | None = None,
    ) -> Log:
        """The next record: `clock` is `HH:MM:SS` on one day (None: no time)."""
        line = len(self.events) + 1
        when = None
        if clock is not None:
            hours, minutes, seconds = (int(part) for part in clock.split(":"))
            when = DAY.replace(hour=hours, minute=minutes, second=seconds)
        component = component if component is not None else self.component or Path(self.name).stem
        self.events.append(
            Event(self.path, line, line, when, component, severity, thread, message, "cmtrace")
        )
        return self


def log_input(log: Log) -> LogInput:
    """The engine's view of a log: its display name, folder and current file name."""
    return LogInput(log.path, log.folder, [InputFile(Path(log.path), log.path)])


def engine_findings(rules: list[Rule], *logs: Log) -> list[Finding]:
    """Every finding of `rules` over `logs`, as the pipeline makes them (before
    folder merging, sorting and the unexplained-errors summary)."""
    engine = Engine(rules)
    findings: list[Finding] = []
    for number, log in enumerate(logs):
        findings.extend(engine.log(log_input(log), log.events, number=number))
    findings.extend(engine.finish())
    assert engine.problems == []
    return without_explained_fallbacks(findings)


@pytest.fixture
def logs() -> Callable[..., Log]:
    """A factory of logs: `logs("ccmsetup.log")`, then `.add(message, "10:00:00", thread=...)`."""
    return Log
