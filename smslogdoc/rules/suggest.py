"""Suggestions in rule errors: the key or value a misspelt one was meant to be."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """`; did you mean 'message'?` for a misspelt key or value, or '': the
    one choice `word` begins (`warn` of `warning`), else the closest."""
    if not isinstance(word, str):
        return ""
    names = [str(choice) for choice in choices]
    started = [name for name in names if word and name.startswith(word) and name != word]
    close = started if len(started) == 1 else difflib.get_close_matches(word, names, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""
