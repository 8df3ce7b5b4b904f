"""Shared test helpers: where the sample and real logs are, and a way to parse
text written on the fly."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from smslogdoc.inputs.paths import collect
from smslogdoc.model import Event, FileReport
from smslogdoc.read.full import ReadOptions, read_log

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


@dataclass
class Result:
    """What a command printed and how it ended."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def stdout_bytes(self) -> bytes:
        return self.stdout.encode("utf-8")


def invoke(args: Sequence[str], *, input: str | None = None, env: Mapping[str, str] | None = None) -> Result:
    """Run the command line in this process, as from a shell whose standard
    input is `input` (not a terminal) and whose output goes to pipes."""
    from smslogdoc.cli import main

    streams = (
        io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8"),
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8"),
    )
    saved = sys.stdin, sys.stdout, sys.stderr
    saved_env = {name: os.environ.get(name) for name in env or {}}
    sys.stdin, sys.stdout, sys.stderr = streams
    os.environ.update(env or {})
    try:
        code = main(list(args))
        texts = []
        for stream in streams[1:]:
            if stream.closed:  # a broken pipe closes stderr
                texts.append("")
                continue
            stream.flush()
            texts.append(stream.buffer.getvalue().decode("utf-8"))  # type: ignore[attr-defined]
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return Result(code, texts[0], texts[1])


def pasted_findings(text: str) -> list[dict[str, object]]:
    """The findings of `diagnose -` on `text` piped in (its JSON document's list)."""
    result = invoke(["diagnose", "-", "--format", "json"], input=text + "\n")
    return list(json.loads(result.stdout)["findings"])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the golden outputs under tests/golden/ (tests/goldens.py), then review `git diff tests/golden`",
    )
