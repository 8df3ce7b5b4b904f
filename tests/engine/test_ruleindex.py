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
    names += [name for kind in kinds.kinds for name in kinds.get(kind).files[:1]]  # type: ignore[union-attr]
    checked = 0
    for kind in [None, *kinds.kinds]:
        for name in names:
            where = LogScope(kind, name)
            expected = tuple(number for number, rule in enumerate(RULES) if rule.applies(where))
            assert index.applying(where) == expected, (kind, name)
            checked += 1
    assert checked > 1000
