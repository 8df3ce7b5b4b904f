"""Following logs as they grow, like CMTrace's live view or `tail -F`.

`changes` polls the paths every `interval` seconds and yields each time what
they hold changed (once at the start, then on growth, truncation, rotation,
a new file): the caller reads again and reports what is new. A named
`ccmsetup.log` is followed together with the `ccmsetup.lo_` beside it, so when
the client rotates it (the `.log` renamed to `.lo_`, a new `.log` started)
nothing between the two is lost. `Position` remembers, per physical file
(its inode survives the rename), how far it was already reported.

Following ends when `stop` is set, after `timeout` seconds in all, after
`idle` seconds without change, or on Ctrl-C (KeyboardInterrupt, left to the
caller so it can print its summary).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from smslogdoc.inputs.paths import STDIN
from smslogdoc.inputs.rotation import ROTATED

Snapshot = tuple[tuple[str, int, int, int], ...]


@dataclass
class FollowOptions:
    """How to follow: the poll interval and when to stop (None: never)."""

    interval: float = 1.0
    """Seconds between looks at the files."""
    timeout: float | None = None
    """Stop after this many seconds in all (`--follow-timeout`; scripts and tests)."""
    idle: float | None = None
    """Stop after this many seconds without any change."""
    stop: threading.Event = field(default_factory=threading.Event)
    """Set it (from another thread) to stop following."""


def with_rotated(paths: list[str]) -> list[str]:
    """`paths` and, beside each named current log (`ccmsetup.log`), its rotated
    part (`ccmsetup.lo_`) when there is one now: the part the log rotates into."""
    found: list[str] = []
    for text in paths:
        if text != STDIN:
            path = Path(text)
            match = ROTATED.match(path.name)
            if match and match["ext"].lower() == "log" and not match["stamp"]:
                rotated = path.with_name(f"{match['base']}.lo_")
                if rotated.is_file() and str(rotated) not in paths and str(rotated) not in found:
                    found.append(str(rotated))
        found.append(text)
    return found


def snapshot(paths: list[str]) -> Snapshot:
    """What the files under `paths` look like now: name, inode, size, modification time."""
    seen: list[tuple[str, int, int, int]] = []
    for text in with_rotated(paths):
        root = Path(text)
        candidates = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in candidates:
            try:
                info = path.stat()
            except OSError:
                continue
            if path.is_file():
                seen.append((str(path), info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(seen)


def changes(paths: list[str], options: FollowOptions) -> Iterator[None]:
    """Yield at once, then each time the files under `paths` change, until stopped."""
    started = last_change = time.monotonic()
    before = snapshot(paths)
    yield None
    while not options.stop.is_set():
        now = time.monotonic()
        if options.timeout is not None and now - started >= options.timeout:
            return
        if options.idle is not None and now - last_change >= options.idle:
            return
        wait = options.interval
        if options.timeout is not None:
            wait = min(wait, max(0.0, started + options.timeout - now))
        if options.stop.wait(wait):
            return
        current = snapshot(paths)
        if current != before:
            before, last_change = current, time.monotonic()
            yield None


@dataclass
class Position:
    """How far each physical file was reported, by inode (a rename keeps it),
    so a rotated `.lo_` is not reported again and a new `.log` is from its start."""

    lines: dict[tuple[int, int], int] = field(default_factory=dict)

    @staticmethod
    def identity(path: str) -> tuple[int, int] | None:
        """The file's (device, inode), or None when it cannot be looked at."""
        try:
            info = Path(path).stat()
        except OSError:
            return None
        return (info.st_dev, info.st_ino)

    def new(self, key: tuple[int, int] | None, line: int) -> bool:
        """Whether line `line` of the file `key` was not reported yet (and note it)."""
        if key is None:
            return True
        if line <= self.lines.get(key, 0):
            return False
        self.lines[key] = line
        return True
