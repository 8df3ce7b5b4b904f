"""The command-line contract scripts rely on (issue 14): exit codes, inputs
that are missing, empty or not seekable, and `explain` of unknown codes."""

from __future__ import annotations

import codecs
import json
import os
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from smslogdoc.cli.usertime import parse_user_time
from tests.conftest import SAMPLES, Result
from tests.conftest import invoke as run
from tests.engine.test_engine import BASE, cm
from tests.goldens import normalise

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
    assert (
        "exit 1: 1 info finding at or above --fail-on info, not shown (--min-severity error)" in result.stdout
    )
    quiet = invoke(
        "diagnose", "-q", "-f", "json", str(HEALTHY), "--min-severity", "error", "--fail-on", "info"
    )
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

needs_fifo = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not Path("/dev/fd").is_dir(), reason="needs FIFOs and /dev/fd"
)


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


# --------------------------------------------------------------------------- time windows

NOW = datetime(2024, 3, 5, 12, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("-2h", timedelta(hours=2)),
        ("2 hours ago", timedelta(hours=2)),
        ("90 minutes", timedelta(minutes=90)),
        ("1w", timedelta(weeks=1)),
    ],
)
def test_relative_times_count_back_from_now(text: str, ago: timedelta) -> None:
    assert parse_user_time(text, now=NOW) == NOW - ago


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2021-07-14", datetime(2021, 7, 14)),
        ("2021-07-14 08:00", datetime(2021, 7, 14, 8)),
        ("2021-07-14T12:00Z", datetime(2021, 7, 14, 12, tzinfo=UTC)),
        ("14 Jul 2021 8am", datetime(2021, 7, 14, 8)),
        ("07/14/2021 08:00", datetime(2021, 7, 14, 8)),
        ("14.07.2021 08:00", datetime(2021, 7, 14, 8)),
    ],
)
def test_iso_and_admins_local_forms(text: str, when: datetime) -> None:
    assert parse_user_time(text) == when


@pytest.mark.parametrize("text", ["banana", "3x", "2021", "1 month"])
def test_anything_else_is_refused_with_exit_2_naming_the_option_and_an_example(text: str) -> None:
    result = invoke("diagnose", str(HEALTHY), f"--since={text}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"smslogdoc: --since: cannot read the time {text!r}")
    assert "2h" in result.stderr and "2021-07-14" in result.stderr


def test_since_1h_is_an_hour_ago_not_one_in_the_morning(tmp_path: Path) -> None:
    recent = datetime.now() - timedelta(minutes=10)
    line = f'<![LOG[recent]LOG]!><time="{recent:%H:%M:%S}.000+000" date="{recent:%m-%d-%Y}" component="c" context="" type="1" thread="1" file="">\n'
    (tmp_path / "c.log").write_text(line, encoding="utf-8")
    for option in ("--since=1h", "--since=-1h"):
        result = invoke("parse", "-f", "jsonl", str(tmp_path / "c.log"), option)
        assert [json.loads(row)["message"] for row in result.stdout.splitlines()] == ["recent"], option


def test_since_after_until_is_refused() -> None:
    result = invoke("diagnose", str(HEALTHY), "--since", "2021-07-15", "--until", "2021-07-14")
    assert result.exit_code == 2
    assert "--since 2021-07-15 is after --until 2021-07-14" in result.stderr


def test_an_offset_out_of_range_gets_a_clear_message() -> None:
    result = invoke("diagnose", str(HEALTHY), "--tz", "+25:00")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "smslogdoc: --tz: offset '+25:00' is out of range: UTC offsets run from -23:59 to +23:59 (e.g. +01:00, -05:00)"
    )


def test_inconclusive_findings_do_not_fail_the_run(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "t.yaml").write_text(BASE + "condition: {any: [b], absent: [c], within: 10m}\n")
    (tmp_path / "x.log").write_text(cm("beta 1", "10:00:00"), newline="")
    result = run(
        ["diagnose", str(tmp_path / "x.log"), "--rules", str(rules_dir), "--no-builtin", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"status": "inconclusive"' in result.stdout


# --- the report document and -o FILE ---------------------------------------------------


def _key_orders(value: object, declared: type) -> list[tuple[str, list[str], list[str]]]:
    """Every piece of `value` whose keys are not in the order its TypedDict declares."""
    from typing import get_args, get_origin, get_type_hints, is_typeddict

    wrong = []
    if is_typeddict(declared) and isinstance(value, dict):
        hints = get_type_hints(declared)
        order = [key for key in declared.__annotations__ if key in value]
        if list(value) != order:
            wrong.append((declared.__name__, list(value), order))
        for key, item in value.items():
            wrong += _key_orders(item, hints[key])
    elif get_origin(declared) is list and isinstance(value, list):
        (inner,) = get_args(declared)
        for item in value:
            wrong += _key_orders(item, inner)
    else:
        for option in get_args(declared):  # X | None, NotRequired[X]
            wrong += _key_orders(value, option)
    return wrong


def test_the_json_document_has_the_keys_its_typed_document_declares_in_that_order(tmp_path: Path) -> None:
    """docs/json.md's keys and their order are stated once (`report.document`)."""
    from smslogdoc.report.document import DiagnoseDoc

    text = (SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log").read_text(
        encoding="utf-8-sig"
    )
    (tmp_path / "ccmsetup.log").write_text(text + text, encoding="utf-8")  # a spread over two runs
    for path in (SAMPLES, tmp_path):
        document = json.loads(invoke("diagnose", str(path), "-f", "json", "--redact").stdout)
        assert set(document) == set(DiagnoseDoc.__annotations__)
        assert document["findings"] and _key_orders(document, DiagnoseDoc) == []
    assert "spread" in document["findings"][0]


@pytest.mark.parametrize("fmt", ["text", "short", "markdown", "json", "jsonl", "html"])
def test_output_file_gets_the_bytes_standard_output_would(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    to_stdout = invoke("diagnose", str(SAMPLES), "-f", fmt, "--explain", "push-no-management-point")
    to_file = invoke(
        "diagnose", str(SAMPLES), "-f", fmt, "--explain", "push-no-management-point", "-o", str(out)
    )
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert to_file.stdout == ""
    # the same bytes, but for the minute the HTML report says it was generated (the two runs
    # may fall either side of a minute's turn)
    assert to_stdout.stdout and normalise(out.read_bytes().decode("utf-8")) == normalise(to_stdout.stdout)
    assert to_file.stderr == to_stdout.stderr


def test_an_output_file_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.json"
    result = invoke("diagnose", str(HEALTHY), "-f", "json", "-o", str(target))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"smslogdoc: -o: cannot write {target}: No such file or directory\n"
    if Path("/dev/full").exists():  # a write that fails (a full disk), after the file opened
        full = invoke("diagnose", str(HEALTHY), "-o", "/dev/full")
        assert full.exit_code == 2
        assert full.stderr.endswith("smslogdoc: -o: cannot write /dev/full: No space left on device\n")


def test_format_choices_and_their_help_come_from_the_writer_registry() -> None:
    from smslogdoc.report.writers import DIAGNOSE, choices_help

    assert " ".join(choices_help(DIAGNOSE).split()) in " ".join(invoke("diagnose", "--help").stdout.split())
    bad = invoke("diagnose", str(HEALTHY), "-f", "yaml")
    assert bad.exit_code == 2 and "invalid choice: 'yaml'" in bad.stderr and bad.stdout == ""
