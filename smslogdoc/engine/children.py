"""The stories a step holds (an Install Application step: each application it
installs). While the logs are read, the step's own records of each child are
traced (`ChildTrace`: its names, the ids they give, how the step saw it end);
at the end each child is told (`tell`): joined to its own story of the folder
(the application's, from AppEnforce.log, DCMAgent.log ...) by an id both name,
else as the step's records tell it. A few values per child, never the records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smslogdoc.engine.phasemarks import Seen
from smslogdoc.rules.workflow import ChildSpec, KeySpec
from smslogdoc.stories import ChildStory, Mark, Story, error_codes
from smslogdoc.times import instant

MAX_CHILDREN = 16
"""Children one step remembers."""
MAX_VALUES = 8
"""Values of one id, and sets of ids named together, one child remembers."""

_ENDS = {
    "succeeded": "succeeded",
    "failed": "failed",
    "waiting": "waiting",
    "not_applicable": "not_applicable",
}
"""A status number's kind (`ChildSpec.status_verdicts`) -> the child's verdict; others: incomplete."""


@dataclass(slots=True)
class ChildTrace:
    """What a step's records said of one child."""

    names: dict[str, str] = field(default_factory=dict)
    """Each naming field's first value (`app_name`: 'Teams Machine-Wide Installer 32-Bit')."""
    values: dict[str, list[str]] = field(default_factory=dict)
    """Each id field -> the normalised values named."""
    together: list[tuple[tuple[str, str], ...]] = field(default_factory=list)
    """The ids one record named together ((dt, ...), (rev, 6)): a story must agree with all of them."""
    status: tuple[Seen, int, str] | None = None
    """The latest status record, its number and its text."""
    failed: tuple[Seen, str | None, str | None] | None = None
    """The latest failure record, the phase it names and its code."""
    succeeded: Seen | None = None
    opened: bool = False
    """A record that names a new child (`ChildSpec.opens`) was about it."""

    @property
    def ended(self) -> bool:
        return self.status is not None or self.failed is not None or self.succeeded is not None


def note(
    spec: ChildSpec,
    keys: Mapping[str, KeySpec],
    traces: list[ChildTrace],
    event: str,
    captures: Mapping[str, str],
    seen: Seen,
) -> None:
    """Trace one record of a step's child (`traces`: the step's children so far)."""
    trace = _trace(spec, keys, traces, event, captures)
    for name in spec.name:
        value = captures.get(name, "").strip().strip("'\"")
        if value and name not in trace.names:
            trace.names[name] = value
    named = tuple(
        sorted(
            (name, _normal(keys, name, captures[name]))
            for name in set(spec.keys.values())
            if captures.get(name)
        )
    )
    for name, value in named:
        known = trace.values.setdefault(name, [])
        if value not in known and len(known) < MAX_VALUES:
            known.append(value)
    if named and named not in trace.together and len(trace.together) < MAX_VALUES:
        trace.together.append(named)
    _outcome(spec, trace, event, captures, seen)


def _outcome(spec: ChildSpec, trace: ChildTrace, event: str, captures: Mapping[str, str], seen: Seen) -> None:
    later = trace.status is None or seen.order >= trace.status[0].order
    if event == spec.status and captures.get("status", "").isdigit() and later:
        trace.status = (seen, int(captures["status"]), captures.get("status_text", "").strip())
    for name, phase in spec.failed:
        if name == event and (trace.failed is None or seen.order >= trace.failed[0].order):
            codes = error_codes(" ".join(captures[key] for key in sorted(captures) if key.startswith("code")))
            trace.failed = (seen, phase, codes[0] if codes else None)
    if event in spec.succeeded and (trace.succeeded is None or seen.order >= trace.succeeded.order):
        trace.succeeded = seen


def _trace(
    spec: ChildSpec,
    keys: Mapping[str, KeySpec],
    traces: list[ChildTrace],
    event: str,
    captures: Mapping[str, str],
) -> ChildTrace:
    """The child a record is about: the one its id names (`spec.by`), the step's
    latest otherwise; a new one when it names a new child."""
    current = traces[-1] if traces else None
    wanted = _normal(keys, spec.by, captures[spec.by]) if captures.get(spec.by) else None
    if event in spec.opens:
        if current is None or current.opened or current.ended:
            current = _opened(traces)
        current.opened = True  # else the step named its id first (the command line), then its name
        return current
    if wanted is not None:
        for trace in reversed(traces):
            if wanted in trace.values.get(spec.by, ()):
                return trace
        if current is not None and not current.values.get(spec.by):
            return current
        return _opened(traces)
    return current if current is not None else _opened(traces)


def _opened(traces: list[ChildTrace]) -> ChildTrace:
    if len(traces) >= MAX_CHILDREN:
        return traces[-1]
    traces.append(ChildTrace())
    return traces[-1]


def _normal(keys: Mapping[str, KeySpec], name: str, value: str) -> str:
    spec = keys.get(name)
    return spec.normal(value) if spec is not None else value.strip()


Told = tuple[ChildStory, Story | None]
"""A child as the step holds it, and its own story (None: told by the step alone)."""


def tell(
    spec: ChildSpec,
    keys: Mapping[str, KeySpec],
    steps: Mapping[str, Sequence[ChildTrace]],
    told: Sequence[Story],
) -> dict[str, list[Told]]:
    """Per step, its children: each joined to the folder's stories of the child
    workflow (`told`) that agree with every id a record of it named together;
    the one child left unjoined to the folder's one such story that names none
    of those ids (an excerpt's log that names no deployment); the others told
    by the step's records alone."""
    stories = [story for story in told if story.workflow_id == spec.workflow]
    result: dict[str, list[Told]] = {}
    loose: list[tuple[str, ChildTrace]] = []
    taken: set[int] = set()
    for step, traces in steps.items():
        for trace in traces:
            joined = [(story, how) for story in stories if (how := _joined(spec, keys, trace, story))]
            for story, how in joined:
                taken.add(id(story))
                result.setdefault(step, []).append((_of_story(spec, trace, story, how), story))
            if not joined:
                loose.append((step, trace))
    unnamed = [
        story
        for story in stories
        if id(story) not in taken and not any(story.keys.get(name) for name in spec.keys)
    ]
    if len(loose) == 1 and len(unnamed) == 1:
        step, trace = loose.pop()
        result.setdefault(step, []).append((_of_story(spec, trace, unnamed[0], "folder"), unnamed[0]))
    for step, trace in loose:
        result.setdefault(step, []).append((_of_step(spec, trace), None))
    return result


def _joined(spec: ChildSpec, keys: Mapping[str, KeySpec], trace: ChildTrace, story: Story) -> str:
    """How `story` is the child's: the keys of a set of ids a record named that
    the story names too (and contradicts in none), or '' when it is not."""
    by_field = {field_name: name for name, field_name in spec.keys.items()}
    for named in trace.together:
        agreed = []
        for field_name, value in named:
            theirs = {_normal(keys, field_name, item) for item in story.keys.get(by_field[field_name], ())}
            if theirs and value not in theirs:
                break
            if value in theirs:
                agreed.append(by_field[field_name])
        else:
            if agreed:
                return " and ".join(agreed)
    return ""


def _name(spec: ChildSpec, trace: ChildTrace) -> str:
    return next((trace.names[name] for name in spec.name if name in trace.names), "")


def _of_story(spec: ChildSpec, trace: ChildTrace, story: Story, how: str) -> ChildStory:
    phase = story.phase(story.failed_phase) if story.failed_phase else None
    codes = [code for mark in (phase.evidence if phase else []) for code in error_codes(mark.text)]
    said = _of_step(spec, trace)
    return ChildStory(
        story.workflow,
        said.name or story.subject,
        story.subject,
        {name: list(values) for name, values in story.keys.items()},
        story.verdict,
        story.failed_phase,
        story.waiting_for,
        said.reason,
        codes[-1] if codes else said.code if story.verdict == "failed" else None,
        story=True,
        joined_by=how,
    )


def _of_step(spec: ChildSpec, trace: ChildTrace) -> ChildStory:
    """The child as the step's records tell it: the latest of its status, failure and success."""
    name = _name(spec, trace)
    ends: list[tuple[Seen, str, str | None, str, str | None]] = []
    if trace.status is not None:
        seen, number, text = trace.status
        kind = spec.status_verdicts.get(number, "unknown")
        phase = spec.status_phases.get(number) if kind == "failed" else None
        ends.append((seen, _ENDS.get(kind, "incomplete"), phase, f"{text} (execution status {number})", None))
    if trace.failed is not None:
        seen, phase, code = trace.failed
        ends.append((seen, "failed", phase, " ".join(seen.mark.text.split()), code))
    if trace.succeeded is not None:
        ends.append((trace.succeeded, "succeeded", None, " ".join(trace.succeeded.mark.text.split()), None))
    verdict, phase, reason, code = "incomplete", None, "", None
    if ends:
        latest = max(ends, key=lambda end: (end[0].order, end[1] == "failed"))
        _, verdict, phase, reason, code = latest
        reason = (
            ends[0][3] if trace.status is not None else reason
        )  # the status says it in the product's words
        if verdict == "failed":  # a failure names its phase and code where any record of it does
            phase = phase or next((end[2] for end in ends if end[1] == "failed" and end[2]), None)
            code = code or next((end[4] for end in ends if end[4]), None)
    by_field = {field_name: name for name, field_name in spec.keys.items()}
    return ChildStory(
        spec.workflow,
        name,
        name or f"{spec.workflow} (not named in the log)",
        {by_field[field_name]: list(values) for field_name, values in trace.values.items()},
        verdict,
        phase if verdict == "failed" else None,
        reason if verdict == "waiting" else None,
        reason,
        code,
    )


def failure(held: Sequence[Told]) -> tuple[str, Seen | None] | None:
    """The failed child that explains its step (the latest): what to say of it,
    and the record of its failure in its own story (to mark a step that logged
    no outcome; None when told by the step alone)."""
    failed = [(child, story) for child, story in held if child.verdict == "failed"]
    if not failed:
        return None
    child, story = failed[-1]
    named = repr(child.name) if child.name else "(not named in the log)"
    said = f"{child.workflow} {named} failed" + (f" at {child.failed_phase}" if child.failed_phase else "")
    said += f" ({child.code})" if child.code else ""
    phase = story.phase(story.failed_phase) if story is not None and story.failed_phase else None
    if phase is None or not phase.evidence:
        return said, None
    record = phase.evidence[-1]
    when = instant(record.time) if record.time is not None else float("-inf")
    mark = Mark(
        record.path,
        record.line,
        record.end_line,
        record.time,
        record.text,
        "failed",
        f"story:{child.workflow}",
    )
    return said, Seen(
        (when, -1, record.line), mark, record.time is not None and record.time.tzinfo is not None
    )
