"""`Archive` (one archive, opened lazily and kept open) and `Member` (one
regular file in it, whose `open()` gives a capped stream), members' safe
names, and `close_all`."""

from __future__ import annotations

import io
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from smslogdoc.inputs.archives import caps  # read at call time (tests lower them)
from smslogdoc.inputs.archives.kinds import GZ, TAR_GZ, ZIP, _human
from smslogdoc.inputs.archives.spool import Spooled
from smslogdoc.inputs.archives.streams import (
    ArchiveError,
    _Budget,
    _Capped,
    _Inflate,
    _OwningGzip,
    _Source,
    _Window,
)

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class _TarEntry:
    offset: int
    size: int


@dataclass(frozen=True)
class _LocalEntry:
    """A zip member found from its local header (no central directory)."""

    offset: int
    compressed: int
    size: int
    method: int
    crc: int


class Archive:
    """One archive: a file on disk or a member of another archive. Opened
    lazily by its members and kept open until `close()`."""

    def __init__(
        self, kind: str, display: str, path: Path, budget: _Budget, parent: Member | None = None
    ) -> None:
        self.kind = kind
        self.display = display
        """The archive as named in display paths (`logs.zip!/WKS0042.zip`)."""
        self.path = path
        """The file on disk holding it (the outermost archive)."""
        self.parent = parent
        """The member of another archive this one is, or None for a file on disk."""
        self.depth: int = 0 if parent is None else parent.archive.depth + 1
        self.budget = budget
        self.fallback = False
        """True when a zip is read from its local headers (its central directory is gone)."""
        self._handle: Any = None
        self._file: BinaryIO | None = None
        self._loaded_child: Archive | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_handle"] = state["_file"] = state["_loaded_child"] = None
        return state

    def __repr__(self) -> str:
        return f"Archive({self.kind!r}, {self.display!r})"

    def _raw(self) -> BinaryIO:
        """This archive's own bytes, seekable: the file, or the nested member in memory."""
        if self.parent is None:
            return self.path.open("rb")
        owner = self.parent.archive
        if owner._loaded_child is not None and owner._loaded_child is not self:
            evicted = (
                owner._loaded_child
            )  # one nested archive in memory per archive; streams open on it read on
            evicted._handle = evicted._file = None
        owner._loaded_child = self
        with self.parent.open() as stream:
            data = stream.read(caps.NESTED_MEMORY_CAP + 1)
        if len(data) > caps.NESTED_MEMORY_CAP:
            raise ArchiveError(
                f"nested archive over the {_human(caps.NESTED_MEMORY_CAP)} read into memory; extract it first"
            )
        return io.BytesIO(data)

    def handle(self) -> Any:
        """The open archive: a ZipFile; for a tar, a seekable stream of its
        bytes (expanded, for a gzipped tar: `spool.Spooled`, decompressed once
        whatever order members are read in); for a zip read from its local
        headers, its raw bytes."""
        if self._handle is None:
            if self.kind == ZIP and not self.fallback and self.parent is None:
                self._handle = zipfile.ZipFile(
                    self.path
                )  # it closes the file once its member streams are closed
                return self._handle
            raw = self._raw()
            try:
                if self.kind == ZIP and not self.fallback:
                    self._handle = zipfile.ZipFile(raw)  # in memory: nothing to close
                    return self._handle
                self._handle = Spooled(raw) if self.kind == TAR_GZ else raw
            except BaseException:
                raw.close()
                raise
            self._file = raw
        return self._handle

    def close(self) -> None:
        """Close the open archive, if it is open; a later `open()` reopens it.
        Close it once its members have been read: a tar's member stream still
        open then fails with `ArchiveError` (a zip's reads on)."""
        child, self._loaded_child = self._loaded_child, None
        if child is not None:
            child.close()
        handle, self._handle = self._handle, None
        raw, self._file = self._file, None
        for opened in (handle, raw):
            if opened is not None:
                opened.close()


@dataclass(frozen=True, eq=False)
class Member:
    """One regular file inside an archive."""

    display_path: str
    """`WKS0042.zip!/Windows/CCM/Logs/execmgr.log`: see the module's "Display path"."""
    name: str
    """Its base name (`execmgr.log`): for the log's kind and rotated-part grouping."""
    size: int | None
    """Expanded size in bytes as the archive declares it; None for a gzipped log."""
    folder: str
    """Its display path less `/name`; the archive's display for a member at the top."""
    archive: Archive = field(repr=False)
    key: Any = field(repr=False)
    """How the archive finds it: a ZipInfo, a _LocalEntry, a _TarEntry, or None (gz)."""
    compressed: int | None = field(default=None, repr=False)
    """Compressed bytes it takes, when known, for the ratio cap."""

    def open(self) -> BinaryIO:
        """A binary stream of its expanded bytes, capped (see the module's
        "Caps"); not seekable. Damage met while reading raises `ArchiveError`."""
        archive = self.archive
        try:
            source = _open_source(self)
        except ArchiveError:
            raise
        except (
            zipfile.BadZipFile,
            tarfile.TarError,
            zlib.error,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ) as error:
            raise ArchiveError(f"archive damaged: {error}") from error
        compressed = self.compressed
        if compressed is None and archive.kind == GZ:
            compressed = _compressed_size_of(archive)
        budget = archive.budget if self.size is None else None
        return io.BufferedReader(_Capped(source, budget, compressed), buffer_size=1 << 16)


def _compressed_size_of(archive: Archive) -> int | None:
    """The bytes a gzipped log or tar takes: its file, or the member it is."""
    if archive.parent is not None:
        return archive.parent.size
    try:
        return archive.path.stat().st_size
    except OSError:
        return None


def _open_source(member: Member) -> _Source:
    archive = member.archive
    if archive.kind == GZ:
        raw = archive.path.open("rb") if archive.parent is None else archive.parent.open()
        return _OwningGzip(raw)
    handle = archive.handle()
    if isinstance(member.key, zipfile.ZipInfo):
        opened: _Source = handle.open(member.key)
        return opened
    if isinstance(member.key, _LocalEntry):
        entry = member.key
        window = _Window(handle, entry.offset, entry.compressed)
        return _Inflate(window, entry.method, entry.crc, entry.size)
    assert isinstance(member.key, _TarEntry)
    return _Window(handle, member.key.offset, member.key.size)


def _sanitise(raw: str) -> tuple[list[str], str]:
    """A member name's path parts, and why it was unsafe ('' when it was not)."""
    text = raw.replace("\\", "/")
    reason = ""
    if _DRIVE.match(text):
        reason, text = "a drive letter", text[2:]
    elif text.startswith("/"):
        reason = "an absolute path"
    parts = text.split("/")
    if ".." in parts:
        reason = reason or "a '..' part"
    return [part for part in parts if part not in ("", ".", "..")], reason


_Entry = tuple[str, int | None, int | None, Any, bytes | None]
"""A listed regular file: raw name, size, compressed size, key, its first bytes when already read."""


def close_all(members: Iterable[Member]) -> None:
    """Close every archive (and the archives holding them) these members came from."""
    closed: set[int] = set()
    for member in members:
        archive: Archive | None = member.archive
        while archive is not None and id(archive) not in closed:
            closed.add(id(archive))
            archive.close()
            archive = archive.parent.archive if archive.parent is not None else None
