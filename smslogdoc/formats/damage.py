"""CMTrace logs damaged on their way into a ticket, and their repair.

This module owns recognising a CMTrace paste that a web page, a blog engine or
a Markdown renderer damaged, and undoing that damage in its text before the
CMTrace parser (`formats.cmtrace`) reads it. The kinds of damage:

* curly quotes: a blog's "smart quotes" turned the header's straight quotes
  into curly ones (U+201C, U+201D, the double prime U+2033; single quotes into
  U+2018, U+2019, the prime U+2032), as in `time=\u201d08:51:08.954-570\u2033`;
  the same pages make `...` one ellipsis character (U+2026), put back too;
* HTML entities left as text: a page escaped the record twice, so it shows
  `&lt;![LOG[...]LOG]!&gt;&lt;time=&quot;...&quot; ...&gt;` (`&amp;`,
  `&#39;`, `&#34;` and `&nbsp;` too);
* Markdown escapes: Markdown sources (Microsoft's support articles among them)
  write `\\<` for `<`, so the record reads `\\<![LOG[...]LOG]!>\\<time="..."`;
  backslashes inside the markers (`LOG\\[`, `\\]LOG\\]`) are undone too, and
  the `> ` quote marker and two-space hard break of each line are dropped;
* non-breaking spaces (U+00A0) where the page had spaces, when one of the
  above is present.

A file is repaired only when its sample is not CMTrace as it is and is CMTrace
once repaired (`damage_in`), so a healthy log is never touched. The repair
never adds or removes a line break: line numbers stay those of the file. Such
files are irregular and are always read in full, never scanned (`read.scan`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TextIO, cast

from smslogdoc.formats import cmtracetext

CURLY, ENTITIES, MARKDOWN, NBSP = "curly quotes", "HTML entities", "Markdown escapes", "non-breaking spaces"

_QUOTES = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "‶": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "‵": "'",
    "\u2026": "...",
}
_ENTITIES = {
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&amp;": "&",
    "&apos;": "'",
    "&#39;": "'",
    "&#34;": '"',
    "&#60;": "<",
    "&#62;": ">",
    "&nbsp;": " ",
}
_ESCAPES = {"\\<": "<", "\\>": ">"}
_MARKERS = (r"\\?<\\?!\\?\[LOG\\?\[", r"\\?\]LOG\\?\]\\?!\\?>")
"""The CMTrace markers with Markdown backslashes anywhere in them."""
_QUOTING = r"(?:  )?(?:\r\n|\r|\n)(?:> ?)?"
"""A Markdown line end: its hard-break spaces, the line break, the next line's
`> ` quote marker (only the break is kept)."""

_FOUND: dict[str, Callable[[str], bool]] = {
    CURLY: lambda text: any(quote in text for quote in _QUOTES),
    ENTITIES: lambda text: "&lt;" in text or "&quot;" in text or "&gt;" in text,
    MARKDOWN: lambda text: "\\<" in text or "LOG\\[" in text or "\\]LOG" in text,
    NBSP: lambda text: "\xa0" in text,
}

HOLD = 12
"""Characters kept back at the end of a chunk, so that no repair (the longest,
`\\<\\!\\[LOG\\[`, has 11) is cut in two."""


def damage_in(sample: str) -> tuple[str, ...]:
    """The kinds of damage in a sample that is CMTrace once repaired; () when
    there is none, or when the repaired text is not CMTrace either."""
    if "LOG" not in sample:
        return ()
    kinds = tuple(name for name, found in _FOUND.items() if found(sample))
    if not kinds or kinds == (NBSP,):
        return ()
    fixed = repair(sample, kinds, start=True)
    return kinds if cmtracetext.OPEN in fixed and cmtracetext.looks_like_cmtrace(fixed) else ()


@lru_cache(maxsize=16)
def _repairs(kinds: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every repair of `kinds` (the markers first), and what each text becomes."""
    table: dict[str, str] = {}
    if CURLY in kinds:
        table |= _QUOTES
    if ENTITIES in kinds:
        table |= _ENTITIES
    if MARKDOWN in kinds:
        table |= _ESCAPES
    if NBSP in kinds:
        table["\xa0"] = " "
    alternatives = [_QUOTING, *_MARKERS] if MARKDOWN in kinds else []
    alternatives += [re.escape(key) for key in sorted(table, key=len, reverse=True)]
    return re.compile("|".join(alternatives) or "(?!)"), table


def _replace(table: dict[str, str]) -> Callable[[re.Match[str]], str]:
    def replacement(found: re.Match[str]) -> str:
        text = found[0]
        known = table.get(text)
        if known is not None:
            return known
        if "\n" in text or "\r" in text:
            return text.strip(" >")
        return cmtracetext.CLOSE if "LOG" in text and text.lstrip("\\").startswith("]") else cmtracetext.OPEN

    return replacement


def repair(text: str, kinds: tuple[str, ...], *, start: bool = False) -> str:
    """`text` with the damage of `kinds` undone, in one pass (`&amp;lt;` becomes
    `&lt;`); `start`: the text begins the file (so its first line may be quoted)."""
    pattern, table = _repairs(kinds)
    if start and MARKDOWN in kinds:
        return pattern.sub(_replace(table), "\n" + text)[1:]
    return pattern.sub(_replace(table), text)


class _Repaired(io.TextIOBase):
    """A text stream read through `repair`, a chunk at a time."""

    def __init__(self, stream: TextIO, kinds: tuple[str, ...]) -> None:
        self._stream, self._kinds, self._held = stream, kinds, ""
        self._start = True

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        pattern = _repairs(self._kinds)[0]
        while True:
            chunk = self._stream.read(-1 if size is None else size)
            text = self._held + chunk
            if not chunk:
                self._held, start, self._start = "", self._start, False
                return repair(text, self._kinds, start=start)
            # Keep the last HOLD characters back, and any repair that reaches them
            # (a line break at the cut may be followed by a quote marker).
            keep_from = max(len(text) - HOLD, 0)
            if self._start and len(text) < 2 * HOLD:
                keep_from = 0  # the file's first line may start with a quote marker: read it whole
            for found in pattern.finditer(text, max(keep_from - HOLD, 0)):
                if found.start() < keep_from <= found.end():
                    keep_from = found.start()
            self._held = text[keep_from:]
            if keep_from:
                start, self._start = self._start, False
                fixed = repair(text[:keep_from], self._kinds, start=start)
                if fixed:  # an empty answer would mean the end of the file
                    return fixed


def repaired(stream: TextIO, kinds: tuple[str, ...]) -> TextIO:
    """`stream`, read with the damage of `kinds` undone."""
    return cast(TextIO, _Repaired(stream, kinds))
