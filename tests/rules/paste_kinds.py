"""Which log a message-only paste came from: a measurement over the bundled
rules' own firing examples.

Each `expect: fire` example file whose name tells its kind (ccmsetup.log,
PatchDownloader.log, ...) becomes pastes with no file name, no component, no
time and no type, only the message texts: the whole file's messages (a "log
paste") and each cited line alone (a "line paste", the key case: one failure
line quoted in a ticket). Each paste is read as a nameless log and
`KindTable.by_components` guesses its kind: right, wrong (another kind) or
none.

The rules are split by a stable hash of their id into two thirds (tune) and
one third (set aside): markers are written looking at the tune third only, and
the set-aside third measures how well they carry to lines nobody tuned on.
A paste text met in both thirds counts in the tune third only.

    .venv/bin/python -m tests.rules.paste_kinds            # the figures
    .venv/bin/python -m tests.rules.paste_kinds --misses   # and the tune third's misses
    .venv/bin/python -m tests.rules.paste_kinds --set-aside  # the set-aside third's figures too
    .venv/bin/python -m tests.rules.paste_kinds --fires      # and how many pastes fire their own rule
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from smslogdoc.diagnose import diagnose
from smslogdoc.inputs.paths import collect
from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.model import Event
from smslogdoc.read.full import ReadOptions, read_log
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.model import Rule

TUNE, SET_ASIDE = "tune", "set aside"
PASTE_NAME = "paste"
"""The name a paste is read under: one no kind's file names match."""


@dataclass(frozen=True)
class Paste:
    """One message-only paste and the kind of the log it was taken from."""

    rule: str
    kind: str
    shape: str
    """"log" (every message of the example file) or "line" (one cited line)."""
    text: str


def split_of(rule_id: str) -> str:
    """The third a rule's examples belong to, from a stable hash of its id."""
    return SET_ASIDE if int(hashlib.sha256(rule_id.encode()).hexdigest(), 16) % 3 == 0 else TUNE


def _events(folder: Path, name: str, text: str) -> list[Event]:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    events: list[Event] = []
    for log in collect([str(path)], []):
        events.extend(read_log(log, ReadOptions()))
    path.unlink()
    return events


def pastes(rules: Iterable[Rule], kinds: KindTable, folder: Path) -> Iterable[Paste]:
    """The message-only pastes of every firing example file whose name tells its kind."""
    for rule in rules:
        for example in rule.examples:
            if example.expect != "fire":
                continue
            single = example.files[0][0] if len(example.files) == 1 else None
            for name, text in example.files:
                kind = kinds.by_file_name(Path(name).name)
                if kind is None:
                    continue
                events = _events(folder, Path(name).name, text)
                messages = [event.message.strip() for event in events if event.message.strip()]
                if messages:
                    yield Paste(rule.id, kind.name, "log", "\n".join(messages))
                cited = set()
                for cite in example.cites:
                    file, _, line = cite.rpartition(":")
                    if (file or single) == name:
                        cited.add(int(line))
                for event in events:
                    if event.line in cited and event.message.strip():
                        yield Paste(rule.id, kind.name, "line", event.message.strip())


def guess(kinds: KindTable, folder: Path, text: str) -> str | None:
    """The kind `by_components` tells for `text` read as a nameless paste."""
    found = kinds.by_components(_events(folder, PASTE_NAME, text + "\n"))
    return found.name if found else None


def fires(rule: Rule, folder: Path, text: str) -> bool:
    """Whether `rule` fires on `text` read as a nameless paste."""
    path = folder / PASTE_NAME
    path.write_text(text + "\n", encoding="utf-8")
    try:
        outcome = diagnose([str(path)], [rule], unexplained="off")
    finally:
        path.unlink()
    return any(finding.rule.id == rule.id for finding in outcome.findings)


@dataclass
class Outcome:
    paste: Paste
    split: str
    guessed: str | None
    fired: bool | None = None
    """With `measure(fired=True)`: whether the paste's rule fires on it."""

    @property
    def verdict(self) -> str:
        if self.guessed is None:
            return "none"
        return "right" if self.guessed == self.paste.kind else "wrong"


def measure(*, fired: bool = False) -> list[Outcome]:
    """Every distinct paste, its third and the kind guessed for it (and, with
    `fired`, whether the paste's own rule fires on it)."""
    kinds = load_kinds()
    rules = [rule for rule in load_rules([])[0] if not rule.family]
    by_id = {rule.id: rule for rule in rules}
    seen: dict[tuple[str, str, str], Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="smslogdoc-paste-") as name:
        folder = Path(name)
        ordered = sorted(rules, key=lambda rule: (split_of(rule.id) != TUNE, rule.id))  # tune first
        for paste in pastes(ordered, kinds, folder):
            key = (paste.kind, paste.shape, paste.text)
            if key not in seen:
                seen[key] = Outcome(paste, split_of(paste.rule), guess(kinds, folder, paste.text))
                if fired:
                    seen[key].fired = fires(by_id[paste.rule], folder, paste.text)
    return list(seen.values())


def figures(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], Counter[str]]:
    """(third, shape) -> counts of right, wrong and none."""
    table: dict[tuple[str, str], Counter[str]] = {}
    for outcome in outcomes:
        table.setdefault((outcome.split, outcome.paste.shape), Counter())[outcome.verdict] += 1
    return table


def main(argv: list[str]) -> None:
    outcomes = measure(fired="--fires" in argv)
    for (split, shape), counts in sorted(figures(outcomes).items()):
        if split == SET_ASIDE and "--set-aside" not in argv:
            continue  # looked at once, at the end: tuning by its figures would spoil it
        total = sum(counts.values())
        print(
            f"{split:9} {shape} pastes {total:4}: right {counts['right']:4} ({counts['right'] / total:.0%})"
            f"  wrong {counts['wrong']:3} ({counts['wrong'] / total:.0%})  none {counts['none']:4}"
        )
    for split, shape in [(split, shape) for split in (TUNE, SET_ASIDE) for shape in ("log", "line")]:
        tried = [o for o in outcomes if o.split == split and o.paste.shape == shape and o.fired is not None]
        if tried and (split == TUNE or "--set-aside" in argv):
            print(
                f"{split:9} {shape} pastes whose own rule fires: {sum(bool(o.fired) for o in tried)} of {len(tried)}"
            )
    if "--misses" in argv:  # the tune third only: the set-aside third is never looked at line by line
        for outcome in outcomes:
            if outcome.split == TUNE and outcome.verdict != "right":
                text = outcome.paste.text.replace("\n", " | ")[:300]
                print(
                    f"{outcome.verdict:5} {outcome.paste.kind} -> {outcome.guessed} [{outcome.paste.shape}] {text}"
                )
            elif outcome.split == TUNE and outcome.fired is False:
                text = outcome.paste.text.replace("\n", " | ")[:300]
                print(f"nofire {outcome.paste.rule} [{outcome.paste.kind}] {text}")


if __name__ == "__main__":
    main(sys.argv[1:])
