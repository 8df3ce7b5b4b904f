"""The deployments of one workflow in one folder, as a graph of the
identifiers met: each node an identifier (a deployment type and revision, a
content id, a CTM job ...) with the few marks its records left per phase;
links join nodes (union-find); at the end each group of joined nodes that holds
a subject is a story (`engine.verdict` decides it).

Memory is bounded by the number of identifiers (`MAX_NODES`) and of steps
(`MAX_STEPS`), never by the number of records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from smslogdoc.engine import verdict
from smslogdoc.engine.children import ChildTrace
from smslogdoc.engine.phasemarks import Order, PhaseMarks, Seen
from smslogdoc.engine.storycontext import Context
from smslogdoc.rules.templates import render
from smslogdoc.rules.workflow import Workflow
from smslogdoc.stories import Story

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
STEP = "step:"
"""Prefix of the phase key of a step (`step:Apply Operating System`)."""


@dataclass
class Node:
    """What the records about one identifier left."""

    phases: dict[str, PhaseMarks] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    """Step keys in the order they first started."""
    titles: dict[str, str] = field(default_factory=dict)
    """The name of each step key."""
    current_step: str | None = None
    captures: dict[str, str] = field(default_factory=dict)
    """The first value of each field its records captured (for the story's name)."""
    met: dict[str, Order] = field(default_factory=dict)
    """When each event was first met (for markers that hold `after`/`before` another)."""
    children: dict[str, list[ChildTrace]] = field(default_factory=dict)
    """Per step key, the children its records traced (an Install Application step's applications)."""

    def add(self, phase_key: str, seen: Seen) -> None:
        self.phases.setdefault(phase_key, PhaseMarks()).add(seen)


class Graph:
    """One workflow in one folder: the identifiers met, how they join, their marks."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.parent: dict[NodeKey, NodeKey] = {}
        self.nodes: dict[NodeKey, Node] = {}
        self.current: dict[tuple[str, int | None], NodeKey] = {}
        self.weak: list[tuple[NodeKey, NodeKey]] = []
        self.shared: dict[str, PhaseMarks] = {}
        self.full = False

    def node(self, key: NodeKey) -> Node | None:
        known = self.nodes.get(key)
        if known is None:
            if len(self.nodes) >= MAX_NODES:
                self.full = True
                return None
            known = self.nodes[key] = Node()
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

    def join(self, ends: Sequence[NodeKey], *, weak: bool) -> None:
        """Join the nodes of one record's identifiers (a weak join is decided at the end)."""
        for end in ends:
            self.node(end)
        for a, b in pairwise(ends):
            if weak:
                self.weak.append((a, b))
            else:
                self.union(a, b)

    def target(
        self, keyed: Mapping[str, str], subject: NodeKey | None, place: tuple[str, int | None], path: str
    ) -> NodeKey | None:
        """The node a record is about, made if new: the subject it names
        (`subject`, its `subject_node`), else another key it names, else what its
        thread or log last named, else its log."""
        key = subject
        if key is None:
            key = next(
                ((spec.name, keyed[spec.name]) for spec in self.workflow.identity_keys if spec.name in keyed),
                None,
            )
        if key is None:
            key = self.current.get(place) or self.current.get((path, None)) or (ANONYMOUS, path)
        if self.node(key) is None:
            return None
        if subject is not None:
            self._partial(keyed, subject)
        if key[0] != ANONYMOUS:
            anonymous = (ANONYMOUS, path)
            if anonymous in self.nodes and (path, None) not in self.current:
                self.union(key, anonymous)  # a log's first records belong to the first deployment it names
            self.current[place] = key
            self.current[(path, None)] = key
        return key

    def _partial(self, keyed: Mapping[str, str], subject: NodeKey) -> None:
        """Join a subject (`subject`, the node of `keyed`) to the nodes of its
        parts (a program named without its package), except numbers (a revision
        alone names nothing)."""
        if len(self.workflow.subject) < 2:
            return
        for name in self.workflow.subject:
            value = keyed[name]
            if not value.isdigit() and self.node((name, value)) is not None:
                self.union(subject, (name, value))

    def stories(self, context: Context) -> Iterator[Story]:
        """The stories of the folder: one per subject (with what joined it)."""
        for a, b in self.weak:
            ra, rb = self.find(a), self.find(b)
            if ra != rb and not (self._holds_subject(ra) and self._holds_subject(rb)):
                self.union(a, b)
        components: dict[NodeKey, list[NodeKey]] = {}
        for key in self.nodes:
            components.setdefault(self.find(key), []).append(key)
        self._adopt(components)
        for members in components.values():
            subjects = self._subjects(members)
            others = [self.nodes[key] for key in members if key not in subjects]
            for subject in subjects:
                parts = [self.nodes[subject], *others]
                story = verdict.resolve(
                    self.workflow,
                    merged(parts, self.shared),
                    steps_of(parts),
                    context,
                    name=self.label(subject, parts),
                    keys=self.keys(subject, members, parts),
                    children=children_of(parts),
                )
                if story is not None:
                    yield story

    def _adopt(self, components: dict[NodeKey, list[NodeKey]]) -> None:
        """A log that names no deployment at all (a scan's log) belongs to the
        folder's one deployment of this workflow, when there is exactly one."""
        named = [
            root
            for root, members in components.items()
            if self._subjects(members) and not _anonymous(members)
        ]
        if len(named) != 1:
            return
        for root in [root for root, members in components.items() if _anonymous(members)]:
            components[named[0]] += components.pop(root)

    def _subjects(self, members: list[NodeKey]) -> list[NodeKey]:
        """The nodes of a group that make stories: its subjects; or, failing those,
        one node naming part of the subject, or a log's records that named nothing."""
        subjects = [key for key in members if key[0] == SUBJECT]
        if subjects:
            return subjects
        partial = [key for key in members if key[0] in self.workflow.subject]
        if partial:
            return partial[:1]
        standing = [key for key in members if key[0] in self.workflow.stands_for]
        if standing:
            return standing[:1]
        if all(key[0] == ANONYMOUS for key in members):
            return members[:1]
        return []  # e.g. a content download no deployment of this workflow names

    def _holds_subject(self, root: NodeKey) -> bool:
        return any(key[0] == SUBJECT and self.find(key) == root for key in self.nodes)

    def label(self, subject: NodeKey, nodes: Sequence[Node]) -> str:
        workflow = self.workflow
        if subject[0] == ANONYMOUS:
            log = subject[1].replace(chr(92), "/").rsplit("/", 1)[-1]
            return f"{workflow.title} ({log} names no {' or '.join(workflow.subject) or 'deployment'})"
        values: dict[str, str] = {}
        for node in reversed(nodes):
            values.update(node.captures)
        values.update(nodes[0].captures)
        if workflow.label and any(name not in values for name in _fields(workflow.label)):
            named = " ".join(subject[1].split("\x1f"))  # the label needs a key no record gave
            return f"{workflow.title} ({named})" if named else workflow.title
        if workflow.label:
            return render(
                workflow.label, {name: values.get(name, "?") for name in _fields(workflow.label)} | values
            )
        return " ".join(subject[1].split("\x1f")) or workflow.title

    def keys(
        self, subject: NodeKey, members: Iterable[NodeKey], nodes: Sequence[Node]
    ) -> dict[str, list[str]]:
        keys: dict[str, list[str]] = {}
        if subject[0] == SUBJECT and self.workflow.subject:
            for name, value in zip(self.workflow.subject, subject[1].split("\x1f"), strict=False):
                keys[name] = [nodes[0].captures.get(name, value)]
        for name, value in sorted(key for key in members if key[0] not in (SUBJECT, ANONYMOUS)):
            shown = keys.setdefault(name, [])
            if value not in shown and len(shown) < MAX_VALUES:
                shown.append(value)
        return keys


def _anonymous(members: list[NodeKey]) -> bool:
    return all(key[0] == ANONYMOUS for key in members)


def _fields(template: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", template)


def subject_node(workflow: Workflow, keyed: Mapping[str, str]) -> NodeKey | None:
    """The subject's node when a record names all of the subject (always, for a
    workflow whose subject is the machine)."""
    if all(name in keyed for name in workflow.subject):
        return (SUBJECT, "\x1f".join(keyed[name] for name in workflow.subject))
    return None


def merged(nodes: Iterable[Node], shared: Mapping[str, PhaseMarks]) -> dict[str, PhaseMarks]:
    result: dict[str, PhaseMarks] = {key: value.merged(PhaseMarks()) for key, value in shared.items()}
    for node in nodes:
        for phase_key, marks in node.phases.items():
            known = result.get(phase_key)
            result[phase_key] = marks.merged(PhaseMarks()) if known is None else known.merged(marks)
    return result


def steps_of(nodes: Iterable[Node]) -> list[tuple[str, str]]:
    """(step key, its name), in the order steps first started."""
    steps: list[tuple[str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        for key in node.steps:
            if key not in seen:
                seen.add(key)
                steps.append((key, node.titles.get(key, key)))
    return steps


def children_of(nodes: Iterable[Node]) -> dict[str, list[ChildTrace]]:
    """Per step key, the children its records traced, across the story's nodes."""
    found: dict[str, list[ChildTrace]] = {}
    for node in nodes:
        for key, traces in node.children.items():
            found.setdefault(key, []).extend(traces)
    return found


def note_step(
    workflow: Workflow, node: Node, captures: Mapping[str, str], mark: str, seen: Seen
) -> str | None:
    """A step's record: a start opens the step it names (its name and pointer);
    another record marks the step it names (the latest of that name when it
    gives no pointer), else the step last opened. The step's key (None when
    the story has too many steps)."""
    name = captures.get(workflow.step_keys[0]) if workflow.step_keys else None
    key = node.current_step
    if name is not None:
        key = STEP + " #".join(captures[part] for part in workflow.step_keys if captures.get(part))
        if key not in node.titles and mark != "started":
            key = next((step for step in reversed(node.steps) if node.titles[step] == name), key)
        if key not in node.titles and len(node.steps) < MAX_STEPS:
            node.steps.append(key)
            node.titles[key] = name
        if mark == "started":
            node.current_step = key
    if key is None:  # a step's outcome with no step opened before it (a log that starts mid-run)
        key = STEP + UNNAMED
        if key not in node.titles:
            node.steps.append(key)
            node.titles[key] = UNNAMED
    if key in node.titles:
        node.add(key, seen)
        return key
    return None


UNNAMED = "(a step the log does not name)"
