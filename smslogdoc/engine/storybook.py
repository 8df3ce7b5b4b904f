"""Following deployments through a machine's logs: the records that mark a
workflow's phases, sorted by the deployment they are about, kept as a few
marks per phase (never the records themselves), and at the end of the input
turned into stories (`stories.Story`), folder by folder.

Which deployment a record is about (see `engine.storygraph`):

* a record that captures every key of the workflow's subject (a deployment
  type and its revision) is about that subject;
* a record that captures another key (a content id, a CTM job) is about that
  key, and a link event (a record naming two keys: `Submitted CTM job {C} to
  download Content X`) joins the two; a weak link (the same cache folder)
  never merges two subjects;
* a record that names no key is about the deployment its log (or, with
  `by_thread`, its thread) last named; before any, about its log alone,
  which joins the first deployment the log names. A phase none of whose
  events captures a key (a software-update scan serves every assignment) is
  shared by every story of the folder.

A marker counts only where its conditions hold: `where` (a captured field
matches), `after`/`before` (the deployment has, or has not yet, met another
event). Steps (a task sequence's) become phases as they are met.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from smslogdoc.engine import children
from smslogdoc.engine.clock import Clock
from smslogdoc.engine.phasemarks import Order, PhaseMarks, Seen
from smslogdoc.engine.storycontext import Cited, Context
from smslogdoc.engine.storygraph import MAX_NODES, Graph, Node, NodeKey, note_step, subject_node
from smslogdoc.memo import SeenRecords
from smslogdoc.model import Event, Problem, ThreadNote
from smslogdoc.prefilter import Prefilter
from smslogdoc.rules.model import LogScope
from smslogdoc.rules.templates import render
from smslogdoc.rules.workflow import Link, Use, Workflow
from smslogdoc.stories import Mark, Story
from smslogdoc.times import instant


@dataclass
class _Folder:
    graphs: dict[str, Graph]
    last: float | None = None
    """The latest instant of any record of the folder."""
    logs: set[str] = field(default_factory=set)
    """The names of the folder's logs, lower case."""
    aware: set[bool] = field(default_factory=set)


_NOTHING: Mapping[int, tuple[Link, dict[str, str]]] = {}
"""No `next` link waits (never written to)."""


MAX_SETUPS = 4096
"""Setups remembered by log kind and name (the shared ones are few)."""


_Hits = list[tuple[tuple[int, str], Mapping[str, str], Mapping[str, str], NodeKey | None]]
"""The workflow events a record matched (workflow number, event name), their
captures, the identifiers among them, normalised (`_keyed`), and the node of
the subject they name whole (`subject_node`): remembered with the record's
text, so a message seen before costs no normalising."""


@dataclass
class _Setup:
    """For logs of one kind and name: the workflows' events that may occur, their uses and links."""

    prefilter: Prefilter[tuple[int, str]]
    plain: bool
    """Whether a record's text, severity and component decide which events it matches."""
    uses: dict[tuple[int, str], list[Use]]
    links: dict[tuple[int, str], list[Link]]
    follows: dict[tuple[int, str], list[Link]]
    """Links whose second event is this one's (`next`): keyed by the second event."""


class StoryBook:
    """Follows the workflows through the logs of one input, folder by folder."""

    def __init__(self, workflows: Sequence[Workflow]) -> None:
        self.workflows = list(workflows)
        self.problems: list[Problem] = []
        self._folders: dict[str, _Folder] = {}
        self._setups: dict[tuple[str | None, str], _Setup] = {}
        self._shared: dict[tuple[tuple[int, str], ...], _Setup] = {}
        """Setups by the workflow events they hold: logs alike share one (and its prefilter)."""

    def watch(
        self, stream: Iterable[Event | ThreadNote], scope: LogScope, path: str, folder: str, number: int
    ) -> Iterator[Event | ThreadNote]:
        """Pass one log's records on unchanged, noting those that mark a phase.
        `number` is the log's place in the input (it orders records across logs)."""
        state = self._folder(folder)
        state.logs.add(scope.name)
        setup = self._setup(scope)
        clock = Clock(scope.name)
        seen = SeenRecords[_Hits](setup.plain)
        seq = 0
        last: datetime | None = None
        """The time of the latest record that has one."""
        known: tuple[datetime | None, float] = (None, float("-inf"))
        """`last` and its instant, worked out when a record is noted."""
        pending: dict[int, tuple[Link, dict[str, str]]] = {}
        """Per workflow, a `next` link waiting for the log's very next record."""
        try:
            for item in stream:
                yield item
                if not isinstance(item, Event):
                    continue
                seq += 1
                if item.time is not None:
                    last = item.time
                    clock.note(last)
                waiting: Mapping[int, tuple[Link, dict[str, str]]]
                if pending:
                    waiting, pending = pending, {}
                else:
                    waiting = _NOTHING
                if not setup.uses:
                    continue
                hits = seen.get(item)
                if hits is None:
                    hits = self._hits(setup, item, seen)
                for key, captures, keyed, subject in hits:
                    if known[0] is not last:
                        known = (last, instant(last) if last is not None else float("-inf"))
                    graph = state.graphs[self.workflows[key[0]].id]
                    self._links(graph, setup, key, captures, keyed, waiting, pending)
                    self._note(
                        graph,
                        item,
                        key[1],
                        captures,
                        (keyed, subject),
                        setup.uses.get(key, []),
                        (known[1], number, seq),
                        None if item.time is None else item.time.tzinfo is not None,
                        path,
                    )
        finally:
            self.seen(folder, clock.settled())

    def seen(self, folder: str, clock: Clock) -> None:
        """A log of `folder` read elsewhere, whose stories this book is not told
        (no workflow reads it): it is there, and its records go so far in time."""
        state = self._folder(folder)
        state.logs.add(clock.name)
        state.aware |= clock.aware
        if clock.last is not None:
            state.last = clock.last if state.last is None else max(state.last, clock.last)

    def _folder(self, folder: str) -> _Folder:
        """The state of `folder`, made when its first log is met."""
        state = self._folders.get(folder)
        if state is None:
            state = self._folders[folder] = _Folder({w.id: Graph(w) for w in self.workflows})
        return state

    def finish(self, findings_by_folder: Mapping[str, Sequence[Cited]] | None = None) -> list[Story]:
        """The stories of every folder seen, worst first; the book is then empty.
        `findings_by_folder` gives, per folder, the findings a story may cite."""
        stories: list[Story] = []
        for folder, state in self._folders.items():
            context = Context(
                folder,
                state.last,
                frozenset(state.logs),
                len(state.aware) > 1,
                (findings_by_folder or {}).get(folder, ()),
            )
            told: list[Story] = []
            # a workflow whose steps hold children (a task sequence) is told after the others: its children's stories
            for graph in sorted(state.graphs.values(), key=lambda graph: graph.workflow.child is not None):
                told.extend(graph.stories(replace(context, told=tuple(told))))
                if graph.full:
                    self.problems.append(
                        Problem(
                            folder,
                            f"workflow {graph.workflow.id}: more than {MAX_NODES} identifiers; the rest were not followed",
                        )
                    )
            stories.extend(told)
        self._folders = {}
        stories.sort(key=Story.sort_key)
        return stories

    def literals(self, scope: LogScope) -> list[tuple[str, ...]]:
        """For a scan of a large log: the literals of each workflow event that
        may occur in it (an empty tuple: that event needs every record)."""
        return [self.workflows[number].events[name].literals for number, name in self._setup(scope).uses]

    def _hits(self, setup: _Setup, event: Event, seen: SeenRecords[_Hits]) -> _Hits:
        """The workflow events a record matches, with their captures; remembered
        in `seen` unless a pattern took too long."""
        hits: _Hits = []
        problems = len(self.problems)
        for key in setup.prefilter.candidates(event.message):
            captures = self._match(key, event)
            if captures is not None:
                workflow = self.workflows[key[0]]
                keyed = _keyed(workflow, captures)
                hits.append((key, captures, keyed, subject_node(workflow, keyed)))
        if len(self.problems) == problems:
            seen.put(event, hits)
        return hits

    def _match(self, key: tuple[int, str], event: Event) -> Mapping[str, str] | None:
        workflow = self.workflows[key[0]]
        try:
            return workflow.events[key[1]].match(event)
        except TimeoutError:
            self.problems.append(
                Problem(
                    event.path,
                    f"workflow {workflow.id}: the pattern of event {key[1]!r} took too long on this record",
                    event.line,
                )
            )
            return None

    def _setup(self, scope: LogScope) -> _Setup:
        """The setup of a log's kind and name, shared with every log whose
        workflow events are the same (thousands of differently named logs
        make a few setups; those remembered by name are bounded)."""
        known = self._setups.get((scope.kind, scope.name))
        if known is None:
            known = self._made(scope)
            if len(self._setups) >= MAX_SETUPS:
                self._setups.clear()
            self._setups[(scope.kind, scope.name)] = known
        return known

    def _made(self, scope: LogScope) -> _Setup:
        entries: list[tuple[tuple[int, str], tuple[str, ...]]] = []
        for number, workflow in enumerate(self.workflows):
            if workflow.applies(scope):
                entries += [
                    ((number, name), matcher.literals)
                    for name, matcher in workflow.events.items()
                    if not matcher.logs or scope.is_one_of(matcher.logs)
                ]
        signature = tuple(key for key, _ in entries)
        shared = self._shared.get(signature)
        if shared is not None:
            return shared
        setup = _Setup(
            Prefilter(entries),
            all(self.workflows[number].events[name].by_text for number, name in signature),
            {},
            {},
            {},
        )
        for number in dict.fromkeys(number for number, _ in signature):
            workflow = self.workflows[number]
            used = workflow.uses
            for owner, name in signature:
                if owner == number:
                    setup.uses[(number, name)] = used.get(name, [])
            for link in workflow.links:
                setup.links.setdefault((number, link.event), []).append(link)
                if link.next is not None:
                    setup.follows.setdefault((number, link.next), []).append(link)
        self._shared[signature] = setup
        return setup

    def _links(
        self,
        graph: Graph,
        setup: _Setup,
        key: tuple[int, str],
        captures: Mapping[str, str],
        keyed: Mapping[str, str],
        waiting: Mapping[int, tuple[Link, dict[str, str]]],
        pending: dict[int, tuple[Link, dict[str, str]]],
    ) -> None:
        """Join the keys a link event names (or, for a `next` link, those of this
        record and the one before it)."""
        workflow = graph.workflow
        for link in setup.links.get(key, []):
            if link.next is not None:
                pending[key[0]] = (link, dict(captures))
            else:
                graph.join(_ends(workflow, keyed), weak=link.weak)
        earlier = waiting.get(key[0])
        if earlier is not None and earlier[0] in setup.follows.get(key, []):
            graph.join(_ends(workflow, _keyed(workflow, {**earlier[1], **captures})), weak=earlier[0].weak)

    def _note(
        self,
        graph: Graph,
        event: Event,
        name: str,
        captures: Mapping[str, str],
        identified: tuple[Mapping[str, str], NodeKey | None],
        used: list[Use],
        order: Order,
        aware: bool | None,
        path: str,
    ) -> None:
        """Note a record that matched workflow event `name`; `identified`: the
        identifiers it names and the node of its subject (see `_Hits`)."""
        workflow = graph.workflow
        keyed, subject = identified
        target = graph.target(keyed, subject, (path, event.thread if workflow.by_thread else None), path)
        if target is None:
            return
        node = graph.nodes[target]
        for field_name, value in captures.items():
            node.captures.setdefault(field_name, value)
        step: str | None = None
        for use in used:
            marker = use.marker
            if not marker.holds(captures) or (marker.after and marker.after not in node.met):
                continue
            if marker.before and marker.before in node.met:
                continue
            reason = render(marker.reason, captures) if marker.reason else ""
            until = captures.get(marker.until, "") if marker.until else ""
            mark = Mark(
                event.path,
                event.line,
                event.end_line,
                event.time,
                event.message,
                use.mark,
                name,
                reason,
                until,
                marker.verdict,
            )
            seen = Seen(order, mark, aware)
            if use.phase is None:
                step = note_step(workflow, node, captures, use.mark, seen)
            elif not keyed and workflow.subject and use.phase.id in workflow.keyless_phases:
                graph.shared.setdefault(use.phase.id, PhaseMarks()).add(seen)
            else:
                node.add(use.phase.id, seen)
        if workflow.child is not None and name in workflow.child.events:
            _note_child(
                workflow, node, event, name, captures, Seen(order, _evidence(event, name), aware), step
            )
        node.met.setdefault(name, order)


def _keyed(workflow: Workflow, captures: Mapping[str, str]) -> dict[str, str]:
    return {
        spec.name: spec.normal(captures[spec.name])
        for spec in workflow.identity_keys
        if captures.get(spec.name)
    }


def _ends(workflow: Workflow, keyed: Mapping[str, str]) -> list[NodeKey]:
    """The nodes of the identifiers a record names (`keyed`, see `_keyed`): its
    subject (if whole) and its other keys."""
    ends: list[NodeKey] = []
    subject = subject_node(workflow, keyed) if workflow.subject else None
    if subject is not None:
        ends.append(subject)
    ends += [(key, value) for key, value in keyed.items() if key not in workflow.subject]
    return ends


def _evidence(event: Event, name: str) -> Mark:
    return Mark(event.path, event.line, event.end_line, event.time, event.message, "evidence", name)


def _note_child(
    workflow: Workflow,
    node: Node,
    event: Event,
    name: str,
    captures: Mapping[str, str],
    seen: Seen,
    step: str | None,
) -> None:
    """A record of a step's child (an application an Install Application step
    installs): traced under its step, and evidence of that step unless it marked it."""
    if workflow.child is None:
        return
    if step is None:
        step = note_step(workflow, node, {}, "evidence", seen)
    if step is not None:
        children.note(workflow.child, workflow.keys, node.children.setdefault(step, []), name, captures, seen)
