"""Suggestions in rule errors: the key or value a misspelt one was meant to be."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """`; did you mean 'message'?` for a misspelt key or value, or ''."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, [str(choice) for choice in choices], n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""
