"""The vocabulary of redaction: the classes of names, and the names, domains,
folders and words that are never taken for a name (well-known accounts and
domains, public vendor domains, placeholders, path words, file extensions,
the top-level domains a dotted name must end in)."""

from __future__ import annotations

HOST = "host"
USER = "user"
DOMAIN = "domain"
IP = "ip"
EMAIL = "email"
SID = "sid"
MAC = "mac"
SERIAL = "serial"

CLASSES: tuple[str, ...] = (HOST, USER, DOMAIN, IP, EMAIL, SID, MAC, SERIAL)
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

WELL_KNOWN_USERS = frozenset(
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
WELL_KNOWN_DOMAINS = frozenset(
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
PLACEHOLDERS = frozenset(
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
GENERIC_LABELS = frozenset(
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
PATH_WORDS = frozenset(
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
GENERIC_FOLDERS = PATH_WORDS
"""Folder names that are never a machine's name (`Logs`, `CCM` ...)."""
FILE_EXTENSIONS = frozenset(
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
KEEP_NAMES = frozenset(("system.net", "system.io", "asp.net", "ado.net", "vb.net"))

DN_CONTAINERS = frozenset(
    s.casefold()
    for s in (
        "Users",
        "Computers",
        "System",
        "Configuration",
        "Services",
        "Schema",
        "Builtin",
        "Program Data",
        "System Management",
        "Microsoft",
        "Public Key Services",
        "AIA",
        "CDP",
        "Enrollment Services",
        "Certification Authorities",
        "NTAuthCertificates",
        "Partitions",
        "Sites",
        "Subnets",
        "Domain Controllers",
        "ForeignSecurityPrincipals",
        "Managed Service Accounts",
        "Keys",
    )
)
"""Well-known Active Directory containers: a `CN=` of one of these is not a name."""
NULL_MACS = frozenset(("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"))
"""MAC addresses that identify nothing (compared with `:` and in lower case)."""

TLD = (
    "com|net|org|edu|gov|mil|int|local|lan|corp|internal|intranet|intra|localdomain|biz|info|io|"
    "cloud|de|uk|fr|nl|ch|se|dk|fi|es|pt|pl|cz|ru|jp|cn|au|nz|ca|mx|za|ie|eu|kr|sg|hk|tw|br"
)
SECOND_LEVEL = frozenset(("co", "com", "org", "net", "ac", "gov", "edu"))


SUMMARY_LABELS = {
    HOST: "host name",
    USER: "user name",
    DOMAIN: "domain name",
    IP: "IP address",
    EMAIL: "e-mail address",
    SID: "SID",
    MAC: "MAC address",
    SERIAL: "serial number",
}
"""How each class is named in the report's note (`redaction.summary_text`)."""
