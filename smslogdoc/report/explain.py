"""`smslogdoc diagnose --explain RULE`: the answer to "why no finding?".

For each log: whether the rule applies to it (and its kind), which of the
rule's named events matched and where, which groups got part of the way and
what they were still waiting for, which matches were dropped and why, and
what became findings.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from smslogdoc.engine.tracer import TracedLog, Tracer
from smslogdoc.findings import CONFIRMED
from smslogdoc.report.terminal import log_name, log_text
from smslogdoc.report.wording import count, lines_phrase
from smslogdoc.rules.model import Condition, Rule

_SHOWN = 5
"""Locations listed per matched event."""


def describe(condition: Condition) -> str:
    """A condition in words: `sequence a -> b, by run, unless c`."""
    steps = [" | ".join(step) for step in condition.steps]
    joiner = " -> " if condition.shape == "sequence" else ", "
    words = f"{condition.shape} {joiner.join(steps)}"
    if condition.shape == "count":
        words += f" at least {condition.minimum} times" + (
            f" (distinct {condition.distinct})" if condition.distinct else ""
        )
    words += f", by {' + '.join(condition.by)}"
    if condition.within is not None:
        words += f", within {condition.within:g}s"
    if condition.adjacent:
        words += ", adjacent"
    for label, names in (
        ("unless", condition.unless),
        ("requires", condition.requires),
        ("absent", condition.absent),
        ("supported by", condition.supported_by),
    ):
        if names:
            words += f", {label} {', '.join(names)}"
    return words


def _as_is(text: str) -> str:
    return text


def write_explanation(
    rule: Rule, tracer: Tracer, console: Console, shown: Callable[[str], str] = _as_is
) -> None:
    """What `rule` saw in each log. `shown` is how a name from the logs is
    written (redacted with `--redact`): log names and group keys; every text
    is made inert (`terminal.visible`), a rule's own text included."""
    console.print(log_name(f"Explaining rule {rule.id}: {rule.title}", "bold"))
    console.print(Text(f"applies to: {', '.join(rule.applies_to) or 'every log'}", style="dim"))
    for number, condition in enumerate(rule.conditions, 1):
        console.print(Text(f"condition {number}: {describe(condition)}", style="dim"))
    if not tracer.logs:
        console.print("No logs were read.")
    for traced in tracer.logs:
        console.print()
        _log(rule, traced, console, shown)


def _log(rule: Rule, traced: TracedLog, console: Console, shown: Callable[[str], str]) -> None:
    head = log_name(shown(traced.log), "cyan")
    head.append(f" (kind {traced.kind or 'unknown'})", style="dim")
    console.print(head)
    if not traced.applies:
        console.print(
            Text(
                f"  the rule does not apply to this log (it applies to {', '.join(rule.applies_to)})",
                style="yellow",
            )
        )
        return
    for name in rule.events:
        events = traced.hits.get(name, [])
        if events:
            where = lines_phrase([event.line for event in events], _SHOWN)
            console.print(Text(f"  event {name}: {count(len(events), 'match', 'matches')} ({where})"))
        else:
            console.print(Text(f"  event {name}: no match", style="yellow"))
    for condition, key, group in traced.open:
        label = shown(" / ".join(str(part) for part in key))
        waiting = _waiting(condition, group)
        console.print(log_text(f"  group {label}: {waiting}", "yellow"))
    for _condition, key, hits, why in traced.dropped:
        label = shown(" / ".join(str(part) for part in key))
        console.print(
            log_text(
                f"  group {label}: matched ({lines_phrase([hit.event.line for hit in hits])}) but did not count: {why}",
                style="yellow",
            )
        )
    for result in traced.results:
        style = "green" if result.status == CONFIRMED else "yellow"
        extra = "" if result.status == CONFIRMED else f": {result.note}"
        console.print(
            Text(
                f"  -> finding ({result.status}{extra}), {lines_phrase([hit.event.line for hit in result.hits], len(result.hits))}",
                style=style,
            )
        )
    if not traced.results:
        console.print(Text("  -> no finding in this log", style="bold"))


def _waiting(condition: Condition, group: object) -> str:
    partials = getattr(group, "partials", {})
    latest = getattr(group, "latest", {})
    counted = getattr(group, "counted", ())
    if condition.shape == "sequence" and partials:
        done = max(partials)
        seen = ", ".join(f"{hit.name} (line {hit.event.line})" for hit in partials[done])
        awaited = " | ".join(condition.steps[done])
        return f"saw {seen}; still waiting for {awaited}"
    if condition.shape == "all" and latest:
        seen = ", ".join(f"{hit.name} (line {hit.event.line})" for hit in latest.values())
        missing = [" | ".join(step) for index, step in enumerate(condition.steps) if index not in latest]
        return f"saw {seen}; never saw {', '.join(missing)}"
    if condition.shape == "count":
        return f"counted {len(counted)} of the {condition.minimum} needed"
    if condition.shape == "sequence" and condition.steps:
        return f"never saw {' | '.join(condition.steps[0])}, which must come first; nothing started"
    if condition.shape == "all":
        return "saw none of its events; nothing started"
    return "nothing started"
