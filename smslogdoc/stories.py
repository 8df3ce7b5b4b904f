"""Stories: what became of one deployment on one machine, phase by phase.

A story is a workflow (`rules.workflow.Workflow`) followed through the logs of
one folder for one subject (a deployment type and revision, a package and
program, an update assignment, a task sequence, the client installation): each
phase's status with the records that show it, and a verdict. Plain data, made
by `engine.storybook` and printed by the reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

VERDICTS = ("failed", "waiting", "succeeded", "stalled", "incomplete", "not_applicable")
"""How a story ends, worst first for sorting (`failed` ... `not_applicable`)."""

PHASE_STATUSES = ("succeeded", "failed", "waiting", "skipped", "not_reached", "unknown")
"""A phase's status: `unknown` when the logs show later phases but nothing of
this one (its log missing or its wording not recognised), `not_reached` when
the chain stopped before it."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One record that says something of a phase."""

    path: str
    line: int
    end_line: int
    time: datetime | None
    text: str
    mark: str
    """What it says: started, succeeded, failed, waiting, not_applicable, skipped_if or complete."""
    event: str
    """The workflow's event it matched (or `rule:<id>` for a finding's record)."""
    reason: str = ""
    until: str = ""
    verdict: str = ""
    """For a record that ends the whole story (`completes`): the verdict it gives."""


@dataclass(frozen=True, slots=True)
class ChildStory:
    """A story a phase holds (an Install Application step: its application's):
    the child's own story of the folder when one is joined to it, else what the
    step's records say of it."""

    workflow: str
    """The child's workflow (application)."""
    name: str
    """What the step calls it: the application's display name, else its model name."""
    subject: str
    """The child story's subject: its own story's, else the step's name for it."""
    keys: dict[str, list[str]]
    verdict: str
    failed_phase: str | None = None
    waiting_for: str | None = None
    reason: str = ""
    """What the step's records say of it (`Application download failed (execution status 24)`)."""
    code: str | None = None
    """The error code of its failure, where a record gives one (0x87D00324)."""
    story: bool = False
    """It is a story of its own in the folder (same workflow and subject); False: told by the step alone."""
    joined_by: str = ""
    """What joined the child's own story to the step: the key (dt, app, dcm_job), `folder` (the folder's
    only story of that workflow, which names no deployment), or '' (told by the step alone)."""


@dataclass(frozen=True, slots=True)
class ParentStory:
    """The story and phase (a task sequence's step) that holds a story as its child."""

    workflow: str
    subject: str
    phase: str
    folder: str


@dataclass(slots=True)
class PhaseStory:
    """One phase of a story."""

    phase: str
    title: str
    status: str
    evidence: list[Mark] = field(default_factory=list)
    reason: str = ""
    """Why it waits, failed or was skipped, from the marker's reason."""
    recovered: bool = False
    """It failed, then a later attempt succeeded (a retry that worked)."""
    next_log: str = ""
    findings: list[str] = field(default_factory=list)
    """The ids of rules whose findings cite a record of this phase (or mark it failed)."""
    children: list[ChildStory] = field(default_factory=list)
    """The stories it holds (an Install Application step: each application's)."""


@dataclass(slots=True)
class Story:
    """One deployment's way through its workflow on one machine."""

    workflow: str
    """What it is about: application, package, update, task_sequence or client_install."""
    workflow_id: str
    subject: str
    """The deployment, named from its keys (`deployment type 7-Zip (revision 2)`)."""
    keys: dict[str, list[str]]
    verdict: str
    phases: list[PhaseStory]
    folder: str
    failed_phase: str | None = None
    last_succeeded_phase: str | None = None
    waiting_for: str | None = None
    until: str | None = None
    next_logs: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    """The ids of rules whose findings explain a phase of this story."""
    note: str = ""
    """What limits the story: times without a zone across logs, a story cut short."""
    parent: ParentStory | None = None
    """The story whose phase holds this one (a task sequence's Install Application step)."""

    @property
    def id(self) -> str:
        """A stable name for the story within its folder: workflow and subject."""
        return f"{self.workflow_id}: {self.subject}"

    def names(self, deployment: str) -> bool:
        """Whether `deployment` (an id or name, any case, braces optional) is
        in this story's subject or one of its keys' values."""
        wanted = deployment.strip().strip("{}").casefold()
        values = [self.subject, *(value for values in self.keys.values() for value in values)]
        return bool(wanted) and any(wanted in value.casefold() for value in values)

    def phase(self, phase_id: str) -> PhaseStory | None:
        return next((phase for phase in self.phases if phase.phase == phase_id), None)

    def sort_key(self) -> tuple[int, str, str, str]:
        return (VERDICTS.index(self.verdict), self.folder, self.workflow, self.subject)


def error_codes(text: str) -> list[str]:
    """The error codes a failed record writes, as 0x87D00607: `0x87d00607` or bare `87D00607`."""
    return ["0x" + match.group(0)[-8:].upper() for match in _HEX.finditer(text)]


_HEX = re.compile(r"(?<![\w.])0[xX][0-9A-Fa-f]{8}(?!\w)|(?<![\w{}\\/.:-])[0-9A-Fa-f]{8}(?![\w}-])")
