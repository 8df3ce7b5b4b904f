"""Sparse reading of large logs gives the same diagnosis as reading every record.

`scan` reads only the records the rules can use in files of at least
`scan.MIN_SIZE` bytes. Here that threshold is lowered (to every file) or raised
(to none) and the two outcomes must be equal: findings, file reports, problems.
Small record caps make small logs span many scan blocks.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.inputs.paths import collect
from smslogdoc.kinds import load_kinds
from smslogdoc.model import ThreadNote
from smslogdoc.read import helper as helper_module
from smslogdoc.read import plan, scan, scanner
from smslogdoc.read.full import ReadOptions
from smslogdoc.report import jsondoc as report
from smslogdoc.report.document import report_of
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.model import LogScope, Rule
from smslogdoc.rules.schema import parse_rule
from tests.conftest import REAL_LOGS, SAMPLES, needs_real_logs

RULES, _ = load_rules([])
SMALL_BLOCKS = ReadOptions(record_cap=128 << 10)
"""Scan blocks of 64 KiB: a log of a few hundred KiB is many blocks."""


def outcome(
    paths: list[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    sparse: bool,
    rules: list[Rule] = RULES,
    options: ReadOptions = SMALL_BLOCKS,
    segment: int = 3,
    helper: bool = False,
) -> str:
    monkeypatch.setattr(scan, "MIN_SIZE", 0 if sparse else 1 << 62)
    monkeypatch.setattr(scan, "SEGMENT_BLOCKS", segment)  # hand spans on every few blocks, as in a large file
    monkeypatch.setattr(scan, "HELPER_SEGMENT_BLOCKS", segment)
    monkeypatch.setattr(scan, "HELPER_SIZE", 0 if helper else 1 << 62)
    result = diagnose(paths, rules, options=options, jobs=2 if helper else 1)
    out = io.StringIO()
    report.write(report_of(result), out, Options())
    return out.getvalue()


def same_both_ways(paths: list[str], monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> str:
    full = outcome(paths, monkeypatch, sparse=False, **kwargs)  # type: ignore[arg-type]
    sparse = outcome(paths, monkeypatch, sparse=True, **kwargs)  # type: ignore[arg-type]
    assert sparse == full
    return full


def examples(file_name: str) -> list[str]:
    """The texts the bundled rules' `fire` examples give for `file_name`."""
    return [
        text
        for rule in RULES
        for example in rule.examples
        if example.expect == "fire"
        for name, text in example.files
        if name == file_name
    ]


def crlf(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\n", "\r\n")


def large_log(pieces: list[str], repeat: int, thread: re.Pattern[str], form: str) -> str:
    """`pieces` over and over, each copy with its thread ids moved (from a small
    pool, so ids come back as on Windows)."""
    out = []
    for copy in range(repeat):
        for number, piece in enumerate(pieces):
            shift = 4 * ((copy * 7 + number) % 23)
            out.append(thread.sub(lambda m, s=shift: form.format(int(m[1]) + s), crlf(piece)))
    return "".join(out)


CM_THREAD = re.compile(r'thread="(\d+)"')
SMS_THREAD = re.compile(r"<thread=(\d+) \(0x[0-9A-Fa-f]+\)>")


@pytest.fixture(scope="module")
def big_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ccmsetup.log, an execmgr.log and an smsapm32.log of many scan blocks:
    the samples' runs and every failure the rules' examples show, repeated."""
    root = tmp_path_factory.mktemp("big")
    sources = {
        "ccmsetup.log": (
            [
                "ccmsetup-healthy",
                "ccmsetup-noservice-healthy",
                "ccmsetup-service-cannot-access-source",
                "push-no-management-point",
            ],
            CM_THREAD,
            'thread="{}"',
        ),
        "execmgr.log": (
            ["execmgr-healthy", "execmgr-network-access-denied", "execmgr-local-program-fails"],
            CM_THREAD,
            'thread="{}"',
        ),
        "smsapm32.log": (
            ["smsapm32-healthy", "smsapm32-error-1317-lockout"],
            SMS_THREAD,
            "<thread={0} (0x{0:X})>",
        ),
    }
    for name, (folders, thread, form) in sources.items():
        pieces = [(SAMPLES / folder / name).read_text(encoding="utf-8") for folder in folders] + examples(
            name
        )
        text = large_log(
            [p for p in pieces if ("<![LOG[" in p) == (name != "smsapm32.log")], 12, thread, form
        )
        (root / name).write_text(
            "\ufeff" + text if name != "smsapm32.log" else text, encoding="utf-8", newline=""
        )
    return root


def test_sparse_reading_gives_the_same_diagnosis_on_every_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        same_both_ways([str(folder)], monkeypatch)


@pytest.mark.slow
@needs_real_logs
def test_sparse_reading_gives_the_same_diagnosis_on_the_real_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    same_both_ways([str(REAL_LOGS)], monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ccmsetup.log", "execmgr.log", "smsapm32.log"])
def test_sparse_reading_gives_the_same_diagnosis_on_large_logs(
    big_logs: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = same_both_ways([str(big_logs / name)], monkeypatch)
    assert '"status": "confirmed"' in full  # the failures are found, not only matched silence


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ccmsetup.log", "execmgr.log", "smsapm32.log"])
def test_a_helper_process_that_scans_gives_the_same_diagnosis(
    big_logs: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = outcome([str(big_logs / name)], monkeypatch, sparse=False)
    assert outcome([str(big_logs / name)], monkeypatch, sparse=True, helper=True) == full


@pytest.mark.slow
def test_a_helper_process_hands_on_what_it_scanned_and_stops_at_damage(
    big_logs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (big_logs / "ccmsetup.log").read_bytes()
    at = data.index(b"]LOG]!>", len(data) * 2 // 3)
    damaged = tmp_path / "ccmsetup.log"
    damaged.write_bytes(data[:at] + b"\x00" * 40 + data[at:])
    full = outcome([str(damaged)], monkeypatch, sparse=False)
    assert outcome([str(damaged)], monkeypatch, sparse=True, helper=True) == full


@pytest.mark.slow
@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the stand-in helper must be inherited by the child"
)
def test_a_helper_process_that_dies_leaves_the_rest_to_a_full_read(
    big_logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies_after_one(setup: scanner.Setup, sending: Connection) -> None:
        with setup.path.open("rb") as raw:
            sending.send(next(scanner.passes(setup.scanner(raw), setup.blocks)))
        os._exit(1)  # no goodbye: the pipe just closes

    path = str(big_logs / "ccmsetup.log")
    full = outcome([path], monkeypatch, sparse=False)
    monkeypatch.setattr(helper_module, "_helper", dies_after_one)
    assert outcome([path], monkeypatch, sparse=True, helper=True) == full


def test_sparse_reading_skips_most_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: in a log of healthy runs, a fraction of the records are parsed."""
    healthy = (SAMPLES / "ccmsetup-healthy" / "ccmsetup.log").read_text(encoding="utf-8")
    path = tmp_path / "ccmsetup.log"
    path.write_text(large_log([healthy], 40, CM_THREAD, 'thread="{}"'), encoding="utf-8", newline="")
    monkeypatch.setattr(scan, "MIN_SIZE", 0)
    monkeypatch.setattr(scan, "SEGMENT_BLOCKS", 2)
    (log,) = collect([str(path)], [])
    needs = plan.plan(RULES, LogScope("ccmsetup", "ccmsetup.log"), load_kinds().get("ccmsetup"))
    assert needs is not None and needs.starts  # ccmsetup runs own their threads
    items = list(scan.read_log(log, needs, SMALL_BLOCKS))
    events = [item for item in items if not isinstance(item, ThreadNote)]
    assert any(isinstance(item, ThreadNote) for item in items)
    assert log.reports[0].events == 40 * healthy.count("<![LOG[")
    assert 0 < len(events) < log.reports[0].events / 4


@pytest.mark.slow
@pytest.mark.parametrize(
    ("damage", "before", "why"),
    [
        (b"\x00" * 40, b"]LOG]!>", "NUL bytes"),
        (b"a lone\rcarriage return", b"]LOG]!>", "a lone CR"),
        ("a Kelvin sign \u212a".encode(), b"]LOG]!>", "a character whose lower case is ASCII"),
        (b"\xff\xfe not UTF-8", b"]LOG]!>", "bytes that are not UTF-8"),
        (b"]LOG]!> a stray end marker", b"]LOG]!>", "a stray end marker"),
        (b"<![LOG[ a stray start marker", b"]LOG]!>", "a stray start marker"),
        (
            b'<1" thread="3024" file="ccmsetup.cpp:5963">\r\n',
            b"\n<![LOG[",
            "text between records that ends like a header",
        ),
        (
            b'=etup.cpp:4114">\r\n<![LOG[q]LOG]!><time="08:44:37.900+300" date="11-15-2022" component="c" context="" type="1" thread',
            b'thread="',
            "a header that lost a quote (found by fuzz_scan)",
        ),
    ],
)
def test_an_irregular_stretch_is_read_in_full(
    big_logs: Path, tmp_path: Path, damage: bytes, before: bytes, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage half-way: the file is scanned up to the segment holding it, read in
    full from there, and the damage is reported as a full read reports it."""
    data = (big_logs / "ccmsetup.log").read_bytes()
    at = data.index(before, len(data) * 2 // 3) + {b"\n<![LOG[": 1, b'thread="': len("thread")}.get(before, 0)
    damaged = tmp_path / "ccmsetup.log"
    damaged.write_bytes(data[:at] + damage + data[at:])
    same_both_ways([str(damaged)], monkeypatch)
    (log,) = collect([str(damaged)], [])
    needs = plan.plan(RULES, LogScope("ccmsetup", "ccmsetup.log"), load_kinds().get("ccmsetup"))
    assert needs is not None
    events = [item for item in scan.read_log(log, needs, SMALL_BLOCKS) if not isinstance(item, ThreadNote)]
    assert len(events) < log.reports[0].events, why  # the start was scanned, not read in full


def test_a_rule_that_needs_every_record_means_no_scan() -> None:
    every, errors = parse_rule(
        """
        id: warnings
        title: many warnings
        severity: info
        events:
          warning: {severity: warning}
        condition: {count: [warning], min: 50}
        diagnosis: many warnings
        fix: [read them]
        """.replace("\n        ", "\n"),
        "<test>",
    )
    assert errors == [] and every is not None
    kind = load_kinds().get("ccmsetup")
    assert plan.plan([*RULES, every], LogScope("ccmsetup", "ccmsetup.log"), kind) is None
    assert plan.plan(RULES, LogScope("ccmsetup", "ccmsetup.log"), kind) is not None


@pytest.mark.parametrize("segment", [1, 3])
def test_a_reach_across_scan_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, segment: int) -> None:
    """`failure, then Next retry` (an adjacent pair) where a scan block (and with
    one-block segments, a segment) starts at the retry: the failure it needs is
    in the block before."""
    (retry,) = [
        text
        for rule in RULES
        if rule.id == "ccmsetup-download-retry-loop"
        for example in rule.examples
        if example.expect == "fire"
        for name, text in example.files
        if name == "ccmsetup.log" and "Failed to download files through BITS" in text
    ]
    records = ["<![LOG[" + part for part in crlf(retry).split("<![LOG[")[1:]]
    last = records.pop()  # Next retry in 10 minute(s)...
    block = SMALL_BLOCKS.record_cap // 2
    filler = '<![LOG[File download {}% complete.]LOG]!><time="14:02:15.000+240" date="05-17-2022" component="ccmsetup" context="" type="0" thread="7044" file="ccmsetup.cpp:1">\r\n'
    before = "".join(records)
    body = ""
    while block - 10 - len(before) - len(body) > 2 * len(filler):
        body += filler.format(len(body) % 97)
    short = block - 10 - len(before) - len(body) - len(filler.format(""))
    body += filler.format("x" * short)  # the retry record starts 10 bytes before the block ends
    text = records[0] + body + "".join(records[1:]) + last + filler.format(100) * 50
    assert text.index(last) == block - 10
    log = tmp_path / "ccmsetup.log"
    log.write_text(text, encoding="utf-8", newline="")
    full = same_both_ways([str(log)], monkeypatch, segment=segment)
    assert "ccmsetup-download-retry-loop" in full and "Failed to download files through BITS" in full
