"""A gzipped tar read in an order other than its own (rotated parts stored
`.log` before `.lo_`, read oldest first) is still decompressed forwards once:
the members a forward seek skips are kept aside (`archives.spool`)."""

from __future__ import annotations

import io
import random
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from smslogdoc.inputs.archives import caps
from smslogdoc.inputs.archives.members import Archive
from smslogdoc.inputs.archives.spool import Spooled
from smslogdoc.inputs.paths import close_archives, collect
from smslogdoc.model import Problem
from smslogdoc.read.full import ReadOptions, read_log

LINE = (
    "<![LOG[Download of content {n} from dp{k}.contoso.com failed, retrying in 60 seconds]LOG]!>"
    '<time="10:0{s}:00.000+000" date="01-02-2024" component="ContentTransferManager" context="" '
    'type="2" thread="1234" file="ctm.cpp:100">\n'
)


def rotated_tgz(path: Path, groups: int, lines: int) -> dict[str, bytes]:
    """A gzipped tar holding each log's current part before its rotated one
    (`logNNN.log`, then `logNNN.lo_`), as collectors often write them."""
    chosen = random.Random(7)
    files: dict[str, bytes] = {}
    with tarfile.open(path, "w:gz") as packed:
        for group in range(groups):
            for name in (f"Logs/log{group:03}.log", f"Logs/log{group:03}.lo_"):
                text = "".join(LINE.format(n=n, k=chosen.randint(0, 99), s=n % 10) for n in range(lines))
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                packed.addfile(info, io.BytesIO(data))
                files[name] = data
    return files


class _Counting(io.FileIO):
    read_bytes = 0

    def readinto(self, buffer: object) -> int | None:  # type: ignore[override]
        count = super().readinto(buffer)  # type: ignore[arg-type]
        _Counting.read_bytes += count or 0
        return count


@pytest.fixture
def compressed_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Counting]]:
    """Counts the compressed bytes read from archives on disk."""
    _Counting.read_bytes = 0

    def raw(archive: Archive) -> io.BufferedReader:
        return io.BufferedReader(_Counting(archive.path, "rb"))

    monkeypatch.setattr(Archive, "_raw", raw)
    yield _Counting


def test_rotated_parts_stored_newest_first_decompress_the_archive_once(
    tmp_path: Path, compressed_reads: type[_Counting]
) -> None:
    archive = tmp_path / "WKS0042.tgz"
    files = rotated_tgz(archive, groups=40, lines=300)
    problems: list[Problem] = []
    logs = collect([str(archive)], problems)
    read = [len(list(read_log(log, ReadOptions()))) for log in logs]
    close_archives(logs)
    assert not problems and len(files) == 80
    assert read == [600] * 40  # both parts of each log, every record
    # one pass to list the members, one to read them: not one more per log read out of order
    assert compressed_reads.read_bytes <= 2 * archive.stat().st_size + (1 << 16)


def _read(stream: Spooled, start: int, size: int) -> bytes:
    stream.seek(start)
    return stream.read(size) or b""


def test_the_spool_gives_each_member_back_whatever_the_order(tmp_path: Path) -> None:
    archive = tmp_path / "logs.tgz"
    files = rotated_tgz(archive, groups=6, lines=50)
    with tarfile.open(archive) as packed:
        places = {info.name: (info.offset_data, info.size) for info in packed}
    order = sorted(files, key=lambda name: (name[:-4], not name.endswith(".lo_")))  # oldest part first
    with Spooled(archive.open("rb")) as stream:
        for name in reversed(order):
            assert _read(stream, *places[name]) == files[name]
        assert stream.passes == 1


def test_past_the_spool_cap_members_are_still_read_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "SPOOL_CAP", 0)
    archive = tmp_path / "logs.tgz"
    files = rotated_tgz(archive, groups=3, lines=20)
    with tarfile.open(archive) as packed:
        places = {info.name: (info.offset_data, info.size) for info in packed}
    with Spooled(archive.open("rb")) as stream:
        for name in reversed(list(files)):
            assert _read(stream, *places[name]) == files[name]
        assert stream.passes == len(
            files
        )  # nothing kept: each member before the last read again from the start
