"""A story's verdict from the marks of its phases (`engine.storybook`).

Per phase, the latest record decides: a success after a failure is a retry
that worked (`recovered`), a wait after a failure a retry to come. A phase
with no record is `unknown` when a later phase has some (its log is missing or
its wording is not recognised: a gap, never proof) and `not_reached` when the
chain stopped before it. The story then:

* `failed` at the phase whose failure nothing came after (a task sequence that
  went on past a failed step did not fail there), with the last phase that succeeded;
* `waiting` at a phase whose latest record is a wait nothing came after (what
  for, and until when where the log says);
* `succeeded` when a final phase succeeded (or a record says the whole story is
  over: already installed, compliant);
* `not_applicable` when a phase says the deployment does not apply;
* otherwise the chain stopped with no error: `stalled` when the folder's logs
  go on past `stalled_after`, else `incomplete`, naming the logs to read next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smslogdoc.engine.children import ChildTrace, Told, failure, tell
from smslogdoc.engine.phasemarks import PhaseMarks, Seen
from smslogdoc.engine.storycontext import Context
from smslogdoc.rules.workflow import Phase, Workflow
from smslogdoc.stories import Mark, ParentStory, PhaseStory, Story
from smslogdoc.times import instant

_OUTCOMES = ("succeeded", "failed", "not_applicable")


@dataclass
class _Phase:
    phase: Phase
    id: str
    title: str
    marks: PhaseMarks | None
    status: str = ""
    reason: str = ""
    recovered: bool = False
    findings: list[str] = field(default_factory=list)
    """The rules whose findings cite a record of this phase or mark it failed."""
    key: str = ""
    """The phase's key among the marks (a step's: `step:<name> #<pointer>`)."""
    children: list[Told] = field(default_factory=list)
    """The stories it holds (a step's applications), each with its own story of the folder if joined."""


def resolve(
    workflow: Workflow,
    marks: Mapping[str, PhaseMarks],
    steps: Sequence[tuple[str, str]],
    context: Context,
    *,
    name: str,
    keys: dict[str, list[str]],
    children: Mapping[str, Sequence[ChildTrace]] | None = None,
) -> Story | None:
    """The story of one subject, or None when none of its phases was marked.
    `children`: per step key, the children its records traced."""
    phases = _expanded(workflow, marks, steps)
    linked = _cite(phases, context)
    if not any(
        seen.mark.event not in workflow.ambiguous
        for item in phases
        if item.marks
        for seen in item.marks.all()
    ):
        return None  # nothing, or only records other deployments write alike
    for item in phases:
        _status(item)
    if workflow.child is not None and children:
        _held(workflow, phases, children, context)
    _gaps(phases, context)
    story = Story(workflow.kind, workflow.id, name, keys, "", [], context.folder, findings=linked)
    _verdict(story, workflow, phases, context)
    story.phases = [_shown(item) for item in phases]
    for item in phases:
        for _, held in item.children:
            if held is not None:
                held.parent = ParentStory(workflow.kind, name, item.id, context.folder)
    if context.mixed_zones:
        story.note = "some logs give times without a time zone: the order across logs is uncertain"
    return story


def _expanded(
    workflow: Workflow, marks: Mapping[str, PhaseMarks], steps: Sequence[tuple[str, str]]
) -> list[_Phase]:
    phases: list[_Phase] = []
    for phase in workflow.phases:
        if phase.steps:
            phases.extend(_Phase(phase, title, title, marks.get(key), key=key) for key, title in steps)
        else:
            phases.append(_Phase(phase, phase.id, phase.title, marks.get(phase.id), key=phase.id))
    return phases


def _held(
    workflow: Workflow, phases: list[_Phase], traced: Mapping[str, Sequence[ChildTrace]], context: Context
) -> None:
    """Each step's children (`engine.children`). A failed child explains its
    step: the step's reason names it, and a step with no outcome of its own
    (its log cut short) failed with it, on the child's record."""
    if workflow.child is None:
        return
    told = tell(workflow.child, workflow.keys, traced, context.told)
    for item in phases:
        item.children = told.get(item.key, [])
        failed = failure(item.children)
        if failed is None or item.status not in ("failed", "unknown"):
            continue
        said, record = failed
        if item.status == "unknown" and record is not None:
            item.marks = item.marks or PhaseMarks()
            item.marks.add(record)
            _status(item)
        if item.status == "failed" and not item.reason:
            item.reason = said


def _cite(phases: list[_Phase], context: Context) -> list[str]:
    """Link the findings that cite a record of the story (to the story, and to
    each phase whose record they cite), and let a finding of a rule a phase
    names as a failure mark that phase failed."""
    records: dict[tuple[str, int], list[_Phase]] = {}
    for item in phases:
        for seen in item.marks.all() if item.marks else ():
            records.setdefault((seen.mark.path, seen.mark.line), []).append(item)
    paths = {path for path, _ in records}
    # the rules each phase names as its failure
    failing = [{marker.rule for marker in item.phase.markers("failed") if marker.rule} for item in phases]
    named = set().union(*failing)
    linked: list[str] = []
    wanted = {place for record in records for place in context.citing.get(record, ())}
    # a finding of a named rule with no evidence in the story's logs changes nothing here
    wanted.update(
        place for rule in named for path in paths for place in context.of_rule.get((rule, path), ())
    )
    for finding in (context.cited[place] for place in sorted(wanted)):
        for mark in finding.evidence:
            for item in records.get((mark.path, mark.line), ()):
                _link(linked, finding.rule)
                _link(item.findings, finding.rule)
        if finding.rule not in named:  # no phase names its rule as a failure (most findings)
            continue
        for item, rules in zip(phases, failing, strict=True):
            if finding.rule in rules:
                inside = [mark for mark in finding.evidence if mark.path in paths]
                if inside:
                    first = inside[-1]
                    when = instant(first.time) if first.time is not None else float("-inf")
                    seen = Seen(
                        (when, -1, first.line),
                        Mark(
                            first.path,
                            first.line,
                            first.end_line,
                            first.time,
                            first.text,
                            "failed",
                            f"rule:{finding.rule}",
                        ),
                        first.time is not None and first.time.tzinfo is not None,
                    )
                    item.marks = item.marks or PhaseMarks()
                    item.marks.add(seen)
                    _link(linked, finding.rule)
                    _link(item.findings, finding.rule)
    return linked


def _link(rules: list[str], rule: str) -> None:
    if rule not in rules:
        rules.append(rule)


def _status(item: _Phase) -> None:
    marks = item.marks
    if marks is None:
        return
    latest = marks.latest
    outcome = max(
        (latest[kind] for kind in _OUTCOMES if kind in latest), key=lambda seen: seen.order, default=None
    )
    waiting = latest.get("waiting")
    if waiting is not None and (outcome is None or waiting.order > outcome.order):
        item.status, item.reason = "waiting", waiting.mark.reason or "waiting"
    elif outcome is not None:
        kind = outcome.mark.mark
        item.status = "skipped" if kind == "not_applicable" else kind
        item.reason = outcome.mark.reason or ("does not apply" if kind == "not_applicable" else "")
        failed = marks.first_failed
        item.recovered = kind == "succeeded" and failed is not None and failed.order < outcome.order
    elif "completes" in latest:
        item.status, item.reason = "succeeded", latest["completes"].mark.reason
    elif "skipped" in latest or "skipped_if" in latest:
        seen = latest.get("skipped") or latest["skipped_if"]
        item.status, item.reason = "skipped", seen.mark.reason or "not needed"
    else:
        item.status, item.reason = "unknown", "started; no outcome logged"


def _gaps(phases: list[_Phase], context: Context) -> None:
    reached = max((index for index, item in enumerate(phases) if item.marks is not None), default=-1)
    for index, item in enumerate(phases):
        if item.marks is not None:
            continue
        if index > reached:
            item.status = "not_reached"
            continue
        item.status = "unknown"
        missing = [log for log in item.phase.logs if log.lower() not in context.logs]
        item.reason = (
            f"nothing logged: {', '.join(missing)} not collected"
            if missing and len(missing) == len(item.phase.logs)
            else "nothing recognised in the logs for this phase"
        )


def _latest(item: _Phase) -> Seen | None:
    return (
        max(item.marks.latest.values(), key=lambda seen: seen.order)
        if item.marks and item.marks.latest
        else None
    )


_GOING_ON = ("started", "succeeded", "waiting", "completes", "skipped", "skipped_if")
"""Marks that show the chain went on past a failure (a later failure is its consequence)."""


def _went_on(phases: list[_Phase], index: int, after: Seen) -> bool:
    """Whether a later phase shows progress after `after` (a task sequence that
    went past a failed step, a retry that got further)."""
    for item in phases[index + 1 :]:
        if item.marks is None:
            continue
        if any(seen.order > after.order and seen.mark.mark in _GOING_ON for seen in item.marks.all()):
            return True
    return False


def _verdict(story: Story, workflow: Workflow, phases: list[_Phase], context: Context) -> None:
    succeeded = [item for item in phases if item.status == "succeeded"]
    story.last_succeeded_phase = succeeded[-1].id if succeeded else None
    failures = [
        (index, item)
        for index, item in enumerate(phases)
        if item.status == "failed" and item.marks and not _went_on(phases, index, item.marks.latest["failed"])
    ]
    complete = [
        item.marks.latest["completes"] for item in phases if item.marks and "completes" in item.marks.latest
    ]
    if complete and not failures:
        last = max(complete, key=lambda seen: seen.order)
        _not_needed(phases, last)
        ended = last.mark
        story.verdict = ended.verdict or "succeeded"
        story.waiting_for = (ended.reason or None) if story.verdict == "waiting" else None
        return
    if failures:
        index, item = failures[0]  # the first failure nothing went past: the later ones follow from it
        story.verdict, story.failed_phase = "failed", item.id
        before = [other for other in phases[:index] if other.status == "succeeded"]
        story.last_succeeded_phase = before[-1].id if before else None
        alone = [told.verdict == "failed" and own is None for told, own in item.children]
        held = workflow.child.next_logs if workflow.child and any(alone) else ""
        story.next_logs = _logs([item.phase.next_log, held])
        return
    if any(
        item.marks and "not_applicable" in item.marks.latest and item.status == "skipped" for item in phases
    ):
        story.verdict = "not_applicable"
        return
    waits = [
        (index, item)
        for index, item in enumerate(phases)
        if item.status == "waiting"
        and item.marks
        and not _went_on(phases, index, item.marks.latest["waiting"])
    ]
    if waits:
        _, item = waits[-1]
        wait = item.marks.latest["waiting"] if item.marks else None
        story.verdict, story.waiting_for = "waiting", item.reason
        story.until = (wait.mark.until or None) if wait else None
        story.next_logs = _logs([item.phase.next_log])
        return
    finals = [item for item in phases if item.phase.final] or [phases[-1]]
    if any(item.status == "succeeded" for item in finals):
        story.verdict = "succeeded"
        return
    _stopped(story, workflow, phases, context)


def _not_needed(phases: list[_Phase], completion: Seen) -> None:
    """After a story completed (compliant, already installed), the later phases
    whose records all came before it were not needed (a start-up wait of no deployment)."""
    ended = next(
        index
        for index, item in enumerate(phases)
        if item.marks and "completes" in item.marks.latest and item.marks.latest["completes"] is completion
    )
    title = phases[ended].title
    for item in phases[ended + 1 :]:
        if item.marks is not None and all(seen.order < completion.order for seen in item.marks.all()):
            item.status, item.reason = "skipped", f"not needed: the story ended at {title}"


def _stopped(story: Story, workflow: Workflow, phases: list[_Phase], context: Context) -> None:
    """The chain stopped with no error: stalled when the logs went on, else incomplete."""
    last = max(
        (seen for item in phases if item.marks for seen in item.marks.all()), key=lambda seen: seen.order
    )
    went_on = (
        context.last is not None
        and last.order[0] != float("-inf")
        and context.last - last.order[0] > workflow.stalled_after
    )
    story.verdict = "stalled" if went_on else "incomplete"
    reached = [item for item in phases if item.marks is not None]
    ahead = [item for item in phases if item.status == "not_reached"][:1]
    gaps = [
        log for item in phases if item.status == "unknown" and item.marks is None for log in item.phase.logs
    ]
    wanted = [reached[-1].phase.next_log] + [item.phase.next_log for item in ahead]
    story.next_logs = _logs(wanted + [f"collect {log}" for log in gaps if log.lower() not in context.logs])


def _logs(names: Sequence[str]) -> list[str]:
    """The logs to read next, each once: a phase's next log may name several,
    comma-separated ("AppEnforce.log, AppDiscovery.log"); commas inside a
    parenthesis ("smsts.log (X:\\..., C:\\...)") belong to the entry."""
    shown: list[str] = []
    seen: set[str] = set()
    for name in names:
        for entry in _entries(name):
            key = entry.split(" (")[0].lower()  # "smsts.log (where)" and "smsts.log": once
            if key not in seen:
                seen.add(key)
                shown.append(entry)
    return shown


def _entries(text: str) -> list[str]:
    entries, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            entries.append(text[start:index])
            start = index + 1
    entries.append(text[start:])
    return [entry.strip() for entry in entries if entry.strip()]


def _shown(item: _Phase) -> PhaseStory:
    evidence: list[Mark] = []
    for seen in item.marks.all() if item.marks else ():
        if all((mark.path, mark.line) != (seen.mark.path, seen.mark.line) for mark in evidence):
            evidence.append(seen.mark)  # a record a finding cites as well as a marker: once
    return PhaseStory(
        item.id,
        item.title,
        item.status,
        evidence[-4:],
        item.reason,
        item.recovered,
        item.phase.next_log,
        item.findings,
        [child for child, _ in item.children],
    )
