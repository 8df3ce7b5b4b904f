"""Inputs that are not plain files: pipes, FIFOs and process substitution
(`<(cat execmgr.log)`), read as streams, and byte-order marks met inside a
stream (`cat ccmsetup.lo_ ccmsetup.log | smslogdoc diagnose`).

A FIFO is opened without blocking and waited on for at most `FIFO_WAIT`
seconds (`SMSLOGDOC_FIFO_WAIT` overrides it): a FIFO nobody writes to is
reported as a problem of that path, not waited on forever. Once a writer is
there, the FIFO is read like a pipe, to its end.
"""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path
from typing import BinaryIO, TextIO

from smslogdoc.inputs.decoding import Prefixed

FIFO_WAIT = 10.0
"""Seconds to wait for a writer to open a FIFO named on the command line."""

_POLL = 0.05
BOM = "\ufeff"


def fifo_wait() -> float:
    """The wait for a FIFO's writer: `SMSLOGDOC_FIFO_WAIT` seconds, else `FIFO_WAIT`."""
    try:
        return max(0.0, float(os.environ.get("SMSLOGDOC_FIFO_WAIT", FIFO_WAIT)))
    except ValueError:
        return FIFO_WAIT


def open_path(path: Path) -> BinaryIO:
    """`path` opened for reading: a regular file as it is, a FIFO without
    waiting forever for its writer. Raises OSError as `open` does (and
    TimeoutError when no writer came)."""
    try:
        is_fifo = stat.S_ISFIFO(path.stat().st_mode)
    except OSError:
        is_fifo = False
    if not is_fifo or not hasattr(os, "O_NONBLOCK"):
        return path.open("rb")
    wait = fifo_wait()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                first = os.read(fd, 1 << 16)
            except BlockingIOError:
                first = b""
                break  # a writer is there, with nothing written yet: read it as a pipe
            if first:
                break
            if time.monotonic() >= deadline:  # no writer yet (or one that wrote nothing)
                raise TimeoutError(
                    f"nothing was written to this FIFO within {wait:g} s (no writer?); not read"
                )
            time.sleep(_POLL)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    raw = io.FileIO(fd, "rb", closefd=True)
    return io.BufferedReader(Prefixed(first, raw, owned=True), buffer_size=1 << 16)


class PartSplitter(io.TextIOBase):
    """A text stream that drops the byte-order marks found inside it and
    remembers the line where each stood: a BOM inside a stream is where the
    next concatenated file begins (`parts`, line numbers of the stream)."""

    def __init__(self, source: io.TextIOBase | io.TextIOWrapper | TextIO, first_line: int = 1) -> None:
        self._source = source
        self._line = first_line
        self.parts: list[int] = []
        """The stream's line numbers at which another file starts."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        return self._clean(self._source.read(-1 if size is None else size))

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self._clean(self._source.readline(-1 if size is None else size))

    def _clean(self, text: str) -> str:
        if BOM in text:
            at = 0
            while (found := text.find(BOM, at)) >= 0:
                self.parts.append(self._line + _breaks(text, 0, found))
                at = found + 1
            text = text.replace(BOM, "")
        self._line += _breaks(text, 0, len(text))
        return text


def _breaks(text: str, start: int, end: int) -> int:
    """Line breaks in text[start:end] (CRLF, LF and a lone CR each end a line)."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
