"""The causes the field reports for the codes admins meet most (smslogdoc/data/contexts/*.yaml):
a failure line of each code, in the log its context was written for, gets a finding whose text
names a cause added from field reports (community blogs, vendor knowledge bases, GitHub issues),
with every rule loaded, as a user runs `diagnose`.

Each line is a real line quoted by a source, or the same wording with the code this row tests;
the comment after a row names where the wording comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.report.document import finding_doc
from smslogdoc.rules.load import load_rules

RULES, _ = load_rules([])

# Where each wording comes from (the rows use it with the code they test):
APPENFORCE = "++++++ Failed to enforce app. Error {code}. ++++++"
"""AppEnforce.log, quoted by the Microsoft support KB on application installs failing after a client upgrade."""
UNMATCHED = "Unmatched exit code ({code}) is considered an execution failure."
"""AppEnforce.log, quoted by the Patch My PC KB installation-fails-msi-error-code.md."""
WUAHANDLER = "Scan failed with error = {code}."
"""WUAHandler.log, quoted by msendpointmgr.com (WSUS scan retry error codes, 2015)."""
UPDATESHANDLER = "Update 1 (0a91b273-404a-475f-b065-b2f54b99c7b1) finished installing ({code})"
"""UpdatesHandler.log, quoted by the update-install-fatal context's sources."""

ROWS = [  # (log, line, words a finding must say)
    ("AppEnforce.log", UNMATCHED.format(code=1603), ("8.3", "Temp")),
    ("AppEnforce.log", UNMATCHED.format(code=1618), ("Show-ADTInstallationPrompt", "/qn")),
    ("AppEnforce.log", APPENFORCE.format(code="0x87d01106"), ("CCM_CITask",)),
    ("AppEnforce.log", APPENFORCE.format(code="0x87d00324"), ("Update Content", "product code")),
    ("AppEnforce.log", APPENFORCE.format(code="0x87d00213"), ("PSAppDeployToolkit",)),
    (
        "WUAHandler.log",
        WUAHANDLER.format(code="0x80244010"),
        ("200 server round trips", "SoftwareDistribution"),
    ),
    ("WUAHandler.log", WUAHANDLER.format(code="0x80072ee2"), ("scan retry error codes", "Patch Tuesday")),
    (
        "WUAHandler.log",
        WUAHANDLER.format(code="0x8024401c"),
        ("KB4034658", "SusClientId", "KB3095113", "WPAD"),
    ),
    ("WUAHandler.log", WUAHANDLER.format(code="0x80244022"), ("whole catalog",)),
    ("WUAHandler.log", WUAHANDLER.format(code="0x80244021"), ("WsusPool",)),
    ("WUAHandler.log", WUAHANDLER.format(code="0x8024402c"), ("exception (bypass) list", "WPAD", "WUServer")),
    ("WUAHandler.log", WUAHANDLER.format(code="0x80070422"), ("BITS", "Group Policy")),
    ("WUAHandler.log", WUAHANDLER.format(code="0x80072efd"), ("Internet Explorer",)),
    ("UpdatesHandler.log", UPDATESHANDLER.format(code="0x80070643"), ("250 MB", "winre.wim", ".NET")),
    ("UpdatesHandler.log", UPDATESHANDLER.format(code="0x80070bc9"), ("postponed", "Transactional Entries")),
    ("UpdatesHandler.log", UPDATESHANDLER.format(code="0x800f081f"), ("component repair", "/Source")),
    # osdninja.com, "CheckAndLogOSInformation 0x87d00215"
    ("ccmsetup.log", "CcmSetup failed with error code 0x87d00215", ("CheckAndLogOSInformation", "workgroup")),
    # the push-access-denied context's real line
    (
        "ccm.log",
        '---> Unable to connect to WMI on remote machine "DELL3620-01.test.edu.cn", error = 0x80070005.',
        ("Remote Activation",),
    ),
    # the ts-unspecified and ts-mp-not-found contexts' real lines
    (
        "smsts.log",
        "An error (0x80004005) is encountered in execution of the task sequence",
        ("PortFast", "another boot image"),
    ),
    ("smsts.log", "Required management point not found (Error: 87D00269)", ("PortFast",)),
]


@pytest.mark.parametrize(("log", "line", "words"), ROWS, ids=[row[1][:60] for row in ROWS])
def test_a_failure_line_gets_a_finding_that_names_the_field_causes(
    tmp_path: Path, log: str, line: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / log
    path.write_text(line + "\n", encoding="utf-8")
    docs = [
        finding_doc(finding)
        for finding in diagnose([str(path)], RULES, unexplained="off").findings
        if finding.severity in ("warning", "error")
    ]
    said = " ".join(" ".join([doc["title"], doc["diagnosis"], doc["cause"], *doc["fix"]]) for doc in docs)
    missing = [word for word in words if word.lower() not in said.lower()]
    assert not missing, (missing, [doc["rule"] for doc in docs])
