"""`diagnose --follow` and `parse --follow`: a log written while it is followed,
and rotated (`.log` renamed to `.lo_`, a new `.log` started) while followed."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from smslogdoc.inputs.follow import FollowOptions, changes, with_rotated
from tests.conftest import SAMPLES
from tests.conftest import invoke as run

SOURCE = SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log"
RULE = "ccmsetup-service-cannot-access-source"


def _lines() -> list[bytes]:
    return SOURCE.read_bytes().splitlines(keepends=True)


def _later(action: object, delay: float = 0.6) -> threading.Thread:
    def go() -> None:
        time.sleep(delay)
        action()  # type: ignore[operator]

    thread = threading.Thread(target=go)
    thread.start()
    return thread


@pytest.mark.slow
def test_a_finding_written_while_following_is_printed(tmp_path: Path) -> None:
    lines = _lines()
    log = tmp_path / "ccmsetup.log"
    log.write_bytes(b"".join(lines[:70]))  # the service has started, not yet failed

    def append() -> None:
        with log.open("ab") as out:
            out.write(b"".join(lines[70:]))

    writer = _later(append)
    result = run(
        ["diagnose", "--follow", "--follow-interval", "0.1", "--follow-timeout", "3", "-f", "jsonl", str(log)]
    )
    writer.join()
    assert [json.loads(line)["rule"] for line in result.stdout.splitlines()] == [RULE]
    assert result.exit_code == 1


@pytest.mark.slow
def test_following_across_rotation(tmp_path: Path) -> None:
    lines = _lines()
    log = tmp_path / "ccmsetup.log"
    log.write_bytes(b"".join(lines[:78]))  # "Running as user SYSTEM" is in the part that rotates

    def rotate() -> None:
        log.rename(tmp_path / "ccmsetup.lo_")
        log.write_bytes(b"".join(lines[78:]))

    writer = _later(rotate)
    result = run(
        [
            "diagnose",
            "--follow",
            "--follow-interval",
            "0.1",
            "--follow-timeout",
            "3",
            "-f",
            "short",
            str(log),
        ],
        env={"NO_COLOR": "1"},
    )
    writer.join()
    assert f"ERROR   {RULE}  {log}:" in result.stdout
    assert "1 finding (1 error) · 2 files read" in result.stdout
    assert result.stdout.count(RULE) == 1


@pytest.mark.slow
def test_parse_follow_prints_new_records_once_across_rotation(tmp_path: Path) -> None:
    lines = _lines()
    log = tmp_path / "ccmsetup.log"
    log.write_bytes(b"".join(lines[:40]))

    def rotate() -> None:
        log.rename(tmp_path / "ccmsetup.lo_")
        log.write_bytes(b"".join(lines[40:]))

    writer = _later(rotate)
    result = run(
        ["parse", "--follow", "--follow-interval", "0.1", "--follow-idle", "1.5", "-f", "jsonl", str(log)]
    )
    writer.join()
    everything = run(["parse", "-f", "jsonl", str(SOURCE)])
    assert [json.loads(line)["message"] for line in result.stdout.splitlines()] == [
        json.loads(line)["message"] for line in everything.stdout.splitlines()
    ]


def test_changes_stops_on_request_and_on_timeout(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("one\n", encoding="utf-8")
    options = FollowOptions(interval=0.05, timeout=0.5)
    started = time.monotonic()
    seen = 0
    for _ in changes([str(log)], options):
        seen += 1
        if seen == 1:
            log.write_text("one\ntwo\n", encoding="utf-8")
        else:
            options.stop.set()
    assert seen == 2 and time.monotonic() - started < 0.5
    assert list(changes([str(log)], FollowOptions(interval=0.05, timeout=0.2))) == [None]


def test_a_named_log_is_followed_with_its_rotated_part(tmp_path: Path) -> None:
    (tmp_path / "execmgr.lo_").write_text("x\n", encoding="utf-8")
    assert with_rotated([str(tmp_path / "execmgr.log")]) == [
        str(tmp_path / "execmgr.lo_"),
        str(tmp_path / "execmgr.log"),
    ]


def test_follow_needs_named_paths() -> None:
    result = run(["diagnose", "--follow"], input="x\n")
    assert result.exit_code == 2 and "--follow" in result.stderr


@pytest.mark.slow
def test_parse_follow_csv_writes_one_header(tmp_path: Path) -> None:
    lines = _lines()
    log = tmp_path / "ccmsetup.log"
    log.write_bytes(b"".join(lines[:10]))

    def append() -> None:
        with log.open("ab") as out:
            out.write(b"".join(lines[10:20]))

    writer = _later(append, 0.4)
    result = run(
        ["parse", "--follow", "--follow-interval", "0.1", "--follow-idle", "1", "-f", "csv", str(log)]
    )
    writer.join()
    rows = result.stdout.splitlines()
    assert rows[0].startswith("path,line,") and sum(row.startswith("path,line,") for row in rows) == 1
    assert len(rows) == 21


@pytest.mark.slow
def test_a_finding_is_printed_as_soon_as_it_is_confirmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    from smslogdoc.cli import main

    lines = _lines()
    log = tmp_path / "ccmsetup.log"
    log.write_bytes(b"".join(lines[:70]))
    written: list[tuple[float, str]] = []

    class Timed(io.StringIO):
        def write(self, text: str) -> int:
            written.append((time.monotonic(), text))
            return len(text)

    def append() -> None:
        with log.open("ab") as out:
            out.write(b"".join(lines[70:]))

    monkeypatch.setattr(sys, "stdout", Timed())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    started = time.monotonic()
    writer = _later(append, 0.3)
    code = main(
        ["diagnose", "--follow", "--follow-interval", "0.1", "--follow-timeout", "4", "-f", "jsonl", str(log)]
    )
    writer.join()
    assert code == 1
    (when,) = [when for when, text in written if RULE in text]
    assert when - started < 2.5  # long before following ends, at 4 s
