"""Rule families: rules made from tables of knowledge rather than written one
by one. Each table entry becomes an ordinary rule (events, a condition, texts,
references and examples), checked and run like a bundled rule:

* **error codes in their ConfigMgr context** (`data/contexts/*.yaml`): a record
  of the logs an entry names that mentions its code and is an error or says it
  failed gets what the code means there, its usual causes, the fix and the
  next log (`code-...` rules);
* **status values** (`data/states.yaml`): a record writing a value whose
  outcome is failed or waiting gets the value's meaning (`state-...` rules);
* **failure wording** (`data/phrases.yaml`): an error record (or a pasted line
  whose severity was inferred as error) that says in words what failed gets
  what that means in its log's workflow and what to check (`phrase-...` rules).

A family's finding yields to a more specific one on the records they share
(`Rule.tier`: a written rule, then a code, a status value, a phrase); see
`engine.results.without_explained_fallbacks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from importlib.resources import files
from importlib.resources.abc import Traversable

import regex
import yaml

from smslogdoc.codes.explain import parse_code
from smslogdoc.errors import RuleError
from smslogdoc.kinds import KindTable
from smslogdoc.model import Severity
from smslogdoc.rules.model import Condition, Example, Matcher, Pattern, Rule

TIER_CODE, TIER_STATE, TIER_PHRASE = 1, 2, 3
"""`Rule.tier` of each family (a written rule is 0: it wins)."""

FAILURE_WORDS = (
    r"\b(?:fail(?:ed|ure|s|ing)?|error|errors|unable|cannot|can't|could\s+not|couldn't|denied|"
    r"timed?\s*out|terminated|abort(?:ed|ing)?|rolled\s+back|not\s+found|exception|invalid|corrupt(?:ed)?)\b"
)
"""Words with which a record says it failed (a code in such a record is a failure)."""


@dataclass(frozen=True)
class _Table:
    path: str
    entries: list[object]


def _tables(folder: Traversable, pattern: str) -> Iterable[_Table]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if re.fullmatch(pattern, entry.name):
            try:
                data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as error:
                yield _Table(f"smslogdoc/data/{entry.name}", [error])
                continue
            yield _Table(f"smslogdoc/data/{entry.name}", data if isinstance(data, list) else [data])


def family_rules(kinds: KindTable, data: Traversable | None = None) -> tuple[list[Rule], list[RuleError]]:
    """The rules of every family, from the packaged tables (or those of `data`)."""
    data = data or files("smslogdoc.data")
    rules: list[Rule] = []
    errors: list[RuleError] = []
    contexts = data / "contexts"
    if contexts.is_dir():
        for table in _tables(contexts, r"[\w-]+\.yaml"):
            rules += _each(table, errors, partial(_code_rules, kinds=kinds))
    for table in _tables(data, r"states\.yaml"):
        rules += _each(table, errors, partial(_state_rules, kinds=kinds))
    for table in _tables(data, r"phrases\.yaml"):
        rules += _each(table, errors, partial(_phrase_rules, kinds=kinds, families=_families(table)))
    seen: dict[str, str] = {}
    unique: list[Rule] = []
    for rule in rules:
        if rule.id in seen:
            errors.append(
                RuleError(
                    rule.path,
                    f"two entries make the rule id {rule.id!r} (also {seen[rule.id]}); give one an id",
                    rule_id=rule.id,
                )
            )
            continue
        seen[rule.id] = rule.path
        unique.append(rule)
    return unique, errors


class _Bad(ValueError):
    """An entry of a table is unusable: says which key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _each(
    table: _Table, errors: list[RuleError], build: Callable[[Mapping[str, object], str], list[Rule]]
) -> list[Rule]:
    """The rules of a table's entries; an unusable entry is an error naming its place."""
    rules: list[Rule] = []
    for index, entry in enumerate(table.entries):
        if isinstance(entry, Exception):
            errors.append(RuleError(table.path, f"cannot read: {entry}"))
            continue
        if isinstance(entry, dict) and "families" in entry and len(entry) == 1:
            continue  # the phrase table's map of logs to families
        try:
            if not isinstance(entry, dict):
                raise _Bad("", "expected a mapping")
            rules += build(entry, f"{table.path}[{index}]")
        except _Bad as error:
            errors.append(
                RuleError(table.path, str(error), key=f"[{index}]{'.' + error.key if error.key else ''}")
            )
        except (regex.error, re.error) as error:
            errors.append(RuleError(table.path, f"bad regular expression: {error}", key=f"[{index}]"))
    return rules


def _text(entry: Mapping[str, object], key: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _Bad(key, "expected text")
    return value.strip()


def _texts(entry: Mapping[str, object], key: str, *, required: bool = False) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not all(isinstance(item, str) for item in value)
        or (required and not value)
    ):
        raise _Bad(key, "expected a list of texts" + (" (at least one)" if required else ""))
    return tuple(item.strip() for item in value)


def _logs(entry: Mapping[str, object], kinds: KindTable, key: str = "logs") -> tuple[str, ...]:
    logs = _texts(entry, key)
    for log in logs:
        if log not in kinds and not any(char in log for char in "*?."):
            raise _Bad(key, f"unknown log kind {log!r}")
    return logs


def _pattern(text: str) -> Pattern:
    pattern = Pattern(text, regex.IGNORECASE)
    pattern.compiled  # noqa: B018 - compiling is the check
    return pattern


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _examples(seen: Iterable[str], file_name: str) -> tuple[Example, ...]:
    return tuple(
        Example(f"real line {number}", "fire", ((file_name, line + "\n"),))
        for number, line in enumerate(seen, 1)
    )


def _code_rules(entry: Mapping[str, object], path: str, *, kinds: KindTable) -> list[Rule]:
    raw = entry.get("code")
    value = parse_code(str(raw)) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    if value is None:
        raise _Bad("code", f"expected an error code, got {raw!r}")
    logs = _logs(entry, kinds)
    written = entry.get("written")
    message = _pattern(written) if isinstance(written, str) else None
    benign = _texts(entry, "benign")
    not_message = _pattern("|".join(f"(?:{item})" for item in benign)) if benign else None
    codes = frozenset({value})
    if message is not None:  # the entry says how the log writes the failure (a return code)
        events = {"written": Matcher("written", message=message, not_message=not_message, codes=codes)}
    else:  # an error record that mentions the code, or any record that says it failed
        events = {
            "failed": Matcher(
                "failed", not_message=not_message, codes=codes, severities=frozenset({Severity.ERROR})
            ),
            "says_failed": Matcher(
                "says_failed", message=_pattern(FAILURE_WORDS), not_message=not_message, codes=codes
            ),
        }
    spelled = f"0x{value:08X}" if value > 0xFFFF else str(value)
    rule_id = "code-" + _slug(str(entry.get("id") or spelled))
    causes = _texts(entry, "causes")
    cause = _text(entry, "meaning") + (" Usual causes: " + "; ".join(causes) + "." if causes else "")
    return [
        Rule(
            id=rule_id,
            title=_text(entry, "title"),
            severity="error",
            confidence="medium",
            applies_to=logs,
            events=events,
            conditions=(Condition("any", (tuple(events),)),),
            diagnosis=f"{{log}} reports {{code}} ({spelled}): {_text(entry, 'title')[0].lower()}{_text(entry, 'title')[1:]}.",
            fix=_texts(entry, "fix", required=True),
            path=path,
            cause=cause,
            references=_texts(entry, "sources", required=True),
            next_logs=_texts(entry, "next_logs"),
            examples=_examples(_texts(entry, "seen"), _example_file(logs, kinds)),
            tier=TIER_CODE,
            family="code",
        )
    ]


def _example_file(logs: tuple[str, ...], kinds: KindTable) -> str:
    """A file name of the first kind an entry names, for its examples."""
    for log in logs:
        kind = kinds.get(log)
        if kind is not None and kind.files:
            return kind.files[0].replace("*", "")
        if "." in log and not any(char in log for char in "*?"):
            return log
    return "paste.log"


def _value_pattern(written: str, value: str) -> str:
    """`written` with its `(?P<value>...)` group narrowed to one value."""
    start = written.find("(?P<value>")
    if start < 0:
        raise _Bad("written_as", "each pattern needs a (?P<value>...) group")
    depth, index = 0, start
    while index < len(written):
        char = written[index]
        if char == "\\":
            index += 2
            continue
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            break
        index += 1
    return f"{written[:start]}(?P<value>{re.escape(value)})(?![\\w]){written[index + 1 :]}"


_OUTCOME_SEVERITY = {"failed": "error", "waiting": "warning", "warning": "warning"}


def _state_rules(entry: Mapping[str, object], path: str, *, kinds: KindTable) -> list[Rule]:
    vocabulary = _text(entry, "vocabulary")
    written = _texts(entry, "written_as", required=True)
    logs = _logs(entry, kinds)
    values = entry.get("values")
    if not isinstance(values, dict) or not values:
        raise _Bad("values", "expected a mapping of values to {name, meaning, outcome}")
    rules = []
    for value, spec in values.items():
        if not isinstance(spec, dict):
            raise _Bad(f"values.{value}", "expected {name, meaning, outcome}")
        severity = _OUTCOME_SEVERITY.get(str(spec.get("outcome")))
        if severity is None:
            continue  # succeeded, in progress, informational: nothing to report
        pattern = "|".join(f"(?:{_value_pattern(item, str(value))})" for item in written)
        name = str(spec.get("name") or value)
        meaning = _text(spec, "meaning")
        rules.append(
            Rule(
                id=f"state-{_slug(vocabulary)}-{_slug(str(value))}",
                title=f"{vocabulary} {value} ({name}): {meaning[0].lower()}{meaning[1:].rstrip('.')}",
                severity=severity,
                confidence="medium",
                applies_to=logs,
                events={"state": Matcher("state", message=_pattern(pattern))},
                conditions=(Condition("any", (("state",),)),),
                diagnosis=f"{{log}} writes {vocabulary} {value} ({name}): {meaning[0].lower()}{meaning[1:]}",
                fix=tuple(_texts(spec, "check"))
                or (f"Read the lines around it in {{log}} for what the {vocabulary} value refers to.",),
                path=path,
                cause=str(spec.get("cause", "")),
                references=_texts(entry, "sources", required=True),
                next_logs=_texts(spec, "next_logs"),
                tier=TIER_STATE,
                family="state",
            )
        )
    return rules


def _families(table: _Table) -> dict[str, tuple[str, ...]]:
    """The phrase table's map of workflow families to log kinds and file-name globs."""
    for entry in table.entries:
        if isinstance(entry, dict) and isinstance(entry.get("families"), dict):
            return {
                str(name): tuple(str(log) for log in logs)
                for name, logs in entry["families"].items()
                if isinstance(logs, list)
            }
    return {}


def _phrase_rules(
    entry: Mapping[str, object], path: str, *, kinds: KindTable, families: Mapping[str, tuple[str, ...]]
) -> list[Rule]:
    phrase = _text(entry, "id")
    severity = _OUTCOME_SEVERITY.get(str(entry.get("outcome")))
    if severity is None:
        raise _Bad("outcome", "expected failed, waiting or warning")
    message = _pattern(_text(entry, "pattern"))
    unless = _texts(entry, "unless")
    not_message = _pattern("|".join(f"(?:{item})" for item in unless)) if unless else None
    says = _text(entry, "says")
    workflows = entry.get("workflows")
    if not isinstance(workflows, dict) or not workflows:
        raise _Bad("workflows", "expected a mapping of families to {what, check, next_log}")
    rules = []
    for family, spec in workflows.items():
        if not isinstance(spec, dict):
            raise _Bad(f"workflows.{family}", "expected {what, check, next_log}")
        logs = families.get(str(family))
        if logs is None:
            raise _Bad(f"workflows.{family}", f"no family {family!r} in the table's families map")
        event = Matcher(
            "said",
            message=message,
            not_message=not_message,
            severities=frozenset(
                {Severity.ERROR} if severity == "error" else {Severity.ERROR, Severity.WARNING}
            ),
        )
        what = _text(spec, "what")
        next_log = spec.get("next_log")
        rules.append(
            Rule(
                id=f"phrase-{_slug(phrase)}-{_slug(str(family))}",
                title=f"{what[0].upper()}{what[1:].rstrip('.')}",
                severity=severity,
                confidence="low",
                applies_to=logs,
                events={"said": event},
                conditions=(Condition("any", (("said",),)),),
                diagnosis=f"{{log}} says {says}: {what[0].lower()}{what[1:].rstrip('.')}.",
                fix=_texts(spec, "check", required=True),
                path=path,
                references=_texts(entry, "sources", required=True),
                next_logs=(next_log,) if isinstance(next_log, str) and next_log else (),
                tier=TIER_PHRASE,
                family="phrase",
            )
        )
    return rules
