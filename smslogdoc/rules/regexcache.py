"""Rule patterns as compiled once: the `regex` module reads a pattern in Python
(about half a millisecond each; a client's log folder needs some 600 of them,
and every process pays it again: each fleet and folder worker). What it makes
of a pattern is what it pickles (`Pattern._pickled_data`: the text, the flags,
the compiled code, the group names); that is kept as JSON in the cache folder
of `rules.yamlcache`, one small file a pattern, named by the SHA-256 of the
pattern, its flags and the versions of `regex` and Python. A later process
builds the pattern from it as unpickling does (`_regex.compile`), in
microseconds. Nothing here is required: a file that cannot be read, or that
does not hold the pattern it is named for, is passed by and the pattern
compiled as before; `SMSLOGDOC_CACHE=off` keeps nothing. The cache folder is
trusted as the user's own, as the rule data kept beside it is."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import regex

from smslogdoc.rules.yamlcache import folder, prune

VERSION = 1
"""Raised when what is kept changes shape."""
LIMIT = 20_000
"""Files kept at most; past it, when a process first keeps one, the oldest half go."""
_PREFIX = "regex-"
_FIELDS = 11
"""What `regex` pickles of a pattern: text, flags, code, group index, index
group, named lists, their indexes, required string offset, its characters,
its flags, group count."""

_pruned = False


def compiled(source: str, flags: int) -> regex.Pattern[str]:
    """`regex.compile(source, flags)`, from the cache when an earlier process kept it."""
    place = _place(source, flags)
    if place is not None:
        found = _recall(place, source)
        if found is not None:
            return found
    pattern = regex.compile(source, flags)
    if place is not None:
        _keep(place, pattern)
    return pattern


def _place(source: str, flags: int) -> Path | None:
    where = folder()
    if where is None:
        return None
    versions = f"{VERSION}\0{getattr(regex, '__version__', '')}\0{sys.version}\0{flags}\0"
    digest = hashlib.sha256((versions + source).encode("utf-8", "surrogatepass")).hexdigest()
    return where / f"{_PREFIX}{digest}.json"


def _recall(place: Path, source: str) -> regex.Pattern[str] | None:
    try:
        kept = json.loads(place.read_bytes())
        data = _decoded(kept)
        if data is None or data[0] != source:
            return None
        pattern: regex.Pattern[str] = regex._regex.compile(*data)
    except Exception:  # a damaged or foreign file: compiled afresh
        return None
    return pattern


def _encoded(data: tuple[Any, ...]) -> list[Any] | None:
    """The pickled data as JSON values; None for what a rule never uses
    (named lists) or a shape this module does not know."""
    if len(data) != _FIELDS or data[5] or data[6] or not isinstance(data[2], bytes):
        return None
    text, flags, code, index, names, _, _, offset, chars, chars_flags, groups = data
    return [
        text,
        flags,
        base64.b64encode(code).decode("ascii"),
        index,
        [[number, name] for number, name in names.items()],
        offset,
        list(chars),
        chars_flags,
        groups,
    ]


def _decoded(kept: object) -> tuple[Any, ...] | None:
    if not isinstance(kept, list) or len(kept) != _FIELDS - 2:
        return None
    text, flags, code, index, names, offset, chars, chars_flags, groups = kept
    return (
        text,
        flags,
        base64.b64decode(code),
        dict(index),
        dict(names),
        {},
        [],
        offset,
        tuple(chars),
        chars_flags,
        groups,
    )


def _keep(place: Path, pattern: regex.Pattern[str]) -> None:
    """Keep a compiled pattern for later processes; any failure is ignored."""
    global _pruned
    try:
        data = tuple(pattern._pickled_data)
        kept = _encoded(data)
        if kept is None or _decoded(json.loads(json.dumps(kept))) != data:
            return
        place.parent.mkdir(parents=True, exist_ok=True)
        partial = place.with_name(f"{place.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(kept), encoding="utf-8")
        partial.replace(place)  # whole or not at all, even with processes side by side
        if not _pruned:
            _pruned = True
            prune(place.parent, _PREFIX, LIMIT)
    except Exception:
        return
