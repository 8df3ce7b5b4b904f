"""Windows Installer error message numbers: "Error 1920." in an MSI log is message 1920 of the Error table
(Microsoft, "Windows Installer Error Messages (for Development)"), not Win32 1920; msiexec's results
(1603, 1612 ...) and the Win32 codes an MSI log names as such stay what they were."""

from __future__ import annotations

import pytest

from smslogdoc import codes
from smslogdoc.codes.explain import explain, render_message
from smslogdoc.codes.find import find_codes


def _readings(message: str) -> list[tuple[int, str]]:
    return [
        (found.explanation.value, found.explanation.info.kind if found.explanation.info else "")
        for found in find_codes(message)
    ]


# Real Windows Installer log lines whose "Error NNNN." is a message number.
MESSAGE_LINES = [
    # elastic/windows-installers#274 (MSI log, quoted in rules/msi-service-failed-to-start-1920.yaml)
    (
        "MSI (s) (D0:F8) [09:46:44:294]: Product: Elasticsearch 6.4.0 -- Error 1920. Service 'Elasticsearch' "
        "(Elasticsearch) failed to start.  Verify that you have sufficient privileges to start system services.",
        1920,
    ),
    # prometheus-community/windows_exporter#1894 (the bare line after it, rules/msi-service-failed-to-start-1920.yaml)
    (
        "Error 1920. Service 'windows_exporter' (windows_exporter) failed to start. Verify that you have "
        "sufficient privileges to start system services.",
        1920,
    ),
    # ironmansoftware/powershell-universal#5592 (rules/msi-service-could-not-be-installed-1923.yaml)
    (
        "Error 1923. Service 'PowerShell Universal' (PowerShellUniversal) could not be installed.  Verify that "
        "you have sufficient privileges to install system services.",
        1923,
    ),
    # Microsoft, Windows Installer docs "Sending Messages to Windows Installer Using MsiProcessMessage"
    # (MicrosoftDocs/win32 desktop-src/Msi/sending-messages-to-windows-installer-using-msiprocessmessage.md)
    ("Error 1304. Error writing to file: Myfile.txt. Verify that you have access to that directory.", 1304),
    # intel/haxm#163 (verbose MSI log)
    (
        "DEBUG: Error 2203:  Database: H:\\WINDOWS\\Installer\\inprogressinstallinfo.ipi. Cannot open database "
        "file. System error -2147287037",
        2203,
    ),
    # apple/foundationdb#277 (a package without the internal messages' texts)
    (
        "MSI (s) (80:44) [21:08:54:011]: Product: FoundationDB -- The installer has encountered an unexpected "
        "error installing this package. This may indicate a problem with this package. The error code is 2203. "
        "The arguments are: C:\\foundationdb-5.1.5-x64.msi, -2147287035, ",
        2203,
    ),
    # sous-chefs/java#331 (msi.log)
    (
        "MSI (s) (7C:7C) [14:14:45:121]: Product: Java SE Development Kit 8 Update 112 (64-bit) -- Internal "
        "Error 2235. , Condition, SELECT `Action`,NULL,`Condition` FROM `InstallExecuteSequence` WHERE "
        "`Sequence` > 0 ORDER BY `Sequence`",
        2235,
    ),
    (
        "DEBUG: Error 2235:  Database: . Column 'Condition' not present or ambiguous in SQL query: SELECT "
        "`Action`,NULL,`Condition` FROM `InstallExecuteSequence` WHERE `Sequence` > 0 ORDER BY `Sequence`",
        2235,
    ),
    # microsoft/winget-pkgs#57692 (a reviewer's MSI log; the line is cut where the quoted excerpt ends)
    (
        "MSI (s) (F0:1C) [15:20:42:643]: Product: Box -- Error 1935. An error occurred during the installation "
        "of assembly component {22D75DAD-658C-3109-91F7-4CB1A0729109}. HRESULT",
        1935,
    ),
    # Patch My PC docs, "Troubleshoot installation and upgrade issues" (rules/msi-upgrade-1714-...-1612.yaml)
    (
        "Error 1714. The older version of Patch My PC Publishing Service cannot be removed.  Contact your "
        "technical support group.  System Error 1612.",
        1714,
    ),
]


@pytest.mark.parametrize(("message", "number"), MESSAGE_LINES)
def test_an_msi_error_message_number_reads_as_the_message(message: str, number: int) -> None:
    found = find_codes(message)
    reading = found[0].explanation
    assert (reading.value, reading.info.kind if reading.info else "") == (number, "msimessage")
    assert reading.hresult is None and reading.win32 is None
    assert reading.info == codes.lookup("msimessage", number)
    assert "0x" not in reading.one_line().split(":")[0]  # a message number has no hex or HRESULT form


def test_the_example_of_the_report_reads_as_service_failed_to_start() -> None:
    line = (
        "MSI (s) (A8:5C) [10:12:13:123]: Product: Foo -- Error 1920. Service 'FooSvc' (FooSvc) failed to "
        "start.  Verify that you have sufficient privileges to start system services."
    )
    assert codes.explained(line) == (
        "1920 (Windows Installer error message): Service '…' (…) failed to start. Verify that you have "
        "sufficient privileges to start system services.",
    )


def test_a_system_error_inside_the_message_stays_a_result() -> None:
    # Patch My PC docs (above): 1714 is the message, "System Error 1612" msiexec's ERROR_INSTALL_SOURCE_ABSENT.
    message = MESSAGE_LINES[-1][0]
    assert _readings(message) == [(1714, "msimessage"), (1612, "msi")]
    assert _readings("MSI (s) (7C:7C) [14:14:45:121]: " + message) == [(1714, "msimessage"), (1612, "msi")]


# Results and Win32 codes a Windows Installer log writes in its own words: unchanged.
RESULT_LINES = [
    # elastic/windows-installers#431
    ("MSI (s) (80:1C) [12:12:53:882]: MainEngineThread is returning 1603", [(1603, "msi")]),
    # Patch My PC docs (rules/msi-upgrade-1714-older-version-source-missing-1612.yaml)
    (
        "CustomAction  returned actual error code 1612 (note this may not be 100% accurate if translation "
        "happened inside sandbox)",
        [(1612, "msi")],
    ),
    # wixtoolset/issues#5191
    ("MSI (c) (94:F8) [14:35:16:163]: Failed to grab execution mutex. System error 258.", [(258, "win32")]),
    # intel/haxm#163: "Note: 1: 2203" names a message by number; its "3:" is the storage HRESULT
    (
        "MSI (s) (C8:24) [00:15:14:346]: Note: 1: 2203 2: H:\\WINDOWS\\Installer\\inprogressinstallinfo.ipi 3: "
        "-2147287038 ",
        [(0x80030002, "hresult")],
    ),
    # wixtoolset/issues#6253 (WixQuietExec64 output, rules/msi-custom-action-access-denied.yaml)
    ("WixQuietExec64:  Error 0x80070005: Access is denied.", [(0x80070005, "win32")]),
    # Particular/ServicePulse#105
    ("Action ended 14:20:44: ExecuteAction. Return value 3.", []),
    # constructed in Windows Installer's wording: a Win32 code by its name
    ("MSI (s) (A8:5C) [10:12:13:123]: Failed to open the service. GetLastError = 5", [(5, "win32")]),
]


@pytest.mark.parametrize(("message", "expected"), RESULT_LINES)
def test_results_and_win32_codes_in_an_msi_log_are_unchanged(
    message: str, expected: list[tuple[int, str]]
) -> None:
    assert _readings(message) == expected


def test_a_message_number_the_table_lacks_gets_no_win32_reading() -> None:
    # nmaier/simpleDLNA#2: "Error 1001." is a package's own message (an installer class custom action), not
    # Win32 1001 (ERROR_STACK_OVERFLOW).
    assert find_codes("Error 1001. The specified registry key does not exist.") == []


def test_the_shape_outside_an_msi_log_needs_windows_installer_s_wording() -> None:
    # "failed with error 1603." is a result wherever it is written, and lower-case "error" is not Installer's prefix.
    assert _readings("Installation failed with error 1603.") == [(1603, "msi")]
    assert _readings("Installation failed: Error 1603 returned by msiexec") == [(1603, "msi")]


def test_a_win32_text_after_the_number_keeps_the_win32_reading() -> None:
    # constructed: the shape with Win32 1722's own text is the RPC error, not Installer message 1722
    assert _readings("Error 1722. The RPC server is unavailable.") == [(1722, "win32")]


def test_explain_gives_the_message_beside_win32() -> None:
    readings = explain("1920", every=True)
    kinds = [r.info.kind for r in readings if r.info is not None]
    assert kinds[:2] == ["win32", "msimessage"]
    message = readings[1]
    assert message.one_line() == (
        "1920 (Windows Installer error message): Service '…' (…) failed to start. Verify that you have "
        "sufficient privileges to start system services."
    )
    assert explain("1920", kind_hint="msimessage")[0].info == codes.lookup("msimessage", 1920)
    assert [r.info.kind for r in explain("1603", every=True) if r.info][:2] == ["msi", "msimessage"]


def test_the_table_keeps_the_source_s_text_and_insertion_points() -> None:
    row = codes.lookup("msimessage", 1920)
    assert row is not None and row.source == "ms-msi-messages" and row.symbol == ""
    assert row.message == (
        "Service '[2]' ([3]) failed to start. Verify that you have sufficient privileges to start system services."
    )
    assert codes.lookup("msimessage", 1311).message == "Could not locate source file cabinet: [2]."  # type: ignore[union-attr]
    assert codes.lookup("msi", 1603).symbol == "ERROR_INSTALL_FAILURE"  # type: ignore[union-attr]
    rows = [row for row in codes.all_codes() if row.kind == "msimessage"]
    assert len(rows) >= 540
    assert all(1101 <= row.code <= 3002 for row in rows)
    assert render_message("Module [2] failed to register. HRESULT [3].", "msimessage") == (
        "Module … failed to register. HRESULT …."
    )
    text = render_message(codes.lookup("msimessage", 1935).message, "msimessage")  # type: ignore[union-attr]
    assert "[" not in text and "{" not in text
