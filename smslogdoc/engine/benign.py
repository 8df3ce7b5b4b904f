"""Error records healthy clients write routinely: the bundled list
(`data/benign.yaml`, each entry with the real log that shows the run went on)
and the user's own (`benign.yaml` in smslogdoc's configuration folder). The
unexplained-errors summary (`engine.unexplained`) counts them apart."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from smslogdoc.data.benign import benign_entries
from smslogdoc.model import Event
from smslogdoc.rules.model import LogScope

__all__ = ["BENIGN_FILE", "Benign", "BenignError", "benign_list", "user_benign", "user_benign_path"]

BENIGN_FILE = "benign.yaml"
"""The user's list of routine messages, in smslogdoc's configuration folder (`user_benign_path`)."""


@dataclass(frozen=True)
class Benign:
    """An error record healthy clients write routinely (an entry of data/benign.yaml)."""

    pattern: re.Pattern[str]
    logs: tuple[str, ...]
    """Kind names or file-name globs of the logs it appears in."""
    source: str
    component: str = ""

    def matches(self, event: Event, where: LogScope) -> bool:
        if self.component and event.component.lower() != self.component.lower():
            return False
        return where.is_one_of(self.logs) and self.pattern.search(event.message.strip()) is not None


@cache
def benign_list() -> tuple[Benign, ...]:
    """The known-benign error records: the bundled list, then the user's own
    (`user_benign_path()`, when that file exists)."""
    return tuple(_entries(list(benign_entries()), "smslogdoc/data/benign.yaml")) + user_benign()


@cache
def user_benign() -> tuple[Benign, ...]:
    """The user's own list (`user_benign_path()`); empty when there is none."""
    path = user_benign_path()
    if not path.is_file():
        return ()
    return tuple(_entries(yaml.safe_load(path.read_text(encoding="utf-8")) or [], str(path)))


def user_benign_path() -> Path:
    """Where a user lists messages routine on their clients: `benign.yaml` in
    smslogdoc's configuration folder, `$SMSLOGDOC_CONFIG` when set, else
    `%APPDATA%\\smslogdoc` on Windows and `$XDG_CONFIG_HOME/smslogdoc`
    (`~/.config/smslogdoc`) elsewhere."""
    folder = os.environ.get("SMSLOGDOC_CONFIG")
    if folder:
        return Path(folder) / BENIGN_FILE
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "smslogdoc" / BENIGN_FILE
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "smslogdoc" / BENIGN_FILE


class BenignError(ValueError):
    """A benign list that cannot be used: its file and what is wrong."""


def _entries(entries: object, where: str) -> list[Benign]:
    """The entries of one benign list (`where`: its file, for errors)."""
    if not isinstance(entries, list):
        raise BenignError(f"{where}: expected a list of entries (pattern, log, source)")
    known = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "pattern" not in entry or "log" not in entry:
            raise BenignError(f"{where}: entry {number}: needs at least pattern and log")
        logs = entry["log"] if isinstance(entry["log"], list) else [entry["log"]]
        try:
            pattern = re.compile(str(entry["pattern"]))
        except re.error as error:
            raise BenignError(f"{where}: entry {number}: pattern: {error}") from None
        known.append(
            Benign(
                pattern,
                tuple(str(log) for log in logs),
                str(entry.get("source", where)),
                str(entry.get("component", "")),
            )
        )
    return known
