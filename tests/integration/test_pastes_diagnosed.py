"""Pastes as they arrive in tickets, diagnosed end to end: a bundled rule fires
on a curly-quoted CMTrace paste (read in full, never scanned) and on copied rows
whose tabs became spaces, with their times marked ambiguous in every format.
The damaged texts are made by the helpers of tests/formats/test_pastes.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smslogdoc.inputs.paths import InputFile
from smslogdoc.model import FileReport
from smslogdoc.read import plan, scan
from smslogdoc.read.full import ReadOptions
from tests.conftest import invoke
from tests.formats.test_pastes import _CCMSETUP, _SOURCE, _paste, _spaced, curly
from tests.read.test_scan import same_both_ways


def _diagnosed(tmp_path: Path, name: str, text: str) -> dict:  # type: ignore[type-arg]
    folder = tmp_path / "ticket"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    result = invoke(["diagnose", str(folder), "--format", "json"])
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_bundled_rule_fires_on_a_curly_quoted_paste(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _diagnosed(tmp_path, "ccmsetup.log", _paste(curly))
    (finding,) = [f for f in document["findings"] if f["rule"] == "ccmsetup-service-cannot-access-source"]
    assert finding["captures"]["source"] == _SOURCE
    assert [(e["line"], e["time"]) for e in finding["evidence"]] == [
        (2, "2022-05-17T14:02:12.614-04:00"),
        (3, "2022-05-17T14:02:12.692-04:00"),
    ]
    assert not any("time_ambiguous" in e for e in finding["evidence"])
    # a damaged file is irregular: even above the scan threshold it is read in full, to the same diagnosis
    same_both_ways([str(tmp_path / "ticket")], monkeypatch)
    path = tmp_path / "ticket" / "ccmsetup.log"
    looking_for = plan.Plan((b"failed to access source file",), ())
    assert (
        scan._scanned(
            InputFile(path, "ccmsetup.log"),
            1 << 30,
            FileReport("ccmsetup.log"),
            looking_for,
            ReadOptions(),
            helper=False,
        )
        is None
    )


def test_a_bundled_rule_fires_on_spaced_rows_and_marks_their_times_ambiguous(tmp_path: Path) -> None:
    rows = "".join(
        _spaced(message, f"03/05/2022 {time[:8]}", thread=f"{thread} (0x{int(thread):04X})")
        for message, time, _, thread, _ in _CCMSETUP
    )
    document = _diagnosed(tmp_path, "ccmsetup.log", rows)
    (finding,) = [f for f in document["findings"] if f["rule"] == "ccmsetup-service-cannot-access-source"]
    evidence = finding["evidence"]
    assert [(e["line"], e["time"], e["time_ambiguous"]) for e in evidence] == [
        (2, "2022-05-03T14:02:12.000", True),
        (3, "2022-05-03T14:02:12.000", True),
    ]
    (file,) = document["files"]
    assert file["format"] == "copied"
    assert [p["line"] for p in file["problems"] if "ambiguous" in p["message"]] == [1]
    for form in ("text", "markdown"):
        shown = invoke(["diagnose", str(tmp_path / "ticket"), "--format", form]).output
        assert shown.count("day/month order ambiguous") == 2, form
