"""`--redact` judged on every byte the command writes (issue 21, item 11): a
corpus of names in every shape the redactor knows (`tests.report.test_redact`:
hosts, users, domains, addresses, e-mail addresses, SIDs, LDAP names, //server
paths, connection strings, URLs with credentials, IPv4-mapped IPv6, names in
other scripts, bracketed and quoted names, MAC addresses, serial numbers),
written as a machine's logs under a user's profile, then every output channel
checked for each original name: standard output in every format of
`diagnose` and `fleet`, standard error (problem lines, `-v`, notes), `-o`
files, `--explain`'s trace and `--follow`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, invoke
from tests.report.test_redact import LINES, survivors

RECORD = (
    '<![LOG[{}]LOG]!><time="14:39:50.000+240" date="10-14-2014" component="execmgr" '
    'context="" type="3" thread="3292" file="x.cpp:1">\n'
)


def _machine(root: Path) -> Path:
    folder = root / "WKS0042"
    folder.mkdir(parents=True)
    sample = (SAMPLES / "execmgr-network-access-denied" / "execmgr.log").read_text(encoding="utf-8-sig")
    text = "".join(RECORD.format(line) for line in LINES) + sample
    (folder / "execmgr.log").write_text(text, encoding="utf-8")
    (folder / "WKS0042_inventory.log").write_bytes(b"\x00\x01\x02binary\x00" * 64)  # a binary file
    vendor = "Agent started on WKS0042\nERROR: agent could not reach cm01.contoso.com as CONTOSO\\jdoe\n"
    (folder / "VendorAgent.log").write_text(vendor, encoding="utf-8")  # a log no rule reads
    return folder


@pytest.fixture(scope="module")
def fleet_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("redact") / "Users" / "jdoe" / "fleet"
    _machine(root)
    return root


def _check(args: list[str], output: Path | None = None) -> str:
    result = invoke(args)
    assert result.exit_code in (0, 1), result.output
    written = output.read_text(encoding="utf-8") if output is not None else ""
    everything = result.stdout + result.stderr + written
    assert survivors(everything) == [], (args, survivors(everything))
    return everything


def test_the_corpus_holds_the_names(fleet_root: Path) -> None:
    plain = invoke(["diagnose", str(fleet_root / "WKS0042"), "-f", "json", "-v"]).output
    assert {"WKS0042", "jdoe", "fs01", "10.20.30.40"} <= set(survivors(plain))


@pytest.mark.parametrize("output", ["text", "short", "markdown", "json", "jsonl", "html"])
def test_diagnose_writes_no_name_in_any_format_or_on_stderr(fleet_root: Path, output: str) -> None:
    machine = fleet_root / "WKS0042"
    everything = _check(["diagnose", str(machine), "-f", output, "--redact", "-v"])
    assert "HOST-" in everything
    if output in ("text", "markdown"):  # the footer names the log and gives the true reason
        assert "VendorAgent.log: no rule reads this kind of log" in everything.replace("\\", "")
        assert "named by the findings above" in everything  # its error record: a rule family reads its words
    _check(
        ["diagnose", str(machine / "execmgr.log"), str(machine / "VendorAgent.log"), "-f", output, "--redact"]
    )


@pytest.mark.parametrize("output", ["text", "json", "html"])
def test_diagnose_writes_no_name_to_an_output_file(fleet_root: Path, tmp_path: Path, output: str) -> None:
    target = tmp_path / "report.out"
    _check(["diagnose", str(fleet_root / "WKS0042"), "-f", output, "--redact", "-o", str(target)], target)


@pytest.mark.parametrize("output", ["text", "json"])
def test_the_explain_trace_names_no_name(fleet_root: Path, output: str) -> None:
    everything = _check(
        [
            "diagnose",
            str(fleet_root / "WKS0042"),
            "-f",
            output,
            "--redact",
            "--explain",
            "execmgr-network-access-denied",
        ]
    )
    assert "execmgr-network-access-denied" in everything


@pytest.mark.parametrize("output", ["text", "json", "csv", "html"])
def test_fleet_writes_no_name_in_any_format(fleet_root: Path, output: str) -> None:
    _check(["fleet", str(fleet_root), "-f", output, "--redact"])


@pytest.mark.parametrize("output", ["text", "short", "jsonl"])
def test_follow_writes_no_name(fleet_root: Path, output: str) -> None:
    _check(
        [
            "diagnose",
            str(fleet_root / "WKS0042"),
            "-f",
            output,
            "--redact",
            "-v",
            "--follow",
            "--follow-idle",
            "0.2",
            "--follow-interval",
            "0.05",
        ]
    )


def test_the_note_on_an_unread_rotated_part_names_no_name(tmp_path: Path) -> None:
    machine = tmp_path / "Users" / "jdoe" / "WKS0042"
    machine.mkdir(parents=True)
    text = "".join(RECORD.format(line) for line in LINES)
    for name in ("execmgr.log", "execmgr.lo_"):
        (machine / name).write_text(text, encoding="utf-8")
    everything = _check(["diagnose", str(machine / "execmgr.log"), "--redact"])
    assert "its older part" in everything


def test_the_json_document_counts_the_new_classes(tmp_path: Path) -> None:
    shaped = [line for line in LINES if line.startswith(("MAC address", "SerialNumber"))]
    (tmp_path / "execmgr.log").write_text("".join(RECORD.format(line) for line in shaped), encoding="utf-8")
    result = invoke(["diagnose", str(tmp_path), "-f", "json", "--redact"])
    redaction = json.loads(result.stdout)["redaction"]
    assert redaction["mac"] == 3 and redaction["serial"] == 3
