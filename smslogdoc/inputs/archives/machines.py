"""Rotated parts inside an archive grouped as on disk (`group_members`, by the
shared `inputs.rotation.rotation_key`), and a fleet folder's machines
(`machines`, `machine_name`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from smslogdoc.inputs.archives.kinds import _ARCHIVE_SUFFIXES, archive_kind
from smslogdoc.inputs.archives.members import Member
from smslogdoc.inputs.links import leads_inside, links_out_line, real_root
from smslogdoc.inputs.rotation import rotation_key
from smslogdoc.model import Problem

__all__ = ["Machine", "MemberGroup", "group_members", "machine_name", "machines", "rotation_key"]


@dataclass
class MemberGroup:
    """One logical log inside an archive: its parts oldest first."""

    name: str
    """Display path of its current part (the last)."""
    folder: str
    parts: list[Member]


def group_members(members: Iterable[Member]) -> list[MemberGroup]:
    """Group rotated parts with their current member, as the folder walk groups
    files on disk; logs keep the order their first part was seen in."""
    groups: dict[tuple[str, str], list[tuple[tuple[int, str], Member]]] = {}
    for member in members:
        key, rank = rotation_key(member.folder, member.name)
        groups.setdefault(key, []).append((rank, member))
    result = []
    for items in groups.values():
        parts = [member for _, member in sorted(items, key=lambda item: item[0])]
        result.append(MemberGroup(parts[-1].display_path, parts[-1].folder, parts))
    return result


# --- fleet machines ---------------------------------------------------------


@dataclass(frozen=True)
class Machine:
    """One machine of a fleet: a folder of its logs, or an archive of them."""

    name: str
    path: Path
    kind: str | None
    """The archive kind, or None for a folder."""


def machine_name(file_name: str) -> str:
    """A machine's name from its folder's or archive's name: known archive
    endings dropped (`WKS0042.tar.gz` -> `WKS0042`), nothing else."""
    lower = file_name.lower()
    for suffix in _ARCHIVE_SUFFIXES:
        if lower.endswith(suffix) and len(file_name) > len(suffix):
            return file_name[: -len(suffix)]
    return file_name


def machines(
    root: Path, problems: list[Problem], kind: Callable[[Path], str | None] = archive_kind
) -> list[Machine]:
    """The machines of a fleet folder: each immediate subfolder or archive file
    of `root`, in name order, named after it. Hidden entries and Markdown notes
    are left out; any other file gives a problem. A symbolic link leading out
    of `root` is not followed (one problem line counts them), nor one to an
    entry listed already. Two entries that would have the same name (`WKS0042/` and `WKS0042.zip`) keep the first (in name order)
    and name the next by its full entry name."""
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(Problem(str(root), f"cannot list folder: {error.strerror or error}"))
        return []
    found: list[Machine] = []
    names: set[str] = set()
    inside, links_out = real_root(root), 0
    listed = {os.path.realpath(entry.path) for entry in entries if not entry.is_symlink()}
    for entry in entries:
        if entry.name.startswith(".") or entry.name.lower().endswith(".md"):
            continue
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not leads_inside(entry.path, inside):
                links_out += 1
                continue
            if target in listed:
                continue  # the same machine, listed under its own name
            listed.add(target)
        path = Path(entry.path)
        try:
            is_folder = entry.is_dir()
        except OSError as error:
            problems.append(Problem(entry.path, f"cannot read: {error.strerror or error}"))
            continue
        if is_folder:
            found_kind = None
            name = entry.name
        else:
            found_kind = kind(path)
            if found_kind is None:
                problems.append(
                    Problem(entry.path, "not a machine: neither a folder nor an archive; not read")
                )
                continue
            name = machine_name(entry.name)
        if name.lower() in names:
            name = entry.name
        names.add(name.lower())
        found.append(Machine(name, path, found_kind))
    if links_out:
        problems.append(Problem(str(root), links_out_line(links_out)))
    return found
