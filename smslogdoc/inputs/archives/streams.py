"""Member streams: a window on a shared stream, gzip and raw-deflate readers,
and `_Capped`, which counts expanded bytes against the caps; the errors a
damaged or over-cap member raises."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any, Protocol

from smslogdoc.inputs.archives import caps  # read at call time (tests lower them)
from smslogdoc.inputs.archives.kinds import _human


class _Source(Protocol):
    """What a member's bytes are read from: a zip member, a gzip stream, a window on a tar."""

    def read(self, size: int = -1, /) -> bytes | None: ...

    def close(self) -> None: ...


class ArchiveError(OSError):
    """A member cannot be read on: the archive is damaged there, or a cap was passed.
    Its text is the whole reason, without the member's name."""


class ArchiveLimitError(ArchiveError):
    """A member or its archive expanded past a cap while being read (a zip bomb?)."""


@dataclass
class _Budget:
    """Expanded bytes of one archive tree: declared when listed, and streamed."""

    declared: int = 0
    """Sizes its zips and tars declare, summed as they are listed."""
    streamed: int = 0
    """Bytes its gzipped members (which declare no size) have expanded to while read."""
    stopped: bool = False
    """True once the declared sizes passed the archive cap."""


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
        except (
            zipfile.BadZipFile,
            tarfile.TarError,
            zlib.error,
            EOFError,
            gzip.BadGzipFile,
            ValueError,
        ) as error:
            raise ArchiveError(f"archive damaged: {error}") from error
        count = len(data)
        self._count += count
        if self._count > caps.MEMBER_CAP:
            raise ArchiveLimitError(
                f"expanded past {_human(caps.MEMBER_CAP)}, the cap for one archive member (a zip bomb?)"
            )
        if self._budget is not None:
            self._budget.streamed += count
        if self._budget is not None and self._budget.declared + self._budget.streamed > caps.ARCHIVE_CAP:
            raise ArchiveLimitError(
                f"the archive expanded past {_human(caps.ARCHIVE_CAP)}, the cap for one archive (a zip bomb?)"
            )
        if (
            self._compressed is not None
            and self._count > caps.RATIO_FLOOR
            and self._count > caps.RATIO_CAP * max(self._compressed, 1)
        ):
            raise ArchiveLimitError(
                f"expanded past {caps.RATIO_CAP}:1 of its {_human(self._compressed)} compressed, the cap beyond {_human(caps.RATIO_FLOOR)} (a zip bomb?)"
            )
        buffer[:count] = data
        return count

    def close(self) -> None:
        if not self.closed:
            self._source.close()
        super().close()
