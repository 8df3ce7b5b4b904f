"""The names of one report and their pseudonyms: hosts, users, domains,
addresses, e-mail addresses and SIDs, each numbered in order of first sight
within its class (`HOST-1`, `USER-2` ...), and the learned names replaced
wherever they stand as a word of their own."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from smslogdoc.report.redaction.patterns import PSEUDONYM, WORD_PARTS, is_ip, second_level
from smslogdoc.report.redaction.words import (
    CLASSES,
    DOMAIN,
    EMAIL,
    GENERIC_LABELS,
    HOST,
    IP,
    MAC,
    PLACEHOLDERS,
    PUBLIC_DOMAINS,
    SERIAL,
    SID,
    USER,
    WELL_KNOWN_DOMAINS,
    WELL_KNOWN_USERS,
)


class UnknownName(Exception):
    """A name never met before, while names may only be looked up (`Names.frozen`)."""


class Names:
    """Stable pseudonyms for the names of one report, learned as they are met."""

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
        self.frozen = False
        """While true, a name never met before raises `UnknownName` instead of being learned."""
        for host in hosts:
            self.add_host(host)
        for user in users:
            self.add_user(user)
        for domain in domains:
            self.add_domain(domain)

    def _new(self, kind: str) -> str:
        if self.frozen:
            raise UnknownName(kind)
        self._counts[kind] += 1
        return f"{kind.upper()}-{self._counts[kind]}"

    def _remember_bare(self, name: str, pseudonym: str) -> None:
        key = name.casefold()
        if (
            len(key) < 3
            or key.isdigit()
            or key in PLACEHOLDERS
            or key in GENERIC_LABELS
            or key in WELL_KNOWN_USERS
            or key in WELL_KNOWN_DOMAINS
        ):
            return
        if PSEUDONYM.fullmatch(name):
            return
        self._bare.setdefault(key, pseudonym)
        self._bare_parts = max(self._bare_parts, len(WORD_PARTS.split(key)))

    def add_host(self, name: str) -> str:
        """The pseudonym of host `name` (a NetBIOS name, an FQDN, or a machine
        folder or archive name such as `WKS0042.zip`), learning it if new."""
        name = name.strip().rstrip("$")
        if not name or PSEUDONYM.fullmatch(name):
            return name
        for suffix in (".zip", ".tar.gz", ".tgz", ".tar"):
            if name.casefold().endswith(suffix) and len(name) > len(suffix):
                stem = name[: -len(suffix)]
                pseudonym = self.add_host(stem)
                self._values[HOST].setdefault(name.casefold(), pseudonym)
                return pseudonym
        if is_ip(name):
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
        if not name or PSEUDONYM.fullmatch(name):
            return name
        values = self._values[DOMAIN]
        key = name.casefold()
        labels = key.split(".")
        core = second_level(labels)
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
        if not name or PSEUDONYM.fullmatch(name):
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

    def mac(self, value: str) -> str:
        """The pseudonym of a MAC address, however its bytes are separated."""
        return self._other(MAC, value.replace("-", "").replace(":", "").casefold())

    def serial(self, value: str) -> str:
        """The pseudonym of a serial number or asset tag (also replaced where it stands as a word)."""
        if PSEUDONYM.fullmatch(value):
            return value
        pseudonym = self._other(SERIAL, value.casefold())
        self._remember_bare(value, pseudonym)
        return pseudonym

    def named_object(self, value: str) -> str:
        """The pseudonym of a directory object named with spaces (`CN=John Doe`):
        a host name class, replaced where it stands only (its words may be ordinary)."""
        return self._other(HOST, value.casefold())

    def _word(self, token: str) -> str:
        if not self._bare:
            return token
        found = self._bare.get(token.casefold())
        if found is not None:
            return found
        parts = WORD_PARTS.split(token)
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

    def summary(self) -> dict[str, int]:
        """How many distinct values of each class were given a pseudonym (every
        class, zero included; no original value)."""
        return {kind: self._counts[kind] for kind in CLASSES}
