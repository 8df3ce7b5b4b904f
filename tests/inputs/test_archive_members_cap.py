"""An archive's member count is bounded (`caps.MAX_MEMBERS`): past it, one
problem line, and the time and memory of listing stay bounded too."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from smslogdoc.inputs.archives import caps, iter_members
from smslogdoc.model import Problem


def names(count: int) -> list[str]:
    return [f"Logs/app{index:03d}.log" for index in range(count)]


def zip_of(path: Path, count: int, *, zip64: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names(count):
            archive.writestr(name, b"a log line\r\n")
    if zip64:  # the count in ZIP64's own end record, 0xFFFF in the classic one
        data = bytearray(path.read_bytes())
        at = data.rfind(b"PK\x05\x06")
        data[at + 8 : at + 12] = b"\xff\xff\xff\xff"
        record = b"PK\x06\x06" + (44).to_bytes(8, "little") + bytes(20) + count.to_bytes(8, "little") * 2
        locator = b"PK\x06\x07" + bytes(16)
        data[at:at] = record + bytes(16) + locator
        path.write_bytes(bytes(data))
    return path


def tar_of(path: Path, count: int) -> Path:
    with tarfile.open(path, "w") as archive:
        for name in names(count):
            info = tarfile.TarInfo(name)
            info.size = 11
            archive.addfile(info, io.BytesIO(b"a log line\n"))
    return path


def listed(path: Path) -> tuple[list[str], list[str]]:
    problems: list[Problem] = []
    members = [member.name for member in iter_members(path, problems)]
    return members, [problem.message for problem in problems]


def test_a_zip_within_the_cap_is_listed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caps, "MAX_MEMBERS", 5)
    members, problems = listed(zip_of(tmp_path / "logs.zip", 5))
    assert members == [name.rsplit("/", 1)[1] for name in names(5)]
    assert problems == []


def test_a_zip_that_lists_more_files_than_the_cap_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "MAX_MEMBERS", 5)
    members, problems = listed(zip_of(tmp_path / "logs.zip", 6))
    assert members == []
    assert problems == [
        "zip archive lists 6 files, over the cap of 5 for one archive; not read (extract the logs you need)"
    ]


def test_the_count_of_a_zip64_directory_is_read_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caps, "MAX_MEMBERS", 5)
    _, problems = listed(zip_of(tmp_path / "logs.zip", 7, zip64=True))
    assert problems == [
        "zip archive lists 7 files, over the cap of 5 for one archive; not read (extract the logs you need)"
    ]


def test_a_tar_is_read_up_to_the_cap_and_says_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "MAX_MEMBERS", 5)
    members, problems = listed(tar_of(tmp_path / "logs.tar", 8))
    assert members == [name.rsplit("/", 1)[1] for name in names(5)]
    assert problems == [
        "archive holds more than 5 files, the cap for one archive; files from 'Logs/app005.log' on not read"
    ]
