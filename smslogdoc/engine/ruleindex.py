"""Which rules apply to a log (`Engine.signature`), found from the rules'
targets rather than by asking each of a thousand rules: rules for every log,
rules by kind, rules by file-name glob. It agrees with `Rule.applies`
(tests/engine/test_ruleindex.py)."""

from __future__ import annotations

from fnmatch import fnmatchcase

from smslogdoc.rules.model import LogScope, Rule, is_glob


class RuleIndex:
    """Which rules apply to a log, found from their targets rather than by
    asking each of a thousand rules (`Rule.applies`, which it agrees with)."""

    def __init__(self, rules: list[Rule]) -> None:
        self.always: list[int] = []
        self.by_kind: dict[str, list[int]] = {}
        self.by_glob: dict[str, list[int]] = {}
        for number, rule in enumerate(rules):
            if not rule.applies_to:
                self.always.append(number)
            for target in rule.applies_to:
                self.by_kind.setdefault(target, []).append(number)
                if is_glob(target):
                    self.by_glob.setdefault(target.lower(), []).append(number)

    def applying(self, where: LogScope) -> tuple[int, ...]:
        found = set(self.always)
        if where.kind is not None:
            found.update(self.by_kind.get(where.kind, ()))
        for name in where.names:
            for glob, numbers in self.by_glob.items():
                if fnmatchcase(name, glob):
                    found.update(numbers)
        return tuple(sorted(found))
