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

SIGNATURES = Path(__file__).resolve().parents[3] / "shared" / "research" / "signatures.md"
HEX_KINDS = {"hresult", "wmi", "bits", "wua", "configmgr", "ntstatus"}


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
        "msi", 1603, "ERROR_INSTALL_FAILURE", "Fatal error during installation."
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
    assert lines[0][1] == "kind\tcode\tsymbol\tmessage"
    seen: set[tuple[str, int]] = set()
    for number, line in lines[1:]:
        fields = line.split("\t")
        assert len(fields) == 4, f"line {number}: {line!r}"
        kind, spelled, symbol, message = fields
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
        assert (kind, code) not in seen, f"line {number}: duplicate {kind} {spelled}"
        seen.add((kind, code))
    assert len(seen) == len(all_codes())


def test_table_size_and_coverage() -> None:
    rows = all_codes()
    per_kind: dict[str, int] = {}
    for row in rows:
        per_kind[row.kind] = per_kind.get(row.kind, 0) + 1
    assert len(rows) >= 800
    assert per_kind["win32"] >= 350
    assert per_kind["configmgr"] == 25  # every code of Microsoft's table, nothing else
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
    assert lookup("configmgr", 0x87D00215) == CodeInfo("configmgr", 0x87D00215, "", "Item not found")


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
        assert readings[0].info == row, row
        assert readings[0].one_line().endswith((".", "!", "?"))


def test_malformed_tables_are_rejected() -> None:
    head = "kind\tcode\tsymbol\tmessage\n"
    with pytest.raises(ValueError, match="duplicate"):
        code_table._parse_table(head + "win32\t5\tA\tx\nwin32\t5\tB\ty\n")
    with pytest.raises(ValueError, match="malformed code"):
        code_table._parse_table(head + "hresult\t0x8007005\tA\tx\n")
    with pytest.raises(ValueError, match="takes 0x%08X"):
        code_table._parse_table(head + "hresult\t5\tA\tx\n")
    with pytest.raises(ValueError, match="unknown kind"):
        code_table._parse_table(head + "nt\t5\tA\tx\n")
    with pytest.raises(ValueError, match="empty or padded message"):
        code_table._parse_table(head + "win32\t5\tA\t \n")
    with pytest.raises(ValueError, match="4 tab-separated"):
        code_table._parse_table(head + "win32\t5\tA\n")


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
