"""Copied rows in the two layouts beside the viewer's own (issue 21, item 15):
single spaces with the date before the component (`... 19/02/2019 13:49:33
ccmsetup 8548 (0x2164)`), and the columns first, as Microsoft's KB 18408
prints rows (`MM-DD-YYYY HH:MM:SS.mmm component thread (0xNNN) message`)."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import REPO, Parse, read_path

KB18408 = REPO / "tests/fixtures/stories/task_sequence/succeeded-install-application-step-kb18408"


def test_single_spaced_rows_with_the_date_before_the_component(parse_text: Parse) -> None:
    text = (
        "==========[ ccmsetup started in process 8548 ]========== 05/02/2019 13:49:32 ccmsetup 8548 (0x2164)\n"
        "Failed to access source file (\\\\fs01\\Client\\ccmsetup.cab). Waiting for retry... "
        "19/02/2019 13:49:33 ccmsetup 8548 (0x2164)\n"
    )
    started, failed = parse_text(text, name="ccmsetup.log")
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert [(e.component, e.thread, e.time) for e in (started, failed)] == [
        ("ccmsetup", 8548, datetime(2019, 2, 5, 13, 49, 32)),  # day-first: the 19 below settles it
        ("ccmsetup", 8548, datetime(2019, 2, 19, 13, 49, 33)),
    ]
    assert (
        failed.message
        == "Failed to access source file (\\\\fs01\\Client\\ccmsetup.cab). Waiting for retry..."
    )
    assert not started.time_ambiguous


def test_an_ambiguous_date_before_the_component_is_still_marked(parse_text: Parse) -> None:
    events = parse_text(
        "Job started 03/07/2019 13:49:33 ccmsetup 8548 (0x2164)\n"
        "Job failed 04/07/2019 13:49:35 ccmsetup 8548 (0x2164)\n"
    )
    assert [(e.time, e.time_ambiguous) for e in events] == [
        (datetime(2019, 7, 3, 13, 49, 33), True),
        (datetime(2019, 7, 4, 13, 49, 35), True),
    ]
    (problem,) = parse_text.reports[0].problems  # type: ignore[attr-defined]
    assert problem.message.startswith("dates such as 03/07/2019 read day-first")


def test_the_rows_knowledge_base_articles_print_columns_first() -> None:
    events, reports = read_path(KB18408 / "smsts.log")
    assert {report.format for report in reports} == {"copied"} and reports[0].problems == []
    assert len(events) == 31
    first = events[0]
    assert (first.time, first.component, first.thread, first.message) == (
        datetime(2016, 1, 13, 17, 56, 35, 510000),
        "TSManager",
        2176,
        "Start executing an instruction. Instructionname: Install Application. Instruction pointer: 32",
    )
    assert {e.component for e in events} == {"TSManager", "InstallApplication"}
    assert all(e.time is not None and not e.time_ambiguous for e in events)


def test_lines_after_a_columns_first_row_go_on_its_message(parse_text: Parse) -> None:
    text = (
        "04-12-2022 20:32:58.220    ContentTransferManager    2532 (0x9e4)    Persisted locations\n"
        "\t(SUBNET) http://dp01/SMS_DP_SMSPKG$/5d595a40\n"
        "\t(SUBNET) https://dp01/CCMTOKENAUTH_SMS_DP_SMSPKG$/5d595a40\n"
        "04-12-2022 20:32:58.439    ContentTransferManager    2532 (0x9e4)    Created DTS job\n"
    )
    persisted, created = parse_text(text, name="ContentTransferManager.log")
    assert (persisted.line, persisted.end_line, created.line) == (1, 3, 4)
    assert persisted.message == (
        "Persisted locations\n"
        "\t(SUBNET) http://dp01/SMS_DP_SMSPKG$/5d595a40\n"
        "\t(SUBNET) https://dp01/CCMTOKENAUTH_SMS_DP_SMSPKG$/5d595a40"
    )
    assert persisted.time == datetime(2022, 4, 12, 20, 32, 58, 220000)  # MM-DD-YYYY, as the log's own dates
    assert not persisted.time_ambiguous and parse_text.reports[0].problems == []  # type: ignore[attr-defined]


def test_tabbed_rows_without_a_component_column_keep_their_whole_message(parse_text: Parse) -> None:
    """`message<TAB>date time<TAB>thread (0xHEX)`: the Driver Automation Tool's own log
    (lines quoted in maurice-daly/DriverAutomationTool#753). The last word of the
    message was taken for a component."""
    text = (
        "[1/1] No existing ConfigMgr package found matching: Drivers - Dell Pro Max 16 MC16250 - W x64"
        " -- will download\t03/06/2026 14:27:16\t16768 (0x4180)\n"
        "[Error] - Dell Pro Max 16 MC16250 failed: Cannot bind argument to parameter 'WindowsBuild'"
        " because it is an empty string.\t03/06/2026 14:27:16\t16768 (0x4180)\n"
    )
    first, failed = parse_text(text, name="DriverAutomationTool.log")
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert first.message.endswith("-- will download") and first.component == ""
    assert failed.message.endswith("because it is an empty string.")
    assert (failed.component, failed.thread, failed.time) == ("", 16768, datetime(2026, 6, 3, 14, 27, 16))


def test_day_first_rows_with_a_twelve_hour_clock(parse_text: Parse) -> None:
    """`29/04/2021 1:56:09 PM` (a UK locale with AM/PM, EasDisc.log rows of Microsoft Q&A
    thread 377035): a day above 12 says day-first, the AM/PM that usually means US
    month-first notwithstanding; such rows were read as plain text."""
    text = (
        "Exchange Connector run Consistancy Checker on the CA devices\tSMS_EXCHANGE_CONNECTOR"
        "\t29/04/2021 1:56:08 PM\t12104 (0x2F48)\n"
        "ERROR: Decryption failed.\tSMS_EXCHANGE_CONNECTOR\t01/05/2021 1:56:09 PM\t12104 (0x2F48)\n"
    )
    first, failed = parse_text(text, name="EasDisc.log")
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert [(e.component, e.time) for e in (first, failed)] == [
        ("SMS_EXCHANGE_CONNECTOR", datetime(2021, 4, 29, 13, 56, 8)),
        ("SMS_EXCHANGE_CONNECTOR", datetime(2021, 5, 1, 13, 56, 9)),
    ]
    assert failed.message == "ERROR: Decryption failed."


def test_us_rows_with_a_twelve_hour_clock_stay_month_first(parse_text: Parse) -> None:
    (row,) = parse_text("Job done\tccmsetup\t3/4/2009 11:16:10 AM\t12 (0x000C)\n")
    assert row.time == datetime(2009, 3, 4, 11, 16, 10)
