"""Bytes to text: sniff a file's encoding from its bytes, recognise binaries, and
open a text stream that never raises on bad bytes.

UTF-8 (with or without BOM) and UTF-16 LE/BE with a BOM are recognised from the
first bytes; BOM-less UTF-16 from its pattern of NUL bytes. Text that is not
valid UTF-8 is read as Windows-1252, the ANSI code page the SMS 2.0 era wrote;
a stray invalid byte in an otherwise UTF-8 file is read as Windows-1252 too.
Line endings are left as written (CR, LF and CRLF all end a line).
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import BinaryIO

SAMPLE_SIZE = 64 * 1024
"""How much of a file is looked at to decide its encoding and whether it is text."""

_BINARY_MAGIC = (
    b"MZ",  # Windows executables and DLLs
    b"PK\x03\x04",  # zip (also .docx, .cab-like bundles)
    b"MSCF",  # cabinet
    b"\xd0\xcf\x11\xe0",  # OLE compound file: .msi, .msp, .doc
    b"ElfFile\x00",  # .evtx event logs
    b"\x7fELF",
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"regf",  # registry hive
)
_TEXT_BYTES = bytes({7, 8, 9, 10, 11, 12, 13, 27} | set(range(0x20, 0x100)))


def _cp1252_table() -> str:
    chars = []
    for value in range(256):
        try:
            chars.append(bytes([value]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(value))  # the five bytes cp1252 leaves undefined read as Latin-1
    return "".join(chars)


_CP1252 = _cp1252_table()
_CP1252_DECODING = codecs.charmap_build(_CP1252)


def _utf8_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


codecs.register_error("smslogdoc-cp1252", _utf8_fallback)


def _utf16_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\ufffd", error.end


codecs.register_error("smslogdoc-utf16", _utf16_replace)


class _InvalidCount:
    """Counts invalid bytes while sniffing a sample (they are dropped)."""

    value = 0


def _count_invalid(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _InvalidCount.value += error.end - error.start
    return "", error.end


codecs.register_error("smslogdoc-count", _count_invalid)


def _cp1252_decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return codecs.charmap_decode(data, errors, _CP1252)


class _Cp1252Decoder(codecs.IncrementalDecoder):
    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        return codecs.charmap_decode(data, self.errors, _CP1252)[0]


class _Cp1252Encoder(codecs.IncrementalEncoder):
    """Never used to read, but a text wrapper over a writable stream asks for one."""

    def encode(self, text: str, final: bool = False) -> bytes:
        return codecs.charmap_encode(text, self.errors, _CP1252_DECODING)[0]


def _search(name: str) -> codecs.CodecInfo | None:
    if name != "smslogdoc_cp1252":
        return None
    return codecs.CodecInfo(
        name="smslogdoc-cp1252",
        encode=lambda text, errors="strict": codecs.charmap_encode(text, errors, _CP1252_DECODING),
        decode=_cp1252_decode,  # type: ignore[arg-type]
        incrementaldecoder=_Cp1252Decoder,
        incrementalencoder=_Cp1252Encoder,
    )


codecs.register(_search)


@dataclass
class Opened:
    """A file opened for reading as text, or the reason it was not."""

    stream: io.TextIOWrapper | None
    encoding: str
    """What the bytes were read as: utf-8, utf-8-bom, utf-16-le, utf-16-be or cp1252."""
    skip_reason: str = ""
    """Why the file is not read as text (binary, empty); empty when it is."""
    sample: str = ""
    """The first part of the text, for deciding the format."""
    counted: Counted | None = None
    """The stream's error handler and what it counted (to release when done)."""


def errors_for(codec: str) -> str:
    """The error handler a sample in `codec` is read with: it never raises (and counts nothing)."""
    return {"utf-8": "smslogdoc-cp1252", "utf-8-sig": "smslogdoc-cp1252"}.get(codec, "smslogdoc-utf16")


@dataclass
class ByteCounts:
    """What one file's decoder could not read as it is written."""

    fallback: int = 0
    """Bytes read as Windows-1252 inside UTF-8 text."""
    replaced: int = 0
    """Undecodable UTF-16 bytes (an odd last byte, a lone surrogate) shown as U+FFFD."""


_slots: list[ByteCounts | None] = []
"""The counts each numbered pair of error handlers adds to (None: free)."""
_free: list[int] = []


def _slot_handlers(slot: int) -> None:
    def fallback(error: UnicodeError) -> tuple[str, int]:
        text, end = _utf8_fallback(error)
        counts = _slots[slot]
        if counts is not None and isinstance(error, UnicodeDecodeError):
            counts.fallback += end - error.start
        return text, end

    def replace(error: UnicodeError) -> tuple[str, int]:
        text, end = _utf16_replace(error)
        counts = _slots[slot]
        if counts is not None and isinstance(error, UnicodeDecodeError):
            counts.replaced += end - error.start
        return text, end

    codecs.register_error(f"smslogdoc-cp1252-{slot}", fallback)
    codecs.register_error(f"smslogdoc-utf16-{slot}", replace)


class Counted:
    """The error handler one file is decoded with, counting into its own
    `ByteCounts` (so files read side by side, `parse --merge`, never count
    each other's bytes). Handlers are registered once per slot and reused:
    as many exist as files were ever open at once. `release` when done."""

    def __init__(self, codec: str) -> None:
        self.counts = ByteCounts()
        if _free:
            self._slot: int | None = _free.pop()
        else:
            self._slot = len(_slots)
            _slots.append(None)
            _slot_handlers(self._slot)
        _slots[self._slot] = self.counts
        family = "cp1252" if codec in ("utf-8", "utf-8-sig") else "utf16"
        self.errors = f"smslogdoc-{family}-{self._slot}"

    def release(self) -> None:
        if self._slot is not None:
            _slots[self._slot] = None
            _free.append(self._slot)
            self._slot = None


class Prefixed(io.RawIOBase):
    """A raw stream that replays bytes already read, then continues with the source.
    Used for standard input, pipes and FIFOs, which cannot seek back after the
    encoding sniff. With `owned`, closing it closes the source."""

    def __init__(self, prefix: bytes, source: BinaryIO | io.RawIOBase, *, owned: bool = False) -> None:
        self._prefix = memoryview(prefix)
        self._source = source
        self._owned = owned

    def close(self) -> None:
        if self._owned and not self.closed:
            self._source.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            count = min(len(buffer), len(self._prefix))
            buffer[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        data = self._source.read(len(buffer)) or b""
        count = len(data)
        buffer[:count] = data
        return count


def sniff(sample: bytes) -> tuple[str, str]:
    """Decide (codec name, reported encoding) from a file's first bytes;
    codec name '' means binary."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-bom"
    if sample.startswith(codecs.BOM_UTF16_LE) and not sample.startswith(codecs.BOM_UTF32_LE):
        return "utf-16", "utf-16-le"
    if sample.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "utf-16-be"
    if b"\x00" in sample:
        guess = _bomless_utf16(sample)
        if guess:
            return guess, guess
    if _looks_binary(sample):
        return "", ""
    before = _InvalidCount.value
    decoded = codecs.getincrementaldecoder("utf-8")(errors="smslogdoc-count").decode(sample, final=False)
    invalid = _InvalidCount.value - before
    if invalid:
        # Many valid multi-byte sequences and a few bad bytes is UTF-8 with
        # damage; the reverse is an ANSI file, whose accented letters are lone
        # high bytes.
        multibyte = len(decoded.encode("utf-8", "surrogatepass")) - len(decoded)
        if multibyte <= invalid:
            return "smslogdoc_cp1252", "cp1252"
    return "utf-8", "utf-8"


def _bomless_utf16(sample: bytes) -> str:
    """UTF-16 written without a BOM: mostly-ASCII text has a NUL in every other byte."""
    pairs = len(sample) // 2
    if pairs < 8:
        return ""
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls > pairs * 0.4 and even_nuls < pairs * 0.05:
        return "utf-16-le"
    if even_nuls > pairs * 0.4 and odd_nuls < pairs * 0.05:
        return "utf-16-be"
    return ""


_NUL_RUN = re.compile(rb"\x00{16,}")


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if sample.startswith(_BINARY_MAGIC) and (b"\x00" in sample or len(sample) < 64):
        return True
    # Runs of NUL bytes are the unwritten tail (or block) of a log after a crash,
    # not a sign of binary content; judge the rest.
    text = _NUL_RUN.sub(b"", sample) if b"\x00" * 16 in sample else sample
    if not text.strip():
        return True  # nothing but NUL bytes: never written
    if b"\x00" not in text:
        return False  # binaries have NUL bytes; other control characters in text are shown escaped
    controls = len(text.translate(None, _TEXT_BYTES))
    return controls > max(8, len(text) // 20)


def open_binary(raw: BinaryIO, *, seekable: bool) -> Opened:
    """Sniff `raw` and wrap it in a text stream (universal line splitting,
    line endings kept, no decoding errors possible)."""
    sample = raw.read(SAMPLE_SIZE)
    if not sample:
        return Opened(None, "", "empty file")
    codec, reported = sniff(sample)
    if not codec:
        if not sample.strip(b"\x00"):
            return Opened(None, "", "only NUL bytes (the file was never written)")
        return Opened(None, "", "binary file, not a log")
    if seekable:
        raw.seek(0)
        buffered: BinaryIO = raw
    else:
        buffered = io.BufferedReader(Prefixed(sample, raw), buffer_size=1 << 16)
    counted = Counted(codec)
    stream = io.TextIOWrapper(buffered, encoding=codec, errors=counted.errors, newline="")
    stream._CHUNK_SIZE = 1 << 16  # type: ignore[attr-defined]
    text = codecs.decode(sample, codec if codec != "utf-16" else reported, errors_for(codec))
    return Opened(stream, reported, sample=text.lstrip("\ufeff"), counted=counted)
