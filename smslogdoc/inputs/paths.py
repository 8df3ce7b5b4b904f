"""Which logs to read: paths and folders named by the user, standard input, and
the grouping of rotated files into one logical log.

A folder is walked recursively (symbolic links followed, loops detected, hidden
entries and Markdown notes skipped); every other regular file is a candidate, because the format is
decided from content later, never from the name. Rotated parts
(`ccmsetup.lo_`, `execmgr-20240101-123456.log`) are grouped with their current
file and ordered oldest first, so a run that spans the rollover reads as one.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from smslogdoc.model import FileReport, Problem

STDIN = "-"
STDIN_NAME = "<stdin>"

_ROTATED = re.compile(r"^(?P<base>.+?)(?:-(?P<stamp>\d{8}-\d{6}))?\.(?P<ext>log|lo_)$", re.IGNORECASE)


@dataclass(frozen=True)
class InputFile:
    """One physical file to read (path None means standard input)."""

    path: Path | None
    display: str

    def size(self) -> int:
        """Its size in bytes; 0 for standard input or a file that cannot be looked at."""
        if self.path is None:
            return 0
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass
class LogInput:
    """One logical log: its physical parts, oldest first, and the folder it came from."""

    name: str
    """Display name of the log: its current file (the last part)."""
    folder: str
    """The folder holding the log (`<stdin>` for standard input); rules scoped
    `by: folder` correlate the logs of one folder."""
    parts: list[InputFile]
    reports: list[FileReport] = field(default_factory=list)
    """Filled in as the parts are read."""

    @property
    def file_name(self) -> str:
        """The current file's name, used to tell the log's kind (`ccmsetup.log`)."""
        last = self.parts[-1]
        return last.path.name if last.path is not None else ""


def collect(paths: Iterable[str], problems: list[Problem]) -> list[LogInput]:
    """Turn command-line paths into logical logs, in a stable order.

    Missing or unreadable paths become problems, not exceptions. `-` is
    standard input.
    """
    files: list[InputFile] = []
    seen: set[str] = set()
    for text in paths:
        if text == STDIN:
            if STDIN_NAME not in seen:
                seen.add(STDIN_NAME)
                files.append(InputFile(None, STDIN_NAME))
            continue
        path = Path(text)
        try:
            info = path.stat()
        except FileNotFoundError:
            problems.append(Problem(text, "no such file or directory"))
            continue
        except OSError as error:
            problems.append(Problem(text, f"cannot read: {error.strerror or error}"))
            continue
        if stat.S_ISDIR(info.st_mode):
            found = list(_walk(path, problems))
            if not found:
                problems.append(Problem(text, "folder holds no files to read"))
            for file in found:
                if str(file) not in seen:
                    seen.add(str(file))
                    files.append(InputFile(file, str(file)))
        elif str(path) not in seen:
            seen.add(str(path))
            files.append(InputFile(path, text))
    return group_rotated(files)


def _walk(root: Path, problems: list[Problem]) -> Iterable[Path]:
    """Files below `root`, depth-first in name order, without recursion (deep
    trees are fine) and without following a symbolic link into a loop."""
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
        except OSError as error:
            problems.append(Problem(str(folder), f"cannot read folder: {error.strerror or error}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in visited:
            problems.append(Problem(str(folder), "symbolic link loop: folder already read, not followed"))
            continue
        visited.add(key)
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(str(folder), f"cannot list folder: {error.strerror or error}"))
            continue
        subfolders = []
        for entry in listed:
            if entry.name.startswith(".") or entry.name.lower().endswith(".md"):
                continue  # hidden entries, and Markdown notes kept beside collected logs
            try:
                if entry.is_dir():
                    subfolders.append(Path(entry.path))
                elif entry.is_file():
                    yield Path(entry.path)
            except OSError as error:
                problems.append(Problem(entry.path, f"cannot read: {error.strerror or error}"))
        stack.extend(reversed(subfolders))


def group_rotated(files: list[InputFile]) -> list[LogInput]:
    """Group rotated parts with their current file; keep first-seen order of logs."""
    groups: dict[tuple[str, str], list[tuple[tuple[int, str], InputFile]]] = {}
    order: list[tuple[str, str]] = []
    for file in files:
        if file.path is None:
            key, rank = (STDIN_NAME, STDIN_NAME), (2, "")
        else:
            match = _ROTATED.match(file.path.name)
            folder = str(file.path.parent)
            if match:
                key = (folder, match["base"].lower())
                if match["stamp"]:
                    rank = (0, match["stamp"])
                else:
                    rank = (1, "") if match["ext"].lower() == "lo_" else (2, "")
            else:
                key, rank = (folder, file.path.name.lower()), (2, "")
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((rank, file))
    logs = []
    for key in order:
        parts = [file for _, file in sorted(groups[key], key=lambda item: item[0])]
        last = parts[-1]
        folder = STDIN_NAME if last.path is None else str(last.path.parent)
        logs.append(LogInput(name=last.display, folder=folder, parts=parts))
    return logs


def unread_rotated(paths: Iterable[str], logs: list[LogInput]) -> list[tuple[str, Path]]:
    """Current logs named on the command line (`ccmsetup.log`) whose rotated
    part beside them (`ccmsetup.lo_`, the log before its rollover) was not
    read: (the named path, the part). A cause may sit in that part."""
    read = {part.path.resolve() for log in logs for part in log.parts if part.path is not None}
    missed: list[tuple[str, Path]] = []
    for text in paths:
        if text == STDIN:
            continue
        path = Path(text)
        match = _ROTATED.match(path.name)
        if not match or match["ext"].lower() != "log" or match["stamp"] or not path.is_file():
            continue
        for sibling in (path.with_name(f"{match['base']}.lo_"), path.with_name(f"{match['base']}.LO_")):
            if sibling.is_file() and sibling.resolve() not in read:
                missed.append((text, sibling))
                break
    return missed
