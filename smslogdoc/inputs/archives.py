"""Archives as inputs: recognise a zip, tar, gzipped tar or single gzipped log
by its content, list its regular-file members (one level of nesting too) and
stream each member's bytes, capped, without writing anything anywhere.

This module owns:

- **Recognition** (`archive_kind`): by magic bytes, never by name alone. `zip`
  (`PK\\x03\\x04`), `tar` (a valid ustar/GNU/v7 header block), `tar.gz` (gzip
  whose first expanded block is a tar header), `gz` (any other gzip: one
  gzipped log such as `execmgr.log.gz` or `ccmsetup.lo_.gz`). Cabinet, 7-Zip
  and RAR archives are recognised only to say they are not read. Zip-based
  documents (`.docx`, `.xlsx`, `.jar`, `.nupkg`...) are not archives of logs.
- **Members** (`iter_members`, `Member`): every regular file, in archive order,
  with one documented display path (below), its base name, its expanded size
  when the archive says it, and `open()` giving a capped, non-seekable binary
  stream. Hidden members (a path part starting with `.`, e.g. macOS `._x.log`)
  and Markdown notes are left out silently, as the folder walk does; folders
  are not members.
- **Hostile archives**: each gives one `Problem` and the rest is still read
  (see "Hostile archives" below).
- **Rotated parts inside an archive** (`group_members`, `rotation_key`): the
  same grouping the folder walk applies on disk.
- **Fleet machines** (`machines`): which immediate entries of a folder are
  machines, and their names.

Display path
------------
`ARCHIVE!/MEMBER`: the archive as the user or the folder walk named it, `!/`,
then the member's path inside it with `/` separators (backslashes, which some
Windows tools write, read as `/`; `.` and empty parts dropped). A nested
archive repeats the form: `logs.zip!/WKS0042.zip!/execmgr.log`. A gzipped log
names its one member after itself less `.gz`: `execmgr.log.gz!/execmgr.log`.
The folder of a member (for rules scoped `by: folder`) is its display path
less `/name`: `WKS0042.zip!/Windows/CCM/Logs`, or the archive itself
(`WKS0042.zip`) for a member at the top.

Caps (module constants, read at call time)
------------------------------------------
`MEMBER_CAP` (1 GiB) expanded bytes per member; `ARCHIVE_CAP` (4 GiB) per
archive, nested archives included; `RATIO_CAP` (200:1) expanded to compressed
bytes, checked only beyond `RATIO_FLOOR` (8 MiB expanded, so a small log
padded with NUL bytes, which compresses beyond 1000:1, still reads). The sizes
a zip or tar declares are checked when it is listed: a member over a cap is
not read, and members past the archive cap are not. (zipfile and the tar
reader never give more than the declared size, and listing a gzipped tar
stops at the caps.) A gzipped log declares no size it can be held to, so its
bytes are counted as they expand: past the member cap, the ratio, or the
archive's cap (its declared sizes plus what its gzipped members have
expanded to), the read ends with `ArchiveLimitError`. Every member stream
counts its own bytes against the member cap too. A nested zip or tar is read
into memory to be listed, so one over `NESTED_MEMORY_CAP` (256 MiB) is not
read; nesting deeper than `MAX_DEPTH` (1) is not read.

Hostile archives (one problem each, the rest still read)
--------------------------------------------------------
- zip bomb: a member declaring more than a cap, or more than the ratio, is not
  read; members past the archive cap are not read; a stream passing a cap
  while read raises `ArchiveLimitError` (an `OSError`) with what happened.
- member names with `..`, an absolute path or a drive letter: read as data
  (nothing is extracted, so no file can land anywhere) under the sanitised
  display path (those parts dropped), with a problem naming the raw name.
  A second member with the same display path is not read.
- encrypted zip members (general-purpose flag bit 0x1): not read.
- a zip compressed with a method Python cannot read (Deflate64, AES...): not read.
- a truncated or corrupt archive: the members before the damage are read and
  one problem says where it is; a zip without its central directory is listed
  from its local headers.
- symbolic links (tar, and zip entries with a link mode), tar hard links,
  devices, FIFOs and sparse members: not read.
- an archive with no file in it: "archive holds no files to read".
- `.cab`: no well-kept library reads cabinets on every platform (cabfile needs
  Windows' cabinet.dll; the pure-Python cabarchive 0.2.5 refuses LZX and
  Quantum folders and parses the whole archive from one bytes object), so a cabinet gives "extract .cab files
  first (expand -F:* file.cab dir)".

Streams from `Member.open()` are `io.BufferedReader`s: `read(n)` returns `n`
bytes unless at the end, and `seekable()` is False, so a reader sniffs the
first bytes and replays them (`decoding.open_binary(..., seekable=False)`).
Errors of a damaged member surface as `ArchiveError` (an `OSError`). An
archive is opened once, lazily, on its first member's `open()` and kept open
for the next (a gzipped tar is then read forwards once when members are read
in order); `Archive.close()` (or `close_all`) releases it. Members pickle
(for worker processes): the open handle is left behind and reopened there.
One archive's members are not to be read from several threads at once.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

from smslogdoc.model import Problem

MEMBER_CAP = 1 << 30
"""Expanded bytes one member may have (1 GiB)."""
ARCHIVE_CAP = 4 << 30
"""Expanded bytes one archive may have, its nested archives included (4 GiB)."""
RATIO_CAP = 200
"""Expanded bytes per compressed byte a member may reach..."""
RATIO_FLOOR = 8 << 20
"""...once it has expanded past this many bytes (8 MiB)."""
NESTED_MEMORY_CAP = 256 << 20
"""A nested zip or tar is read into memory to be listed; one larger is not read (256 MiB)."""
MAX_DEPTH = 1
"""How deep archives nest and are still read: a zip inside a zip, not deeper."""

SEPARATOR = "!/"
"""Between an archive and a member's path inside it in a display path."""

HEAD_SIZE = 8192
"""Bytes looked at to recognise an archive."""

ZIP, TAR, TAR_GZ, GZ = "zip", "tar", "tar.gz", "gz"
READABLE = frozenset({ZIP, TAR, TAR_GZ, GZ})
"""Kinds whose members are read."""
UNREADABLE = {
    "cab": "cabinet (.cab) archives are not read: extract .cab files first (expand -F:* file.cab dir)",
    "7z": "7-Zip archives are not read: extract them first",
    "rar": "RAR archives are not read: extract them first",
}
"""Kinds recognised only to say they are not read, and what to do instead."""

_UNREADABLE_MAGIC = ((b"MSCF\x00\x00\x00\x00", "cab"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"))
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_DOCUMENTS = frozenset(
    {".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods", ".odp", ".epub", ".jar", ".war", ".apk", ".nupkg", ".msix", ".appx", ".vsix", ".whl", ".xpi"}
)
"""Name endings of zip-based files that are documents or packages, not archives of logs."""
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".gz", ".cab", ".7z", ".rar")
"""Endings stripped from an archive's name to name a machine (longest first)."""
_ZIP_METHODS = {0: "stored", 8: "deflate", 12: "bzip2", 14: "lzma"}
_METHOD_NAMES = {9: "Deflate64", 10: "PKWARE DCL", 19: "IBM LZ77", 93: "Zstandard", 95: "xz", 97: "WavPack", 98: "PPMd", 99: "AES encryption"}

_ROTATED = re.compile(r"^(?P<base>.+?)(?:-(?P<stamp>\d{8}-\d{6}))?\.(?P<ext>log|lo_)$", re.IGNORECASE)
"""The rotated-part pattern of `inputs._ROTATED` (kept identical; see `rotation_key`)."""
_DRIVE = re.compile(r"^[A-Za-z]:")


class _Source(Protocol):
    """What a member's bytes are read from: a zip member, a gzip stream, a window on a tar."""

    def read(self, size: int = -1, /) -> bytes | None: ...

    def close(self) -> None: ...


class ArchiveError(OSError):
    """A member cannot be read on: the archive is damaged there, or a cap was passed.
    Its text is the whole reason, without the member's name."""


class ArchiveLimitError(ArchiveError):
    """A member or its archive expanded past a cap while being read (a zip bomb?)."""


def _quote(name: str) -> str:
    """A member name in a problem line: quoted, control characters escaped (a
    name cannot start a line of its own)."""
    return "'" + "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in name) + "'"


def _human(count: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            value = count / size
            return f"{int(value)} {unit}" if count % size == 0 else f"{value:.1f} {unit}"
    return f"{count} B"


# --- recognition ------------------------------------------------------------


def _is_tar_header(block: bytes) -> bool:
    if len(block) < 512:
        return False
    try:
        tarfile.TarInfo.frombuf(block[:512], "utf-8", "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


def kind_of(head: bytes, name: str = "") -> str | None:
    """The archive kind the first bytes `head` show (`zip`, `tar`, `tar.gz`,
    `gz`, or an `UNREADABLE` kind), or None for anything else. `name` only
    tells zip-based documents (`.docx`...) from zip archives."""
    if head.startswith(_ZIP_MAGIC):
        return None if Path(name).suffix.lower() in _DOCUMENTS else ZIP
    for magic, kind in _UNREADABLE_MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"\x1f\x8b\x08"):
        try:
            expanded = zlib.decompressobj(wbits=31).decompress(head, 512)
        except zlib.error:
            expanded = b""
        return TAR_GZ if _is_tar_header(expanded) else GZ
    if _is_tar_header(head):
        return TAR
    return None


def archive_kind(path: Path) -> str | None:
    """The archive kind of the file at `path`, from its content; None when it
    is not an archive or cannot be read (the reader then says why)."""
    try:
        with path.open("rb") as raw:
            head = raw.read(HEAD_SIZE)
    except OSError:
        return None
    return kind_of(head, path.name)


# --- members ----------------------------------------------------------------


@dataclass
class _Budget:
    """Expanded bytes of one archive tree: declared when listed, and streamed."""

    declared: int = 0
    """Sizes its zips and tars declare, summed as they are listed."""
    streamed: int = 0
    """Bytes its gzipped members (which declare no size) have expanded to while read."""
    stopped: bool = False
    """True once the declared sizes passed the archive cap."""


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

    def __init__(self, kind: str, display: str, path: Path, budget: _Budget, parent: Member | None = None) -> None:
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
            evicted = owner._loaded_child  # one nested archive in memory per archive; streams open on it read on
            evicted._handle = evicted._file = None
        owner._loaded_child = self
        with self.parent.open() as stream:
            data = stream.read(NESTED_MEMORY_CAP + 1)
        if len(data) > NESTED_MEMORY_CAP:
            raise ArchiveError(f"nested archive over the {_human(NESTED_MEMORY_CAP)} read into memory; extract it first")
        return io.BytesIO(data)

    def handle(self) -> Any:
        """The open archive: a ZipFile; for a tar, a seekable stream of its
        bytes (expanded, for a gzipped tar); for a zip read from its local
        headers, its raw bytes."""
        if self._handle is None:
            if self.kind == ZIP and not self.fallback and self.parent is None:
                self._handle = zipfile.ZipFile(self.path)  # it closes the file once its member streams are closed
                return self._handle
            raw = self._raw()
            try:
                if self.kind == ZIP and not self.fallback:
                    self._handle = zipfile.ZipFile(raw)  # in memory: nothing to close
                    return self._handle
                self._handle = _OwningGzip(raw) if self.kind == TAR_GZ else raw
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
        except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as error:
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


class _Window(io.RawIOBase):
    """Bytes `start`..`start + length` of a shared seekable stream; it seeks
    before each read, so several windows on one stream can be read in turn."""

    def __init__(self, shared: IO[bytes], start: int, length: int) -> None:
        self._shared = shared
        self._at = start
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        self._shared.seek(self._at)
        data = self._shared.read(min(len(buffer), self._left))
        if not data:
            raise ArchiveError(f"archive truncated: {self._left} byte(s) of the member missing")
        count = len(data)
        buffer[:count] = data
        self._at += count
        self._left -= count
        return count


class _OwningGzip(gzip.GzipFile):
    """A gzip reader that closes the stream it reads when it is closed."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._owned = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._owned.close()


class _Inflate(io.RawIOBase):
    """A zip member read from its local header: stored or deflated; its size
    and CRC-32 checked at the end."""

    def __init__(self, source: _Window, method: int, crc: int, size: int) -> None:
        self._source = source
        self._inflater = zlib.decompressobj(-15) if method == 8 else None
        self._crc_expected = crc
        self._size_expected = size
        self._crc = 0
        self._size = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = b""
        inflater = self._inflater
        while not data and not self._done:
            if inflater is None:
                data = self._source.read(len(buffer)) or b""
                self._done = not data
                continue
            chunk = inflater.unconsumed_tail or self._source.read(1 << 16) or b""
            if not chunk:
                if not inflater.eof:
                    raise ArchiveError("archive damaged: the compressed data ends early")
                self._done = True
                continue
            data = inflater.decompress(chunk, len(buffer))
            self._done = inflater.eof and not inflater.unconsumed_tail
        if data:
            self._crc = zlib.crc32(data, self._crc)
            self._size += len(data)
        elif self._crc != self._crc_expected or self._size != self._size_expected:
            raise ArchiveError("archive damaged: bad CRC-32 or size")
        count = len(data)
        buffer[:count] = data
        return count


class _Capped(io.RawIOBase):
    """Counts the bytes a member expands to and stops at the caps; turns the
    errors of a damaged archive into `ArchiveError`."""

    def __init__(self, source: _Source, budget: _Budget | None, compressed: int | None) -> None:
        self._source = source
        self._budget = budget
        self._compressed = compressed
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._source.read(len(buffer)) or b""
        except ArchiveError:
            raise
        except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, gzip.BadGzipFile, ValueError) as error:
            raise ArchiveError(f"archive damaged: {error}") from error
        count = len(data)
        self._count += count
        if self._count > MEMBER_CAP:
            raise ArchiveLimitError(f"expanded past {_human(MEMBER_CAP)}, the cap for one archive member (a zip bomb?)")
        if self._budget is not None:
            self._budget.streamed += count
        if self._budget is not None and self._budget.declared + self._budget.streamed > ARCHIVE_CAP:
            raise ArchiveLimitError(f"the archive expanded past {_human(ARCHIVE_CAP)}, the cap for one archive (a zip bomb?)")
        if self._compressed is not None and self._count > RATIO_FLOOR and self._count > RATIO_CAP * max(self._compressed, 1):
            raise ArchiveLimitError(
                f"expanded past {RATIO_CAP}:1 of its {_human(self._compressed)} compressed, the cap beyond {_human(RATIO_FLOOR)} (a zip bomb?)"
            )
        buffer[:count] = data
        return count

    def close(self) -> None:
        if not self.closed:
            self._source.close()
        super().close()


# --- listing ----------------------------------------------------------------


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
        problems.append(Problem(display, f"unsafe member name {_quote(raw_name)} ({unsafe}); read under this name"))
    if display in seen:
        problems.append(Problem(display, "a second member of this name; only the first is read"))
        return
    seen.add(display)
    if size is not None:
        if size > MEMBER_CAP:
            problems.append(Problem(display, f"member expands to {_human(size)}, over the {_human(MEMBER_CAP)} cap for one member (a zip bomb?); not read"))
            return
        if compressed is not None and size > RATIO_FLOOR and size > RATIO_CAP * max(compressed, 1):
            problems.append(
                Problem(display, f"member expands {size // max(compressed, 1)}:1 ({_human(size)} from {_human(compressed)}), over the {RATIO_CAP}:1 cap (a zip bomb?); not read")
            )
            return
        budget = archive.budget
        if budget.stopped or budget.declared + size > ARCHIVE_CAP:
            if not budget.stopped:
                problems.append(Problem(archive.display, f"archive expands past {_human(ARCHIVE_CAP)}, the cap for one archive (a zip bomb?); members from {_quote('/'.join(parts))} on not read"))
            budget.stopped = True
            return
        budget.declared += size
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
    if archive.depth + 1 > MAX_DEPTH:
        problems.append(Problem(display, f"archive nested more than {MAX_DEPTH} level deep; extract it first"))
        return
    if kind != GZ and (size or 0) > NESTED_MEMORY_CAP:
        problems.append(Problem(display, f"nested archive of {_human(size or 0)}, over the {_human(NESTED_MEMORY_CAP)} read into memory; extract it first"))
        return
    yield from _list(Archive(kind, display, archive.path, archive.budget, member), problems, seen)


_Entry = tuple[str, int | None, int | None, Any, bytes | None]
"""A listed regular file: raw name, size, compressed size, key, its first bytes when already read."""


def _zip_entries(archive: Archive, problems: list[Problem]) -> list[_Entry]:
    try:
        handle = archive.handle()
    except (zipfile.BadZipFile, EOFError, ValueError, struct.error):
        archive.close()
        archive.fallback = True
        return _zip_local_entries(archive, problems)
    entries: list[_Entry] = []
    for info in handle.infolist():
        if info.is_dir():
            continue
        shown = archive.display + SEPARATOR + "/".join(_sanitise(info.filename)[0])
        if info.flag_bits & 0x1:
            problems.append(Problem(shown, "encrypted member; not read (extract it with its password first)"))
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            problems.append(Problem(shown, "symbolic link member; not followed"))
            continue
        if info.compress_type not in _ZIP_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            problems.append(Problem(shown, f"compressed with {method}, which cannot be read here; extract it first"))
            continue
        entries.append((info.filename, info.file_size, info.compress_size, info, None))
    return entries


def _zip_local_entries(archive: Archive, problems: list[Problem]) -> list[_Entry]:
    """A zip whose central directory is missing or damaged (a truncated
    download): its members from their local headers, up to the damage."""
    raw = archive.handle()
    total = raw.seek(0, os.SEEK_END)
    entries: list[_Entry] = []
    at = 0
    while True:
        raw.seek(at)
        header = raw.read(30)
        if header[:4] in (b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06"):
            damage = f"zip archive's central directory is damaged; its {len(entries)} member(s) are read from their local headers"
            break
        if header[:4] == b"PK\x07\x08" and at == 0:
            at = 4  # the mark of a split archive's first part
            continue
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            if at >= total or not header.strip(b"\x00"):
                damage = f"zip archive truncated at byte {at} (no central directory); the {len(entries)} member(s) before it are read"
            else:
                damage = f"zip archive damaged at byte {at}; the {len(entries)} member(s) before it are read"
            break
        flags, method, _, _, crc, compressed, size, name_length, extra_length = _unpack_local(header)
        name_bytes = raw.read(name_length)
        extra = raw.read(extra_length)
        name = name_bytes.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        data = at + 30 + name_length + extra_length
        damage = f"zip archive truncated or damaged at member {_quote(name)} (byte {at}); the {len(entries)} member(s) before it are read"
        if len(name_bytes) < name_length or len(extra) < extra_length:
            break
        if 0xFFFFFFFF in (compressed, size):
            compressed, size = _zip64_sizes(extra, compressed, size)
        if flags & 0x8:
            found = _deflated_length(raw, data, total) if method == 8 else None
            if found is None:
                break
            compressed, crc, size, after = found
        else:
            after = data + compressed
        if after > total:
            break
        at = after
        if name.endswith(("/", "\\")):
            continue
        shown = archive.display + SEPARATOR + "/".join(_sanitise(name)[0])
        if flags & 0x1:
            problems.append(Problem(shown, "encrypted member; not read (extract it with its password first)"))
        elif method not in (0, 8):
            problems.append(Problem(shown, f"compressed with {_ZIP_METHODS.get(method) or _METHOD_NAMES.get(method, f'method {method}')}, which cannot be read without the central directory; extract it first"))
        else:
            entries.append((name, size, compressed, _LocalEntry(data, compressed, size, method, crc), None))
    problems.append(Problem(archive.display, damage))
    return entries


def _unpack_local(header: bytes) -> tuple[int, ...]:
    return struct.unpack("<HHHHIIIHH", header[6:30])


def _zip64_sizes(extra: bytes, compressed: int, size: int) -> tuple[int, int]:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[at : at + 4])
        if tag == 0x0001:
            values = list(struct.unpack(f"<{length // 8}Q", extra[at + 4 : at + 4 + (length // 8) * 8]))
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            break
        at += 4 + length
    return compressed, size


def _deflated_length(raw: BinaryIO, data: int, total: int) -> tuple[int, int, int, int] | None:
    """A deflated member with a data descriptor: (compressed size, CRC-32,
    size, where the next header starts), found by inflating it; None when it
    does not end inside the file or expands past the member cap."""
    inflater = zlib.decompressobj(-15)
    raw.seek(data)
    consumed = expanded = 0
    while not inflater.eof:
        chunk = raw.read(1 << 16)
        if not chunk:
            return None
        try:
            expanded += len(inflater.decompress(chunk))
        except zlib.error:
            return None
        consumed += len(chunk)
        if expanded > MEMBER_CAP:
            return None
    end = data + consumed - len(inflater.unused_data)
    raw.seek(end)
    descriptor = raw.read(28)
    skip = 4 if descriptor[:4] == b"PK\x07\x08" else 0
    if len(descriptor) < skip + 12:
        return None
    (crc,) = struct.unpack("<I", descriptor[skip : skip + 4])
    width = 12
    if descriptor[skip + 12 : skip + 14] != b"PK" and descriptor[skip + 20 : skip + 22] == b"PK":
        width = 20  # zip64 sizes
    return end - data, crc, expanded, end + skip + width


def _tar_entries(archive: Archive, problems: list[Problem]) -> list[_Entry]:
    """A tar's regular members from its headers, read in one forward pass;
    links, devices and sparse members are left out with a problem."""
    handle = archive.handle()
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
                if archive.kind == TAR_GZ and end > ARCHIVE_CAP:  # listing a gzipped tar expands it: bounded
                    problems.append(Problem(archive.display, f"archive expands past {_human(ARCHIVE_CAP)}, the cap for one archive (a zip bomb?); members from {_quote(info.name)} on not read"))
                    return entries
                if archive.kind == TAR_GZ and compressed_size is not None and end > RATIO_FLOOR and end > RATIO_CAP * max(compressed_size, 1):
                    problems.append(Problem(archive.display, f"archive expands past {RATIO_CAP}:1 of its {_human(compressed_size)} compressed (a zip bomb?); members from {_quote(info.name)} on not read"))
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
    problems.append(Problem(archive.display, f"tar archive truncated or damaged {where} ({damage}); the {len(entries)} member(s) before it are read"))
    return entries


def _tar_entry(archive: Archive, info: tarfile.TarInfo, handle: IO[bytes], entries: list[_Entry], problems: list[Problem]) -> None:
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
        head = handle.read(min(HEAD_SIZE, info.size, MEMBER_CAP))
        entries.append((info.name, info.size, None, _TarEntry(info.offset_data, info.size), head))
    else:
        problems.append(Problem(shown, f"member of tar type {info.type!r}; not read"))


def _tar_member_complete(handle: IO[bytes], info: tarfile.TarInfo) -> bool:
    if info.size == 0:
        return True
    try:
        handle.seek(info.offset_data + info.size - 1)
        return len(handle.read(1)) == 1
    except (EOFError, zlib.error, OSError):
        return False


def close_all(members: Iterable[Member]) -> None:
    """Close every archive (and the archives holding them) these members came from."""
    closed: set[int] = set()
    for member in members:
        archive: Archive | None = member.archive
        while archive is not None and id(archive) not in closed:
            closed.add(id(archive))
            archive.close()
            archive = archive.parent.archive if archive.parent is not None else None


# --- rotated parts ----------------------------------------------------------


def rotation_key(folder: str, name: str) -> tuple[tuple[str, str], tuple[int, str]]:
    """Which logical log a file of `folder` named `name` belongs to, and its
    rank among that log's parts (oldest first): `-YYYYMMDD-HHMMSS` stamped
    parts by stamp, then `.lo_`, then the current `.log`. The rule of
    `inputs.group_rotated`, as a pure function of names."""
    match = _ROTATED.match(name)
    if not match:
        return (folder, name.lower()), (2, "")
    key = (folder, match["base"].lower())
    if match["stamp"]:
        return key, (0, match["stamp"])
    return key, ((1, "") if match["ext"].lower() == "lo_" else (2, ""))


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


def machines(root: Path, problems: list[Problem], kind: Callable[[Path], str | None] = archive_kind) -> list[Machine]:
    """The machines of a fleet folder: each immediate subfolder or archive file
    of `root`, in name order, named after it. Hidden entries and Markdown notes
    are left out; any other file gives a problem. Two entries that would have
    the same name (`WKS0042/` and `WKS0042.zip`) keep the first (in name order)
    and name the next by its full entry name."""
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(Problem(str(root), f"cannot list folder: {error.strerror or error}"))
        return []
    found: list[Machine] = []
    names: set[str] = set()
    for entry in entries:
        if entry.name.startswith(".") or entry.name.lower().endswith(".md"):
            continue
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
                problems.append(Problem(entry.path, "not a machine: neither a folder nor an archive; not read"))
                continue
            name = machine_name(entry.name)
        if name.lower() in names:
            name = entry.name
        names.add(name.lower())
        found.append(Machine(name, path, found_kind))
    return found
