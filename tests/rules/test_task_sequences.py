"""The task-sequence rules (ts-*) on the real logs of ../shared/real-logs.

Each real smsts.log gets the rule that explains its error records, citing one
of them; the real MDT BDD.log, which shows no failure, gets no finding. The
files are not part of the repository (no licence), so the tests skip when
they are absent.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke, needs_real_logs, real_log

pytestmark = needs_real_logs


def findings(name: str) -> list[dict]:
    result = invoke(["diagnose", str(real_log(name)), "--format", "json", "--jobs", "1"])
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] != "unexplained-errors"]


def cited(finding: dict) -> dict[int, str]:
    return {item["line"]: item["text"] for item in finding["evidence"]}


@pytest.mark.parametrize(
    ("name", "rule", "line", "text"),
    [
        # Windows PE on a blank disk: seven type 3 records "Failed to save the current environment
        # block ... (Error: 80070057)" while "We do not find an available volume to store the local
        # data path"; they stop once Format and Partition Disk (UEFI) has made a volume.
        (
            "maxmoonACR-MDTLOGFiles__smsts.log",
            "ts-environment-block-no-local-volume-until-formatted",
            248,
            "Failed to save the current environment block",
        ),
        # Format and Partition Disk (BIOS) took drive D: away; the data folder moved to C:.
        (
            "brackdk04-hello-world__smsts.log",
            "ts-local-data-path-moved-after-partition",
            307,
            "Failed to create D:\\_SMSTaskSequence (3)",
        ),
        # The only real failure of a successful run: the AD Brand step's LDAP2.ps1 threw LDAP errors
        # (type 3 records) and still exited 0.
        (
            "ErnestoLeon87-log_reader__smsts.log",
            "ts-powershell-script-errors-exit-0",
            5088,
            'Exception calling "SendRequest"',
        ),
    ],
)
def test_real_smsts_log_gets_its_cause(name: str, rule: str, line: int, text: str) -> None:
    found = [f for f in findings(name) if f["status"] == "confirmed"]
    assert [f["rule"] for f in found] == [rule]
    (finding,) = found
    assert cited(finding)[line].startswith(text)


@pytest.mark.parametrize(
    ("name", "resolved"),
    [
        # the saves fail until Format and Partition Disk (UEFI) makes a volume, then D:\_SMSTaskSequence
        ("maxmoonACR-MDTLOGFiles__smsts.log", 359),
        # the finding's own evidence cites the move to C:\_SMSTaskSequence
        ("brackdk04-hello-world__smsts.log", 310),
    ],
)
def test_a_condition_the_log_shows_resolved_is_info_not_a_warning(name: str, resolved: int) -> None:
    result = invoke(["diagnose", str(real_log(name)), "--format", "json", "--jobs", "1"])
    found = json.loads(result.stdout)["findings"]
    assert {finding["severity"] for finding in found} == {"info"}
    assert result.exit_code == 0
    (finding,) = [f for f in found if f["rule"] != "unexplained-errors"]
    assert resolved in cited(finding)
    assert "Updated security on object" in cited(finding)[resolved]


def test_real_smsts_log_evidence_of_the_script_rule_names_the_script() -> None:
    (finding,) = findings("ErnestoLeon87-log_reader__smsts.log")
    assert finding["captures"]["script"] == "LDAP2.ps1"
    assert finding["captures"]["package"] == "MAX00524"


def test_real_bdd_log_without_a_failure_gets_no_finding() -> None:
    # its "ERROR: Invalid OS GUID ... specified for task sequence ..." lines are the wizard listing
    # other task sequences, not a failure of this deployment
    assert findings("maxmoonACR-MDTLOGFiles__BDD.log") == []
