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
once repaired (`damage_in`), so a healthy log is never touched.

Any log pasted into a ticket, a mail or a forum post (`pasted_in`, asked by
`registry.detect` before the formats look at a sample) may carry decorations
on every line, stripped line by line before its format is decided:

* line numbers: `12: ` or `12 | ` before each line, counting up one a line;
* quote markers: `> ` (or `>` alone on an empty line) before each line;
* code indentation: four spaces or a tab before each line (a code block).

and, in text that is not CMTrace, HTML entities left as text (`characters_in`)
and a page's spaces and quotes (`page_characters_in`; plain lines put them back
themselves, in `plaintext`). A CMTrace paste wrapped at 80 columns or fewer
(`wraps.wrap_width`) has each record's lines joined again (`WRAPPED`). No repair
adds or removes a line break: line numbers stay those of the file. Such files
are irregular and are always read in full, never scanned (`read.scan`).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TextIO, cast

from smslogdoc.formats import cmtracetext
from smslogdoc.formats.webpage import ENTITIES as _ENTITIES
from smslogdoc.formats.webpage import QUOTES as _QUOTES

CURLY, ENTITIES, MARKDOWN, NBSP = "curly quotes", "HTML entities", "Markdown escapes", "non-breaking spaces"
NUMBERED, QUOTED, INDENTED = "line numbers", "quote markers", "code indentation"
WRAPPED = "CMTrace records wrapped onto several lines"
DECORATIONS = (NUMBERED, QUOTED, INDENTED)
"""Kinds of damage that sit at the start of each line (stripped line by line)."""

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
    """`stream`, read with the damage of `kinds` undone: line by line (`_Lines`),
    but for Markdown escapes, whose line ends and quote markers go together
    (`_Repaired`, after any other decorations are stripped)."""
    if MARKDOWN not in kinds:
        return cast(TextIO, _Lines(stream, kinds))
    decorations = tuple(kind for kind in kinds if kind in DECORATIONS)
    if decorations:
        stream = cast(TextIO, _Lines(stream, decorations))
    return cast(TextIO, _Repaired(stream, tuple(kind for kind in kinds if kind not in DECORATIONS)))


# --- decorations of pasted lines ------------------------------------------------------------------

_PREFIXES = {
    NUMBERED: re.compile(r"[ \t]*(\d{1,7})[ \t]*(?::|\|)(?:[ \t]|(?=[\r\n])|$)"),
    QUOTED: re.compile(r"(?:>[ \t])+|>[ \t]*(?=[\r\n]|$)"),
    INDENTED: re.compile(r"\t| {4}"),
}
"""What each decoration puts before a line (matched at the line's start)."""
_SHARE = 0.9
"""The share of a sample's lines holding text that must carry a decoration."""
_LINE_END = re.compile(r"\r\n|\r|\n")


def _decoration(lines: list[str]) -> str | None:
    """The decoration (nearly) every line of `lines` carries, if one does."""
    full = [line for line in lines if line.strip()]
    if not full:
        return None
    numbers = [_PREFIXES[NUMBERED].match(line) for line in lines]
    counted = [int(found[1]) for found in numbers if found is not None]
    if len(counted) >= 3 and len(counted) >= _SHARE * len(full):
        steps = sum(1 for a, b in itertools.pairwise(counted) if b == a + 1)
        if steps >= _SHARE * (len(counted) - 1):
            return NUMBERED
    quoted = sum(1 for line in full if _PREFIXES[QUOTED].match(line))
    if quoted >= 2 and quoted >= _SHARE * len(full):
        return QUOTED
    if all(_PREFIXES[INDENTED].match(line) for line in full) and (full[1:] or cmtracetext.OPEN in full[0]):
        return INDENTED  # one indented line is a code block only if it is a CMTrace record
    return None


def _strip(line: str, kinds: tuple[str, ...]) -> str:
    for kind in kinds:
        found = _PREFIXES[kind].match(line)
        if found is not None:
            line = line[found.end() :]
    return line


def decorations_in(lines: list[str]) -> tuple[str, ...]:
    """The decorations on the lines of a sample, in the order they come off
    (a quoted code block: quote markers, then code indentation)."""
    kinds: list[str] = []
    while len(kinds) < len(DECORATIONS):
        kind = _decoration([_strip(line, tuple(kinds)) for line in lines])
        if kind is None or kind in kinds:
            break
        kinds.append(kind)
    return tuple(kinds)


def undecorated(text: str, kinds: tuple[str, ...]) -> str:
    """`text` with each line's decorations of `kinds` stripped (its line ends kept)."""
    if not kinds:
        return text
    pieces = _LINE_END.split(text)
    ends = _LINE_END.findall(text)
    return "".join(_strip(piece, kinds) + end for piece, end in zip(pieces, [*ends, ""], strict=True))


def characters_in(text: str) -> tuple[str, ...]:
    """Damage to the characters of a pasted text that is not CMTrace: HTML
    entities, when the text has no `<`, `>` or `"` of its own (a page escaped
    them all) and the sample holds `PAGE_MARKS` of them or more, or any quote
    written as one (`&quot;`, `&#39;`: no log writes those outside markup, and a
    quoted line of a ticket may hold only two). (Plain lines put curly quotes and
    non-breaking spaces back themselves: `plaintext`.)"""
    kinds: list[str] = []
    quotes = text.count("&quot;") + text.count("&#39;")
    entities = quotes + sum(text.count(entity) for entity in ("&lt;", "&gt;", "&amp;"))
    if (entities >= PAGE_MARKS or quotes) and not any(raw in text for raw in '<>"'):
        kinds.append(ENTITIES)
    return tuple(kinds)


PAGE_MARKS = 3
"""How many entities or non-breaking spaces a text that is not CMTrace must hold to be repaired."""


def page_characters_in(text: str) -> tuple[str, ...]:
    """Characters a page put for all of a log's spaces or quotes, in text that is not
    CMTrace: non-breaking spaces as many as the spaces left, or before an SMS trace's
    `$$<` (a French message's few before its colons are the writer's), and curly quotes
    with no straight quote left."""
    nbsp = text.count("\xa0")
    spaces = nbsp >= PAGE_MARKS and (nbsp >= text.count(" ") or "\xa0$$<" in text)
    return (NBSP,) * spaces + (CURLY,) * (
        any(q in text for q in "\u201c\u201d\u2018\u2019") and not any(q in text for q in "'\"")
    )


_HEADER_END = re.compile(r'\s*<(?:[^<>"]|"[^"]*")*>')
_HEADER_BEGUN = re.compile(r'\s*(?:<(?:[^<>"]|"[^"]*(?:"|\Z))*)?\Z')
_MAX_JOINED = 64
"""Lines a wrapped record may have been broken into."""


def _record_open(text: str) -> bool:
    """Whether the last CMTrace record begun in `text` has not reached the end of its header."""
    start = text.rfind(cmtracetext.OPEN)
    if start < 0:
        return False
    close = text.find(cmtracetext.CLOSE, start)
    if close < 0:
        return True
    rest = text[close + len(cmtracetext.CLOSE) :]
    return _HEADER_END.match(rest) is None and _HEADER_BEGUN.match(rest) is not None


def _rejoined(held: list[str]) -> str:
    """The lines of one wrapped record as one line, their line breaks moved after it."""
    if len(held) == 1:
        return held[0]
    bodies: list[str] = []
    ends: list[str] = []
    for text in held:
        body = text.rstrip("\r\n")
        bodies.append(body.rstrip(" "))
        ends.append(text[len(body) :])
    return " ".join(bodies) + "".join(ends)


_NBSP_HEADER = re.compile('"\xa0+(?:date|component|context|type|thread|file)\\s*=')


def nbsp_in_headers(text: str) -> bool:
    """Whether a CMTrace text has non-breaking spaces between its headers' attributes
    (a page's, never the writer's), so that its messages have them for spaces too."""
    return "\xa0" in text and _NBSP_HEADER.search(text) is not None


class _Lines(io.TextIOBase):
    """A text stream read line by line with the damage of `kinds` undone: each
    line's decorations stripped, its characters repaired, and (WRAPPED) the
    lines of a CMTrace record a wrap broke made one again, the line breaks that
    held moved after the record, so that the lines after it keep their numbers."""

    PIECE = 1 << 16

    def __init__(self, stream: TextIO, kinds: tuple[str, ...]) -> None:
        self._stream = stream
        self._decorations = tuple(kind for kind in kinds if kind in DECORATIONS)
        self._characters = tuple(kind for kind in kinds if kind not in DECORATIONS and kind != WRAPPED)
        self._wrapped = WRAPPED in kinds
        self._rest = ""
        self._line_start = True
        self._pieces = self._produce()

    def readable(self) -> bool:
        return True

    def _source(self) -> Iterator[str]:
        """The source's lines (pieces of a long one), decorations stripped and characters repaired."""
        while True:
            text = self._stream.readline(self.PIECE)
            if not text:
                return
            start, self._line_start = self._line_start, text.endswith(("\n", "\r"))
            if start and self._decorations:
                text = _strip(text, self._decorations)
            if self._characters:
                text = repair(text, self._characters)
            if text:
                yield text

    def _produce(self) -> Iterator[str]:
        if not self._wrapped:
            yield from self._source()
            return
        held: list[str] = []
        for text in self._source():
            held.append(text)
            if len(held) < _MAX_JOINED and _record_open("".join(held)):
                continue
            yield _rejoined(held)
            held = []
        if held:
            yield _rejoined(held)

    def _fill(self) -> bool:
        if not self._rest:
            self._rest = next(self._pieces, "")
        return bool(self._rest)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self._fill():
            return ""
        end = _LINE_END.search(self._rest)
        take = end.end() if end is not None else len(self._rest)
        if size is not None and 0 <= size < take:
            take = size
        out, self._rest = self._rest[:take], self._rest[take:]
        return out

    def read(self, size: int | None = -1) -> str:
        parts: list[str] = []
        total = 0
        while (size is None or size < 0 or total < size) and self._fill():
            take = len(self._rest) if size is None or size < 0 else min(len(self._rest), size - total)
            parts.append(self._rest[:take])
            self._rest = self._rest[take:]
            total += take
        return "".join(parts)
