"""Rule texts and values: `{field}` placeholders filled by plain substitution
(never evaluated), and durations such as `30s` or `1h30m`."""

from __future__ import annotations

import re
from collections.abc import Mapping

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
