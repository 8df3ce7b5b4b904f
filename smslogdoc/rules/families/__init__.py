"""Rule families: rules made from tables of knowledge rather than written one
by one. Each table entry becomes an ordinary rule (events, a condition, texts,
references and examples), checked and run like a bundled rule:

* **error codes in their ConfigMgr context** (`data/contexts/*.yaml`): a record
  of the logs an entry names that mentions its code and is an error or says it
  failed gets what the code means there, its usual causes, the fix and the
  next log (`code-...` rules); an error record of any other log that mentions
  a code that tells the same everywhere (not a small number, a wrapped Win32
  error or E_FAIL) gets the context of the logs it was written for
  (`code-...-elsewhere`); an entry for every log (`logs: [anywhere]`, a code
  Windows gives one meaning wherever it is written) fires in any log, below an
  entry for that log's own kind;
* **status values** (`data/states.yaml`, `data/states-*.yaml`): a record writing a value whose
  outcome is failed or waiting gets the value's meaning (`state-...` rules);
* **failure wording** (`data/phrases.yaml`): an error record (or a pasted line
  whose severity was inferred as error) that says in words what failed gets
  what that means in its log's workflow and what to check (`phrase-...` rules).

A family's finding yields to a more specific one on the records they share
(`Rule.tier`: a written rule, then a code, a status value, a phrase); see
`engine.explained.without_explained_fallbacks`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache, partial
from importlib.resources import files
from importlib.resources.abc import Traversable

import regex

from smslogdoc.data.statusvalues import STATE_TABLES
from smslogdoc.kinds import KindTable
from smslogdoc.rules.checker import RuleError
from smslogdoc.rules.families.codes import code_rules, elsewhere_rules, quiet_anywhere
from smslogdoc.rules.families.phrases import phrase_table
from smslogdoc.rules.families.states import state_rules
from smslogdoc.rules.families.table import any_of, each, tables
from smslogdoc.rules.model import Pattern, Rule, shared_pattern

__all__ = ["family_rules", "vetoed"]


def family_rules(kinds: KindTable, data: Traversable | None = None) -> tuple[list[Rule], list[RuleError]]:
    """The rules of every family, from the packaged tables (made once a process),
    or from those of `data`, whose patterns are checked at once."""
    if data is None:
        return _bundled(kinds)
    rules, errors = _made(kinds, data)
    kept = []
    for rule in rules:
        try:
            for matcher in rule.events.values():
                for pattern in (matcher.message, matcher.not_message):
                    if pattern is not None:
                        pattern.compiled  # noqa: B018 - compiling is the check
        except regex.error as error:
            errors.append(RuleError(rule.path, f"bad regular expression: {error}", rule_id=rule.id))
            continue
        kept.append(rule)
    return kept, errors


@cache
def _bundled(kinds: KindTable) -> tuple[list[Rule], list[RuleError]]:
    return _made(kinds, files("smslogdoc.data"))


def _made(kinds: KindTable, data: Traversable) -> tuple[list[Rule], list[RuleError]]:
    rules: list[Rule] = []
    errors: list[RuleError] = []
    contexts = data / "contexts"
    if contexts.is_dir():
        for table in tables(contexts, r"[\w-]+\.yaml"):
            rules += each(table, errors, partial(code_rules, kinds=kinds))
        rules = quiet_anywhere(rules)
        rules += elsewhere_rules(rules, kinds)
    for table in tables(data, STATE_TABLES):
        rules += each(table, errors, partial(state_rules, kinds=kinds))
    for table in tables(data, r"phrases\.yaml"):
        rules += phrase_table(table, errors)
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
    veto = _benign(data)
    return [_vetoed(rule, veto) for rule in unique] if veto is not None else unique, errors


def vetoed(rules: list[Rule], patterns: list[str]) -> list[Rule]:
    """`rules` with the families' rules silent on messages `patterns` match (a
    user's list of routine messages): a written rule still names its failure."""
    veto = any_of(patterns)
    return rules if veto is None else [_vetoed(rule, veto) if rule.tier > 0 else rule for rule in rules]


def _benign(data: Traversable) -> Pattern | None:
    """Any message of `data/benign.yaml`: error records healthy clients write
    routinely, which no family names as a failure either."""
    found = [
        entry for table in tables(data, r"benign\.yaml") for entry in table.entries if isinstance(entry, dict)
    ]
    return any_of([str(entry["pattern"]) for entry in found if isinstance(entry.get("pattern"), str)])


def _vetoed(rule: Rule, veto: Pattern) -> Rule:
    """`rule` with the known-benign messages added to each event's `not_message`."""
    events = {
        name: replace(
            matcher,
            not_message=veto
            if matcher.not_message is None
            else shared_pattern(f"(?:{matcher.not_message.source})|(?:{veto.source})", regex.IGNORECASE),
        )
        for name, matcher in rule.events.items()
    }
    return replace(rule, events=events)
