"""A gzipped tar's expanded bytes as a seekable stream decompressed forwards
once, whatever order its members are read in.

Rotated parts are read oldest first (`ccmsetup.lo_`, then `ccmsetup.log`),
but an archive often holds them the other way round. A gzip stream cannot
seek backwards without decompressing again from its start, so reading each
such pair would cost a pass over the whole archive (quadratic: hundreds of
groups, hundreds of passes). `Spooled` keeps the bytes a forward seek skips
over (the members not read yet) in a temporary file, in memory up to
`SPOOL_MEMORY` and on disk beyond, up to `caps.SPOOL_CAP` per archive; a
member read later is read from there. Bytes read in order are not kept. Past
the cap, or for bytes read before, a backwards seek decompresses again from
the start (`passes` counts the passes), as `gzip.GzipFile` does.
"""

from __future__ import annotations

import bisect
import gzip
import io
import tempfile
from typing import IO, Any

from smslogdoc.inputs.archives import caps  # read at call time (tests lower them)

SPOOL_MEMORY = 16 << 20
"""Skipped bytes kept in memory before the spool moves to a temporary file (16 MiB)."""
_CHUNK = 1 << 16


class Spooled(io.RawIOBase):
    """A gzip stream's expanded bytes, seekable (from the start or from where
    it is), decompressed forwards; what a forward seek skips is kept while
    `keep` is True (a listing pass sets it False: it skips members' data it
    does not need again). It closes the stream it reads when closed."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self._at = 0
        """Where the next read starts."""
        self._decompressed = 0
        """Where the decompressor is."""
        self._furthest = 0
        """The furthest the stream has been decompressed to, in any pass."""
        self._spool: IO[bytes] | None = None
        self._kept_size = 0
        self._starts: list[int] = []
        self._kept: list[tuple[int, int, int]] = []
        """Kept ranges of the expanded stream, in order: (start, end, where in the spool)."""
        self.keep = True
        self.passes = 1
        """Passes of the decompressor over the stream (1 unless a backwards seek missed the spool)."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._at
        elif whence != io.SEEK_SET:
            raise ValueError("seek from the end is not supported on a gzip stream")
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        self._at = offset
        return offset

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        if size == 0:
            return 0
        data = self._from_spool(size)
        if data is None:
            if self._at < self._decompressed:
                self._rewind()
            self._skip_to(self._at)
            data = self._gzip.read(size) if self._decompressed == self._at else b""
            self._decompressed += len(data)
            self._furthest = max(self._furthest, self._decompressed)
        count = len(data)
        buffer[:count] = data
        self._at += count
        return count

    def _from_spool(self, size: int) -> bytes | None:
        """Up to `size` kept bytes at the read position, or None if it is not kept."""
        index = bisect.bisect_right(self._starts, self._at) - 1
        if index < 0 or self._spool is None:
            return None
        start, end, where = self._kept[index]
        if self._at >= end:
            return None
        self._spool.seek(where + self._at - start)
        return self._spool.read(min(size, end - self._at))

    def _rewind(self) -> None:
        self._gzip.close()
        self._raw.seek(0)
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._decompressed = 0
        self.passes += 1

    def _skip_to(self, target: int) -> None:
        """Decompress up to `target`, keeping what is new beyond `_furthest` if `keep`."""
        while self._decompressed < target:
            chunk = self._gzip.read(min(_CHUNK, target - self._decompressed))
            if not chunk:
                return  # the stream ends before `target`: the read there gives nothing
            fresh = self._decompressed + len(chunk) - self._furthest
            if fresh > 0 and self.keep:
                self._keep(self._furthest, chunk[-fresh:])
            self._decompressed += len(chunk)
            self._furthest = max(self._furthest, self._decompressed)

    def _keep(self, start: int, data: bytes) -> None:
        if self._kept_size + len(data) > caps.SPOOL_CAP:
            return
        if self._spool is None:
            self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 (closed in close)
        self._spool.seek(self._kept_size)
        self._spool.write(data)
        if self._kept and self._kept[-1][1] == start:  # it goes on from the last kept range
            first, _, where = self._kept[-1]
            self._kept[-1] = (first, start + len(data), where)
        else:
            self._starts.append(start)
            self._kept.append((start, start + len(data), self._kept_size))
        self._kept_size += len(data)

    def close(self) -> None:
        if not self.closed:
            try:
                self._gzip.close()
                if self._spool is not None:
                    self._spool.close()
            finally:
                self._raw.close()
        super().close()
