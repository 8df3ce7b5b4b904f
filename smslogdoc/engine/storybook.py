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
from smslogdoc.engine.storysetup import Setup, Setups
from smslogdoc.engine.storytape import Hits, Tape
from smslogdoc.memo import SeenRecords
from smslogdoc.model import Event, Problem, ThreadNote
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


class StoryBook:
    """Follows the workflows through the logs of one input, folder by folder."""

    def __init__(self, workflows: Sequence[Workflow], *, recording: bool = False) -> None:
        self.workflows = list(workflows)
        self.problems: list[Problem] = []
        self._folders: dict[str, _Folder] = {}
        self._setups = Setups(self.workflows)
        self.tapes: list[Tape] | None = [] if recording else None
        """A recording book (a worker's) notes each log it watches on a tape,
        to be played into the book that tells the stories (`play`)."""

    def watch(
        self, stream: Iterable[Event | ThreadNote], scope: LogScope, path: str, folder: str, number: int
    ) -> Iterator[Event | ThreadNote]:
        """Pass one log's records on unchanged, noting those that mark a phase
        (on a tape, in a recording book). `number` is the log's place in the
        input (it orders records across logs)."""
        setup = self._setups.of(scope)
        sink: Tape | _Player
        if self.tapes is not None:
            sink = Tape(scope, path, folder, number)
            self.tapes.append(sink)
        else:
            sink = self._player(scope, path, folder, number)
        clock = Clock(scope.name)
        seen = SeenRecords[Hits](setup.plain)
        problems = len(self.problems)
        seq = 0
        last: datetime | None = None
        """The time of the latest record that has one."""
        known: tuple[datetime | None, float] = (None, float("-inf"))
        """`last` and its instant, worked out when a record is noted."""
        try:
            for item in stream:
                yield item
                if not isinstance(item, Event):
                    continue
                seq += 1
                if item.time is not None:
                    last = item.time
                    clock.note(last)
                if not setup.uses:
                    continue
                hits = seen.get(item)
                if hits is None:
                    hits = self._hits(setup, item, seen)
                if hits:
                    if known[0] is not last:
                        known = (last, instant(last) if last is not None else float("-inf"))
                    sink.note(seq, known[1], item, hits)
        finally:
            clock.settled()
            if isinstance(sink, Tape):
                sink.clock, sink.problems = clock, self.problems[problems:]
                del self.problems[problems:]
            else:
                self.seen(folder, clock)

    def play(self, tape: Tape) -> None:
        """Note a log's records from its tape, as `watch` would have as it read
        them (tapes are played in input order, with the logs watched here)."""
        player = self._player(tape.scope, tape.path, tape.folder, tape.number)
        for seq, at, event, hits in tape.noted:
            player.note(seq, at, event, hits)
        self.problems.extend(tape.problems)
        if tape.clock is not None:
            self.seen(tape.folder, tape.clock)

    def _player(self, scope: LogScope, path: str, folder: str, number: int) -> _Player:
        """What notes a log's records into its folder's graphs; the log is then one of the folder's."""
        state = self._folder(folder)
        state.logs.add(scope.name)
        return _Player(self.workflows, state, self._setups.of(scope), number, path)

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
        return [self.workflows[number].events[name].literals for number, name in self._setups.of(scope).uses]

    def _hits(self, setup: Setup, event: Event, seen: SeenRecords[Hits]) -> Hits:
        """The workflow events a record matches, with their captures; remembered
        in `seen` unless a pattern took too long."""
        hits: Hits = []
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


class _Player:
    """Notes one log's workflow records into its folder's graphs, in the log's order."""

    __slots__ = ("last", "number", "path", "pending", "setup", "state", "workflows")

    def __init__(
        self, workflows: list[Workflow], state: _Folder, setup: Setup, number: int, path: str
    ) -> None:
        self.workflows, self.state, self.setup, self.number, self.path = workflows, state, setup, number, path
        self.pending: dict[int, tuple[Link, dict[str, str]]] = {}
        """Per workflow, a `next` link waiting for the log's very next record."""
        self.last = 0
        """The place in the log of the record noted last."""

    def note(self, seq: int, at: float, event: Event, hits: Hits) -> None:
        """A record (the log's `seq`-th; `at`: the instant of the log's latest
        time so far) that matched the workflow events of `hits`."""
        waiting: Mapping[int, tuple[Link, dict[str, str]]] = _NOTHING
        if self.pending:
            if self.last == seq - 1:
                waiting = self.pending
            self.pending = {}
        self.last = seq
        aware = None if event.time is None else event.time.tzinfo is not None
        for key, captures, keyed, subject in hits:
            graph = self.state.graphs[self.workflows[key[0]].id]
            self._links(graph, key, captures, keyed, waiting)
            self._note(
                graph,
                event,
                key[1],
                captures,
                (keyed, subject),
                self.setup.uses.get(key, []),
                (at, self.number, seq),
                aware,
            )

    def _links(
        self,
        graph: Graph,
        key: tuple[int, str],
        captures: Mapping[str, str],
        keyed: Mapping[str, str],
        waiting: Mapping[int, tuple[Link, dict[str, str]]],
    ) -> None:
        """Join the keys a link event names (or, for a `next` link, those of this
        record and the one before it)."""
        workflow, setup = graph.workflow, self.setup
        for link in setup.links.get(key, []):
            if link.next is not None:
                self.pending[key[0]] = (link, dict(captures))
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
    ) -> None:
        """Note a record that matched workflow event `name`; `identified`: the
        identifiers it names and the node of its subject (see `Hits`)."""
        workflow = graph.workflow
        keyed, subject = identified
        path = self.path
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
