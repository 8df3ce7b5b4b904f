"""Redaction: replacing the names in a report by stable pseudonyms, so that a
diagnosis can be posted on a public forum.

This module owns what counts as a name and what it becomes. A `Redactor`
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
- IPv4 and IPv6 addresses, e-mail addresses (UPNs such as `jdoe@contoso.com`
  are e-mail addresses here), and SIDs of domain and local accounts
  (`S-1-5-21-...`, Azure AD's `S-1-12-1-...`).

Every value gets a pseudonym of its class, numbered in order of first sight
(`HOST-1`, `USER-2`, `DOMAIN-1`, `IP-1`, `EMAIL-1`, `SID-1`), the same one
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
  scopes such as `CDB::Add` are kept); MAC addresses, serial numbers,
  certificate thumbprints and other identifiers are not redacted.
- Decoded error codes (`codes`) and, for findings of bundled rules, the
  rule's own text (`title`, `cause`, `references`) are left as they are: they
  come from the tool, not the log.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

from smslogdoc.report.redactwords import (
    _FILE_EXTENSIONS,
    _GENERIC_LABELS,
    _KEEP_NAMES,
    _LEARN_RE,
    _PATH_WORDS,
    _PLACEHOLDERS,
    _PSEUDONYM,
    _REDACT_RE,
    _RULE_TEXT_KEYS,
    _SKIP_KEYS,
    _VERSION_BEFORE,
    _WELL_KNOWN_DOMAINS,
    _WELL_KNOWN_USERS,
    _WORD_PARTS,
    CLASSES,
    DOMAIN,
    EMAIL,
    HOST,
    IP,
    PUBLIC_DOMAINS,
    SID,
    USER,
    _is_ip,
    _is_trusted,
    _keep_ip,
    _private_sid,
    _second_level,
    _strings,
)
from smslogdoc.report.redactwords import GENERIC_FOLDERS as GENERIC_FOLDERS
from smslogdoc.report.redactwords import summary_text as summary_text


class Redactor:
    """Stable pseudonyms for the names of one report. Use one Redactor per report."""

    def __init__(
        self,
        *,
        hosts: Iterable[str] = (),
        users: Iterable[str] = (),
        domains: Iterable[str] = (),
        public_domains: Iterable[str] = PUBLIC_DOMAINS,
    ) -> None:
        self._values: dict[str, dict[str, str]] = {name: {} for name in CLASSES}
        """Per class: the compared form of a value (case folded for names) -> its pseudonym."""
        self._counts: dict[str, int] = dict.fromkeys(CLASSES, 0)
        self._bare: dict[str, str] = {}
        """Names replaced wherever they stand as a word: case folded -> pseudonym."""
        self._bare_parts = 1
        """The most parts (and separators) a name of `_bare` has: the longest span `_word` tries."""
        self._public = frozenset(domain.casefold().strip(".") for domain in public_domains)
        for host in hosts:
            self.add_host(host)
        for user in users:
            self.add_user(user)
        for domain in domains:
            self.add_domain(domain)

    # --- learning names --------------------------------------------------------

    def _new(self, kind: str) -> str:
        self._counts[kind] += 1
        return f"{kind.upper()}-{self._counts[kind]}"

    def _remember_bare(self, name: str, pseudonym: str) -> None:
        key = name.casefold()
        if (
            len(key) < 3
            or key.isdigit()
            or key in _PLACEHOLDERS
            or key in _GENERIC_LABELS
            or key in _WELL_KNOWN_USERS
            or key in _WELL_KNOWN_DOMAINS
        ):
            return
        if _PSEUDONYM.fullmatch(name):
            return
        self._bare.setdefault(key, pseudonym)
        self._bare_parts = max(self._bare_parts, len(_WORD_PARTS.split(key)))

    def add_host(self, name: str) -> str:
        """The pseudonym of host `name` (a NetBIOS name, an FQDN, or a machine
        folder or archive name such as `WKS0042.zip`), learning it if new."""
        name = name.strip().rstrip("$")
        if not name or _PSEUDONYM.fullmatch(name):
            return name
        for suffix in (".zip", ".tar.gz", ".tgz", ".tar"):
            if name.casefold().endswith(suffix) and len(name) > len(suffix):
                stem = name[: -len(suffix)]
                pseudonym = self.add_host(stem)
                self._values[HOST].setdefault(name.casefold(), pseudonym)
                return pseudonym
        if _is_ip(name):
            return self.ip(name)
        values = self._values[HOST]
        key = name.casefold()
        labels = key.split(".")
        short = labels[0]
        pseudonym = values.get(key) or (values.get(short) if len(labels) > 1 else None) or self._new(HOST)
        values.setdefault(key, pseudonym)
        self._remember_bare(name, pseudonym)
        if len(labels) > 1:
            values.setdefault(short, pseudonym)
            self._remember_bare(short, pseudonym)
            if len(labels) > 2:
                self.add_domain(".".join(labels[1:]))
        return pseudonym

    def add_domain(self, name: str) -> str:
        """The pseudonym of domain `name` (NetBIOS `CONTOSO` or DNS `contoso.com`)."""
        name = name.strip().strip(".")
        if not name or _PSEUDONYM.fullmatch(name):
            return name
        values = self._values[DOMAIN]
        key = name.casefold()
        labels = key.split(".")
        core = _second_level(labels)
        pseudonym = values.get(key) or (values.get(core) if core else None) or self._new(DOMAIN)
        values.setdefault(key, pseudonym)
        self._remember_bare(name, pseudonym)
        if core and core != key:
            values.setdefault(core, pseudonym)
            self._remember_bare(core, pseudonym)
        return pseudonym

    def add_user(self, name: str) -> str:
        """The pseudonym of user `name` (an account name, without its domain)."""
        name = name.strip()
        if not name or _PSEUDONYM.fullmatch(name):
            return name
        values = self._values[USER]
        key = name.casefold()
        pseudonym = values.get(key)
        if pseudonym is None:
            pseudonym = values[key] = self._new(USER)
        self._remember_bare(name, pseudonym)
        return pseudonym

    def _other(self, kind: str, key: str) -> str:
        values = self._values[kind]
        pseudonym = values.get(key)
        if pseudonym is None:
            pseudonym = values[key] = self._new(kind)
        return pseudonym

    def ip(self, address: str) -> str:
        """The pseudonym of an IPv4 or IPv6 address."""
        try:
            key = ipaddress.ip_address(address.strip("[]").split("%")[0]).compressed
        except ValueError:
            key = address.casefold()
        return self._other(IP, key)

    def email(self, address: str) -> str:
        return self._other(EMAIL, address.casefold())

    def sid(self, value: str) -> str:
        return self._other(SID, value.upper())

    # --- text ------------------------------------------------------------------

    def learn(self, text: str) -> None:
        """Learn the names `text` gives away, without replacing anything."""
        for match in _LEARN_RE.finditer(text):
            self._replace(match)

    def redact_text(self, text: str) -> str:
        """`text` with every name replaced (names it gives away are learned first)."""
        if not text:
            return text
        self.learn(text)
        return _REDACT_RE.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        kind = match.lastgroup
        whole = match.group(0)
        if kind == "word":
            return self._word(whole)
        if kind == "email":
            return self.email(whole)
        if kind == "sid":
            return self.sid(whole) if _private_sid(whole) else whole
        if kind == "url":
            return self._url(match)
        if kind == "unc":
            return match.group("unc_pre") + self._server(match.group("unc_host"))
        if kind == "profile":
            name = match.group("profile_name")
            if name.casefold() in _WELL_KNOWN_USERS or _PSEUDONYM.fullmatch(name) or name.startswith("%"):
                return whole
            return f"{match.group('profile_dir')}{match.group('profile_sep')}{self.add_user(name)}"
        if kind == "kvuser":
            value = self._account_value(match.group("kvuser_val"))
            return f"{match.group('kvuser_key')}{match.group('kvuser_sep')}{value}"
        if kind == "kvhost":
            value = match.group("kvhost_val")
            key = match.group("kvhost_key").casefold()
            if value.isdigit() or value.casefold() in _PLACEHOLDERS or self._is_public(value):
                return whole
            if key == "dnssuffix":
                value = self.add_domain(value)
            elif _is_ip(value):
                value = self.ip(value)
            else:
                value = self.add_host(value)
            return f"{match.group('kvhost_key')}{match.group('kvhost_sep')}{value}"
        if kind == "account":
            return self._account(
                match.group("account_domain"),
                whole[len(match.group("account_domain")) : -len(match.group("account_user"))],
                match.group("account_user"),
                strict=True,
            )
        if kind == "ipv4":
            return self._ipv4(match)
        if kind == "ipv6":
            return self._ipv6(whole)
        if kind == "fqdn":
            if whole.casefold() in _KEEP_NAMES or self._is_public(whole):
                return whole
            return self.add_host(whole) if whole.count(".") >= 2 else self.add_domain(whole)
        return whole  # guid, wellknown

    def _word(self, token: str) -> str:
        if not self._bare:
            return token
        found = self._bare.get(token.casefold())
        if found is not None:
            return found
        parts = _WORD_PARTS.split(token)
        if len(parts) == 1:
            return token
        out: list[str] = []
        index = 0
        while index < len(parts):
            replaced = False
            for end in range(min(len(parts), index + self._bare_parts), index, -1):
                if (end - index) % 2 == 0:  # a span must start and end on a name part, not a separator
                    continue
                candidate = "".join(parts[index:end]).casefold()
                pseudonym = self._bare.get(candidate)
                if pseudonym is not None:
                    out.append(pseudonym)
                    index = end
                    replaced = True
                    break
            if not replaced:
                out.append(parts[index])
                index += 1
        return "".join(out)

    def _is_public(self, host: str) -> bool:
        host = host.casefold().strip(".")
        if host == "localhost":
            return True
        return any(host == domain or host.endswith("." + domain) for domain in self._public)

    def _server(self, host: str) -> str:
        """A server in a UNC path or URL: an address, a public host, or a host name."""
        bare = host.strip("[]")
        if _is_ip(bare):
            return (
                host if _keep_ip(bare) else (f"[{self.ip(bare)}]" if host.startswith("[") else self.ip(bare))
            )
        if self._is_public(host) or host.casefold() in _PLACEHOLDERS or _PSEUDONYM.fullmatch(host):
            return host
        return self.add_host(host)

    def _url(self, match: re.Match[str]) -> str:
        out = [f"{match.group('url_scheme')}://"]
        user = match.group("url_user")
        if user is not None:
            out.append(self._account_value(user))
            if match.group("url_pass") is not None:
                out.append(":***")
            out.append("@")
        out.append(self._server(match.group("url_host")))
        return "".join(out)

    def _account_value(self, value: str) -> str:
        """A value given as a user: `DOMAIN\\user`, `user@domain`, or `user`."""
        if _PSEUDONYM.fullmatch(value) or value.startswith(("%", "$", "<", "{")) or value.isdigit():
            return value
        if "\\" in value:
            domain, _, user = value.partition("\\")
            separator = "\\"
            while user.startswith("\\"):
                separator += "\\"
                user = user[1:]
            if "\\" in user or not user:
                return value
            return self._account(domain, separator, user, strict=False)
        if "@" in value:
            local, _, domain = value.rpartition("@")
            if local and "." in domain:
                return self.email(value)
            return value
        if value.casefold() in _WELL_KNOWN_USERS or value.casefold() in _PLACEHOLDERS:
            return value
        if value.endswith("$"):
            return self.add_host(value) + "$"
        return self.add_user(value)

    def _account(self, domain: str, separator: str, user: str, *, strict: bool) -> str:
        """`DOMAIN\\user`, with the checks that tell it from a relative path when `strict`."""
        fold_domain, fold_user = domain.casefold(), user.casefold()
        if fold_domain in _WELL_KNOWN_DOMAINS or (
            _PSEUDONYM.fullmatch(domain) and _PSEUDONYM.fullmatch(user.rstrip("$"))
        ):
            return f"{domain}{separator}{user}"
        if strict:
            extension = fold_user.rsplit(".", 1)[1] if "." in fold_user else ""
            if fold_domain in _PATH_WORDS or extension in _FILE_EXTENSIONS or fold_domain.isdigit():
                return f"{domain}{separator}{user}"
        if fold_domain in _PLACEHOLDERS and fold_user.rstrip("$") in _PLACEHOLDERS | _WELL_KNOWN_USERS:
            return f"{domain}{separator}{user}"
        if _PSEUDONYM.fullmatch(domain) or fold_domain in _PLACEHOLDERS:
            new_domain = domain
        elif fold_domain in self._values[HOST] or _is_ip(domain):
            new_domain = self._server(domain)  # a local account of a machine
        else:
            new_domain = self.add_domain(domain)
        if (
            fold_user in _WELL_KNOWN_USERS
            or _PSEUDONYM.fullmatch(user.rstrip("$"))
            or fold_user.rstrip("$") in _PLACEHOLDERS
        ):
            new_user = user
        elif user.endswith("$"):
            new_user = self.add_host(user) + "$"
        else:
            new_user = self.add_user(user)
        return f"{new_domain}{separator}{new_user}"

    def _ipv4(self, match: re.Match[str]) -> str:
        text = match.group(0)
        octets = text.split(".")
        if any(len(octet) > 1 and octet.startswith("0") for octet in octets) or any(
            int(octet) > 255 for octet in octets
        ):
            return text  # a version number (5.00.9088.1000)
        before = match.string[max(0, match.start() - 24) : match.start()]
        if _VERSION_BEFORE.search(before):
            return text
        if _keep_ip(text):
            return text
        return self.ip(text)

    def _ipv6(self, text: str) -> str:
        address = text.split("%")[0]
        groups = address.split(":")
        if not any(ch.isdigit() for ch in address) or (
            "::" not in address and len(groups) < 8 and "." not in groups[-1]
        ):
            return text
        if not _is_ip(address) or _keep_ip(address):
            return text
        return self.ip(address)

    # --- documents -------------------------------------------------------------

    def redact_document(
        self, document: Mapping[str, Any], *, trusted_rule_ids: Iterable[str] = ()
    ) -> dict[str, Any]:
        """A copy of a diagnose or fleet JSON document with every name replaced.

        Keys, rule ids, severities, confidences, statuses, event names, formats,
        encodings, times, numbers and decoded codes are kept. The machine names
        of a fleet document are learned as hosts first; then every string of the
        document is read for names, and only then replaced, so that a name met
        anywhere is replaced everywhere. The rule's own text of a finding
        (`title`, `cause`, `references`) is kept when the finding says
        `"bundled": true` or its rule is in `trusted_rule_ids`."""
        trusted = frozenset(trusted_rule_ids)
        for machine in document.get("machines", ()) or ():
            if isinstance(machine, Mapping) and isinstance(machine.get("name"), str):
                self.add_host(machine["name"])
        for text in _strings(document, trusted):
            self.learn(text)
        result = self._copy(document, trusted)
        assert isinstance(result, dict)
        return result

    def _copy(self, value: Any, trusted: frozenset[str], key: str = "") -> Any:
        if isinstance(value, str):
            return value if key in _SKIP_KEYS else _REDACT_RE.sub(self._replace, value)
        if isinstance(value, Mapping):
            keep_rule_text = _is_trusted(value, trusted)
            return {
                name: item
                if name in _SKIP_KEYS or (keep_rule_text and name in _RULE_TEXT_KEYS)
                else self._copy(item, trusted, name)
                for name, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self._copy(item, trusted, key) for item in value]
        return value

    def summary(self) -> dict[str, int]:
        """How many distinct values of each class were given a pseudonym (every
        class, zero included; no original value)."""
        return {kind: self._counts[kind] for kind in CLASSES}
