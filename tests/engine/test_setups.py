"""What the engine keeps per log name stays small however many names it meets:
logs the same rules apply to share one prefilter and one plan."""

from __future__ import annotations

from smslogdoc.engine import loop
from smslogdoc.engine.loop import Engine
from smslogdoc.kinds import load_kinds
from smslogdoc.pipeline import _plan
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.model import LogScope

RULES, _ = load_rules([])


def test_thousands_of_differently_named_logs_share_one_setup() -> None:
    engine = Engine(RULES)
    setups = [engine._setup(LogScope(None, f"Install_App{index:05d}.log")) for index in range(3000)]
    assert all(setup is setups[0] for setup in setups)  # one prefilter, not 3,000
    assert len(engine._shared) == 1


def test_the_setups_remembered_by_name_are_bounded() -> None:
    engine = Engine(RULES)
    for index in range(loop.MAX_SETUPS + 50):
        engine._setup(LogScope(None, f"app{index}.log"))
    assert len(engine._setups) == loop.MAX_SETUPS
    assert len(engine._signatures) == loop.MAX_SETUPS


def test_a_plan_is_worked_out_once_for_logs_alike() -> None:
    engine = Engine(RULES)
    kind = load_kinds().by_file_name("execmgr.log")
    first = _plan(engine, LogScope("execmgr", "execmgr.log"), kind, [])
    again = _plan(engine, LogScope("execmgr", "execmgr-20240101-101010.log"), kind, [])
    assert first is not None and again is first
