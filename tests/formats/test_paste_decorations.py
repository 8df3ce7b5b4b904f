"""Logs pasted into tickets, mails and forum posts with something on every line
(line numbers, quote markers, a code block's indentation) or with their characters
changed by a web page (HTML entities, curly quotes, non-breaking spaces): the
decorations come off line by line and the characters are put back before the
format is decided, and line numbers stay those of the file (formats/damage.py,
formats/registry.py). tests/integration/test_paste_forms.py measures the forms
on the generalisation corpus."""

from __future__ import annotations

import textwrap

from smslogdoc.formats import damage
from smslogdoc.formats.registry import detect
from smslogdoc.model import Severity
from tests.conftest import Parse

_CMTRACE = (
    '<![LOG[Failed to download policy (0x80070005)]LOG]!><time="10:00:01.000+000" date="01-15-2024" '
    'component="PolicyAgent" context="" type="3" thread="10" file="a.cpp:2">'
)
_SMS = "Error during WNetAddConnection2 to \\\\Server\\SMS_SITE (487). $$<SMS_LAN_SENDER><Mon May 24 03:56:30.377 1999 Eastern Daylight Time><thread=209 (0xD1)>"
_LINES = ["Starting the download", "Failed to connect to the server (0x80072ee2)", "Will retry in 60 seconds"]


def test_decorations_are_found_and_stripped_in_order() -> None:
    numbered = [f"{n}: {line}" for n, line in enumerate(_LINES, 12)]
    assert damage.decorations_in(numbered) == (damage.NUMBERED,)
    assert damage.decorations_in([f"{n} | {line}" for n, line in enumerate(_LINES, 1)]) == (damage.NUMBERED,)
    quoted_code = ["> " + "    " + line for line in _LINES]
    assert damage.decorations_in(quoted_code) == (damage.QUOTED, damage.INDENTED)
    text = "\r\n".join(quoted_code) + "\r\n"
    assert damage.undecorated(text, (damage.QUOTED, damage.INDENTED)) == "\r\n".join(_LINES) + "\r\n"


def test_lines_that_only_look_decorated_are_left_alone() -> None:
    assert damage.decorations_in(_LINES) == ()
    # times at the start of a line are no line numbers; numbers must count up one a line
    assert damage.decorations_in(["10:41:22 started", "10:41:23 going on", "10:41:24 done"]) == ()
    assert damage.decorations_in(["3: a", "9: b", "4: c", "1: d"]) == ()
    # SMS 1.x debugging lines start with '>>>', not a quote marker
    assert damage.decorations_in([">>>Inside of IndexValid()", ">>>Inside of IndexValid()"]) == ()
    # one indented line among others is a message's own indentation
    assert damage.decorations_in(["Package list:", "    PKG00001", "    PKG00002"]) == ()


def test_a_numbered_cmtrace_paste_is_read_as_cmtrace_on_its_own_lines(parse_text: Parse) -> None:
    text = "".join(f"{n} | {_CMTRACE}\n" for n in range(1, 4))
    assert detect(text).damage == (damage.NUMBERED,)
    events = parse_text(text, name="PolicyAgent.log")
    assert parse_text.reports[0].format == "cmtrace"  # type: ignore[attr-defined]
    assert [(e.line, e.severity, e.component) for e in events] == [
        (n, Severity.ERROR, "PolicyAgent") for n in (1, 2, 3)
    ]


def test_a_quoted_sms_trace_paste_is_read_as_sms_trace(parse_text: Parse) -> None:
    events = parse_text(f"> {_SMS}\n>\n> {_SMS}\n", name="Sender.log")
    assert parse_text.reports[0].format == "smstrace"  # type: ignore[attr-defined]
    assert [(e.line, e.component, e.message) for e in events] == [
        (1, "SMS_LAN_SENDER", _SMS.split(" $$")[0]),
        (3, "SMS_LAN_SENDER", _SMS.split(" $$")[0]),
    ]


def test_an_indented_plain_paste_loses_its_indentation(parse_text: Parse) -> None:
    events = parse_text("".join("    " + line + "\n" for line in _LINES))
    assert [(e.line, e.message, e.severity) for e in events] == [
        (1, _LINES[0], Severity.INFO),
        (2, _LINES[1], Severity.ERROR),
        (3, _LINES[2], Severity.WARNING),
    ]


def test_html_entities_curly_quotes_and_nbsp_in_pasted_text_are_put_back(parse_text: Parse) -> None:
    escaped = _SMS.replace("<", "&lt;").replace(">", "&gt;")
    events = parse_text(escaped + "\n" + escaped + "\n", name="Sender.log")
    assert parse_text.reports[0].format == "smstrace"  # type: ignore[attr-defined]
    assert [e.component for e in events] == ["SMS_LAN_SENDER", "SMS_LAN_SENDER"]
    text = "Running \u201cC:\\Windows\\ccmsetup\\ccmsetup.exe\u201d /mp:\u201cMP01\u201d\nFailed\xa0to\xa0start\xa0the\xa0service\n"
    events = parse_text(text)
    assert [e.message for e in events] == [
        'Running "C:\\Windows\\ccmsetup\\ccmsetup.exe" /mp:"MP01"',
        "Failed to start the service",
    ]
    # a log that writes its own quotes keeps its entities as they are
    kept = parse_text('Sent "a" to https://mp/ccm_system/request?x=1&amp;y=2\n')
    assert kept[0].message.endswith("x=1&amp;y=2")


def _wrap(text: str, width: int = 76) -> str:
    import textwrap

    return "".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)) + "\n"
        for line in text.splitlines()
    )


def test_a_wrapped_cmtrace_paste_is_joined_record_by_record(parse_text: Parse) -> None:
    record = (
        "<![LOG[Failed to get DP locations as the expected version from MP 'HTTP://MP01.contoso.com'."
        ' Error 0x87d00215]LOG]!><time="10:00:01.000+000" date="01-15-2024" component="ContentAccess"'
        ' context="" type="3" thread="10" file="a.cpp:2">'
    )
    text = _wrap("\n".join([record.replace('type="3"', 'type="1"'), record, record]))
    assert detect(text).damage == (damage.WRAPPED,)
    events = parse_text(text, name="CAS.log")
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines, 1) if line.startswith("<![LOG[")]
    assert [(e.line, e.severity) for e in events] == [
        (starts[0], Severity.INFO),
        (starts[1], Severity.ERROR),
        (starts[2], Severity.ERROR),
    ]
    assert events[1].message == record.split("<![LOG[")[1].split("]LOG]!>")[0]
    assert events[1].component == "ContentAccess"


def test_a_wrapped_plain_paste_is_joined_where_the_wrap_broke_it(parse_text: Parse) -> None:
    long = (
        "Failed to download content for the update 8a1c2f3e-0000-4000-8000-000000000001 from the"
        " distribution point because the content hash does not match"
    )
    text = _wrap(
        "\n".join(["Starting the download of the content", long, "Will retry later", long, long, "Done"])
    )
    events = parse_text(text)
    assert [e.message for e in events] == [
        "Starting the download of the content",
        long,
        "Will retry later",
        long,
        long,
        "Done",
    ]
    assert (events[0].end_line, events[1].line) == (1, 2)
    assert events[1].end_line > 2 and events[2].line == events[1].end_line + 1
    # a log whose lines are short of themselves is not joined
    short = "".join(f"Step {n} of the install finished without a problem\n" for n in range(6))
    assert len(parse_text(short)) == 6


def test_one_long_line_wrapped_into_two_or_three_is_joined(parse_text: Parse) -> None:
    line = (
        "Product: Contoso Agent -- Error 1720. There is a problem with this Windows Installer package."
        " A script required for this install to complete could not be run."
    )
    for width in (76, 80):
        wrapped = textwrap.fill(line, width)
        assert 2 <= len(wrapped.splitlines()) <= 3, width
        assert [e.message for e in parse_text(wrapped + "\n")] == [line], width
    # two lines of a log, the first near 76 columns but ending a sentence, stay two
    two = (
        "Error 1324. The folder path 'Program Files' contains an invalid character here.\n"
        "Action ended 09:22:01: CostFinalize. Return value 3.\n"
    )
    assert len(parse_text(two)) == 2
    # nor is a short first line, nor a second line that starts a record of its own
    assert len(parse_text("Installing the agent\nthe next step failed with error 1603\n")) == 2
    started = "Failed to install the package on this computer because the account has no rights on\n"
    assert len(parse_text(started + "[10:00:01] Retrying the installation in five minutes\n")) == 2


def test_a_wrapped_line_among_short_ones_is_joined_where_it_hangs(parse_text: Parse) -> None:
    # one long line wrapped at 76 among short lines: too few lines reach the width to be
    # sure of it, so only a line that ends mid-sentence is joined to the next
    text = (
        "Service startup system task started\n"
        "CSWMtrClientConfig::Load - Failed to get an instance of\n"
        "CCM_SoftwareMeteringClientConfig, error 80041002\n"
        "Failed to load software metering client config\n"
        "No usage will be tracked for process 4, as failed to get owner info or\n"
        "executable file name 80070005\n"
        "Service startup system task finished\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 1), (2, 3), (4, 4), (5, 6), (7, 7)]
    # a word too long to break on a line of its own: the line before it that hangs goes on there
    scope = (
        "ScopeId_9265C920-BDFB-468F-A773-711D991FE1BA/DeploymentType_f67f42c5-787a-4499-b3c3-da103e74dc83/2"
    )
    joined = parse_text(f"Deserializing rules in CI:\nFailed to resolve version for\n{scope}\nDone\n")
    assert [e.message for e in joined] == [
        "Deserializing rules in CI:",
        f"Failed to resolve version for {scope}",
        "Done",
    ]
    # short lines that end whole stay apart
    lines = "Track Usage task started\nSuccessfully started PREP Device Driver\nSoftGrid not detected\n"
    assert len(parse_text(lines * 3)) == 9


def test_a_line_that_ends_in_a_colon_hangs_on_to_what_it_introduces(parse_text: Parse) -> None:
    # smsts.log of a task sequence whose client cannot read token authentication (the
    # Microsoft article the dev case msd-smsts-ccmtokenauth-401-old-client-in-boot-image
    # quotes), wrapped at 76: the address goes on from "URL:"
    text = (
        "Setting Media Certificate.\n"
        "CLibSMSMessageWinHttpTransport::Send: WinHttpOpenRequest - URL:\n"
        "DPServerFQDN:443 PROPFIND /CCMTOKENAUTH_SMS_DP_SMSPKG$/PKGID\n"
        "401 - Unsuccessful with anonymous access. Retrying with context credentials.\n"
        "SendResourceRequest() failed. 80190191\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 1), (2, 3), (4, 4), (5, 5)]


def test_a_code_wrapped_away_from_its_error_goes_back(parse_text: Parse) -> None:
    # MaintenanceCoordinator.log's messages (configmgr/iOS-CMLogTracer, tests/healthy
    # cmlt-maintenancecoordinator-add-task) pasted alone and wrapped at 76: the code goes
    # back to the message, which the known-benign list then names whole
    text = (
        'Removing tasks for agent "RebootCoord".\n'
        "Failed to get task state for '{9BCF7827-E04F-4C3A-8D8C-B943316A2D7F}'. Error\n"
        "0x87d00317\n"
        "Calling to Disable Write Filter.\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 1), (2, 3), (4, 4)]


def test_a_command_lines_switch_is_no_hanging_word(parse_text: Parse) -> None:
    # smsdpprov.log of a PXE install (tests/healthy): "-a" is a switch, not the article
    text = (
        "Installing WDS.\n"
        "Running: ServerManagerCmd.exe -i WDS -a\n"
        "Failed (2) to run: ServerManagerCmd.exe -i WDS -a\n"
        "C:\\SMS_DP$\\sms\\bin\\x64\\PowerShell\\Import-Module-ServerManager-Get-WindowsFeature-WDS.ps1\n"
        "Successfully installed WDS.\n"
    )
    # a line too long to break sets the wrap width at its widest: only a line that hangs joins
    assert len(parse_text(text)) == 5


def test_a_sql_statement_wrapped_at_where_goes_on(parse_text: Parse) -> None:
    # dataldr.log of the SQL NOCOUNT loop (Microsoft's hardware inventory article, the dev case
    # msd-dataldr-sql-nocount-loop) wrapped at 76: the statement goes on after "where" and "="
    text = (
        "SQL>>> select NextGroupKey from ArchitectureMap where ArchitectureKey = 5\n"
        "SQL>>>>> Done.\n"
        "SQL>>> update ArchitectureMap set NextGroupKey = NextGroupKey + 1 where\n"
        "ArchitectureKey = 5 and NextGroupKey = 15080\n"
        "SQL>>>>> Done.\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 1), (2, 2), (3, 4), (5, 5)]
    # a sentence that ends whole before a line that goes on: apart
    assert len(parse_text("Statements ran where\nNo rows were updated.\n")) == 2


def test_an_exception_name_wrapped_below_its_sentence_goes_back(parse_text: Parse) -> None:
    # lines built around a real PowerShell failure of the Driver Automation Tool (its GitHub issue
    # #54: the sentence, then its exception's type), wrapped at 76: the type did not fit after the
    # sentence's full stop
    text = (
        "Info: Starting download of driver package for model OptiPlex 7070\n"
        "Error: Cannot validate argument on parameter 'Path'. The argument is null or\n"
        "empty. Supply an argument that is not null or empty and then try the command.\n"
        "Error: Cannot validate argument on parameter 'Path'. The value is too short.\n"
        "System.Management.Automation.ValidationMetadataException\n"
        "Info: Download finished\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 1), (2, 3), (4, 5), (6, 6)]


def test_a_quoted_line_wrapped_short_of_the_width_goes_on_where_it_hangs(parse_text: Parse) -> None:
    # CoManagementHandler.log's line (the Japanese ConfigMgr support team's blog, the dev case
    # jpm-comanagementhandler-third-party-mdm-coexistence) wrapped at 76: the first line ends at 67
    # columns because "co-existence" did not fit, and it hangs on "in"
    quoted = "This device is enrolled to an unexpected vendor, it will be set in\nco-existence mode\n"
    assert [e.message for e in parse_text(quoted)] == [
        "This device is enrolled to an unexpected vendor, it will be set in co-existence mode"
    ]
    # two short lines that do not hang, or whose next word would have fitted, stay apart
    assert len(parse_text("Policy download started in\nthe background\n")) == 2
    assert len(parse_text("The update could not be installed.\nco-existence mode is on\n")) == 2


def test_a_code_or_call_site_in_brackets_wrapped_below_its_line_goes_back(parse_text: Parse) -> None:
    # CBS.log of a lab Windows 7 machine (logpai/loghub, tests/healthy loghub-win7-cbs-...)
    # wrapped at 76: the HRESULT in brackets goes back to its line, which the known-benign list
    # then names whole
    text = (
        "2016-09-28 04:30:31, Info                  CBS    SQM: Failed to start\n"
        "upload with file pattern: C:\\Windows\\servicing\\sqm\\*_std.sqm, flags: 0x2\n"
        "[HRESULT = 0x80004005 - E_FAIL]\n"
        "2016-09-28 04:30:31, Info                  CBS    SQM: Failed to start\n"
        "standard sample upload. [HRESULT = 0x80004005 - E_FAIL]\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 3), (4, 5)]
    # WindowsUpdate.log (findingsanity/Logs, tests/healthy gh-sum-2021-...): a call site too
    # long to fit goes back to "Method failed"
    update = (
        "2021/07/13 14:02:34.3287362 576   4416  Misc            Token Requested with\n"
        "0 category IDs.\n"
        "2021/07/13 14:02:34.4623626 576   4416  Misc            GetUserTickets: No\n"
        "user tickets found. Returning WU_E_NO_USERTOKEN.\n"
        "2021/07/13 14:02:34.4990850 576   4416  Misc            *FAILED* [80070057]\n"
        "Method failed [AuthTicketHelper::AddTickets:1236]\n"
        "2021/07/13 14:02:34.4990904 576   4416  Misc            *FAILED* [80092004]\n"
        "Method failed\n"
        "[CUpdateEndpointProvider::GenerateSecurityTokenWithAuthTickets:1674]\n"
        "2021/07/13 14:02:34.4992176 576   4416  Misc            Acquired new token\n"
        "from Server\n"
    )
    assert [(e.line, e.end_line) for e in parse_text(update)] == [(1, 2), (3, 4), (5, 6), (7, 9), (10, 11)]
    # DISM's call site after a sentence that ends with a full stop (a Windows 7 dism.log)
    dism = (
        "2014-02-17 15:22:18, Warning               DISM   DISM Provider Store:\n"
        "PID=12980 Failed to Load the provider:\n"
        "C:\\Users\\vagrant\\AppData\\Local\\Temp\\B9BF973C-13EC-4F6B-8AC2-EE478B5B173C\\PEProvider.dll.\n"
        "- CDISMProviderStore::Internal_GetProvider(hr:0x8007007e)\n"
        "2014-02-17 15:22:18, Info                  DISM   DISM Provider Store:\n"
        "PID=12980 Failed to get and initialize the PE Provider.  Continuing by\n"
    )
    first = parse_text(dism)[0]
    assert (first.line, first.end_line) == (1, 4)
    # a bracket that starts a record of its own still does
    started = "Failed to install the package on this computer because the account has no rights on\n"
    assert len(parse_text(started + "[Install] Retrying the installation in five minutes\n")) == 2
