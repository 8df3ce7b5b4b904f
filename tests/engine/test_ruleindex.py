"""engine.ruleindex.RuleIndex agrees with Rule.applies for every bundled rule,
every log kind and the file names logs come in."""

from __future__ import annotations

from smslogdoc.engine.ruleindex import RuleIndex
from smslogdoc.kinds import load_kinds
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.model import LogScope

RULES, _ = load_rules([])


def test_the_index_agrees_with_each_rule() -> None:
    index = RuleIndex(RULES)
    kinds = load_kinds()
    names = ["ccmsetup.log", "execmgr-20240101-101010.log", "CcmSetup.LOG", "notes.txt", "x.csv", "", "odd"]
    names += ["CBSPersist_20240101.log", "my-Upgrade.log"]  # globs with and without a literal start
    names += [name for kind in kinds.kinds for name in kinds.get(kind).files[:1]]  # type: ignore[union-attr]
    checked = 0
    for kind in [None, *kinds.kinds]:
        for name in names:
            where = LogScope(kind, name)
            expected = tuple(number for number, rule in enumerate(RULES) if rule.applies(where))
            assert index.applying(where) == expected, (kind, name)
            checked += 1
    assert checked > 1000


def test_a_logs_events_are_those_each_rule_scopes_to_it() -> None:
    """`Engine.signature` works a set of applying rules' events out once and asks
    only the events scoped to some logs (`logs:`) again per log: the same pairs as
    asking every event of every applying rule."""
    from smslogdoc.engine.loop import Engine

    engine = Engine(RULES)
    kinds = load_kinds()
    scoped = 0
    for kind in [None, *kinds.kinds]:
        for name in ["ccmsetup.log", "AppEnforce.log", "smsts-20240101-101010.log", "notes.txt", "odd"]:
            where = LogScope(kind, name)
            active, events = engine.signature(where)
            expected = tuple(
                (number, event)
                for number in active
                for event, matcher in RULES[number].events.items()
                if not matcher.logs or where.is_one_of(matcher.logs)
            )
            assert events == expected, (kind, name)
            scoped += any(RULES[number].events[event].logs for number, event in events)
    assert scoped  # some bundled events are scoped to some logs: both paths were taken


def test_a_file_names_kind_is_the_first_kind_that_names_it() -> None:
    """`KindTable.by_file_name` looks plain names up at once and tries a glob
    only on names that start with its text: the same kind as trying every
    kind's globs in order."""
    import fnmatch
    import re

    from smslogdoc.kinds import current_name

    kinds = load_kinds()
    ordered = [
        (kind, [re.compile(fnmatch.translate(pattern.lower())).match for pattern in kind.files])
        for kind in kinds.kinds.values()
    ]
    names = {"", "odd", "ccmsetup.lo_", "execmgr-20240101-101010.log", "CBSPersist_20240101.log"}
    for kind in kinds.kinds.values():
        for pattern in kind.files:
            names.update({pattern, pattern.replace("*", "x"), pattern.replace("*", ""), pattern.upper()})
    for name in names:
        current = current_name(name) if name else ""
        expected = next((kind for kind, globs in ordered if current and any(g(current) for g in globs)), None)
        assert kinds.by_file_name(name) is expected, name
