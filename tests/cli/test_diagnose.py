"""`smslogdoc diagnose`, `rules` and `explain` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Result
from tests.conftest import invoke as run

S01 = SAMPLES / "ccmsetup-service-cannot-access-source"

USER_RULE = """\
id: my-disk-full
title: The disk is full
severity: warning
applies_to: ["*.log"]
events:
  full: {message: 'There is not enough space on the disk on (?P<drive>[A-Z]:)'}
condition: full
diagnosis: Drive {drive} is full.
fix: ["Free space on {drive}."]
"""


def invoke(*args: str, stdin: str | None = None) -> Result:
    return run(list(args), input=stdin, env={"NO_COLOR": "1", "COLUMNS": "120"})


def test_text_report_names_cause_evidence_and_fix() -> None:
    result = invoke("diagnose", str(S01))
    assert result.exit_code == 1
    out = result.stdout
    assert "ccmsetup, relaunched as a service under LocalSystem, cannot read its source share" in out
    assert 'line 76 · 2022-05-17 14:02:12.614 -04:00\n      Running as user "SYSTEM"' in out
    assert "Failed to access source file (\\\\fs01\\ClientSource$\\ccmsetup.cab)" in out
    assert "1. Run ccmsetup.exe with /noservice" in out
    assert out.rstrip().endswith("1 finding (1 error) · 1 file read · " + out.rstrip().rsplit("· ", 1)[1])
    assert "\x1b[" not in out  # no colour when not a terminal


def test_json_contract() -> None:
    result = invoke("diagnose", str(S01), "--format", "json")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert list(document) == ["version", "findings", "files", "problems", "hidden", "stories"]
    assert document["hidden"] == 0
    (finding,) = document["findings"]
    assert list(finding) == [  # docs/json.md, in its order
        "rule",
        "title",
        "severity",
        "confidence",
        "status",
        "diagnosis",
        "cause",
        "fix",
        "references",
        "next_logs",
        "captures",
        "log",
        "group",
        "occurrences",
        "also",
        "note",
        "evidence",
        "bundled",
        "stories",  # the client installation's story whose phase it explains
    ]
    assert finding["rule"] == "ccmsetup-service-cannot-access-source"
    assert finding["captures"] == {"source": "\\\\fs01\\ClientSource$\\ccmsetup.cab"}
    assert [(e["line"], e["time"]) for e in finding["evidence"]] == [
        (76, "2022-05-17T14:02:12.614-04:00"),
        (80, "2022-05-17T14:02:12.692-04:00"),
    ]
    assert list(finding["evidence"][0]) == [
        "path",
        "line",
        "end_line",
        "time",
        "text",
        "event",
        "codes",
        "supporting",
    ]
    (file,) = document["files"]
    assert file == {
        "path": str(S01 / "ccmsetup.log"),
        "format": "cmtrace",
        "encoding": "utf-8-bom",
        "events": 87,
        "skipped": False,
        "problems": [],
        "covered": True,
        "error_records": 5,
        "in_window": None,
    }
    assert document["problems"] == []


def test_jsonl_and_markdown() -> None:
    jsonl = invoke("diagnose", str(SAMPLES), "--format", "jsonl")
    findings = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [f["rule"] for f in findings if f["rule"] != "unexplained-errors"] == [
        "ccmsetup-service-cannot-access-source",
        "ccmsetup-service-cannot-access-source",
        "execmgr-program-failed",
        "execmgr-network-access-denied",
        "ccmsetup-service-cannot-access-source",
        "ccmsetup-service-cannot-access-source",
        "ccmsetup-client-msi-task-scheduler",
        "push-no-management-point",
        "apm-error-1317-token-account-lockout",
        "apm-win9x-install-account-1317",
        "execmgr-success-reboot-required",
    ]
    assert [f["severity"] for f in findings if f["rule"] == "unexplained-errors"] == [
        "info"
    ]  # the rest are covered by findings
    markdown = invoke("diagnose", str(S01), "--format", "markdown")
    assert markdown.stdout.startswith("# smslogdoc findings\n")
    assert (
        "## ERROR: ccmsetup, relaunched as a service under LocalSystem, cannot read its source share"
        in markdown.stdout
    )
    assert "```text\n" in markdown.stdout


def test_exit_codes_follow_fail_on() -> None:
    assert invoke("diagnose", str(S01)).exit_code == 1
    assert invoke("diagnose", str(S01), "--fail-on", "none").exit_code == 0
    assert invoke("diagnose", str(SAMPLES / "ccmsetup-healthy")).exit_code == 0
    warning_only = invoke("diagnose", str(S01), "--min-severity", "error", "--fail-on", "error")
    assert warning_only.exit_code == 1
    assert invoke("diagnose", str(S01), "--fail-on", "bogus").exit_code == 2


def test_jobs_option(monkeypatch: pytest.MonkeyPatch) -> None:
    from smslogdoc import pipeline as workers

    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    one = invoke("diagnose", str(SAMPLES), "--format", "json", "--jobs", "1")
    two = invoke("diagnose", str(SAMPLES), "--format", "json", "-j", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert invoke("diagnose", str(SAMPLES), "--jobs", "-1").exit_code == 2


def test_healthy_samples_have_no_finding() -> None:
    for name in (
        "ccmsetup-healthy",
        "ccmsetup-noservice-healthy",
        "execmgr-healthy",
        "smsapm32-healthy",
        "push-healthy",
    ):
        result = invoke("diagnose", str(SAMPLES / name), "--format", "json", "--min-severity", "warning")
        assert json.loads(result.stdout)["findings"] == [], name


def test_logs_piped_on_standard_input() -> None:
    text = (S01 / "ccmsetup.log").read_text(encoding="utf-8-sig")
    result = invoke("diagnose", "-", "--format", "json", stdin=text)
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "ccmsetup-service-cannot-access-source"
    assert {e["path"] for e in finding["evidence"]} == {"<stdin>"}


def test_a_users_rule_fires_without_touching_python(tmp_path: Path) -> None:
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "my-disk-full.yaml").write_text(USER_RULE)
    log = tmp_path / "setup.log"
    log.write_text(
        "2024-01-02 10:00:00 copying files\n2024-01-02 10:00:05 ERROR: There is not enough space on the disk on D:\n"
    )
    result = invoke("diagnose", str(log), "--rules", str(rules), "--format", "json")
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["diagnosis"], finding["fix"]) == (
        "my-disk-full",
        "Drive D: is full.",
        ["Free space on D:."],
    )
    assert result.exit_code == 1


def test_a_broken_rule_stops_diagnose_with_exit_3_and_every_error(tmp_path: Path) -> None:
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "my-disk-full.yaml").write_text(
        USER_RULE.replace("full: {message", "full: {mesage").replace("condition: full", "condition: fulll")
    )
    result = invoke("diagnose", str(S01), "--rules", str(rules))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"smslogdoc: {rules / 'my-disk-full.yaml'}:6: rule my-disk-full: events.full.mesage: unknown key; expected one of message, not_message, component, severity, thread, log, section, key, value, code, case_sensitive; did you mean 'message'?",
        f"smslogdoc: {rules / 'my-disk-full.yaml'}:7: rule my-disk-full: condition: undefined event 'fulll'; events defined: full; did you mean 'full'?",
        "smslogdoc: 2 rule error(s); nothing was diagnosed",
    ]


def test_nothing_readable_is_exit_2(tmp_path: Path) -> None:
    result = invoke("diagnose", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"smslogdoc: {tmp_path / 'missing'}: no such file or directory"


def test_one_unreadable_file_is_listed_and_the_rest_diagnosed(tmp_path: Path) -> None:
    (tmp_path / "broken.log").write_bytes(b"\x00\x01\x02MZ" * 200)
    (tmp_path / "ccmsetup.log").write_bytes((S01 / "ccmsetup.log").read_bytes())
    result = invoke("diagnose", str(tmp_path), "--format", "json")
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"]] == ["ccmsetup-service-cannot-access-source"]
    assert [(f["path"], f["skipped"], f["problems"]) for f in document["files"] if f["skipped"]] == [
        (
            str(tmp_path / "broken.log"),
            True,
            [{"path": str(tmp_path / "broken.log"), "line": None, "message": "binary file, not a log"}],
        )
    ]
    assert result.exit_code == 1


def test_explain_says_why_no_finding() -> None:
    result = invoke(
        "diagnose",
        str(SAMPLES / "ccmsetup-noservice-healthy"),
        "--explain",
        "ccmsetup-service-cannot-access-source",
    )
    out = result.stdout
    assert "Explaining rule ccmsetup-service-cannot-access-source" in out
    assert "event as_system: no match" in out
    assert "-> no finding in this log" in out
    missed = invoke(
        "diagnose", str(SAMPLES / "execmgr-healthy"), "--explain", "ccmsetup-service-cannot-access-source"
    )
    assert "the rule does not apply to this log (it applies to ccmsetup)" in missed.stdout
    unknown = invoke("diagnose", str(S01), "--explain", "no-such-rule")
    assert unknown.exit_code == 2


def test_explain_shows_a_veto(tmp_path: Path) -> None:
    log = tmp_path / "ccmsetup.log"
    log.write_text(
        '<![LOG[Ccmsetup command line: ccmsetup.exe /noservice /source:\\\\fs01\\x$]LOG]!><time="09:03:51.260+240" date="08-22-2023" component="ccmsetup" context="" type="1" thread="884" file="c.cpp:1">\n'
        '<![LOG[Running as user "SYSTEM"]LOG]!><time="09:03:51.802+240" date="08-22-2023" component="ccmsetup" context="" type="1" thread="884" file="c.cpp:2">\n'
        '<![LOG[Failed to access source file (\\\\fs01\\x$\\ccmsetup.cab). Waiting for retry...]LOG]!><time="09:03:52.240+240" date="08-22-2023" component="ccmsetup" context="" type="3" thread="884" file="c.cpp:3">\n'
    )
    result = invoke("diagnose", str(log), "--explain", "ccmsetup-service-cannot-access-source")
    assert "matched (lines 2 and 3) but did not count: noservice came first (line 1)" in result.stdout


def test_rules_list_validate_test_and_kinds() -> None:
    listed = json.loads(invoke("rules", "list", "--format", "json").stdout)
    ids = [rule["id"] for rule in listed]
    assert {
        "ccmsetup-service-cannot-access-source",
        "execmgr-network-access-denied",
        "apm-error-1317-token-account-lockout",
        "push-no-management-point",
    } <= set(ids)
    assert set(listed[0]) == {
        "id",
        "title",
        "severity",
        "confidence",
        "applies_to",
        "products",
        "fallback",
        "family",
        "source",
    }
    assert invoke("rules", "validate").stdout.strip() == f"{len(ids)} rule(s) and 5 workflow(s) valid"
    tested = invoke("rules", "test", "push-no-management-point")
    from smslogdoc.authoring.examples import check_examples
    from smslogdoc.rules.load import load_rules

    (rule,) = [r for r in load_rules([])[0] if r.id == "push-no-management-point"]
    assert tested.exit_code == 0 and tested.stdout.strip().endswith(
        f"{len(check_examples(rule))} passed, 0 failed"
    )
    assert "ccmsetup.log" in invoke("rules", "kinds").stdout
    shown = invoke("rules", "show", "push-no-management-point")
    assert shown.stdout.startswith("id: push-no-management-point")


def test_rules_validate_on_a_folder_reports_errors_with_exit_3(tmp_path: Path) -> None:
    (tmp_path / "my-disk-full.yaml").write_text(
        USER_RULE.replace("within", "x").replace("severity: warning", "severity: loud")
    )
    result = invoke("rules", "validate", str(tmp_path))
    assert result.exit_code == 3
    assert "severity: expected one of info, warning, error, got 'loud'" in result.stderr


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("0x80070005", ["0x80070005 (-2147024891; Win32 5, ERROR_ACCESS_DENIED): Access is denied."]),
        (
            "1317",  # a bare number: the Win32 error, and the Windows Installer message of that number
            [
                "1317 (0x525, 0x80070525; ERROR_NO_SUCH_USER): The specified account does not exist.",
                "1317 (Windows Installer error message): An error occurred while attempting to create the"
                " directory: \u2026",
            ],
        ),
        (
            "0x87D00324",
            [
                "0x87D00324 (-2016410844; ConfigMgr): The application was not detected after installation"
                " completed."
            ],
        ),
    ],
)
def test_explain_a_code_in_one_line(code: str, answer: list[str]) -> None:
    result = run(["explain", code], env={"NO_COLOR": "1", "COLUMNS": "40"})  # a narrow terminal, or a pipe
    assert result.exit_code == 0
    assert result.stdout.splitlines() == answer


def test_rules_show_prints_the_file_as_written() -> None:
    from tests.conftest import REPO

    result = run(["rules", "show", "ccmsetup-run-failed"], env={"NO_COLOR": "1", "COLUMNS": "40"})
    assert result.stdout.rstrip("\n") == (REPO / "rules" / "ccmsetup-run-failed.yaml").read_text(
        encoding="utf-8"
    ).rstrip("\n")


def test_explain_rejects_what_is_not_a_code() -> None:
    result = invoke("explain", "banana")
    assert result.exit_code == 2
    assert result.stderr.startswith("smslogdoc: banana: ")
