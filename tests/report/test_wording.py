"""Wording (issue 14): a diagnosis starts with a capital, counts and line
lists read as English."""

from __future__ import annotations

import json

import pytest

from smslogdoc.report.texts import sentence_start
from smslogdoc.report.wording import lines_phrase, severity_count
from tests.conftest import SAMPLES
from tests.conftest import invoke as run


@pytest.mark.parametrize(
    ("text", "started"),
    [
        ("the program failed.", "The program failed."),
        ("program Install (PS100023) ended", "Program Install (PS100023) ended"),
        ("ccmsetup ran as a service", "ccmsetup ran as a service"),
        ("client.msi failed", "client.msi failed"),
        ("execmgr.log: a download failed", "execmgr.log: a download failed"),
        ("Already a capital.", "Already a capital."),
        ("\\\\fs01\\share is gone", "\\\\fs01\\share is gone"),
    ],
)
def test_a_diagnosis_starts_with_a_capital_unless_it_starts_with_a_program_name(
    text: str, started: str
) -> None:
    assert sentence_start(text) == started


def test_rendered_diagnoses_start_with_a_capital(tmp_path: object) -> None:
    rule = """id: lower-case
title: A lower-case diagnosis
severity: warning
applies_to: ["*.log"]
events:
  full: {message: 'not enough space on (?P<drive>[A-Z]:)'}
condition: full
diagnosis: "the disk {drive} is full."
fix: ["Free space."]
"""
    folder = tmp_path / "rules"  # type: ignore[operator]
    folder.mkdir()
    (folder / "lower-case.yaml").write_text(rule, encoding="utf-8")
    (tmp_path / "setup.log").write_text("There is not enough space on C:\n", encoding="utf-8")  # type: ignore[operator]
    result = run(
        ["diagnose", "-f", "json", "--no-builtin", "--rules", str(folder), str(tmp_path / "setup.log")]
    )  # type: ignore[operator]
    assert json.loads(result.stdout)["findings"][0]["diagnosis"] == "The disk C: is full."


def test_counts_read_as_english() -> None:
    assert severity_count(20, "info") == "20 info findings"
    assert severity_count(1, "info") == "1 info finding"
    assert severity_count(2, "warning") == "2 warnings"
    assert lines_phrase([32, 34, 52, 53]) == "lines 32, 34, 52 and 53"
    assert lines_phrase([7]) == "line 7"
    assert lines_phrase([1, 2, 3, 4, 5, 6, 7], 5) == "lines 1, 2, 3, 4, 5 and 2 more"


def test_the_summary_says_info_findings_not_infos() -> None:
    result = run(["diagnose", str(SAMPLES / "execmgr-healthy")], env={"NO_COLOR": "1"})
    assert "1 finding (1 info finding)" in result.stdout
    assert "infos" not in run(["diagnose", str(SAMPLES)], env={"NO_COLOR": "1"}).stdout


def test_explain_lists_matches_in_english() -> None:
    result = run(
        ["diagnose", str(SAMPLES / "execmgr-healthy"), "--explain", "execmgr-success-reboot-required"],
        env={"NO_COLOR": "1"},
    )
    assert "  event reboot_required: 1 match (line 169)" in result.stdout.splitlines()
    assert "  event prelim_success: 1 match (line 168)" in result.stdout.splitlines()
    assert "(line 1, " not in result.stdout
