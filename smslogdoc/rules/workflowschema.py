"""Checking a workflow file: the YAML of one workflow (`kind: workflow`) turned
into a `Workflow`, with every error found, each naming the file, the workflow,
the key path and the YAML line, as for rules (`rules.schema`). Events use the
rules' matcher syntax and are checked by the same code; the keys that only
document an event (`seen`, `sources`, `versions`, `unverified`, `reported`,
`seen_partial`, `note`) and the workflow (`references`, `status_meanings`) are
accepted beside it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.rules import yamlnodes
from smslogdoc.rules.checker import Checker, RuleError, opened
from smslogdoc.rules.model import Matcher, is_glob
from smslogdoc.rules.schema import matchers
from smslogdoc.rules.suggest import did_you_mean
from smslogdoc.rules.templates import parse_duration
from smslogdoc.rules.workflow import (
    MARKS,
    NORMALIZERS,
    WORKFLOW_KINDS,
    ChildSpec,
    KeySpec,
    Link,
    Marker,
    Phase,
    Workflow,
)
from smslogdoc.rules.workflowchild import child_spec
from smslogdoc.rules.workflowmarkers import markers

_KEYS = {
    "kind": "workflow",
    "id": "the workflow's id, equal to its file name",
    "workflow": f"what it is about: one of {', '.join(WORKFLOW_KINDS)} (default: the id)",
    "title": "one line naming the deployment it follows",
    "applies_to": "log kinds or file-name globs its events are met in",
    "keys": "identifiers a deployment is known by, with how to normalise them",
    "subject": "the keys that make one story",
    "stands_for": "keys that make a story of their own when no subject joins them",
    "label": "how a story is named (template over keys and captures)",
    "by_thread": "true: a record naming no key belongs to its thread's deployment",
    "stalled_after": "how long the logs must go on after the chain stops to call it stalled",
    "events": "named single-event matchers (the rules' syntax)",
    "links": "events whose record names two keys of one deployment",
    "steps": "the markers of every step, for workflows whose phases include their steps",
    "phases": "the phases in order, each with its markers",
    "status_meanings": "the published meanings of a status number a step's child stories are read with",
    "references": "where the phases and markers come from",
    "examples": "logs with the story they must tell",
}
_REQUIRED = ("kind", "id", "title", "events", "phases")
_EVENT_DOC_KEYS = (
    "seen",
    "sources",
    "versions",
    "unverified",
    "reported",
    "seen_partial",
    "note",
    "ambiguous",
)
_PHASE_KEYS = ("id", "title", "next_log", "dynamic", "final", *MARKS)
_STEP_KEYS = ("key", "child_story", *MARKS)
_MARKER_KEYS = ("event", "rule", "reason", "until", "where", "after", "before", "verdict", "run")
_EXPECT_KEYS = ("verdict", "failed_phase", "last_succeeded_phase", "waiting_for", "stories")


def is_workflow(text: str) -> bool:
    """Whether a YAML file's text declares a workflow (cheap: a line `kind: workflow`)."""
    return re.search(r"(?m)^kind:\s*['\"]?workflow['\"]?\s*(?:#.*)?$", text) is not None


def parse_workflow(
    text: str, path: str, kinds: KindTable | None = None, *, check: bool = True
) -> tuple[Workflow | None, list[RuleError]]:
    """One workflow from the text of its file, or None and every error found."""
    kinds = kinds or load_kinds()
    what = "a workflow file holds one mapping (kind: workflow, id: ..., phases: ...)"
    checker, data, _ = opened(text, path, _KEYS, _REQUIRED, what, check=check, noun="workflow")
    if data is None or checker.errors:
        return None, checker.errors
    workflow = _build(data, checker, kinds)
    return (workflow if not checker.errors else None), checker.errors


def _build(data: dict[str, object], checker: Checker, kinds: KindTable) -> Workflow | None:
    workflow_id, kind = _identity(data, checker)
    applies_to = checker.strings(data, "applies_to", ())
    for index, target in enumerate(applies_to):
        if not is_glob(target) and target not in kinds:
            checker.error(
                ("applies_to", index), f"unknown log kind {target!r}{did_you_mean(target, list(kinds.kinds))}"
            )
    keys = _keys(checker, data.get("keys", {}))
    subject = checker.strings(data, "subject", ())
    for index, name in enumerate(subject):
        if name not in keys:
            checker.error(
                ("subject", index), f"undefined key {name!r}; keys defined: {', '.join(keys) or 'none'}"
            )
    stands_for = checker.strings(data, "stands_for", ())
    for index, name in enumerate(stands_for):
        if name not in keys:
            checker.error(
                ("stands_for", index), f"undefined key {name!r}; keys defined: {', '.join(keys) or 'none'}"
            )
    events = _events(checker, data.get("events"), kinds)
    steps = data.get("steps", {})
    step_keys: tuple[str, ...] = ()
    step_marks: dict[str, tuple[Marker, ...]] = {}
    child: ChildSpec | None = None
    if steps:
        step_keys, step_marks = _steps(checker, steps, events)
        if isinstance(steps, dict) and "child_story" in steps:
            child = child_spec(checker, steps["child_story"], data.get("status_meanings"), events)
    phases = _phases(checker, data.get("phases"), events, bool(steps))
    label = data.get("label", "")
    if not isinstance(label, str):
        checker.error(("label",), "expected text")
    _examples(checker, data.get("examples", []))
    if checker.errors:
        return None
    return Workflow(
        id=workflow_id,
        title=str(data.get("title", "")),
        kind=kind,
        applies_to=applies_to,
        keys=keys,
        subject=subject,
        label=str(label),
        events=events,
        links=_links(checker, data.get("links", []), events, keys),
        phases=phases,
        path=checker.path,
        stands_for=stands_for,
        ambiguous=_ambiguous(data.get("events")),
        step_keys=step_keys,
        step_marks=step_marks,
        child=child,
        stalled_after=_duration(checker, data),
        by_thread=data.get("by_thread") is True,
    )


def _ambiguous(raw: object) -> frozenset[str]:
    """The events marked `ambiguous: true` (other deployments write them alike)."""
    if not isinstance(raw, dict):
        return frozenset()
    return frozenset(
        str(name) for name, spec in raw.items() if isinstance(spec, dict) and spec.get("ambiguous") is True
    )


def _identity(data: dict[str, object], checker: Checker) -> tuple[str, str]:
    workflow_id = data.get("id")
    if not isinstance(workflow_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", workflow_id):
        checker.error(("id",), "use lower-case letters, digits, dots, hyphens and underscores")
        return "", ""
    stem = Path(checker.path).stem
    if workflow_id != stem and not checker.path.startswith("<"):
        checker.error(("id",), f"must equal the file name ({stem!r})")
    kind = data.get("workflow", workflow_id)
    if kind not in WORKFLOW_KINDS:
        checker.error(
            ("workflow",),
            f"expected one of {', '.join(WORKFLOW_KINDS)}, got {kind!r}{did_you_mean(str(kind), WORKFLOW_KINDS)}",
        )
    if not isinstance(data.get("title"), str) or not str(data["title"]).strip():
        checker.error(("title",), "expected text")
    return workflow_id, str(kind)


def _duration(checker: Checker, data: Mapping[str, object]) -> float:
    if "stalled_after" not in data:
        return 7200.0
    try:
        return parse_duration(data["stalled_after"])
    except ValueError as error:
        checker.error(("stalled_after",), str(error))
        return 7200.0


def _keys(checker: Checker, raw: object) -> dict[str, KeySpec]:
    if not isinstance(raw, dict):
        checker.error(("keys",), "expected a mapping of key names to {normalize: [...]}")
        return {}
    keys: dict[str, KeySpec] = {}
    for name, spec in raw.items():
        path: yamlnodes.Path = ("keys", name)
        spec = spec or {}
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_]\w*", name) or not isinstance(spec, dict):
            checker.error(path, "expected a key name (a word) mapped to {normalize: [...]}")
            continue
        for key in spec:
            if key != "normalize":
                checker.error((*path, key), "unknown key; expected normalize")
        steps = checker.strings(spec, "normalize", path)
        for index, step in enumerate(steps):
            if step not in NORMALIZERS:
                checker.error(
                    (*path, "normalize", index),
                    f"expected one of {', '.join(NORMALIZERS)}{did_you_mean(step, NORMALIZERS)}",
                )
        keys[name] = KeySpec(name, steps)
    return keys


def _events(checker: Checker, raw: object, kinds: KindTable) -> dict[str, Matcher]:
    """The events, checked by the rules' own matcher code once their
    documentation keys are set aside."""
    if not isinstance(raw, dict):
        return matchers(checker, raw, kinds)  # says what is expected
    stripped = {
        name: {key: value for key, value in spec.items() if key not in _EVENT_DOC_KEYS}
        if isinstance(spec, dict)
        else spec
        for name, spec in raw.items()
    }
    return matchers(checker, stripped, kinds)


def _links(
    checker: Checker, raw: object, events: Mapping[str, Matcher], keys: Mapping[str, KeySpec]
) -> tuple[Link, ...]:
    if not isinstance(raw, list):
        checker.error(("links",), "expected a list of event names or {event: name, weak: true, next: name}")
        return ()
    links = []
    for index, item in enumerate(raw):
        path: yamlnodes.Path = ("links", index)
        spec = item if isinstance(item, dict) else {"event": item}
        for key in spec:
            if key not in ("event", "weak", "next"):
                checker.error((*path, key), "unknown key; expected event, weak or next")
        name, following = spec.get("event"), spec.get("next")
        if (
            not isinstance(name, str)
            or name not in events
            or (following is not None and following not in events)
        ):
            checker.error(
                path,
                f"undefined event {name if following is None else (name, following)!r}; events defined: {', '.join(events)}",
            )
            continue
        both = events[name].captures | (events[following].captures if following else frozenset())
        captured = both & set(keys)
        if len(captured) < 2 and following is None:
            checker.error(
                path,
                f"a link must capture two keys; {name!r} captures {', '.join(sorted(captured)) or 'none'}",
            )
            continue
        links.append(Link(name, spec.get("weak") is True, following))
    return tuple(links)


def _steps(
    checker: Checker, raw: object, events: Mapping[str, Matcher]
) -> tuple[tuple[str, ...], dict[str, tuple[Marker, ...]]]:
    if not isinstance(raw, dict):
        checker.error(("steps",), "expected a mapping: key, started, succeeded, failed ...")
        return (), {}
    for key in raw:
        if key not in _STEP_KEYS:
            checker.error(
                ("steps", key),
                f"unknown key; expected one of {', '.join(_STEP_KEYS)}{did_you_mean(str(key), _STEP_KEYS)}",
            )
    step_keys = checker.strings(raw, "key", ("steps",)) or ("step",)
    marks = {mark: markers(checker, ("steps", mark), raw[mark], events) for mark in MARKS if mark in raw}
    if not any(step_keys[0] in events[m.event].captures for m in marks.get("started", ()) if m.event):
        checker.error(
            ("steps", "started"), f"the steps need a started event that captures {{{step_keys[0]}}}"
        )
    return step_keys, marks


def _phases(
    checker: Checker, raw: object, events: Mapping[str, Matcher], has_steps: bool
) -> tuple[Phase, ...]:
    if not isinstance(raw, list) or not raw:
        checker.error(
            ("phases",), "expected a list of phases, each {id: ..., succeeded: [...], failed: [...]}"
        )
        return ()
    phases: list[Phase] = []
    for index, spec in enumerate(raw):
        path: yamlnodes.Path = ("phases", index)
        if (
            not isinstance(spec, dict)
            or not isinstance(spec.get("id"), str)
            or not re.fullmatch(r"[a-z][a-z0-9_]*", spec["id"])
        ):
            checker.error(path, "expected a mapping with an id (lower-case words joined by _) and markers")
            continue
        for key in spec:
            if key not in _PHASE_KEYS:
                checker.error(
                    (*path, key),
                    f"unknown key; expected one of {', '.join(_PHASE_KEYS)}{did_you_mean(str(key), _PHASE_KEYS)}",
                )
        if any(phase.id == spec["id"] for phase in phases):
            checker.error((*path, "id"), f"duplicate phase id {spec['id']!r}")
        dynamic = spec.get("dynamic")
        if dynamic not in (None, "steps") or (dynamic and not has_steps):
            checker.error((*path, "dynamic"), "dynamic: steps needs the workflow's steps")
        marks = {mark: markers(checker, (*path, mark), spec[mark], events) for mark in MARKS if mark in spec}
        title, next_log = spec.get("title", spec["id"]), spec.get("next_log", "")
        if not isinstance(title, str) or not isinstance(next_log, str):
            checker.error(path, "title and next_log are text")
            continue
        phases.append(
            Phase(
                spec["id"], title, next_log, marks, final=spec.get("final") is True, steps=dynamic == "steps"
            )
        )
    if has_steps and sum(phase.steps for phase in phases) != 1:
        checker.error(("phases",), "one phase holds the steps (dynamic: steps)")
    return tuple(phases)


def _examples(checker: Checker, raw: object) -> None:
    """Examples are run by `rules test`; here only their shape is checked."""
    if not isinstance(raw, list):
        checker.error(("examples",), "expected a list of examples")
        return
    for index, item in enumerate(raw):
        path: yamlnodes.Path = ("examples", index)
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("files"), dict)
            or not isinstance(item.get("expect"), dict)
        ):
            checker.error(path, "expected {name: ..., expect: {verdict: ...}, files: {name: text}}")
            continue
        for key in item["expect"]:
            if key not in _EXPECT_KEYS:
                checker.error(
                    (*path, "expect", key), f"unknown key; expected one of {', '.join(_EXPECT_KEYS)}"
                )
