"""The workflow language's nouns, as frozen data: a deployment workflow
(`Workflow`) is the chain of phases one deployment goes through across a
machine's logs, the identifiers (`KeySpec`) that say which deployment a record
is about, the events that join two identifiers (`Link`), and per phase the
events (`Marker`) that say it started, succeeded, failed, is waiting or does
not apply. Events use the rule language's matchers (`rules.model.Matcher`).

Following the records of one machine through a workflow is the engine's job
(`engine.storybook`); the outcome is a story (`stories.Story`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from smslogdoc.rules.model import LogScope, Matcher

WORKFLOW_KINDS = ("application", "package", "update", "task_sequence", "client_install")
"""What a workflow is about (`Story.workflow` in the JSON document)."""

MARKS = ("started", "succeeded", "failed", "waiting", "not_applicable", "skipped_if", "complete")
"""What a marker event says of its phase. `skipped_if`: the phase is not needed
(content already in the cache); `complete`: the whole story is over and fine
(the application was already installed)."""

NORMALIZERS = ("lower", "upper", "strip_braces", "strip_version")
"""How a key's captured value is made comparable across logs."""

STEP_FIELD = "step"
"""The captured field that names a step, for workflows whose phases are the
steps they meet (a task sequence)."""


@dataclass(frozen=True)
class KeySpec:
    """An identifier a deployment is known by in its logs."""

    name: str
    normalize: tuple[str, ...] = ()

    def normal(self, value: str) -> str:
        """The value made comparable: `{3AC5...}`, `3ac5...` -> `3AC5...`."""
        for step in self.normalize:
            if step == "strip_braces":
                value = value.strip().strip("{}")
            elif step == "lower":
                value = value.lower()
            elif step == "upper":
                value = value.upper()
            elif step == "strip_version":
                head, dot, tail = value.rpartition(".")
                value = head if dot and tail.isdigit() else value
        return value.strip()


@dataclass(frozen=True)
class Marker:
    """One event that says something of a phase."""

    event: str | None = None
    """The workflow's event, or None when the marker is a rule."""
    rule: str | None = None
    """A rule whose finding marks the phase ("failed because of rule X")."""
    reason: str = ""
    """Why it waits, fails or does not apply: a template over the event's captures."""
    until: str | None = None
    """The captured field that says until when it waits."""


@dataclass(frozen=True)
class Phase:
    """One phase of a workflow and the markers of each outcome."""

    id: str
    title: str
    next_log: str = ""
    """The log to read, or to collect when it is missing, for this phase."""
    marks: Mapping[str, tuple[Marker, ...]] = field(default_factory=dict)
    final: bool = False
    """Its success ends the story well (by default the last phase's does)."""
    steps: bool = False
    """True for the place of the steps a story meets (a task sequence's steps):
    each step named by the `step` capture becomes a phase of its own here."""

    def markers(self, mark: str) -> tuple[Marker, ...]:
        return self.marks.get(mark, ())


@dataclass(frozen=True)
class Link:
    """An event whose record names two identifiers of one deployment."""

    event: str
    weak: bool = False
    """Joined by circumstance (the same cache folder), not by a shared id: a weak
    link never merges two stories that each have their own subject."""


@dataclass(frozen=True)
class Workflow:
    """The chain of phases one kind of deployment goes through."""

    id: str
    title: str
    kind: str
    """One of WORKFLOW_KINDS."""
    applies_to: tuple[str, ...]
    keys: Mapping[str, KeySpec]
    subject: tuple[str, ...]
    """The keys that make one story (a deployment type and its revision); empty:
    one story per machine (a client installation)."""
    label: str
    events: Mapping[str, Matcher]
    links: tuple[Link, ...]
    phases: tuple[Phase, ...]
    path: str
    stalled_after: float = 7200.0
    """Seconds the logs must go on after the chain's last record, with no wait
    logged, for the story to be called stalled rather than incomplete."""
    by_thread: bool = False
    """A record that names no key belongs to the deployment its thread last named
    (else the one its log last named)."""
    bundled: bool = False

    def applies(self, scope: LogScope) -> bool:
        """Whether any of the workflow's events can be met in the log `scope` describes."""
        return not self.applies_to or scope.is_one_of(self.applies_to)

    def phase(self, phase_id: str) -> Phase | None:
        return next((phase for phase in self.phases if phase.id == phase_id), None)

    @property
    def step_phase(self) -> Phase | None:
        """The phase the steps take the place of, if the workflow has steps."""
        return next((phase for phase in self.phases if phase.steps), None)
