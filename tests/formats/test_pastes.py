"""Logs as they arrive in tickets: copied rows whose tabs a web page turned
into spaces (with dd/mm, dd-mm and mm-dd dates), and CMTrace records a web
page or a Markdown renderer damaged. The logs here are written for the tests,
modelled on real pastes (see ../shared/real-logs/SOURCES.md)."""

from __future__ import annotations

import io
from datetime import datetime

from smslogdoc.formats import copied, damage
from smslogdoc.formats.protocol import Detected
from smslogdoc.formats.registry import detect
from smslogdoc.model import Severity
from tests.conftest import Parse


def _spaced(message: str, when: str, component: str = "ccmsetup", thread: str = "2652 (0x0A5C)") -> str:
    """A copied row after a web page: the tabs became runs of spaces (as on the
    BenYim 2009 ccmsetup page and the technet distmgr/smsdbmon threads)."""
    return f"{message}   {component}   {when}   {thread}\n"


# --- copied rows: the date order ------------------------------------------------


def test_spaced_rows_with_day_first_slashed_dates(parse_text: Parse) -> None:
    text = _spaced(
        "==========[ ccmsetup started in process 2348 ]==========", "05/02/2019 13:49:33"
    ) + _spaced(
        "Failed to access source file (\\\\fs01\\Client\\ccmsetup.cab). Waiting for retry...",
        "19/02/2019 13:49:33",
    )
    first, failed = parse_text(text, name="uk.txt")
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert [(e.component, e.thread, e.line) for e in (first, failed)] == [
        ("ccmsetup", 2652, 1),
        ("ccmsetup", 2652, 2),
    ]
    assert first.time == datetime(2019, 2, 5, 13, 49, 33)  # settled by the 19 below
    assert failed.time == datetime(2019, 2, 19, 13, 49, 33)
    assert not first.time_ambiguous and not failed.time_ambiguous
    assert parse_text.reports[0].problems == []  # type: ignore[attr-defined]


def test_dashed_dates_day_first_and_month_first(parse_text: Parse) -> None:
    day_first = parse_text(
        _spaced("Download started", "12-11-2010 16:26:12") + _spaced("Download failed", "25-11-2010 16:26:14")
    )
    assert [e.time for e in day_first] == [
        datetime(2010, 11, 12, 16, 26, 12),
        datetime(2010, 11, 25, 16, 26, 14),
    ]
    month_first = parse_text(
        _spaced("Download started", "12-11-2010 16:26:12") + _spaced("Download failed", "12-13-2010 16:26:14")
    )
    assert [e.time for e in month_first] == [
        datetime(2010, 12, 11, 16, 26, 12),
        datetime(2010, 12, 13, 16, 26, 14),
    ]
    assert not any(e.time_ambiguous for e in day_first + month_first)


def test_the_whole_file_settles_the_order_beyond_the_sample(parse_text: Parse) -> None:
    """The sniffed sample holds only ambiguous dates; a day above 12 far below settles them."""
    filler = "".join(
        _spaced(f"Checking step {n} of the installation " + "x" * 150, "03-07-2019 14:17:54")
        for n in range(600)
    )
    events = parse_text(filler + _spaced("Done", "07-25-2019 14:18:00"))
    assert len(events) == 601 and events[0].time == datetime(2019, 3, 7, 14, 17, 54)
    assert events[-1].time == datetime(2019, 7, 25, 14, 18) and events[-1].line == 601
    assert not any(e.time_ambiguous for e in events)


def test_an_undecidable_order_is_picked_marked_and_said_once(parse_text: Parse) -> None:
    events = parse_text(
        _spaced("Download started", "03/07/2019 14:17:54")
        + _spaced("Same day", "07/07/2019 14:17:55")
        + _spaced("Download failed", "04/07/2019 14:17:56"),
        name="amb.txt",
    )
    assert [e.time for e in events] == [
        datetime(2019, 7, 3, 14, 17, 54),
        datetime(2019, 7, 7, 14, 17, 55),
        datetime(2019, 7, 4, 14, 17, 56),
    ]
    assert [e.time_ambiguous for e in events] == [True, False, True]  # 07/07 reads the same either way
    (problem,) = parse_text.reports[0].problems  # type: ignore[attr-defined]
    assert problem.line == 1 and "03/07/2019" in problem.message and "ambiguous" in problem.message


def test_rows_whose_separators_became_non_breaking_spaces(parse_text: Parse) -> None:
    """A forum editor turns the runs of spaces of a pasted row into U+00A0 (`&nbsp;`)."""
    row = "Failed to access source file\xa0\xa0ccmsetup\xa0\xa019/02/2019\xa013:49:33\xa0\xa02652 (0x0A5C)\n"
    events = parse_text(row * 3)
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert [(e.line, e.component, e.thread, e.time) for e in events] == [
        (n, "ccmsetup", 2652, datetime(2019, 2, 19, 13, 49, 33)) for n in (1, 2, 3)
    ]
    assert events[0].message == "Failed to access source file"


def test_sms_trace_and_copied_rows_whose_spaces_became_non_breaking_read_as_the_original(
    parse_text: Parse,
) -> None:
    """A page that writes every space as U+00A0: an SMS trace's messages (and the `  $$<`
    before its trailer) read with spaces, as the rules' patterns expect; said as repaired."""
    original = (
        "SCHEDULER   : Timer fired for program Install Payroll in package Payroll Client (PS100034).~"
        "  $$<APM><Tue Oct 09 14:00:00.234 2001><thread=1384 (0x568)>\n"
        "ERROR: Failed to log on as the user, error 1317 ~  $$<APM><Tue Oct 09 14:00:01.234 2001><thread=1384 (0x568)>\n"
    )
    expected = [(e.line, e.message, e.time) for e in parse_text(original, name="smsapm32.log")]
    repaired = parse_text(original.replace(" ", "\xa0"), name="smsapm32.log")
    assert parse_text.reports[0].format == "smstrace"  # type: ignore[attr-defined]
    assert [(e.line, e.message, e.time) for e in repaired] == expected
    assert any("non-breaking spaces" in p.message for p in parse_text.reports[0].problems)  # type: ignore[attr-defined]


def test_copied_rows_whose_quotes_a_page_curled_read_with_straight_quotes(parse_text: Parse) -> None:
    """ConfigMgrSetup.log rows copied from a page that curled their quotes (one pair is enough:
    the writers never write curly quotes); the rules' patterns have straight ones."""
    row = (
        "ERROR: SQL Server error: [25000][3906][Microsoft][SQL Server Native Client 11.0][SQL Server]"
        'Failed to update database "CM_AAA" because the database is read-only.'
        "\tConfiguration Manager Setup\t1/21/2016 4:54:59 PM\t7344 (0x1CB0)\n"
    )
    expected = [(e.line, e.message, e.time) for e in parse_text(row * 2, name="ConfigMgrSetup.log")]
    curled = parse_text((row * 2).replace('"CM_AAA"', "\u201cCM_AAA\u201d"), name="ConfigMgrSetup.log")
    assert parse_text.reports[0].format == "copied"  # type: ignore[attr-defined]
    assert [(e.line, e.message, e.time) for e in curled] == expected
    assert any("curly quotes" in p.message for p in parse_text.reports[0].problems)  # type: ignore[attr-defined]


def test_one_indented_line_is_a_code_block_only_when_it_is_a_cmtrace_record(parse_text: Parse) -> None:
    """A lone CMTrace record pasted in a code block loses its indent; a lone SMS trace record
    whose message starts with a tab keeps it (one line is no evidence of a code block)."""
    record = (
        '    <![LOG[Failed to access source file]LOG]!><time="10:00:00.000+000" date="01-15-2024" '
        'component="ccmsetup" context="" type="3" thread="10" file="a.cpp:1">\n'
    )
    (event,) = parse_text(record, name="ccmsetup.log")
    assert (parse_text.reports[0].format, event.message) == ("cmtrace", "Failed to access source file")  # type: ignore[attr-defined]
    (event,) = parse_text(
        "\tStarting~  $$<APM><Tue May 16 13:00:10.854 2000><thread=1 (0x1)>\n", name="a.log"
    )
    assert (parse_text.reports[0].format, event.message) == ("smstrace", "\tStarting")  # type: ignore[attr-defined]


def test_date_order_of_one_column() -> None:
    assert copied.date_order("19/02/2019 13:49:33") is True
    assert copied.date_order("07-25-2019 14:18:00") is False
    assert copied.date_order("3/4/2009 11:16:10 AM") is False  # AM/PM is the US form
    assert copied.date_order("03.07.2019 14:17:54") is None  # dotted: always day-first, tells nothing
    assert copied.ambiguous("03-07-2019 14:17:54") and not copied.ambiguous("03.07.2019 14:17:54")
    assert not copied.ambiguous("3/4/2009 11:16:10 AM") and not copied.ambiguous("07/07/2019 10:00:00")
    assert detect(_spaced("a", "19/02/2019 13:49:33") * 3).day_first is True


# --- CMTrace records damaged by a web page ----------------------------------------

_SOURCE = "\\\\fs01\\ClientSource$\\ccmsetup.cab"
_CCMSETUP = [  # (message, time, type, thread, file) of a ccmsetup run relaunched as a service
    (
        "==========[ ccmsetup started in process 3324 ]==========",
        "14:02:12.505",
        "1",
        "6988",
        "ccmsetup.cpp:10632",
    ),
    ('Running as user "SYSTEM"', "14:02:12.614", "1", "7044", "ccmsetup.cpp:2196"),
    (
        f"Failed to access source file ({_SOURCE}). Waiting for retry...",
        "14:02:12.692",
        "3",
        "7044",
        "ccmsetup.cpp:7010",
    ),
    ("Next retry in 10 minute(s)...", "14:02:12.693", "1", "7044", "ccmsetup.cpp:8819"),
]


def _record(message: str, time: str, type_: str, thread: str, file: str) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="{time}+240" date="05-17-2022" component="ccmsetup" context="" '
        f'type="{type_}" thread="{thread}" file="{file}">'
    )


def curly(text: str) -> str:
    """What WordPress-style "smart quotes" make of a record: an opening quote after
    `=` becomes U+201D (or U+201C), a closing one after a digit the double prime
    U+2033, otherwise U+201D; a `'` becomes U+2019 (as on the pages that show
    `time=\u201d08:51:08.954-570\u2033`)."""
    out: list[str] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if char == '"':
            out.append(("”" if index % 2 else "“") if before == "=" else "″" if before.isdigit() else "”")
        else:
            out.append("’" if char == "'" else char)
    return "".join(out).replace("...", "\u2026")


def entities(text: str) -> str:
    """A record a page escaped twice: it shows `&lt;![LOG[` and `&quot;` as text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def markdown(text: str) -> str:
    """A record in a Markdown source: `<` escaped as `\\<`, in a `> ` quote, lines
    ended with two spaces: as Microsoft's support article "Description of state
    messaging in Configuration Manager" (KB 4459394, Markdown in the
    MicrosoftDocs/SupportArticles-docs repository) quotes StateMessage.log:
    `> \\<![LOG[...]LOG]!>\\<time="_time_" date="_date_" component="StateMessage" ...>  `."""
    return "> " + text.replace("<", "\\<").replace("\n", "  \n> ") + "  "


def _paste(damage: object, *, separator: str = "\r\n") -> str:
    return separator.join(damage(_record(*fields)) for fields in _CCMSETUP) + separator  # type: ignore[operator]


def _check(events: list, reports: list) -> None:  # type: ignore[type-arg]
    assert reports[0].format == "cmtrace"
    assert [e.format for e in events] == ["cmtrace"] * 4
    assert [e.line for e in events] == [1, 2, 3, 4]
    assert [e.component for e in events] == ["ccmsetup"] * 4
    assert [e.thread for e in events] == [6988, 7044, 7044, 7044]
    assert [e.severity.label for e in events] == ["info", "info", "error", "info"]
    assert events[2].time is not None and events[2].time.isoformat() == "2022-05-17T14:02:12.692000-04:00"
    assert events[1].message == 'Running as user "SYSTEM"'
    assert events[2].message == f"Failed to access source file ({_SOURCE}). Waiting for retry..."
    assert events[2].file == "ccmsetup.cpp:7010"
    assert any("repaired before reading" in p.message for p in reports[0].problems)


def test_curly_quotes_are_straightened(parse_text: Parse) -> None:
    text = _paste(curly)
    _check(parse_text(text, name="ccmsetup.log"), parse_text.reports)  # type: ignore[attr-defined]
    assert detect(text).damage == ("curly quotes",)


def test_a_curly_quoted_record_written_out_is_read(parse_text: Parse) -> None:
    """One record as a page with smart quotes shows it, written out here (not made
    by `curly`): quotes after `=` curled, closing ones after a digit turned into
    double primes, `...` into an ellipsis."""
    (event,) = parse_text(
        "<![LOG[Failed to access source file (\\\\fs01\\ClientSource$\\ccmsetup.cab). Waiting for retry\u2026]LOG]!>"
        "<time=\u201d14:02:12.692+240\u2033 date=\u201d05-17-2022\u2033 component=\u201dccmsetup\u201d context=\u201d\u201d "
        "type=\u201d3\u2033 thread=\u201d7044\u2033 file=\u201dccmsetup.cpp:7010\u2033>\n",
        name="ccmsetup.log",
    )
    assert (event.component, event.thread, event.file, event.severity.label) == (
        "ccmsetup",
        7044,
        "ccmsetup.cpp:7010",
        "error",
    )
    assert event.time is not None and event.time.isoformat() == "2022-05-17T14:02:12.692000-04:00"
    assert event.message == f"Failed to access source file ({_SOURCE}). Waiting for retry..."


def test_html_entities_are_undone_once(parse_text: Parse) -> None:
    text = _paste(entities)
    _check(parse_text(text, name="ccmsetup.log"), parse_text.reports)  # type: ignore[attr-defined]
    (event,) = parse_text(
        entities(_record("Policy &lt;Rule&gt; & more", "14:02:12.505", "1", "1", "x.cpp:1")) + "\n"
    )
    assert event.message == "Policy &lt;Rule&gt; & more"  # unescaped once, not twice


def test_a_quoted_line_whose_quotes_a_page_escaped_is_read_with_its_quotes(parse_text: Parse) -> None:
    # two entities only, both quotes (the Driver Automation Tool's error as a forum shows it)
    line = "Error: Cannot validate argument on parameter &#39;Path&#39;. System.Management.Automation.ValidationMetadataException\n"
    (event,) = parse_text(line, name="DriverAutomationTool.log")
    assert event.message.startswith("Error: Cannot validate argument on parameter 'Path'.")
    # an ampersand entity alone is not enough to call the text damaged
    (plain,) = parse_text("Checking Tom &amp; Jerry's folder\n", name="notes.txt")
    assert plain.message == "Checking Tom &amp; Jerry's folder"


def test_markdown_escapes_and_quote_markers_are_undone(parse_text: Parse) -> None:
    text = _paste(markdown, separator="\n")
    _check(parse_text(text, name="ccmsetup.log"), parse_text.reports)  # type: ignore[attr-defined]
    escaped = parse_text(
        '> \\<!\\[LOG\\[Done\\]LOG\\]!\\>\\<time="10:00:00.000+00" date="01-02-2020" component="StateMessage"'
        ' context="" type="1" thread="3592" file="statemsg.cpp:1527"\\>  \n'
    )
    assert [(e.message, e.component, e.thread) for e in escaped] == [("Done", "StateMessage", 3592)]
    body = 'StateMessage body: <?xml version="1.0" encoding="UTF-16"?>\n<Report><ReportHeader>\n</Report>'
    quoted = (
        markdown(_record(body, "14:02:12.505", "1", "3592", "statemsg.cpp:1820"))
        + "\n"
        + markdown(_record(*_CCMSETUP[2]))
        + "\n"
    )
    state, failed = parse_text(quoted)
    assert state.message == body and (state.line, state.end_line, failed.line) == (1, 3, 4)
    assert failed.time is not None and failed.severity.label == "error"


def test_curly_quotes_with_non_breaking_spaces_and_multi_line_messages(parse_text: Parse) -> None:
    message = (
        "Raising event:\ninstance of CCM_ServiceHost_CertRetrieval_Status\n{\n\tHRESULT = ’0x80004005’;\n};"
    )
    text = (
        curly(_record(message, "14:02:12.505", "2", "7044", "event.cpp:525")).replace(" ", "\xa0", 3) + "\n"
    )
    text += curly(_record(*_CCMSETUP[2])) + "\n"
    raised, failed = parse_text(text)
    assert (raised.line, raised.end_line, failed.line) == (1, 5, 6)
    assert raised.message.endswith("HRESULT = '0x80004005';\n};") and raised.severity.label == "warning"
    assert failed.thread == 7044 and failed.time is not None
    assert detect(text).damage == ("curly quotes", "non-breaking spaces")


def test_damage_survives_chunk_boundaries(parse_text: Parse) -> None:
    """More than one CMTrace chunk (1 MiB): repairs cut at a chunk's end are held for the next."""
    records = [
        entities(
            _record(f"Step {n} &lt;done&gt; of the installation", "14:02:12.505", "1", str(n), "x.cpp:1")
        )
        for n in range(9000)
    ]
    events = parse_text("\r\n".join(records) + "\r\n")
    assert len(events) == 9000 and len("\r\n".join(records)) > 1 << 20
    assert [e.thread for e in events] == list(range(9000))
    assert [e.line for e in events] == list(range(1, 9001))
    assert [e.message for e in events] == [f"Step {n} &lt;done&gt; of the installation" for n in range(9000)]


def test_every_chunk_size_repairs_alike() -> None:
    for damage_of, separator in ((entities, "\r\n"), (markdown, "\n"), (markdown, "\r\n"), (curly, "\r")):
        text = _paste(damage_of, separator=separator) * 3
        kinds = damage.damage_in(text)
        whole = damage.repair(text, kinds, start=True)
        assert whole.count(separator) == text.count(separator)  # no line break added or lost
        for size in range(1, 40):
            stream = damage.repaired(io.StringIO(text), kinds)
            assert "".join(iter(lambda stream=stream, size=size: stream.read(size), "")) == whole, (
                damage_of,
                size,
            )  # type: ignore[misc]


def test_a_healthy_log_is_never_repaired() -> None:
    healthy = _record("Bob said “hi” &lt;x&gt; \\<y>", "14:02:12.505", "1", "1", "x.cpp:1") + "\n"
    assert detect(healthy) == Detected("cmtrace")
    assert detect("A blog post about quotes: “this” and &lt;that&gt;.\n") == Detected("text")


# --- a quote: a line or three from a ticket ---------------------------------------


def test_a_quoted_line_saying_something_does_not_exist_is_the_failure_it_was_quoted_for(
    parse_text: Parse,
) -> None:
    (line,) = parse_text("Software update not found\n", name="ticket.txt")
    assert (line.severity, line.severity_inferred) == (Severity.ERROR, True)
    quote = "Checking the package\nThe package does not exist on the distribution point\nDone\n"
    assert [event.severity for event in parse_text(quote, name="ticket.txt")] == [
        Severity.INFO,
        Severity.ERROR,
        Severity.INFO,
    ]


def test_a_quote_with_its_own_error_or_a_longer_text_keeps_not_found_as_information(
    parse_text: Parse,
) -> None:
    with_error = "Registry key not found, using the default\nFailed to open the policy store\n"
    assert [event.severity for event in parse_text(with_error, name="ticket.txt")] == [
        Severity.INFO,
        Severity.ERROR,
    ]
    log = (
        "".join(f"Step {number} done\n" for number in range(4))
        + "Registry key not found, using the default\n"
    )
    assert all(event.severity is Severity.INFO for event in parse_text(log, name="notes.txt"))
    # healthy words stay healthy in a quote too (a client health script's line)
    (healthy,) = parse_text(
        "Namespace root\\ccm exists but SCCM client or MP/MCS/PullDP is not installed.\n", name="ccmsetup.log"
    )
    assert healthy.severity is Severity.INFO
