"""Shared test helpers: where the sample and real logs are, and a way to parse
text written on the fly."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from smslogdoc.inputs import collect
from smslogdoc.model import Event, FileReport
from smslogdoc.reader import ReadOptions, read_log

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_logs"
REAL_LOGS = Path(os.environ.get("SMSLOGDOC_REAL_LOGS", REPO.parent / "shared" / "real-logs"))
"""Real logs written by real systems; not part of the repository (no licence),
so tests that need them skip when they are absent."""

needs_real_logs = pytest.mark.skipif(not REAL_LOGS.is_dir(), reason="../shared/real-logs is not present")


def real_log(name: str) -> Path:
    """A file of the real-log corpus (top level or excerpts/)."""
    for candidate in (REAL_LOGS / name, REAL_LOGS / "excerpts" / name):
        if candidate.exists():
            return candidate
    pytest.skip(f"real log {name} is not present")


def read_path(path: Path | str, **options: object) -> tuple[list[Event], list[FileReport]]:
    """All events of the logs under `path`, and the reports of their files."""
    problems: list = []
    events: list[Event] = []
    reports: list[FileReport] = []
    for log in collect([str(path)], problems):
        events.extend(read_log(log, ReadOptions(**options)))  # type: ignore[arg-type]
        reports.extend(log.reports)
    return events, reports


Parse = Callable[..., list[Event]]


@pytest.fixture
def parse_text(tmp_path: Path) -> Parse:
    """Write `content` (str, written as UTF-8 unless bytes) to a file and parse it."""

    def parse(content: str | bytes, name: str = "test.log", **options: object) -> list[Event]:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        events, reports = read_path(path, **options)
        parse.reports = reports  # type: ignore[attr-defined]
        return events

    return parse
