"""A rule's budget is charged for its patterns' work, not for the machine's load."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.engine import logrun
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES

RULES, _ = load_rules([])


def jumping(step: float) -> Callable[[], float]:
    """A clock that advances `step` seconds at every reading (as if the process
    had been interrupted between any two of them)."""
    ticks = count()
    return lambda: next(ticks) * step


def budget_lines() -> list[str]:
    outcome = diagnose([str(SAMPLES)], RULES, jobs=1)
    return [problem.message for problem in outcome.problems if "budget" in problem.message]


def test_a_match_the_scheduler_interrupts_is_not_charged(monkeypatch: pytest.MonkeyPatch) -> None:
    """By the clock every match takes a second (a machine busy with other
    work); its CPU time is what is charged, and no rule is disabled."""
    monkeypatch.setattr(logrun, "perf_counter", jumping(1.0))
    assert budget_lines() == []


def test_cpu_time_in_ticks_is_not_charged_either(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where CPU time advances in ticks (Windows), a quick match that straddles one
    reads a whole tick by CPU time; the clock says it was quick."""
    monkeypatch.setattr(logrun, "thread_time", jumping(0.0156))
    assert budget_lines() == []


def test_a_match_slow_by_both_is_charged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logrun, "perf_counter", jumping(1.0))
    monkeypatch.setattr(logrun, "thread_time", jumping(1.0))
    lines = budget_lines()
    assert lines and all("rule disabled for the rest of the run" in line for line in lines)
