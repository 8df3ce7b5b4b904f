"""How large a pattern grows when compiled, checked before it is compiled.

The `regex` module writes out counted repeats when it compiles a pattern:
`(?:a{1000}){1000}` becomes a million copies of `a`, and three such levels take
gigabytes before a MemoryError (or the system) stops the process. A rule's
pattern is therefore measured first: each atom counts one, a group what it
holds, and a counted repeat (`{n}`, `{n,m}`, `{,m}`) multiplies what it
repeats by its largest count (`*`, `+` and `?` are loops: no copies). A
pattern over `MAX_EXPANDED` is refused as the rule's error; the patterns
people write stay far below it (the bundled rules' largest is a few thousand).
"""

from __future__ import annotations

import re

MAX_EXPANDED = 100_000
"""Atoms a pattern may expand to (about 30 MB compiled)."""

_COUNTED = re.compile(r"\{(\d*)(,?)(\d*)\}")
_BRACED_ESCAPES = "pPNxugk"
"""Escapes that may take a braced argument (`\\p{L}`, `\\x{263A}`, `\\g{name}`)."""


def too_large(pattern: str) -> str | None:
    """Why `pattern` must not be compiled, or None when its size is fine."""
    size = expanded_size(pattern)
    if size <= MAX_EXPANDED:
        return None
    return (
        f"the pattern expands to about {size:,} elements when compiled (nested counted repeats "
        f"such as (?:a{{1000}}){{1000}}); the limit is {MAX_EXPANDED:,}: use * or + or smaller counts"
    )


def expanded_size(pattern: str) -> int:
    """About how many elements `pattern` expands to when its counted repeats are written out."""
    stack: list[tuple[int, int]] = []
    total = last = 0
    at, end = 0, len(pattern)
    while at < end:
        char = pattern[at]
        if char == "(":
            stack.append((total, last))
            total = last = 0
            at = _group_start(pattern, at + 1)
            continue
        if char == ")" and stack:
            inner = total
            total, last = stack.pop()
            total, last, at = total + inner, inner, at + 1
            continue
        if char == "{":
            counted = _COUNTED.match(pattern, at)
            if counted is not None and (counted[1] or counted[3]):
                copies = _largest(counted[1], counted[2], counted[3])
                total += last * (copies - 1)
                last *= copies
                at = counted.end()
                continue
        if char in "*+?|":
            at += 1
            continue
        at = _atom_end(pattern, at)
        total, last = total + 1, 1
    while stack:  # an unbalanced pattern: its compile error says so
        inner = total
        total, _ = stack.pop()
        total += inner
    return total


def _largest(low: str, comma: str, high: str) -> int:
    """The largest count of `{low}`, `{low,}`, `{low,high}` or `{,high}` (a loop beyond `low` is no copy)."""
    if high:
        return max(int(high), 1)
    if comma:
        return max(int(low or 0), 1)
    return max(int(low), 1)


def _atom_end(pattern: str, at: int) -> int:
    """Where the atom at `at` ends: an escape (with a braced argument), a class, a character."""
    if pattern[at] == "\\":
        if at + 2 < len(pattern) and pattern[at + 1] in _BRACED_ESCAPES and pattern[at + 2] == "{":
            close = pattern.find("}", at + 3)
            return len(pattern) if close < 0 else close + 1
        return at + 2
    if pattern[at] == "[":
        at += 1
        if at < len(pattern) and pattern[at] == "^":
            at += 1
        if at < len(pattern) and pattern[at] == "]":
            at += 1
        while at < len(pattern) and pattern[at] != "]":
            at += 2 if pattern[at] == "\\" else 1
        return at + 1
    return at + 1


def _group_start(pattern: str, at: int) -> int:
    """Past a group's opening (`?:`, `?P<name>`, `?i:`, `?=`...) to its first atom."""
    if not pattern.startswith("?", at):
        return at
    if pattern.startswith(("?P<", "?<"), at) and not pattern.startswith(("?<=", "?<!"), at):
        close = pattern.find(">", at)
        return len(pattern) if close < 0 else close + 1
    if pattern.startswith(("?#", "?P="), at):
        close = pattern.find(")", at)
        return len(pattern) if close < 0 else close
    at += 1
    while at < len(pattern) and pattern[at] not in ":=!>)":
        at += 1
    if pattern.startswith(("<=", "<!"), at - 1):
        return at + 1
    return at + 1 if at < len(pattern) and pattern[at] != ")" else at
