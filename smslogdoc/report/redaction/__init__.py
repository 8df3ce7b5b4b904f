"""`--redact`: the names in a report replaced by stable pseudonyms, so that a
diagnosis can be posted on a public forum.

One pass over the report document for `diagnose` and `fleet` alike
(`redact_report`, `redact_machines`): every string of the document is read
for names, then replaced (`walk`), so no field can be left out and a name met
anywhere is replaced everywhere; the document then says how many of each class
were (its `redaction` key, `summary_text` in words). `words` holds the word
lists, `patterns` what finds names in text, `names` the pseudonyms, `redactor`
the `Redactor` that puts them together.

This package owns what counts as a name and what it becomes. A `Redactor`
replaces, in text and in the JSON documents of `diagnose` and `fleet`
(docs/json.md, issue 13):

- host names: machine names given explicitly (`add_host`, and every fleet
  `machines[].name`), FQDNs (`cm01.contoso.com`), the server of a UNC path
  (`\\\\fs01\\Apps$\\x` -> `\\\\HOST-1\\Apps$\\x`, also `\\\\?\\UNC\\fs01\\...` and the
  doubled form `\\\\\\\\fs01\\\\Apps$` of WMI and C strings; a UNC path starts
  after a space, a quote, a bracket or one of `=,;:|*`) and of
  a URL (`http://cm01.contoso.com/CCM_Client` -> `http://HOST-2/CCM_Client`),
  computer accounts (`CONTOSO\\WKS0042$`), and values of `SMSMP=`, `/mp:`,
  `/fsp:`, `MachineName=`, `ComputerName=`, `ServerName=`, `HostName=` ...;
- user names: `DOMAIN\\user` (also with a doubled backslash, as written by
  `User = "CONTOSO\\\\jdoe"`), `User = "jdoe"`, `user "jdoe"`, the profile
  folder in `C:\\Users\\jdoe\\...` (and `Documents and Settings`, `/home`), the
  user of `scheme://user:password@host` (the password becomes `***`);
- domain names: the NetBIOS domain of `DOMAIN\\user`, DNS domains (two-label
  names such as `contoso.com`, the suffix of every FQDN, `DNSSUFFIX=`), and the
  label before the top-level domain (`contoso` of `corp.contoso.com`);
- IPv4 and IPv6 addresses (also IPv4-mapped, `::ffff:10.1.2.3`), e-mail
  addresses (UPNs such as `jdoe@contoso.com` are e-mail addresses here), and
  SIDs of domain and local accounts (`S-1-5-21-...`, Azure AD's `S-1-12-1-...`);
- more host names (issue 21): the `CN=` of an LDAP name (`DC=` values are
  domains; well-known containers such as `CN=Users` are kept), the server of a
  `//server/share` path and of a connection string (`Server=`, `Data Source=`,
  `Address=`), names in any script (`SRVÜBER01`), upper-case NetBIOS-like names
  in brackets or quotes (`[CMPRI01]`, `'MPSRV09'`: two letters and a digit,
  not a package id such as `PS100012` nor `KB4012345`, `AMD64` ...), and any
  name quoted after `server`, `computer`, `machine`, `host`, `MP`, `DP` ...;
- MAC addresses (`00:15:5D:01:02:03`, `00-15-...`, twelve hex digits after
  `MAC`) and serial numbers (after `SerialNumber`, `serial:`, `Service Tag`,
  `Asset Tag`), as `MAC-1`, `SERIAL-1`.

Every value gets a pseudonym of its class, numbered in order of first sight
(`HOST-1`, `USER-2`, `DOMAIN-1`, `IP-1`, `EMAIL-1`, `SID-1`, `MAC-1`,
`SERIAL-1`), the same one
throughout the report; host, user and domain names compare without case, an
FQDN and its first label are one host, and IPv6 addresses compare in their
compressed form. Every host, user and domain name once learned is also
replaced wherever it stands as a word on its own (`WKS0042` in
`WKS0042.zip!/Windows/...`, in a message, in a file name joined by `.`, `_`,
`-` or `$`).

Kept as they are: error codes (`0x80070005`, `1603`), GUIDs, version numbers
(`5.00.9088.1000`: a dotted quad with a leading zero or a part over 255, or
after the word "version", is not an address), times and dates, site codes,
share names (`SMSPKGD$`, `SMS_DP$`, `ADMIN$`, `C$`), paths' shapes (every
separator and every other folder), well-known accounts and groups
(`NT AUTHORITY\\SYSTEM`, `LocalSystem`, `BUILTIN\\Administrators`, `Everyone`,
`Domain Computers` ...), well-known SIDs (`S-1-5-18`, `S-1-5-32-544`, service
SIDs `S-1-5-80-...`), loopback, unspecified and broadcast addresses and
netmasks, `localhost`, placeholders in rule text (`DOMAIN\\COMPUTER$`,
`\\\\server\\share`), and hosts under public vendor domains
(`learn.microsoft.com`, `download.windowsupdate.com`, see `PUBLIC_DOMAINS`).

Limits - what it cannot know is a name:

- A bare single-label name (`CM01`, `jdoe`, `CONTOSO`) is only recognised once
  it has been seen in one of the contexts above, or given with `add_host`,
  `add_user`, `add_domain`. `redact_document` reads the whole document
  before replacing anything, so a name seen anywhere in it is replaced
  everywhere; `redact_text` learns from the text it is given (and remembers
  for later calls). A name no context gives away (an AD site name, a
  collection, a package or program named after a person or a customer, a
  printer, a company name in free text) stays.
- Dotted names are taken for host or domain names only when they end in a
  common top-level domain (com, net, org, local, lan, corp, internal, de,
  uk ...); `server.example.xyz` is not recognised unless it stands in a UNC
  path or a URL. A file name that ends like one (`command.com`) is taken for
  a host.
- Names shorter than three characters, names that are all digits,
  ordinary placeholder words (`server`, `domain`, `user`, `computer` ...) and
  generic first labels of FQDNs (`www`, `wiki`, `mail`, `portal` ...) are
  not replaced as bare words (only in the contexts above); a learned name
  that is also an ordinary word (a user called `setup`) is replaced wherever
  that word stands on its own.
- Two FQDNs with the same first label (`cm01.a.com`, `cm01.b.com`) get one
  pseudonym. A NetBIOS domain and a DNS domain whose second-level label is
  the same word (`CONTOSO`, `contoso.com`) get one pseudonym.
- A dotted quad that is a version number but reads as a valid address
  (`4.5.2.1` with no "version" before it) is replaced; an IPv6 address
  needs a digit and either eight groups or `::` to be recognised (so C++
  scopes such as `CDB::Add` are kept); a MAC address or serial number
  outside the forms above, certificate thumbprints and other identifiers are
  not redacted, nor a lower-case name in quotes with no such word before it.
- Decoded error codes (`codes`) and, for findings of bundled rules, the
  rule's own text (`title`, `references`) are left as they are: they come
  from the tool, not the log. A bundled rule's diagnosis, cause, fix and next
  logs are its words filled with values from the log (the finding's
  captures, its log, its group): names are learned there only where they
  touch those values, and only names met are replaced, so a word of the
  rule's own that looks like a name (`Configuration\\Verification Data`) is
  kept. A user rule's texts are read like log text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from smslogdoc.report.fleetcompare import Earlier
from smslogdoc.report.redaction.redactor import Redactor
from smslogdoc.report.redaction.words import CLASSES, GENERIC_FOLDERS, SUMMARY_LABELS

if TYPE_CHECKING:
    from smslogdoc.report.aggregate import MachineResult
    from smslogdoc.report.document import ProblemDoc, Report

__all__ = ["CLASSES", "GENERIC_FOLDERS", "Redactor", "redact_machines", "redact_report", "summary_text"]


def redact_report(report: Report, *, hosts: Iterable[str] = (), redactor: Redactor | None = None) -> Report:
    """A copy of a diagnosis' report with every name replaced, in one pass over
    all of it (the document, the findings `--min-severity` left out, the logs'
    names); its document then says what was redacted (`redaction`). `hosts`
    are names known to be machines (the folders named on the command line).
    With `redactor`, its names so far are kept and it learns the report's, so
    that what is written beside the report (`--explain`'s trace, `--follow`'s
    findings as they come) uses the same pseudonyms."""
    if redactor is None:
        redactor = Redactor()
    for host in hosts:
        redactor.add_host(host)
    redacted = cast("Report", redactor.redact_document(report))
    redacted["document"]["redaction"] = redactor.summary()
    return redacted


def redact_machines(
    results: Iterable[MachineResult],
    problems: list[ProblemDoc],
    inputs: Sequence[str] = (),
    earlier: Earlier | None = None,
) -> tuple[list[MachineResult], list[ProblemDoc], list[str], dict[str, int], Earlier | None]:
    """The fleet's machines and its own problems, redacted in one pass over
    them (machine names are hosts), and what was redacted. A name met anywhere
    is replaced everywhere, so the machines' results are held until all have
    come in (their findings only, never their events); the aggregation is then
    made from the redacted results, so the causes list pseudonyms as well, and
    the unexplained records are grouped by the templates of their redacted
    texts. The fleet's input paths (`inputs`) are redacted with them, and the
    `earlier` report to compare with (`fleet --compare`), its machine names as
    hosts, so a machine has one pseudonym in both."""
    kept = list(results)
    document: dict[str, Any] = {
        "version": 1,
        "machines": [result.document for result in kept],
        "problems": problems,
        "inputs": list(inputs),
    }
    redactor = Redactor()
    if earlier is not None:
        for name in earlier.machines:
            redactor.add_host(name)
        document["earlier"] = earlier.doc()
    done = redactor.redact_document(document)
    machines = [
        replace(result, document=machine, templates=None)
        for machine, result in zip(done["machines"], kept, strict=True)
    ]
    compared = Earlier.of(done["earlier"]) if earlier is not None else None
    return machines, done["problems"], done["inputs"], redactor.summary(), compared


def summary_text(counts: Mapping[str, int]) -> str:
    """`Redacted, each replaced by a stable pseudonym: 3 host names, 1 user name.`
    from `Redactor.summary()`."""
    parts = []
    for kind in CLASSES:
        number = counts.get(kind)
        if number:
            label = SUMMARY_LABELS[kind]
            plural = "" if number == 1 else "es" if label.endswith("ss") else "s"
            parts.append(f"{number} {label}{plural}")
    if not parts:
        return "Redacted: no names were found to replace."
    return "Redacted, each replaced by a stable pseudonym: " + ", ".join(parts) + "."
