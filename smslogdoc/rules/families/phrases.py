"""The wording family: `data/phrases.yaml` (the families of logs, the benign
contexts, and the failure wordings in order of precedence, each with what it
means per family) becomes one rule per wording and family of logs, and one for
logs of no known family; a wording fires on error records only (or warning
records, for a wording of a wait), and the first wording of the table wins a
record (its tier)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from smslogdoc.model import Severity
from smslogdoc.rules.checker import RuleError
from smslogdoc.rules.condition import Condition
from smslogdoc.rules.families.states import OUTCOME_SEVERITY
from smslogdoc.rules.families.table import (
    TIER_OWN_WORDING,
    TIER_PHRASE,
    Bad,
    Table,
    any_of,
    compiled,
    each,
    in_sentence,
    listed,
    relevant,
    slug,
    text,
    texts,
    usual_causes,
)
from smslogdoc.rules.model import Matcher, Rule


def phrase_table(table: Table, errors: list[RuleError]) -> list[Rule]:
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
    phrases = Table(table.path, document["phrases"])
    ids = [entry.get("id") if isinstance(entry, dict) else None for entry in phrases.entries]
    kinds_begin = document.get("kinds_begin")
    if kinds_begin is None:
        first_kind = 0  # no own wordings: every phrase names a kind of failure
    elif kinds_begin in ids:
        first_kind = ids.index(kinds_begin)
    else:
        errors.append(
            RuleError(table.path, f"kinds_begin names no phrase id: {kinds_begin!r}", key="kinds_begin")
        )
        return []
    build = partial(_phrase_rules, families=families, workflows=workflows, benign=benign)

    def made(entry: Mapping[str, object], path: str) -> list[Rule]:
        order = phrases.entries.index(entry)
        return build(entry, path, order=order, own_wording=order < first_kind)

    return each(phrases, errors, made)


def _phrase_rules(
    entry: Mapping[str, object],
    path: str,
    *,
    order: int,
    own_wording: bool,
    families: Mapping[str, list[str]],
    workflows: Mapping[str, object],
    benign: list[str],
) -> list[Rule]:
    phrase = text(entry, "id")
    severity = OUTCOME_SEVERITY.get(str(entry.get("outcome")))
    if severity is None:
        raise Bad("outcome", "expected failed, waiting or warning")
    message = compiled(text(entry, "pattern"))
    unless = [
        str(item["pattern"]) if isinstance(item, dict) else str(item) for item in listed(entry.get("unless"))
    ]
    vetoes = benign + unless
    not_message = any_of(vetoes)
    says = text(entry, "says")
    own = entry.get("workflows") or {}
    if not isinstance(own, dict):
        raise Bad("workflows", "expected a mapping of families to {what, check, next_log}")
    for family in own:
        if family not in families:
            raise Bad(f"workflows.{family}", f"no family {family!r} in the table's families map")
    levels = frozenset({Severity.ERROR} if severity == "error" else {Severity.ERROR, Severity.WARNING})
    event = Matcher("said", message=message, not_message=not_message, severities=levels)
    sources = texts(entry, "sources", required=True)
    rules = []
    for family in [*families, ""]:
        what, check, next_logs = _texts_for(own.get(family) if family else None, says, workflows.get(family))
        causes = _causes_for(own.get(family) if family else None)
        rules.append(
            Rule(
                id=f"phrase-{slug(phrase)}" + (f"-{slug(family)}" if family else ""),
                title=f"{what[0].upper()}{what[1:].rstrip('.')}",
                severity=severity,
                confidence="low",
                applies_to=tuple(families[family]) if family else (),
                events={"said": event},
                conditions=(Condition("any", (("said",),)),),
                diagnosis=f"{{log}} says {says}"
                + (f": {in_sentence(what).rstrip('.')}." if what != says else "."),
                fix=check,
                cause=usual_causes(causes, _workflow_name(workflows.get(family))),
                causes=causes,
                path=path,
                # the sources back the families' own checks; where the wording says no more
                # than itself (logs of no family, or a family it has nothing of its own for),
                # its first source says what the wording means, and a list of pages about other
                # workflows would be noise under the finding
                references=relevant(sources, (what, *check, *causes)) if family in own else sources[:1],
                next_logs=next_logs,
                tier=_tier(order, own_wording, bool(family)),
                family="phrase",
            )
        )
    return rules


def _tier(order: int, own_wording: bool, of_family: bool) -> int:
    """A wording's tier: its place in the table, a log family's own before the
    generic; a product's own wording wins over a code's meaning everywhere, a
    kind of failure does not (`families.table`)."""
    if own_wording:
        return TIER_OWN_WORDING + order + (0 if of_family else 300)
    return TIER_PHRASE + order + (0 if of_family else 1000)


_GENERAL_CHECK = (
    "Read {log} around this line: the records before it say what was being done, "
    "and those after it whether it was retried.",
)


def _texts_for(spec: object, says: str, general: object) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What failed, what to check and the next logs: the phrase's own for the
    family, else what the phrase says and the family's usual logs."""
    if isinstance(spec, dict):
        next_log = str(spec.get("next_log") or "")
        checks = tuple(_as_step(item) for item in texts(spec, "check", required=True))
        return text(spec, "what"), checks, (next_log,) if next_log else ()
    logs = general.get("next_logs", []) if isinstance(general, dict) else []
    return says, _GENERAL_CHECK, tuple(str(log) for log in listed(logs)[:3])


def _causes_for(spec: object) -> tuple[str, ...]:
    """A wording's usual causes in a family (its optional `causes`), the
    concrete things the field finds behind it there; none where it has no
    entry of its own for the family."""
    return texts(spec, "causes") if isinstance(spec, dict) else ()


def _workflow_name(spec: object) -> str:
    """A family's title without its list of logs: `software update point
    (wsyncmgr, WCM, ...)` -> `software update point`."""
    title = str(spec.get("title") or "") if isinstance(spec, dict) else ""
    return title.split(" (")[0].strip()


def _as_step(check: str) -> str:
    """A thing to check, as a step: `the boot image version` -> `Check the boot image version.`"""
    step = check if check[:1].isupper() else f"Check {check}"
    return step if step.endswith((".", "?", ")")) else f"{step}."
