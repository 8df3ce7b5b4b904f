"""Names are data too (issue 21, item 12): a file or archive-member name with
an escape sequence (an OSC 52 clipboard write, a clear-screen) or a line break
reaches no terminal raw, on standard output or standard error, and a rule's
title is made inert in `--explain` as everywhere else."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, invoke

OSC52 = "\x1b]52;c;aGk=\x07"
CLEAR = "\x1b[2J"
FORGED = "smslogdoc: forged line"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    log = (SAMPLES / "execmgr-network-access-denied" / "execmgr.log").read_bytes()
    folder = tmp_path / "m"
    folder.mkdir()
    with zipfile.ZipFile(folder / "a.zip", "w") as archive:
        archive.writestr(f"evil{OSC52}{CLEAR}/execmgr.log", log)
        archive.writestr(f"x\n{FORGED}/execmgr.log", log)
        archive.writestr(f"bin{CLEAR}.log", b"\x00\x01" * 100)
    (folder / f"file{CLEAR}name.log").write_bytes(log)
    return folder


def _inert(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, text
    assert not any(line.startswith(FORGED) for line in text.splitlines()), text


@pytest.mark.parametrize("output", ["text", "short", "markdown"])
def test_names_are_inert_on_both_streams(hostile: Path, output: str) -> None:
    result = invoke(["diagnose", str(hostile), "-f", output, "-v", "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    _inert(result.stdout)
    _inert(result.stderr)
    assert "\\x1b]52" in result.stdout and "\\x1b]52" in result.stderr  # shown, made visible
    assert "x\\x0asmslogdoc: forged line" in result.stderr


def test_parse_and_fleet_keep_names_inert(hostile: Path) -> None:
    for args in (["parse", str(hostile), "-v"], ["fleet", str(hostile.parent), "--fail-on", "none"]):
        result = invoke(args)
        _inert(result.stdout)
        _inert(result.stderr)


def test_a_short_line_is_one_line_whatever_the_member_name(hostile: Path) -> None:
    result = invoke(["diagnose", str(hostile), "-f", "short", "-q", "--fail-on", "none"])
    lines = result.stdout.splitlines()
    assert lines and all(line.split()[0] in {"ERROR", "WARNING", "INFO", "STORY"} for line in lines), lines


def test_explain_makes_a_rule_title_inert(hostile: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine-escape-title.yaml").write_text(
        "id: mine-escape-title\n"
        'title: "Title with \\e[2J an escape"\n'
        "severity: warning\n"
        "applies_to: [execmgr]\n"
        "events:\n  exit: {message: 'Program exit code'}\n"
        "condition: {any: [exit]}\n"
        "diagnosis: d\ncause: c\nfix: [f]\n",
        encoding="utf-8",
    )
    result = invoke(
        [
            "diagnose",
            str(hostile),
            "--rules",
            str(rules),
            "--explain",
            "mine-escape-title",
            "--fail-on",
            "none",
        ]
    )
    assert "mine-escape-title" in result.stdout, result.output
    _inert(result.stdout)
    _inert(result.stderr)
