"""The usual causes of a wording in a workflow and of a status value reach the
finding: a decisive line no written rule knows gets the likely causes named in
its cause ("Usual causes in <workflow>: ..." / "Usual causes: ..."), the words
the field uses for them (proxy, WsusPool, TLS 1.2, SUSDB, boundary group, the
network access account ...). One row per workflow: the log, a line (constructed
in the component's wording, or cited), the rule that names it and words its
cause must say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import invoke


def _record(message: str, component: str, severity: int = 3) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:00:00.000+000" date="01-01-2024" '
        f'component="{component}" context="" type="{severity}" thread="1" file="">'
    )


ROWS = [
    # site_sup: wsyncmgr's sync failure (wording of rules/wsyncmgr-*.yaml), WCM's failed configuration state
    (
        "wsyncmgr.log",
        _record(
            "Sync failed: Failed to sync some of the updates. Source: Microsoft.SystemsManagementServer.SoftwareUpdatesManagement.WsusSyncAction",
            "SMS_WSUS_SYNC_MANAGER",
        ),
        "phrase-sync-failed-site-sup",
        ["Usual causes in software update point", "proxy", "TLS 1.2", "WsusPool", "SUSDB", "upstream server"],
    ),
    (
        "WCM.log",
        _record(
            "Setting new configuration state to 3 (WSUS_CONFIG_FAILED)", "SMS_WSUS_CONFIGURATION_MANAGER", 1
        ),
        "state-wsusconfigstate-3",
        ["Usual causes", "WSUS administration console", "SSL setting", "WsusPool"],
    ),
    # site_sup status message 6703 (WSUS Synchronization failed)
    (
        "wsyncmgr.log",
        _record(
            'STATMSG: ID=6703 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_WSUS_SYNC_MANAGER" SYS=SERVER SITE=CS1 PID=432 TID=3404',
            "SMS_WSUS_SYNC_MANAGER",
            1,
        ),
        "state-wsussyncstate-6703",
        ["proxy", "TLS 1.2", "WsusPool"],
    ),
    # content: a download that timed out on the client
    (
        "DataTransferService.log",
        _record(
            "DTS job {1B2C3D4E-0000-0000-0000-000000000001} BITS job timed out waiting for the distribution point",
            "DataTransferService",
        ),
        "phrase-timed-out-content",
        [
            "Usual causes in content download on the client",
            "boundary group",
            "BITS",
            "distribution point that is down",
        ],
    ),
    # update: a scan that timed out
    (
        "WUAHandler.log",
        _record("Scan against the update source timed out", "WUAHandler"),
        "phrase-timed-out-update",
        [
            "Usual causes in software updates on the client",
            "software update point unreachable",
            "WsusPool",
            "SUSDB",
        ],
    ),
    # site_dp: Distribution Manager refused by a distribution point, and its status message 2302
    (
        "distmgr.log",
        _record(
            "Cannot copy content to the distribution point, access is denied", "SMS_DISTRIBUTION_MANAGER"
        ),
        "phrase-access-denied-site-dp",
        ["Usual causes in distribution points", "local Administrators", "package source"],
    ),
    (
        "distmgr.log",
        _record(
            'STATMSG: ID=2302 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_DISTRIBUTION_MANAGER" SYS=SERVER SITE=CS1 PID=1 TID=2',
            "SMS_DISTRIBUTION_MANAGER",
            1,
        ),
        "state-componentstatusmessage-2302",
        ["Usual causes", "local Administrators", "free space"],
    ),
    # site_core: a component that times out on the site database
    (
        "sitecomp.log",
        _record("The connection to the site database timed out", "SMS_SITE_COMPONENT_MANAGER"),
        "phrase-timed-out-site-core",
        ["Usual causes in site server components and the site database", "SPN", "1433"],
    ),
    # site_mp: the management point waiting on the database
    (
        "MP_GetAuth.log",
        _record("The request to the site database timed out", "MP_GetAuth_ISAPI"),
        "phrase-timed-out-site-mp",
        ["Usual causes in management point", "high-latency", "SQL Server blocking"],
    ),
    # policy: the client cannot reach its management point
    (
        "CcmMessaging.log",
        _record("The request to the management point timed out", "CcmMessaging"),
        "phrase-timed-out-policy",
        ["Usual causes in client communication", "80 and 443", "high-latency"],
    ),
    # application: the install's state 4 and a detection that finds nothing
    (
        "smsts.log",
        _record("Execution status received: 4 (Application failed to install )", "InstallApplication"),
        "state-appevaluationstate-4",
        ["Usual causes", "detection rule", "1618"],
    ),
    # task_sequence: a download in WinPE that times out (a hash mismatch has a written rule)
    (
        "smsts.log",
        _record("Download of package content timed out", "TSManager"),
        "phrase-timed-out-task-sequence",
        ["Usual causes in task sequences and OS deployment", "network driver", "boundary group"],
    ),
    # client_install: ccmsetup gives up reaching the management point
    (
        "ccmsetup.log",
        _record("The request to the management point timed out", "ccmsetup"),
        "phrase-timed-out-client-install",
        ["Usual causes in client installation", "content lookup", "boundary group"],
    ),
    # the generic wordings ("failed to", "unable to" ...) get their workflow's usual causes
    (
        "ccmsetup.log",
        _record("Failed to get client version from the management point", "ccmsetup"),
        "phrase-failed-to-client-install",
        ["Usual causes in client installation", "root\\ccm", "CCM_Client", "RESETKEYINFORMATION"],
    ),
    (
        "AppEnforce.log",
        _record("Unable to start the enforcement of the deployment type", "AppEnforce"),
        "phrase-unable-to-application",
        ["Usual causes in applications", "detection rule", "CCM_CITask"],
    ),
    (
        "PolicyAgent.log",
        _record("Failed to retrieve the policy body from the management point", "PolicyAgent"),
        "phrase-failed-to-policy",
        ["Usual causes in client communication", "RESETKEYINFORMATION", "revocation list"],
    ),
    (
        "smsts.log",
        _record("Failed to resolve the source for package CM100004", "TSManager"),
        "phrase-failed-to-task-sequence",
        ["network driver", "network access account", "Setup Windows and ConfigMgr"],
    ),
]


@pytest.mark.parametrize(("log", "line", "rule", "words"), ROWS, ids=[f"{row[0]}:{row[2]}" for row in ROWS])
def test_the_finding_names_the_usual_causes(
    tmp_path: Path, log: str, line: str, rule: str, words: list[str]
) -> None:
    path = tmp_path / log
    path.write_text(line + "\n", encoding="utf-8")
    findings = json.loads(invoke(["diagnose", str(path), "--format", "json"]).stdout)["findings"]
    found = {finding["rule"]: finding for finding in findings}
    assert rule in found, sorted(found)
    cause = found[rule]["cause"]
    for word in words:
        assert word in cause, (word, cause)


def test_a_workflow_without_causes_says_none() -> None:
    """A wording's family entry without `causes` (or a log of no family) gives
    no "Usual causes" sentence: causes are never invented for it."""
    from smslogdoc.kinds import load_kinds
    from smslogdoc.rules.families import family_rules

    rules, errors = family_rules(load_kinds())
    assert not errors
    generic = next(rule for rule in rules if rule.id == "phrase-timed-out")
    assert generic.cause == "" and generic.causes == ()
    with_causes = [rule for rule in rules if rule.family in {"phrase", "state"} and rule.causes]
    assert len([rule for rule in with_causes if rule.family == "phrase"]) >= 30
    assert len([rule for rule in with_causes if rule.family == "state"]) >= 20
    assert all(rule.cause.startswith("Usual causes") for rule in with_causes)
