"""Counts, lists and times in English, for every report: `1 error`, `20 info
findings`, `lines 32, 34, 52 and 53`, `2022-05-17 14:02:12.692 -04:00`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

NOUNS = {
    "error": ("error", "errors"),
    "warning": ("warning", "warnings"),
    "info": ("info finding", "info findings"),
}
"""How a severity is counted: `2 warnings`, `20 info findings` (never `infos`)."""


def count(number: int, singular: str, plural: str | None = None) -> str:
    """`1 match`, `4 matches`, `0 findings`."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def severity_count(number: int, level: str) -> str:
    """`1 error`, `2 warnings`, `20 info findings`."""
    singular, plural = NOUNS.get(level, (level, level + "s"))
    return count(number, singular, plural)


def and_list(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def lines_phrase(numbers: Sequence[int], shown: int = 5) -> str:
    """`line 32`, `lines 32, 34, 52 and 53`, `lines 1, 2, 3, 4, 5 and 7 more`."""
    words = [str(number) for number in numbers[:shown]]
    if len(numbers) > shown:
        words.append(f"{len(numbers) - shown} more")
    return f"{'line' if len(numbers) == 1 else 'lines'} {and_list(words)}"


def human_time(iso: object) -> str:
    """`2022-05-17 14:02:12.692 -04:00` from an ISO time (as the report document
    holds it), `... (local)` without an offset; '' for none."""
    if not isinstance(iso, str) or not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    text = when.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
    offset = when.strftime("%z")
    return f"{text} (local)" if not offset else f"{text} {offset[:3]}:{offset[3:]}"
