"""The vocabulary of `report.redact`: the classes of names, the names and
folders that are never redacted (well-known accounts and domains, public
vendor domains, path words), the patterns that find names in log text, and the
small predicates the redactor asks (is it an address, a private SID ...)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

HOST = "host"
USER = "user"
DOMAIN = "domain"
IP = "ip"
EMAIL = "email"
SID = "sid"

CLASSES: tuple[str, ...] = (HOST, USER, DOMAIN, IP, EMAIL, SID)
"""The redaction classes, in the order `summary` lists them."""

PUBLIC_DOMAINS: frozenset[str] = frozenset(
    {
        "microsoft.com",
        "windowsupdate.com",
        "windows.com",
        "windows.net",
        "msft.net",
        "msftncsi.com",
        "msftconnecttest.com",
        "live.com",
        "office.com",
        "office365.com",
        "microsoftonline.com",
        "azure.com",
        "azureedge.net",
        "msedge.net",
        "akamaiedge.net",
        "digicert.com",
        "verisign.com",
        "github.com",
        "github.io",
        "githubusercontent.com",
        "example.com",
        "example.org",
        "example.net",
    }
)
"""Hosts in these domains (and the domains themselves) are public and kept."""

_PSEUDONYM = re.compile(r"(?:HOST|USER|DOMAIN|IP|EMAIL|SID)-\d+", re.IGNORECASE)

_WELL_KNOWN_USERS = frozenset(
    s.casefold()
    for s in (
        "SYSTEM",
        "LocalSystem",
        "LOCAL SERVICE",
        "LocalService",
        "NETWORK SERVICE",
        "NetworkService",
        "Administrator",
        "Administrators",
        "Guest",
        "Guests",
        "Users",
        "Everyone",
        "Authenticated Users",
        "Domain Computers",
        "Domain Users",
        "Domain Admins",
        "Domain Controllers",
        "Enterprise Admins",
        "DefaultAccount",
        "WDAGUtilityAccount",
        "krbtgt",
        "TrustedInstaller",
        "ANONYMOUS LOGON",
        "Public",
        "Default",
        "Default User",
        "All Users",
        "defaultuser0",
        "Default.migrated",
        "INTERACTIVE",
        "SERVICE",
        "BATCH",
        "NETWORK",
        "CREATOR OWNER",
        "Power Users",
        "Remote Desktop Users",
        "Backup Operators",
        "Replicator",
        "IUSR",
        "IWAM",
        "ASPNET",
        "null",
        "none",
        "n/a",
        "unknown",
        "SMSCliToknAcct&",
        "SMSCliSvcAcct&",
        "SMSServer_",
        "ConfigMgr_ClientAcct",
    )
)
_WELL_KNOWN_DOMAINS = frozenset(
    s.casefold()
    for s in (
        "NT AUTHORITY",
        "AUTHORITY",
        "BUILTIN",
        "NT SERVICE",
        "WORKGROUP",
        "NT VIRTUAL MACHINE",
        "IIS APPPOOL",
        "Window Manager",
        "Font Driver Host",
        "LOCAL",
        ".",
        "root",  # WMI namespaces: root\ccm, root\cimv2
    )
)
_PLACEHOLDERS = frozenset(
    s.casefold()
    for s in (
        "domain",
        "computer",
        "computers",
        "user",
        "username",
        "users",
        "server",
        "servername",
        "machine",
        "machinename",
        "computername",
        "host",
        "hostname",
        "client",
        "site",
        "sitecode",
        "share",
        "account",
        "name",
        "localhost",
        "mp",
        "dp",
        "fsp",
        "slp",
        "pc",
        "workstation",
    )
)
"""Words never replaced on their own, nor taken for a name in `DOMAIN\\user`
(placeholders in rule text)."""
_GENERIC_LABELS = frozenset(
    (
        "www",
        "wiki",
        "mail",
        "smtp",
        "imap",
        "pop",
        "ftp",
        "portal",
        "intranet",
        "login",
        "sts",
        "adfs",
        "autodiscover",
        "vpn",
        "proxy",
        "dns",
        "ns1",
        "ns2",
        "web",
        "app",
        "api",
        "docs",
        "support",
        "help",
        "download",
        "downloads",
        "update",
        "updates",
        "files",
        "corp",
        "internal",
        "local",
        "lan",
        "ad",
    )
)
"""First labels of FQDNs (and DNS domains) too generic to be replaced as words
of their own; they are replaced in the FQDN, and in `DOMAIN\\user`."""
_PATH_WORDS = frozenset(
    s.casefold()
    for s in (
        "windows",
        "system32",
        "syswow64",
        "ccm",
        "logs",
        "temp",
        "tmp",
        "ccmsetup",
        "ccmcache",
        "sms",
        "i386",
        "x64",
        "x86",
        "amd64",
        "bin",
        "programdata",
        "appdata",
        "roaming",
        "documents",
        "desktop",
        "downloads",
        "inetpub",
        "wwwroot",
        "smsbin",
        "sms_ccm",
        "software",
        "microsoft",
        "system",
        "currentcontrolset",
        "hklm",
        "hkcu",
        "hkey_local_machine",
        "hkey_current_user",
        "services",
        "policies",
        "classes",
        "wow6432node",
        "config",
        "drivers",
        "setup",
        "source",
        "sources",
        "client",
        "content",
        "packages",
        "pkg",
        "apps",
        "data",
        "scripts",
        "tools",
        "install",
        "installer",
        "cache",
    )
)
"""Folder names that make `Folder\\name` a relative path, not `DOMAIN\\user`."""
GENERIC_FOLDERS = _PATH_WORDS
"""Folder names that are never a machine's name (`Logs`, `CCM` ...)."""
_FILE_EXTENSIONS = frozenset(
    (
        "log",
        "lo_",
        "exe",
        "dll",
        "msi",
        "msp",
        "mst",
        "cab",
        "txt",
        "ini",
        "xml",
        "cmd",
        "bat",
        "ps1",
        "vbs",
        "js",
        "mof",
        "sdb",
        "tcf",
        "sys",
        "cfg",
        "inf",
        "cat",
        "zip",
        "json",
        "yaml",
        "yml",
        "htm",
        "html",
        "lnk",
        "reg",
        "wim",
        "iso",
        "dat",
        "tmp",
        "bak",
        "old",
        "nal",
        "sdf",
        "mif",
    )
)
_KEEP_NAMES = frozenset(("system.net", "system.io", "asp.net", "ado.net", "vb.net"))

_TLD = (
    "com|net|org|edu|gov|mil|int|local|lan|corp|internal|intranet|intra|localdomain|biz|info|io|"
    "cloud|de|uk|fr|nl|ch|se|dk|fi|es|pt|pl|cz|ru|jp|cn|au|nz|ca|mx|za|ie|eu|kr|sg|hk|tw|br"
)
_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "ac", "gov", "edu"))

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_NAME_CHARS = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"

# One pass over the text: at each position the first alternative that matches
# wins, so things to keep (GUIDs, well-known accounts) come first and a bare
# word comes last.
_STRUCTURE = (
    r"""
  (?P<guid>\{?\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b\}?)
| (?P<wellknown>(?i:\b(?:NT[ ]AUTHORITY|NT[ ]SERVICE|BUILTIN|IIS[ ]APPPOOL|NT[ ]VIRTUAL[ ]MACHINE|Window[ ]Manager|Font[ ]Driver[ ]Host)\\{1,2}[\w$.-]+(?:[ ](?:SERVICE|LOGON|Users|Admins|Operators))?))
| (?P<email>(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:"""
    + _LABEL
    + r"""\.)+[A-Za-z]{2,24}(?![\w-]))
| (?P<sid>\bS-1-\d+(?:-\d+)+\b)
| (?P<url>\b(?P<url_scheme>[A-Za-z][A-Za-z0-9+.-]{1,15})://(?:(?P<url_user>[^\s/@:\\'"<>]+)(?::(?P<url_pass>[^\s/@\\'"<>]*))?@)?(?P<url_host>\[[0-9A-Fa-f:.%]+\]|[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]|[A-Za-z0-9]))
| (?P<unc>(?<![^\s"'(=,;:<>\[{|*])(?P<unc_pre>\\{2,4}(?:\?\\{1,2}UNC\\{1,2})?)(?P<unc_host>[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]|[A-Za-z0-9]|\[[0-9A-Fa-f:.%]+\])(?=[\\/"'\s,;)\]]|$))
| (?P<profile>(?<=[\\/])(?P<profile_dir>(?i:Users|Documents[ ]and[ ]Settings|home|profiles))(?P<profile_sep>[\\/]{1,2})(?P<profile_name>[^\\/:*?"<>|\s]+(?:[ ][^\\/:*?"<>|\s]+)*(?=[\\/])|[^\\/:*?"<>|\s,;)\]']+))
| (?P<kvuser>(?i:\b(?P<kvuser_key>user[ ]?name|user|account[ ]?name|logon[ ]?user|run[ ]?as[ ]?user|owner))(?P<kvuser_sep>\s*[=:]\s*["']?|\s+["'])(?P<kvuser_val>[^\s"',;()\[\]<>/:]+)(?![^\s"',;()\[\]<>]))
| (?P<kvhost>(?P<kvhost_key>(?i:\b(?:SMSMP|SMSFSP|SMSSLP|CCMHOSTNAME|SMSMPLIST|machine[ ]?name|computer[ ]?name|server[ ]?name|host[ ]?name|netbios[ ]?name|DNSSUFFIX)|/(?:mp|fsp|slp)))(?P<kvhost_sep>\s*[=:]\s*["']?)(?P<kvhost_val>[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]|[A-Za-z0-9])(?![\w.-]|:/))
| (?P<account>(?<![\\/:.%\w$-])(?P<account_domain>"""
    + _NAME_CHARS
    + r""")\\{1,2}(?P<account_user>[A-Za-z0-9][\w.-]*\$?|[A-Za-z0-9]\$?)(?![\\/\w$-]))
| (?P<ipv6>(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?::|[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})(?:%[\w.]+)?(?![\w:]))
| (?P<ipv4>(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d))
| (?P<fqdn>(?<![\w.@-])(?:"""
    + _LABEL
    + r"""\.)+(?i:"""
    + _TLD
    + r""")(?![\w-]|\.[A-Za-z0-9]))
"""
)
_WORD = r"""
| (?P<word>(?<![\w$])[A-Za-z0-9](?:[\w$-]|\.(?=\w))*)
"""
_LEARN_RE = re.compile(_STRUCTURE, re.VERBOSE)
_REDACT_RE = re.compile(_STRUCTURE + _WORD, re.VERBOSE)
_VERSION_BEFORE = re.compile(r"(?i)(?:version|ver\.?|build|v)\s*[:=]?\s*[\"'(]?\s*$")
_WORD_PARTS = re.compile(r"([._$-])")

_SKIP_KEYS = frozenset(
    ("rule", "severity", "confidence", "status", "event", "format", "encoding", "codes", "time", "version")
)
"""Keys of a diagnose or fleet document whose values are the tool's own vocabulary, never log text."""
_RULE_TEXT_KEYS = frozenset(("title", "cause", "references"))
"""Keys of a finding that hold the rule's own text (left alone for bundled rules)."""


def summary_text(counts: Mapping[str, int]) -> str:
    """`Redacted: 3 host names, 1 user name, 2 IP addresses.` from `Redactor.summary()`."""
    labels = {
        HOST: "host name",
        USER: "user name",
        DOMAIN: "domain name",
        IP: "IP address",
        EMAIL: "e-mail address",
        SID: "SID",
    }
    parts = [
        f"{counts[kind]} {labels[kind]}{'es' if labels[kind].endswith('ss') and counts[kind] != 1 else 's' if counts[kind] != 1 else ''}"
        for kind in CLASSES
        if counts.get(kind)
    ]
    if not parts:
        return "Redacted: no names were found to replace."
    return "Redacted, each replaced by a stable pseudonym: " + ", ".join(parts) + "."


def _strings(value: Any, trusted: frozenset[str], key: str = "") -> Iterable[str]:
    if isinstance(value, str):
        if key not in _SKIP_KEYS:
            yield value
    elif isinstance(value, Mapping):
        keep_rule_text = _is_trusted(value, trusted)
        for name, item in value.items():
            if name in _SKIP_KEYS or (keep_rule_text and name in _RULE_TEXT_KEYS):
                continue
            yield from _strings(item, trusted, name)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, trusted, key)


def _is_trusted(finding: Mapping[str, Any], trusted: frozenset[str]) -> bool:
    """A finding of a bundled rule: `"bundled": true`, or its rule id trusted
    (when the document does not say)."""
    if "rule" not in finding or "evidence" not in finding:
        return False
    bundled = finding.get("bundled")
    if isinstance(bundled, bool):
        return bundled
    return finding.get("rule") in trusted


def _second_level(labels: list[str]) -> str:
    """`contoso` of `corp.contoso.com` or `contoso.co.uk`; '' for a single label."""
    if len(labels) < 2:
        return ""
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2]


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


def _keep_ip(text: str) -> bool:
    """Loopback, unspecified, broadcast and netmasks identify nothing."""
    address = ipaddress.ip_address(text.strip("[]").split("%")[0])
    if address.is_loopback or address.is_unspecified:
        return True
    return isinstance(address, ipaddress.IPv4Address) and (
        str(address).startswith("255.") or address.is_multicast
    )


def _private_sid(sid: str) -> bool:
    """A SID that identifies a domain, a machine or an account in them."""
    parts = sid.upper().split("-")
    if len(parts) < 4:
        return False
    authority, first = parts[2], parts[3]
    if authority == "5" and first == "21":
        return True
    return authority == "12" or (authority == "5" and first in {"64", "65"} and len(parts) > 5)
