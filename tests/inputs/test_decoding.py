"""Encodings, binaries, empty files, folder walks, rotated files and standard input."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import pytest

from smslogdoc.inputs.paths import collect
from tests.conftest import Parse, read_path

LINE = '<![LOG[Program exit code 5 for Gestion Comptabilit\u00e9]LOG]!><time="08:30:11.902-60" date="01-16-2024" component="execmgr" context="" type="3" thread="3292" file="execreqmgr.cpp:3420">\r\n'


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (codecs.BOM_UTF8 + LINE.encode("utf-8"), "utf-8-bom"),
        (LINE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + LINE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + LINE.encode("utf-16-be"), "utf-16-be"),
        (LINE.encode("utf-16-le"), "utf-16-le"),
        (LINE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8-bom", "utf8", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "cp1252"],
)
def test_encodings_are_sniffed_from_the_bytes(parse_text: Parse, encoded: bytes, encoding: str) -> None:
    (event,) = parse_text(encoded)
    assert event.message == "Program exit code 5 for Gestion Comptabilit\u00e9"
    assert parse_text.reports[0].encoding == encoding  # type: ignore[attr-defined]


def test_a_stray_invalid_byte_in_utf8_is_read_as_cp1252(parse_text: Parse) -> None:
    good = "é".encode() * 100  # valid UTF-8 that must stay UTF-8
    data = LINE.encode("utf-8").replace(b"Gestion", good + b"Gesti\xf3n")
    (event,) = parse_text(data)
    assert "Gesti\u00f3n" in event.message and event.message.startswith(
        "Program exit code 5 for " + "é" * 100
    )
    assert parse_text.reports[0].encoding == "utf-8+cp1252"  # type: ignore[attr-defined]


def test_utf16_with_an_odd_byte_count_does_not_fail(parse_text: Parse) -> None:
    events = parse_text(codecs.BOM_UTF16_LE + LINE.encode("utf-16-le") + b"\x41")
    assert events[0].message.startswith("Program exit code 5")


def test_binaries_are_skipped_with_a_note(parse_text: Parse) -> None:
    assert (
        parse_text(
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 4, name="ccmsetup.log"
        )
        == []
    )
    (report,) = parse_text.reports  # type: ignore[attr-defined]
    assert report.skipped and [p.message for p in report.problems] == ["binary file, not a log"]


def test_empty_file_is_read_with_a_note(parse_text: Parse) -> None:
    assert parse_text(b"") == []
    (report,) = parse_text.reports  # type: ignore[attr-defined]
    assert not report.skipped and [p.message for p in report.problems] == ["empty file"]


def test_folder_walk_groups_rotated_parts_oldest_first(tmp_path: Path) -> None:
    machine = tmp_path / "WKS0142" / "ccmsetup"
    machine.mkdir(parents=True)
    for name in (
        "ccmsetup.log",
        "ccmsetup.lo_",
        "execmgr.log",
        "execmgr-20240102-101010.log",
        "execmgr-20240101-090909.log",
        "notes.md",
    ):
        (machine / name).write_text(f"line of {name}\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.log").write_text("x\n")
    problems: list = []
    logs = collect([str(tmp_path)], problems)
    assert problems == []
    assert [[Path(p.display).name for p in log.parts] for log in logs] == [
        ["ccmsetup.lo_", "ccmsetup.log"],
        ["execmgr-20240101-090909.log", "execmgr-20240102-101010.log", "execmgr.log"],
    ]
    events, _ = read_path(machine)
    assert [e.message for e in events][:2] == ["line of ccmsetup.lo_", "line of ccmsetup.log"]


def test_missing_paths_and_empty_folders_are_problems(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    problems: list = []
    assert collect([str(tmp_path / "nope.log"), str(tmp_path / "empty")], problems) == []
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'nope.log'}: no such file or directory",
        f"{tmp_path / 'empty'}: folder holds no files to read",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "execmgr.log").write_text("x\n")
    (tmp_path / "logs" / "again").symlink_to(tmp_path / "logs")
    problems: list = []
    logs = collect([str(tmp_path / "logs")], problems)
    assert [log.name for log in logs] == [str(tmp_path / "logs" / "execmgr.log")]
    assert [p.message for p in problems] == ["symbolic link loop: folder already read, not followed"]


def test_deep_trees_are_walked_without_recursion(tmp_path: Path) -> None:
    folder = tmp_path
    for index in range(120):
        folder = folder / f"d{index}"
    folder.mkdir(parents=True)
    (folder / "smsapm32.log").write_text("x\n")
    problems: list = []
    assert [Path(log.name).name for log in collect([str(tmp_path)], problems)] == ["smsapm32.log"]
