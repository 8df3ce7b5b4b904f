"""Rules: the YAML rule language, loaded and checked.

One rule per file, named after its id. A rule names single-event matchers
(`events`), says how they must relate (`condition`), and says what it means
(`diagnosis`, `fix`, ...). The language is documented in docs/rules.md; this
module is its only implementation. Loading collects every error of every file
before reporting, each naming the file, the rule, the key and the YAML line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import regex

from smslogdoc import yamlnodes
from smslogdoc.errors import RuleError
from smslogdoc.ini import split_key
from smslogdoc.kinds import KindTable, current_name, load_kinds
from smslogdoc.literals import required_literals
from smslogdoc.memo import Memo
from smslogdoc.model import Event, Severity

SEVERITIES = ("info", "warning", "error")
CONFIDENCES = ("low", "medium", "high")
BUILTIN_GROUPS = ("run", "thread", "log", "folder")
TEMPLATE_FIELDS = ("log", "run", "occurrences")
"""Placeholders every rule's texts may use besides its own captures."""

REGEX_TIMEOUT = 0.5
"""Seconds one pattern may spend on one record before the rule is stopped."""
SEEN_TEXTS = 1024
"""Texts whose match a pattern remembers (the memory is emptied when full)."""
ADJACENT_LINES = 64
"""An `adjacent` step must start within this many lines of the step before it."""

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
_MATCHER_KEYS = ("message", "not_message", "component", "severity", "thread", "log", "section", "key", "value", "case_sensitive")
_CONDITION_KEYS = ("any", "all", "sequence", "count", "min", "distinct", "by", "within", "absent", "unless", "requires", "supported_by", "context", "adjacent")
_SHAPES = ("any", "all", "sequence", "count")
_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*([smhd])\s*)+$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\w*)\}")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: object) -> float:
    """`30s`, `10m`, `2h`, `1d`, `1h30m` -> seconds; raises ValueError."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        raise ValueError(f"expected a duration with a unit like 30s, 10m, 2h or 1d, got {text!r}")
    if not isinstance(text, str) or not _DURATION.match(text):
        raise ValueError(f"expected a duration like 30s, 10m, 2h or 1d, got {text!r}")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in _DURATION_PART.findall(text))


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill `{name}` placeholders from `values` (never evaluated: plain substitution).
    `{{` and `}}` are literal braces; an unknown name stays as written."""

    def fill(found: re.Match[str]) -> str:
        token = found[0]
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        value = values.get(found[1])
        return token if value is None else str(value)

    return _PLACEHOLDER.sub(fill, template)


def placeholders(template: str) -> set[str]:
    """The names a template refers to."""
    return {found[1] for found in _PLACEHOLDER.finditer(template) if found[1] is not None}


@dataclass(frozen=True)
class LogScope:
    """The log a matcher is asked about: its kind and file name."""

    kind: str | None
    file_name: str

    @cached_property
    def name(self) -> str:
        """The current log's file name, lower case ('' for standard input)."""
        return current_name(self.file_name) if self.file_name else ""

    def is_one_of(self, targets: tuple[str, ...]) -> bool:
        """Whether this log is one of `targets` (kind names or file-name globs)."""
        name = self.name
        for target in targets:
            if target == self.kind:
                return True
            if _is_glob(target) and name and fnmatchcase(name, target.lower()):
                return True
        return False


def _is_glob(target: str) -> bool:
    return any(char in target for char in "*?[.")


_GROUP_NAME = re.compile(r"\(\?P?<([A-Za-z_]\w*)>")


@dataclass(frozen=True)
class Pattern:
    """A regular expression of a rule, compiled when first used: a run pays only
    for the rules that apply to its logs."""

    source: str
    flags: int

    @cached_property
    def compiled(self) -> regex.Pattern[str]:
        return regex.compile(self.source, self.flags)

    @cached_property
    def names(self) -> frozenset[str]:
        """The named groups it captures."""
        return frozenset(_GROUP_NAME.findall(self.source))

    def search(self, text: str) -> regex.Match[str] | None:
        return self.compiled.search(text, timeout=REGEX_TIMEOUT)

    def captures(self, text: str) -> Mapping[str, str] | None:
        """The named groups the first match in `text` sets, or None when there is
        no match. Remembered per text: a log repeats its messages run after run."""
        return self._seen.get(text, self._captures)

    def _captures(self, text: str) -> Mapping[str, str] | None:
        found = self.search(text)
        return None if found is None else {name: value for name, value in found.groupdict().items() if value is not None}

    @cached_property
    def _seen(self) -> Memo[str, Mapping[str, str] | None]:
        return Memo(SEEN_TEXTS)

    def fullmatch(self, text: str) -> regex.Match[str] | None:
        return self.compiled.fullmatch(text, timeout=REGEX_TIMEOUT)


@dataclass(frozen=True)
class Matcher:
    """A named test on one event."""

    name: str
    message: Pattern | None = None
    not_message: Pattern | None = None
    components: tuple[str, ...] = ()
    severities: frozenset[Severity] = frozenset()
    thread: int | None = None
    logs: tuple[str, ...] = ()
    section: Pattern | None = None
    key: Pattern | None = None
    value: Pattern | None = None

    @cached_property
    def literals(self) -> tuple[str, ...]:
        """Lower-case text one of which the message must hold; () means no shortcut."""
        return required_literals(self.message.source) if self.message is not None else ()

    @property
    def captures(self) -> set[str]:
        """The named groups this matcher's patterns capture."""
        names: set[str] = set()
        for pattern in (self.message, self.section, self.key, self.value):
            if pattern is not None:
                names.update(pattern.names)
        return names

    def match(self, event: Event) -> dict[str, str] | None:
        """The captured fields if `event` passes every test, else None.
        May raise TimeoutError (a pattern ran too long)."""
        if self.severities and event.severity not in self.severities:
            return None
        if self.thread is not None and event.thread != self.thread:
            return None
        if self.components:
            component = event.component.lower()
            if not any(fnmatchcase(component, wanted) for wanted in self.components):
                return None
        captured: dict[str, str] = {}
        ini = self.section is not None or self.key is not None or self.value is not None
        if ini and (event.format != "ini" or not self._ini(event, captured)):
            return None
        if self.message is not None:
            found = self.message.captures(event.message)
            if found is None:
                return None
            captured.update(found)
        if self.not_message is not None and self.not_message.captures(event.message) is not None:
            return None
        return captured

    def _ini(self, event: Event, captured: dict[str, str]) -> bool:
        if self.section is not None:
            found = self.section.fullmatch(event.component)
            if found is None:
                return False
            captured.update({k: v for k, v in found.groupdict().items() if v is not None})
        pair = split_key(event.message)
        if self.key is not None or self.value is not None:
            if pair is None:
                return False
            if self.key is not None:
                found = self.key.fullmatch(pair[0])
                if found is None:
                    return False
                captured.update({k: v for k, v in found.groupdict().items() if v is not None})
            if self.value is not None:
                found = self.value.search(pair[1])
                if found is None:
                    return False
                captured.update({k: v for k, v in found.groupdict().items() if v is not None})
        return True


@dataclass(frozen=True)
class Condition:
    """How a rule's named events must relate, within one group of events."""

    shape: str
    """any, all, sequence or count."""
    steps: tuple[tuple[str, ...], ...]
    """The events, each step a tuple of alternative matcher names."""
    by: tuple[str, ...] = ("log",)
    within: float | None = None
    absent: tuple[str, ...] = ()
    """Must not occur in the group (in the window): decided when the group ends."""
    unless: tuple[str, ...] = ()
    """Must not have occurred in the group before the match completes."""
    requires: tuple[str, ...] = ()
    """Must have occurred in the group before the match completes (cited as evidence)."""
    supported_by: tuple[str, ...] = ()
    """Optional; found in the group (near the match), cited and raising the confidence."""
    context: tuple[str, ...] = ()
    """Optional; found in the group (near the match), cited without changing the confidence."""
    adjacent: bool = False
    minimum: int = 1
    distinct: str | None = None

    @property
    def names(self) -> set[str]:
        """Every matcher name the condition uses."""
        used = {name for step in self.steps for name in step}
        return used | set(self.absent) | set(self.unless) | set(self.requires) | set(self.supported_by) | set(self.context)


@dataclass(frozen=True)
class Example:
    """A log a rule ships with, where it must fire (citing given lines) or stay silent."""

    name: str
    expect: str
    files: tuple[tuple[str, str], ...]
    cites: tuple[str, ...] = ()
    """`12` (in the only file) or `ccmsetup.log:12`."""


@dataclass(frozen=True)
class Rule:
    """One failure signature and what to do about it."""

    id: str
    title: str
    severity: str
    confidence: str
    applies_to: tuple[str, ...]
    events: Mapping[str, Matcher]
    conditions: tuple[Condition, ...]
    diagnosis: str
    fix: tuple[str, ...]
    path: str
    cause: str = ""
    references: tuple[str, ...] = ()
    next_logs: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    fallback: bool = False

    def applies(self, scope: LogScope) -> bool:
        """Whether the rule is run on the log `scope` describes."""
        return not self.applies_to or scope.is_one_of(self.applies_to)

    @property
    def rank(self) -> int:
        """Severity as a number (error highest)."""
        return SEVERITIES.index(self.severity)


# --- loading --------------------------------------------------------------------


@dataclass
class _Checker:
    """Collects the errors of one rule file."""

    path: str
    document: yamlnodes.Document
    rule_id: str | None = None
    errors: list[RuleError] = field(default_factory=list)
    check: bool = True
    """Compile every pattern now, to report bad ones (off for the bundled rules,
    which the test suite checks, so a run compiles only what it uses)."""

    def error(self, key: yamlnodes.Path, message: str) -> None:
        dotted = ".".join(str(part) for part in key) or None
        self.errors.append(RuleError(self.path, message, rule_id=self.rule_id, key=dotted, line=self.document.line(key)))


def bundled_rules_dir() -> Traversable:
    """The folder of the rules that ship with smslogdoc (the repository's rules/)."""
    return files("smslogdoc.bundled_rules")


def rule_files(folder: Traversable | Path) -> list[Traversable | Path]:
    """The rule files of a folder and its subfolders, in name order."""
    found: list[Traversable | Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        for entry in sorted(current.iterdir(), key=lambda item: item.name):
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith((".yaml", ".yml")):
                found.append(entry)
    return sorted(found, key=lambda item: str(item))


def load_rules(
    folders: Iterable[Path | Traversable], *, builtin: bool = True, kinds: KindTable | None = None, check_builtin: bool = True
) -> tuple[list[Rule], list[RuleError]]:
    """Every rule of the bundled folder (unless `builtin` is False) and of
    `folders`, with every error found. Rules with errors are left out.
    `check_builtin=False` trusts the bundled rules' patterns (checked by the
    test suite) and compiles them only when used; other rules are always checked."""
    kinds = kinds or load_kinds()
    sources: list[Traversable | Path] = []
    trusted = 0
    if builtin:
        sources.extend(rule_files(bundled_rules_dir()))
        trusted = len(sources) if not check_builtin else 0
    for folder in folders:
        if isinstance(folder, Path) and folder.is_file():
            sources.append(folder)
        elif isinstance(folder, Path) and not folder.is_dir():
            return [], [RuleError(folder, "no such rules folder or file")]
        else:
            sources.extend(rule_files(folder))
    rules: list[Rule] = []
    errors: list[RuleError] = []
    seen: dict[str, str] = {}
    for number, source in enumerate(sources):
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(RuleError(str(source), f"cannot read: {error}"))
            continue
        rule, problems = parse_rule(text, str(source), kinds, check=number >= trusted)
        errors.extend(problems)
        if rule is None:
            continue
        if rule.id in seen:
            errors.append(RuleError(str(source), f"duplicate rule id (also in {seen[rule.id]}); rename one, or use --no-builtin to replace the bundled rules", rule_id=rule.id, key="id"))
            continue
        seen[rule.id] = str(source)
        rules.append(rule)
    return rules, errors


def parse_rule(text: str, path: str, kinds: KindTable | None = None, *, check: bool = True) -> tuple[Rule | None, list[RuleError]]:
    """One rule from the text of its file, or None and every error found."""
    kinds = kinds or load_kinds()
    try:
        document = yamlnodes.load(text)
    except yamlnodes.YamlError as error:
        return None, [RuleError(path, str(error), line=error.line)]
    checker = _Checker(path, document, check=check)
    data = document.data
    if not isinstance(data, dict):
        checker.error((), "a rule file holds one mapping (id: ..., title: ..., events: ..., condition: ...)")
        return None, checker.errors
    if isinstance(data.get("id"), str):
        checker.rule_id = data["id"]
    for key in data:
        if key not in _RULE_KEYS:
            checker.error((key,), f"unknown key; expected one of {', '.join(_RULE_KEYS)}")
    for key in _REQUIRED:
        if key not in data:
            checker.error((), f"missing required key {key!r} ({_RULE_KEYS[key]})")
    if checker.errors:
        return None, checker.errors
    rule = _build(data, checker, kinds)
    return (rule if not checker.errors else None), checker.errors


def _text(checker: _Checker, data: dict[str, object], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (key in _REQUIRED and not value.strip()):
        checker.error((key,), "expected text")
        return ""
    return value


def _strings(checker: _Checker, data: Mapping[str, object], key: str, path: yamlnodes.Path) -> tuple[str, ...]:
    value = data.get(key, ())
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        checker.error((*path, key), "expected text or a list of texts")
        return ()
    return tuple(value)


def _build(data: dict[str, object], checker: _Checker, kinds: KindTable) -> Rule | None:
    rule_id = _text(checker, data, "id")
    stem = Path(checker.path).stem
    if rule_id and rule_id != stem and not checker.path.startswith("<"):
        checker.error(("id",), f"must equal the file name ({stem!r})")
    if rule_id and not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", rule_id):
        checker.error(("id",), "use lower-case letters, digits, dots and hyphens")
    severity = _text(checker, data, "severity")
    if severity and severity not in SEVERITIES:
        checker.error(("severity",), f"expected one of {', '.join(SEVERITIES)}, got {severity!r}")
    confidence = data.get("confidence", "medium")
    if confidence not in CONFIDENCES:
        checker.error(("confidence",), f"expected one of {', '.join(CONFIDENCES)}, got {confidence!r}")
    applies_to = _strings(checker, data, "applies_to", ())
    for index, target in enumerate(applies_to):
        if not _is_glob(target) and target not in kinds:
            checker.error(("applies_to", index), f"unknown log kind {target!r}; use one of {', '.join(sorted(kinds.kinds))} or a file-name glob like 'ccmsetup*.log'")
    before = len(checker.errors)
    events = _matchers(checker, data.get("events"), kinds)
    events_valid = len(checker.errors) == before  # else captures are unknown: no placeholder check
    conditions = _conditions(checker, data.get("condition"), events)
    captured = {name for matcher in events.values() for name in matcher.captures}
    fix = data.get("fix")
    if isinstance(fix, str):
        fix = [fix]
    if not isinstance(fix, list) or not fix:
        checker.error(("fix",), "expected a step, or a list of steps, of text")
        fix = []
    for index, step in enumerate(fix):
        if not isinstance(step, str) or not step.strip():
            hint = " (quote a step that contains ': ', or YAML reads it as a mapping)" if isinstance(step, dict) else ""
            checker.error(("fix", index), f"expected text{hint}")
    fix = [step for step in fix if isinstance(step, str)]
    texts: list[tuple[yamlnodes.Path, str]] = [(("diagnosis",), _text(checker, data, "diagnosis")), (("cause",), _text(checker, data, "cause"))]
    texts += [(("fix", index), step) for index, step in enumerate(fix)]
    texts += [(("next_logs", index), hint) for index, hint in enumerate(_strings(checker, data, "next_logs", ()))]
    for path, text in texts:
        unknown = placeholders(text) - captured - set(TEMPLATE_FIELDS)
        if unknown and events_valid:
            names = ", ".join(sorted(captured | set(TEMPLATE_FIELDS)))
            checker.error(path, f"unknown placeholder {{{sorted(unknown)[0]}}}; available: {names}")
        elif events_valid:
            for number, condition in enumerate(conditions, 1):
                unfilled = placeholders(text) - set(TEMPLATE_FIELDS) - _guaranteed(condition, events)
                if unfilled:
                    where = f"condition {number}" if len(conditions) > 1 else "the condition"
                    checker.error(path, f"placeholder {{{sorted(unfilled)[0]}}} may stay empty: no event {where} needs captures it")
                    break
    fallback = data.get("fallback", False)
    if not isinstance(fallback, bool):
        checker.error(("fallback",), "expected true or false")
    examples = _examples(checker, data.get("examples", []))
    if checker.errors:
        return None
    return Rule(
        id=rule_id,
        title=_text(checker, data, "title"),
        severity=severity,
        confidence=str(confidence),
        applies_to=applies_to,
        events=events,
        conditions=conditions,
        diagnosis=texts[0][1],
        cause=texts[1][1],
        fix=tuple(fix),
        path=checker.path,
        references=_strings(checker, data, "references", ()),
        next_logs=_strings(checker, data, "next_logs", ()),
        products=_strings(checker, data, "products", ()),
        examples=examples,
        fallback=bool(fallback),
    )


def _guaranteed(condition: Condition, events: Mapping[str, Matcher]) -> set[str]:
    """Fields every match of `condition` captures: those each alternative of a
    step captures, and those of `requires` events."""
    fields: set[str] = set()
    for step in condition.steps:
        fields |= set.intersection(*(events[name].captures for name in step))
    for name in condition.requires:
        fields |= events[name].captures
    return fields


def _compile(checker: _Checker, path: yamlnodes.Path, pattern: object, case_sensitive: bool) -> Pattern | None:
    if not isinstance(pattern, str) or not pattern:
        checker.error(path, "expected a regular expression (text)")
        return None
    compiled = Pattern(pattern, 0 if case_sensitive else regex.IGNORECASE)
    if checker.check:
        try:
            compiled.compiled  # noqa: B018 - compiling is the check
        except regex.error as error:
            checker.error(path, f"bad regular expression: {error}")
            return None
    return compiled


def _matchers(checker: _Checker, raw: object, kinds: KindTable) -> dict[str, Matcher]:
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
                checker.error((*path, key), f"unknown key; expected one of {', '.join(_MATCHER_KEYS)}")
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
        for level in _strings(checker, spec, "severity", path):
            try:
                severities.add(Severity.parse(level))
            except ValueError as error:
                checker.error((*path, "severity"), str(error))
        thread = spec.get("thread")
        if thread is not None and (not isinstance(thread, int) or isinstance(thread, bool)):
            checker.error((*path, "thread"), "expected a thread number")
            thread = None
        logs = _strings(checker, spec, "log", path)
        for target in logs:
            if not _is_glob(target) and target not in kinds:
                checker.error((*path, "log"), f"unknown log kind {target!r}")
        message = patterns.get("message")
        matchers[name] = Matcher(
            name=name,
            message=message,
            not_message=patterns.get("not_message"),
            components=tuple(component.lower() for component in _strings(checker, spec, "component", path)),
            severities=frozenset(severities),
            thread=thread,
            logs=logs,
            section=patterns.get("section"),
            key=patterns.get("key"),
            value=patterns.get("value"),
        )
    return matchers


def _names(checker: _Checker, path: yamlnodes.Path, raw: object, events: Mapping[str, Matcher], *, steps: bool) -> tuple[tuple[str, ...], ...]:
    items = raw if isinstance(raw, list) else [raw]
    result: list[tuple[str, ...]] = []
    for index, item in enumerate(items):
        options = item if (steps and isinstance(item, list)) else [item]
        names = []
        for option in options:
            if not isinstance(option, str):
                checker.error((*path, index), "expected an event name")
            elif option not in events:
                known = ", ".join(events) or "none"
                checker.error((*path, index), f"undefined event {option!r}; events defined: {known}")
            else:
                names.append(option)
        if names:
            result.append(tuple(names))
    return tuple(result)


def _conditions(checker: _Checker, raw: object, events: Mapping[str, Matcher]) -> tuple[Condition, ...]:
    if raw is None:
        checker.error(("condition",), "expected an event name or a mapping with any, all, sequence or count")
        return ()
    alternatives = raw if isinstance(raw, list) else [raw]
    conditions = []
    for index, spec in enumerate(alternatives):
        path: yamlnodes.Path = ("condition", index) if isinstance(raw, list) else ("condition",)
        condition = _condition(checker, path, spec, events)
        if condition is not None:
            conditions.append(condition)
    return tuple(conditions)


def _condition(checker: _Checker, path: yamlnodes.Path, spec: object, events: Mapping[str, Matcher]) -> Condition | None:
    if isinstance(spec, str):  # the short form: one event name
        if spec not in events:
            checker.error(path, f"undefined event {spec!r}; events defined: {', '.join(events) or 'none'}")
            return None
        spec = {"any": [spec]}
    if not isinstance(spec, dict):
        checker.error(path, "expected an event name or a mapping with any, all, sequence or count")
        return None
    for key in spec:
        if key not in _CONDITION_KEYS:
            checker.error((*path, key), f"unknown key; expected one of {', '.join(_CONDITION_KEYS)}")
    shapes = [shape for shape in _SHAPES if shape in spec]
    if len(shapes) != 1:
        checker.error(path, "say exactly one of any, all, sequence or count (absence alone has no evidence to cite)")
        return None
    shape = shapes[0]
    steps = _names(checker, (*path, shape), spec[shape], events, steps=shape in ("sequence", "all"))
    if shape == "any":
        steps = (tuple(name for step in steps for name in step),)
    if shape == "sequence" and (not isinstance(spec[shape], list) or len(spec[shape]) < 2):
        checker.error((*path, shape), "a sequence needs at least two steps")
    within = None
    if "within" in spec:
        try:
            within = parse_duration(spec["within"])
        except ValueError as error:
            checker.error((*path, "within"), str(error))
    by = _strings(checker, spec, "by", path) or ("log",)
    positive = {name for step in steps for name in step}
    for key in by:
        if key not in BUILTIN_GROUPS:
            lacking = sorted(name for name in positive if key not in events[name].captures)
            if lacking:
                checker.error((*path, "by"), f"{key!r} is not run, thread, log or folder, and event(s) {', '.join(lacking)} capture no field of that name")
    minimum = spec.get("min", 1)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        checker.error((*path, "min"), "expected a whole number of at least 1")
        minimum = 1
    if shape != "count" and ("min" in spec or "distinct" in spec):
        checker.error((*path, "min" if "min" in spec else "distinct"), "min and distinct belong to count")
    distinct = spec.get("distinct")
    if distinct is not None and (not isinstance(distinct, str) or any(distinct not in events[name].captures for name in positive)):
        checker.error((*path, "distinct"), "expected the name of a field every counted event captures")
        distinct = None
    adjacent = spec.get("adjacent", False)
    if adjacent and shape != "sequence":
        checker.error((*path, "adjacent"), "adjacent belongs to sequence")
    if adjacent and any(key not in BUILTIN_GROUPS for key in by):
        checker.error((*path, "adjacent"), "an adjacent sequence groups by run, thread, log or folder only")
    if not isinstance(adjacent, bool):
        checker.error((*path, "adjacent"), "expected true or false")
        adjacent = False
    return Condition(
        shape=shape,
        steps=steps,
        by=by,
        within=within,
        absent=_flat(checker, path, "absent", spec, events),
        unless=_flat(checker, path, "unless", spec, events),
        requires=_flat(checker, path, "requires", spec, events),
        supported_by=_flat(checker, path, "supported_by", spec, events),
        context=_flat(checker, path, "context", spec, events),
        adjacent=bool(adjacent),
        minimum=minimum,
        distinct=distinct,
    )


def _flat(checker: _Checker, path: yamlnodes.Path, key: str, spec: Mapping[str, object], events: Mapping[str, Matcher]) -> tuple[str, ...]:
    return tuple(name for step in _names(checker, (*path, key), spec.get(key, []), events, steps=False) for name in step)


def _examples(checker: _Checker, raw: object) -> tuple[Example, ...]:
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
                checker.error((*path, key), "unknown key; expected one of name, expect, files, cites")
        expect = spec.get("expect")
        if expect not in ("fire", "silent"):
            checker.error((*path, "expect"), "expected fire or silent")
        logs = spec.get("files")
        if not isinstance(logs, dict) or not logs or not all(isinstance(k, str) and isinstance(v, str) for k, v in logs.items()):
            checker.error((*path, "files"), "expected a mapping of file names to log text")
            continue
        cites = spec.get("cites", [])
        if not isinstance(cites, list) or not all(isinstance(c, (int, str)) and not isinstance(c, bool) for c in cites):
            checker.error((*path, "cites"), "expected a list of line numbers (or 'file:line')")
            cites = []
        if expect == "silent" and cites:
            checker.error((*path, "cites"), "a silent example cites nothing")
        examples.append(Example(str(spec.get("name", f"example {index + 1}")), str(expect), tuple(logs.items()), tuple(str(c) for c in cites)))
    return tuple(examples)
