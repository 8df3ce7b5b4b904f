"""Rows copied out of a log viewer, INI files, and plain text."""

from __future__ import annotations

from datetime import datetime

from smslogdoc import times
from smslogdoc.cli.usertime import parse_user_time
from smslogdoc.model import Severity
from tests.conftest import Parse


def test_us_uk_and_german_rows(parse_text: Parse) -> None:
    us = parse_text(
        "==========[ ccmsetup started in process 2348 ]==========\tccmsetup\t3/4/2009 11:16:10 AM\t2652 (0x0A5C)\r\n"
        "Failed to access source file\tccmsetup\t3/4/2009 1:16:32 PM\t2652 (0x0A5C)\r\n",
        name="us.txt",
    )
    uk = parse_text(
        "[Installation] :: Execution failed with exit code [3].\tExecute-Process\t19/07/2024 17:36:10\t2040 (0x07F8)\r\n",
        name="uk.txt",
    )
    de = parse_text(
        "MP Reg: Registration failed.\tMP_RegistrationManager\t03.07.2019 14:17:54\t5780 (0x1694)\r\n",
        name="de.txt",
    )
    assert [(e.format, e.component, e.time, e.thread) for e in us] == [
        ("copied", "ccmsetup", datetime(2009, 3, 4, 11, 16, 10), 2652),
        ("copied", "ccmsetup", datetime(2009, 3, 4, 13, 16, 32), 2652),
    ]
    assert uk[0].time == datetime(2024, 7, 19, 17, 36, 10)
    assert de[0].time == datetime(2019, 7, 3, 14, 17, 54)
    assert de[0].message == "MP Reg: Registration failed."


def test_sms_trace_rows_with_trailing_tab_and_two_digit_year(parse_text: Parse) -> None:
    (event,) = parse_text(
        "   INSTANCE WARNING - Enumeration Timeout  \tHardware Inventory Agent\t4/2/99 1:01:37 AM\t182 (0xB6)\t\n"
    )
    assert (event.component, event.time, event.thread) == (
        "Hardware Inventory Agent",
        datetime(1999, 4, 2, 1, 1, 37),
        182,
    )
    assert event.severity is Severity.WARNING
    assert event.message == "   INSTANCE WARNING - Enumeration Timeout"  # trailing separator spaces dropped


def test_multi_line_message_ends_with_the_columns(parse_text: Parse) -> None:
    text = (
        'Raising event:\r\ninstance of SoftDistProgramStartedEvent\r\n{\r\n\tUserContext = "NT AUTHORITY\\\\SYSTEM";\r\n};\r\n'
        "\texecmgr\t19/07/2024 17:36:08\t3292 (0x0CDC)\r\n"
        "Program exit code 5\texecmgr\t19/07/2024 17:36:09\t2904 (0x0B58)\r\n"
    )
    started, exit_code = parse_text(text)
    assert (started.line, started.end_line) == (1, 6)
    assert "UserContext" in started.message and started.thread == 3292
    assert exit_code.message == "Program exit code 5"


def test_day_first_is_inferred_from_the_paste(parse_text: Parse) -> None:
    text = "a\tcomp\t03/07/2019 14:17:54\t1 (0x1)\nb\tcomp\t25/07/2019 14:17:54\t1 (0x1)\n"
    first, _ = parse_text(text)
    assert first.time == datetime(2019, 7, 3, 14, 17, 54)
    month_first = parse_text("a\tcomp\t03/07/2019 14:17:54\t1 (0x1)\nb\tcomp\t07/25/2019 14:17:54\t1 (0x1)\n")
    assert month_first[0].time == datetime(2019, 3, 7, 14, 17, 54)


def test_rows_whose_tabs_became_spaces_or_dates_placeholders(parse_text: Parse) -> None:
    spaced = parse_text(
        "No action specified for the package CS10001E. SMS_DISTRIBUTION_MANAGER 1/14/2012 4:06:47 AM 5720 (0x1658)\n"
        "Start adding package to server SMS_DISTRIBUTION_MANAGER 1/14/2012 4:06:47 AM 5720 (0x1658)\n"
        "RCV: INSERT on SMSPackages_G SMS_DATABASE_NOTIFICATION_MONITOR 11/18/2013 7:10:14 PM 4808 (0x12C8)\n",
        name="s.txt",
    )
    assert [(e.component, e.thread) for e in spaced] == [
        ("SMS_DISTRIBUTION_MANAGER", 5720),
        ("SMS_DISTRIBUTION_MANAGER", 5720),
        ("SMS_DATABASE_NOTIFICATION_MONITOR", 4808),
    ]
    assert spaced[2].time == datetime(2013, 11, 18, 19, 10, 14)
    glued = parse_text(
        "    > Program exit code 3010execmgr\\<date> \\<time>2904 (0x0B58)  \n"
        "    > Looking for MIF file to get program statusexecmgr\\<date> \\<time>2904 (0x0B58)  \n"
        "    > Raising event:  \n    > execmgr\\<date> \\<time>2904 (0x0B58)  \n",
        name="g.txt",
    )
    assert [e.format for e in glued] == ["copied"] * 3
    assert (
        glued[0].message
        == "Program exit code 3010execmgr"  # the page's indentation and quote marker stripped
        and glued[0].thread == 2904
        and glued[0].time is None
    )
    assert (glued[2].line, glued[2].end_line) == (3, 4)


def test_ini_sections_and_keys(parse_text: Parse) -> None:
    text = "; comment\r\n[Site]\r\n   SiteCode=PS1\r\n   SMSPublicRootKey=0602000000A40000\r\n\r\n[Client Install]\r\nInstall=INSTALL=ALL SMSSITECODE=PS1\r\n"
    events = parse_text(text, name="mobileclient.tcf")
    assert [(e.format, e.component, e.message, e.line) for e in events] == [
        ("ini", "Site", "[Site]", 2),
        ("ini", "Site", "   SiteCode=PS1", 3),
        ("ini", "Site", "   SMSPublicRootKey=0602000000A40000", 4),
        ("ini", "Client Install", "[Client Install]", 6),
        ("ini", "Client Install", "Install=INSTALL=ALL SMSSITECODE=PS1", 7),
    ]


def test_plain_text_lines_take_times_they_carry(parse_text: Parse) -> None:
    text = (
        "=== Verbose logging started: 2/4/2020  15:12:01  Build type: SHIP UNICODE 5.00.10011.00 ===\n"
        "MSI (s) (54:74) [16:26:11:416]: Suspended install detected. Resuming.\n"
        "2021-07-14T08:52:46.657-04:00 something happened\n"
        "Product: Configuration Manager Client -- Error 25150. Setup was unable to register\n"
        "no time at all\n"
    )
    header, msi, iso, error, bare = parse_text(text, name="client.msi.log")
    assert header.time == datetime(2020, 2, 4, 15, 12, 1)  # Windows Installer writes the US short date
    assert msi.time is not None and (msi.time.hour, msi.time.minute, msi.time.microsecond) == (16, 26, 416000)
    assert iso.time.isoformat() == "2021-07-14T08:52:46.657000-04:00"
    assert error.severity is Severity.ERROR
    assert bare.time is None and bare.format == "text"


def test_zone_option_parsing() -> None:
    assert str(times.parse_zone("Europe/Berlin")) == "Europe/Berlin"
    assert str(times.parse_zone("W. Europe Standard Time")) == "Europe/Berlin"
    assert times.parse_zone("+05:30").utcoffset(None).total_seconds() == 19800
    assert times.parse_zone("UTC").utcoffset(None).total_seconds() == 0


def test_a_word_that_looks_like_a_zone_warns_nobody() -> None:
    """dateutil warns on a zone name it does not know; a row's stray word is not
    one (no warning reaches the user's terminal), a typed --since gets a clear error."""
    import warnings

    import pytest

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert times._dateutil_time("4 March 2009 11:16 ARM", None) == datetime(2009, 3, 4, 11, 16)
        with pytest.raises(ValueError, match="unknown zone name"):
            parse_user_time("2021-07-14 08:00 ARM")
