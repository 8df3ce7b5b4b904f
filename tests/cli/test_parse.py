"""`smslogdoc parse`: output formats, standard input, time filters, bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from smslogdoc.report.listing import as_dict, write_jsonl
from tests.conftest import SAMPLES, invoke, read_path
from tests.formats.test_pastes import _spaced

RECORD = '<![LOG[{msg}]LOG]!><time="{t}+240" date="07-14-2021" component="{comp}" context="" type="{type}" thread="10472" file="x.cpp:1">\r\n'


def write(path: Path, *rows: tuple[str, str, str, str]) -> Path:
    path.write_text(
        "".join(RECORD.format(msg=m, t=t, comp=c, type=k) for m, t, c, k in rows),
        encoding="utf-8",
        newline="",
    )
    return path


def test_jsonl_has_the_documented_keys(tmp_path: Path) -> None:
    log = write(tmp_path / "execmgr.log", ("Program exit code 5", "08:52:46.657", "execmgr", "3"))
    result = invoke(["parse", str(log), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert list(record)[:9] == [
        "path",
        "line",
        "end_line",
        "time",
        "component",
        "severity",
        "thread",
        "message",
        "format",
    ]
    assert record == {
        "path": str(log),
        "line": 1,
        "end_line": 1,
        "time": "2021-07-14T08:52:46.657-04:00",
        "component": "execmgr",
        "severity": "error",
        "thread": 10472,
        "message": "Program exit code 5",
        "format": "cmtrace",
        "file": "x.cpp:1",
    }


def test_csv_output(tmp_path: Path) -> None:
    log = write(tmp_path / "a.log", ("two\r\nlines", "08:52:46.657", "ccmsetup", "1"))
    result = invoke(["parse", str(log), "-f", "csv"])
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert rows[0] == [
        "path",
        "line",
        "end_line",
        "time",
        "component",
        "severity",
        "thread",
        "message",
        "format",
    ]
    assert rows[1][1:] == [
        "1",
        "2",
        "2021-07-14T08:52:46.657-04:00",
        "ccmsetup",
        "info",
        "10472",
        "two\r\nlines",
        "cmtrace",
    ]


def test_table_shows_hostile_log_text_inertly(tmp_path: Path) -> None:
    log = write(
        tmp_path / "a.log", ("[bold]x[/] :x: \x1b]0;pwned\x07 \x1b[31mred", "08:52:46.657", "[red]c", "1")
    )
    result = invoke(["parse", str(log), "-f", "table"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[bold]x[/] :x: \\x1b]0;pwned\\x07 \\x1b[31mred" in result.stdout
    assert "[red]c" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_standard_input_with_dash_and_without_paths() -> None:
    text = (SAMPLES / "smsapm32-healthy" / "smsapm32.log").read_text(encoding="cp1252")
    for args in (["parse", "-", "-f", "jsonl"], ["parse", "-f", "jsonl"]):
        result = invoke(args, input=text)
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert (
            records
            and {r["path"] for r in records} == {"<stdin>"}
            and {r["format"] for r in records} == {"smstrace"}
        )


def test_missing_path_alone_exits_2_with_one_line(tmp_path: Path) -> None:
    result = invoke(["parse", str(tmp_path / "nope.log"), "-f", "jsonl"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"smslogdoc: {tmp_path / 'nope.log'}: no such file or directory"


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    good = write(tmp_path / "good.log", ("fine", "08:52:46.657", "c", "1"))
    binary = tmp_path / "bin.log"
    binary.write_bytes(b"MZ\x00\x00" + bytes(range(256)) * 8)
    result = invoke(["parse", str(tmp_path / "missing.log"), str(binary), str(good), "-f", "jsonl"])
    assert result.exit_code == 2  # a named path is missing: read the rest, then exit 2
    assert [json.loads(line)["message"] for line in result.stdout.splitlines()] == ["fine"]
    assert result.stderr.splitlines() == [
        f"smslogdoc: {tmp_path / 'missing.log'}: no such file or directory",
        f"smslogdoc: {binary}: binary file, not a log",
        f"smslogdoc: exit 2: 1 path(s) named on the command line could not be read: {tmp_path / 'missing.log'}",
    ]


def test_merge_interleaves_logs_by_time(tmp_path: Path) -> None:
    a = write(tmp_path / "a.log", ("a1", "08:00:00.000", "c", "1"), ("a2", "08:00:02.000", "c", "1"))
    b = write(tmp_path / "b.log", ("b1", "08:00:01.000", "c", "1"), ("b2", "08:00:03.000", "c", "1"))
    result = invoke(["parse", str(a), str(b), "--merge", "-f", "jsonl"])
    assert [json.loads(line)["message"] for line in result.stdout.splitlines()] == ["a1", "b1", "a2", "b2"]
    unmerged = invoke(["parse", str(a), str(b), "-f", "jsonl"])
    assert [json.loads(line)["message"] for line in unmerged.stdout.splitlines()] == ["a1", "a2", "b1", "b2"]


def test_since_and_until_use_the_logs_local_time_unless_an_offset_is_given(tmp_path: Path) -> None:
    log = write(tmp_path / "a.log", *[(f"m{i}", f"08:0{i}:00.000", "c", "1") for i in range(5)])
    local = invoke(
        ["parse", str(log), "--since", "2021-07-14 08:01", "--until", "2021-07-14 08:03", "-f", "jsonl"]
    )
    assert [json.loads(line)["message"] for line in local.stdout.splitlines()] == ["m1", "m2", "m3"]
    instant = invoke(["parse", str(log), "--since", "2021-07-14T12:03:00Z", "-f", "jsonl"])
    assert [json.loads(line)["message"] for line in instant.stdout.splitlines()] == ["m3", "m4"]
    bad = invoke(["parse", str(log), "--since", "not a time"])
    assert bad.exit_code == 2 and bad.stderr.startswith(
        "smslogdoc: --since: cannot read the time 'not a time'"
    )


def test_tz_gives_local_times_a_zone() -> None:
    log = SAMPLES / "smsapm32-healthy" / "smsapm32.log"
    plain = invoke(["parse", str(log), "-f", "jsonl"])
    zoned = invoke(["parse", str(log), "-f", "jsonl", "--tz", "America/Chicago"])
    first_plain, first_zoned = (
        json.loads(plain.stdout.splitlines()[0]),
        json.loads(zoned.stdout.splitlines()[0]),
    )
    assert "+" not in first_plain["time"][10:] and "-" not in first_plain["time"][10:]
    assert first_zoned["time"] == first_plain["time"] + "-06:00"


def test_every_sample_log_parses_without_unparsed_records() -> None:
    result = invoke(["parse", str(SAMPLES), "-f", "jsonl"])
    assert result.exit_code == 0
    formats = {json.loads(line)["format"] for line in result.stdout.splitlines()}
    assert "unparsed" not in formats
    assert {"cmtrace", "smstrace", "copied", "ini", "text"} <= formats
    assert result.stderr == ""


def test_console_script_and_module_entry_points() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "smslogdoc", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("smslogdoc ")
    helped = subprocess.run(
        [sys.executable, "-m", "smslogdoc", "parse", "--help"], capture_output=True, text=True, check=True
    )
    assert "--merge" in helped.stdout


def test_hand_written_json_lines_equal_the_documented_objects() -> None:
    """write_jsonl builds lines without json.dumps, for speed: same content."""
    events, _ = read_path(SAMPLES)
    out = io.StringIO()
    assert write_jsonl(events, out) == len(events)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [as_dict(event) for event in events]


def test_ambiguity_is_a_key_in_parse_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "amb.txt"
    path.write_text(
        _spaced("Download started", "03-07-2019 14:17:54") + _spaced("Download failed", "04-07-2019 14:17:56")
    )
    result = invoke(["parse", "--format", "jsonl", str(path)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["time_ambiguous"] for row in rows] == [True, True]
    assert rows[0]["time"] == "2019-07-03T14:17:54.000"
    assert result.output.count("time_ambiguous in JSON") == 1
