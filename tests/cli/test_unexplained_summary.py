"""Issue 21, item 14: the unexplained-errors summary lists no record a finding
of the same log already covers (the exit code after a program failure, the
installer's line beside its cause), no group without words ("(empty
message)", a PowerShell `+ ~~~~` underline), one group a line; routine
messages of the user's own go in benign.yaml in the configuration folder,
never in the installed package; the docs are named honestly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smslogdoc.engine import benign, unexplained
from tests.conftest import SAMPLES, invoke


def _line(message: str, number: int, kind: int = 3) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:00:{number:02d}.000+000" date="01-02-2024" '
        f'component="VendorAgent" context="" type="{kind}" thread="1" file="x.cpp:1">'
    )


@pytest.fixture(autouse=True)
def fresh_benign_list() -> Iterator[None]:
    benign.benign_list.cache_clear()
    benign.user_benign.cache_clear()
    yield
    benign.benign_list.cache_clear()
    benign.user_benign.cache_clear()


def _users_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """The user's benign.yaml holding `text`, in a configuration folder of the test's own."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    monkeypatch.setenv("SMSLOGDOC_CONFIG", str(config))
    (config / "benign.yaml").write_text(text)
    benign.benign_list.cache_clear()
    benign.user_benign.cache_clear()
    return config


def _summaries(*paths: Path) -> list[dict[str, object]]:
    result = invoke(["diagnose", "-f", "json", "--fail-on", "none", *map(str, paths)])
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "unexplained-errors"]


@pytest.mark.parametrize(
    "sample", ["execmgr-local-program-fails", "formats/plain-client-msi"], ids=["exit-code", "msi-1603"]
)
def test_records_a_finding_of_the_same_log_covers_are_not_listed(sample: str) -> None:
    """execmgr.log: 'Raised Program Error Event' (line 51) between the failure
    (34) and its retry (54); client.msi.log: the line after the 1603 cause (39)."""
    assert _summaries(SAMPLES / sample) == []


def test_no_group_without_words_and_one_group_a_line(tmp_path: Path) -> None:
    log = tmp_path / "VendorAgent.log"
    # error records in no words a rule family reads (a failure word would get a finding of its own)
    messages = ["Agent started", "", "+ ~~~~~~~~~~~~", "Upload state 7 for queue 4", "Cache state 2"]
    log.write_text(
        "\n".join(_line(m, n, 3 if n else 1) for n, m in enumerate(messages)) + "\n", encoding="utf-8"
    )
    (found,) = _summaries(log)
    diagnosis = str(found["diagnosis"])
    assert "(empty message)" not in diagnosis and "~~~~" not in diagnosis
    assert "2 error records without words left out." in diagnosis
    lines = diagnosis.split("\n")
    assert [line[:3] for line in lines[1:3]] == ["(1)", "(2)"]
    text = invoke(["diagnose", str(log), "--fail-on", "none"]).stdout
    assert "\n  (2) 1x, line 5" in text  # a line of its own in text too


def test_routine_messages_of_the_users_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "logs" / "VendorAgent.log"
    log.parent.mkdir()
    log.write_text(_line("Agent started", 1, 1) + "\n" + _line("Heartbeat state 7", 2) + "\n")
    assert len(_summaries(log)) == 1
    config = _users_list(tmp_path, monkeypatch, "- pattern: '^Heartbeat state'\n  log: [VendorAgent.log]\n")
    assert _summaries(log) == []
    _users_list(tmp_path, monkeypatch, "- pattern: '(unclosed'\n  log: [VendorAgent.log]\n")
    bad = invoke(["diagnose", str(log)])
    assert bad.exit_code == 2
    assert bad.stderr.startswith(f"smslogdoc: {config / 'benign.yaml'}: entry 1: pattern:")


def test_the_fix_names_no_installed_file_to_edit() -> None:
    fix = " ".join(unexplained.unexplained_rule("info").fix)
    assert "smslogdoc/data/benign.yaml" not in fix
    assert "~/.config/smslogdoc/" in fix and "%APPDATA%" in fix
    assert "not installed with the package" in fix


def test_a_routine_message_of_the_users_own_silences_the_generic_findings_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message a user lists as routine gets no finding from a rule family
    (what a code, a status value or a failure wording means) either."""
    log = tmp_path / "logs" / "ccmsetup.log"
    log.parent.mkdir()
    log.write_text(_line("Failed to frobnicate the widget store. Error 0x87d00607", 1) + "\n")

    def rules_found() -> list[str]:
        result = invoke(["diagnose", "-f", "json", "--fail-on", "none", str(log)])
        return [f["rule"] for f in json.loads(result.stdout)["findings"]]

    generic = [rule for rule in rules_found() if rule.startswith(("code-", "phrase-", "state-"))]
    assert generic, "a family names the failure while the message is not listed"
    _users_list(tmp_path, monkeypatch, "- pattern: '^Failed to frobnicate'\n  log: [ccmsetup.log]\n")
    assert not [rule for rule in rules_found() if rule.startswith(("code-", "phrase-", "state-"))]
