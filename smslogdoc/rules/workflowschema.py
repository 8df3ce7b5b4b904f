"""Checking a workflow file: the YAML of one workflow (`kind: workflow`) turned
into a `Workflow`, with every error found, each naming the file, the workflow,
the key path and the YAML line, as for rules (`rules.schema`). Events use the
rules' matcher syntax and are checked by the same code; a few keys that only
document an event (`seen`, `sources`, `versions`, `unverified`, `note`) are
accepted beside it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from smslogdoc.errors import RuleError
from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.rules import yamlnodes
from smslogdoc.rules.model import Matcher, is_glob
from smslogdoc.rules.schema import _Checker, _matchers
from smslogdoc.rules.suggest import did_you_mean
from smslogdoc.rules.templates import parse_duration, placeholders
from smslogdoc.rules.workflow import (
    MARKS,
    NORMALIZERS,
    STEP_FIELD,
    WORKFLOW_KINDS,
    KeySpec,
    Link,
    Marker,
    Phase,
    Workflow,
)

KIND = "workflow"
"""The `kind:` that marks a workflow file among rule files."""

_KEYS = {
    "kind": "workflow",
    "id": "the workflow's id, equal to its file name",
    "workflow": f"what it is about: one of {', '.join(WORKFLOW_KINDS)} (default: the id)",
    "title": "one line naming the deployment it follows",
    "applies_to": "log kinds or file-name globs its events are met in",
    "keys": "identifiers a deployment is known by, with how to normalise them",
    "subject": "the keys that make one story",
    "label": "how a story is named (template over keys and captures)",
    "by_thread": "true: a record naming no key belongs to its thread's deployment",
    "stalled_after": "how long the logs must go on after the chain stops to call it stalled",
    "events": "named single-event matchers (the rules' syntax)",
    "links": "events whose record names two keys of one deployment",
    "phases": "the phases in order, each with its markers",
    "references": "where the phases and markers come from",
    "examples": "logs with the story they must tell",
}
_REQUIRED = ("kind", "id", "title", "events", "phases")
_EVENT_DOC_KEYS = ("seen", "sources", "versions", "unverified", "note")
_PHASE_KEYS = ("id", "title", "next_log", "steps", "final", *MARKS)
_MARKER_KEYS = ("event", "rule", "reason", "until")
_EXPECT_KEYS = ("verdict", "failed_phase", "last_succeeded_phase", "waiting_for", "stories")


def is_workflow(text: str) -> bool:
    """Whether a YAML file's text declares a workflow (cheap: a line `kind: workflow`)."""
    return re.search(r"(?m)^kind:\s*['\"]?workflow['\"]?\s*(?:#.*)?$", text) is not None


def parse_workflow(
    text: str, path: str, kinds: KindTable | None = None, *, check: bool = True
) -> tuple[Workflow | None, list[RuleError]]:
    """One workflow from the text of its file, or None and every error found."""
    kinds = kinds or load_kinds()
    try:
        document = yamlnodes.load(text)
    except yamlnodes.YamlError as error:
        return None, [RuleError(path, str(error), line=error.line)]
    checker = _Checker(path, document, check=check)
    data = document.data
    if not isinstance(data, dict):
        checker.error((), "a workflow file holds one mapping (kind: workflow, id: ..., phases: ...)")
        return None, checker.errors
    if isinstance(data.get("id"), str):
        checker.rule_id = data["id"]
    for key in data:
        if key not in _KEYS:
            checker.error(
                (key,), f"unknown key; expected one of {', '.join(_KEYS)}{did_you_mean(key, _KEYS)}"
            )
    for key in _REQUIRED:
        if key not in data:
            checker.error((), f"missing required key {key!r} ({_KEYS[key]})")
    if checker.errors:
        return None, checker.errors
    workflow = _build(data, checker, kinds)
    return (workflow if not checker.errors else None), checker.errors


def _build(data: dict[str, object], checker: _Checker, kinds: KindTable) -> Workflow | None:
    workflow_id = _text(checker, data, "id")
    stem = Path(checker.path).stem
    if workflow_id and workflow_id != stem and not checker.path.startswith("<"):
        checker.error(("id",), f"must equal the file name ({stem!r})")
    kind = data.get("workflow", workflow_id)
    if kind not in WORKFLOW_KINDS:
        checker.error(
            ("workflow",),
            f"expected one of {', '.join(WORKFLOW_KINDS)}, got {kind!r}{did_you_mean(str(kind), WORKFLOW_KINDS)}",
        )
    applies_to = _strings(checker, data, "applies_to")
    for index, target in enumerate(applies_to):
        if not is_glob(target) and target not in kinds:
            checker.error(
                ("applies_to", index), f"unknown log kind {target!r}{did_you_mean(target, list(kinds.kinds))}"
            )
    keys = _keys(checker, data.get("keys", {}))
    subject = _strings(checker, data, "subject")
    for index, name in enumerate(subject):
        if name not in keys:
            checker.error(
                ("subject", index), f"undefined key {name!r}; keys defined: {', '.join(keys) or 'none'}"
            )
    events = _events(checker, data.get("events"), kinds)
    links = _links(checker, data.get("links", []), events, keys)
    phases = _phases(checker, data.get("phases"), events)
    label = data.get("label", "")
    if not isinstance(label, str):
        checker.error(("label",), "expected text")
        label = ""
    stalled_after = 7200.0
    if "stalled_after" in data:
        try:
            stalled_after = parse_duration(data["stalled_after"])
        except ValueError as error:
            checker.error(("stalled_after",), str(error))
    by_thread = data.get("by_thread", False)
    if not isinstance(by_thread, bool):
        checker.error(("by_thread",), "expected true or false")
    _strings(checker, data, "references")
    _examples(checker, data.get("examples", []))
    if checker.errors:
        return None
    return Workflow(
        id=workflow_id,
        title=_text(checker, data, "title"),
        kind=str(kind),
        applies_to=applies_to,
        keys=keys,
        subject=subject,
        label=label,
        events=events,
        links=links,
        phases=phases,
        path=checker.path,
        stalled_after=stalled_after,
        by_thread=bool(by_thread),
    )


def _text(checker: _Checker, data: Mapping[str, object], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (key in _REQUIRED and not value.strip()):
        checker.error((key,), "expected text")
        return ""
    return value


def _strings(
    checker: _Checker, data: Mapping[str, object], key: str, path: yamlnodes.Path = ()
) -> tuple[str, ...]:
    value = data.get(key, ())
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        checker.error((*path, key), "expected text or a list of texts")
        return ()
    return tuple(value)


def _keys(checker: _Checker, raw: object) -> dict[str, KeySpec]:
    if not isinstance(raw, dict):
        checker.error(("keys",), "expected a mapping of key names to {normalize: [...]}")
        return {}
    keys: dict[str, KeySpec] = {}
    for name, spec in raw.items():
        path: yamlnodes.Path = ("keys", name)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_]\w*", name):
            checker.error(path, "key names are words (letters, digits, underscore)")
            continue
        spec = spec or {}
        if not isinstance(spec, dict):
            checker.error(path, "expected a mapping such as {normalize: [lower]}")
            continue
        for key in spec:
            if key != "normalize":
                checker.error((*path, key), "unknown key; expected normalize")
        steps = _strings(checker, spec, "normalize", path)
        for index, step in enumerate(steps):
            if step not in NORMALIZERS:
                checker.error(
                    (*path, "normalize", index),
                    f"expected one of {', '.join(NORMALIZERS)}{did_you_mean(step, NORMALIZERS)}",
                )
        keys[name] = KeySpec(name, steps)
    return keys


def _events(checker: _Checker, raw: object, kinds: KindTable) -> dict[str, Matcher]:
    """The events, checked by the rules' own matcher code once their
    documentation keys are set aside."""
    if not isinstance(raw, dict):
        return _matchers(checker, raw, kinds)  # says what is expected
    stripped: dict[object, object] = {}
    for name, spec in raw.items():
        if isinstance(spec, dict):
            spec = {key: value for key, value in spec.items() if key not in _EVENT_DOC_KEYS}
        stripped[name] = spec
    return _matchers(checker, stripped, kinds)


def _links(
    checker: _Checker, raw: object, events: Mapping[str, Matcher], keys: Mapping[str, KeySpec]
) -> tuple[Link, ...]:
    if not isinstance(raw, list):
        checker.error(("links",), "expected a list of event names or {event: name, weak: true}")
        return ()
    links = []
    for index, item in enumerate(raw):
        path: yamlnodes.Path = ("links", index)
        weak = False
        if isinstance(item, dict):
            weak = item.get("weak", False)
            if not isinstance(weak, bool):
                checker.error((*path, "weak"), "expected true or false")
            for key in item:
                if key not in ("event", "weak"):
                    checker.error((*path, key), "unknown key; expected event or weak")
            item = item.get("event")
        if not isinstance(item, str) or item not in events:
            checker.error(path, f"undefined event {item!r}; events defined: {', '.join(events) or 'none'}")
            continue
        named = events[item].captures & set(keys)
        if len(named) < 2:
            checker.error(
                path, f"a link must capture two keys; {item!r} captures {', '.join(sorted(named)) or 'none'}"
            )
            continue
        links.append(Link(item, bool(weak)))
    return tuple(links)


def _phases(checker: _Checker, raw: object, events: Mapping[str, Matcher]) -> tuple[Phase, ...]:
    if not isinstance(raw, list) or not raw:
        checker.error(
            ("phases",), "expected a list of phases, each {id: ..., succeeded: [...], failed: [...]}"
        )
        return ()
    phases: list[Phase] = []
    seen: set[str] = set()
    for index, spec in enumerate(raw):
        path: yamlnodes.Path = ("phases", index)
        if not isinstance(spec, dict):
            checker.error(path, "expected a mapping with id and markers")
            continue
        for key in spec:
            if key not in _PHASE_KEYS:
                checker.error(
                    (*path, key),
                    f"unknown key; expected one of {', '.join(_PHASE_KEYS)}{did_you_mean(str(key), _PHASE_KEYS)}",
                )
        phase_id = spec.get("id")
        if not isinstance(phase_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", phase_id):
            checker.error((*path, "id"), "expected a phase id (lower-case words joined by _)")
            continue
        if phase_id in seen:
            checker.error((*path, "id"), f"duplicate phase id {phase_id!r}")
        seen.add(phase_id)
        steps, final = spec.get("steps", False), spec.get("final", False)
        if not isinstance(steps, bool) or not isinstance(final, bool):
            checker.error(path, "steps and final are true or false")
            steps = final = False
        marks = {mark: _markers(checker, (*path, mark), spec[mark], events) for mark in MARKS if mark in spec}
        if steps and not any(
            STEP_FIELD in events[m.event].captures for m in marks.get("started", ()) if m.event
        ):
            checker.error(
                (*path, "started"), f"a steps phase needs a started event that captures {{{STEP_FIELD}}}"
            )
        title, next_log = spec.get("title", phase_id), spec.get("next_log", "")
        if not isinstance(title, str) or not isinstance(next_log, str):
            checker.error(path, "title and next_log are text")
            continue
        phases.append(Phase(phase_id, title, next_log, marks, final=final, steps=steps))
    if sum(phase.steps for phase in phases) > 1:
        checker.error(("phases",), "at most one phase holds the steps")
    return tuple(phases)


def _markers(
    checker: _Checker, path: yamlnodes.Path, raw: object, events: Mapping[str, Matcher]
) -> tuple[Marker, ...]:
    items = raw if isinstance(raw, list) else [raw]
    markers = []
    for index, item in enumerate(items):
        where = (*path, index)
        if isinstance(item, str):
            item = {"event": item}
        if not isinstance(item, dict):
            checker.error(where, "expected an event name or {event: name, reason: '...'} or {rule: id}")
            continue
        for key in item:
            if key not in _MARKER_KEYS:
                checker.error((*where, key), f"unknown key; expected one of {', '.join(_MARKER_KEYS)}")
        event, rule = item.get("event"), item.get("rule")
        if (event is None) == (rule is None):
            checker.error(where, "say either event or rule")
            continue
        if event is not None and event not in events:
            checker.error(
                (*where, "event"),
                f"undefined event {event!r}; events defined: {', '.join(events) or 'none'}{did_you_mean(str(event), events)}",
            )
            continue
        if rule is not None and not isinstance(rule, str):
            checker.error((*where, "rule"), "expected a rule id")
            continue
        reason, until = item.get("reason", ""), item.get("until")
        if not isinstance(reason, str) or (until is not None and not isinstance(until, str)):
            checker.error(where, "reason is text and until a field name")
            continue
        captured = events[event].captures if event is not None else set()
        unknown = placeholders(reason) - captured
        if event is not None and unknown:
            checker.error(
                (*where, "reason"),
                f"unknown placeholder {{{sorted(unknown)[0]}}}; {event!r} captures {', '.join(sorted(captured)) or 'nothing'}",
            )
        if until is not None and event is not None and until not in captured:
            checker.error((*where, "until"), f"{event!r} captures no field {until!r}")
        markers.append(Marker(event, rule, reason, until))
    return tuple(markers)


def _examples(checker: _Checker, raw: object) -> None:
    """Examples are run by `rules test` (see `rules.examples`); here only their shape is checked."""
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
