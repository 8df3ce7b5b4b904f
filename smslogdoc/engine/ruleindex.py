"""Which rules apply to a log (`Engine.signature`), found from the rules'
targets rather than by asking each of a thousand rules: rules for every log,
rules by kind, rules by file name (most targets are plain names, looked up at
once), rules by file-name glob (each tried only on names that start with its
text before the first wildcard). It agrees with `Rule.applies`
(tests/engine/test_ruleindex.py)."""

from __future__ import annotations

from fnmatch import fnmatchcase

from smslogdoc.kinds import has_wildcard, literal_prefix
from smslogdoc.rules.model import LogScope, Rule, is_glob

MAX_KNOWN = 4096
"""Sets of applying rules remembered (emptied when full)."""


class RuleIndex:
    """Which rules apply to a log, found from their targets rather than by
    asking each of a thousand rules (`Rule.applies`, which it agrees with)."""

    def __init__(self, rules: list[Rule]) -> None:
        self.always: list[int] = []
        self.by_kind: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        """Targets that are one file's name (no wildcard), lower case."""
        self.by_glob: dict[str, list[int]] = {}
        """Targets with a wildcard, lower case."""
        for number, rule in enumerate(rules):
            if not rule.applies_to:
                self.always.append(number)
            for target in rule.applies_to:
                self.by_kind.setdefault(target, []).append(number)
                if is_glob(target):
                    lowered = target.lower()
                    if has_wildcard(lowered):
                        self.by_glob.setdefault(lowered, []).append(number)
                    else:
                        self.by_name.setdefault(lowered, []).append(number)
        self._globs = [(glob, literal_prefix(glob), numbers) for glob, numbers in self.by_glob.items()]
        self._known: dict[tuple[str | None, tuple[str, ...]], tuple[int, ...]] = {}
        """The rules of a kind and the names and globs matched: thousands of
        differently named logs match a handful of these."""

    def applying(self, where: LogScope) -> tuple[int, ...]:
        targets: list[str] = []
        for name in where.names:
            if name in self.by_name:
                targets.append(name)
            targets.extend(
                glob for glob, prefix, _ in self._globs if name.startswith(prefix) and fnmatchcase(name, glob)
            )
        key = (where.kind, tuple(targets))
        known = self._known.get(key)
        if known is None:
            found = set(self.always)
            if where.kind is not None:
                found.update(self.by_kind.get(where.kind, ()))
            for target in targets:
                found.update(self.by_name.get(target) or self.by_glob[target])
            if len(self._known) >= MAX_KNOWN:
                self._known.clear()
            known = self._known[key] = tuple(sorted(found))
        return known
