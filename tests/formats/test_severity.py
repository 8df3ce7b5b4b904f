"""Severity inferred from the words of records that carry none (SMS trace,
copied rows, plain text, pastes): formats/severity.py. The lines are real ones
(sample logs and the rules' examples) or their shapes."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from smslogdoc.data import statusvalues
from smslogdoc.formats.severity import LITERALS, infer
from smslogdoc.model import Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Windows Installer: 1 is success, 3 failure (sample_logs/formats/plain-client-msi)
        ("Action ended 15:12:16: InstallFiles. Return value 1.", INFO),
        ("Action ended 15:13:16: InstallFinalize. Return value 3.", ERROR),
        ("MSI (c) (C0:A4) [15:13:16:434]: Back from server. Return value: 1603", ERROR),
        ("MSI (s) (54:74) [15:13:16:337]: Note: 1: 2205 2:  3: Error", INFO),
        # failure words, codes, exit codes
        ("Couldn't find an MP source through AD. Error 0x80004005", ERROR),
        ("Failed to access source file (\\\\server\\share\\ccmsetup.cab)", ERROR),
        ("Sync failed: WSUS update source not found. Source: getUpdateSourceInfo", ERROR),
        ("Program exit code 1", ERROR),
        # WiX's WixQuietExec custom action (dev case gh-msi-wixquietexec-unquoted-command-1603)
        ("WixQuietExec:  Command string must begin with quoted application name.", ERROR),
        # npackd/npackd#327 and openai/codex#25367 (smslogdoc/data/contexts/windows.yaml seen lines)
        ("Process C:\\Windows\\system32\\cmd.exe exited with the code 1605", ERROR),
        ("Codex CLI exited with code -1073741795", ERROR),
        ("Process C:\\Windows\\system32\\cmd.exe exited with the code 0", INFO),
        # Windows Installer's last word in a verbose log (microsoft/PowerToys#47735's 1620 log)
        ("MainEngineThread is returning 1620", ERROR),
        ("MainEngineThread is returning 0", INFO),
        ("MainEngineThread is returning 3010", WARNING),
        # sysprep's setupact.log pasted without its level (microsoft/winget-cli#5599)
        (
            "Package Microsoft.Winget.Source_2025.718.1153.54_neutral__8wekyb3d8bbwe was installed for a user,"
            " but not provisioned for all users. This package will not function properly in the sysprep image.",
            ERROR,
        ),
        ("OnSearchComplete - Failed to end search job. Error = 0x80244022.", ERROR),
        ("Script for Package:SMS00001, Program: x failed with exit code -2147024894", ERROR),
        # "unsuccessful": SMS 2.0's program monitor (smsapm32.log of a real 2000 client)
        ("SCHED DATA  : Program completed unsuccessfully.", ERROR),
        ("401 - Unsuccessful with anonymous access. Retrying with context credentials.", WARNING),
        # looks like a failure, is not
        ("Program exit code 0", INFO),
        ("Sync done, 0 errors", INFO),
        ("ExitCode = 0, error = 0x00000000", INFO),
        ("Install completed with no failures", INFO),
        # AppEnforce.log of a successful install, as Microsoft's "Application installation
        # technical reference" quotes it; a non-zero code is still a failure
        ("    Process 7292 terminated with exitcode: 0", INFO),
        ("    Process 7292 terminated with exitcode: 1603", ERROR),
        # WindowsUpdate.log (pastebin 8n0gZbZE): WU_S_SERVICE_STOP, a success HRESULT; a
        # failure HRESULT or a small exit code in hex is still a failure
        ("2017/02/25 10:29:45.4822642 1056 2672 Shared * END * Service exit Exit code = 0x240001", INFO),
        ("Service exit Exit code = 0x80070005", ERROR),
        ("Program exit code 0x643", ERROR),
        # informational (type 1) records of one real client, configmgr/iOS-CMLogTracer test logs
        # (commit d0d7265), as they read when pasted without their CMTrace type
        ("CCIDigestStore::CancelAndStartIdleTimer Canceling existing idle time-out task", INFO),
        ("Being called due to timeout, (1) cycles time out, do nothing.", INFO),
        ("EP State and Error Code didn't get changed, skip resend state message.", INFO),
        ("Successfully sent location services HTTP failure message.", INFO),
        ("Program cannot Run! Setting *canProgramRun to FALSE", INFO),
        ("Updates could not be installed at this time. Waiting for the next maintenance window.", INFO),
        (
            "Won't send a client assignment fallback status point message because the last assignment "
            "error matches this one.",
            INFO,
        ),
        (
            "Collection: Namespace = \\\\.\\root\\cimv2; Query = SELECT __CLASS, __PATH, __RELPATH, "
            "Availability, Description FROM Win32_SoundDevice; Timeout = 600 secs.",
            INFO,
        ),
        ("Failed to send location services HTTP failure message.", ERROR),
        ("The operation timed out", ERROR),
        # statesys.log (Microsoft, "Description of state messaging in Configuration Manager")
        ('Thread "State Message Processing Thread #0" id:5076 terminated normally', INFO),
        # UpdatesHandler.log listing a download's settings (Microsoft, "Track the software update
        # deployment process")
        ("Timeout Options: Priority = 2, DPLocality = 1048578, Location = 604800, Download = 864000", INFO),
        ("Setting timeout of 600 seconds for the download", INFO),
        # the Windows timeout command as a task sequence step (ErnestoLeon87/log_reader smsts.log)
        # and a client restart task giving DTS jobs a new time-out (configmgr/iOS-CMLogTracer)
        ("Start executing the command line: smsswd.exe /run: Timeout /T 90", INFO),
        ("Trying to update unmanaged DTS jobs with new timeout.", INFO),
        # a CCM message header ccmsetup logs at verbose level (jimbocalvo/Reddit ccmsetup.log)
        ("<Priority>3</Priority><Timeout>600</Timeout><ReqVersion>5931</ReqVersion>", INFO),
        # a restart, a retry, a warning
        ("Program exit code 3010", WARNING),
        # an installer's step that fails and goes on (microsoft/winget-pkgs#153243, a successful install)
        (
            "SchedSecureObjectsRollback:  Failed to store ACL rollback information with error 0x80070424 - continuing",
            WARNING,
        ),
        ("Download of the content timed out, will retry in 60 minutes", WARNING),
        ("WARNING: the maintenance window is closed", WARNING),
        ("Installing the client from the share", INFO),
        # something broken, out of reach, out of space or rights (Microsoft Q&A 2282915 for the first)
        (
            "The management point control manager has detected that the user service is not responding"
            " to HTTP requests. The HTTP status code and text are 12175, .",
            ERROR,
        ),
        ("WMI repository is corrupted", ERROR),
        ("The disk is full", ERROR),
        # SQL Server error 9002's published text, as a site server's logs quote it
        ("The transaction log for database 'CM_P01' is full due to 'LOG_BACKUP'.", ERROR),
        ("Insufficient permissions to write to the registry key", ERROR),
        ("The remote server returned an error: (503) Server Unavailable.", ERROR),
        ("The operation was canceled", ERROR),
        ("The certificate has expired", ERROR),
        # ... and the same words where nothing is wrong (the first: a healthy CAS.log)
        (
            "CacheManager: There are currently 0 bytes used for cached content items"
            " (0 total, 0 active, 0 tombstoned, 0 expired).",
            INFO,
        ),
        ("No corruption found", INFO),
        ("The store is not corrupted", INFO),
        # a specific thing failed in words with no failure word (generalisation corpus, dev part:
        # Patch My PC's publisher log, a Japanese support blog's ContentTransferManager.log, a
        # Patch My PC sync agent status message)
        (
            "The digest of the local content file does not match the expected one. Please ensure the latest"
            " version of Cisco Jabber 12 12.9.7.57303 is present in the configured local content repository.",
            ERROR,
        ),
        (
            "CCTMJob::UpdateLocations - Received empty location update for CTM Job"
            " {320853F3-42B3-4D1C-9518-C1C7DA291B78}",
            ERROR,
        ),
        ("STATMSG: (SRVMSG_SMS_ISVUPDATES_SYNCAGENT_UPDATECONTENT_NO_METADATA).", ERROR),
        ("Transaction (Process ID 66) was deadlocked on lock resources with another process", ERROR),
        # an account without the rights it needs (SMS 2.0 Smsprov.log, KB archive; a paste's words)
        (
            '"DOMAIN\\user" is unknown to SMS security and does not have permissions to log status messages.',
            ERROR,
        ),
        ("The site server doesn't have the required administrative rights on the client", ERROR),
        ("Checking whether the account has permissions to the share", INFO),
        # a PowerShell error record's id line, which only the error stream writes: OSDRunPowerShellScript
        # copies it into smsts.log as an error record (ErnestoLeon87/log_reader smsts.log, line 5093)
        ("    + FullyQualifiedErrorId : LdapException", ERROR),
        ("FullyQualifiedErrorId : RuntimeException", ERROR),
        # ... not a script that names the field or prints it as data
        ("Write-Host $_.FullyQualifiedErrorId", INFO),
        # ... and a hash that differs where nothing is wrong: CMUpdate.log of a healthy update
        # (Microsoft, "Updates and servicing" prerequisite check, tests/healthy)
        (
            "Staging folder (\\\\?\\E:\\ConfigMgr\\CMUStaging\\8576527E) has hash C2CF43A7 which does not"
            " match hash from content library 8055DAEF",
            INFO,
        ),
    ],
)
def test_infer(line: str, expected: Severity) -> None:
    assert infer(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Action ended 15:13:16: InstallFinalize. Return value 3.",
        "Couldn't find an MP source through AD. Error 0x80004005",
        "Download of the content timed out, will retry in 60 minutes",
        "Program exit code 3010",
        "Access is denied",
        "WMI repository is corrupted",
        "The disk is full",
        "The site server is low on disk space",
        "The operation was canceled",
        "The SMS Agent Host service is stopped",
        "Object reference not set to an instance of an object.",
        "Content hash does not match the expected value",
        "No response from the distribution point",
        "The digest of the local content file does not match the expected one.",
        "Received empty location update for CTM Job {320853F3-42B3-4D1C-9518-C1C7DA291B78}",
        "STATMSG: (SRVMSG_SMS_ISVUPDATES_SYNCAGENT_UPDATECONTENT_NO_METADATA).",
        "Transaction (Process ID 66) was deadlocked on lock resources",
        "The process cannot access the file because of a sharing violation",
        "The RPC server is too busy to complete this operation.",
        "There are no task sequences available to this computer.",
        "Status code 500 returned",
        "    + FullyQualifiedErrorId : LdapException",
        "The transaction log for database 'CM_P01' is full due to 'LOG_BACKUP'.",
    ],
)
def test_every_line_inferred_as_trouble_holds_a_literal(line: str) -> None:
    """A scan reads the records holding one of LITERALS: every line `infer` makes
    a warning or an error must hold one, or a scanned log would miss it."""
    assert infer(line) != INFO
    assert any(literal in line.lower() for literal in LITERALS)


def test_an_inferred_severity_is_marked_in_every_format() -> None:
    """A pasted line has no severity of its own: each format says where the error came from."""
    import json

    from tests.conftest import invoke

    pasted = "Failed to download update content 0x80072ee2\n"
    document = json.loads(invoke(["diagnose", "-f", "json", "-"], input=pasted).stdout)
    evidence = [item for finding in document["findings"] for item in finding["evidence"]]
    assert evidence and all(item.get("severity_inferred") is True for item in evidence)
    for form, words in (("text", "severity inferred from its words"), ("markdown", "(severity inferred")):
        assert words in invoke(["diagnose", "-f", form, "-"], input=pasted).stdout, form
    assert "severity inferred from its words" in invoke(["diagnose", "-f", "html", "-"], input=pasted).stdout
    (event,) = [
        json.loads(line) for line in invoke(["parse", "-f", "jsonl", "-"], input=pasted).stdout.splitlines()
    ]
    assert event["severity"] == "error" and event["severity_inferred"] is True


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # benign.yaml: WindowsUpdate.log of a healthy Windows 10 client (findingsanity/Logs),
        # the task sequence's own end-of-run cleanup (ErnestoLeon87/log_reader smsts.log)
        (
            "2021/07/13 10:23:06.3875222 3696  4248  Agent           *FAILED* [80240013] m_services.Add()",
            INFO,
        ),
        ("Task Sequence Manager could not release active TS request. code 80004005", INFO),
        # phrases.yaml `benign`: warning records of real clients (pastebin Ub4zMywE CcmExec.log,
        # configmgr/iOS-CMLogTracer InventoryAgent.log) that a paste without the type column
        # would count as errors
        ("Failed to raise pending event as ClientID is not available", INFO),
        # ccmsetup's prerequisite detection and a computer outside AD (jimbocalvo/Reddit ccmsetup.log)
        (
            "Couldn't find a product with MSI upgrade code '{3868550C-1532-316A-9EFF-8509A6E92F79}' in the MSI database.",
            INFO,
        ),
        ("File 'C:\\Windows\\system32\\msrdc.dll' does not exist. Discovery failed.", INFO),
        ("Unexpected row count (0) retrieved from AD.", INFO),
        ("Failed to get IWbemService Ptr for root\\dellomci Namespace: 8004100E", INFO),
        # ... while the same wording about something else is not named by the lists: a
        # lookup that finds nothing, which InventoryAgent writes as a warning (type 2)
        ("Failed to get IWbemService Ptr for root\\cimv2 Namespace: 8004100E", WARNING),
        (
            "2021/07/13 10:23:06.3875222 3696  4248  Agent           *FAILED* [80070005] m_services.Add()",
            ERROR,
        ),
        ("Task Sequence Manager could not release active TS request. code 80070005", ERROR),
        # a failure that goes on to the next address is a warning (configmgr/Android-CMLogTracer)
        ("Failed to connect to server with IP v4 address with error 10060. Try next IP...", WARNING),
        ("Failed to connect to server with IP v4 address with error 10060.", ERROR),
        # a failure that goes on with a default in place of what it could not get is a warning
        # (the Intune Management Extension's warning record at each start, tests/healthy
        # gh-silvermaz28-2025-ime-start-ecs-flight-default-acls-fixed)
        (
            "Flight key: MoveMTLSTrafficToAgentsEndpoint not found on ECS OR call to fetch flighting config from"
            " ECS endpoint failed. Falling back to default value.",
            WARNING,
        ),
        ("call to fetch flighting config from ECS endpoint failed.", ERROR),
        # LocationServices.log, smscliui.log and CcmExec.log of the same real client
        # (configmgr/iOS-CMLogTracer): a failure handed on to the next MP, one its writer
        # calls a warning, exception handlers being set up
        ("Assigned MP error threshold reached, moving to next MP.", WARNING),
        (
            "WARNING - Client is currently unassigned or an error occurred retrieving the assigned site."
            " GetAssignedSite() returned : 0X80040002",
            WARNING,
        ),
        ("Error: the assigned site could not be retrieved, warning the user", ERROR),
        ("Initializing exception handlers.", INFO),
        ("Unhandled exception in CcmExec", ERROR),
        # phrases.yaml benign: a routine warning of every component without its own logging settings
        ("Could not load logging configuration for component CcmTask. Using default values.", INFO),
        # a WMI event's property lines pasted one to a line (iOS-CMLogTracer ClientIDManagerStartup.log)
        ('\tHRESULT = "0x87d00280";', INFO),
        ("HRESULT = 0x87d00280, the certificate was not found", ERROR),
        # MDT's probes, written at LogTypeInfo by its scripts (maxmoonACR/MDTLOGFiles BDD.log, a
        # log of type 1 records only): what the gather does not find, a file FindFile looks for in
        # vain, another task sequence's missing operating system, an answer-file setting without
        # a node, no package list
        ("Unable to determine ConfigMgr distribution point", INFO),
        ("Unable to determine WDS server name, probably not booted from WDS.", INFO),
        (
            "FindFile: The file x86\\Microsoft.BDD.Utility.dll could not be found in any standard locations.",
            INFO,
        ),
        (
            "ERROR: Invalid OS GUID {3451feaf-4c9e-4965-90e3-7d1d62639916} specified for task sequence WIN10",
            INFO,
        ),
        (
            '//unattend:settings[@pass="windowsPE"]/unattend:component[@name="Microsoft-Windows-Setup"]'
            "/unattend:UpgradeData/unattend:Upgrade not found in D:\\MININT\\Unattend.xml, unable to update.",
            INFO,
        ),
        ("Unable to find the Packages.xml file, assuming there are no packages to inject.", INFO),
        # Windows Installer's 2911 for its own rollback folder, at the end of installs that succeed
        # (oleg-shilo/wixsharp#150, microsoft/winget-pkgs#66759) ...
        ("DEBUG: Error 2911:  Could not remove the folder C:\\Config.Msi\\.", INFO),
        # ... and for the product's folder, which can leave an upgrade stuck (wixtoolset/issues#6880)
        ("DEBUG: Error 2911:  Could not remove the folder C:\\Program Files (x86)\\SampleProduct\\.", ERROR),
        # a custom action marked to continue on error, whose result the installer turns into success
        # (marbx/LearnWix3, the Intune connector article of SupportArticles-docs) ...
        (
            "CustomAction ConfigureIISLimits returned actual error code 1168 but will be translated to"
            " success due to continue marking",
            INFO,
        ),
        # ... while an action's failure without that marking stays one
        ("CustomAction WriteIIS7ConfigChanges returned actual error code 1603", ERROR),
        # Windows Installer's 2826, a dialog's control drawn past its edge (dorssel/usbipd-win#313,
        # adammhaile/Elpis#46: the installs fail elsewhere)
        (
            "DEBUG: Error 2826:  Control BottomLine on dialog Install extends beyond the boundaries of the"
            " dialog to the right by 3 pixels",
            INFO,
        ),
        (
            "The installer has encountered an unexpected error installing this package. This may indicate a"
            " problem with this package. The error code is 2826. The arguments are: Install, BottomLine, to the right",
            INFO,
        ),
        # DISM's provider store probing a provider this image does not ship (microsoft/WSL#8667,
        # MSEndpointMgr/ModernDriverManagement#145), pasted without its log's name
        (
            "2022-07-30 12:51:46, Warning               DISM   DISM Provider Store: PID=17428 TID=31328 Failed to"
            " load the provider: C:\\Users\\A\\AppData\\Local\\Temp\\60F7\\PEProvider.dll. -"
            " CDISMProviderStore::Internal_GetProvider(hr:0x8007007e)",
            INFO,
        ),
        # a query's table and column names, which Windows Installer writes in backquotes (its
        # lookup of an error message's text, the end of a wrapped `Note: 1: 2228` line:
        # wazuh/wazuh-packages#1786) ...
        ("`Message` FROM `Error` WHERE `Error` = 1707", INFO),
        # ... while the query's own failure, and an internal error that quotes a query, stay errors
        ("Failed to execute query SELECT `Message` FROM `Error`", ERROR),
        (
            "DEBUG: Error 2235:  Database: . Column 'Condition' not present or ambiguous in SQL query:"
            " SELECT `Action`,NULL,`Condition` FROM `InstallExecuteSequence` WHERE `Sequence` > 0",
            ERROR,
        ),
        # ... while the chosen task sequence's missing operating system, and a gather that cannot
        # read its rules, stay errors
        (
            "ERROR: Invalid OS GUID {3451feaf-4c9e-4965-90e3-7d1d62639916} specified for task sequence WIN10 specified",
            ERROR,
        ),
        ("Unable to find rules INI file, rc = 1", ERROR),
        # CBS's routine lines of a lab Windows 7 machine (logpai/loghub Windows/Windows_2k.log):
        # the telemetry upload it is not opted in to, an unknown packageExtended attribute, a
        # Windows Update scan asking about a package it cannot open, the log archive's cab ...
        (
            "2016-09-28 04:30:31, Info                  CBS    SQM: Failed to start upload with file pattern:"
            " C:\\Windows\\servicing\\sqm\\*_std.sqm, flags: 0x2 [HRESULT = 0x80004005 - E_FAIL]",
            INFO,
        ),
        (
            "2016-09-28 04:30:31, Info                  CBS    SQM: Warning: Failed to upload all unsent reports."
            " [HRESULT = 0x80004005 - E_FAIL]",
            INFO,
        ),
        (
            "2016-09-28 04:30:31, Info                  CBS    Failed to get next element"
            " [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]",
            INFO,
        ),
        (
            "2016-09-28 04:30:32, Info                  CBS    Failed to internally open package."
            " [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]",
            INFO,
        ),
        (
            "2016-09-28 04:32:17, Info                  CBS    Failed to create backup log cab."
            " [HRESULT = 0x80070001 - ERROR_INVALID_FUNCTION]",
            INFO,
        ),
        # (a server's CBS.log, alborz25/Logs: no System Restore client, and servicing goes on)
        (
            "2020-02-03 23:50:32, Info                  CBS    Could not load SrClient DLL from path: SrClient.dll."
            "  Continuing without system restore points.",
            INFO,
        ),
        # DISM on a full Windows finding no WinPE provider, Windows 7's log without a thread id
        # (DieterReuter/win7-printing-sandbox dism.log)
        (
            "2014-02-17 15:22:02, Info                  DISM   DISM Provider Store: PID=10500 Failed to get and"
            " initialize the PE Provider.  Continuing by assuming that it is not a WinPE image. -"
            " CDISMProviderStore::Final_OnConnect",
            INFO,
        ),
        # Windows setup saying it is not low on space (rickaK77/Setup-Log setupact.log) ...
        (
            "2022-07-06 08:08:50, Info                  SP     We are not low on disk space, scratch space will"
            " not be used.",
            INFO,
        ),
        # Windows setup's unattend commands and the WinRE library's yes-or-no queries, the Patch My
        # PC updater's portable-path lookup and the Intune Management Extension's ACL repair
        # (tests/healthy gh-vitalskib-2026-setupact-windeploy-specialize,
        # gh-johntim22-2024-patchmypc-scan-portable-path,
        # gh-silvermaz28-2025-ime-start-ecs-flight-default-acls-fixed)
        (
            "2026-02-19 10:40:58, Info                         [SETUPUGC.EXE] Process returned with exit code 0x1",
            INFO,
        ),
        (
            "2026-02-19 10:38:59, Info                         [svchost.exe] Exit WinReIsWimBootEnabled returns 0"
            " with last error: 0x2",
            INFO,
        ),
        ("Cannot get portable App path from the registry.", INFO),
        ("[EMS] Some expected ACLs are missing!", INFO),
        # ... while a command whose exit code setup does examine stays an error
        ("2026-02-19 10:40:58, Error  [windeploy.exe] Process exited with exit code [0x1]", ERROR),
        # ... while a client that is low on space stays an error
        ("The client is low on disk space", ERROR),
        # ... while the same call failing for a damaged or locked package, and an add that cannot
        # open the package, stay errors
        (
            "2024-03-12 10:14:02, Error                 CBS    Failed to internally open package."
            " [HRESULT = 0x80070570 - ERROR_FILE_OR_DIRECTORY_CORRUPTED]",
            ERROR,
        ),
        (
            "2016-09-28 04:30:32, Info                  CBS    Failed to OpenPackage using worker session"
            " [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]",
            ERROR,
        ),
    ],
)
def test_a_known_benign_message_is_no_error_record(line: str, expected: Severity) -> None:
    """What keeps a pasted line from a wording's or a code's finding (data/benign.yaml,
    phrases.yaml's `benign` section) also keeps the inference from counting it as an error."""
    assert infer(line) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # a paste wrapped at 76 columns: the readers join a record's pieces with their line
        # breaks (tests/integration/test_paste_forms.py, "wrapped"); the lists name the message
        # in one line (ms-ts-install-application-cidownloader, pb-2020-wcm-wait-timed-out)
        ("CIDownloaderJob({ID}): SetFailureCondition - Job will fail immediately on\nerror", INFO),
        ("Wait timed out after 56 minutes while waiting for at least one trigger\r\nevent.", INFO),
        # a short paste whose quotes a page wrote as entities (as a message, before
        # damage.characters_in repairs the text it came in): the Always On setup error Microsoft
        # says to ignore (dev case sccmdocs-benign-configmgrsetup-alwayson-secondary-read-only)
        (
            "ERROR: SQL Server error: [25000][3906][Microsoft][SQL Server Native Client 11.0][SQL Server]"
            "Failed to update database &quot;CM_AAA&quot; because the database is read-only.",
            INFO,
        ),
        # a whole message a code's context names as routine for its code (policy-communication.yaml,
        # 0x87D00280: a client set to use HTTPS when available on a site without PKI; configmgr/
        # iOS-CMLogTracer ClientIDManagerStartup.log, a warning record), and a raised WMI event
        # copied whole as one row (the failure, if any, is logged on its own line)
        ("Unable to find PKI Certificate matching SCCM certificate selection criteria. 0x87d00280", INFO),
        (
            "Raising event:\ninstance of CCM_ServiceHost_CertRetrieval_Status\n{\n"
            '\tDateTime = "20131003141555.035000+000";\n\tHRESULT = "0x87d00280";\n\tProcessID = 7828;\n};',
            INFO,
        ),
        # a pasted line whose head (date, time, component) a plain line keeps in its message
        ("2019-10-18 10:24:57.480  TSManager  SetNamedSecurityInfo() failed.", INFO),
        ("[10/18/2019 10:24:57] SetObjectOwner() failed. 0x80070005.", INFO),
        (
            "2013-10-03 09:15:55  ClientIDManagerStartup  Unable to find PKI Certificate matching SCCM"
            " certificate selection criteria. 0x87d00280",
            INFO,
        ),
        # a pasted line a page or an editor numbered (`12: `, `12 | `, `12 `), before a time or not
        ("1: Info: DEBUG: Error 2911:  Could not remove the folder C:\\Config.Msi\\.", INFO),
        ("12 | Info: DEBUG: Error 2911:  Could not remove the folder C:\\Config.Msi\\.", INFO),
        ("7 SetNamedSecurityInfo() failed.", INFO),
        ("12: 2019-10-18 10:24:57.480  TSManager  SetNamedSecurityInfo() failed.", INFO),
        ("2019-10-18 10:24:58.480  TSManager  ReleaseRequest failed with error code 0x80070005", ERROR),
        ("12 | DEBUG: Error 2911:  Could not remove the folder C:\\Program Files\\SampleProduct\\.", ERROR),
        # ... while a wrapped or escaped failure the lists do not name stays one, and so does
        # the same wording with another code
        ("Unable to find PKI Certificate matching SCCM certificate selection criteria. 0x87d00283", ERROR),
        ("CIDownloaderJob({ID}): Job will fail immediately on\nerror 0x87d00607", ERROR),
        ("Failed to update database &quot;CM_AAA&quot; because the disk is full.", ERROR),
    ],
)
def test_a_known_benign_message_as_a_page_passed_it_on_is_no_error_record(
    message: str, expected: Severity
) -> None:
    """A message the lists name is routine also when a page wrapped it onto several lines
    or wrote its quotes as HTML entities (`named_benign`)."""
    assert infer(message) == expected


def test_the_known_benign_pattern_holds_every_listed_message() -> None:
    """known_benign is read from the two lists: each entry's own pattern finds what it finds."""
    from importlib import resources

    import regex
    import yaml

    from smslogdoc.formats.routine import known_benign

    data = resources.files("smslogdoc.data")
    listed = [entry["pattern"] for entry in yaml.safe_load(data.joinpath("benign.yaml").read_text("utf-8"))]
    listed += [
        entry["pattern"]
        for entry in yaml.safe_load(data.joinpath("phrases.yaml").read_text("utf-8"))["benign"]
    ]
    combined = known_benign().pattern
    assert all(f"(?:{pattern})" in combined for pattern in listed)
    assert len(listed) > 100 and all(regex.compile(pattern) for pattern in listed)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # ccmsetup's own return codes (memdocs, about client installation properties: 7 is
        # "Reboot required", 6 "Error"); a paste of the last line of ccmsetup.log
        ("CcmSetup is exiting with return code 7", Severity.WARNING),
        ("CcmSetup is exiting with return code 6", Severity.ERROR),
        ("CcmSetup is exiting with return code 0", Severity.INFO),
    ],
)
def test_a_status_value_the_tables_know_sets_the_inferred_severity(line: str, expected: Severity) -> None:
    assert infer(line) is expected


def test_no_seen_line_of_a_status_value_that_did_not_fail_is_an_error_record() -> None:
    """Every real line the status tables quote (`seen`) whose values are known not to have
    failed is inferred as no error, whatever words it holds."""
    checked = 0
    for written in statusvalues.written_values():
        assert written.outcomes, written.pattern.pattern
    for table in sorted(resources.files("smslogdoc.data").iterdir(), key=lambda item: item.name):
        if not re.fullmatch(statusvalues.STATE_TABLES, table.name):
            continue
        for entry in yaml.safe_load(table.read_text(encoding="utf-8")):
            for seen in entry.get("seen") or []:
                line = seen["line"] if isinstance(seen, dict) else str(seen)
                outcomes = statusvalues.outcomes_in(line)
                if outcomes and not outcomes & {"failed", "warning"}:
                    checked += 1
                    assert infer(line) is not Severity.ERROR, line
    assert checked >= 10


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a lookup or a cleanup that finds nothing there, the way ConfigMgr writes it as a
        # warning (CMTrace type 2): ExternalEventAgent and InventoryAgent in configmgr/iOS-CMLogTracer's
        # test logs, TSManager in ErnestoLeon87/log_reader's smsts.log
        ("Could not open the registry key SOFTWARE\\Microsoft\\CCM\\Example with error 0x80070002.", WARNING),
        ("Failed to read previous state of Example with error 0x80070002.", WARNING),
        ("Failed to query instances of Example_Class: 8004100E", WARNING),
        ("QueryExample() is unsuccessful. 0x80070002.", WARNING),
        ("Could not release reference XYZ00001. 80070490.", WARNING),
        ("FindExample failed; 0x80070103", WARNING),
        # ... but not when the code says more than absence, the step is not a lookup, or
        # "cannot find" is only the code's own text
        ("Could not open the registry key SOFTWARE\\Microsoft\\CCM\\Example with error 0x80070005.", ERROR),
        ("Failed to download content. Error 0x80070002", ERROR),
        ("Failed to create user-specified local data path D:\\_Example. Error 0x80070003", ERROR),
        (
            "Failed to run the action: Example. The system cannot find the file specified."
            " (Error: 80070002; Source: Windows)",
            ERROR,
        ),
        ("Failed to open the registry key with error 0x80070002 and 0x80004005", ERROR),
        # a cached copy that expires is fetched again (findingsanity/Logs WindowsUpdate.log)
        ("Cached cookie has expired or new PID is available", INFO),
        ("The client certificate has expired", ERROR),
    ],
)
def test_a_lookup_that_finds_nothing_is_a_warning(line: str, expected: Severity) -> None:
    """A pasted line keeps the severity its writer gives such a line: a probe or a cleanup
    whose only code says the thing is not there is a warning, not a failure."""
    assert infer(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a failure word in the name of a task sequence step or group, or in the command line a
        # step runs, says nothing of how it went: such groups ("Gather Logs on Failure", "Error
        # Handling") are routine in OS deployment task sequences (ErnestoLeon87/log_reader smsts.log)
        (
            "The action (Capture Logs on Failure) has been skipped because the condition is evaluated to be false",
            INFO,
        ),
        ("Parsing group node: Failure Handling", INFO),
        (
            "Start executing an instruction. Instruction name: Gather Logs on Failure. Instruction pointer: 77",
            INFO,
        ),
        ("Set a global environment variable _SMSTSCurrentActionName=Error Handling", INFO),
        ("Executing command line: smsswd.exe /run: cmd /c Fix-FailedUpdates.cmd", INFO),
        (
            '++++++ App enforcement completed (4 seconds) for App DT "Windows Error Reporting Tool"'
            " [ScopeId_1/DeploymentType_2], Revision: 2, User SID: ] ++++++",
            INFO,
        ),
        # ... while what the record says of the step stays a failure
        (
            "The execution of the group (Failure) has failed and the execution has been aborted. An action failed.",
            ERROR,
        ),
        (
            "Failed to run the action: Gather Logs on Failure. The system cannot find the file specified."
            " (Error: 80070002; Source: Windows)",
            ERROR,
        ),
        ("Failed to execute command line: cmd.exe /c copy logs", ERROR),
        ("Action (Error Handling) failed with 0x80004005", ERROR),
        ('App DT "Windows Error Reporting Tool" failed with 0x80070643', ERROR),
    ],
)
def test_a_failure_word_in_a_step_name_or_command_line_is_no_verdict(line: str, expected: Severity) -> None:
    assert infer(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a record that says the step completed successfully counted its exit code a success,
        # whatever the code (status message 11134, TSManager's "Successfully completed the action")
        (
            "The task sequence execution engine successfully completed the action (Install HP drivers)"
            " in the group (Setup Operating System) with exit code 3010",
            INFO,
        ),
        ("Successfully completed the action (Run Failing Script) with the exit win32 code 1", INFO),
        # the restart codes written as HRESULTs are a restart to wait for, as 3010 is
        # (SMSAgentSoftware/ConfigMgr-Task-Sequence-Monitor#6)
        ("Process completed with exit code 2147945410", WARNING),
        ("Installation job completed with exit code 0x80070BC2", WARNING),
        # ... while a step that failed, or another code, stays a failure
        ("Failed to run the action: Install HP drivers. (Error: 80070BC2; Source: Windows)", ERROR),
        ("Process completed with exit code 2147942402", ERROR),
        (
            "The task sequence execution engine failed executing the action (X) in the group (Y)"
            " with the error code 2147942402",
            ERROR,
        ),
    ],
)
def test_a_success_with_an_exit_code_and_a_restart_code_as_an_hresult(line: str, expected: Severity) -> None:
    assert infer(line) == expected


_TYPED = re.compile(
    r'<!\[LOG\[((?:(?!\]LOG\]!>).)*)\]LOG\]!><time="[^"]*" date="[^"]*" component="([^"]*)" context="[^"]*"'
    r' type="1"',
    re.S,
)
WRITER_SAYS_INFO_BUT_FAILED = {
    # ccmsetup writes its final failure line with type 1 (real-logs excerpt
    # ps-script-comment__ccmsetup.log.excerpt): a pasted copy is an error, rightly
    ("ccmsetup", "CcmSetup failed with error code 0x80004005"),
    # "net start W32Time" ending 2 because the service already runs: routine only in the
    # context of the lines around it (tests/healthy PASTED_EXCEPTIONS)
    ("OSDSetupHook", "Process completed with exit code 2"),
}


def _informational_records() -> list[tuple[str, str, str]]:
    from tests.conftest import REAL_LOGS

    roots = [Path(__file__).resolve().parents[1] / "healthy" / "excerpts"]
    if REAL_LOGS.is_dir():
        roots.append(REAL_LOGS)
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [(path.name, component, message) for message, component in _TYPED.findall(text)]
    return found


def test_what_its_writer_logs_as_informational_is_no_error_when_pasted() -> None:
    """Every CMTrace record a real writer gave type 1 (informational), in the healthy excerpts
    and the real logs, pasted without that type: each line is no error record, but for the
    writers' few informational failures. The writers' own severities are the measure of the
    inference (MDT's probes, written at LogTypeInfo, were errors before data/benign.yaml named
    them)."""
    records = _informational_records()
    assert len(records) > 1000
    loud = sorted(
        {
            (component, line.strip())
            for _, component, message in records
            for line in message.splitlines()
            if line.strip() and infer(line.strip()) is ERROR
        }
        - WRITER_SAYS_INFO_BUT_FAILED
    )
    assert loud == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a setup or servicing log's own Warning column limits a line whose words say it failed
        # (google/glazier#459's DISM provider store, another provider than the benign list names)
        (
            "2021-12-10 15:20:49, Warning               DISM   DISM Provider Store: PID=924 TID=4212 Failed to"
            " get the IDismObject Interface - CDISMProviderStore::Internal_LoadProvider(hr:0x80004002)",
            WARNING,
        ),
        # ... while its Info column does not (CBS writes servicing failures so) and Error agrees
        (
            "2019-05-05 10:00:00, Info                  CBS    Failed to execute execution chain."
            " [HRESULT = 0x800f0922 - CBS_E_ADVANCED_INSTALLER_FAILED]",
            ERROR,
        ),
        (
            "2019-05-05 10:00:00, Error                 CSI    00000001 Failed to open file (0x80070005)",
            ERROR,
        ),
    ],
)
def test_a_setup_logs_warning_column_limits_the_inferred_severity(line: str, expected: Severity) -> None:
    assert infer(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a call's stack and a pointer the servicing stack writes after `@` (logpai/loghub's lab
        # Windows 7 CBS.log): a high address is no failure code ...
        (
            "2016-09-28 04:30:31, Info                  CSI    00000001@2016/9/27:20:30:31.455 WcpInitialize"
            " (wcp.dll version 0.0.0.6) called (stack @0x7fed806eb5d @0x7fef9fb9b6d @0x7fef9f8358f @0xff83e97c"
            " @0xff83d799 @0xff83db2f)",
            INFO,
        ),
        # ... while a code after other punctuation stays one
        ("Install failed (0x80070005)", ERROR),
        ("hr=0x80070005", ERROR),
    ],
)
def test_an_address_after_an_at_sign_is_no_failure_code(line: str, expected: Severity) -> None:
    assert infer(line) == expected
