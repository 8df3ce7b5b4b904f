"""Issue 21, items 1, 2 and 4: every format says what was not examined (an
empty time window, a log no rule reads, an empty folder, a binary file,
findings hidden by --min-severity), HTML never claims an all-clear it cannot
know; `--explain` with a document format leaves stdout to the document;
`-f short` names the --min-severity given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smslogdoc.report.examined import ALL_CLEAR
from tests.conftest import SAMPLES, invoke
from tests.report.test_html import Dom, assert_inert, load

FAILING = SAMPLES / "execmgr-local-program-fails"
HEALTHY = SAMPLES / "execmgr-healthy"
FORMATS = ("text", "short", "markdown", "html")


def _cases(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Each case: its arguments, and words every reader's format must hold."""
    (tmp / "empty").mkdir()
    vendor = tmp / "VendorAgent.log"
    vendor.write_text("Agent started\nAgent stopped\n", encoding="utf-8")
    blob = tmp / "blob.log"
    blob.write_bytes(bytes(range(256)) * 20)
    return {
        "window": (["--since", "2099-01-01", str(FAILING)], "0 of 23 records in the window"),
        "uncovered": ([str(vendor)], "no rule reads"),
        "empty": ([str(tmp / "empty")], "Nothing was examined"),
        "binary": ([str(blob)], "Nothing was examined"),
        "hidden": (["--min-severity", "error", str(HEALTHY)], "hidden by --min-severity error"),
    }


@pytest.mark.parametrize("case", ["window", "uncovered", "empty", "binary", "hidden"])
@pytest.mark.parametrize("output", FORMATS)
def test_each_reader_format_says_what_was_not_examined(tmp_path: Path, case: str, output: str) -> None:
    args, words = _cases(tmp_path)[case]
    result = invoke(["diagnose", "-f", output, "--color", "never", *args])
    said = Dom(result.stdout).text if output == "html" else result.stdout
    assert words in " ".join(said.replace("\\", "").split()), said
    assert ALL_CLEAR not in said


@pytest.mark.parametrize("case", ["window", "uncovered", "empty", "binary", "hidden"])
def test_json_and_jsonl_say_it_too(tmp_path: Path, case: str) -> None:
    args, words = _cases(tmp_path)[case]
    document = json.loads(invoke(["diagnose", "-f", "json", *args]).stdout)
    files = document["files"]
    said = {
        "window": any(item["in_window"] == 0 for item in files),
        "uncovered": any(item["covered"] is False for item in files),
        "empty": not files and bool(document["problems"]),
        "binary": all(item["skipped"] for item in files),
        "hidden": document["hidden"] == 1,
    }
    assert said[case], document
    lines = invoke(["diagnose", "-f", "jsonl", *args])
    assert words in " ".join(lines.stderr.split()), (
        lines.stderr
    )  # findings only on stdout: the rest on stderr
    for line in lines.stdout.splitlines():
        json.loads(line)


def test_html_shows_hidden_findings_and_the_logs_no_rule_reads(tmp_path: Path) -> None:
    vendor = tmp_path / "VendorAgent.log"
    vendor.write_text("Agent started\nAgent failed with error 5\n", encoding="utf-8")
    result = invoke(["diagnose", "-f", "html", "--min-severity", "error", str(HEALTHY), str(vendor)])
    text = " ".join(assert_inert(result.stdout).text.split())
    assert "1 info finding hidden by --min-severity error" in text  # (the failure line is named by a finding)
    assert f"{vendor}: no rule reads this kind of log" in text
    assert "Not examined by any rule" in text


def test_a_fleet_machine_with_nothing_read_is_no_all_clear_in_html(tmp_path: Path) -> None:
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "execmgr.log").write_bytes((FAILING / "execmgr.log").read_bytes())
    page = " ".join(Dom(invoke(["fleet", "-f", "html", str(tmp_path)]).stdout).text.split())
    assert "Machines with no finding" not in page or "EMPTY" not in page.split("Machines with no finding")[1]
    assert "Not examined (no file read) (1)" in page


@pytest.mark.slow
def test_the_html_headline_in_a_browser(tmp_path: Path) -> None:
    result = invoke(["diagnose", "-f", "html", "--since", "2099-01-01", str(FAILING)])
    page = tmp_path / "window.html"
    page.write_text(result.stdout, encoding="utf-8")
    dumped, _ = load(page, tmp_path / "profile", "--virtual-time-budget=1000")
    dom = Dom(dumped)
    assert "Nothing was examined in the time window" in dom.text and ALL_CLEAR not in dom.text
    assert dom.title == "smslogdoc findings" and len(dom.tags("script")) == 1


@pytest.mark.parametrize("output", ["json", "jsonl", "html"])
def test_explain_leaves_stdout_to_the_document(output: str) -> None:
    rule = "execmgr-program-failed"
    result = invoke(["diagnose", "--explain", rule, "-f", output, str(FAILING)])
    assert result.exit_code == 1
    assert f"Explaining rule {rule}" in result.stderr
    if output == "json":
        assert json.loads(result.stdout)["findings"]
    elif output == "jsonl":
        assert [json.loads(line) for line in result.stdout.splitlines()]
    else:
        assert result.stdout.startswith("<!DOCTYPE html>")


def test_explain_stays_before_a_text_report() -> None:
    result = invoke(["diagnose", "--explain", "execmgr-program-failed", str(FAILING)])
    assert result.stdout.startswith("Explaining rule execmgr-program-failed")


def test_short_names_the_min_severity_given() -> None:
    result = invoke(["diagnose", "-f", "short", "--min-severity", "error", str(HEALTHY)])
    assert "hidden by --min-severity error" in result.stdout
    assert "--min-severity info" not in result.stdout
