"""Listing an archive's members (`iter_members`): each listed file checked
(name, duplicates, declared sizes against the caps), nested archives expanded
one level, and one problem for whatever is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smslogdoc.inputs.archives import caps  # read at call time (tests lower them)
from smslogdoc.inputs.archives.caps import HEAD_SIZE, SEPARATOR
from smslogdoc.inputs.archives.kinds import GZ, UNREADABLE, ZIP, _human, _quote, kind_of
from smslogdoc.inputs.archives.members import Archive, Member, _sanitise
from smslogdoc.inputs.archives.streams import _Budget
from smslogdoc.inputs.archives.tars import _tar_entries
from smslogdoc.inputs.archives.zips import _zip_entries
from smslogdoc.model import Problem


def iter_members(path: Path, problems: list[Problem], display: str | None = None) -> Iterator[Member]:
    """The regular-file members of the archive file at `path`, in archive
    order, nested archives (one level) expanded in place. What is wrong with
    the archive or a member lands on `problems`, one line each, and the rest is
    still listed. `display` names the archive in display paths (default: `path`
    as given). A file that is not an archive gives one problem and no member,
    and so does an archive with no file in it. Problems arrive as the
    members are listed: exhaust the iterator before reporting them."""
    shown = str(path) if display is None else display
    try:
        with path.open("rb") as raw:
            head = raw.read(HEAD_SIZE)
    except OSError as error:
        problems.append(Problem(shown, f"cannot read: {error.strerror or error}"))
        return
    kind = kind_of(head, path.name)
    if kind is None:
        problems.append(Problem(shown, "not a zip, tar or gzip archive"))
        return
    if kind in UNREADABLE:
        problems.append(Problem(shown, UNREADABLE[kind]))
        return
    archive = Archive(kind, shown, path, _Budget())
    before = len(problems)
    count = 0
    for member in _list(archive, problems, set()):
        count += 1
        yield member
    if not count and len(problems) == before:
        problems.append(Problem(shown, "archive holds no files to read"))


def _list(archive: Archive, problems: list[Problem], seen: set[str]) -> Iterator[Member]:
    if archive.kind == GZ:
        yield from _accept(archive, _gz_name(archive.display), None, None, None, problems, seen, None)
        return
    try:
        entries = _zip_entries(archive, problems) if archive.kind == ZIP else _tar_entries(archive, problems)
        for raw_name, size, compressed, key, head in entries:
            yield from _accept(archive, raw_name, size, compressed, key, problems, seen, head)
    except OSError as error:
        problems.append(Problem(archive.display, f"cannot read: {error.strerror or error}"))


def _gz_name(display: str) -> str:
    base = display.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    for suffix in (".gzip", ".gz"):
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base


def _within_caps(
    archive: Archive,
    display: str,
    parts: list[str],
    size: int,
    compressed: int | None,
    problems: list[Problem],
) -> bool:
    """Whether a member of the declared `size` may be read: under the member
    cap and the ratio, and the archive's cap not reached (its size is then
    counted against it); else one problem says why not."""
    if size > caps.MEMBER_CAP:
        problems.append(
            Problem(
                display,
                f"member expands to {_human(size)}, over the {_human(caps.MEMBER_CAP)} cap for one member (a zip bomb?); not read",
            )
        )
        return False
    if compressed is not None and size > caps.RATIO_FLOOR and size > caps.RATIO_CAP * max(compressed, 1):
        problems.append(
            Problem(
                display,
                f"member expands {size // max(compressed, 1)}:1 ({_human(size)} from {_human(compressed)}), over the {caps.RATIO_CAP}:1 cap (a zip bomb?); not read",
            )
        )
        return False
    budget = archive.budget
    if budget.stopped or budget.declared + size > caps.ARCHIVE_CAP:
        if not budget.stopped:
            problems.append(
                Problem(
                    archive.display,
                    f"archive expands past {_human(caps.ARCHIVE_CAP)}, the cap for one archive (a zip bomb?); members from {_quote('/'.join(parts))} on not read",
                )
            )
        budget.stopped = True
        return False
    budget.declared += size
    return True


def _accept(
    archive: Archive,
    raw_name: str,
    size: int | None,
    compressed: int | None,
    key: Any,
    problems: list[Problem],
    seen: set[str],
    head: bytes | None,
) -> Iterator[Member]:
    """One listed regular file: checked, then yielded as a member, or expanded
    when it is itself an archive."""
    parts, unsafe = _sanitise(raw_name)
    if not parts:
        problems.append(Problem(archive.display, f"member {_quote(raw_name)} has no usable name; not read"))
        return
    if any(part.startswith(".") for part in parts) or parts[-1].lower().endswith(".md"):
        return  # hidden entries and Markdown notes, as the folder walk leaves them
    display = archive.display + SEPARATOR + "/".join(parts)
    folder = archive.display if len(parts) == 1 else display.rsplit("/", 1)[0]
    if unsafe:
        problems.append(
            Problem(display, f"unsafe member name {_quote(raw_name)} ({unsafe}); read under this name")
        )
    if display in seen:
        problems.append(Problem(display, "a second member of this name; only the first is read"))
        return
    seen.add(display)
    if size is not None and not _within_caps(archive, display, parts, size, compressed, problems):
        return
    member = Member(display, parts[-1], size, folder, archive, key, compressed)
    if head is None:
        try:
            with member.open() as stream:
                head = stream.read(HEAD_SIZE)
        except OSError:
            head = b""  # reading it says what is wrong
    kind = kind_of(head, parts[-1])
    if kind is None:
        yield member
        return
    if kind in UNREADABLE:
        problems.append(Problem(display, UNREADABLE[kind]))
        return
    if archive.depth + 1 > caps.MAX_DEPTH:
        problems.append(
            Problem(display, f"archive nested more than {caps.MAX_DEPTH} level deep; extract it first")
        )
        return
    if kind != GZ and (size or 0) > caps.NESTED_MEMORY_CAP:
        problems.append(
            Problem(
                display,
                f"nested archive of {_human(size or 0)}, over the {_human(caps.NESTED_MEMORY_CAP)} read into memory; extract it first",
            )
        )
        return
    yield from _list(Archive(kind, display, archive.path, archive.budget, member), problems, seen)
