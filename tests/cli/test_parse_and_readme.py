"""Issue 21, item 19 (the rest): `parse` that prints no record says why; the
README's sample output is what the command prints."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, SAMPLES, invoke

HEALTHY = SAMPLES / "execmgr-healthy"


@pytest.mark.parametrize("output", ["text", "jsonl", "csv"])
def test_parse_says_why_it_printed_no_record(output: str) -> None:
    result = invoke(["parse", "-f", output, "--since", "2099-01-01", str(HEALTHY)])
    assert result.exit_code == 0
    assert result.stderr == (
        "smslogdoc: no records: none of the 78 records read falls in the --since/--until window\n"
    )
    assert "no records" not in invoke(["parse", "-f", output, str(HEALTHY)]).stderr


def test_the_readme_sample_is_what_diagnose_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Word for word, but the number of rules (it grows with every rule added)."""
    monkeypatch.chdir(REPO)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "$ smslogdoc diagnose sample_logs/ccmsetup-service-cannot-access-source-rotated\n"
    block = readme.split(command, 1)[1].split("\n```", 1)[0]
    result = invoke(
        ["--color", "never", "diagnose", "sample_logs/ccmsetup-service-cannot-access-source-rotated"],
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 1
    printed = result.stdout.rstrip("\n")
    # the README leaves out two sections, and says so in one line
    left_out = (
        "  [References, Collect next and the client installation's story, phase by phase: left out here]"
    )
    head, tail = block.split(left_out + "\n\n")
    assert printed.startswith(head)
    assert printed[len(head) :].startswith("  References\n") and "\n  Collect next\n" in printed
    assert "\nDeployments that did not succeed: 1 of 1 story" in printed
    last = printed.rsplit("\n", 1)[1]
    assert re.sub(r"\d+ rules", "N rules", last) == re.sub(r"\d+ rules", "N rules", tail)
