"""Side lists that several rules keep alike (the same events, grouped alike)
are kept once per log (`state.SharedSides`): the findings, their context and
supporting records must be those of each rule keeping its own."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smslogdoc.diagnose import Outcome, diagnose
from smslogdoc.engine import condition as condition_module
from smslogdoc.engine import loop as loop_module
from smslogdoc.engine.state import SharedSides
from smslogdoc.rules.model import Matcher, Rule
from smslogdoc.rules.schema import parse_rule


def rule(rule_id: str, code: str, extra: str = "") -> Rule:
    text = f"""
        id: {rule_id}
        title: a program failed with {code}
        severity: error
        applies_to: [ccmsetup]
        events:
          started: {{message: 'Running as user "(?P<user>\\w+)"'}}
          source: {{message: 'Ccmsetup command line: (?P<line>.+)'}}
          failed: {{message: 'failed with error code {code}'}}
          {extra}
        condition: {{any: [failed], by: run, context: [started, source], supported_by: [started]}}
        diagnosis: failed in {{run}}
        fix: [x]
    """
    parsed, errors = parse_rule(textwrap.dedent(text), "<test>")
    assert errors == [], [str(e) for e in errors]
    assert parsed is not None
    return parsed


def cm(message: str, clock: str, thread: int) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="{clock}.000+00" date="02-04-2020" component="ccmsetup" '
        f'context="" type="1" thread="{thread}" file="x.cpp:1">\r\n'
    )


def ccmsetup_log(runs: int) -> str:
    """Runs enough to be retired in batches, each with the shared context
    records; runs fail with one of two codes, or not at all."""
    log = []
    for number in range(1, runs):
        thread = 1000 + number % 50 * 4
        log.append(cm(f"==========[ ccmsetup started in process {number} ]==========", "10:00:00", thread))
        log.append(cm('Running as user "SYSTEM"', "10:00:01", thread))
        if number % 7:
            log.append(cm(f"Ccmsetup command line: ccmsetup.exe /mp:mp{number % 3}", "10:00:01", thread))
        if number % 5 == 1:
            log.append(cm("CcmSetup failed with error code 1603", "10:00:02", thread))
        elif number % 5 == 2:
            log.append(cm("CcmSetup failed with error code 1618", "10:00:02", thread))
    return "".join(log)


def summary(outcome: Outcome) -> list[tuple[str, object, int, list[tuple[int, str, bool]]]]:
    return [
        (f.rule.id, f.group, f.occurrences, [(e.line, e.event, e.supporting) for e in f.evidence])
        for f in outcome.findings
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "ccmsetup.log").write_text(ccmsetup_log(400), encoding="utf-8", newline="")
    return tmp_path


def test_rules_alike_keep_one_side_list_and_find_what_each_would_alone(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = [rule("one", "1603"), rule("two", "1618"), rule("three", "1603")]
    made: list[condition_module.ConditionRun] = []
    created = condition_module.ConditionRun.__init__

    def remember(self: condition_module.ConditionRun, *args: object, **kwargs: object) -> None:
        created(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(condition_module.ConditionRun, "__init__", remember)
    shared = summary(diagnose([str(folder)], rules))
    assert len(made) == 3
    assert made[0].context is made[1].context is made[2].context
    assert isinstance(made[0].context, SharedSides)
    assert made[0].support is made[1].support  # started alone: another list, shared too
    assert made[0].support is not made[0].context

    monkeypatch.setattr(loop_module, "side_keys", lambda rule, condition: None)
    alone = summary(diagnose([str(folder)], rules))
    assert shared == alone
    assert sorted(rule_id for rule_id, *_ in shared) == ["one", "three", "two"]
    assert all({"started", "source"} <= {event for _, event, _ in evidence} for *_, evidence in shared)


def test_a_rule_disabled_midway_leaves_the_shared_list_to_the_others(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first rule that keeps the list stops at a record; the others keep
    filling it (then the records are not fed by a remembered plan)."""
    rules = [
        rule("broken", "1603", "boom: {message: 'command line: ccmsetup.exe /mp:mp2'}"),
        rule("two", "1618"),
        rule("three", "1603"),
    ]
    original = Matcher.match

    def explode(self: Matcher, event: object) -> object:
        if self.name == "boom":
            raise ValueError("boom")
        return original(self, event)  # type: ignore[arg-type]

    monkeypatch.setattr(Matcher, "match", explode)
    shared = diagnose([str(folder)], rules)
    monkeypatch.setattr(loop_module, "side_keys", lambda rule, condition: None)
    alone = diagnose([str(folder)], rules)
    assert summary(shared) == summary(alone)
    assert sorted(rule_id for rule_id, *_ in summary(shared)) == ["three", "two"]
    assert [p.rule for p in shared.problems] == ["broken"]
