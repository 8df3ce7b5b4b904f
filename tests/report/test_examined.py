"""What the output says was and was not examined (report/examined.py): the
headline when the time window held no record, when nothing was read, and when
--min-severity hid findings. Never a silent all-clear."""

from __future__ import annotations

import json
from pathlib import Path

from smslogdoc.report.examined import ALL_CLEAR
from tests.engine.test_unexplained import ENVIRONMENT, invoke, record, smsts, write


def test_the_headline_says_when_the_time_window_held_no_record(tmp_path: Path) -> None:
    path = write(tmp_path, "smsts.log", smsts([ENVIRONMENT], healthy=3))
    result = invoke("diagnose", str(path), "--since", "2030-01-01")
    assert ALL_CLEAR not in result.stdout
    assert "Nothing was examined in the time window: 0 of 6 records in the window." in result.stdout
    document = json.loads(invoke("diagnose", str(path), "--since", "2030-01-01", "--format", "json").stdout)
    assert document["files"][0]["in_window"] == 0 and document["files"][0]["events"] == 6
    inside = json.loads(
        invoke("diagnose", str(path), "--since", "2024-02-07 16:53:00", "--format", "json").stdout
    )
    assert inside["files"][0]["in_window"] == 6


def test_the_headline_says_when_nothing_was_read(tmp_path: Path) -> None:
    result = invoke("diagnose", str(tmp_path / "missing.log"))
    assert result.exit_code == 2 and ALL_CLEAR not in result.stdout
    # the reason alone, one line
    assert result.stderr == f"smslogdoc: {tmp_path / 'missing.log'}: no such file or directory\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("diagnose", str(empty))
    assert "Nothing was examined: no log was found under the paths given" in result.stdout
    markdown = invoke("diagnose", str(tmp_path / "missing.log"), "--format", "markdown").stdout
    assert ALL_CLEAR not in markdown and "Nothing was examined" in markdown


def test_the_headline_counts_findings_hidden_by_min_severity(tmp_path: Path) -> None:
    # an error record whose words name no failure: only the info summary speaks of it
    path = write(tmp_path, "TSAgent.log", smsts(["The quux widget reported state 42"]))
    result = invoke("diagnose", str(path), "--min-severity", "error")
    assert ALL_CLEAR not in result.stdout
    assert "No finding at or above error: 1 info finding hidden by --min-severity error." in result.stdout
    document = json.loads(invoke("diagnose", str(path), "--min-severity", "error", "--format", "json").stdout)
    assert document["findings"] == [] and document["hidden"] == 1
    markdown = invoke("diagnose", str(path), "--min-severity", "warning", "--format", "markdown").stdout
    assert "1 info finding hidden by --min-severity warning" in markdown
    assert "no rule reads this kind of log" in markdown


def test_the_headline_of_plain_text_says_it_has_no_severity(tmp_path: Path) -> None:
    # message-only lines (a paste into a ticket) of a log rules read, none of which says in
    # words that something failed: not the all-clear a CMTrace log with no error would get
    line = "Used 0 out of 3 allowed processing threads."
    pasted = tmp_path / "pasted" / "distmgr.log"
    pasted.parent.mkdir()
    pasted.write_text(f"{line}\n{line}\n", encoding="utf-8")
    for form in ("text", "short", "markdown"):
        result = invoke("diagnose", str(pasted), "--format", form)
        assert ALL_CLEAR not in result.stdout, form
        assert "carry no severity of their own" in " ".join(result.stdout.split())
    logged = write(tmp_path, "distmgr.log", record(line, component="SMS_DISTRIBUTION_MANAGER"))
    assert ALL_CLEAR in invoke("diagnose", str(logged)).stdout
