"""Redaction (issue 13): names of every class are replaced by stable pseudonyms
in text, JSON documents, CSV- and Markdown-like strings and the HTML report,
and what a diagnosis needs (codes, shares, versions, GUIDs, times) stays."""

from __future__ import annotations

import copy
import json
import re
import time
from typing import Any

import pytest

from smslogdoc.report.html import render_diagnose, render_fleet
from smslogdoc.report.redaction import CLASSES, Redactor, summary_text
from tests.conftest import SAMPLES, invoke

# Every name below must be gone after redaction, in every output.
SECRETS = {
    "host": ["WKS0042", "wks0043", "fs01", "cm01", "cm01.contoso.com", "dp02.corp.fabrikam.local", "SQLSRV7"],
    "user": ["jdoe", "asmith", "svc_cmpush", "m.mueller"],
    "domain": ["CONTOSO", "contoso.com", "FABRIKAM", "fabrikam.local"],
    "ip": ["10.20.30.40", "192.168.1.17", "fe80::1c2d:3e4f:5a6b:7c8d", "2001:db8:85a3::8a2e:370:7334"],
    "email": ["jane.doe@contoso.com", "helpdesk@fabrikam.local"],
    "sid": [
        "S-1-5-21-1004336348-1177238915-682003330-1001",
        "S-1-12-1-3405106161-1164234244-2339408513-1762358542",
    ],
    "mac": ["00:15:5D:01:02:03", "00-15-5D-0A-0B-0C", "00155D0D0E0F"],
    "serial": ["5CG1234XYZ", "CZC9876ABC", "7XK2L33"],
}
# Names in the shapes issue 21 (item 11) found kept: an LDAP DN's CN and DC, a
# //server/share path, a connection string's server, the host of a URL with
# credentials, an IPv4-mapped IPv6 address, host names in other scripts, and
# names in brackets or quotes.
SHAPED = {
    "host": [
        "SQL01SRV",
        "fs02",
        "SQLDB03",
        "SQLDB04",
        "dp05",
        "SRVÜBER01",
        "müllerpc",
        "CMPRI01",
        "mpsrv09",
        "DPSRV10",
    ],
    "domain": ["northwind"],
    "ip": ["::ffff:10.1.2.3"],
}
# Parts that must not survive either (the bare labels of the names above).
FRAGMENTS = [
    "wks0042",
    "wks0043",
    "fs01",
    "cm01",
    "dp02",
    "sqlsrv7",
    "jdoe",
    "asmith",
    "svc_cmpush",
    "mueller",
    "contoso",
    "fabrikam",
    "10.20.30.40",
    "192.168.1.17",
    "1c2d",
    "8a2e",
    "jane.doe",
    "helpdesk",
    "1004336348",
    "3405106161",
    "10.1.2.3",
    "p@ssw0rd",
    "00155d",
]

KEPT = [
    "0x80070005",
    "0x80190194",
    "1603",
    "SMSPKGD$",
    "SMS_DP$",
    "ADMIN$",
    "C$",
    "NT AUTHORITY\\SYSTEM",
    "LocalSystem",
    "S-1-5-18",
    "S-1-5-32-544",
    "{1A2B3C4D-1234-5678-9ABC-DEF012345678}",
    "5.00.9088.1000",
    "10.0.19045.2965",
    "2022-05-17 14:02:12.692",
    "14:02:12.692-04:00",
    "PS1",
    "ccmsetup.log",
    "C:\\Windows\\ccmsetup\\Logs\\ccmsetup.log",
    "127.0.0.1",
    "learn.microsoft.com",
    "BUILTIN\\Administrators",
]
KEPT_SHAPED = [
    "OU=Servers",
    "DC=com",
    "SMSPKG$/P0100001",
    'AdvertisementId = "PS120005"',
    "[AMD64]",
    '"KB4012345"',
    "//packages/package[",
]

LINES = [
    r"Failed to access source file (\\fs01\ClientSource$\ccmsetup.cab). Waiting for retry... 0x80070005",
    r"Content location \\cm01\SMSPKGD$\PS100012 and \\CM01.contoso.com\SMS_DP$\Content_1 on \\wks0043\ADMIN$ and \\WKS0042\C$\Windows",
    "Sending request to http://cm01.contoso.com/CCM_Client/ccmsetup.cab and https://dp02.corp.fabrikam.local:443/SMS_DP_SMSPKG$/x",
    r'User = "CONTOSO\\jdoe", running as CONTOSO\asmith from C:\Users\jdoe\AppData\Local\Temp\setup.log',
    r"Service account FABRIKAM\svc_cmpush; profile /home/m.mueller/logs; computer account CONTOSO\WKS0042$",
    "Mail jane.doe@contoso.com or helpdesk@fabrikam.local; UPN jane.doe@contoso.com",
    "Client IP 10.20.30.40, gateway 192.168.1.17, link-local fe80::1c2d:3e4f:5a6b:7c8d, global 2001:db8:85a3::8a2e:370:7334",
    "User SID S-1-5-21-1004336348-1177238915-682003330-1001, Azure AD S-1-12-1-3405106161-1164234244-2339408513-1762358542, LocalSystem is S-1-5-18, admins S-1-5-32-544",
    "ccmsetup version 5.00.9088.1000 on Windows 10.0.19045.2965 at 2022-05-17 14:02:12.692 (14:02:12.692-04:00)",
    "Ccmsetup command line: ccmsetup.exe /mp:cm01.contoso.com SMSSITECODE=PS1 SMSMP=SQLSRV7 DNSSUFFIX=fabrikam.local",
    r"Program exit code 1603, ran as NT AUTHORITY\SYSTEM (LocalSystem), group BUILTIN\Administrators, {1A2B3C4D-1234-5678-9ABC-DEF012345678}",
    r"See learn.microsoft.com; log C:\Windows\ccmsetup\Logs\ccmsetup.log; loopback 127.0.0.1; BITS 0x80190194",
    "WKS0042 and wks0043 and sqlsrv7 and jdoe are named bare; WKS0042.zip!/Windows/CCM/Logs/execmgr.log; WKS0042_ccmsetup.log",
    "Querying LDAP://CN=SQL01SRV,OU=Servers,DC=northwind,DC=com for the site",
    "Copying from //fs02/SMSPKG$/P0100001 failed",
    r"Connection string: Server=tcp:SQLDB03,1433;Database=CM_PS1; Data Source=SQLDB04\INST1;Initial Catalog=CM_PS1",
    "Download from https://svc_cmpush:p@ssw0rd@dp02.corp.fabrikam.local/SMS_DP_SMSPKG$/x and http://jdoe:pw@dp05/SMS_DP$/x",
    "Client address ::ffff:10.1.2.3",
    r"Resolved \\SRVÜBER01\share and müllerpc.contoso.de",
    r"""Site server [CMPRI01], management point 'mpsrv09' and \"DPSRV10\" """,
    "MAC address 00:15:5D:01:02:03, other 00-15-5D-0A-0B-0C, MACAddress=00155D0D0E0F",
    "SerialNumber = 5CG1234XYZ, BIOS serial: CZC9876ABC, Service Tag 7XK2L33",
    "SQL01SRV, CMPRI01 and CZC9876ABC again, bare",
    'AdvertisementId = "PS120005"; update "KB4012345" for [AMD64]',
    "QUERY: //packages/package[(ProcessorArchitecture)] (an XPath, not a server)",
]
TEXT = "\n".join(LINES)


def survivors(text: str) -> list[str]:
    """The secrets (and their fragments) still in `text`, case-insensitively."""
    folded = text.casefold()
    names = [name for shapes in (SECRETS, SHAPED) for names in shapes.values() for name in names] + FRAGMENTS
    return sorted({name for name in names if name.casefold() in folded})


def finding(rule: str, text: str, *, path: str = "fleet/WKS0042/ccmsetup.log") -> dict[str, Any]:
    return {
        "rule": rule,
        "title": "ccmsetup cannot read its source share",
        "severity": "error",
        "confidence": "high",
        "status": "confirmed",
        "diagnosis": r"ccmsetup could not read \\fs01\ClientSource$\ccmsetup.cab as CONTOSO\jdoe.",
        "cause": "A service reaches the network as the computer account (DOMAIN\\COMPUTER$).",
        "fix": [r"Give CONTOSO\WKS0042$ read access to \\fs01\ClientSource$."],
        "references": ["Troubleshooting: https://learn.microsoft.com/en-us/troubleshoot/x"],
        "next_logs": ["ccm.log on cm01.contoso.com"],
        "captures": {"source": r"\\fs01\ClientSource$\ccmsetup.cab", "user": "jdoe"},
        "log": path,
        "group": "run 2, process 3324",
        "occurrences": 1,
        "also": [],
        "note": "",
        "evidence": [
            {
                "path": path,
                "line": index + 1,
                "end_line": index + 1,
                "time": "2022-05-17T14:02:12.692-04:00",
                "text": line,
                "event": "source_failed",
                "codes": ["5 (0x80070005; ERROR_ACCESS_DENIED): Access is denied."],
                "supporting": False,
            }
            for index, line in enumerate(text.split("\n"))
        ],
    }


def fleet_document() -> dict[str, Any]:
    machines = [
        {
            "name": "WKS0042",
            "path": "C:/Users/jdoe/Desktop/fleet/WKS0042",
            "findings": [finding("ccmsetup-service-cannot-access-source", TEXT)],
            "problems": [],
        },
        {
            "name": "wks0043.zip",
            "path": "C:/Users/jdoe/Desktop/fleet/wks0043.zip",
            "findings": [
                finding(
                    "execmgr-program-failed", LINES[1], path="fleet/wks0043.zip!/Windows/CCM/Logs/execmgr.log"
                )
            ],
            "problems": [{"path": "fleet/wks0043.zip!/x.log", "line": None, "message": "encrypted member"}],
        },
        {"name": "SQLSRV7", "path": "C:/Users/jdoe/Desktop/fleet/SQLSRV7", "findings": [], "problems": []},
    ]
    return {
        "version": 1,
        "machines": machines,
        "causes": [
            {
                "rule": "ccmsetup-service-cannot-access-source",
                "title": "ccmsetup cannot read its source share",
                "severity": "error",
                "count": 1,
                "machines": ["WKS0042"],
            },
            {
                "rule": "execmgr-program-failed",
                "title": "A program failed",
                "severity": "error",
                "count": 1,
                "machines": ["wks0043.zip"],
            },
        ],
        "unexplained": [
            {
                "template": "Failed to download from http://cm01.contoso.com/x. Error: 0x80190194",
                "count": 2,
                "machines": ["WKS0042", "SQLSRV7"],
                "codes": ["0x80190194: HTTP 404"],
            }
        ],
        "problems": [{"path": r"\\fs01\Logs$\WKS0044.zip", "line": None, "message": "truncated archive"}],
    }


def test_every_class_is_replaced_in_text() -> None:
    redactor = Redactor(hosts=["WKS0042", "wks0043"])
    out = redactor.redact_text(TEXT)
    assert survivors(out) == [], out
    for kind in CLASSES:
        assert re.search(rf"\b{kind.upper()}-1\b", out), (kind, out)


def test_what_the_diagnosis_needs_survives() -> None:
    out = Redactor(hosts=["WKS0042", "wks0043"]).redact_text(TEXT)
    for kept in KEPT + KEPT_SHAPED:
        assert kept in out, kept
    # the path shapes: server replaced, share and the rest kept
    assert r"\\HOST-" in out and r"\ClientSource$\ccmsetup.cab" in out
    assert re.search(r"http://HOST-\d+/CCM_Client/ccmsetup\.cab", out)
    assert re.search(r"https://HOST-\d+:443/SMS_DP_SMSPKG\$/x", out)
    assert re.search(r'User = "DOMAIN-\d+\\\\USER-\d+"', out)
    assert re.search(r"C:\\Users\\USER-\d+\\AppData\\Local\\Temp\\setup\.log", out)
    assert re.search(r"DOMAIN-\d+\\HOST-\d+\$", out)


@pytest.mark.parametrize(
    "text",
    [
        r"\\fs01\SMSPKGD$\PS100012",
        r"\\?\UNC\fs01\share\x",
        "CONTOSO\\jdoe",
        "jdoe@contoso.com",
        "10.1.2.3",
        "S-1-5-21-1-2-3-500",
        "http://user:secret@cm01.contoso.com/x",
    ],
)
def test_redaction_is_idempotent(text: str) -> None:
    redactor = Redactor()
    once = redactor.redact_text(text)
    assert once != text
    assert redactor.redact_text(once) == once
    assert "secret" not in once


def test_pseudonyms_are_stable_and_case_insensitive() -> None:
    redactor = Redactor(hosts=["WKS0042"])
    first = redactor.redact_text(
        r"\\fs01\Apps$\x from WKS0042 as CONTOSO\jdoe at 10.1.2.3 (jdoe@contoso.com)"
    )
    again = redactor.redact_text(
        r"\\FS01\Apps$\y from wks0042 as contoso\JDOE at 10.1.2.3 (JDoe@Contoso.com)"
    )
    assert first == r"\\HOST-2\Apps$\x from HOST-1 as DOMAIN-1\USER-1 at IP-1 (EMAIL-1)"
    assert again == r"\\HOST-2\Apps$\y from HOST-1 as DOMAIN-1\USER-1 at IP-1 (EMAIL-1)"
    # an FQDN and its first label are one host; the IPv6 forms of one address are one
    assert redactor.redact_text("cm01.contoso.com then CM01") == "HOST-3 then HOST-3"
    assert redactor.redact_text("2001:db8::1 and 2001:0db8:0:0:0:0:0:1") == "IP-2 and IP-2"
    # a second report starts afresh
    assert Redactor().redact_text(r"\\other\Apps$") == r"\\HOST-1\Apps$"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a WMI event writes backslashes doubled: only the server is a host, not a folder after `$`
        (
            'WorkingDirectory = "\\\\\\\\fs01\\\\Apps$\\\\Office\\\\"; program Install Office',
            'WorkingDirectory = "\\\\\\\\HOST-1\\\\Apps$\\\\Office\\\\"; program Install Office',
        ),
        (
            "properties: /noservice, /source, /mp: https://learn.microsoft.com/x",
            "properties: /noservice, /source, /mp: https://learn.microsoft.com/x",
        ),
        ("User: https://cm01.contoso.com/x", "User: https://HOST-1/x"),
        ("ccmsetup.exe /mp:cm01 SMSMP=cm02.contoso.com", "ccmsetup.exe /mp:HOST-1 SMSMP=HOST-2"),
    ],
)
def test_contexts_take_only_the_name(text: str, expected: str) -> None:
    assert Redactor().redact_text(text) == expected


def test_the_examples_of_the_brief() -> None:
    redactor = Redactor()
    assert redactor.redact_text(r"\\fs01\Apps$\x") == r"\\HOST-1\Apps$\x"
    assert redactor.redact_text("http://cm01.contoso.com/CCM_Client") == "http://HOST-2/CCM_Client"


@pytest.mark.parametrize(
    "text",
    [
        "5.00.9088.1000",
        "version 4.5.2.1",
        "Version: 10.0.0.1",
        "0x80070005",
        "exit code 1603",
        "SMSSITECODE=PS1",
        "{1A2B3C4D-1234-5678-9ABC-DEF012345678}",
        "1a2b3c4d-1234-5678-9abc-def012345678",
        "14:02:12.692",
        "2022-05-17T14:02:12.692-04:00",
        "CCcmSetup::Run and CDB::Add",
        "NT AUTHORITY\\NETWORK SERVICE",
        r"C:\Windows\CCM\Logs\execmgr.log",
        r"CCM\Logs",
        r"Logs\ccmsetup.log",
        r"%windir%\ccmsetup",
        "DOMAIN\\COMPUTER$",
        r"\\server\share",
        'Running as user "SYSTEM"',
        "C:\\Users\\Public\\Desktop",
        "C:\\Users\\Default\\NTUSER.DAT",
        "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
        "http://localhost:8080/x",
        "https://go.microsoft.com/fwlink/?LinkId=1",
        "255.255.255.0",
        "0.0.0.0",
        "::1",
        "System.Net.WebClient",
        "Domain Computers",
        "S-1-1-0",
    ],
)
def test_kept_as_is(text: str) -> None:
    assert Redactor().redact_text(text) == text


def test_document_is_redacted_everywhere_and_its_vocabulary_kept() -> None:
    document = fleet_document()
    original = copy.deepcopy(document)
    redactor = Redactor()
    redacted = redactor.redact_document(document)
    assert document == original, "the input document is not changed"
    dumped = json.dumps(redacted, ensure_ascii=False)
    assert survivors(dumped) == [], dumped
    # keys, rule ids, severities, times and decoded codes stay
    assert redacted.keys() == original.keys()
    assert [c["rule"] for c in redacted["causes"]] == [c["rule"] for c in original["causes"]]
    machine = redacted["machines"][0]
    assert machine["findings"][0].keys() == original["machines"][0]["findings"][0].keys()
    assert machine["findings"][0]["captures"].keys() == {"source", "user"}
    assert machine["findings"][0]["severity"] == "error"
    assert machine["findings"][0]["evidence"][0]["time"] == "2022-05-17T14:02:12.692-04:00"
    assert machine["findings"][0]["evidence"][0]["codes"] == [
        "5 (0x80070005; ERROR_ACCESS_DENIED): Access is denied."
    ]
    # the machine names given by the folders are hosts, and the same pseudonym wherever they appear
    names = [m["name"] for m in redacted["machines"]]
    assert all(re.fullmatch(r"HOST-\d+", name) for name in names[:1] + names[2:]), names
    assert re.fullmatch(r"HOST-\d+\.zip", names[1]), names  # an archive keeps its shape
    assert redacted["causes"][0]["machines"] == [names[0]]
    assert redacted["causes"][1]["machines"] == [names[1]]
    assert redacted["unexplained"][0]["machines"] == [names[0], names[2]]
    assert redacted["machines"][1]["findings"][0]["log"] == f"fleet/{names[1]}!/Windows/CCM/Logs/execmgr.log"
    assert redacted["machines"][0]["path"].startswith("C:/Users/USER-")
    for kept in KEPT:
        assert kept in dumped.replace("\\\\", "\\"), kept


def test_a_name_is_replaced_before_the_context_that_gives_it_away() -> None:
    """The whole document is read before anything is replaced."""
    document = {
        "version": 1,
        "findings": [],
        "files": [],
        "problems": [
            {"path": "a.log", "line": 1, "message": "asmith ran it"},
            {"path": "b.log", "line": 2, "message": r"as FABRIKAM\asmith"},
        ],
    }
    redacted = Redactor().redact_document(document)
    assert [p["message"] for p in redacted["problems"]] == ["USER-1 ran it", r"as DOMAIN-1\USER-1"]


def test_rule_text_of_bundled_rules_is_kept() -> None:
    document = {
        "version": 1,
        "files": [],
        "problems": [],
        "findings": [
            dict(
                finding("r1", "x"),
                references=["Wiki: http://wiki.contoso.com/cm"],
                cause=r"The share \\fs01\Apps$ was denied.",
                bundled=True,
            ),
            dict(finding("r2", "x"), references=["Wiki: http://wiki.contoso.com/cm"]),
            dict(finding("r3", "x"), references=["Wiki: http://wiki.contoso.com/cm"]),
        ],
    }
    redacted = Redactor().redact_document(document, trusted_rule_ids={"r3"})
    references = [f["references"][0] for f in redacted["findings"]]
    assert references[0] == "Wiki: http://wiki.contoso.com/cm"
    assert re.fullmatch(r"Wiki: http://HOST-\d+/cm", references[1])
    assert references[2] == "Wiki: http://wiki.contoso.com/cm"
    # the diagnosis and the cause are always redacted: they hold what the rule captured from the log
    assert all("fs01" not in f["diagnosis"] for f in redacted["findings"])
    assert redacted["findings"][0]["cause"] == r"The share \\HOST-1\Apps$ was denied."


def test_csv_markdown_and_html_outputs() -> None:
    redactor = Redactor()
    redacted = redactor.redact_document(fleet_document())
    rows = ["machine,rule,severity,title,evidence,time"]
    for machine in fleet_document()["machines"]:
        for item in machine["findings"] or [
            {"rule": "", "severity": "", "title": "", "evidence": [{"path": "", "line": "", "time": ""}]}
        ]:
            evidence = item["evidence"][0]
            rows.append(
                f'{machine["name"]},{item["rule"]},{item["severity"]},"{item["title"]}",{evidence["path"]}:{evidence["line"]},{evidence["time"]}'
            )
    csv_text = redactor.redact_text("\n".join(rows) + "\n" + TEXT.replace("\n", ",\n"))
    assert survivors(csv_text) == [], csv_text
    assert "machine,rule,severity,title,evidence,time" in csv_text

    markdown = "\n".join(
        f"- **{line}** `{line}` [link](http://cm01.contoso.com/x) <{line}>" for line in LINES
    )
    markdown += "\n| WKS0042 | CONTOSO\\\\jdoe | jane.doe@contoso.com |\n```text\n" + TEXT + "\n```"
    out = redactor.redact_text(markdown)
    assert survivors(out) == [], out

    page = render_fleet(redacted, redaction=redactor.summary())
    assert survivors(page) == [], [line for line in page.splitlines() if survivors(line)][:5]
    assert "Redacted." in page and "host names" in page


def test_the_sample_logs_document_redacted_and_rendered() -> None:
    result = invoke(["diagnose", str(SAMPLES), "--format", "json"], env={"NO_COLOR": "1"})
    document = json.loads(result.stdout)
    redactor = Redactor()
    redacted = redactor.redact_document(document)
    dumped = json.dumps(redacted)
    assert "fs01" not in dumped.casefold()
    assert [f["rule"] for f in redacted["findings"]] == [f["rule"] for f in document["findings"]]
    assert [f["severity"] for f in redacted["findings"]] == [f["severity"] for f in document["findings"]]
    assert "ClientSource$" in dumped and "0x80070005" in dumped
    page = render_diagnose(redacted, redaction=redactor.summary())
    assert "fs01" not in page.casefold()


def test_summary_counts_distinct_values_and_holds_no_original() -> None:
    redactor = Redactor(hosts=["WKS0042", "wks0043"])
    redactor.redact_text(TEXT)
    redactor.redact_text(TEXT)  # the same names again: no new pseudonyms
    summary = redactor.summary()
    assert list(summary) == list(CLASSES)
    # 6 hosts, 2 domains, 4 addresses of SECRETS; 10 hosts, a domain, an address of SHAPED
    assert summary == {
        "host": 16,
        "user": 4,
        "domain": 3,
        "ip": 5,
        "email": 2,
        "sid": 2,
        "mac": 3,
        "serial": 3,
    }
    text = json.dumps(summary) + summary_text(summary)
    assert survivors(text) == []
    assert summary_text(summary).startswith("Redacted, each replaced by a stable pseudonym: ")
    assert "2 e-mail addresses" in summary_text(summary) and "5 IP addresses" in summary_text(summary)
    assert summary_text(Redactor().summary()) == "Redacted: no names were found to replace."


@pytest.mark.slow
@pytest.mark.parametrize("token", ["a.", "wks0042-", "a_", "1.2.3.4.", "\\\\x ", "CONTOSO\\"])
def test_long_tokens_take_linear_time(token: str) -> None:
    """A run of tokens that almost make a name (a host, an address, a path)
    costs time in proportion to its length, not its square: twice the text
    takes about twice the processor time (a quadratic pattern takes four
    times), measured as this process's CPU time so a busy machine does not
    decide it."""

    def cpu(count: int) -> float:
        redactor = Redactor(hosts=["WKS0042", "cm01.contoso.com"])
        start = time.process_time()
        redactor.redact_text(token * count)
        return time.process_time() - start

    cpu(500)  # the patterns compiled
    # enough text that each run takes a tenth of a second or so: at a few milliseconds the
    # scheduler's noise alone made one run three times another on a busy machine
    single, double = min(cpu(16_000) for _ in range(2)), min(cpu(32_000) for _ in range(2))
    assert double < 3.0 * max(single, 0.01), f"{token!r}: 16,000 tokens {single:.3f} s, 32,000 {double:.3f} s"


def test_a_bundled_rules_words_are_not_taken_for_names() -> None:
    """A bundled rule's texts are its own words filled with values the finding
    holds elsewhere: the names met there are replaced in them, and a word of
    the rule's that looks like a name is kept (it was learned, and replaced
    through the whole report: "the DOMAIN-3 Manager client"). A user rule's
    texts are read like log text."""
    words = r"values under HKLM\Software\Microsoft\SMS\Client\ Configuration\Verification Data"
    bundled = dict(
        finding("r1", r"Failed to read \\fs01\ClientSource$\ccmsetup.cab"),
        cause=f"The share \\\\fs01\\ClientSource$ was denied; check the {words}.",
        fix=["Reinstall the Configuration Manager client."],
        bundled=True,
    )
    mine = dict(bundled, rule="mine", bundled=False)
    redacted = Redactor().redact_document({"version": 1, "findings": [bundled], "files": [], "problems": []})
    (found,) = redacted["findings"]
    assert found["cause"] == f"The share \\\\HOST-1\\ClientSource$ was denied; check the {words}."
    assert found["fix"] == ["Reinstall the Configuration Manager client."]
    assert "fs01" not in found["diagnosis"] and "jdoe" not in found["diagnosis"]
    redacted = Redactor().redact_document({"version": 1, "findings": [mine], "files": [], "problems": []})
    assert (
        "Configuration\\Verification Data" not in redacted["findings"][0]["cause"]
    )  # taken for DOMAIN\\user
