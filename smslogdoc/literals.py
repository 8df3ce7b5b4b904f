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
    [
        "error",
        "errors",
        "failed",
        "fail",
        "failure",
        "unable",
        "could",
        "cannot",
        "not",
        "return",
        "code",
        "service",
        "create",
        "connect",
        "component",
        "command",
        "program",
        "package",
        "client",
        "account",
        "user",
        "users",
        "site",
        "file",
        "files",
        "system",
        "install",
        "setup",
        "thread",
        "time",
        "date",
        "warning",
        "the",
        "to",
        "for",
        "with",
        "from",
        "and",
        "of",
        "in",
        "on",
        "is",
        "was",
        "at",
        "by",
        "line",
        "msi",
        "action",
        "value",
        "property",
        "request",
        "status",
        "state",
        "message",
        "download",
        "successfully",
        "ccmsetup",
        "ccm",
        "sms",
        "schedule",
        "scheduler",
        "job",
        "data",
    ]
)
"""Words in nearly every log: a literal made of one of them filters nothing, so a
rarer literal of the same pattern is preferred when there is a choice."""


def required_literals(pattern: str) -> tuple[str, ...]:
    """Lower-case literals one of which occurs in every text `pattern` matches
    (ignoring case); () when no such set is known."""
    try:
        parsed = _parser.parse(pattern, 0)
    except re.error:
        # A name given to two groups (`(?P<error>...)|(?P<error>...)`) is the
        # `regex` module's: names change no literal, so read it without them.
        try:
            parsed = _parser.parse(_UNNAMED.sub("(", pattern), 0)
        except (re.error, RecursionError, OverflowError):
            return ()  # a pattern only the `regex` module understands: no prefilter
    except (RecursionError, OverflowError):
        return ()
    best = _from_sequence(list(parsed))
    return tuple(sorted(set(best))) if best else ()


_UNNAMED = re.compile(r"(?<!\\)\(\?P<[A-Za-z_]\w*>")
"""The opening of a named group (not an escaped parenthesis)."""

MAX_VARIANTS = 16
"""Alternatives of a literal run (`(?:mp|source):` is `mp:` or `source:`) kept at most."""


def _from_sequence(items: list[tuple[object, object]]) -> list[str]:
    """The best requirement of a sequence: one of its literal runs (a run may
    have variants, from a group of plain alternatives inside it), or else an
    alternation every branch of which has its own literal."""
    candidates: list[list[str]] = []
    current = [""]

    def flush() -> None:
        nonlocal current
        if current != [""]:
            candidates.append(current)
        current = [""]

    for op, value in items:
        if op is _parser.LITERAL:
            current = [text + chr(value) for text in current]  # type: ignore[arg-type]
            continue
        plain = _plain(op, value)
        if plain is not None and len(current) * len(plain) <= MAX_VARIANTS:
            current = [text + option for text in current for option in plain]
            continue
        before = current
        flush()
        if op is _parser.SUBPATTERN:
            found = _from_sequence(list(value[-1]))  # type: ignore[index]
            if found:
                candidates.append(found)
        elif op is _parser.BRANCH:
            options = _from_branches(value[1], before)  # type: ignore[index]
            if options:
                candidates.append(options)
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT) and value[0] >= 1:  # type: ignore[index]
            found = _from_sequence(list(value[2]))  # type: ignore[index]
            if found:
                candidates.append(found)
    flush()
    return _best(candidates)


def _from_branches(branches: list[list[tuple[object, object]]], before: list[str]) -> list[str]:
    """An alternation's requirement: a literal of each branch ([] when a branch has none)."""
    options: list[str] = []
    lead: list[tuple[object, object]] = (
        [(_parser.LITERAL, ord(char)) for char in before[0]] if len(before) == 1 else []
    )
    for branch in branches:
        # the run before the alternation goes on into a branch that starts with text
        found = _from_sequence(
            lead + list(branch) if branch and branch[0][0] is _parser.LITERAL else list(branch)
        )
        if not found:
            return []
        options.extend(found)
    return options


def _best(candidates: list[list[str]]) -> list[str]:
    """The requirement that filters best among a sequence's candidates ([] when none will do)."""
    usable = [
        sorted({option.lower() for option in options})
        for options in candidates
        if all(len(option.strip()) >= MIN_LENGTH for option in options)
    ]
    if not usable:
        return []
    # Prefer literals that are not common words, then the requirement whose
    # weakest literal is longest (it filters best), then fewer alternatives.
    return max(
        usable,
        key=lambda options: (
            not any(_common(o) for o in options),
            min(len(o) for o in options),
            -len(options),
        ),
    )


def _plain(op: object, value: object) -> list[str] | None:
    """The texts a group of plain alternatives (`(?:mp|source)`) matches exactly; None otherwise."""
    if op is _parser.SUBPATTERN:
        inner = list(value[-1])  # type: ignore[index]
        if inner and all(item_op is _parser.LITERAL for item_op, _ in inner):
            return ["".join(chr(char) for _, char in inner)]
        return _plain(*inner[0]) if len(inner) == 1 else None
    if op is _parser.BRANCH:
        options: list[str] = []
        for branch in value[1]:  # type: ignore[index]
            if not branch or not all(item_op is _parser.LITERAL for item_op, _ in branch):
                return None
            options.append("".join(chr(char) for _, char in branch))
        return options
    return None


def _common(literal: str) -> bool:
    """One or two words, each of which nearly every log has."""
    words = _WORD.findall(literal.lower())
    return 0 < len(words) <= 2 and all(word in COMMON for word in words)


_WORD = re.compile(r"[a-z0-9]+")
