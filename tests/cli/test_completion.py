"""Tab completion from the parser itself (issue 21, item 18): what the shell
gets when it asks (argcomplete's protocol: `_ARGCOMPLETE`, `COMP_LINE`, the
answer on file descriptor 8), for every command, option and value; and
did-you-mean for a mistyped rule id, level, kind and option."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, invoke


def complete(line: str, cwd: Path | None = None) -> list[str]:
    """What completing `line` (the cursor at its end) offers."""
    read, write = os.pipe()
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\v",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "COMP_TYPE": "9",
        "PYTHONPATH": str(REPO),
    }
    with subprocess.Popen(
        [sys.executable, "-m", "smslogdoc"],
        env=env,
        cwd=cwd,
        pass_fds=(write, 8, 9),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: (os.dup2(write, 8), os.dup2(os.open(os.devnull, os.O_WRONLY), 9)),
    ) as process:
        os.close(write)
        with os.fdopen(read, "rb") as answer:
            text = answer.read().decode("utf-8")
        process.wait(timeout=60)
    return [word.strip() for word in text.split("\v") if word.strip()]


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the protocol's file descriptors are POSIX")


def test_values_come_from_the_parser() -> None:
    assert complete("smslogdoc diagnose --format ") == ["text", "short", "json", "jsonl", "markdown", "html"]
    assert complete("smslogdoc fleet --format ") == ["text", "json", "csv", "html"]
    assert complete("smslogdoc diagnose --unexplained ") == ["off", "info", "warning", "error"]
    assert complete("smslogdoc diagnose --min-severity w") == ["warning"]
    assert complete("smslogdoc diagnose --explain ccmsetup-service-cannot-acc") == [
        "ccmsetup-service-cannot-access-source"
    ]
    assert "powershell" in complete("smslogdoc completion ") and "fish" in complete("smslogdoc completion ")


def test_color_before_the_command_does_not_break_completion() -> None:
    assert complete("smslogdoc --color never diagnose --format ") == complete("smslogdoc diagnose --format ")
    assert "diagnose" in complete("smslogdoc --color always d")


def test_paths_roots_and_output_files_complete_with_names(tmp_path: Path) -> None:
    (tmp_path / "WKS0042").mkdir()
    (tmp_path / "WKS0042.log").write_text("x\n", encoding="utf-8")
    assert complete("smslogdoc fleet WK", tmp_path) == ["WKS0042/"]  # folders only
    assert set(complete("smslogdoc diagnose WK", tmp_path)) == {"WKS0042/", "WKS0042.log"}
    assert "WKS0042.log" in complete("smslogdoc diagnose x -o WK", tmp_path)
    assert complete("smslogdoc diagnose --since ", tmp_path) == []  # a time: nothing to offer


def test_options_complete_after_a_dash() -> None:
    assert complete("smslogdoc parse --fo") == [
        "--format",
        "--follow",
        "--follow-interval",
        "--follow-timeout",
        "--follow-idle",
    ]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_the_hook_names_the_program(shell: str) -> None:
    script = invoke(["completion", shell]).stdout
    assert "smslogdoc" in script and "_ARGCOMPLETE" in script


def test_did_you_mean_a_rule_id(tmp_path: Path) -> None:
    (tmp_path / "x.log").write_text("x\n", encoding="utf-8")
    result = invoke(["diagnose", str(tmp_path), "--explain", "ccmsetup-service-cannot-acess-source"])
    assert result.exit_code == 2
    assert "did you mean 'ccmsetup-service-cannot-access-source'?" in result.stderr


def test_did_you_mean_a_level(tmp_path: Path) -> None:
    result = invoke(["diagnose", str(tmp_path), "--min-severity", "warn"])
    assert result.exit_code == 2 and "did you mean 'warning'?" in result.stderr
    result = invoke(["fleet", str(tmp_path), "--fail-on", "eror"])
    assert result.exit_code == 2 and "did you mean 'error'?" in result.stderr


def test_did_you_mean_an_option_after_the_command(tmp_path: Path) -> None:
    result = invoke(["diagnose", str(tmp_path), "--min-severty", "error"])
    assert result.exit_code == 2 and "did you mean '--min-severity'?" in result.stderr


def test_did_you_mean_a_kind(tmp_path: Path) -> None:
    (tmp_path / "my-rule.yaml").write_text(
        "id: my-rule\ntitle: t\nseverity: error\napplies_to: [execmgr.log, ccmsetp]\n"
        "events:\n  e: {message: 'x'}\ncondition: {any: [e]}\ndiagnosis: d\ncause: c\nfix: [f]\n",
        encoding="utf-8",
    )
    result = invoke(["rules", "validate", str(tmp_path)])
    assert result.exit_code == 3
    assert "did you mean 'ccmsetup'?" in result.stderr or "did you mean 'ccmsetup'?" in result.stdout
