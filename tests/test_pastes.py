"""Logs as they arrive in tickets: copied rows whose tabs a web page turned
into spaces (with dd/mm, dd-mm and mm-dd dates), and CMTrace records a web
page or a Markdown renderer damaged. The logs here are written for the tests,
modelled on real pastes (see ../shared/real-logs/SOURCES.md)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from smslogdoc.formats import copied
from smslogdoc.inputs import detect
from tests.conftest import Parse, invoke


def _spaced(message: str, when: str, component: str = "ccmsetup", thread: str = "2652 (0x0A5C)") -> str:
    """A copied row after a web page: the tabs became runs of spaces (as on the
    BenYim 2009 ccmsetup page and the technet distmgr/smsdbmon threads)."""
    return f"{message}   {component}   {when}   {thread}\n"


# --- copied rows: the date order ------------------------------------------------


def test_spaced_rows_with_day_first_slashed_dates(parse_text: Parse) -> None:
    text = (_spaced("==========[ ccmsetup started in process 2348 ]==========", "05/02/2019 13:49:33")
            + _spaced("Failed to access source file (\\\\fs01\\Client\\ccmsetup.cab). Waiting for retry...", "19/02/2019 13:49:33"))
    first, failed = parse_text(text, name="uk.txt")
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert [(e.component, e.thread, e.line) for e in (first, failed)] == [("ccmsetup", 2652, 1), ("ccmsetup", 2652, 2)]
    assert first.time == datetime(2019, 2, 5, 13, 49, 33)  # settled by the 19 below
    assert failed.time == datetime(2019, 2, 19, 13, 49, 33)
    assert not first.time_ambiguous and not failed.time_ambiguous
    assert parse_text.reports[0].problems == []  # type: ignore[attr-defined]


def test_dashed_dates_day_first_and_month_first(parse_text: Parse) -> None:
    day_first = parse_text(_spaced("Download started", "12-11-2010 16:26:12") + _spaced("Download failed", "25-11-2010 16:26:14"))
    assert [e.time for e in day_first] == [datetime(2010, 11, 12, 16, 26, 12), datetime(2010, 11, 25, 16, 26, 14)]
    month_first = parse_text(_spaced("Download started", "12-11-2010 16:26:12") + _spaced("Download failed", "12-13-2010 16:26:14"))
    assert [e.time for e in month_first] == [datetime(2010, 12, 11, 16, 26, 12), datetime(2010, 12, 13, 16, 26, 14)]
    assert not any(e.time_ambiguous for e in day_first + month_first)


def test_the_whole_file_settles_the_order_beyond_the_sample(parse_text: Parse) -> None:
    """The sniffed sample holds only ambiguous dates; a day above 12 far below settles them."""
    filler = "".join(_spaced(f"Checking step {n} of the installation " + "x" * 150, "03-07-2019 14:17:54") for n in range(600))
    events = parse_text(filler + _spaced("Done", "07-25-2019 14:18:00"))
    assert len(events) == 601 and events[0].time == datetime(2019, 3, 7, 14, 17, 54)
    assert events[-1].time == datetime(2019, 7, 25, 14, 18) and events[-1].line == 601
    assert not any(e.time_ambiguous for e in events)


def test_an_undecidable_order_is_picked_marked_and_said_once(parse_text: Parse) -> None:
    events = parse_text(_spaced("Download started", "03/07/2019 14:17:54")
                        + _spaced("Same day", "07/07/2019 14:17:55")
                        + _spaced("Download failed", "04/07/2019 14:17:56"), name="amb.txt")
    assert [e.time for e in events] == [datetime(2019, 7, 3, 14, 17, 54), datetime(2019, 7, 7, 14, 17, 55), datetime(2019, 7, 4, 14, 17, 56)]
    assert [e.time_ambiguous for e in events] == [True, False, True]  # 07/07 reads the same either way
    (problem,) = parse_text.reports[0].problems  # type: ignore[attr-defined]
    assert problem.line == 1 and "03/07/2019" in problem.message and "ambiguous" in problem.message


def test_ambiguity_is_a_key_in_parse_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "amb.txt"
    path.write_text(_spaced("Download started", "03-07-2019 14:17:54") + _spaced("Download failed", "04-07-2019 14:17:56"))
    result = invoke(["parse", "--format", "jsonl", str(path)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["time_ambiguous"] for row in rows] == [True, True]
    assert rows[0]["time"] == "2019-07-03T14:17:54.000"
    assert result.output.count("time_ambiguous in JSON") == 1


def test_date_order_of_one_column() -> None:
    assert copied.date_order("19/02/2019 13:49:33") is True
    assert copied.date_order("07-25-2019 14:18:00") is False
    assert copied.date_order("3/4/2009 11:16:10 AM") is False  # AM/PM is the US form
    assert copied.date_order("03.07.2019 14:17:54") is None  # dotted: always day-first, tells nothing
    assert copied.ambiguous("03-07-2019 14:17:54") and not copied.ambiguous("03.07.2019 14:17:54")
    assert not copied.ambiguous("3/4/2009 11:16:10 AM") and not copied.ambiguous("07/07/2019 10:00:00")
    assert detect.detect(_spaced("a", "19/02/2019 13:49:33") * 3).day_first is True
