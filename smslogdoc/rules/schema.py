"""Checking a rule file: the YAML of one rule turned into a `Rule`, with every
error found (unknown keys with what was expected, bad patterns and durations,
undefined event names, placeholders no event captures), each naming the file,
the rule, the key path and the YAML line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import regex

from smslogdoc.codes.explain import parse_code
from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.model import Level, Severity
from smslogdoc.rules import yamlnodes
from smslogdoc.rules.checker import Checker, RuleError, opened
from smslogdoc.rules.condition import Condition, parse_conditions
from smslogdoc.rules.model import (
    CONFIDENCES,
    SEVERITIES,
    SUMMARY_ID,
    TEMPLATE_FIELDS,
    Example,
    Matcher,
    Pattern,
    Rule,
    is_glob,
    shared_pattern,
)
from smslogdoc.rules.suggest import did_you_mean
from smslogdoc.rules.templates import placeholders

_RULE_KEYS = {
    "id": "the rule's id, equal to its file name",
    "title": "one line saying what the rule finds",
    "severity": "error, warning or info",
    "confidence": "high, medium or low",
    "applies_to": "log kinds or file-name globs",
    "products": "product generations the rule covers (for the coverage table)",
    "events": "named single-event matchers",
    "condition": "how the named events must relate",
    "diagnosis": "what went wrong (template)",
    "cause": "why it happens (template)",
    "fix": "what to do, as a list of steps (templates)",
    "references": "KB articles and documentation",
    "next_logs": "what to collect next when the evidence is thin",
    "examples": "logs where the rule must fire and must stay silent",
    "fallback": "true for a generic verdict that a specific rule explaining the same run replaces",
}
_REQUIRED = ("id", "title", "severity", "events", "condition", "diagnosis", "fix")
_MATCHER_KEYS = (
    "message",
    "not_message",
    "component",
    "severity",
    "thread",
    "log",
    "section",
    "key",
    "value",
    "code",
    "case_sensitive",
)


def parse_rule(
    text: str, path: str, kinds: KindTable | None = None, *, check: bool = True
) -> tuple[Rule | None, list[RuleError]]:
    """One rule from the text of its file, or None and every error found."""
    kinds = kinds or load_kinds()
    what = "a rule file holds one mapping (id: ..., title: ..., events: ..., condition: ...)"
    checker, data, missing = opened(text, path, _RULE_KEYS, _REQUIRED, what, check=check)
    if data is None:
        return None, checker.errors
    before = len(checker.errors)
    rule = _build(data, checker, kinds)  # every other error too, beside unknown and missing keys
    checker.errors[before:] = [error for error in checker.errors[before:] if error.key not in missing]
    return (rule if not checker.errors else None), checker.errors


def _text(checker: Checker, data: dict[str, object], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (key in _REQUIRED and not value.strip()):
        checker.error((key,), "expected text")
        return ""
    return value


def _build(data: dict[str, object], checker: Checker, kinds: KindTable) -> Rule | None:
    rule_id, severity, confidence = _header(checker, data)
    applies_to = checker.strings(data, "applies_to", ())
    for index, target in enumerate(applies_to):
        if not is_glob(target) and target not in kinds:
            checker.error(
                ("applies_to", index),
                f"unknown log kind {target!r}{did_you_mean(target, kinds.kinds)}; use one of {', '.join(sorted(kinds.kinds))} or a file-name glob like 'ccmsetup*.log'",
            )
    before = len(checker.errors)
    events = matchers(checker, data.get("events"), kinds)
    events_valid = len(checker.errors) == before  # else captures are unknown: no placeholder check
    conditions = parse_conditions(
        checker, data.get("condition"), {name: matcher.captures for name, matcher in events.items()}
    )
    fix = _fix(checker, data)
    texts: list[tuple[yamlnodes.Path, str]] = [
        (("diagnosis",), _text(checker, data, "diagnosis")),
        (("cause",), _text(checker, data, "cause")),
    ]
    texts += [(("fix", index), step) for index, step in enumerate(fix)]
    texts += [
        (("next_logs", index), hint) for index, hint in enumerate(checker.strings(data, "next_logs", ()))
    ]
    if events_valid:
        _placeholders(checker, texts, events, conditions)
    fallback = data.get("fallback", False)
    if not isinstance(fallback, bool):
        checker.error(("fallback",), "expected true or false")
    examples = _examples(checker, data.get("examples", []))
    if checker.errors:
        return None
    return Rule(
        id=rule_id,
        title=_text(checker, data, "title"),
        severity=Level(severity),
        confidence=confidence,
        applies_to=applies_to,
        events=events,
        conditions=conditions,
        diagnosis=texts[0][1],
        cause=texts[1][1],
        fix=tuple(fix),
        path=checker.path,
        references=checker.strings(data, "references", ()),
        next_logs=checker.strings(data, "next_logs", ()),
        products=checker.strings(data, "products", ()),
        examples=examples,
        fallback=bool(fallback),
    )


def _header(checker: Checker, data: dict[str, object]) -> tuple[str, str, str]:
    """The rule's id, severity and confidence, checked."""
    rule_id = _text(checker, data, "id")
    stem = Path(checker.path).stem
    if rule_id and rule_id != stem and not checker.path.startswith("<"):
        checker.error(("id",), f"must equal the file name ({stem!r})")
    if rule_id and not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", rule_id):
        checker.error(("id",), "use lower-case letters, digits, dots and hyphens")
    if rule_id == SUMMARY_ID:
        checker.error(
            ("id",),
            f"{rule_id!r} is the built-in summary of error records no rule explains; choose another id",
        )
    severity = _text(checker, data, "severity")
    if severity and severity not in SEVERITIES:
        checker.error(
            ("severity",),
            f"expected one of {', '.join(SEVERITIES)}, got {severity!r}{did_you_mean(severity, SEVERITIES)}",
        )
    confidence = data.get("confidence", "medium")
    if confidence not in CONFIDENCES:
        checker.error(
            ("confidence",),
            f"expected one of {', '.join(CONFIDENCES)}, got {confidence!r}{did_you_mean(confidence, CONFIDENCES)}",
        )
    return rule_id, severity, str(confidence)


def _fix(checker: Checker, data: dict[str, object]) -> list[str]:
    """The steps of `fix` (one text or a list of texts)."""
    fix = data.get("fix")
    if isinstance(fix, str):
        fix = [fix]
    if not isinstance(fix, list) or not fix:
        checker.error(("fix",), "expected a step, or a list of steps, of text")
        fix = []
    for index, step in enumerate(fix):
        if not isinstance(step, str) or not step.strip():
            hint = (
                " (quote a step that contains ': ', or YAML reads it as a mapping)"
                if isinstance(step, dict)
                else ""
            )
            checker.error(("fix", index), f"expected text{hint}")
    return [step for step in fix if isinstance(step, str)]


def _placeholders(
    checker: Checker,
    texts: list[tuple[yamlnodes.Path, str]],
    events: Mapping[str, Matcher],
    conditions: tuple[Condition, ...],
) -> None:
    """Each placeholder of the rule's texts is a field some event captures, and
    one every match of each condition fills."""
    captured = {name for matcher in events.values() for name in matcher.captures}
    for path, text in texts:
        unknown = placeholders(text) - captured - set(TEMPLATE_FIELDS)
        if unknown:
            names = ", ".join(sorted(captured | set(TEMPLATE_FIELDS)))
            checker.error(path, f"unknown placeholder {{{sorted(unknown)[0]}}}; available: {names}")
            continue
        for number, condition in enumerate(conditions, 1):
            unfilled = placeholders(text) - set(TEMPLATE_FIELDS) - _guaranteed(condition, events)
            if unfilled:
                where = f"condition {number}" if len(conditions) > 1 else "the condition"
                checker.error(
                    path,
                    f"placeholder {{{sorted(unfilled)[0]}}} may stay empty: no event {where} needs captures it",
                )
                break


def _guaranteed(condition: Condition, events: Mapping[str, Matcher]) -> set[str]:
    """Fields every match of `condition` captures: those each alternative of a
    step captures, and those of `requires` events."""
    fields: set[str] = set()
    for step in condition.steps:
        fields |= set.intersection(*(set(events[name].captures) for name in step))
    for name in condition.requires:
        fields |= events[name].captures
    return fields


def _compile(checker: Checker, path: yamlnodes.Path, pattern: object, case_sensitive: bool) -> Pattern | None:
    if not isinstance(pattern, str) or not pattern:
        checker.error(path, "expected a regular expression (text)")
        return None
    compiled = shared_pattern(pattern, 0 if case_sensitive else regex.IGNORECASE)
    if checker.check:
        try:
            compiled.compiled  # noqa: B018 - compiling is the check
        except regex.error as error:
            checker.error(path, f"bad regular expression: {error}")
            return None
        except (MemoryError, RecursionError, OverflowError) as error:  # too large for this machine
            checker.error(path, f"bad regular expression: too large to compile ({type(error).__name__})")
            return None
    return compiled


def matchers(checker: Checker, raw: object, kinds: KindTable) -> dict[str, Matcher]:
    if not isinstance(raw, dict) or not raw:
        checker.error(("events",), "expected a mapping of event names to matchers")
        return {}
    matchers: dict[str, Matcher] = {}
    for name, spec in raw.items():
        path: yamlnodes.Path = ("events", name)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_]\w*", name):
            checker.error(path, "event names are words (letters, digits, underscore)")
            continue
        if not isinstance(spec, dict) or not spec:
            checker.error(path, "expected a mapping such as {message: 'regular expression'}")
            continue
        for key in spec:
            if key not in _MATCHER_KEYS:
                checker.error(
                    (*path, key),
                    f"unknown key; expected one of {', '.join(_MATCHER_KEYS)}{did_you_mean(key, _MATCHER_KEYS)}",
                )
        case_sensitive = spec.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            checker.error((*path, "case_sensitive"), "expected true or false")
            case_sensitive = False
        patterns = {
            key: _compile(checker, (*path, key), spec[key], case_sensitive)
            for key in ("message", "not_message", "section", "key", "value")
            if key in spec
        }
        severities: set[Severity] = set()
        for level in checker.strings(spec, "severity", path):
            try:
                severities.add(Severity.parse(level))
            except ValueError as error:
                checker.error((*path, "severity"), str(error))
        thread = spec.get("thread")
        if thread is not None and (not isinstance(thread, int) or isinstance(thread, bool)):
            checker.error((*path, "thread"), "expected a thread number")
            thread = None
        logs = checker.strings(spec, "log", path)
        for target in logs:
            if not is_glob(target) and target not in kinds:
                checker.error(
                    (*path, "log"), f"unknown log kind {target!r}{did_you_mean(target, list(kinds.kinds))}"
                )
        message = patterns.get("message")
        codes = _codes(checker, (*path, "code"), spec.get("code"))
        matchers[name] = Matcher(
            name=name,
            message=message,
            not_message=patterns.get("not_message"),
            components=tuple(component.lower() for component in checker.strings(spec, "component", path)),
            severities=frozenset(severities),
            thread=thread,
            logs=logs,
            section=patterns.get("section"),
            key=patterns.get("key"),
            value=patterns.get("value"),
            codes=codes,
        )
    return matchers


def _codes(checker: Checker, path: yamlnodes.Path, raw: object) -> frozenset[int]:
    """`code: 0x87D00607` or a list of codes (hex, signed or unsigned decimal)."""
    if raw is None:
        return frozenset()
    values: set[int] = set()
    for index, item in enumerate(raw if isinstance(raw, list) else [raw]):
        value = parse_code(str(item)) if isinstance(item, (str, int)) and not isinstance(item, bool) else None
        if value is None:
            checker.error(
                (*path, index) if isinstance(raw, list) else path,
                f"expected an error code such as 0x87D00607, -2016410105 or 1603, got {item!r}",
            )
        else:
            values.add(value)
    return frozenset(values)


def _examples(checker: Checker, raw: object) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        checker.error(("examples",), "expected a list of examples")
        return ()
    examples = []
    for index, spec in enumerate(raw):
        path: yamlnodes.Path = ("examples", index)
        if not isinstance(spec, dict):
            checker.error(path, "expected a mapping with name, expect, files")
            continue
        for key in spec:
            if key not in ("name", "expect", "files", "cites"):
                checker.error(
                    (*path, key),
                    f"unknown key; expected one of name, expect, files, cites{did_you_mean(key, ('name', 'expect', 'files', 'cites'))}",
                )
        expect = spec.get("expect")
        if expect not in ("fire", "silent"):
            checker.error((*path, "expect"), "expected fire or silent")
        logs = spec.get("files")
        if (
            not isinstance(logs, dict)
            or not logs
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in logs.items())
        ):
            checker.error((*path, "files"), "expected a mapping of file names to log text")
            continue
        cites = spec.get("cites", [])
        if not isinstance(cites, list) or not all(
            isinstance(c, (int, str)) and not isinstance(c, bool) for c in cites
        ):
            checker.error((*path, "cites"), "expected a list of line numbers (or 'file:line')")
            cites = []
        if expect == "silent" and cites:
            checker.error((*path, "cites"), "a silent example cites nothing")
        examples.append(
            Example(
                str(spec.get("name", f"example {index + 1}")),
                str(expect),
                tuple(logs.items()),
                tuple(str(c) for c in cites),
            )
        )
    return tuple(examples)
