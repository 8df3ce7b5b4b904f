"""Recognising an archive by its first bytes (`kind_of`, `archive_kind`), the
kinds read and those only named, and the quoting and sizes of problem lines."""

from __future__ import annotations

import tarfile
import zlib
from pathlib import Path

from smslogdoc.inputs.archives.caps import HEAD_SIZE

ZIP, TAR, TAR_GZ, GZ = "zip", "tar", "tar.gz", "gz"
READABLE = frozenset({ZIP, TAR, TAR_GZ, GZ})
"""Kinds whose members are read."""
UNREADABLE = {
    "cab": "cabinet (.cab) archives are not read: extract .cab files first (expand -F:* file.cab dir)",
    "7z": "7-Zip archives are not read: extract them first",
    "rar": "RAR archives are not read: extract them first",
}
"""Kinds recognised only to say they are not read, and what to do instead."""

_UNREADABLE_MAGIC = (
    (b"MSCF\x00\x00\x00\x00", "cab"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_DOCUMENTS = frozenset(
    {
        ".docx",
        ".docm",
        ".xlsx",
        ".xlsm",
        ".pptx",
        ".pptm",
        ".odt",
        ".ods",
        ".odp",
        ".epub",
        ".jar",
        ".war",
        ".apk",
        ".nupkg",
        ".msix",
        ".appx",
        ".vsix",
        ".whl",
        ".xpi",
    }
)
"""Name endings of zip-based files that are documents or packages, not archives of logs."""
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".gz", ".cab", ".7z", ".rar")
"""Endings stripped from an archive's name to name a machine (longest first)."""


def _quote(name: str) -> str:
    """A member name in a problem line: quoted, control characters escaped (a
    name cannot start a line of its own)."""
    return (
        "'"
        + "".join(
            c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in name
        )
        + "'"
    )


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
