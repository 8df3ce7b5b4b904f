"""Following deployments through a machine's logs: the records that mark a
workflow's phases, sorted by the deployment they are about, kept as a few
marks per phase (never the records themselves), and at the end of a folder
turned into stories (`stories.Story`) with a verdict (`engine.verdict`).

Which deployment a record is about:

* a record that captures every key of the workflow's subject (a deployment
  type and its revision) is about that subject;
* a record that captures another key (a content id, a CTM job) is about that
  key, and a link event (a record naming two keys: `Submitted CTM job {C} to
  download Content X`) joins the two; a weak link (the same cache folder)
  never merges two subjects;
* a record that names no key is about the deployment its log (or, with
  `by_thread`, its thread) last named; before any, about its log alone,
  which joins the first deployment the log names. A phase whose records name
  no deployment at all (a software-update scan serves every assignment) is
  `shared` by every story of the folder when none of its events captures a key.

Memory is bounded by the number of deployments and phases, not by the logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from smslogdoc.engine import verdict
from smslogdoc.engine.phasemarks import Order, PhaseMarks, Seen
from smslogdoc.engine.runs import ThreadNote
from smslogdoc.model import Event, Problem
from smslogdoc.read.timeline import instant
from smslogdoc.rules.model import LogScope
from smslogdoc.rules.prefilter import Prefilter
from smslogdoc.rules.templates import render
from smslogdoc.rules.workflow import STEP_FIELD, Marker, Phase, Workflow
from smslogdoc.stories import Mark, Story

MAX_NODES = 5000
"""Identifiers one workflow remembers per folder; more are left out, with a note."""
MAX_STEPS = 400
"""Steps one story remembers (a task sequence rarely has more than a hundred)."""
MAX_VALUES = 8
"""Values of one key shown per story."""

NodeKey = tuple[str, str]
"""(key name, normalised value); the subject's node is ("", joined values);
a log's records that name no deployment yet: ("/", log path)."""
SUBJECT = ""
ANONYMOUS = "/"


@dataclass
class _Node:
    phases: dict[str, PhaseMarks] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    """Step names in the order they first started."""
    current_step: str | None = None
    captures: dict[str, str] = field(default_factory=dict)
    """The first value of each field its records captured (for the story's name)."""
    logs: set[str] = field(default_factory=set)


class _Tracks:
    """One workflow in one folder: the identifiers met, how they join, their marks."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.parent: dict[NodeKey, NodeKey] = {}
        self.nodes: dict[NodeKey, _Node] = {}
        self.current: dict[tuple[str, int | None], NodeKey] = {}
        self.weak: list[tuple[NodeKey, NodeKey]] = []
        self.shared: dict[str, PhaseMarks] = {}
        self.full = False

    def node(self, key: NodeKey) -> _Node | None:
        known = self.nodes.get(key)
        if known is None:
            if len(self.nodes) >= MAX_NODES:
                self.full = True
                return None
            known = self.nodes[key] = _Node()
            self.parent[key] = key
        return known

    def find(self, key: NodeKey) -> NodeKey:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: NodeKey, b: NodeKey) -> None:
        if a in self.parent and b in self.parent:
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                self.parent[rb] = ra


@dataclass
class _Folder:
    tracks: dict[str, _Tracks]
    last: float | None = None
    """The latest instant of any record of the folder."""
    logs: set[str] = field(default_factory=set)
    """The names of the folder's logs, lower case."""
    aware: set[bool] = field(default_factory=set)


_Use = tuple[Workflow, Phase, str, Marker]
"""A marker an event is used by: workflow, phase, mark kind, marker."""


class StoryBook:
    """Follows the workflows through the logs of one input, folder by folder."""

    def __init__(self, workflows: Sequence[Workflow]) -> None:
        self.workflows = list(workflows)
        self.problems: list[Problem] = []
        self._folders: dict[str, _Folder] = {}
        self._setups: dict[
            tuple[str | None, str], tuple[Prefilter[tuple[int, str]], dict[tuple[int, str], list[_Use]]]
        ] = {}

    def watch(
        self, stream: Iterable[Event | ThreadNote], scope: LogScope, path: str, folder: str, number: int
    ) -> Iterator[Event | ThreadNote]:
        """Pass one log's records on unchanged, noting those that mark a phase.
        `number` is the log's place in the input (it orders records across logs)."""
        state = self._folders.get(folder)
        if state is None:
            state = self._folders[folder] = _Folder({w.id: _Tracks(w) for w in self.workflows})
        state.logs.add(scope.name)
        prefilter, uses = self._setup(scope)
        last_time: float = float("-inf")
        seq = 0
        for item in stream:
            yield item
            if not isinstance(item, Event):
                continue
            seq += 1
            aware = None
            if item.time is not None:
                last_time = instant(item.time)
                aware = item.time.tzinfo is not None
                state.aware.add(aware)
                state.last = last_time if state.last is None else max(state.last, last_time)
            if not uses:
                continue
            for number_name in prefilter.candidates(item.message):
                found = uses.get(number_name)
                if not found:
                    continue
                workflow = self.workflows[number_name[0]]
                try:
                    captures = workflow.events[number_name[1]].match(item)
                except TimeoutError:
                    self.problems.append(
                        Problem(
                            item.path,
                            f"workflow {workflow.id}: the pattern of event {number_name[1]!r} took too long on this record",
                            item.line,
                        )
                    )
                    continue
                if captures is not None:
                    order = (last_time, number, seq)
                    self._note(
                        state.tracks[workflow.id], item, number_name[1], captures, found, order, aware, path
                    )

    def finish(self, findings_by_folder: Mapping[str, Sequence[verdict.Cited]] | None = None) -> list[Story]:
        """The stories of every folder seen, worst first; the book is then empty.
        `findings_by_folder` gives, per folder, the findings a story may cite."""
        stories: list[Story] = []
        for folder, state in self._folders.items():
            cited = (findings_by_folder or {}).get(folder, ())
            for tracks in state.tracks.values():
                stories.extend(_stories(tracks, state, folder, cited))
                if tracks.full:
                    self.problems.append(
                        Problem(
                            folder,
                            f"workflow {tracks.workflow.id}: more than {MAX_NODES} identifiers; the rest were not followed",
                        )
                    )
        self._folders = {}
        stories.sort(key=Story.sort_key)
        return stories

    def _setup(self, scope: LogScope) -> tuple[Prefilter[tuple[int, str]], dict[tuple[int, str], list[_Use]]]:
        key = (scope.kind, scope.name)
        known = self._setups.get(key)
        if known is None:
            entries: list[tuple[tuple[int, str], tuple[str, ...]]] = []
            uses: dict[tuple[int, str], list[_Use]] = {}
            for number, workflow in enumerate(self.workflows):
                if not workflow.applies(scope):
                    continue
                used = _uses(workflow)
                for name, matcher in workflow.events.items():
                    if matcher.logs and not scope.is_one_of(matcher.logs):
                        continue
                    entries.append(((number, name), matcher.literals))
                    uses[(number, name)] = used.get(name, [])
            known = self._setups[key] = (Prefilter(entries), uses)
        return known

    def _note(
        self,
        tracks: _Tracks,
        event: Event,
        name: str,
        captures: Mapping[str, str],
        used: list[_Use],
        order: Order,
        aware: bool | None,
        path: str,
    ) -> None:
        workflow = tracks.workflow
        keyed = {
            spec.name: spec.normal(captures[spec.name])
            for spec in workflow.keys.values()
            if captures.get(spec.name)
        }
        place = (path, event.thread if workflow.by_thread else None)
        target = _target(tracks, keyed, place, path)
        if target is None:
            return
        named = [(key, value) for key, value in keyed.items() if key not in workflow.subject]
        for link in workflow.links:
            if link.event == name:
                ends = [(SUBJECT, _subject_value(workflow, keyed))] if _has_subject(workflow, keyed) else []
                ends += named
                for end in ends:
                    tracks.node(end)
                for a, b in pairwise(ends):
                    if link.weak:
                        tracks.weak.append((a, b))
                    else:
                        tracks.union(a, b)
        node = tracks.nodes[target]
        node.logs.add(path)
        for field_name, value in captures.items():
            node.captures.setdefault(field_name, value)
        for _, phase, mark_kind, marker in used:
            reason = render(marker.reason, captures) if marker.reason else ""
            until = captures.get(marker.until, "") if marker.until else ""
            mark = Mark(
                event.path,
                event.line,
                event.end_line,
                event.time,
                event.message,
                mark_kind,
                name,
                reason,
                until,
            )
            seen = Seen(order, mark, aware)
            if phase.steps:
                _note_step(node, captures.get(STEP_FIELD), mark_kind, seen)
            elif _shared(workflow, phase) and not keyed:
                tracks.shared.setdefault(phase.id, PhaseMarks()).add(seen)
            else:
                node.phases.setdefault(phase.id, PhaseMarks()).add(seen)


def _target(
    tracks: _Tracks, keyed: Mapping[str, str], place: tuple[str, int | None], path: str
) -> NodeKey | None:
    """The node a record is about (see the module's docstring), made if new."""
    workflow = tracks.workflow
    key: NodeKey | None = None
    if _has_subject(workflow, keyed):
        key = (SUBJECT, _subject_value(workflow, keyed))
    else:
        for spec in workflow.keys.values():
            if spec.name in keyed and spec.name not in workflow.subject:
                key = (spec.name, keyed[spec.name])
                break
    if key is None:
        key = tracks.current.get(place) or tracks.current.get((path, None)) or (ANONYMOUS, path)
    if tracks.node(key) is None:
        return None
    if key[0] != ANONYMOUS:
        anonymous = (ANONYMOUS, path)
        if anonymous in tracks.nodes and (path, None) not in tracks.current:
            tracks.union(key, anonymous)  # the log's first records belong to the first deployment it names
        tracks.current[place] = key
        tracks.current[(path, None)] = key
    return key


def _has_subject(workflow: Workflow, keyed: Mapping[str, str]) -> bool:
    return not workflow.subject or all(name in keyed for name in workflow.subject)


def _subject_value(workflow: Workflow, keyed: Mapping[str, str]) -> str:
    return "\x1f".join(keyed[name] for name in workflow.subject)


def _shared(workflow: Workflow, phase: Phase) -> bool:
    """A phase none of whose events captures a key serves every deployment of the folder."""
    keys = set(workflow.keys)
    for markers in phase.marks.values():
        for marker in markers:
            if marker.event is not None and workflow.events[marker.event].captures & keys:
                return False
    return bool(workflow.subject)


def _note_step(node: _Node, step: str | None, mark_kind: str, seen: Seen) -> None:
    if step is not None and (mark_kind == "started" or step not in node.steps):
        if step not in node.steps and len(node.steps) < MAX_STEPS:
            node.steps.append(step)
        node.current_step = step
    name = step or node.current_step
    if name is None or name not in node.steps:
        return
    node.phases.setdefault("step:" + name, PhaseMarks()).add(seen)


def _uses(workflow: Workflow) -> dict[str, list[_Use]]:
    uses: dict[str, list[_Use]] = {}
    for phase in workflow.phases:
        for mark_kind, markers in phase.marks.items():
            for marker in markers:
                if marker.event is not None:
                    uses.setdefault(marker.event, []).append((workflow, phase, mark_kind, marker))
    return uses


def _stories(tracks: _Tracks, state: _Folder, folder: str, cited: Sequence[verdict.Cited]) -> Iterator[Story]:
    """The stories of one workflow in one folder."""
    workflow = tracks.workflow
    for a, b in tracks.weak:
        ra, rb = tracks.find(a), tracks.find(b)
        if ra != rb and not (_holds_subject(tracks, ra) and _holds_subject(tracks, rb)):
            tracks.union(a, b)
    components: dict[NodeKey, list[NodeKey]] = {}
    for key in tracks.nodes:
        components.setdefault(tracks.find(key), []).append(key)
    for members in components.values():
        subjects = [key for key in members if key[0] == SUBJECT]
        if not subjects:
            if not all(key[0] == ANONYMOUS for key in members):
                continue  # a content download no deployment of this workflow names
            subjects = members[:1]
        others = [tracks.nodes[key] for key in members if key not in subjects]
        for subject in subjects:
            node = tracks.nodes[subject]
            parts = [node, *others]
            story = verdict.resolve(
                workflow,
                _merged(parts, tracks.shared),
                _steps(parts),
                verdict.Context(folder, state.last, frozenset(state.logs), len(state.aware) > 1, cited),
                name=_label(workflow, subject, parts),
                keys=_keys(workflow, subject, members, parts),
            )
            if story is not None:
                yield story


def _holds_subject(tracks: _Tracks, root: NodeKey) -> bool:
    return any(key[0] == SUBJECT and tracks.find(key) == root for key in tracks.nodes)


def _merged(nodes: Iterable[_Node], shared: Mapping[str, PhaseMarks]) -> dict[str, PhaseMarks]:
    merged: dict[str, PhaseMarks] = {key: value.merged(PhaseMarks()) for key, value in shared.items()}
    for node in nodes:
        for phase_key, marks in node.phases.items():
            known = merged.get(phase_key)
            merged[phase_key] = marks.merged(PhaseMarks()) if known is None else known.merged(marks)
    return merged


def _steps(nodes: Iterable[_Node]) -> list[str]:
    steps: list[str] = []
    for node in nodes:
        steps.extend(step for step in node.steps if step not in steps)
    return steps


def _label(workflow: Workflow, subject: NodeKey, nodes: Sequence[_Node]) -> str:
    values: dict[str, str] = {}
    for node in reversed(nodes):
        values.update(node.captures)
    values.update(nodes[0].captures)
    if subject[0] == ANONYMOUS:
        return f"{workflow.title.lower()} in {subject[1].replace(chr(92), '/').rsplit('/', 1)[-1]}"
    if workflow.label:
        return render(workflow.label, values)
    return " ".join(subject[1].split("\x1f")) or workflow.title


def _keys(
    workflow: Workflow, subject: NodeKey, members: Iterable[NodeKey], nodes: Sequence[_Node]
) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    if subject[0] == SUBJECT and workflow.subject:
        for name, value in zip(workflow.subject, subject[1].split("\x1f"), strict=False):
            keys[name] = [nodes[0].captures.get(name, value)]
    for name, value in sorted(key for key in members if key[0] not in (SUBJECT, ANONYMOUS)):
        shown = keys.setdefault(name, [])
        if value not in shown and len(shown) < MAX_VALUES:
            shown.append(value)
    return keys
