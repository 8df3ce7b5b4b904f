"""The workflow language's nouns, as frozen data: a deployment workflow
(`Workflow`) is the chain of phases one deployment goes through across a
machine's logs, the identifiers (`KeySpec`) that say which deployment a record
is about, the events that join two identifiers (`Link`), and per phase the
events (`Marker`) that say it started, succeeded, failed, is waiting, does not
apply or ends the whole story. Events use the rule language's matchers
(`rules.model.Matcher`). A workflow may have steps (a task sequence's): each
step a record names becomes a phase of its own, in the place of the phase
marked `dynamic: steps`.

Following the records of one machine through a workflow is the engine's job
(`engine.storybook`); the outcome is a story (`stories.Story`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from smslogdoc.rules.model import LogScope, Matcher, Pattern

WORKFLOW_KINDS = ("application", "package", "update", "task_sequence", "client_install")
"""What a workflow is about (`Story.workflow` in the JSON document)."""

MARKS = (
    "started",
    "succeeded",
    "failed",
    "waiting",
    "not_applicable",
    "skipped_if",
    "skipped",
    "completes",
    "evidence",
)
"""What a marker event says of its phase. `skipped_if`: the phase is not needed
(content already in the cache); `skipped`: a step skipped by its condition;
`completes`: the whole story is over (an application already installed, an
update assignment compliant); `evidence`: a record worth citing that changes
nothing (a step's error detail)."""

NORMALIZERS = ("lower", "upper", "strip_braces", "strip_version", "sum_to_update_id", "application_id")
"""How a key's captured value is made comparable across logs."""

_SUM_ID = re.compile(r"(?i)^(?:site_[0-9a-f-]+/)?sum_([0-9a-f-]{36})$")
_APPLICATION = re.compile(r"(?i)/(?:required)?application_")


@dataclass(frozen=True)
class KeySpec:
    """An identifier a deployment is known by in its logs."""

    name: str
    normalize: tuple[str, ...] = ()

    def normal(self, value: str) -> str:
        """The value made comparable: `{3AC5...}`, `3ac5...` -> `3AC5...`."""
        value = value.strip()
        for step in self.normalize:
            if step == "strip_braces":
                value = value.strip("{}")
            elif step == "lower":
                value = value.lower()
            elif step == "upper":
                value = value.upper()
            elif step == "strip_version":
                head, dot, tail = value.rpartition(".")
                value = head if dot and tail.isdigit() else value
            elif step == "sum_to_update_id":
                found = _SUM_ID.match(value)
                value = (found[1] if found else value.strip("{}")).lower()
            elif (
                step == "application_id"
            ):  # .../RequiredApplication_<id> and .../Application_<id> are one application
                value = _APPLICATION.sub("/application_", value).lower()
        return value


@dataclass(frozen=True)
class Marker:
    """One event that says something of a phase, with the conditions under which it does."""

    event: str | None = None
    """The workflow's event, or None when the marker is a rule."""
    rule: str | None = None
    """A rule whose finding marks the phase ("failed because of rule X")."""
    reason: str = ""
    """Why it waits, fails, does not apply or ends: a template over the event's captures."""
    until: str | None = None
    """The captured field that says until when it waits."""
    where: tuple[tuple[str, Pattern], ...] = ()
    """Captured fields and the patterns they must match (`exit_kind: '(?i)reboot'`)."""
    after: str | None = None
    """Only once the story has met this event (`discovered` after `enforce_start`)."""
    before: str | None = None
    """Only while the story has not met this event yet."""
    verdict: str = "succeeded"
    """For `completes`: the verdict the story ends with."""

    def holds(self, captures: Mapping[str, str]) -> bool:
        """Whether the captured fields meet `where`."""
        return all(pattern.captures(captures.get(name, "")) is not None for name, pattern in self.where)


@dataclass(frozen=True)
class Phase:
    """One phase of a workflow and the markers of each outcome."""

    id: str
    title: str
    next_log: str = ""
    """The log(s) to read, or to collect when missing, for this phase (comma-separated)."""
    marks: Mapping[str, tuple[Marker, ...]] = field(default_factory=dict)
    final: bool = False
    """Its success ends the story well (by default the last phase's does)."""
    steps: bool = False
    """True for the place of the steps a story meets: each step becomes a phase
    of its own here, marked by the workflow's step markers (`Workflow.step_marks`)."""

    def markers(self, mark: str) -> tuple[Marker, ...]:
        return self.marks.get(mark, ())

    @property
    def logs(self) -> tuple[str, ...]:
        """The file names `next_log` names (`AppDiscovery.log, DCMAgent.log`)."""
        return tuple(re.findall(r"[\w.-]+\.log\b", self.next_log))


@dataclass(frozen=True)
class Link:
    """An event whose record names two identifiers of one deployment."""

    event: str
    weak: bool = False
    """Joined by circumstance (the same cache folder), not by a shared id: a weak
    link never merges two stories that each have their own subject."""
    next: str | None = None
    """The event of the very next record of the log, whose keys this record's join."""


@dataclass(frozen=True)
class ChildSpec:
    """How a step holds the stories of another workflow (an Install Application
    step, the application's): which of the step's records name a child and its
    ids, and which say how it ended as the step saw it (`engine.children`)."""

    workflow: str
    """The id of the child's workflow (application)."""
    opens: tuple[str, ...]
    """Events that name a new child of the step (`Installing application 'X'`)."""
    joins: tuple[str, ...]
    """Events that name ids of the step's current child (its model name, jobs, deployment type)."""
    by: str
    """The captured field that tells one child from another (a record naming
    another value of it is about another child)."""
    keys: Mapping[str, str]
    """The child workflow's key -> the field the step's records capture it in."""
    name: tuple[str, ...]
    """The captured fields that name a child, best first."""
    status: str | None = None
    """The event whose `status` number says how the child ended (read with `status_verdicts`)."""
    status_verdicts: Mapping[int, str] = field(default_factory=dict)
    """A status number -> succeeded, failed, waiting, not_applicable (others: still going on)."""
    status_phases: Mapping[int, str] = field(default_factory=dict)
    """A failed status number -> the phase of the child it failed at."""
    failed: tuple[tuple[str, str | None], ...] = ()
    """Events that say the child failed, each with the phase they fail (or None)."""
    succeeded: tuple[str, ...] = ()
    next_logs: str = ""

    @property
    def events(self) -> frozenset[str]:
        """Every event the child is traced by."""
        named = (*self.opens, *self.joins, *self.succeeded, *(event for event, _ in self.failed))
        return frozenset(named + ((self.status,) if self.status else ()))


@dataclass(frozen=True)
class Use:
    """A marker an event is used by: its phase (None for a step) and what it says."""

    phase: Phase | None
    mark: str
    marker: Marker


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
    stands_for: tuple[str, ...] = ()
    """Keys that make a story of their own when no subject joins them (an update
    whose deployment no collected line names)."""
    ambiguous: frozenset[str] = frozenset()
    """Events other deployments write alike (a scheduler trigger): a story whose
    every record is one of them is not told."""
    step_keys: tuple[str, ...] = ()
    """The captured fields that name a step (`step`, `pointer`): not a deployment's keys."""
    step_marks: Mapping[str, tuple[Marker, ...]] = field(default_factory=dict)
    """The markers of every step (`started`, `succeeded`, `failed`, `skipped`, `waiting`, `evidence`)."""
    child: ChildSpec | None = None
    """How a step holds the stories of another workflow (`steps.child_story`)."""
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

    @cached_property
    def uses(self) -> dict[str, list[Use]]:
        """The markers each event is used by (in the phases, then the steps)."""
        uses: dict[str, list[Use]] = {}
        for phase in self.phases:
            for mark, markers in phase.marks.items():
                for marker in markers:
                    if marker.event is not None:
                        uses.setdefault(marker.event, []).append(Use(phase, mark, marker))
        for mark, markers in self.step_marks.items():
            for marker in markers:
                if marker.event is not None:
                    uses.setdefault(marker.event, []).append(Use(None, mark, marker))
        return uses

    @cached_property
    def keyless_phases(self) -> frozenset[str]:
        """Phases none of whose events captures an identity key: they serve every
        deployment of a folder (a client's policy download)."""
        keys = {spec.name for spec in self.identity_keys}
        return frozenset(
            phase.id
            for phase in self.phases
            if not any(
                marker.event is not None and self.events[marker.event].captures & keys
                for markers in phase.marks.values()
                for marker in markers
            )
        )

    @cached_property
    def identity_keys(self) -> tuple[KeySpec, ...]:
        """The keys that say which deployment a record is about: the subject's,
        those that stand for one, and those a link joins to them. Other keys (a
        step's name, an application a task sequence step installs) are captured
        fields, not identities."""
        linked = {name for link in self.links for name in self.events[link.event].captures}
        linked |= {name for link in self.links if link.next for name in self.events[link.next].captures}
        wanted = set(self.subject) | set(self.stands_for) | linked
        return tuple(
            spec for spec in self.keys.values() if spec.name in wanted and spec.name not in self.step_keys
        )
