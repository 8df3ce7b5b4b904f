"""Literal text a regular expression cannot match without.

The rule engine does not run every rule's pattern on every record: it first
looks, in one pass, for literal text the patterns need (`Failed to access
source file` in `Failed to access source file \\((?P<source>[^)]*)\\)`), and
runs a pattern only on records holding one of its literals. This module finds
those literals. When it cannot be sure, it returns none, and the pattern is
simply run on every record: a missed literal would be a missed finding.
"""

from __future__ import annotations

import re
from re import _parser  # type: ignore[attr-defined]  # the stdlib regex parser, stable since 3.11

MIN_LENGTH = 3
"""Shorter literals filter too little to be worth it."""

COMMON = frozenset(
    ["error", "errors", "failed", "fail", "failure", "unable", "could", "cannot", "not", "return", "code", "service", "create", "connect", "component", "command", "program", "package", "client", "account", "user", "users", "site", "file", "files", "system", "install", "setup", "thread", "time", "date", "warning", "the", "to", "for", "with", "from", "and", "of", "in", "on", "is", "was", "at", "by"]
)
"""Words in nearly every log: a literal made of one of them filters nothing, so a
rarer literal of the same pattern is preferred when there is a choice."""


def required_literals(pattern: str) -> tuple[str, ...]:
    """Lower-case literals one of which occurs in every text `pattern` matches
    (ignoring case); () when no such set is known."""
    try:
        parsed = _parser.parse(pattern, 0)
    except (re.error, RecursionError, OverflowError):
        return ()  # a pattern only the `regex` module understands: no prefilter
    best = _from_sequence(list(parsed))
    return tuple(sorted(set(best))) if best else ()


def _from_sequence(items: list[tuple[object, object]]) -> list[str]:
    """The best requirement of a sequence: its longest literal run, or else an
    alternation every branch of which has its own literal."""
    runs: list[str] = []
    current: list[str] = []
    alternatives: list[list[str]] = []
    for op, value in items:
        if op is _parser.LITERAL:
            current.append(chr(value))  # type: ignore[arg-type]
            continue
        if current:
            runs.append("".join(current))
            current = []
        if op is _parser.SUBPATTERN:
            inner = list(value[-1])  # type: ignore[index]
            found = _from_sequence(inner)
            if found:
                alternatives.append(found)
        elif op is _parser.BRANCH:
            branches = value[1]  # type: ignore[index]
            options: list[str] = []
            for branch in branches:
                found = _from_sequence(list(branch))
                if not found:
                    options = []
                    break
                options.extend(found)
            if options:
                alternatives.append(options)
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT) and value[0] >= 1:  # type: ignore[index]
            found = _from_sequence(list(value[2]))  # type: ignore[index]
            if found:
                alternatives.append(found)
    if current:
        runs.append("".join(current))
    candidates: list[list[str]] = [[run.lower()] for run in runs if len(run.strip()) >= MIN_LENGTH]
    candidates += [[option.lower() for option in options] for options in alternatives if all(len(o.strip()) >= MIN_LENGTH for o in options)]
    if not candidates:
        return []
    # Prefer literals that are not common words, then the requirement whose
    # weakest literal is longest (it filters best), then fewer alternatives.
    return max(candidates, key=lambda options: (not any(_common(o) for o in options), min(len(o) for o in options), -len(options)))


def _common(literal: str) -> bool:
    return literal.strip(" :=(),.'\"").lower() in COMMON
