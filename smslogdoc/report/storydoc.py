"""The stories of a diagnosis as the report document holds them (docs/json.md,
`stories`), and the links between findings and the phases they explain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

from smslogdoc.report.listing import iso
from smslogdoc.stories import ChildStory, Mark, ParentStory, PhaseStory, Story, error_codes


class StoryLinkDoc(TypedDict):
    """A story a finding explains, and the phase of it."""

    workflow: str
    subject: str
    verdict: str
    stopped_at: str | None
    """The story's failed phase, or the phase it waits at (None otherwise)."""
    phase: str
    """The phase the finding explains."""
    status: str
    """That phase's status."""
    folder: str
    """The story's folder (with workflow and subject, it names the story)."""


class StoryEvidenceDoc(TypedDict):
    path: str
    line: int
    time: str | None
    text: str


class ChildStoryDoc(TypedDict):
    """A story a phase holds (an Install Application step: an application's)."""

    workflow: str
    name: str
    """What the step calls it (the application's display name, else its model name)."""
    subject: str
    keys: dict[str, list[str]]
    verdict: str
    failed_phase: str | None
    waiting_for: str | None
    reason: str
    """What the step's records say of it."""
    code: str | None
    story: bool
    """It is a story of its own in `stories` (same folder, workflow and subject)."""
    joined_by: str
    """The keys that joined its own story to the step (`dt and rev`, `app`, `dcm_job`), `folder`, or ''."""


class ParentDoc(TypedDict):
    """The story, and its phase, that holds a story as its child."""

    workflow: str
    subject: str
    phase: str


class StoryPhaseDoc(TypedDict):
    phase: str
    status: str
    evidence: list[StoryEvidenceDoc]
    """The latest records that show the phase's status (at most four)."""
    title: str
    reason: str
    """Why it waits, failed or was skipped."""
    recovered: bool
    """It failed, then a later attempt succeeded."""
    findings: list[str]
    """The rules whose findings cite a record of this phase."""
    child_stories: NotRequired[list[ChildStoryDoc]]
    """Only on a phase that holds stories (an Install Application step)."""


class OutcomeDoc(TypedDict):
    """Where one machine's story of a deployment stopped (`fleet`)."""

    workflow: str
    subject: str
    verdict: str
    phase: str | None
    """The phase it failed or waits at (else None)."""
    what: str
    """What with: the error code of the failed phase (or its reason), what it waits for, the log to collect."""


class DeploymentDoc(TypedDict):
    """`fleet`: one deployment (workflow and subject) across the machines, by where it stopped."""

    workflow: str
    subject: str
    machines: int
    outcomes: list[OutcomeCountDoc]


class OutcomeCountDoc(TypedDict):
    verdict: str
    phase: str | None
    what: str
    count: int
    machines: list[str]


class StoryDoc(TypedDict):
    """One deployment followed through one machine's logs (`stories.Story`)."""

    workflow: str
    subject: str
    keys: dict[str, list[str]]
    verdict: str
    failed_phase: str | None
    last_succeeded_phase: str | None
    waiting_for: str | None
    phases: list[StoryPhaseDoc]
    next_logs: list[str]
    until: str | None
    folder: str
    findings: list[str]
    """The rules whose findings cite a record of the story."""
    note: str
    parent: NotRequired[ParentDoc]
    """Only on a story another one holds (an application installed by a task sequence step)."""


# --- making it -------------------------------------------------------------------


def story_doc(story: Story, bare: dict[tuple[object, ...], StoryPhaseDoc] | None = None) -> StoryDoc:
    """A story's piece of the document; with `bare`, a phase with nothing of
    its own (no record, finding or child story) is the piece `bare` holds for
    phases alike, made once (`story_docs`)."""
    told = _story_doc(story, {} if bare is None else bare)
    if story.parent is not None:
        told["parent"] = _parent_doc(story.parent)
    return told


def story_docs(stories: list[Story], *, keep: bool = True) -> list[StoryDoc]:
    """Each story's piece of the document, in order. Most phases of most
    stories have nothing of their own (not reached, unknown): such a phase is
    one piece shared by every story that has it alike (nothing changes a piece
    once made; 17,000 phases of 1,900 stories for 5,000 small logs). Unless
    `keep`, `stories` is emptied as the pieces are made, so that the stories
    of thousands of logs are not held twice, as objects and as pieces."""
    bare: dict[tuple[object, ...], StoryPhaseDoc] = {}
    if keep:
        return [story_doc(story, bare) for story in stories]
    stories.reverse()
    made: list[StoryDoc] = []
    while stories:
        made.append(story_doc(stories.pop(), bare))
    return made


def _parent_doc(parent: ParentStory) -> ParentDoc:
    return {"workflow": parent.workflow, "subject": parent.subject, "phase": parent.phase}


def _story_doc(story: Story, bare: dict[tuple[object, ...], StoryPhaseDoc]) -> StoryDoc:
    return {
        "workflow": story.workflow,
        "subject": story.subject,
        "keys": {kind: list(values) for kind, values in story.keys.items()},
        "verdict": story.verdict,
        "failed_phase": story.failed_phase,
        "last_succeeded_phase": story.last_succeeded_phase,
        "waiting_for": story.waiting_for,
        "phases": [_phase_doc(phase, bare) for phase in story.phases],
        "next_logs": list(story.next_logs),
        "until": story.until,
        "folder": story.folder,
        "findings": list(story.findings),
        "note": story.note,
    }


def _phase_doc(phase: PhaseStory, bare: dict[tuple[object, ...], StoryPhaseDoc]) -> StoryPhaseDoc:
    """A phase's piece: made once for all phases alike that have nothing of their own."""
    if phase.evidence or phase.findings or phase.children:
        return _phase_made(phase)
    key = (phase.phase, phase.status, phase.title, phase.reason, phase.recovered)
    made = bare.get(key)
    if made is None:
        made = bare[key] = _phase_made(phase)
    return made


def _phase_made(phase: PhaseStory) -> StoryPhaseDoc:
    told: StoryPhaseDoc = {
        "phase": phase.phase,
        "status": phase.status,
        "evidence": [_evidence_doc(mark) for mark in phase.evidence],
        "title": phase.title,
        "reason": phase.reason,
        "recovered": phase.recovered,
        "findings": list(phase.findings),
    }
    if phase.children:
        told["child_stories"] = [_child_doc(child) for child in phase.children]
    return told


def _child_doc(child: ChildStory) -> ChildStoryDoc:
    return {
        "workflow": child.workflow,
        "name": child.name,
        "subject": child.subject,
        "keys": {kind: list(values) for kind, values in child.keys.items()},
        "verdict": child.verdict,
        "failed_phase": child.failed_phase,
        "waiting_for": child.waiting_for,
        "reason": child.reason,
        "code": child.code,
        "story": child.story,
        "joined_by": child.joined_by,
    }


def _evidence_doc(mark: Mark) -> StoryEvidenceDoc:
    return {"path": mark.path, "line": mark.line, "time": iso(mark.time), "text": mark.text}


def explained(rule: str, folder: str, stories: Sequence[Story]) -> list[StoryLinkDoc]:
    """The stories of `folder` a finding of `rule` explains, each with the phase:
    the one the story stopped at when the finding cites it, else the first it cites."""
    links: list[StoryLinkDoc] = []
    for story in stories:
        if story.folder != folder or rule not in story.findings:
            continue
        cited = [phase for phase in story.phases if rule in phase.findings]
        if not cited:
            continue
        at = stopped_at(story)
        phase = next((phase for phase in cited if phase.phase == at), cited[0])
        links.append(
            {
                "workflow": story.workflow,
                "subject": story.subject,
                "verdict": story.verdict,
                "stopped_at": at,
                "phase": phase.phase,
                "status": phase.status,
                "folder": story.folder,
            }
        )
    return links


def stopped_at(story: Story) -> str | None:
    """The phase a story stopped at: the failed one, or the latest that waits."""
    if story.verdict == "failed":
        return story.failed_phase
    if story.verdict == "waiting":
        waiting = [phase.phase for phase in story.phases if phase.status == "waiting"]
        return waiting[-1] if waiting else None
    return None


def outcome_doc(story: Story) -> OutcomeDoc:
    """Where a story stopped and with what, for the fleet's count."""
    at = stopped_at(story)
    what = ""
    if story.verdict == "waiting":
        what = story.waiting_for or ""
    elif story.verdict == "failed":
        phase = story.phase(at) if at else None
        codes = [code for mark in (phase.evidence if phase else []) for code in error_codes(mark.text)]
        codes += [
            child.code for child in (phase.children if phase else []) if child.code
        ]  # the cause, not the step's generic code
        what = codes[-1] if codes else (phase.reason if phase else "")
    elif story.verdict in ("stalled", "incomplete"):
        what = ", ".join(story.next_logs[:2])
    return {
        "workflow": story.workflow,
        "subject": story.subject,
        "verdict": story.verdict,
        "phase": at,
        "what": what,
    }
