"""`smslogdoc rules list` on a terminal: the rules grouped by the logs they
read, one line a rule (a family of generated rules, when rules have a
`family`, one line a family), each line fitted to the terminal's width: the
id whole (it is typed and grepped), the severity, then as much of the title as
fits, cut with `…`. Read at 80 columns as at 200."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from smslogdoc.report.terminal import name
from smslogdoc.rules.model import Rule

MIN_TITLE = 40
"""Below this much room beside the id, the title goes on a line of its own."""


@dataclass
class Entry:
    """One line of the listing: a rule, or a family of rules."""

    label: str
    severity: str
    title: str
    count: int = 1


def group_key(rule: Rule) -> str:
    return ", ".join(rule.applies_to) or "every log"


def entries(rules: Iterable[Rule]) -> dict[str, list[Entry]]:
    """The lines of the listing under each group (the logs the rules read),
    groups in name order; rules of one family (`family`, when rules have one)
    make one line."""
    groups: dict[str, list[Entry]] = {}
    families: dict[tuple[str, str], Entry] = {}
    for rule in rules:
        family = getattr(rule, "family", None)
        if not family:
            groups.setdefault(group_key(rule), []).append(Entry(rule.id, rule.severity, rule.title))
            continue
        key = (FAMILIES, str(family))
        if key in families:
            families[key].count += 1
            continue
        families[key] = Entry(f"{family}-*", rule.severity, FAMILY_TITLES.get(str(family), str(family)))
    ordered = dict(sorted(groups.items(), key=lambda item: (item[0] == "every log", item[0])))
    if families:
        ordered[FAMILIES] = list(families.values())
    return ordered


FAMILIES = "rule families (each made from a table; they give way to a written rule)"
FAMILY_TITLES = {
    "code": "error codes in their ConfigMgr context (smslogdoc/data/contexts)",
    "state": "status values that mean failed or waiting (smslogdoc/data/states.yaml)",
    "phrase": "failure wording by workflow (smslogdoc/data/phrases.yaml)",
}
"""What each rule family is made from (`rules list`, as a listing and piped)."""


def _fit(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + "…"


def write_listing(rules: list[Rule], console: Console) -> None:
    """The grouped listing, each line within `console.width`."""
    width = console.width
    for group, lines in entries(rules).items():
        console.print(Text(_fit(f"{name(group)} ({_count(lines)})", width), style="bold"), soft_wrap=True)
        id_width = max(len(entry.label) for entry in lines)
        for entry in lines:
            label = entry.label if entry.count == 1 else f"{entry.label} ({entry.count} rules)"
            head = f"  {name(label):<{id_width}}  {entry.severity:<7}  "
            room = width - len(head)
            line = Text(head)
            if room >= MIN_TITLE:
                line.append(_fit(name(entry.title), room))
                console.print(line, soft_wrap=True)
                continue
            console.print(Text(head.rstrip()), soft_wrap=True)
            console.print(Text("    " + _fit(name(entry.title), width - 4), style="dim"), soft_wrap=True)
    console.print(Text(f"{len(rules)} rules", style="dim"))


def _count(lines: list[Entry]) -> str:
    total = sum(entry.count for entry in lines)
    return f"{total} rule{'' if total == 1 else 's'}"
