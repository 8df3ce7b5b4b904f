"""SMS trace records (SMS 1.x / 2.0 clients and servers, ConfigMgr site servers),
including the damaged copies knowledge-base articles carry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from smslogdoc.model import Severity
from tests.conftest import Parse

APM = "   SCHED DATA  : Program completed unsuccessfully.~  $$<APM><Tue May 16 13:17:10.854 2000><thread=1512 (0x5E8)>\r\n"


def test_sms20_client_line(parse_text: Parse) -> None:
    (event,) = parse_text(APM)
    assert event.format == "smstrace"
    assert event.component == "APM"
    assert event.message == "   SCHED DATA  : Program completed unsuccessfully."
    assert event.time == datetime(2000, 5, 16, 13, 17, 10, 854000)
    assert event.time.tzinfo is None  # SMS 2.0 client stamps are local time
    assert event.thread == 1512


def test_tilde_is_a_line_break_except_in_short_names(parse_text: Parse) -> None:
    line = (
        "   SCHED DATA  : Return code = 0x80070047; No more connections.~~; Could not enable program "
        "'C:\\PROGRA~1\\test1.bat'.~  $$<APM><Tue May 16 13:17:10.804 2000><thread=1512 (0x5E8)>\r\n"
    )
    (event,) = parse_text(line)
    assert (
        event.message
        == "   SCHED DATA  : Return code = 0x80070047; No more connections.\n\n; Could not enable program 'C:\\PROGRA~1\\test1.bat'."
    )


def test_stamp_variants(parse_text: Parse) -> None:
    text = (
        "got access to SQL Server~   $$<SMS_DESPOOLER><Mon Dec 04 15:41:45 1995~><thread=E0>\n"
        "Starting~  $$<SMS_SITE_COMPONENT_MANAGER><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=281 (0x119)>\n"
        "statmsg  $$<SMS_SOFTWARE_INVENTORY_PROCESSOR><Wed Jul 4 9:46:43.146 2001 Central Standard Time><thread=1028 (0x404)>\n"
        "Execute query~  $$<SMS_CLIENT_CONFIG_MANAGER><06-07-2015 13:11:09.448-600><thread=6708 (0x1A34)>\n"
        "SCHEDULER: ERROR: Unable to connect to CAP~  $$<APM><Mon Nov 15 08:38:12.050 1999><thread=4199866221 (0xFA54DF6D)>\n"
        "Function return - Client not assigned  $$<CliEx32.dll>\n"
    )
    sms1, est, cdt, server, win9x, bare = parse_text(text)
    assert sms1.time == datetime(1995, 12, 4, 15, 41, 45) and sms1.thread == 0xE0
    assert est.time.utcoffset() == timedelta(hours=-5)  # EST: daylight time began 4 April 1999
    # "Central Standard Time" is the zone's name; in July the zone is on daylight time (UTC-5),
    # which the record's own STATMSG GMTDATE (14:46 UTC) confirms.
    assert cdt.time.utcoffset() == timedelta(hours=-5)
    assert cdt.time.hour == 9
    assert server.time.utcoffset() == timedelta(hours=10)
    assert win9x.thread == 4199866221
    assert win9x.severity is Severity.ERROR
    assert bare.component == "CliEx32.dll" and bare.time is None and bare.thread is None


def test_component_with_spaces_or_a_path(parse_text: Parse) -> None:
    text = (
        "CLASS - Process Class: Win32_NTLogEvent $$<Hardware Inventory Agent><Fri May 05 10:00:21.186 2000><thread=175 (0xAF)>\n"
        "Begin CliEx processing.  $$<C:\\WINNT\\MS\\SMS\\CORE\\BIN\\Boot32wn.exe>\n"
    )
    hinv, boot = parse_text(text)
    assert hinv.component == "Hardware Inventory Agent"
    assert boot.component == "C:\\WINNT\\MS\\SMS\\CORE\\BIN\\Boot32wn.exe"


def test_trailer_wrapped_onto_following_lines(parse_text: Parse) -> None:
    text = (
        '   Component "Available Programs Manager Win32" install/verify/upgrade last done\n'
        "   at 01:25:22 June 22, 1999 $$<CCIM32<Tue Jun 22 01:26:12.050\n"
        "   1999><thread=4294798339 (0xFFFD6C03)>\n"
        "   Bootstrap operations aborted.  $$<SMS_SITE_COMPONENT_MANAGER>\n"
        "   <Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=281 (0x119)>\n"
    )
    ccim, sitecomp = parse_text(text)
    assert (ccim.line, ccim.end_line, ccim.component, ccim.thread) == (1, 3, "CCIM32", 4294798339)
    assert ccim.time == datetime(1999, 6, 22, 1, 26, 12, 50000)
    assert ccim.message.endswith("last done\n   at 01:25:22 June 22, 1999")
    assert (sitecomp.line, sitecomp.end_line, sitecomp.thread) == (4, 5, 281)
    assert sitecomp.time is not None


def test_html_damage_and_blank_line_inside_a_trailer(parse_text: Parse) -> None:
    text = (
        "   CLASS - Process Class: Win32_NTEventlogFile $$&<Hardware Inventory\n"
        "   Agent&>&<Fri May 05 10:00:14.466\n"
        "   2000&>&<thread=175 (0xAF)&>\n"
        "\n"
        "   Installation failed~  $$<SMS_SITE_COMPONENT_MANAGER><Mon Jul 03 12:25:46.750 2000 GMT Daylight Time><thread=43\n"
        "\n"
        "   (0x2B)>\n"
        "   Verifying application~  $$<CLISVCL.EXE><Thu Jul 27 20:40:04.509 2000><thread=208 (0xD0)><BR/> <BR/>\n"
    )
    hinv, sitecomp, clisvc = parse_text(text)
    assert hinv.component == "Hardware Inventory Agent" and hinv.thread == 175 and hinv.time is not None
    assert sitecomp.thread == 43 and sitecomp.time.utcoffset() == timedelta(hours=1)
    assert clisvc.thread == 208
    assert not parse_text.reports[0].problems  # type: ignore[attr-defined]


def test_prose_around_records_is_plain_text(parse_text: Parse) -> None:
    text = "Example DESPOOLER.LOG:\n\n" + APM + "\nThat is all.\n"
    events = parse_text(text)
    assert [(e.format, e.line) for e in events] == [("text", 1), ("smstrace", 3), ("text", 5)]


def test_trailer_cut_off_at_end_of_file_is_kept_and_reported(parse_text: Parse) -> None:
    text = (
        APM
        + "~Successfully deleted the package 61000012  $$<SMS_DISTRIBUTION_MANAGER><Fri Oct 15 17:09:46.677 1999"
    )
    events = parse_text(text)
    assert [e.format for e in events] == ["smstrace", "smstrace"]
    assert events[1].component == "SMS_DISTRIBUTION_MANAGER"
    assert events[1].message == "Successfully deleted the package 61000012"
    assert events[1].time == datetime(1999, 10, 15, 17, 9, 46, 677000)
    (problem,) = parse_text.reports[0].problems  # type: ignore[attr-defined]
    assert problem.line == 2 and problem.message == "record cut off at the end of the file"


def test_the_fast_path_reads_what_the_tolerant_patterns_read(
    parse_text: Parse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exact-trailer shortcut, the regular-line path (`_records`) and the
    cached stamp dates change nothing."""
    import re

    from smslogdoc import times
    from smslogdoc.formats import smstrace

    lines = [
        APM,
        "ERROR: it failed~  $$<  SMS_CLIENT   CONFIG\tMANAGER  ><Tue May 16 13:17:10.854 2000><thread=12 (0xC)>\r\n",
        "warning: a$$b~  $$<APM><Tue May 16 13:17:10.854 2000><thread=12 (0xC)>\r\n",
        "odd$$<APM><Tue May 16 13:17:10.854 2000><thread=12 (0xC)>  \r\n",
        "html &amp; copy~  $$<APM&><Tue May 16 13:17:10.854 2000><thread=12 (0xC)>\r\n",
        "two stamps~  $$<APM><Wed Feb 30 13:17:10.854 2000><thread=12 (0xC)>\r\n",
        "x~  $$<APM><Tue May 16 13:17:10.854 2000><thread=99999999999 (0x1)>\r\n",
        "y~  $$<APM><Tue May  6 03:07:01.004 2000><thread=7 (0x7)>\r\n",
        "z~  $$<APM><><thread=7 (0x7)>\r\n",
    ]
    fast = parse_text("".join(lines), name="a.log")
    monkeypatch.setattr(smstrace, "_EXACT", re.compile(r"(?!)"))
    monkeypatch.setattr(smstrace, "_REGULAR", re.compile(r"(?!)"))
    monkeypatch.setattr(times, "_sms_days", {})
    monkeypatch.setattr(times, "sms_time", _slow(times.sms_time))
    slow = parse_text("".join(lines), name="b.log")
    assert [(e.line, e.time, e.component, e.severity, e.thread, e.message) for e in fast] == [
        (e.line, e.time, e.component, e.severity, e.thread, e.message) for e in slow
    ]


def _slow(sms_time: object) -> object:
    """sms_time without its fast path: a stamp one character longer never takes it."""

    def read(stamp: str) -> object:
        return sms_time(" " + stamp)  # type: ignore[operator]

    return read
