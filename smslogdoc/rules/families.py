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

TIER_CODE, TIER_STATE, TIER_PHRASE = 100, 200, 300
"""`Rule.tier` of each family (a written rule is 0: it wins). Within the state
family a value's own rule (200) wins over the severity a component gives an
unlisted one (201); within the phrase family the phrase that comes first in
the table wins (300 + its place), and a log's own family over the generic (+100)."""

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
        rules += _phrase_table(table, errors)
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


_OUTCOME_SEVERITY = {"failed": "error", "waiting": "warning", "warning": "warning"}
_STATE_SEVERITY = {"failed": "error", "warning": "warning"}
"""A status value that waits is left to the stories: healthy clients wait for
content, windows and restarts all the time, and a story says whether the wait ended."""


def _group_end(pattern: str, start: int) -> int:
    """The index of the parenthesis that closes the group opening at `start`."""
    depth, index = 0, start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":  # a character class: its parentheses are literal
            index = pattern.index("]", index + 2)
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return index
        index += 1
    raise _Bad("written_as", f"unbalanced group in {pattern!r}")


def _narrowed(pattern: str, group: str, values: Iterable[str]) -> str | None:
    """`pattern` with its `(?P<group>...)` narrowed to `values`; None without that group."""
    start = pattern.find(f"(?P<{group}>")
    if start < 0:
        return None
    end = _group_end(pattern, start)
    spelled = "|".join(re.escape(value) for value in values)
    return f"{pattern[:start]}(?P<{group}>{spelled})(?![\\w]){pattern[end + 1 :]}"


def _listed(value: object) -> list[object]:
    """A table's optional list (absent or null: none)."""
    return value if isinstance(value, list) else []


def _value_patterns(written: Iterable[str], key: str, value: str, spec: Mapping[str, object]) -> list[str]:
    """Each way a log writes the vocabulary, narrowed to one value."""
    names = [str(spec["name"])] if spec.get("name") else []
    names += [str(alias) for alias in _listed(spec.get("aliases"))]
    found = []
    for pattern in written:
        narrowed: str | None = pattern
        if key == "topic/value":
            topic, _, number = value.partition("/")
            narrowed = _narrowed(pattern, "topic", [topic])
            narrowed = narrowed and _narrowed(narrowed, "value", [number])
        elif key == "name" or "(?P<value>" not in pattern:
            narrowed = (
                _narrowed(pattern, "name", [value] if key == "name" else names)
                if (key == "name" or names)
                else None
            )
        else:
            narrowed = _narrowed(pattern, "value", [value])
        if narrowed:
            found.append(narrowed)
    return found


def _state_rules(entry: Mapping[str, object], path: str, *, kinds: KindTable) -> list[Rule]:
    vocabulary = _text(entry, "vocabulary")
    written = _texts(entry, "written_as", required=True)
    key = str(entry.get("key", "value"))
    logs = _logs(entry, kinds)
    sources = _texts(entry, "sources", required=True)
    values = entry.get("values")
    if not isinstance(values, dict) or not values:
        raise _Bad("values", "expected a mapping of values to {name, meaning, outcome}")
    rules = []
    for value, spec in values.items():
        if not isinstance(spec, dict):
            raise _Bad(f"values.{value}", "expected {name, meaning, outcome}")
        severity = _STATE_SEVERITY.get(str(spec.get("outcome")))
        patterns = _value_patterns(written, key, str(value), spec)
        if severity is None or not patterns:
            continue  # succeeded, in progress, informational; or no way to tell the value
        name = f" ({spec['name']})" if spec.get("name") and str(spec["name"]) != str(value) else ""
        meaning = _text(spec, "meaning")
        rules.append(
            _state_rule(
                f"state-{_slug(vocabulary)}-{_slug(str(value))}",
                f"{vocabulary} {value}{name}: {meaning}",
                severity,
                logs,
                "|".join(f"(?:{pattern})" for pattern in patterns),
                path,
                sources,
                TIER_STATE,
            )
        )
    rules += _severity_rules(entry, vocabulary, written, logs, path, sources)
    return rules


def _severity_rules(
    entry: Mapping[str, object],
    vocabulary: str,
    written: tuple[str, ...],
    logs: tuple[str, ...],
    path: str,
    sources: tuple[str, ...],
) -> list[Rule]:
    """A vocabulary whose records say their own severity (`STATMSG ... SEV=E`):
    the values its table does not list, by that severity."""
    spec = entry.get("severity")
    if not isinstance(spec, dict) or not isinstance(spec.get("group"), str):
        return []
    rules = []
    for letter, outcome in spec.items():
        severity = _STATE_SEVERITY.get(str(outcome))
        if letter == "group" or severity is None:
            continue
        patterns = [
            found for pattern in written if (found := _narrowed(pattern, str(spec["group"]), [str(letter)]))
        ]
        if patterns:
            meaning = f"a component reports a status message of severity {letter} ({outcome})"
            rules.append(
                _state_rule(
                    f"state-{_slug(vocabulary)}-sev-{_slug(str(letter))}",
                    f"{vocabulary} with SEV={letter}: {meaning}",
                    severity,
                    logs,
                    "|".join(patterns),
                    path,
                    sources,
                    TIER_STATE + 1,
                )
            )
    return rules


def _state_rule(
    rule_id: str,
    title: str,
    severity: str,
    logs: tuple[str, ...],
    pattern: str,
    path: str,
    sources: tuple[str, ...],
    tier: int,
) -> Rule:
    head, _, meaning = title.partition(": ")
    return Rule(
        id=rule_id,
        title=title[0].upper() + title[1:],
        severity=severity,
        confidence="medium",
        applies_to=logs,
        events={"state": Matcher("state", message=_pattern(pattern))},
        conditions=(Condition("any", (("state",),)),),
        diagnosis=f"{{log}} writes {head}: {meaning}",
        fix=(
            "Read the lines of {log} around this one: they name what the value is about, and what the client or server did next.",
        ),
        path=path,
        references=sources,
        tier=tier,
        family="state",
    )


def _phrase_table(table: _Table, errors: list[RuleError]) -> list[Rule]:
    """The phrase table: one rule per phrase and family of logs (and one for
    logs of no known family), in the table's order of precedence."""
    document = table.entries[0] if len(table.entries) == 1 and isinstance(table.entries[0], dict) else None
    if document is None or not isinstance(document.get("phrases"), list):
        errors.append(
            RuleError(table.path, "expected a mapping with workflows, families, benign and phrases")
        )
        return []
    families: dict[str, list[str]] = {}
    for log, family in (document.get("families") or {}).items():
        families.setdefault(str(family), []).append(str(log))
    workflows = document.get("workflows") or {}
    benign = [
        str(item["pattern"])
        for item in document.get("benign") or []
        if isinstance(item, dict) and "pattern" in item
    ]
    phrases = _Table(table.path, document["phrases"])
    build = partial(_phrase_rules, families=families, workflows=workflows, benign=benign)
    return _each(phrases, errors, lambda entry, path: build(entry, path, order=phrases.entries.index(entry)))


def _phrase_rules(
    entry: Mapping[str, object],
    path: str,
    *,
    order: int,
    families: Mapping[str, list[str]],
    workflows: Mapping[str, object],
    benign: list[str],
) -> list[Rule]:
    phrase = _text(entry, "id")
    severity = _OUTCOME_SEVERITY.get(str(entry.get("outcome")))
    if severity is None:
        raise _Bad("outcome", "expected failed, waiting or warning")
    message = _pattern(_text(entry, "pattern"))
    unless = [
        str(item["pattern"]) if isinstance(item, dict) else str(item) for item in _listed(entry.get("unless"))
    ]
    vetoes = benign + unless
    not_message = _pattern("|".join(f"(?:{item})" for item in vetoes)) if vetoes else None
    says = _text(entry, "says")
    own = entry.get("workflows") or {}
    if not isinstance(own, dict):
        raise _Bad("workflows", "expected a mapping of families to {what, check, next_log}")
    for family in own:
        if family not in families:
            raise _Bad(f"workflows.{family}", f"no family {family!r} in the table's families map")
    levels = frozenset({Severity.ERROR} if severity == "error" else {Severity.ERROR, Severity.WARNING})
    rules = []
    for family in [*families, ""]:
        spec = own.get(family) if family else None
        if isinstance(spec, dict):
            what, check, next_log = (
                _text(spec, "what"),
                _texts(spec, "check", required=True),
                str(spec.get("next_log") or ""),
            )
            next_logs: tuple[str, ...] = (next_log,) if next_log else ()
        else:
            general = workflows.get(family) if family else None
            what = says
            check = (
                "Read {log} around this line: the records before it say what was being done, and those after it whether it was retried.",
            )
            next_logs = (
                tuple(str(log) for log in (general or {}).get("next_logs", [])[:3])
                if isinstance(general, dict)
                else ()
            )
        rules.append(
            Rule(
                id=f"phrase-{_slug(phrase)}" + (f"-{_slug(family)}" if family else ""),
                title=f"{what[0].upper()}{what[1:].rstrip('.')}",
                severity=severity,
                confidence="low",
                applies_to=tuple(families[family]) if family else (),
                events={"said": Matcher("said", message=message, not_message=not_message, severities=levels)},
                conditions=(Condition("any", (("said",),)),),
                diagnosis=f"{{log}} says {says}"
                + (f": {what[0].lower()}{what[1:].rstrip('.')}." if what != says else "."),
                fix=check,
                path=path,
                references=_texts(entry, "sources", required=True),
                next_logs=next_logs,
                tier=TIER_PHRASE + order + (0 if family else 100),
                family="phrase",
            )
        )
    return rules
