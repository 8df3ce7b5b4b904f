"""Which logs to read: paths and folders named by the user, standard input, and
the grouping of rotated files into one logical log.

A folder is walked recursively (symbolic links followed only to places inside
the folder named, once, after its real entries, `inputs.links`; loops detected;
hidden entries and Markdown notes skipped); every other regular file is a
candidate, because the format is
decided from content later, never from the name. Rotated parts
(`ccmsetup.lo_`, `execmgr-20240101-123456.log`) are grouped with their current
file and ordered oldest first, so a run that spans the rollover reads as one.

An archive (zip, tar, gzipped tar, a gzipped log), named or met in a walk, is
expanded in place: its members become `InputFile`s with a `member`, shown as
`WKS0042.zip!/Windows/CCM/Logs/execmgr.log` (see `inputs.archives`), and its
rotated parts are joined as on disk. What is wrong with an archive is one
problem line each; the rest is still read.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from smslogdoc.inputs.archives import Member, archive_kind, close_all, iter_members
from smslogdoc.inputs.links import leads_inside, links_out_line, real_root
from smslogdoc.inputs.rotation import ROTATED, rotation_key
from smslogdoc.model import FileReport, Problem

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One physical file to read: a file on disk (`path`), an archive member
    (`member`, with `path` None), or standard input (both None)."""

    path: Path | None
    display: str
    member: Member | None = None
    """The archive member to read, read as a stream (never scanned); it pickles."""

    @property
    def is_stdin(self) -> bool:
        return self.path is None and self.member is None

    @property
    def name(self) -> str:
        """Its base name (`execmgr.log`); '' for standard input."""
        if self.member is not None:
            return self.member.name
        return self.path.name if self.path is not None else ""

    @property
    def folder(self) -> str:
        """The folder it is in: a folder on disk, or inside an archive (`WKS0042.zip!/Logs`)."""
        if self.member is not None:
            return self.member.folder
        return str(self.path.parent) if self.path is not None else STDIN_NAME

    def size(self) -> int:
        """Its size in bytes (a member's as its archive declares it); 0 for
        standard input or a file that cannot be looked at."""
        if self.member is not None:
            return self.member.size or 0
        if self.path is None:
            return 0
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass(slots=True)
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
        return self.parts[-1].name


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
                    files.extend(_expanded(file, str(file), problems))
        elif str(path) not in seen:
            seen.add(str(path))
            files.extend(_expanded(path, text, problems))
    return group_rotated(files)


def _expanded(path: Path, display: str, problems: list[Problem]) -> list[InputFile]:
    """The file itself, or, for an archive, its members (listed, then the
    archive closed again: it reopens when a member is read)."""
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        regular = False
    kind = archive_kind(path) if regular else None  # a FIFO or a device is never opened to sniff it
    if kind is None:
        return [InputFile(path, display)]
    members = list(iter_members(path, problems, display))
    close_all(members)
    return [InputFile(None, member.display_path, member) for member in members]


def archive_file(log: LogInput) -> Path | None:
    """The archive file on disk the log is read from, or None for a log on disk."""
    member = log.parts[-1].member
    return member.archive.path if member is not None else None


def close_archives(logs: Iterable[LogInput]) -> None:
    """Close the archives the logs' members were read from (they reopen if read again)."""
    close_all(part.member for log in logs for part in log.parts if part.member is not None)


def _walk(root: Path, problems: list[Problem]) -> Iterable[Path]:
    """Files below `root`, depth-first in name order, without recursion (deep
    trees are fine) and without following a symbolic link into a loop. A
    link is followed only to a file or folder inside `root`, and only after
    the real entries, so a file is read once, under its own path; the links
    leading out of `root` (an outside secret, /etc/shadow, /proc/self/environ)
    are never read, and one problem line counts them."""
    inside = _Inside(root)
    stack: list[Path] = [root]
    links: deque[os.DirEntry[str]] = deque()
    while stack or links:
        walking = bool(stack)
        entries = _listed(stack.pop(), inside, problems) if walking else [links.popleft()]
        subfolders = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name.lower().endswith(".md"):
                continue  # hidden entries, and Markdown notes kept beside collected logs
            try:
                if walking and entry.is_symlink():
                    if inside.holds(entry):
                        links.append(entry)  # followed once the real entries are walked
                elif entry.is_dir():
                    subfolders.append(Path(entry.path))
                elif entry.is_file() and inside.first_time(entry):
                    yield Path(entry.path)
            except OSError as error:
                problems.append(Problem(entry.path, f"cannot read: {error.strerror or error}"))
        stack.extend(reversed(subfolders))
    if inside.links_out:
        problems.append(Problem(str(root), links_out_line(inside.links_out)))


class _Inside:
    """What a walk of `root` has met: folders and files (by identity), and the
    symbolic links it did not follow because they lead out of `root`."""

    def __init__(self, root: Path) -> None:
        self.root = real_root(root)
        self.folders: set[tuple[int, int]] = set()
        self.files: set[tuple[int, int]] = set()
        self.links_out = 0

    def holds(self, entry: os.DirEntry[str]) -> bool:
        """Whether a symbolic link may be followed: it leads to a place inside the root."""
        within = leads_inside(entry.path, self.root)
        self.links_out += not within
        return within

    def first_time(self, entry: os.DirEntry[str]) -> bool:
        """Whether this file was not met before (through a link inside the root)."""
        info = entry.stat()
        key = (info.st_dev, info.st_ino)
        if key in self.files:
            return False
        self.files.add(key)
        return True


def _listed(folder: Path, inside: _Inside, problems: list[Problem]) -> list[os.DirEntry[str]]:
    """The folder's entries in name order; none when it cannot be listed or was walked already."""
    try:
        info = folder.stat()
    except OSError as error:
        problems.append(Problem(str(folder), f"cannot read folder: {error.strerror or error}"))
        return []
    key = (info.st_dev, info.st_ino)
    if key in inside.folders:
        problems.append(Problem(str(folder), "symbolic link loop: folder already read, not followed"))
        return []
    inside.folders.add(key)
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(Problem(str(folder), f"cannot list folder: {error.strerror or error}"))
        return []


def group_rotated(files: list[InputFile]) -> list[LogInput]:
    """Group rotated parts with their current file; keep first-seen order of logs."""
    groups: dict[tuple[str, str], list[tuple[tuple[int, str], InputFile]]] = {}
    order: list[tuple[str, str]] = []
    for file in files:
        if file.is_stdin:
            key, rank = (STDIN_NAME, STDIN_NAME), (2, "")
        else:
            key, rank = rotation_key(file.folder, file.name)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((rank, file))
    logs = []
    for key in order:
        parts = [file for _, file in sorted(groups[key], key=lambda item: item[0])]
        last = parts[-1]
        logs.append(LogInput(name=last.display, folder=last.folder, parts=parts))
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
        match = ROTATED.match(path.name)
        if not match or match["ext"].lower() != "log" or match["stamp"] or not path.is_file():
            continue
        for sibling in (path.with_name(f"{match['base']}.lo_"), path.with_name(f"{match['base']}.LO_")):
            if sibling.is_file() and sibling.resolve() not in read:
                missed.append((text, sibling))
                break
    return missed
