"""Tests for smslogdoc.codes: the code table, parse_code, explain and find_codes."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from smslogdoc import codes
from smslogdoc.codes import CodeInfo, Explanation, all_codes, explain, find_codes, lookup, parse_code
from smslogdoc.codes import table as code_table
from smslogdoc.codes import tsv as code_tsv
from smslogdoc.rules.model import code_literals

SIGNATURES = Path(__file__).resolve().parents[3] / "shared" / "research" / "signatures.md"
HEX_KINDS = code_tsv.HEX_KINDS


def best(text: str, kind_hint: str | None = None) -> Explanation:
    return explain(text, kind_hint=kind_hint)[0]


# --------------------------------------------------------------------------- acceptance lines


def test_acceptance_access_denied() -> None:
    assert (
        best("0x80070005").one_line()
        == "0x80070005 (-2147024891; Win32 5, ERROR_ACCESS_DENIED): Access is denied."
    )


def test_acceptance_1317() -> None:
    assert (
        best("1317").one_line()
        == "1317 (0x525, 0x80070525; ERROR_NO_SUCH_USER): The specified account does not exist."
    )


def test_acceptance_configmgr_not_detected() -> None:
    assert (
        best("0x87D00324").one_line()
        == "0x87D00324 (-2016410844; ConfigMgr): The application was not detected after installation completed."
    )


def test_msi_1603_says_fatal_error() -> None:
    line = best("1603").one_line()
    assert "Fatal error during installation." in line
    assert best("1603").info == CodeInfo(
        "msi", 1603, "ERROR_INSTALL_FAILURE", "Fatal error during installation.", "ms-erref"
    )


def test_unknown_code_says_so() -> None:
    assert (
        best("0x8BADF00D").one_line() == "0x8BADF00D: unknown code (facility 0x3AD)"
    )  # 11 bits: 0x8BAD & 0x7FF
    assert best("0x8007FFFF").one_line() == "0x8007FFFF: unknown code (Win32 65535)"
    assert best("65000").one_line() == "65000: unknown code"
    assert not best("65000").known


# --------------------------------------------------------------------------- spellings


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0x80070005", 0x80070005),
        ("0X80070005", 0x80070005),
        ("0x80070005L", 0x80070005),
        ("80070005", 0x80070005),
        ("8007042C", 0x8007042C),
        ("8007042c", 0x8007042C),
        ("-2147024891", 0x80070005),
        ("2147942405", 0x80070005),
        ("#2147942405", 0x80070005),
        ("1317", 1317),
        ("0x525", 1317),
        ("  0x525 ", 1317),
        ("0", 0),
        ("-1", 0xFFFFFFFF),
        ("4294967295", 0xFFFFFFFF),
        ("0x00000005", 5),
    ],
)
def test_parse_code_spellings(text: str, value: int) -> None:
    assert parse_code(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "0x",
        "0x123456789",
        "1.2",
        "12:30",
        "TST00817",
        "4294967296",
        "-2147483649",
        "{80070005}",
        "5 6",
    ],
)
def test_parse_code_rejects_non_codes(text: str) -> None:
    assert parse_code(text) is None


def test_explain_rejects_non_codes_clearly() -> None:
    with pytest.raises(ValueError, match="not an error code: 'hello'"):
        explain("hello")
    with pytest.raises(ValueError, match="unknown kind_hint"):
        explain("5", kind_hint="nonsense")


@pytest.mark.parametrize("text", ["0x80070005", "80070005", "-2147024891", "2147942405", "#2147942405"])
def test_every_spelling_gives_the_same_reading(text: str) -> None:
    reading = best(text)
    assert reading.spelling == text
    assert reading.value == 0x80070005
    assert reading.hresult == 0x80070005
    assert reading.win32 == 5
    assert reading.facility == "FACILITY_WIN32"
    assert reading.info == lookup("win32", 5)


# --------------------------------------------------------------------------- decomposition


def test_small_win32_number_carries_its_hresult_form() -> None:
    reading = best("0x525")
    assert (reading.value, reading.win32, reading.hresult, reading.facility) == (1317, 1317, 0x80070525, "")
    assert reading.info is not None and reading.info.symbol == "ERROR_NO_SUCH_USER"


def test_seven_is_win32_and_ccmsetup() -> None:
    readings = explain("7")
    assert [r.info.kind for r in readings if r.info] == ["win32", "ccmsetup"]
    hinted = explain("7", kind_hint="ccmsetup")
    assert [r.info.kind for r in hinted if r.info] == ["ccmsetup", "win32"]
    assert hinted[0].one_line() == "7 (ccmsetup return code): Reboot required."
    assert hinted[0].hresult is None and hinted[0].win32 is None


@pytest.mark.parametrize(
    ("text", "kind", "symbol", "facility", "win32"),
    [
        ("0x80070643", "msi", "ERROR_INSTALL_FAILURE", "FACILITY_WIN32", 1603),
        ("0x80070BC2", "win32", "ERROR_SUCCESS_REBOOT_REQUIRED", "FACILITY_WIN32", 3010),
        ("0x800706BA", "win32", "RPC_S_SERVER_UNAVAILABLE", "FACILITY_WIN32", 1722),
        ("0x80070842", "win32", "NERR_ServerNotStarted", "FACILITY_WIN32", 2114),
        ("0x80072EFD", "winhttp", "ERROR_WINHTTP_CANNOT_CONNECT", "FACILITY_WIN32", 12029),
        ("0x80072F78", "winhttp", "ERROR_WINHTTP_INVALID_SERVER_RESPONSE", "FACILITY_WIN32", 12152),
        ("0x80004005", "hresult", "E_FAIL", "FACILITY_NULL", None),
        ("0x80040154", "hresult", "REGDB_E_CLASSNOTREG", "FACILITY_ITF", None),
        ("0x80080005", "hresult", "CO_E_SERVER_EXEC_FAILURE", "FACILITY_WINDOWS", None),
        ("0x80091007", "hresult", "CRYPT_E_HASH_VALUE", "FACILITY_SECURITY", None),
        ("0x800B0101", "hresult", "CERT_E_EXPIRED", "FACILITY_CERT", None),
        ("0x80041002", "wmi", "WBEM_E_NOT_FOUND", "FACILITY_ITF", None),
        ("0x80200010", "bits", "BG_E_NETWORK_DISCONNECTED", "FACILITY_BACKGROUNDCOPY", None),
        ("0x80190194", "bits", "BG_E_HTTP_ERROR_404", "FACILITY_HTTP", None),
        ("0x80190193", "http", "HTTP_STATUS_FORBIDDEN", "FACILITY_HTTP", None),
        ("0x8024402C", "wua", "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", "FACILITY_WINDOWSUPDATE", None),
        ("0x87D00215", "configmgr", "", "0x7D0", None),
        ("0x87D1076C", "configmgr", "", "0x7D1", None),
    ],
)
def test_facility_decomposition(text: str, kind: str, symbol: str, facility: str, win32: int | None) -> None:
    reading = best(text)
    assert reading.info is not None
    assert (reading.info.kind, reading.info.symbol, reading.facility, reading.win32) == (
        kind,
        symbol,
        facility,
        win32,
    )
    assert reading.hresult == reading.value


def test_bits_http_status_by_rule() -> None:
    assert best("0x80190194").one_line() == (
        "0x80190194 (-2145844844; BITS, HTTP 404 Not Found, BG_E_HTTP_ERROR_404): "
        "The requested URL does not exist on the server."
    )
    # 403 has no BITS row of its own: the low 16 bits give the HTTP status.
    assert best("0x80190193").one_line().startswith("0x80190193 (-2145844845; BITS, HTTP 403 Forbidden,")


def test_winhttp_bare_and_wrapped() -> None:
    bare = best("12029")
    assert bare.info is not None and bare.info.kind == "winhttp"
    assert bare.hresult == 0x80072EFD and bare.win32 == 12029
    assert bare.info.message == "A connection with the server could not be established"
    assert best("0x80072EFD").one_line().endswith("A connection with the server could not be established.")


def test_http_status_only_with_hint() -> None:
    assert all(r.info is None or r.info.kind != "http" for r in explain("404"))
    hinted = best("404", kind_hint="http")
    assert hinted.info is not None and hinted.info.symbol == "HTTP_STATUS_NOT_FOUND"


def test_ntstatus_exit_code() -> None:
    reading = best("-1073741819")
    assert reading.info is not None and reading.info.symbol == "STATUS_ACCESS_VIOLATION"
    assert reading.hresult is None and reading.facility == ""


def test_sms_private_codes_are_contextual() -> None:
    for text in ("0xE0040013", "0x80008602", "0x80040215", "28931"):
        reading = best(text)
        assert reading.info is not None and reading.info.kind == "sms", text
        assert "(contextual" in reading.info.message


def test_success_code_reads_as_success() -> None:
    assert best("0").one_line() == "0 (ERROR_SUCCESS): The operation completed successfully."


# --------------------------------------------------------------------------- find_codes


@pytest.mark.parametrize(
    ("message", "spelling", "value", "kind"),
    [
        (
            "Failed to download files through BITS. Error: 0x80190194, Description HTTP status 404",
            "0x80190194",
            0x80190194,
            "bits",
        ),
        ("CcmSetup failed with error code 0x80004005", "0x80004005", 0x80004005, "hresult"),
        ("CcmSetup is exiting with return code 7", "7", 7, "ccmsetup"),
        (
            "Failed to save the current environment block. This is usually caused by a problem with the program. "
            "(Error: 80070057; Source: Windows)",
            "80070057",
            0x80070057,
            "win32",
        ),
        (
            "ACCOUNT MGR : ERROR: NetUserGetLocalGroups failed for user DOM\\SOFTDIST (1722)",
            "1722",
            1722,
            "win32",
        ),
        ("SCHED DATA : Return code = 0x525; The specified user does not exist.", "0x525", 1317, "win32"),
        ("Warning - could not read files from site TB1 (#2147942405)", "2147942405", 0x80070005, "win32"),
        (
            "Execute query exec [sp_CP_SetLastErrorCode] 2097152456, -2147024891",
            "-2147024891",
            0x80070005,
            "win32",
        ),
        (
            "Execution is complete for program X. The exit code is 5, the execution status is FailureNonRetry",
            "5",
            5,
            "win32",
        ),
        ("Program exit code 3010", "3010", 3010, "win32"),
        ("Rebooting the computer - InitiateSystemShutdownEx failed 1115", "1115", 1115, "win32"),
        ('***ERROR: Unable to launch "C:\\setup.exe" - Error : 1314', "1314", 1314, "win32"),
        ("Win32 Error: 2114", "2114", 2114, "win32"),
        ("error code: 67", "67", 67, "win32"),
        ("Failed to connect to \\\\SPARC\\admin$ using account HAMPTON\\SMSService (67)", "67", 67, "win32"),
        (
            "CreateInstance of CLSID_BackgroundCopyManager failed with 8007042C. Unable to check BITS version",
            "8007042C",
            0x8007042C,
            "win32",
        ),
        (
            "Setup failed due to unexpected circumstances The error code is 80070005",
            "80070005",
            0x80070005,
            "win32",
        ),
        (
            "Module C:\\Windows\\CCM\\StatusAgentProxy.dll failed to register. HRESULT -2147024770",
            "-2147024770",
            0x8007007E,
            "win32",
        ),
        (
            "Failed to get DP locations as the expected version from MP 'http://mp01'. Error 0x87d00215",
            "0x87d00215",
            0x87D00215,
            "configmgr",
        ),
        (
            "OnContentAvailable program ProgramName NOT available, 0x80091007",
            "0x80091007",
            0x80091007,
            "hresult",
        ),
        ('<Status ErrorCode="-2145844844" />', "-2145844844", 0x80190194, "bits"),
        (
            "File C:\\Windows\\ccmsetup\\client.msi installation failed. Error text: ExitCode: 1603",
            "1603",
            1603,
            "msi",
        ),
        ("ReWriteSitesRegistry returning 28931", "28931", 28931, "sms"),
        ("SCHED DATA : Handling an error condition (0xe0040013)", "0xe0040013", 0xE0040013, "sms"),
        ("Command completed, return code = -2147021886", "-2147021886", 0x80070BC2, "win32"),
        ("Process 123 exited with code 5", "5", 5, "win32"),
        # real lines the every-log code entries quote (smslogdoc/data/contexts/windows.yaml):
        # npackd/npackd#327, openai/codex#25367, jexuswebserver/JexusManager#137, KB4015968
        ("Process C:\\Windows\\system32\\cmd.exe exited with the code 1605", "1605", 1605, "msi"),
        # LegacyUpdate/LegacyUpdate#76: a code and its text, the code first
        ("80072F78: The server response could not be parsed.", "80072F78", 0x80072F78, "winhttp"),
        ("Codex CLI exited with code -1073741795", "-1073741795", 0xC000001D, "ntstatus"),
        (
            "ERROR ( hresult:80090016, message:Failed to commit configuration changes.",
            "80090016",
            0x80090016,
            "hresult",
        ),
        (
            "MSI (s) (80:48) [10:00:00:000]: Windows Installer installed the product. Product Name: X."
            " Installation success or error status: 1603.",
            "1603",
            1603,
            "msi",
        ),
        # a real DataTransferService.log line (2019), quoted in rules/content-dp-http-cannot-connect.yaml
        (
            "[CCMHTTP] ERROR: URL=http://dp01.contoso.com:80/SMS_DP_SMSPKG$/47a361aa-e9ad-4be2-9acc-dbc0dd7ccb9b,"
            " Port=80, Options=480, Code=12029, Text=ERROR_WINHTTP_CANNOT_CONNECT",
            "12029",
            12029,
            "winhttp",
        ),
        # a WinHTTP call and its error by number: microsoft/winget-cli#5561, altstoreio/AltStore#1664
        ("WinHttpReceiveResponse: 12002: The operation timed out", "12002", 12002, "winhttp"),
        ("WinHttpSendRequest: 12002: operation time has expired", "12002", 12002, "winhttp"),
        # PSAppDeployToolkit writes the exit code in brackets (PSAppDeployToolkit#1912)
        (
            "[Install] [Start-ADTProcess] [Error] :: Execution failed with exit code [1639]: Invalid command line"
            " argument.",
            "1639",
            1639,
            "msi",
        ),
        # a Win32 code zero-padded to eight hex digits (pbatard/rufus#657)
        (
            "Could not delete drive layout: [0x0000045D] The request could not be performed because of an I/O"
            " device error.",
            "0x0000045D",
            0x45D,
            "win32",
        ),
    ],
)
def test_find_codes_in_real_messages(message: str, spelling: str, value: int, kind: str) -> None:
    found = find_codes(message)
    assert len(found) == 1, [f.explanation.one_line() for f in found]
    hit = found[0]
    assert message[hit.start : hit.end] == spelling
    assert hit.explanation.spelling == spelling
    assert hit.explanation.value == value
    assert hit.explanation.info is not None and hit.explanation.info.kind == kind


def test_find_codes_decodes_bits_404_text() -> None:
    (hit,) = find_codes(
        "Failed to download files through BITS. Error: 0x80190194, Description HTTP status 404"
    )
    assert "HTTP 404 Not Found" in hit.explanation.one_line()


def test_ccmsetup_exit_phrase_means_ccmsetup_codes() -> None:
    (hit,) = find_codes("CcmSetup is exiting with return code 7")
    assert hit.explanation.one_line() == "7 (ccmsetup return code): Reboot required."
    (other,) = find_codes("Program exit code 7")
    assert other.explanation.info is not None and other.explanation.info.kind == "win32"


def test_a_number_after_a_winhttp_call_is_a_code_only_in_winhttp_range() -> None:
    assert [f.explanation.value for f in find_codes("HttpSendRequest failed 12029")] == [12029]
    assert find_codes("WinHttpSetTimeouts: 30000") == []  # a time-out in milliseconds, not an error
    assert find_codes("InternetOpenUrl: 1200 bytes") == []


def test_ccmhttp_code_zero_is_no_code() -> None:
    # CCMHTTP writes Code=0 when the HTTP exchange itself worked (the status is elsewhere)
    assert (
        find_codes("[CCMHTTP] ERROR: URL=https://cmg.contoso.com/x, Port=443, Options=31, Code=0, Text=")
        == []
    )


def test_a_winhttp_code_by_number_reaches_its_context() -> None:
    # the HRESULT form 0x80072EE2 of a context is matched by the number CCMHTTP writes (12002)
    literals = code_literals(frozenset({0x80072EE2}))
    assert "80072ee2" in literals and "12002" in literals
    assert "5" not in code_literals(frozenset({0x80070005}))  # a small Win32 number stays the program's own
    # a Win32 code of four digits is written so too ("System error 1219 has occurred.")
    assert "1219" in code_literals(frozenset({0x800704C3}))
    # and zero-padded to eight hex digits ("[0x0000045D]", as Rufus writes it)
    assert "0000045d" in code_literals(frozenset({0x8007045D}))


def test_find_codes_reports_several_in_order() -> None:
    message = "Return code = 0x80070047; Handling an error condition (0x80070047) for program R, exit code 5"
    found = find_codes(message)
    assert [f.explanation.value for f in found] == [0x80070047, 0x80070047, 5]
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_restated_values_count_once() -> None:
    assert [f.explanation.value for f in find_codes("Error 0x80070005 (-2147024891)")] == [0x80070005]
    assert [f.explanation.value for f in find_codes("Error 2147942405 (0x80070005)")] == [0x80070005]


@pytest.mark.parametrize(
    "message",
    [
        "==========[ ccmsetup started in process 476 ]==========",
        "File download 13% complete (262144 of 1888440 bytes).",
        "CcmSetup version: 5.0.8458.1007",
        "Raised Program Success Event for Ad:TST20562, Package:TST00817, Program: WindowsNotepad",
        "Retry time:       10 minute(s)",
        "MSI (s) (54:74) [16:26:11:416]: Note: 1: 1708",
        'CcmSetup started <time="16:26:12.000+300" date="12-11-2010" thread="3264" file="ccmsetup.cpp:9498">',
        "SCHEDULER: ERROR: Unable to connect to CAP~  $$<APM><Mon Nov 15 08:38:12.050 1999><thread=4199866221 (0xFA54DF6D)>",
        "   (0xFFFD6C03)>",
        "MSI: Configuration Manager Client is not installed. ccmsetup 12-11-2010 16:26:12 3264 (0x0CC0)",
        "State message with TopicType 800 and TopicId {0D94311F-CB7B-4E73-94B1-75878081111C} has been sent",
        "File C:\\Windows\\ccmsetup\\{CA4329EC-A4F5-4E5E-A9FE-EFAAE88B0D67}\\client.msi",
        "Smsman.exe run from \\x86.bin\\00000409 with auto location",
        "Updates KB2905359 and Q307434 applied from 10.1.2.3 at 16:26:11",
        "MSI: Action 16:26:11: Return value 3.",
        "ERROR: 12-11-2010 download failed 3 times",
        "Setting job status to 0xd.",
        "CWDIllegalInDllSearch = 0xFFFFFFFF",
        "Free space 3221225472 bytes",
        # a Windows Installer log's registry root (HKEY_LOCAL_MACHINE), Weasis#759's MSI log
        "MSI (s) (C4:34) [18:36:40:100]: Executing op: RegOpenKey(Root=-2147483646,Key=SOFTWARE\\Weasis,,BinaryType=0)",
    ],
)
def test_find_codes_ignores_non_codes(message: str) -> None:
    found = find_codes(message)
    assert found == [], [f.explanation.one_line() for f in found]


def test_thread_exit_code_zero_is_success_not_c7() -> None:
    found = find_codes("Thread C7 has terminated exit code=0")
    assert [
        (f.explanation.value, f.explanation.info.kind if f.explanation.info else None) for f in found
    ] == [(0, "win32")]


def test_trace_thread_suffix_is_not_a_code() -> None:
    message = "The exit code is 3010, the execution status is SuccessRebootRequiredexecmgr 12-11-2010 16:26:12 2904 (0x0B58)"
    assert [f.explanation.value for f in find_codes(message)] == [3010]


def test_find_codes_rejects_bad_hint() -> None:
    with pytest.raises(ValueError, match="unknown kind_hint"):
        find_codes("error 5", kind_hint="bogus")


# --------------------------------------------------------------------------- the table


def _table_lines() -> list[tuple[int, str]]:
    text = files("smslogdoc.data").joinpath("errorcodes.tsv").read_text(encoding="utf-8")
    return [
        (n, line) for n, line in enumerate(text.splitlines(), start=1) if line and not line.startswith("#")
    ]


def test_every_tsv_row_parses() -> None:
    lines = _table_lines()
    assert lines[0][1] == "kind\tcode\tsymbol\tmessage\tsource"
    seen: set[tuple[str, int, str]] = set()
    for number, line in lines[1:]:
        fields = line.split("\t")
        assert len(fields) in (4, 5), f"line {number}: {line!r}"
        kind, spelled, symbol, message = fields[:4]
        assert kind in codes.KINDS, f"line {number}"
        if kind in HEX_KINDS or (kind == "sms" and spelled.startswith("0x")):
            assert re.fullmatch(r"0x[0-9A-F]{8}", spelled), f"line {number}: {spelled!r}"
            code = int(spelled, 16)
        else:
            assert re.fullmatch(r"0|[1-9][0-9]*", spelled), f"line {number}: {spelled!r}"
            code = int(spelled)
            assert code <= 0xFFFF
        assert message.strip() == message and message, f"line {number}: empty message"
        assert re.fullmatch(r"[A-Za-z0-9_]*", symbol), f"line {number}: {symbol!r}"
        source = fields[4] if len(fields) == 5 else ""
        assert (kind, code, source) not in seen, f"line {number}: duplicate {kind} {spelled} {source}"
        seen.add((kind, code, source))
    assert len(seen) == len(all_codes())


def test_every_row_has_a_source_of_the_legend() -> None:
    table = code_table.load_table()
    assert {"ms-erref", "ms-cm-apps", "notes"} <= set(table.sources)
    for row in all_codes():
        assert row.source in table.sources or row.source.startswith("https://"), row
        assert table.source_title(row), row
    keys = [(row.kind, row.code, row.source) for row in all_codes()]
    assert len(keys) == len(set(keys)), "two rows of one code from one source"
    for source in table.sources.values():
        assert source.authority in code_tsv.AUTHORITIES
    defaults = [kind for source in table.sources.values() for kind in source.defaults]
    assert len(defaults) == len(set(defaults)), "a kind has two default sources"


def test_table_size_and_coverage() -> None:
    rows = all_codes()
    per_kind: dict[str, int] = {}
    for row in rows:
        per_kind[row.kind] = per_kind.get(row.kind, 0) + 1
    assert len(rows) >= 3700
    assert per_kind["win32"] >= 350
    assert per_kind["do"] >= 80 and per_kind["setup"] >= 70 and per_kind["sql"] >= 25 and per_kind["cbs"] >= 9
    assert per_kind["wua"] >= 230 and per_kind["intune"] >= 13
    assert per_kind["configmgr"] >= 700
    microsoft_configmgr = [
        row
        for row in rows
        if row.kind == "configmgr" and code_table.load_table().authority(row) == "microsoft"
    ]
    assert len(microsoft_configmgr) >= 350  # the ConfigMgr app-install table and Intune's references
    assert sum(1 for row in rows if row.kind == "configmgr" and row.source == "ms-cm-apps") == 25
    assert per_kind["ccmsetup"] == 6
    assert per_kind["bits"] >= 30 and per_kind["wua"] >= 30 and per_kind["wmi"] >= 60
    for kind, code in [
        ("win32", 1909),
        ("win32", 2114),
        ("win32", 2138),
        ("win32", 2221),
        ("win32", 2226),
        ("win32", 3011),
        ("msi", 1641),
        ("hresult", 0x80004004),
        ("hresult", 0x80004002),
        ("hresult", 0x8000FFFF),
        ("hresult", 0x800B0109),
        ("hresult", 0x800B010A),
        ("hresult", 0x80092013),
        ("hresult", 0x80040E37),
        ("wmi", 0x80041013),
        ("wmi", 0x8004103B),
        ("winhttp", 12001),
        ("winhttp", 12186),
        ("configmgr", 0x87D00607),
        ("configmgr", 0x87D01107),
        ("configmgr", 0x87D01201),
        ("configmgr", 0x87D01202),
        ("configmgr", 0x87D00667),
    ]:
        assert lookup(kind, code) is not None, (kind, hex(code))
    assert lookup("configmgr", 0x87D00215) == CodeInfo(
        "configmgr", 0x87D00215, "", "Item not found", "ms-cm-apps"
    )


def test_every_row_explains_back_to_itself() -> None:
    for row in all_codes():
        if row.kind in HEX_KINDS:
            readings = explain(f"0x{row.code:08X}")
        elif row.kind in ("win32", "msi", "winhttp"):
            readings = explain(str(row.code))
            assert best(f"0x8007{row.code:04X}").info == row
        elif row.kind == "http":
            readings = explain(str(row.code), kind_hint="http")
            assert best(f"0x8019{row.code:04X}").info in (row, lookup("bits", 0x80190000 | row.code))
        else:
            readings = explain(
                str(row.code) if row.code <= 0xFFFF else f"0x{row.code:08X}", kind_hint=row.kind
            )
        first = readings[0]
        assert first.info is not None and row in (first.info, *first.others), row
        assert lookup(row.kind, row.code) == first.info or row.kind == "sms" or first.info.kind == "sms"
        assert first.one_line(note_others=False).endswith((".", "!", "?", "…"))


def test_malformed_tables_are_rejected() -> None:
    head = "#@source ms\tmicrosoft\twin32,hresult\tMicrosoft docs\nkind\tcode\tsymbol\tmessage\tsource\n"
    with pytest.raises(ValueError, match="duplicate"):
        code_tsv.parse_table(head + "win32\t5\tA\tx\nwin32\t5\tB\ty\n")
    with pytest.raises(ValueError, match="malformed code"):
        code_tsv.parse_table(head + "hresult\t0x8007005\tA\tx\n")
    with pytest.raises(ValueError, match="takes 0x%08X"):
        code_tsv.parse_table(head + "hresult\t5\tA\tx\n")
    with pytest.raises(ValueError, match="unknown kind"):
        code_tsv.parse_table(head + "nt\t5\tA\tx\n")
    with pytest.raises(ValueError, match="empty or padded message"):
        code_tsv.parse_table(head + "win32\t5\tA\t \n")
    with pytest.raises(ValueError, match="4 or 5 tab-separated"):
        code_tsv.parse_table(head + "win32\t5\tA\n")
    with pytest.raises(ValueError, match="neither in the legend nor a URL"):
        code_tsv.parse_table(head + "win32\t5\tA\tx\tnowhere\n")
    with pytest.raises(ValueError, match="listed as wua and as hresult"):
        code_tsv.parse_table(head + "hresult\t0x80070005\tA\tx\nwua\t0x80070005\tA\tx\thttps://x.example/\n")
    with pytest.raises(ValueError, match="authority"):
        code_tsv.parse_table("#@source k\tvendor\t-\tT\n")
    # Two sources for one code are kept, the Microsoft one first whatever the file order.
    table = code_tsv.parse_table(
        head + "win32\t5\tA\tcommunity text\thttps://blog.example/codes\nwin32\t5\tA\tx\n"
    )
    assert [row.message for row in table.by_key[("win32", 5)]] == ["x", "community text"]


def test_import_does_not_load_the_table() -> None:
    script = "import smslogdoc.codes.table as c; print(c.load_table.cache_info().currsize)"
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={"PYTHONPATH": root}
    )
    assert out.stdout.strip() == "0"


# --------------------------------------------------------------------------- research notes


def _signatures_section_8() -> str:
    if not SIGNATURES.is_file():
        pytest.skip("../shared/research/signatures.md is not here")
    text = SIGNATURES.read_text(encoding="utf-8")
    start = text.index("## 8. Error codes")
    end = text.index("## 9.", start)
    return text[start:end]


def test_every_code_of_signatures_section_8_is_known() -> None:
    section = _signatures_section_8()
    missing: list[str] = []
    checked = 0
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| code", "| HRESULT", "|---")):
            first, *rest = [cell.strip() for cell in line.strip("|").split("|")]
            tokens = re.findall(r"0x[0-9A-Fa-f]{3,8}|\b[0-9]{1,10}\b", first)
            if rest and first[:1].isdigit() and rest[0].startswith("0x"):
                tokens += re.findall(r"0x[0-9A-Fa-f]{8}", rest[0])
            for token in tokens:
                checked += 1
                if not any(r.known for r in explain(token)):
                    missing.append(token)
        elif line.startswith("0x87D") or "0x87D" in line:
            for token in re.findall(r"0x87D[0-9A-Fa-f]{5}", line):
                checked += 1
                if not best(token).known:
                    missing.append(token)
    assert checked > 100
    assert missing == []


def test_signatures_section_8_5_codes_are_sms_rows() -> None:
    section = _signatures_section_8()
    part = section[section.index("### 8.5") :]
    for token in ("0xE0040013", "0x80008602", "0x80040215", "28931"):
        assert token in part
        assert best(token).info is not None and best(token).info.kind == "sms"  # type: ignore[union-attr]


def test_codes_found_anywhere_in_signatures_are_known() -> None:
    if not SIGNATURES.is_file():
        pytest.skip("../shared/research/signatures.md is not here")
    unknown: set[str] = set()
    for line in SIGNATURES.read_text(encoding="utf-8").splitlines():
        for hit in find_codes(line):
            if not hit.explanation.known:
                unknown.add(line[hit.start : hit.end])
    assert unknown == set()


# --------------------------------------------------------------------------- sources that disagree


def test_a_disagreement_shows_both_sources_microsoft_first() -> None:
    (reading,) = explain("0x87D1041C")
    assert reading.info is not None and reading.info.source == "ms-intune-apps"
    assert (
        reading.info.message == "The application was not detected after installation completed successfully."
    )
    assert [row.source for row in reading.others] == ["intui"]
    assert "APK file deleted" in reading.others[0].message
    assert reading.one_line().endswith(
        "completed successfully. [1 other meaning: smslogdoc explain 0x87D1041C]"
    )
    lines = reading.source_lines()
    assert "learn.microsoft.com" in lines[0] and any("InTUI" in line for line in lines[1:])
    assert [row.source for row in codes.lookup_all("configmgr", 0x87D1041C)] == ["ms-intune-apps", "intui"]


def test_cli_explain_lists_every_meaning_with_its_source() -> None:
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-m", "smslogdoc", "explain", "0x87D1041C", "0x80070005", "--sources"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": root, "NO_COLOR": "1"},
    )
    lines = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr
    assert lines[0].startswith("0x87D1041C (-2016345060; ConfigMgr): The application was not detected")
    assert "[1 other meaning" not in lines[0]  # the lines below list it
    assert any(line.startswith("  other meaning (ConfigMgr): APK file deleted") for line in lines)
    assert any("powershellgallery.com" in line for line in lines)
    assert any(line.startswith("  source: Microsoft, [MS-ERREF]") for line in lines)


def test_notes_beside_an_official_text_are_notes_not_meanings() -> None:
    (reading,) = explain("0x87D00269")
    assert reading.info is not None and reading.info.kind == "configmgr"
    assert reading.info.message == "Required management point not found"
    assert [row.kind for row in reading.others] == ["sms"]
    assert reading.one_line().endswith("[notes on its log context: smslogdoc explain 0x87D00269]")


@pytest.mark.parametrize(
    ("hexcode", "kind", "text"),
    [
        ("0x87D00269", "configmgr", "Required management point not found"),
        ("0x87D00272", "configmgr", "Component is disabled"),
        ("0x87D00288", "configmgr", "Failed to decompress configuration item"),
        ("0x87D00664", "configmgr", "Updates handler job was canceled"),
        ("0x87D00666", "configmgr", "Software updates cannot be installed outside the service window"),
        ("0x87D00692", "configmgr", "Group policy conflict"),
        ("0x87D00705", "configmgr", "Pause state required"),
        ("0x87D0070C", "configmgr", "Software update execution timeout"),
        ("0x87D20417", "configmgr", "Auto Deployment Rule download failed"),
        ("0x87D1FDE8", "configmgr", "Remediation failed"),
        ("0x87D101F8", "configmgr", "Syncml(504)"),
        ("0x87D107D1", "configmgr", "DCMO(1201)"),
        ("0x87D13A9E", "configmgr", "5006:Passcode requires alpha characters"),
        ("0xC7D14FBA", "intune", "(APK) file was deleted after download"),
    ],
)
def test_added_codes_decode_in_every_spelling(hexcode: str, kind: str, text: str) -> None:
    value = int(hexcode, 16)
    signed = value - 0x100000000
    for spelling in (hexcode, hexcode[2:], str(signed), str(value)):
        reading = best(spelling)
        assert reading.value == value, spelling
        assert reading.info is not None and reading.info.kind == kind, spelling
        assert text in reading.info.message, spelling


def test_ntstatus_insertion_points_read_as_an_ellipsis() -> None:
    line = best("0xC0000005").one_line()
    assert "%" not in line
    assert line.endswith("The instruction at 0x… referenced memory at 0x…. The memory could not be ….")
    assert "%" not in best("0xC0000135").one_line()
    assert best("193").one_line().endswith("… is not a valid Win32 application.")
    assert codes.lookup("ntstatus", 0xC0000005) is not None
    assert "%08lx" in codes.lookup("ntstatus", 0xC0000005).message  # type: ignore[union-attr]  # the table keeps the source's text
    for row in all_codes():
        assert "%" not in explain_text(row), row


def explain_text(row: CodeInfo) -> str:
    from smslogdoc.codes.explain import render_message

    return render_message(row.message).replace("100%", "").replace("% ", "")


# --------------------------------------------------------------------------- the kinds added for issue 19


@pytest.mark.parametrize(
    ("hexcode", "kind", "symbol"),
    [
        ("0x80D02002", "do", "DO_E_DOWNLOAD_NO_PROGRESS"),
        ("0x80D05011", "do", "DO_E_INSUFFICIENT_RANGE_SUPPORT"),
        ("0x80D0680D", "do", "DO_E_PEER_BANNED"),
        ("0xC1900208", "setup", "MOSETUP_E_COMPAT_INSTALLREQ_BLOCK"),
        ("0xC1900107", "setup", "MOSETUP_E_CLEANUP_PENDING"),
        ("0x800F081F", "cbs", "CBS_E_SOURCE_MISSING"),
        ("0x800F0831", "cbs", "CBS_E_STORE_CORRUPTION"),
        ("0x8024E007", "wua", "WU_E_EE_CLUSTER_ERROR"),
        ("0x80248007", "wua", "WU_E_DS_NODATA"),
        ("0x8024A10A", "wua", "USO_E_SERVICE_SHUTTING_DOWN"),
        ("0x80092004", "hresult", "CRYPT_E_NOT_FOUND"),
        ("0x80093102", "hresult", "CRYPT_E_ASN1_EOD"),
        ("0x80093002", "hresult", "OSS_NEGATIVE_UINTEGER"),
        ("0x800B0109", "hresult", "CERT_E_UNTRUSTEDROOT"),
    ],
)
def test_every_added_kind_decodes_hex_signed_and_unsigned(hexcode: str, kind: str, symbol: str) -> None:
    value = int(hexcode, 16)
    for spelling in (hexcode, hexcode.lower(), str(value - 0x100000000), str(value), f"#{value}"):
        reading = best(spelling)
        assert reading.info is not None, spelling
        assert (reading.info.kind, reading.info.symbol) == (kind, symbol), spelling
    assert code_table.load_table().authority(best(hexcode).info) == "microsoft"  # type: ignore[arg-type]


def test_setup_rollback_keeps_its_primary_reading_and_lists_the_mosetup_one() -> None:
    (reading,) = explain("0xC1900101")
    assert reading.info is not None and "generic rollback" in reading.info.message
    assert [row.symbol for row in reading.others] == ["MOSETUP_E_SETUP_PLATFORM"]
    assert reading.one_line().endswith("[1 other meaning: smslogdoc explain 0xC1900101]")


@pytest.mark.parametrize(
    ("number", "symbol"), [(18456, ""), (4060, ""), (1205, "LK_VICTIM"), (9002, "LOG_IS_FULL")]
)
def test_sql_errors_read_as_sql_only_when_asked(number: int, symbol: str) -> None:
    assert all(r.info is None or r.info.kind != "sql" for r in explain(str(number)))
    hinted = best(str(number), kind_hint="sql")
    assert hinted.info is not None and (hinted.info.kind, hinted.info.symbol) == ("sql", symbol)
    assert any(r.info is not None and r.info.kind == "sql" for r in explain(str(number), every=True))
    assert "%" not in hinted.one_line() and "0x" not in hinted.one_line()


@pytest.mark.parametrize("status", [401, 403, 404, 407, 500, 503])
def test_http_statuses_decimal_and_as_bits_writes_them(status: int) -> None:
    decimal = best(str(status), kind_hint="http")
    assert decimal.info is not None and decimal.info.kind == "http"
    wrapped = best(f"0x8019{status:04X}")
    assert wrapped.info is not None and wrapped.info.kind in ("http", "bits")
    assert f"HTTP {status} " in wrapped.one_line()
    assert best(str(-(0x100000000 - (0x80190000 | status)))).info == wrapped.info


@pytest.mark.parametrize(
    ("message", "spelling", "kind", "symbol"),
    [
        ("Error sending DAV request. HTTP code 600, status ''", "600", "http", ""),
        ("[CCMHTTP] ERROR INFO: StatusCode=403 StatusText=Forbidden", "403", "http", "HTTP_STATUS_FORBIDDEN"),
        (
            "[CCMHTTP] ERROR INFO: StatusCode= 500 StatusText= Internal Server Error",
            "500",
            "http",
            "HTTP_STATUS_SERVER_ERROR",
        ),
        ("Request failed with HTTP status 407", "407", "http", "HTTP_STATUS_PROXY_AUTH_REQ"),
        (
            "*** [42000][4060][Microsoft][SQL Server Native Client 11.0][SQL Server]Cannot open database "
            '"CM_PS1" requested by the login. The login failed.',
            "4060",
            "sql",
            "",
        ),
        (
            "*** [28000][18456][Microsoft][ODBC Driver 17 for SQL Server][SQL Server]Login failed for user 'DOM\\\\S$'.",
            "18456",
            "sql",
            "",
        ),
        ("SQL Server error: 1205", "1205", "sql", "LK_VICTIM"),
        ("Native error 18452 on the site database connection", "18452", "sql", ""),
        (
            "System.Data.SqlClient.SqlException: Transaction (Process ID 65) was deadlocked; Error Number:1205,State:51,Class:13",
            "1205",
            "sql",
            "LK_VICTIM",
        ),
    ],
)
def test_find_codes_reads_labelled_http_and_sql_numbers(
    message: str, spelling: str, kind: str, symbol: str
) -> None:
    found = find_codes(message)
    assert len(found) == 1, [f.explanation.one_line() for f in found]
    assert message[found[0].start : found[0].end] == spelling
    info = found[0].explanation.info
    assert info is not None and (info.kind, info.symbol) == (kind, symbol)


def test_http_600_is_a_note_not_a_status() -> None:
    (hit,) = find_codes("Error sending DAV request. HTTP code 600, status ''")
    assert hit.explanation.info is not None and hit.explanation.info.source == "notes"
    assert "WinHTTP" in hit.explanation.info.message


def test_an_http_status_restating_a_bits_code_counts_once() -> None:
    found = find_codes(
        "Failed to download files through BITS. Error: 0x80190194, Description HTTP status 404"
    )
    assert [f.explanation.value for f in found] == [0x80190194]


def test_an_error_number_is_a_sql_error_only_where_the_line_names_sql() -> None:
    (hit,) = find_codes("SqlException caught: Error Number: 229, State: 5")
    assert hit.explanation.info is not None and hit.explanation.info.kind == "sql"
    elsewhere = find_codes("Copy of item failed. Error Number: 229")
    assert all(f.explanation.info is None or f.explanation.info.kind != "sql" for f in elsewhere)
