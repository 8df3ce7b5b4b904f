"""The rule families' tables and the bundled rule files as parsed once: YAML is
slow to read (a second of start-up for the bundled tables, a quarter of one
for the 540 bundled rules), so each file's data is kept as JSON in the user's
cache folder, under the SHA-256 of its bytes; a changed file has another name
and is read again (the same bytes read by the same safe loader are the same
data, whichever reads them). Nothing here is required: a cache that cannot be
read or written is ignored, and `SMSLOGDOC_CACHE=off` turns it off.

Where: `SMSLOGDOC_CACHE` if set, else the platform's cache folder
(`%LOCALAPPDATA%\\smslogdoc\\Cache`, `~/Library/Caches/smslogdoc`,
`$XDG_CACHE_HOME/smslogdoc` or `~/.cache/smslogdoc`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path

import yaml

from smslogdoc.data.yamlload import LOADER

VERSION = 1
"""Raised when what is kept changes shape."""
LIMIT = 5000
"""Files kept at most: every edited or upgraded rule file leaves its old copy
behind, so when a new copy takes the folder past this, the oldest half go."""


def folder() -> Path | None:
    """The cache folder, or None when turned off."""
    chosen = os.environ.get("SMSLOGDOC_CACHE")
    if chosen:
        return None if chosen.lower() in ("off", "0", "no") else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "smslogdoc" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "smslogdoc"
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "smslogdoc"


def _place(raw: bytes) -> Path | None:
    where = folder()
    return None if where is None else where / f"table-{VERSION}-{hashlib.sha256(raw).hexdigest()}.json"


def parsed(raw: bytes, text: str | None = None) -> object:
    """The data of a YAML file of these bytes (`text`: the same, decoded, when
    the caller has it): kept from an earlier run, else parsed now by the safe
    loader and kept. Raises what `yaml.load` raises, and UnicodeDecodeError."""
    known, data = recall(raw)
    if known:
        return data
    data = yaml.load(raw.decode("utf-8") if text is None else text, Loader=LOADER)
    keep(raw, data)
    return data


def recall(raw: bytes) -> tuple[bool, object]:
    """(True, data) when a table with these bytes was kept; (False, None) otherwise."""
    place = _place(raw)
    if place is None:
        return False, None
    try:
        return True, json.loads(place.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None


def keep(raw: bytes, data: object) -> None:
    """Keep a table's data for the next run; any failure is ignored."""
    place = _place(raw)
    if place is None:
        return
    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) != data:
            return  # JSON would change it (a number as a mapping's key, a date): not kept
        place.parent.mkdir(parents=True, exist_ok=True)
        partial = place.with_name(f"{place.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(place)  # whole or not at all, even with runs side by side
        prune(place.parent, "table-", LIMIT)
    except (OSError, TypeError, ValueError):
        return


def prune(where: Path, prefix: str, limit: int) -> None:
    """Above `limit` files named `prefix...` in `where`, remove the oldest half
    (by when they were written; one still in use is only made again and kept
    anew). Shared by the kept tables here and the kept patterns (`regexcache`)."""
    kept = [entry for entry in os.scandir(where) if entry.name.startswith(prefix) and entry.is_file()]
    if len(kept) <= limit:
        return
    kept.sort(key=lambda entry: entry.stat().st_mtime)
    for entry in kept[: len(kept) - limit // 2]:
        with contextlib.suppress(OSError):
            Path(entry.path).unlink()
