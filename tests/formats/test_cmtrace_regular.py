"""The fast path of the CMTrace reader (`formats.cmtraceregular`) gives the
same events and problems as the careful reader alone: on every sample and
real log, every rule example, and mutated copies of them, read in small
chunks and with a small record cap so that the rare cases are met often."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from smslogdoc.formats import cmtrace
from smslogdoc.formats.cmtraceregular import Regular
from smslogdoc.model import Event
from smslogdoc.rules.load import load_rules
from tests.conftest import REAL_LOGS, SAMPLES
from tests.formats.fastpath import events, mutated

MUTATIONS = 60


def texts() -> Iterator[tuple[str, bytes]]:
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and b"<![LOG[" in path.read_bytes():
            yield path.name, path.read_bytes()
    if REAL_LOGS.is_dir():
        for path in sorted(REAL_LOGS.rglob("*")):
            if path.is_file() and b"<![LOG[" in path.read_bytes():
                yield path.name, path.read_bytes()
    rules, _ = load_rules([])
    for rule in rules:
        for example in rule.examples:
            for name, text in example.files:
                if "<![LOG[" in text:
                    yield f"{rule.id}/{name}", text.encode("utf-8")


PIECES = (b"\r", b"\n", b"\r\n", b"\x00", b'"', b"<![LOG[", b"]LOG]!>", b"<", b">", b" x=", b"\xff")
"""What this format's damaged copies get inserted."""


def careful(self: Regular, reader: object, buf: str, pos: int, end: int) -> Iterator[Event]:
    return pos  # type: ignore[return-value]  # a generator that yields nothing
    yield


def compare(data: bytes, monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    fast = events(data, cap)
    with monkeypatch.context() as patched:
        patched.setattr(Regular, "records", careful)
        slow = events(data, cap)
    assert fast == slow


@pytest.mark.parametrize("chunk", [cmtrace.CHUNK, 97])
def test_the_fast_path_reads_every_log_as_the_careful_reader(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(cmtrace, "CHUNK", chunk)
    for _, data in texts():
        compare(data, monkeypatch, 1 << 20)
        compare(data, monkeypatch, 120)


@pytest.mark.slow
def test_the_fast_path_reads_damaged_logs_as_the_careful_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cmtrace, "CHUNK", 211)
    rng = random.Random(7)
    inputs = [data for _, data in texts()]
    for _ in range(MUTATIONS * 10):
        data = mutated(rng.choice(inputs), rng, PIECES)
        compare(data, monkeypatch, rng.choice([1 << 20, 150]))


def test_the_fast_path_is_taken(tmp_path: Path) -> None:
    record = '<![LOG[hello]LOG]!><time="15:10:29.068+00" date="02-04-2020" component="c" context="" type="3" thread="7" file="f.cpp:1">\r\n'
    reader_calls: list[int] = []
    original = Regular.records

    def counting(self: Regular, reader: object, buf: str, pos: int, end: int) -> Iterator[Event]:
        reader_calls.append(pos)
        return original(self, reader, buf, pos, end)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(Regular, "records", counting)
        found, problems = events((record * 50).encode(), 1 << 20)
    assert len(found) == 50 and problems == []
    assert reader_calls == [0]  # one run of 50 regular records, read by the fast path
