"""What the rule families share: reading a table of knowledge (`Table`), an
unusable entry (`Bad`, naming its key), the checks of an entry's values, and
the tiers by which a family's finding gives way to a more specific one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import regex
import yaml

from smslogdoc.kinds import KindTable
from smslogdoc.rules import yamlcache
from smslogdoc.rules.checker import RuleError
from smslogdoc.rules.model import Example, Pattern, Rule, shared_pattern

TIER_CODE, TIER_STATE, TIER_OWN_WORDING, TIER_CODE_ANYWHERE, TIER_CODE_ELSEWHERE, TIER_PHRASE = (
    100,
    200,
    300,
    1000,
    1010,
    2000,
)
"""`Rule.tier` of each family (a written rule is 0: it wins; the lower tier wins).
Within the state family a value's own rule (200) wins over the severity a
component gives an unlisted one (201). Then a product's or a log's own wording
(phrases.yaml before `kinds_begin`: one message, 300 + its place), then a
code's meaning wherever it is written (`logs: [anywhere]`, 1000), then a code's
context read in a log it was not written for (1010), then the kinds of failure
and the generic wordings (2000 + their place). Within the phrase family the
phrase that comes first in the table wins, and a log's own family over the
generic (+300 for own wordings, +1000 for the kinds)."""

FAILURE_WORDS = (
    r"\b(?:fail(?:ed|ure|s|ing)?|error|errors|unable|cannot|can't|could\s+not|couldn't|denied|"
    r"timed?\s*out|terminated|abort(?:ed|ing)?|rolled\s+back|not\s+found|exception|invalid|corrupt(?:ed)?)\b"
)
"""Words with which a record says it failed (a code in such a record is a failure)."""


@dataclass(frozen=True)
class Table:
    path: str
    entries: list[object]


def tables(folder: Traversable, pattern: str) -> Iterable[Table]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if re.fullmatch(pattern, entry.name):
            try:
                data = yamlcache.parsed(entry.read_bytes())  # kept from an earlier run, or parsed now
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
                yield Table(f"smslogdoc/data/{entry.name}", [error])
                continue
            yield Table(f"smslogdoc/data/{entry.name}", data if isinstance(data, list) else [data])


class Bad(ValueError):
    """An entry of a table is unusable: says which key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def each(
    table: Table, errors: list[RuleError], build: Callable[[Mapping[str, object], str], list[Rule]]
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
                raise Bad("", "expected a mapping")
            rules += build(entry, f"{table.path}[{index}]")
        except Bad as error:
            errors.append(
                RuleError(table.path, str(error), key=f"[{index}]{'.' + error.key if error.key else ''}")
            )
        except (regex.error, re.error) as error:
            errors.append(RuleError(table.path, f"bad regular expression: {error}", key=f"[{index}]"))
    return rules


def text(entry: Mapping[str, object], key: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise Bad(key, "expected text")
    return value.strip()


def texts(entry: Mapping[str, object], key: str, *, required: bool = False) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not all(isinstance(item, str) for item in value)
        or (required and not value)
    ):
        raise Bad(key, "expected a list of texts" + (" (at least one)" if required else ""))
    return tuple(item.strip() for item in value)


def log_kinds(entry: Mapping[str, object], kinds: KindTable, key: str = "logs") -> tuple[str, ...]:
    logs = texts(entry, key)
    for log in logs:
        if log not in kinds and not any(char in log for char in "*?."):
            raise Bad(key, f"unknown log kind {log!r}")
    return logs


def compiled(text: str) -> Pattern:
    """A table's pattern, compiled when first used (`family_rules` checks a
    table that is not the bundled one at once; the suite checks the bundled)."""
    return shared_pattern(text, regex.IGNORECASE)


def any_of(patterns: Iterable[str]) -> Pattern | None:
    """One pattern that matches where any of `patterns` does (None for none),
    compiled when first used, as `compiled`."""
    alternatives = list(dict.fromkeys(patterns))
    return compiled("|".join(f"(?:{pattern})" for pattern in alternatives)) if alternatives else None


def in_sentence(text: str) -> str:
    """A title or phrase as it reads inside a sentence: its first letter lower-case,
    unless the first word is an acronym or a name in capitals (`MP Control
    Manager`, `WSUS`, `SQL`), which stays as written."""
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def examples(seen: Iterable[str], file_name: str) -> tuple[Example, ...]:
    return tuple(
        Example(f"real line {number}", "fire", ((file_name, line + "\n"),))
        for number, line in enumerate(seen, 1)
    )


def usual_causes(causes: Iterable[str], where: str = "") -> str:
    """The sentence that names an entry's usual causes, as the cause of its
    finding says them: "Usual causes: A; B." (a code's context), or with
    `where`, "Usual causes in <where>: A; B." (a wording's or a status value's
    in one workflow); '' for none."""
    named = [cause.strip().rstrip(".") for cause in causes if cause.strip()]
    if not named:
        return ""
    return f"Usual causes{' in ' + where if where else ''}: " + "; ".join(named) + "."


def listed(value: object) -> list[object]:
    """A table's optional list (absent or null: none)."""
    return value if isinstance(value, list) else []


REFERENCES = 3
"""The sources shown under a wording's or status value's finding: their tables
cite pages about every workflow or value, of which a finding needs those about
its own."""
_WORD = re.compile(r"[a-z][a-z0-9$]{3,}")


def relevant(sources: tuple[str, ...], said: tuple[str, ...]) -> tuple[str, ...]:
    """The `REFERENCES` sources that share the most words with what a family's
    finding says (a wording's what, checks and causes; a status value's title
    and causes), in the table's order among equals."""
    words = set(_WORD.findall(" ".join(said).lower()))
    shared = [len(words & set(_WORD.findall(source.lower()))) for source in sources]
    best = sorted(range(len(sources)), key=lambda index: -shared[index])[:REFERENCES]
    return tuple(sources[index] for index in sorted(best))
