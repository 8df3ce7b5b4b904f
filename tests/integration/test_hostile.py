"""Hostile and broken input: never a traceback, never a hang, one line per
problem naming the path (and line), and nothing lost: the good log beside the
bad one is still diagnosed. Also: log text can never drive the terminal."""

from __future__ import annotations

import json
import os
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from smslogdoc.inputs.paths import collect
from smslogdoc.read.full import read_log
from tests.conftest import SAMPLES, invoke, read_path

S01 = (SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log").read_bytes()
RECORD = b'<![LOG[Program exit code 5]LOG]!><time="10:00:00.000+240" date="02-10-2015" component="execmgr" context="" type="1" thread="1" file="x.cpp:1">\r\n'


def diagnose_json(*paths: Path) -> tuple[int, dict[str, object], str]:
    result = invoke(["diagnose", *map(str, paths), "--format", "json"], env={"NO_COLOR": "1"})
    return result.exit_code, json.loads(result.stdout), result.stderr


def with_good_log(tmp_path: Path) -> Path:
    good = tmp_path / "good"
    good.mkdir()
    (good / "ccmsetup.log").write_bytes(S01)
    return good


def all_problems(document: dict[str, object]) -> list[str]:
    problems = [p for f in document["files"] for p in f["problems"]] + document["problems"]  # type: ignore[union-attr,operator]
    return [
        f"{p['path']}{':' + str(p['line']) if p['line'] is not None else ''}: {p['message']}"
        for p in problems
    ]


Setup = Callable[[Path], Path]


def zero_bytes(folder: Path) -> Path:
    (folder / "execmgr.log").write_bytes(b"")
    return folder / "execmgr.log"


def binary_named_log(folder: Path) -> Path:
    (folder / "ccmsetup.log").write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 64)
    return folder / "ccmsetup.log"


def nul_padding(folder: Path) -> Path:
    (folder / "execmgr.log").write_bytes(RECORD + b"\x00" * 4096)
    return folder / "execmgr.log"


def cut_mid_attribute(folder: Path) -> Path:
    (folder / "execmgr.log").write_bytes(
        RECORD + b'<![LOG[Program exit code 1603]LOG]!><time="10:00:01.000+240" date="02-10-2015" compo'
    )
    return folder / "execmgr.log"


def odd_utf16(folder: Path) -> Path:
    (folder / "execmgr.log").write_bytes(b"\xff\xfe" + RECORD.decode().encode("utf-16-le") + b"\x41")
    return folder / "execmgr.log"


def bad_utf8_and_surrogates(folder: Path) -> Path:
    # an encoded lone surrogate (ED A0 80) and bytes no UTF-8 has, inside a record
    (folder / "execmgr.log").write_bytes(RECORD.replace(b"Program", b"Pro\xed\xa0\x80gr\xff\xfeam"))
    return folder / "execmgr.log"


def utf16_lone_surrogate(folder: Path) -> Path:
    text = RECORD.decode().replace("Program", "Pro\udc00gram")
    (folder / "execmgr.log").write_bytes(b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass"))
    return folder / "execmgr.log"


CASES: list[tuple[str, Setup, str]] = [
    ("zero-byte file", zero_bytes, "{path}: empty file"),
    ("binary with a .log name", binary_named_log, "{path}: binary file, not a log"),
    (
        "NUL padding after a crash",
        nul_padding,
        "{path}:2: 4,096 NUL bytes skipped (a part of the file that was never written)",
    ),
    ("record cut off mid-attribute", cut_mid_attribute, "{path}:2: record cut off at the end of the file"),
    (
        "UTF-16 with an odd byte count",
        odd_utf16,
        "{path}: 1 byte(s) are not valid UTF-16-LE (an odd last byte or a lone surrogate); shown as U+FFFD",
    ),
    (
        "UTF-16 with a lone surrogate",
        utf16_lone_surrogate,
        "{path}: 2 byte(s) are not valid UTF-16-LE (an odd last byte or a lone surrogate); shown as U+FFFD",
    ),
    ("invalid UTF-8 and an encoded lone surrogate", bad_utf8_and_surrogates, ""),
]


@pytest.mark.parametrize(
    ("setup", "problem"),
    [(setup, problem) for _, setup, problem in CASES],
    ids=[name for name, _, _ in CASES],
)
def test_hostile_file_beside_a_good_log(tmp_path: Path, setup: Setup, problem: str) -> None:
    good = with_good_log(tmp_path)
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = setup(bad_dir)
    code, document, stderr = diagnose_json(good, bad)
    assert code == 1
    assert "ccmsetup-service-cannot-access-source" in [f["rule"] for f in document["findings"]]  # type: ignore[union-attr,index]
    expected = [problem.format(path=bad)] if problem else []
    assert all_problems(document) == expected
    assert [line.removeprefix("smslogdoc: ") for line in stderr.splitlines()] == expected
    json.dumps(document, ensure_ascii=False).encode("utf-8")  # no lone surrogate can reach the output


def test_file_that_disappears_between_listing_and_reading(tmp_path: Path) -> None:
    (tmp_path / "execmgr.log").write_bytes(RECORD)
    (tmp_path / "ccmsetup.log").write_bytes(S01)
    logs = collect([str(tmp_path)], [])
    (tmp_path / "execmgr.log").unlink()
    read = {log.name: list(read_log(log)) for log in logs}
    assert len(read[str(tmp_path / "ccmsetup.log")]) == 87
    (gone,) = [log for log in logs if log.name.endswith("execmgr.log")]
    assert [str(p) for p in gone.reports[0].problems] == [
        f"{tmp_path / 'execmgr.log'}: cannot open: No such file or directory"
    ]


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = with_good_log(tmp_path)
    locked = tmp_path / "locked.log"
    locked.write_bytes(RECORD)
    original = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.log":
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    code, document, _ = diagnose_json(good, locked)
    assert code == 2 and document["findings"]  # the rest is diagnosed; a named file unreadable is exit 2
    assert all_problems(document) == [f"{locked}: cannot open: Permission denied"]


def test_file_that_grows_and_shrinks_while_read(tmp_path: Path) -> None:
    path = tmp_path / "execmgr.log"
    path.write_bytes(RECORD * 3)
    (log,) = collect([str(path)], [])
    events = read_log(log)
    first = next(events)
    with path.open("ab") as grow:
        grow.write(RECORD * 2)
    rest = list(events)
    assert first.line == 1 and len(rest) == 4
    path.write_bytes(RECORD * 40_000)
    (log,) = collect([str(path)], [])
    events = read_log(log)
    next(events)
    os.truncate(path, len(RECORD) * 10 + 7)  # shrinks mid-record
    assert len(list(events)) < 40_000  # no exception, whatever was still readable


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlink_loop_beside_a_good_log(tmp_path: Path) -> None:
    good = with_good_log(tmp_path)
    (good / "loop").symlink_to(good)
    code, document, _ = diagnose_json(good)
    assert code == 1 and document["findings"]
    assert all_problems(document) == [
        f"{good / 'loop'}: symbolic link loop: folder already read, not followed"
    ]


def test_very_deep_tree(tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(500):
        folder = folder / "d"
    folder.mkdir(parents=True)
    (folder / "ccmsetup.log").write_bytes(S01)
    code, document, _ = diagnose_json(tmp_path)
    assert code == 1 and [f["rule"] for f in document["findings"]] == [
        "ccmsetup-service-cannot-access-source"
    ]  # type: ignore[union-attr,index]


@pytest.mark.slow
@pytest.mark.parametrize("prefix", [b"", RECORD], ids=["plain text", "after a CMTrace record"])
def test_one_line_of_hundreds_of_megabytes_is_cut_in_bounded_memory(tmp_path: Path, prefix: bytes) -> None:
    path = tmp_path / "huge.log"
    with path.open("wb") as out:
        out.write(prefix)
        block = b"x" * (1 << 20)
        for _ in range(200):  # 200 MiB, no line break
            out.write(block)
        out.write(b"\r\nlast line\r\n")
    tracemalloc.start()
    events, reports = read_path(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40 * (1 << 20), f"peak {peak / (1 << 20):.0f} MiB"
    assert next(len(e.message) for e in events if e.format in ("unparsed", "text")) == 1 << 20
    assert events[-1].message == "last line"
    expected = [
        f"{path}:{2 if prefix else 1}: line longer than 1,048,576 characters: cut, 208,666,624 characters skipped"
    ]
    if prefix:  # in a CMTrace log, the plain line after it is not a record either
        expected.append(f"{path}:3: text that is not a record of this log's format")
    assert [str(p) for p in reports[0].problems] == expected


def test_log_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J\x1b[31m[bold red]boom[/] :x: \x08\x7f\u202eevil\r" + "tail"
    record = f'<![LOG[Failed to access source file (\\\\fs01\\{hostile}). Waiting for retry...]LOG]!><time="14:02:12.692+240" date="05-17-2022" component="ccmsetup" context="" type="3" thread="7044" file="x.cpp:1">\r\n'
    log = tmp_path / "ccmsetup.log"
    log.write_bytes(S01.replace(S01[S01.index(b"<![LOG[Failed to access source file") :], record.encode()))
    for output in ("text", "markdown"):
        result = invoke(["diagnose", str(log), "--format", output], env={"NO_COLOR": "1", "COLUMNS": "200"})
        assert result.exit_code == 1
        for control in ("\x1b", "\x07", "\x08", "\x7f", "\u202e", "\r"):
            assert control not in result.stdout, (output, repr(control))
        assert "\\x1b]0;owned\\x07" in result.stdout and "\\u202eevil" in result.stdout
    text = invoke(["diagnose", str(log)], env={"NO_COLOR": "1", "COLUMNS": "200"}).stdout
    assert "[bold red]boom[/] :x:" in text  # rich markup and emoji codes print as written
    exact = json.loads(invoke(["diagnose", str(log), "--format", "json"]).stdout)
    assert hostile in exact["findings"][0]["evidence"][-1]["text"]  # JSON keeps the exact text
