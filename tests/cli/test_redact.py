"""`diagnose --redact`: no host, user or domain name, address, e-mail address or
SID of the logs survives in any output format; codes, shares and the shape of
paths do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES, invoke

SECRETS = (
    "fs01",
    "WKS0042",
    "CONTOSO",
    "jdoe",
    "10.20.30.40",
    "jdoe@contoso.com",
    "S-1-5-21-1004336348-1177238915-682003330-1001",
)


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    folder = tmp_path / "WKS0042"
    folder.mkdir()
    text = (SAMPLES / "execmgr-network-access-denied" / "execmgr.log").read_text(encoding="utf-8-sig")
    extra = (
        "<![LOG[User CONTOSO\\jdoe (jdoe@contoso.com, S-1-5-21-1004336348-1177238915-682003330-1001) logged on to WKS0042 from 10.20.30.40]LOG]!>"
        '<time="14:39:50.000+240" date="10-14-2014" component="execmgr" context="" type="3" thread="3292" file="x.cpp:1">\n'
    )
    (folder / "execmgr.log").write_text(extra + text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("output", ["text", "json", "jsonl", "markdown", "html"])
def test_no_name_survives_redaction_in_any_format(machine: Path, output: str) -> None:
    plain = invoke(["diagnose", str(machine), "--format", output, "--fail-on", "none"])
    assert "fs01" in plain.stdout  # the log really holds them
    result = invoke(["diagnose", str(machine), "--format", output, "--redact", "--fail-on", "none"])
    assert result.exit_code == 0
    lowered = result.stdout.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, secret
    assert "HOST-" in result.stdout and "0x80070005" in result.stdout and "Apps$" in result.stdout


def test_redaction_is_said_and_pseudonyms_are_stable(machine: Path) -> None:
    result = invoke(["diagnose", str(machine), "--redact", "--fail-on", "none"])
    assert "Redacted, each replaced by a stable pseudonym:" in result.stdout
    import re

    servers = {
        found
        for line in result.stdout.splitlines()
        if "Command line =" in line
        for found in re.findall(r"\\\\(HOST-\d+)\\Apps\$", line)
    }
    assert len(servers) == 1  # one server, one pseudonym, wherever it is written


def test_a_cause_seen_in_several_runs_is_redacted_in_its_spread_too(tmp_path: Path) -> None:
    text = (SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log").read_text(
        encoding="utf-8-sig"
    )
    (tmp_path / "ccmsetup.log").write_text(text + text, encoding="utf-8")  # the same failure in two runs
    plain = invoke(["diagnose", str(tmp_path), "--format", "json", "--fail-on", "none"])
    assert '"spread"' in plain.stdout and "fs01" in plain.stdout
    for output in ("json", "text", "markdown", "html"):
        result = invoke(["diagnose", str(tmp_path), "--format", output, "--redact", "--fail-on", "none"])
        assert "fs01" not in result.stdout.lower(), output
