"""Which matchers could match a record, found in one pass over its text.

Every literal the active rules' patterns need (see `literals`) goes into one
Aho-Corasick automaton; a record costs one scan, and only the matchers whose
literal occurs (plus those that have no literal) are run in full. A record no
rule can match costs that one scan and nothing else, and a message seen
before (logs repeat theirs run after run) costs a look-up.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from smslogdoc.memo import Memo

Item = TypeVar("Item", bound=Hashable)

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - the dependency is declared; this keeps a broken install usable
    ahocorasick_rs = None  # type: ignore[assignment]


SEEN_TEXTS = 4096
"""Texts whose candidates are remembered (the memory is emptied when full)."""


class Prefilter(Generic[Item]):
    """Maps a text to the items whose literals occur in it (case ignored)."""

    def __init__(self, entries: Sequence[tuple[Item, tuple[str, ...]]]) -> None:
        self.always: list[Item] = [item for item, literals in entries if not literals]
        patterns: list[str] = []
        owners: list[list[Item]] = []
        index: dict[str, int] = {}
        for item, literals in entries:
            for literal in literals:
                if literal not in index:
                    index[literal] = len(patterns)
                    patterns.append(literal)
                    owners.append([])
                if item not in owners[index[literal]]:
                    owners[index[literal]].append(item)
        self._patterns = patterns
        self._owners = owners
        self._automaton = (
            ahocorasick_rs.AhoCorasick(patterns) if patterns and ahocorasick_rs is not None else None
        )
        self._seen: Memo[str, list[Item]] = Memo(SEEN_TEXTS)
        """Texts already looked at: a log repeats its messages run after run."""

    def candidates(self, text: str) -> list[Item]:
        """Items that may match `text`: those whose literal occurs, then those
        without one (remembered per text)."""
        if not self._patterns:
            return self.always
        return self._seen.get(text, self.find)

    def find(self, text: str) -> list[Item]:
        """`candidates`, looked for afresh (for a caller that remembers its own results)."""
        if not self._patterns:
            return self.always
        lowered = text.lower()
        if self._automaton is not None:
            hits = {
                index for index, _, _ in self._automaton.find_matches_as_indexes(lowered, overlapping=True)
            }
        else:
            hits = {index for index, pattern in enumerate(self._patterns) if pattern in lowered}
        if not hits:
            return self.always
        found: list[Item] = []
        for index in sorted(hits):
            for item in self._owners[index]:
                if item not in found:
                    found.append(item)
        return found + [item for item in self.always if item not in found]
