"""A failure line pasted on its own (a message without a type column, time or
component, as it arrives in a ticket or a forum post) is never a silent
all-clear: `diagnose -` gives it an error-level finding that names the kind of
failure from its wording (issue 19: "a pasted message-only failure line never
yields 0 findings"), while a healthy line that only uses the same words stays
quiet. The lines are real ones where a source is given, otherwise the shapes in
which the components and Windows word these failures."""

from __future__ import annotations

import pytest

from tests.conftest import pasted_findings

FAILURES = [
    # Microsoft Q&A thread 2282915 (2025), MP Control Manager's status text as the asker pasted it
    (
        "The management point control manager has detected that the user service is not responding"
        " to HTTP requests. The HTTP status code and text are 12175, .",
        "phrase-not-responding",
    ),
    ("Distribution point is not responding", "phrase-not-responding"),
    ("The SMS Agent Host service is stopped", "phrase-not-responding"),
    ("Source path is inaccessible", "phrase-not-responding"),
    ("WMI repository is corrupted", "phrase-corrupt"),
    ("The disk is full", "phrase-disk-space"),
    ("The site server is low on disk space", "phrase-disk-space"),
    ("Insufficient permissions to write to the registry key", "phrase-lacks-rights"),
    # .NET's WebException text, as console and SUP components write it
    ("The remote server returned an error: (503) Server Unavailable.", "phrase-http-error"),
    ("Proxy authentication required", "phrase-unauthorized-forbidden"),
    ("Object reference not set to an instance of an object.", "phrase-exception"),
    ("The computer restarted unexpectedly during installation", "phrase-terminated"),
    ("Content hash does not match the expected value", "phrase-hash-mismatch"),
    ("The certificate has expired", "phrase-expired"),
    ("Missing file C:\\Windows\\ccmsetup\\ccmsetup.cab", "phrase-not-found"),
    # a driver tool's log line (Driver Automation Tool issue 586); an MSI error (memdocs issue 673), whose
    # wording tells its log (client.msi.log), so that log's rule explains it
    ("[Error] - An error occured while attempting to obtain a list of HP models", "phrase-error-said"),
    (
        "Product: Configuration Manager Client -- Error 25502. Setup was not launched from CcmSetup.exe.",
        "clientmsi-not-launched-from-ccmsetup",
    ),
]

HEALTHY = [
    # CAS.log of a healthy peer cache download (the corpus's dev case jpm-healthy-peer-cache-source-download)
    "CacheManager: There are currently 0 bytes used for cached content items (0 total, 0 active, 0 tombstoned, 0 expired).",
    "No corruption found",
    "The store is not corrupted",
    "Installing the client from the share",
    "Missing updates: 0",
]


@pytest.mark.parametrize(("line", "rule"), FAILURES)
def test_a_pasted_failure_line_gets_an_error_finding_naming_its_kind(line: str, rule: str) -> None:
    findings = pasted_findings(line)
    errors = [f for f in findings if f["severity"] == "error"]
    assert [f["rule"] for f in errors] == [rule]
    (evidence,) = errors[0]["evidence"]  # type: ignore[misc]
    assert evidence["line"] == 1
    assert evidence["severity_inferred"] is True


@pytest.mark.parametrize("line", HEALTHY)
def test_a_healthy_line_using_the_same_words_stays_quiet(line: str) -> None:
    assert pasted_findings(line) == []


def test_a_wordings_finding_keeps_an_acronym_it_quotes_in_its_sentence() -> None:
    """`MP Control Manager ...` inside the diagnosis stays `MP`, not `mP`."""
    from smslogdoc.rules.families.table import in_sentence

    assert in_sentence("MP Control Manager found ...") == "MP Control Manager found ..."
    assert in_sentence("WSUS could not use its database") == "WSUS could not use its database"
    assert in_sentence("The component cannot") == "the component cannot"
    assert in_sentence("a distribution point") == "a distribution point"
