"""A scan places records as a full read does: in their runs (the thread notes
of skipped stretches go between spans that touch) and in the order findings
are listed (by part and line, not by how many records were read)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smslogdoc.read import scanner
from tests.read.test_scan import same_both_ways


def record(message: str, thread: int, second: int, component: str = "ccmsetup") -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:00:{second:02d}.000+000" date="01-02-2024" '
        f'component="{component}" context="" type="1" thread="{thread}" file="ccmsetup.cpp:1">\r\n'
    )


def start(process: int, thread: int, second: int) -> str:
    return record(f"==========[ ccmsetup started in process {process} ]==========", thread, second)


def test_a_thread_first_seen_before_a_needed_record_and_a_run_start_keeps_its_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thread 7 comes back in run 3 (after two starts its old run is gone), in a
    # record the scan skips; the next record is read for a rule and touches the
    # start of run 4. Its later failure belongs to run 3, as a full read says.
    text = "".join(
        [
            start(100, 1, 0),
            record("Running as user SYSTEM", 7, 1),
            start(200, 2, 2),
            start(300, 3, 3),
            record("Checking the source folder", 7, 4),
            record("CcmSetup failed with error code 0x80070005", 9, 5),
            start(400, 4, 6),
            record("CcmSetup failed with error code 0x80004005", 7, 7),
        ]
    )
    (tmp_path / "ccmsetup.log").write_text("\ufeff" + text, encoding="utf-8", newline="")
    monkeypatch.setattr(scanner, "TAIL_BYTES", 64)  # the end of the file is read in any case: keep it short
    found = json.loads(same_both_ways([str(tmp_path)], monkeypatch))
    groups = {item["group"] for item in found["findings"] if item["rule"] == "ccmsetup-run-failed"}
    assert "run 3, process 300" in groups


def test_findings_are_listed_in_the_same_order_however_the_log_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An error no rule explains early in the newer part, an info finding late
    # in it, many records the scan skips before both: listed by place, never by
    # how many records were read before them.
    filler = "".join(record(f"Healthy record {n}", 5, n % 60) for n in range(300))
    odd = record("Something odd happened", 5, 1).replace('type="1"', 'type="3"')
    done = record(
        "Execution is complete for program Install Tool. The exit code is 3010, "
        "the execution status is SuccessRebootRequired",
        5,
        9,
    )
    (tmp_path / "execmgr.lo_").write_text("\ufeff" + filler, encoding="utf-8", newline="")
    (tmp_path / "execmgr.log").write_text(
        "\ufeff" + filler + odd + filler + done + filler, encoding="utf-8", newline=""
    )
    monkeypatch.setattr(scanner, "TAIL_BYTES", 64)
    found = json.loads(same_both_ways([str(tmp_path)], monkeypatch))
    assert [item["rule"] for item in found["findings"]] == [
        "unexplained-errors",
        "execmgr-success-reboot-required",
    ]


def test_the_end_of_a_log_is_read_back_to_its_last_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last records have no readable time: the scan reads back to the last
    # one that has, as the time the log ends (open runs, windows) comes from it.
    filler = "".join(record(f"Healthy record {n}", 5, n % 60) for n in range(300))
    timeless = "".join(
        record(f"Late record {n}", 5, 0).replace('time="10:00:00.000+000"', 'time="late"') for n in range(3)
    )
    text = start(100, 1, 0) + record("CcmSetup failed with error code 0x80070005", 9, 5) + filler + timeless
    (tmp_path / "ccmsetup.log").write_text("\ufeff" + text, encoding="utf-8", newline="")
    found = json.loads(same_both_ways([str(tmp_path)], monkeypatch))
    assert found["files"][0]["events"] == 305
