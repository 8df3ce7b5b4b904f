"""Every real log in ../shared/real-logs reads completely: no unparsed record,
as many records as the file holds, and times in the right zone.

The expected counts are not typed in: each comes from an independent count of
the raw file (a CMTrace record has exactly one `]LOG]!>` end marker, an SMS
trace record one `$$<` trailer) or from SOURCES.md, which documents the corpus.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import REAL_LOGS, needs_real_logs, read_path, real_log

pytestmark = needs_real_logs


def corpus() -> list[Path]:
    if not REAL_LOGS.is_dir():
        return []
    files = [p for p in REAL_LOGS.iterdir() if p.is_file() and p.suffix == ".log"]
    files += [p for p in (REAL_LOGS / "excerpts").iterdir() if p.is_file()]
    return sorted(files)


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_no_real_log_leaves_anything_unparsed(path: Path) -> None:
    events, reports = read_path(path)
    assert events, "every real log has records"
    unparsed = [e for e in events if e.format == "unparsed"]
    assert unparsed == []
    assert all(not report.skipped for report in reports)


@pytest.mark.parametrize("path", [p for p in corpus() if p.suffix == ".log"], ids=lambda p: p.name)
def test_cmtrace_record_count_matches_the_end_markers(path: Path) -> None:
    raw = path.read_bytes()
    events, _ = read_path(path)
    assert len(events) == raw.count(b"]LOG]!>")
    assert events[-1].end_line == len(re.findall(rb"\r\n|\r|\n", raw)) + (
        0 if raw.endswith((b"\n", b"\r")) else 1
    )


@pytest.mark.parametrize(
    ("name", "records"),
    [  # record counts stated in ../shared/real-logs/SOURCES.md
        ("findingsanity-Logs__UpdatesHandler.log", 10),
        ("findingsanity-Logs__UpdatesStore.log", 412),
        ("findingsanity-Logs__WUAHandler.log", 26),
        ("brackdk04-hello-world__smsts.log", 881),
        ("maxmoonACR-MDTLOGFiles__smsts.log", 894),
        ("maxmoonACR-MDTLOGFiles__BDD.log", 1393),
    ],
)
def test_record_counts_documented_in_sources(name: str, records: int) -> None:
    events, _ = read_path(real_log(name))
    assert len(events) == records


def test_overwritten_records_in_a_real_smsts_log_are_kept_and_reported() -> None:
    """5,939 records begin with <![LOG[; five more lost their start to a concurrent writer."""
    path = real_log("ErnestoLeon87-log_reader__smsts.log")
    events, (report,) = read_path(path)
    assert path.read_bytes().count(b"<![LOG[") == 5939
    assert len(events) == 5944
    assert [p.message for p in report.problems] == [
        "record without its start (overwritten by another writer); kept from mid-message"
    ] * 5


@pytest.mark.parametrize(
    "name",
    [
        p.name
        for p in corpus()
        if p.suffix == ".excerpt" and b"$$" in p.read_bytes() and b"<![LOG[" not in p.read_bytes()
    ],
)
def test_sms_trace_record_count_matches_the_trailers(name: str) -> None:
    path = real_log(name)
    events, _ = read_path(path)
    assert sum(1 for e in events if e.format == "smstrace") == len(re.findall(rb"\$\$&?<", path.read_bytes()))


@pytest.mark.parametrize(
    ("name", "first_time", "offset_hours"),
    [
        # bias +240 on 07-14-2021; the uploader's commit is -0400: US Eastern daylight time
        ("findingsanity-Logs__UpdatesDeployment.log", datetime(2021, 7, 14, 8, 52, 46, 657000), -4),
        # Virginia (the DP host is SCCM.University.liberty.edu), October: EDT
        ("ErnestoLeon87-log_reader__smsts.log", None, -4),
        # WinPE's default zone is Pacific: bias +480
        ("brackdk04-hello-world__smsts.log", None, -8),
        # Melbourne, June (AEST): -600
        (
            "tyang-blog__ccm.log-and-UpdatesDeployment.log.excerpt",
            datetime(2015, 6, 7, 13, 11, 9, 448000),
            10,
        ),
        ("MSQnA__smsts.log.excerpt", datetime(2022, 9, 7, 10, 35, 33, 39000), 1),
        ("DriverAutomationTool-issue21__smsts.log.excerpt", datetime(2020, 5, 4, 15, 0, 59, 48000), 2),
        ("ps-script-comment__ccmsetup.log.excerpt", datetime(2017, 12, 18, 15, 32, 38, 560000), -6),
    ],
)
def test_bias_sign_on_real_logs(name: str, first_time: datetime | None, offset_hours: int) -> None:
    events, _ = read_path(real_log(name))
    first = events[0]
    assert first.time is not None
    assert first.time.utcoffset() == timedelta(hours=offset_hours)
    if first_time is not None:
        assert first.time.replace(tzinfo=None) == first_time


def test_india_half_hour_bias_in_plaso_fixture() -> None:
    events, _ = read_path(real_log("plaso__sccm_various.log"))
    offsets = {e.time.utcoffset() for e in events if e.time is not None and e.time.tzinfo is not None}
    assert timedelta(hours=5, minutes=30) in offsets  # -330 is UTC+05:30, not -06:30
    assert timedelta(hours=1) in offsets and timedelta(hours=-8) in offsets
    assert any(
        e.time is not None and e.time.tzinfo is None and e.time.microsecond == 842296 for e in events
    )  # .8422964, no bias


def test_zone_name_offset_agrees_with_the_records_own_gmt_stamp() -> None:
    """KB Q303279: a STATMSG carries GMTDATE; the trailer says 'Central Standard Time'."""
    (record,) = [
        e
        for e in read_path(real_log("kbarchive-Q303279__sinvproc.log.statmsg.excerpt"))[0]
        if e.format == "smstrace"
    ]
    gmt = re.search(r"GMTDATE=\w{3} (\w{3} \d+ [\d:.]+ \d{4})", record.message)
    assert gmt is not None
    assert record.time is not None
    assert record.time.astimezone(UTC).replace(tzinfo=None) == datetime.strptime(
        gmt[1], "%b %d %H:%M:%S.%f %Y"
    )


def test_mdt_bias_is_treated_as_unknown() -> None:
    events, _ = read_path(real_log("maxmoonACR-MDTLOGFiles__BDD.log"))
    assert all(e.time is not None and e.time.tzinfo is None for e in events)
    assert any("\r" in e.message for e in events)  # bare CR inside messages are kept
