"""CMTrace records: the native shape and every tolerance real writers need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smslogdoc.model import Severity
from tests.conftest import Parse


def rec(
    message: str,
    *,
    time: str = "15:10:29.068+00",
    date: str = "02-04-2020",
    component: str = "ccmsetup",
    type_: str = "1",
    thread: str = "3396",
    file: str = "ccmsetup.cpp:9498",
    context: str = "",
) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="{time}" date="{date}" component="{component}" context="{context}" '
        f'type="{type_}" thread="{thread}" file="{file}">'
    )


def test_native_record_gives_every_field(parse_text: Parse) -> None:
    (event,) = parse_text(rec("==========[ ccmsetup started in process 476 ]==========") + "\r\n")
    assert event.message == "==========[ ccmsetup started in process 476 ]=========="
    assert event.component == "ccmsetup"
    assert event.severity is Severity.INFO
    assert event.thread == 3396
    assert event.file == "ccmsetup.cpp:9498"
    assert event.format == "cmtrace"
    assert (event.line, event.end_line) == (1, 1)
    assert event.time == datetime(2020, 2, 4, 15, 10, 29, 68000, UTC)


def test_thread_ids_are_ascii_numbers(parse_text: Parse) -> None:
    """`²` and `٣` pass str.isdigit; int() refuses the first. Neither is a thread id."""
    events = parse_text("".join(rec(f"m{t}", thread=t) + "\r\n" for t in ("12", "²", "٣", "0x1F", "")))
    assert [e.thread for e in events] == [12, None, None, None, None]


def test_types_map_to_severities(parse_text: Parse) -> None:
    events = parse_text("".join(rec(f"m{t}", type_=t) + "\r\n" for t in "0123"))
    assert [e.severity for e in events] == [Severity.VERBOSE, Severity.INFO, Severity.WARNING, Severity.ERROR]


def test_bias_is_minutes_west_of_utc(parse_text: Parse) -> None:
    """UTC = local + bias: +240 is UTC-4 (US Eastern daylight), -60 is UTC+1."""
    east, west, half = parse_text(
        rec("a", time="08:52:46.657+240", date="07-14-2021")
        + "\r\n"
        + rec("b", time="22:42:29.600-60", date="10-07-2024")
        + "\r\n"
        + rec("c", time="19:33:19.766-330", date="11-28-2014")
        + "\r\n"
    )
    assert east.time.utcoffset() == timedelta(hours=-4)
    assert east.time.astimezone(UTC) == datetime(2021, 7, 14, 12, 52, 46, 657000, UTC)
    assert west.time.utcoffset() == timedelta(hours=1)
    assert half.time.utcoffset() == timedelta(hours=5, minutes=30)


def test_bias_forms_real_writers_produce(parse_text: Parse) -> None:
    forms = {
        "10:00:00.000+00": timedelta(0),
        "10:00:00.000-60": timedelta(hours=1),
        "10:00:00.000+-420": timedelta(hours=7),  # a PowerShell writer printed '+' and then -420
        "10:00:00.517 600": timedelta(hours=-10),  # a space where the sign should be
        "10:00:00.1234567": None,  # .NET: 7 fraction digits, no bias
    }
    events = parse_text("".join(rec(str(i), time=t, component="Comp") + "\r\n" for i, t in enumerate(forms)))
    assert [e.time.utcoffset() if e.time.tzinfo else None for e in events] == list(forms.values())
    assert events[1].time.microsecond == 0
    assert events[3].time.microsecond == 517000
    assert events[4].time.microsecond == 123456


def test_mdt_constant_plus000_is_local_time(parse_text: Parse) -> None:
    (event,) = parse_text(
        rec("x", time="16:52:13.000+000", date="02-07-2024", component="ZTIGather", thread="") + "\r\n"
    )
    assert event.time == datetime(2024, 2, 7, 16, 52, 13)
    assert event.time.tzinfo is None
    assert event.thread is None


def test_powershell_writers_use_the_iso_sign(parse_text: Parse) -> None:
    psadt4, psadt3 = parse_text(
        rec(
            "[Install] :: Execution failed",
            time="10:51:55.896+60",
            date="5-26-2026",
            component="Start-ADTProcess",
            context="NT AUTHORITY\\SYSTEM",
            file="C:\\Windows\\IMECache\\PSAppDeployToolkit.psm1",
        )
        + "\n"
        + rec(
            "glued",
            time="10:51:21.96460",
            date="5-26-2026",
            component="Execute-Process",
            file="Deploy-Application.ps1",
        )
        + "\n"
    )
    assert psadt4.time.utcoffset() == timedelta(hours=1)
    assert psadt4.time.date() == datetime(2026, 5, 26).date()
    assert psadt3.time.utcoffset() == timedelta(hours=1)
    assert psadt3.time.microsecond == 964000


def test_unpadded_dates_and_empty_messages(parse_text: Parse) -> None:
    event, empty = parse_text(rec("x", date="1-2-2015") + "\n" + rec("") + "\n")
    assert event.time.date() == datetime(2015, 1, 2).date()
    assert empty.message == ""


def test_attributes_in_any_order_and_case_or_missing(parse_text: Parse) -> None:
    text = (
        '<![LOG[reordered]LOG]!><thread="9" component="Comp" date="1-2-2026" time="10:00:00.000+00" type="2">\r\n'
        '<![LOG[upper]LOG]!><TIME="11:16:42.3322734" DATE="1-2-2026" COMPONENT="IntuneManagementExtension" TYPE="3" THREAD="50">\r\n'
        '<![LOG[sparse]LOG]!><time="12:00:00.000+00" date="01-02-2026">\r\n'
    )
    reordered, upper, sparse = parse_text(text)
    assert (reordered.message, reordered.thread, reordered.component, reordered.severity) == (
        "reordered",
        9,
        "Comp",
        Severity.WARNING,
    )
    assert (upper.severity, upper.thread, upper.component) == (
        Severity.ERROR,
        50,
        "IntuneManagementExtension",
    )
    assert upper.time is not None and upper.time.microsecond == 332273
    assert sparse.component == "" and sparse.thread is None and sparse.time is not None
    assert [e.line for e in (reordered, upper, sparse)] == [1, 2, 3]
    assert not parse_text.reports[0].problems  # type: ignore[attr-defined]


def test_line_breaks_inside_messages_are_kept_and_counted(parse_text: Parse) -> None:
    text = (
        rec("first\r\nsecond\r\n  third")
        + "\r\n"
        + rec("lf\ninside")
        + "\r\n"
        + rec("bare\rcr")
        + "\r\n"
        + rec("after")
        + "\r\n"
    )
    crlf, lf, cr, after = parse_text(text)
    assert crlf.message == "first\r\nsecond\r\n  third"
    assert (crlf.line, crlf.end_line) == (1, 3)
    assert (lf.line, lf.end_line) == (4, 5)
    assert (cr.line, cr.end_line) == (6, 7)
    assert cr.message == "bare\rcr"
    assert (after.line, after.end_line) == (8, 8)


def test_a_line_break_inside_a_native_header_is_counted(parse_text: Parse) -> None:
    """Found by differential fuzzing: the line numbers after such a record were one short."""
    broken = rec("first", component="ccmse\r\ntup")
    events = parse_text(broken + "\r\n" + rec("second") + "\r\n")
    assert [(e.line, e.end_line) for e in events] == [(1, 2), (3, 3)]


def test_leading_spaces_of_a_message_are_kept(parse_text: Parse) -> None:
    (event,) = parse_text(rec("                  server.dmz") + "\r\n")
    assert event.message == "                  server.dmz"


def test_header_broken_over_lines(parse_text: Parse) -> None:
    """A record pasted into slides: the header wraps onto further lines."""
    text = (
        "<![LOG[Receive task from server with pushid=12, taskid=16,\n"
        'tasktype=15]LOG]!>\n<time="22:42:29.600-60" date="10-07-2024" component="BgbAgent" context="" type="1"\n'
        'thread="3008" file="bgbconnector.cpp:386">\n'
    )
    (event,) = parse_text(text)
    assert event.component == "BgbAgent" and event.thread == 3008
    assert (event.line, event.end_line) == (1, 4)


def test_record_cut_off_mid_header_at_end_of_file_is_kept_and_reported(parse_text: Parse) -> None:
    events = parse_text(
        rec("whole")
        + "\r\n"
        + '<![LOG[CcmSetup failed with error code 0x80004005]LOG]!><time="15:34:23.493+360" date="02-21-2018" compo'
    )
    assert [e.message for e in events] == ["whole", "CcmSetup failed with error code 0x80004005"]
    assert events[1].time is not None and events[1].line == 2
    assert [str(p) for p in parse_text.reports[0].problems] == [
        f"{events[1].path}:2: record cut off at the end of the file"
    ]  # type: ignore[attr-defined]


def test_record_cut_off_in_its_message_is_unparsed_and_reported(parse_text: Parse) -> None:
    events = parse_text(rec("whole") + "\r\n<![LOG[half a mess")
    assert [e.format for e in events] == ["cmtrace", "unparsed"]
    assert events[1].message == "<![LOG[half a mess"
    assert "record cut off at the end of the file" in str(parse_text.reports[0].problems[0])  # type: ignore[attr-defined]


def test_record_without_end_marker_does_not_swallow_the_next(parse_text: Parse) -> None:
    events = parse_text("<![LOG[broken\r\n" + rec("good") + "\r\n")
    assert [(e.format, e.message, e.line) for e in events] == [
        ("unparsed", "<![LOG[broken\r\n", 1),
        ("cmtrace", "good", 2),
    ]


def test_text_between_records(parse_text: Parse) -> None:
    """Garbage is unparsed; an SMS trace line is read as one; quote and comment
    markers around pasted records are dropped."""
    text = (
        "    #" + rec("commented") + "\r\n"
        "> " + rec("quoted") + "\r\n"
        "some garbage here\r\n"
        "Execute query exec [sp_CP_GetPushRequestMachine] 2097152112~  $$<SMS_CLIENT_CONFIG_MANAGER><06-07-2015 13:11:09.448-600><thread=6708 (0x1A34)>\r\n"
        + rec("last")
        + "\r\n"
    )
    events = parse_text(text)
    assert [(e.format, e.line) for e in events] == [
        ("cmtrace", 1),
        ("cmtrace", 2),
        ("unparsed", 3),
        ("smstrace", 4),
        ("cmtrace", 5),
    ]
    assert events[2].message == "some garbage here"
    assert events[3].component == "SMS_CLIENT_CONFIG_MANAGER"
    assert events[3].time.utcoffset() == timedelta(hours=10)


def test_record_whose_start_was_overwritten_by_another_writer(parse_text: Parse) -> None:
    """Two processes appending at one offset: the tail of the covered record survives."""
    text = (
        rec("before")
        + "\r\n"
        + rec("the writer that won", thread="2580")
        + "\r\n"
        + 'ding file igdde64.dll range 0-455847]LOG]!><time="10:19:30.535+240" date="10-18-2019" component="RunPowerShellScript" context="" type="1" thread="1100" file="main.cpp:31">\r\n'
        + rec("after")
        + "\r\n"
    )
    events = parse_text(text)
    assert [(e.format, e.message, e.line) for e in events] == [
        ("cmtrace", "before", 1),
        ("cmtrace", "the writer that won", 2),
        ("cmtrace", "ding file igdde64.dll range 0-455847", 3),
        ("cmtrace", "after", 4),
    ]
    assert events[2].thread == 1100 and events[2].component == "RunPowerShellScript"
    assert "overwritten by another writer" in str(parse_text.reports[0].problems[0])  # type: ignore[attr-defined]


def test_overlong_record_is_cut_and_reported(parse_text: Parse) -> None:
    long_message = "x" * 5000 + "\r\n" + "y" * 5000
    events = parse_text(rec("a") + "\r\n" + rec(long_message) + "\r\n" + rec("b") + "\r\n", record_cap=1000)
    assert [e.message[:1] for e in events] == ["a", "x", "b"]
    assert len(events[1].message) == 1000
    assert (events[1].line, events[1].end_line) == (2, 3)
    assert (events[2].line, events[2].end_line) == (4, 4)
    (problem,) = parse_text.reports[0].problems  # type: ignore[attr-defined]
    assert problem.line == 2 and "record longer than 1,000 characters" in problem.message


def test_records_spanning_chunk_boundaries(parse_text: Parse) -> None:
    """Chunks are 1 MiB: many records, some multi-line, must all come back in order."""
    body = "".join(
        rec(f"message {i}" + ("\r\nsecond line" if i % 7 == 0 else ""), thread=str(i)) + "\r\n"
        for i in range(12000)
    )
    events = parse_text(body)
    assert len(events) == 12000
    assert [e.thread for e in events] == list(range(12000))
    assert events[-1].end_line == body.count("\n")
    assert all(e.format == "cmtrace" for e in events)


def test_a_script_that_writes_cmtrace_is_not_a_cmtrace_log(parse_text: Parse) -> None:
    script = '$line = "<![LOG[$Message]LOG]!><time=`"$Time`" date=`"$Date`" component=`"$Component`">"\nAdd-Content -Path $Path -Value $line\n'
    events = parse_text(script, name="Write-CMLog.ps1")
    assert {e.format for e in events} == {"text"}
