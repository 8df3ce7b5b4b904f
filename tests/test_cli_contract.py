"""The command-line contract scripts rely on (issue 14): exit codes, inputs
that are missing, empty or not seekable, and `explain` of unknown codes."""

from __future__ import annotations

import codecs
import json
import os
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Result
from tests.conftest import invoke as run

HEALTHY = SAMPLES / "execmgr-healthy"


def invoke(*args: str, stdin: str | None = None) -> Result:
    return run(list(args), input=stdin, env={"NO_COLOR": "1", "COLUMNS": "120"})


@pytest.mark.parametrize("command", ["diagnose", "parse"])
def test_a_missing_path_beside_a_good_one_exits_2_after_the_rest(command: str, tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexistent")
    result = invoke(command, "-q", missing, str(HEALTHY))
    assert result.exit_code == 2
    assert f"smslogdoc: {missing}: no such file or directory" in result.stderr
    assert "could not be read" in result.stderr
    assert result.stdout  # the good path was still read and printed


def test_problems_inside_a_folder_walk_stay_problems(tmp_path: Path) -> None:
    (tmp_path / "broken.log").write_bytes(b"\x00\x01\x02MZ" * 200)
    (tmp_path / "execmgr.log").write_bytes((HEALTHY / "execmgr.log").read_bytes())
    assert invoke("diagnose", "-q", "--fail-on", "none", str(tmp_path)).exit_code == 0


def test_a_hidden_finding_that_decides_the_exit_code_is_named() -> None:
    result = invoke("diagnose", str(HEALTHY), "--min-severity", "error", "--fail-on", "info")
    assert result.exit_code == 1
    assert "exit 1: 1 info finding at or above --fail-on info, not shown (--min-severity error)" in result.stdout
    quiet = invoke("diagnose", "-q", "-f", "json", str(HEALTHY), "--min-severity", "error", "--fail-on", "info")
    assert quiet.exit_code == 1 and "exit 1: 1 info finding" in quiet.stderr


@pytest.mark.parametrize("command", ["diagnose", "parse"])
def test_no_path_and_an_empty_standard_input_is_nothing_to_read(command: str) -> None:
    result = invoke(command, stdin="")
    assert result.exit_code == 2
    assert "nothing to read" in result.stderr


def test_explain_unknown_code_exits_1_and_says_so() -> None:
    result = invoke("explain", "0x12345678")
    assert result.exit_code == 1
    assert "not in the code table" in result.stderr
    assert invoke("explain", "0x80070005").exit_code == 0


@pytest.mark.parametrize("spelling", ["0x80070005,", "0x80070005.", "80070005;"])
def test_explain_accepts_punctuation_copied_from_a_log(spelling: str) -> None:
    result = invoke("explain", spelling)
    assert result.exit_code == 0
    assert result.stdout.startswith("0x80070005 (-2147024891; Win32 5, ERROR_ACCESS_DENIED)")


def test_explain_minus_one_names_an_11_bit_facility() -> None:
    result = invoke("explain", "-1")
    assert "0x1FFF" not in result.stdout
    assert "facility 0x7FF" in result.stdout


@pytest.mark.parametrize("code", ["0xC1900101", "0x80D02002", "0x87D00664"])
def test_codes_users_hit_are_known(code: str) -> None:
    result = invoke("explain", code)
    assert result.exit_code == 0, result.output
    assert "unknown" not in result.stdout


# --------------------------------------------------------------------------- streams

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/fd").is_dir(), reason="needs FIFOs and /dev/fd")


@needs_fifo
def test_process_substitution_is_read_as_a_stream() -> None:
    data = (HEALTHY / "execmgr.log").read_bytes()
    read_end, write_end = os.pipe()

    def write() -> None:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = invoke("diagnose", "-f", "json", f"/dev/fd/{read_end}")
    finally:
        writer.join()
        os.close(read_end)
    assert result.exit_code == 0, result.stderr
    assert "not seekable" not in result.stderr
    assert json.loads(result.stdout)["findings"][0]["rule"] == "execmgr-success-reboot-required"


@needs_fifo
def test_a_fifo_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "execmgr.log"
    os.mkfifo(fifo)
    data = (HEALTHY / "execmgr.log").read_bytes()

    def write() -> None:
        with fifo.open("wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    result = run(["parse", "-f", "jsonl", str(fifo)], env={"SMSLOGDOC_FIFO_WAIT": "5"})
    writer.join()
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 78  # every record, as from the file


@needs_fifo
def test_a_fifo_nobody_writes_to_is_not_waited_on_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "silent.log"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = run(["diagnose", str(fifo), str(HEALTHY)], env={"SMSLOGDOC_FIFO_WAIT": "0.3", "NO_COLOR": "1"})
    assert time.monotonic() - started < 5
    assert result.exit_code == 2  # a named path that could not be read
    assert f"{fifo}: cannot open: nothing was written to this FIFO within 0.3 s" in result.stderr


def test_a_bom_inside_a_piped_stream_is_a_part_boundary() -> None:
    folder = SAMPLES / "ccmsetup-service-cannot-access-source-rotated"
    older, current = (folder / "ccmsetup.lo_").read_bytes(), (folder / "ccmsetup.log").read_bytes()
    assert current.startswith(codecs.BOM_UTF8)
    result = run(["diagnose", "-f", "json"], input=(older + current).decode("utf-8"), env={"NO_COLOR": "1"})
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"]] == ["ccmsetup-service-cannot-access-source"]
    (problem,) = document["files"][0]["problems"]
    assert "byte-order mark: another file starts here" in problem["message"]
    assert problem["line"] == older.count(b"\n") + 1
    assert not any("not a record" in p["message"] for p in document["files"][0]["problems"])
