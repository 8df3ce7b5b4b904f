"""The software update, policy and WMI rules on the real findingsanity client logs.

These logs come from a healthy client: the one error record of UpdatesDeployment.log
(`GetUpdateInfo - failed to get targeted update, error = 0x87d00215.`) comes right after the
software updates feature is enabled and is followed by a successful evaluation, and the one of
UpdatesStore.log (`Failed to refresh Resync state message. Error = 0x87d00310.`) by the message
being raised. No rule of these classes may report a finding on them. With the line that shows
the client recovering taken out (in a copy under tmp_path, never in the repository), the rule
written from the real line must fire on it, citing the real line numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.rules.load import load_rules
from tests.conftest import REAL_LOGS, needs_real_logs

RULES, ERRORS = load_rules([])
PREFIXES = ("sup-", "policy-", "wmi-")
FINDINGSANITY = ("UpdatesDeployment.log", "UpdatesHandler.log", "UpdatesStore.log", "WUAHandler.log")


def copy_findingsanity(folder: Path, drop: bytes | None = None) -> None:
    for name in FINDINGSANITY:
        raw = (REAL_LOGS / f"findingsanity-Logs__{name}").read_bytes()
        if drop is not None:
            raw = b"".join(line for line in raw.splitlines(keepends=True) if drop not in line)
        (folder / name).write_bytes(raw)


def ours(folder: Path) -> list[object]:
    return [f for f in diagnose([str(folder)], RULES).findings if f.rule.id.startswith(PREFIXES)]


def test_the_rules_load() -> None:
    assert ERRORS == []
    loaded = {rule.id for rule in RULES}
    assert loaded >= {  # the rules this file tests (other sup- rules live elsewhere)
        "sup-assignment-job-error",
        "sup-deployment-update-error-state",
        "sup-scan-proxy-error",
        "sup-scan-wsus-certificate-not-trusted",
        "sup-scan-wsus-connection-failed",
        "sup-scan-wsus-service-unavailable",
        "sup-scanagent-add-update-source-group-policy-conflict",
        "sup-targeted-update-not-found",
        "sup-update-download-no-content-location",
        "sup-update-install-failed",
        "sup-windowsupdate-wsus-http-error",
        "sup-windowsupdate-wsus-request-via-proxy",
        "sup-wsus-gpo-overrides-software-update-point",
    }
    assert loaded >= {
        "policy-compile-failed",
        "policy-load-80040217-no-network-access-account",
        "policy-sup-client-config-not-received",
        "wmi-ccmexec-namespace-open-failed",
        "wmi-client-namespace-or-class-invalid",
        "wmi-inventory-class-error",
    }


@needs_real_logs
def test_no_finding_on_the_healthy_real_client(tmp_path: Path) -> None:
    copy_findingsanity(tmp_path)
    assert [f.rule.id for f in ours(tmp_path)] == []  # type: ignore[attr-defined]


@needs_real_logs
@pytest.mark.parametrize(
    ("drop", "rule", "lines"),
    [
        # without the evaluation that succeeds 27 s later, the real 0x87d00215 line (22) after the
        # real "has total CI" line (21) is the targeted-update rule's; the log ends inside its
        # two-hour window, so the finding is inconclusive
        (b"ASSIGNMENT_EVALUATE_SUCCESS", "sup-targeted-update-not-found", [21, 22]),
        # without "Enabling software Updates feature", the real line 2 is the not-received rule's
        (b"Enabling software Updates feature", "policy-sup-client-config-not-received", [2]),
    ],
)
def test_the_real_wording_fires_once_the_recovery_is_gone(
    tmp_path: Path, drop: bytes, rule: str, lines: list[int]
) -> None:
    copy_findingsanity(tmp_path, drop)
    found = ours(tmp_path)
    assert [f.rule.id for f in found] == [rule]  # type: ignore[attr-defined]
    finding = found[0]
    assert finding.log.endswith("UpdatesDeployment.log")  # type: ignore[attr-defined]
    assert [e.line for e in finding.evidence] == lines  # type: ignore[attr-defined]
