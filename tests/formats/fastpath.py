"""What the tests of the readers' fast paths (`test_cmtrace_regular`,
`test_smstrace_regular`) share: damaged copies of a log and the events a
reader makes of its bytes."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from smslogdoc.model import Event, FileReport
from smslogdoc.read.full import ReadOptions, read_stream


def mutated(data: bytes, rng: random.Random, pieces: Sequence[bytes]) -> bytes:
    """A copy with a few edits of the kinds real damage and pastes make: one
    of the format's own `pieces` inserted, a few bytes cut, a stretch repeated."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) + 1)
        choice = rng.random()
        if choice < 0.4:
            out[at:at] = rng.choice(pieces)
        elif choice < 0.7:
            del out[at : at + rng.randint(1, 12)]
        else:
            out[at:at] = out[rng.randrange(len(out) + 1) :][: rng.randint(1, 400)]
    return bytes(out)


def events(data: bytes, cap: int) -> tuple[list[Event], list[str]]:
    """The events and the problems of reading `data` with a record cap of `cap`."""
    report = FileReport("x.log")
    found = list(read_stream(io.BytesIO(data), report, ReadOptions(record_cap=cap)))
    return found, [str(problem) for problem in report.problems]
