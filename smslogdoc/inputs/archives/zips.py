"""A zip's regular members: from its central directory, or from its local
headers when the directory is gone (a truncated download); encrypted
members, links and unreadable methods left out with a problem."""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from typing import BinaryIO

from smslogdoc.inputs.archives import caps  # read at call time (tests lower them)
from smslogdoc.inputs.archives.caps import SEPARATOR
from smslogdoc.inputs.archives.kinds import _quote
from smslogdoc.inputs.archives.members import Archive, _Entry, _LocalEntry, _sanitise
from smslogdoc.model import Problem

_ZIP_METHODS = {0: "stored", 8: "deflate", 12: "bzip2", 14: "lzma"}
_METHOD_NAMES = {
    9: "Deflate64",
    10: "PKWARE DCL",
    19: "IBM LZ77",
    93: "Zstandard",
    95: "xz",
    97: "WavPack",
    98: "PPMd",
    99: "AES encryption",
}


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
            problems.append(
                Problem(shown, f"compressed with {method}, which cannot be read here; extract it first")
            )
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
            problems.append(
                Problem(
                    shown,
                    f"compressed with {_ZIP_METHODS.get(method) or _METHOD_NAMES.get(method, f'method {method}')}, which cannot be read without the central directory; extract it first",
                )
            )
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
        if expanded > caps.MEMBER_CAP:
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
