"""The bugs the flat layout let through (issue 10), each fixed where the layout
now puts it: one guard for the full and the scanned read, decoding counted per
file, a CMTrace bias out of range, and the `--tz` zone given in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.formats import cmtrace
from smslogdoc.inputs.paths import collect
from smslogdoc.model import Event
from smslogdoc.read import scan
from smslogdoc.read.full import ReadOptions, read_log
from smslogdoc.rules.load import load_rules
from smslogdoc.times import offset_zone
from tests.conftest import SAMPLES

RULES, _ = load_rules([])


def _scanned_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "MIN_SIZE", 0)


def _boom(self: object, text: str, first_line: int) -> object:
    raise RuntimeError("parser bug")


def test_a_parser_bug_in_a_scanned_log_is_one_problem_and_the_other_logs_are_still_diagnosed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanned = tmp_path / "a" / "ccmsetup.log"
    scanned.parent.mkdir()
    scanned.write_bytes((SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log").read_bytes())
    other = tmp_path / "b" / "smsapm32.log"  # SMS trace: its layout is not the broken one
    other.parent.mkdir()
    other.write_bytes((SAMPLES / "smsapm32-error-1317-lockout" / "smsapm32.log").read_bytes())
    _scanned_everything(monkeypatch)
    monkeypatch.setattr(cmtrace.ByteLayout, "parse", _boom)
    outcome = diagnose([str(tmp_path)], RULES)
    (report,) = [r for r in outcome.files if r.path.endswith("ccmsetup.log")]
    assert [p.message for p in report.problems] == [
        "internal error while parsing (RuntimeError: parser bug); rest of the file not read"
    ]
    assert "apm-error-1317-token-account-lockout" in [f.rule.id for f in outcome.findings]


def test_a_parser_bug_in_a_full_read_is_the_same_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "ccmsetup.log"
    log.write_bytes((SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log").read_bytes())

    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(cmtrace.Reader, "records", explode)
    outcome = diagnose([str(log)], RULES)
    assert [p.message for p in outcome.files[0].problems] == [
        "internal error while parsing (RuntimeError: parser bug); rest of the file not read"
    ]


def test_encoding_labels_belong_to_each_file_when_files_are_read_interleaved(tmp_path: Path) -> None:
    clean = tmp_path / "clean.log"
    clean.write_bytes(
        '<![LOG[caf\u00e9 ok]LOG]!><time="10:00:00.000+0" date="01-02-2024" component="c" context="" type="1" thread="1" file="">\r\n'.encode()
    )
    dirty = tmp_path / "dirty.log"
    record = '<![LOG[{}]LOG]!><time="10:00:00.000+0" date="01-02-2024" component="c" context="" type="1" thread="1" file="">\r\n'
    # UTF-8 as far as the encoding sniff reads, then one stray Windows-1252 byte
    dirty.write_bytes(
        record.format("caf\u00e9").encode() * 2000
        + record.format("bad \udce9 byte").encode("utf-8", "surrogateescape")
    )
    logs = collect([str(clean), str(dirty)], [])
    first, second = (read_log(log) for log in logs)
    next(first)  # the clean file is open and decoded ...
    list(second)  # ... while the other one decodes a byte as Windows-1252
    list(first)
    assert [report.encoding for log in logs for report in log.reports] == ["utf-8", "utf-8+cp1252"]


def test_a_cmtrace_bias_out_of_range_reads_as_local_time_and_the_file_goes_on(tmp_path: Path) -> None:
    log = tmp_path / "ccmsetup.log"
    log.write_text(
        '<![LOG[first]LOG]!><time="10:00:00.000+9999" date="02-04-2020" component="ccmsetup" context="" type="1" thread="1" file="">\n'
        '<![LOG[odd header]LOG]!><time="10:00:00.500-99999" component="ccmsetup" date="02-04-2020" type="1" thread="1">\n'
        '<![LOG[second]LOG]!><time="10:00:01.000+60" date="02-04-2020" component="ccmsetup" context="" type="1" thread="1" file="">\n',
        encoding="utf-8",
    )
    (found,) = collect([str(log)], [])
    events = list(read_log(found))
    assert [e.message for e in events] == ["first", "odd header", "second"]
    assert events[0].time is not None and events[0].time.tzinfo is None
    assert events[1].time is not None and events[1].time.tzinfo is None
    assert events[2].time is not None and events[2].time.utcoffset() is not None
    assert [p.message for p in found.reports[0].problems] == [
        "time zone bias out of range in time='10:00:00.000+9999'; such times are read as local time, zone unknown"
    ]


@pytest.mark.parametrize("sparse", [False, True])
def test_the_tz_zone_is_given_the_same_way_in_a_full_and_a_scanned_read(
    sparse: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "MIN_SIZE", 0 if sparse else 1 << 62)
    zone = offset_zone(60)
    outcome = diagnose([str(SAMPLES / "smsapm32-error-1317-lockout")], RULES, options=ReadOptions(zone=zone))
    times = [item.time for finding in outcome.findings for item in finding.evidence]
    assert times and all(when is not None and when.tzinfo is zone for when in times)


def test_events_of_a_full_read_carry_the_zone_once(tmp_path: Path) -> None:
    zone = offset_zone(-300)
    (found,) = collect([str(SAMPLES / "smsapm32-error-1317-lockout")], [])
    events: list[Event] = list(read_log(found, ReadOptions(zone=zone)))
    assert events and all(e.time is None or e.time.tzinfo is zone for e in events)
