"""The one reading of the bundled lists of routine messages that several stages use:
`benign.yaml` (error records healthy clients write routinely) and the `benign`
section of `phrases.yaml` (contexts in which no failure wording applies)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from smslogdoc.data.yamlload import LOADER


@cache
def benign_entries() -> tuple[Any, ...]:
    """The entries of `benign.yaml` as written (error records healthy clients
    write routinely): `engine.benign` checks and uses them; `formats.severity`
    takes their patterns."""
    text = resources.files("smslogdoc.data").joinpath("benign.yaml").read_text(encoding="utf-8")
    entries = yaml.load(text, Loader=LOADER) or []
    return tuple(entries) if isinstance(entries, list) else (entries,)


@cache
def benign_wordings() -> tuple[str, ...]:
    """The patterns of the `benign` section of `phrases.yaml` (contexts in
    which no failure wording applies); that section alone is parsed, not the
    whole table."""
    phrases = resources.files("smslogdoc.data").joinpath("phrases.yaml").read_text(encoding="utf-8")
    start, end = phrases.find("\nbenign:\n"), phrases.find("\nphrases:\n")
    if not 0 <= start < end:
        return ()
    section = yaml.load(phrases[start:end], Loader=LOADER) or {}
    return tuple(
        str(entry["pattern"])
        for entry in section.get("benign") or []
        if isinstance(entry, dict) and entry.get("pattern")
    )
