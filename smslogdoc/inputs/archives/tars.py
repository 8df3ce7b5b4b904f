"""A tar's (or gzipped tar's) regular members from its headers, in one forward
pass bounded by the caps; links, devices and sparse members left out with a
problem; where a damaged tar breaks."""

from __future__ import annotations

import tarfile
import zlib
from typing import IO

from smslogdoc.inputs.archives import caps  # read at call time (tests lower them)
from smslogdoc.inputs.archives.caps import HEAD_SIZE, SEPARATOR
from smslogdoc.inputs.archives.kinds import TAR_GZ, _human, _quote
from smslogdoc.inputs.archives.members import Archive, _compressed_size_of, _Entry, _sanitise, _TarEntry
from smslogdoc.inputs.archives.spool import Spooled
from smslogdoc.model import Problem


def _tar_entries(archive: Archive, problems: list[Problem]) -> list[_Entry]:
    """A tar's regular members from its headers, read in one forward pass;
    links, devices and sparse members are left out with a problem."""
    handle = archive.handle()
    if isinstance(handle, Spooled):
        handle.keep = False  # the listing skips members' data: none of it is kept for later
        try:
            return _listed(archive, handle, problems)
        finally:
            handle.keep = True
    return _listed(archive, handle, problems)


def _listed(archive: Archive, handle: IO[bytes] | Spooled, problems: list[Problem]) -> list[_Entry]:
    handle.seek(0)
    compressed_size = _compressed_size_of(archive)
    entries: list[_Entry] = []
    last: tarfile.TarInfo | None = None
    damage = ""
    try:
        with tarfile.open(fileobj=handle, mode="r:") as tar:
            while True:
                info = tar.next()
                if info is None:
                    break
                end = info.offset_data + info.size
                if (
                    archive.kind == TAR_GZ and end > caps.ARCHIVE_CAP
                ):  # listing a gzipped tar expands it: bounded
                    problems.append(
                        Problem(
                            archive.display,
                            f"archive expands past {_human(caps.ARCHIVE_CAP)}, the cap for one archive (a zip bomb?); members from {_quote(info.name)} on not read",
                        )
                    )
                    return entries
                if (
                    archive.kind == TAR_GZ
                    and compressed_size is not None
                    and end > caps.RATIO_FLOOR
                    and end > caps.RATIO_CAP * max(compressed_size, 1)
                ):
                    problems.append(
                        Problem(
                            archive.display,
                            f"archive expands past {caps.RATIO_CAP}:1 of its {_human(compressed_size)} compressed (a zip bomb?); members from {_quote(info.name)} on not read",
                        )
                    )
                    return entries
                last = info
                _tar_entry(archive, info, handle, entries, problems)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        damage = str(error) or type(error).__name__
    if not damage:
        return entries
    where = "at its start"
    if last is not None:
        complete = _tar_member_complete(handle, last)
        if not complete and entries and entries[-1][3] == _TarEntry(last.offset_data, last.size):
            entries.pop()
        where = f"{'after' if complete else 'at'} member {_quote(last.name)}"
    problems.append(
        Problem(
            archive.display,
            f"tar archive truncated or damaged {where} ({damage}); the {len(entries)} member(s) before it are read",
        )
    )
    return entries


def _tar_entry(
    archive: Archive,
    info: tarfile.TarInfo,
    handle: IO[bytes] | Spooled,
    entries: list[_Entry],
    problems: list[Problem],
) -> None:
    if info.isdir():
        return
    shown = archive.display + SEPARATOR + "/".join(_sanitise(info.name)[0])
    if info.issym():
        problems.append(Problem(shown, "symbolic link member; not followed"))
    elif info.islnk():
        problems.append(Problem(shown, "hard link member; not followed"))
    elif info.isdev():
        problems.append(Problem(shown, "device or FIFO member; not read"))
    elif info.issparse():
        problems.append(Problem(shown, "sparse member; not read (extract it first)"))
    elif info.isreg():
        # its first bytes now, while the listing pass is there (a gzipped tar is read forwards once)
        handle.seek(info.offset_data)
        head = handle.read(min(HEAD_SIZE, info.size, caps.MEMBER_CAP))
        entries.append((info.name, info.size, None, _TarEntry(info.offset_data, info.size), head))
    else:
        problems.append(Problem(shown, f"member of tar type {info.type!r}; not read"))


def _tar_member_complete(handle: IO[bytes] | Spooled, info: tarfile.TarInfo) -> bool:
    if info.size == 0:
        return True
    try:
        handle.seek(info.offset_data + info.size - 1)
        return len(handle.read(1)) == 1
    except (EOFError, zlib.error, OSError):
        return False
