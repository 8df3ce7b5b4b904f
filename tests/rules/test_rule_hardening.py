"""Hostile rule folders and patterns (issue 21, item 9): a FIFO named like a
rule is never opened, a symbolic-link loop is walked once, a pattern whose
counted repeats would take gigabytes to compile is the rule's error, and a
catastrophic pattern has a budget for the whole run."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.engine import loop
from smslogdoc.rules import model
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.size import MAX_EXPANDED, expanded_size
from tests.conftest import invoke

RULE = """\
id: {id}
title: a rule of the user's
severity: error
events:
  x: {{message: '{pattern}'}}
condition: x
diagnosis: seen
fix: [look]
"""


def write_rule(folder: Path, rule_id: str, pattern: str = "alpha") -> Path:
    path = folder / f"{rule_id}.yaml"
    path.write_text(RULE.format(id=rule_id, pattern=pattern), encoding="utf-8")
    return path


def cm(message: str, line: int) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:00:{line:02}.000+00" date="02-04-2020" component="x" '
        'context="" type="1" thread="1" file="x.cpp:1">\r\n'
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [["rules", "validate"], ["diagnose", "--no-builtin", "--rules"]])
def test_a_fifo_named_like_a_rule_is_never_opened(tmp_path: Path, command: list[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    write_rule(rules, "mine")
    os.mkfifo(rules / "waiting.yaml")  # opening it for reading would wait for a writer for ever
    log = tmp_path / "x.log"
    log.write_text(cm("alpha", 1))
    result = invoke([*command, str(rules), *([str(log)] if command[0] == "diagnose" else [])])
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == (
        f"smslogdoc: {rules / 'waiting.yaml'}: not a regular file (a FIFO or a device?); not read"
    )


def test_a_symbolic_link_loop_in_a_rules_folder_is_walked_once(tmp_path: Path) -> None:
    write_rule(tmp_path, "mine")
    (tmp_path / "again").symlink_to(tmp_path, target_is_directory=True)
    rules, errors = load_rules([tmp_path], builtin=False)
    assert [str(error) for error in errors] == []
    assert [rule.id for rule in rules] == ["mine"]


def test_nested_counted_repeats_are_measured_before_compiling() -> None:
    assert expanded_size(r"Failed to access (?P<source>[^)]{1,200}) \d{4}") == 222
    assert expanded_size("((a{1000}){1000}){1000}") == 10**9
    assert expanded_size(r"\p{L}{2,5}x{,3}") == 8
    assert expanded_size("(?:ab){3}") == 6 < MAX_EXPANDED


def test_a_pattern_that_would_take_gigabytes_is_the_rules_error(tmp_path: Path) -> None:
    write_rule(tmp_path, "bomb", "((a{1000}){1000}){1000}")
    result = invoke(["rules", "validate", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"smslogdoc: {tmp_path / 'bomb.yaml'}:5: rule bomb: events.x.message: bad regular expression: "
        "the pattern expands to about 1,000,000,000 elements when compiled (nested counted repeats "
        "such as (?:a{1000}){1000}); the limit is 100,000: use * or + or smaller counts",
        "smslogdoc: 1 rule error(s) in 1 file(s)",
    ]


def test_unknown_keys_no_longer_hide_a_rules_other_errors(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        textwrap.dedent("""\
            id: typo
            title: a rule with a typo
            severity: fatal
            colour: red
            events:
              x: {message: 'unclosed (group'}
            condition: x
            diagnosis: seen
            fix: [look]
        """)
    )
    _, errors = load_rules([path], builtin=False)
    assert [(error.key, error.message.split(";")[0]) for error in errors] == [
        ("colour", "unknown key"),
        ("severity", "expected one of info, warning, error, got 'fatal'"),
        ("events.x.message", "bad regular expression: missing ) at position 15"),
    ]


@pytest.fixture
def quick_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern's timeout and a rule's budget made small, so the test counts lines, not seconds."""
    monkeypatch.setattr(model, "REGEX_TIMEOUT", 0.02)
    monkeypatch.setattr(loop, "RULE_BUDGET", 0.1)


def test_a_catastrophic_pattern_spends_its_budget_once_for_the_whole_run(
    tmp_path: Path, quick_budget: None
) -> None:
    rules_folder = tmp_path / "rules"
    rules_folder.mkdir()
    write_rule(rules_folder, "runaway", "(a|aa)+$")
    rules, errors = load_rules([rules_folder], builtin=False)
    assert not errors
    for number in range(40):
        folder = tmp_path / "logs" / f"m{number:02}"
        folder.mkdir(parents=True)
        (folder / "x.log").write_text(cm("a" * 60 + "!", 1) + cm("a" * 60 + "!", 2))
    outcome = diagnose([str(tmp_path / "logs")], rules, jobs=1)
    lines = [problem.message for problem in outcome.problems]
    per_log = [line for line in lines if line.endswith("rule skipped for the rest of this log")]
    run_out = [line for line in lines if line.endswith("rule disabled for the rest of the run")]
    assert len(run_out) == 1 and run_out[0].startswith("rule runaway: its patterns took ")
    assert 1 <= len(per_log) <= 10  # a few logs' timeouts spend the budget; the other 30 are not tried
    assert len(lines) == len(per_log) + 1


def test_a_pattern_timeout_on_a_named_file_is_the_rules_not_the_files(
    tmp_path: Path, quick_budget: None
) -> None:
    write_rule(tmp_path, "runaway", "(a|aa)+$")
    log = tmp_path / "x.log"
    log.write_text(cm("a" * 60 + "!", 1))
    result = invoke(["diagnose", "--no-builtin", "--rules", str(tmp_path / "runaway.yaml"), str(log)])
    assert result.exit_code == 0, result.output
    assert "could not be read" not in result.stderr
    assert (
        f"smslogdoc: {log}:1: rule runaway: the pattern of event 'x' took too long on this record"
        in result.stderr
    )
