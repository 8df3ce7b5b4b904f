"""The fast path of the SMS trace reader (`formats.smstrace._records`: a
regular line read by one match) gives the same events and problems as the
line assembler alone: on every sample and real log, every rule example, and
mutated copies of them, with a small record cap too so that the rare cases
are met often."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from smslogdoc.formats import smstrace
from smslogdoc.model import Event
from smslogdoc.rules.load import load_rules
from tests.conftest import REAL_LOGS, SAMPLES
from tests.formats.fastpath import events, mutated

MUTATIONS = 60
LINE = "IPC SERVER  : Refcount now 2~  $$<APM><{stamp}><thread=6848 (0x1AC0)>\r\n"


def texts() -> Iterator[bytes]:
    for root in (SAMPLES, REAL_LOGS):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and b"$$<" in path.read_bytes():
                    yield path.read_bytes()
    rules, _ = load_rules([])
    for rule in rules:
        for example in rule.examples:
            for _, text in example.files:
                if "$$<" in text:
                    yield text.encode("utf-8")


PIECES = (b"\r", b"\n", b"\r\n", b"\x00", b"$$<", b"$", b"&", b"~", b"<", b">", b"<thread=", b"\xff")
"""What this format's damaged copies get inserted."""


def compare(data: bytes, monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    fast = events(data, cap)
    with monkeypatch.context() as patched:
        patched.setattr(smstrace, "_REGULAR", re.compile(r"(?!)"))  # no line is regular: all careful
        slow = events(data, cap)
    assert fast == slow


def test_the_fast_path_reads_every_log_as_the_careful_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    for data in texts():
        compare(data, monkeypatch, 1 << 20)
        compare(data, monkeypatch, 120)


def test_odd_stamps_read_as_the_careful_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    stamps = [
        "Tue Mar 06 08:00:00.034 2001",
        "Tue Mar 06 08:00:00.0x4 2001",
        "Tue Mar 06 08:00:00. 12 2001",
        "Tue Mar 06 08:00:00.-12 2001",
        "Fri Feb 30 08:00:00.034 2001",
        "Tue Mar 06 25:00:00.034 2001",
        "Tue Xyz 06 08:00:00.034 2001",
        "Tue May 16 13:17:10.804 2000 Eastern Standard Time",
        "06-07-2015 13:11:09.448-600",
        "",
    ]
    data = "".join(LINE.format(stamp=stamp) for stamp in [*stamps, *stamps]).encode()
    compare(data, monkeypatch, 1 << 20)


@pytest.mark.slow
def test_the_fast_path_reads_damaged_logs_as_the_careful_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    inputs = list(texts())
    for _ in range(MUTATIONS * 10):
        compare(mutated(rng.choice(inputs), rng, PIECES), monkeypatch, rng.choice([1 << 20, 150]))


def test_the_fast_path_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    careful: list[int] = []
    original = smstrace.assemble

    def counting(*args: object, **kwargs: object) -> Iterator[Event]:
        careful.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(smstrace, "assemble", counting)
    found, problems = events(LINE.format(stamp="Tue Mar 06 08:00:00.034 2001").encode() * 50, 1 << 20)
    assert len(found) == 50 and problems == []
    assert careful == []  # every line read by the fast path
