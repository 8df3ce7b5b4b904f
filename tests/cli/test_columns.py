"""Everything reads at 80 columns (issue 21, item 16), and at 200: titles and
evidence wrap between words, `-f short` is one line a finding on a terminal,
`rules list` is a listing one line a rule (a family of rules one line), and
`parse` keeps every character of a message and tells two logs of one name
apart."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console

from smslogdoc.report.rulelist import write_listing
from smslogdoc.report.short import write_short
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES, invoke

SAMPLE = SAMPLES / "ccmsetup-service-cannot-access-source"
LONG_TOKEN = "veryveryveryverylongtokenthatiswaymorethanthirtycharacterslong_and_more_text"


def _overlong(text: str, width: int) -> list[str]:
    """Lines over `width` that are not a long unbreakable token (a path, a URL) beside a label."""
    return [line for line in text.splitlines() if len(line) > width and len(line.split()[-1]) < 40]


@pytest.mark.parametrize("width", [80, 200])
def test_text_wraps_between_words(tmp_path: Path, width: int) -> None:
    shutil.copy(SAMPLE / "ccmsetup.log", tmp_path / "ccmsetup.log")
    result = invoke(["diagnose", str(tmp_path), "--fail-on", "none"], env={"COLUMNS": str(width)})
    assert _overlong(result.stdout, max(width, 110) if width > 110 else width) == []
    title = "ccmsetup, relaunched as a service under LocalSystem, cannot read its source share"
    words = {word for line in result.stdout.splitlines() for word in line.split()}
    assert set(title.split()) <= words  # no word of the title cut in two
    assert "Waiting for retry..." in result.stdout.replace("\n        ", " ")


def test_short_is_one_line_a_finding_on_an_80_column_terminal(tmp_path: Path) -> None:
    import json

    shutil.copy(SAMPLE / "ccmsetup.log", tmp_path / "ccmsetup.log")
    document = json.loads(invoke(["diagnose", str(tmp_path), "-f", "json", "--fail-on", "none"]).stdout)
    for width in (80, 200):
        out = io.StringIO()
        write_short(
            document["findings"], Console(file=out, width=width, force_terminal=True, color_system=None)
        )
        lines = out.getvalue().splitlines()
        assert len(lines) == len(document["findings"]) and all(len(line) <= width for line in lines), lines
        assert all("ccmsetup-service-cannot-access-source" in line for line in lines[:1])
    piped = invoke(["diagnose", str(tmp_path), "-f", "short", "-q", "--fail-on", "none"]).stdout
    assert str(tmp_path) in piped  # piped: the whole path, for grep


def _listing(rules: list[Any], width: int) -> list[str]:
    out = io.StringIO()
    write_listing(rules, Console(file=out, width=width, no_color=True))
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [80, 200])
def test_rules_list_is_a_listing_that_fits(width: int) -> None:
    rules, _ = load_rules([], builtin=True)
    lines = _listing(rules, width)
    assert all(len(line) <= width for line in lines)
    written = [rule for rule in rules if not rule.family]  # a rule family is one line
    assert len(lines) < 2.5 * len(written)  # a table with an 8-column title took 6 lines a rule
    text = "\n".join(lines)
    assert all(
        f"  {rule.id} " in text or text.endswith(rule.id) or f"  {rule.id}\n" in text for rule in written
    )
    if width == 200:  # a title read whole where it fits
        assert any(rule.title in text for rule in rules if len(rule.title) < 100)


def test_rules_list_gives_a_family_one_line() -> None:
    family = [
        SimpleNamespace(
            id=f"code-0x8007{n:04x}",
            family="error-codes-in-context",
            severity="warning",
            title="An error code",
            applies_to=("ccmsetup",),
        )
        for n in range(1000)
    ]
    single = SimpleNamespace(
        id="one-rule", severity="error", title="A written rule", applies_to=("ccmsetup",)
    )
    lines = _listing([single, *family], 80)
    assert len(lines) < 10, lines
    assert any("error-codes-in-context-* (1000 rules)" in line for line in lines)


@pytest.mark.parametrize("width", [80, 200])
def test_parse_keeps_every_character_and_names_two_logs_apart(tmp_path: Path, width: int) -> None:
    for folder in ("A", "B"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "execmgr.log").write_text(
            f"Line with a {LONG_TOKEN} and after it\n", encoding="utf-8"
        )
    result = invoke(["parse", str(tmp_path), "--merge"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    joined = "".join(line.strip() for line in result.stdout.splitlines())
    assert LONG_TOKEN in joined
    assert "A/execmgr.log:1" in result.stdout and "B/execmgr.log:1" in result.stdout
    assert all(len(line.rstrip()) <= width for line in result.stdout.splitlines())


@pytest.mark.parametrize("width", [80, 200])
def test_fleet_text_fits(width: int) -> None:
    result = invoke(["fleet", str(SAMPLES), "-q", "--fail-on", "none"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert _overlong(result.stdout, min(width, 110)) == []
    assert "cannot read its source share" in result.stdout.replace("\n  ", " ")
