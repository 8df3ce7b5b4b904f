"""Finding names in text and replacing them (`Redactor`): the patterns of
`patterns` matched in one pass, each match given its class and pseudonym by
`names.Names`, and whole documents redacted with `walk` (every name read
first, then replaced, so a name met anywhere is replaced everywhere)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

from smslogdoc.report.redaction import walk
from smslogdoc.report.redaction.names import Names, UnknownName
from smslogdoc.report.redaction.patterns import (
    LEARN_RE,
    PSEUDONYM,
    REDACT_RE,
    TLD_RE,
    VERSION_BEFORE,
    WORD_RE,
    is_ip,
    keep_ip,
    private_sid,
)
from smslogdoc.report.redaction.words import (
    DN_CONTAINERS,
    FILE_EXTENSIONS,
    HOST,
    KEEP_NAMES,
    NULL_MACS,
    PATH_WORDS,
    PLACEHOLDERS,
    WELL_KNOWN_DOMAINS,
    WELL_KNOWN_USERS,
)


class Redactor(Names):
    """Stable pseudonyms for the names of one report. Use one Redactor per report."""

    def learn(self, text: str) -> None:
        """Learn the names `text` gives away, without replacing anything."""
        for match in LEARN_RE.finditer(text):
            self._replace(match)

    def redact_text(self, text: str) -> str:
        """`text` with every name replaced (names it gives away are learned first)."""
        if not text:
            return text
        self.learn(text)
        return REDACT_RE.sub(self._replace, text)

    def learn_within(self, text: str, values: Iterable[str]) -> None:
        """Learn the names `text` gives away where they touch one of `values`
        (what a rule's text was filled with), nothing from the rest (the rule's
        own words)."""
        spans = [
            (found.start(), found.end()) for value in values for found in re.finditer(re.escape(value), text)
        ]
        for match in LEARN_RE.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in spans):
                self._replace(match)

    def redact_known(self, text: str) -> str:
        """`text` with the names already met replaced, and nothing learned from
        it: for a bundled rule's texts, so that a word of the rule's own that
        looks like a name (`Configuration\\Verification Data`) is not taken for one."""
        if not text:
            return text
        self.frozen = True
        try:
            return REDACT_RE.sub(self._replace_known, text)
        finally:
            self.frozen = False

    def _replace_known(self, match: re.Match[str]) -> str:
        try:
            return self._replace(match)
        except UnknownName:  # a name never met: its known words only
            return WORD_RE.sub(lambda word: self._word(word.group(0)), match.group(0))

    def _replace(self, match: re.Match[str]) -> str:
        """The pseudonym of one matched name, by the kind of name it is."""
        handler = self._handlers.get(match.lastgroup or "")
        return handler(match) if handler is not None else match.group(0)  # guid, wellknown

    @cached_property
    def _handlers(self) -> dict[str, Callable[[re.Match[str]], str]]:
        return {
            "word": lambda match: self._word(match.group(0)),
            "email": lambda match: self.email(match.group(0)),
            "sid": lambda match: self.sid(match.group(0)) if private_sid(match.group(0)) else match.group(0),
            "url": self._url,
            "unc": lambda match: match.group("unc_pre") + self._server(match.group("unc_host")),
            "profile": self._profile,
            "kvuser": lambda match: (
                f"{match.group('kvuser_key')}{match.group('kvuser_sep')}{self._account_value(match.group('kvuser_val'))}"
            ),
            "kvhost": self._kvhost,
            "dn": self._dn,
            "conn": lambda match: match.group("conn_key") + self._server(match.group("conn_val")),
            "sunc": lambda match: match.group("sunc_pre") + self._server(match.group("sunc_host")),
            "qhost": lambda match: (
                match.group("qhost_key") + match.group("qhost_sep") + self._quoted(match.group("qhost_val"))
            ),
            "qname": lambda match: self._quoted(match.group("qname_val")),
            "mac": lambda match: self._mac(match.group(0)),
            "mackv": lambda match: (
                match.group("mackv_key") + match.group("mackv_sep") + self._mac(match.group("mackv_val"))
            ),
            "serial": lambda match: (
                match.group("serial_key") + match.group("serial_sep") + self.serial(match.group("serial_val"))
            ),
            "account": self._account_match,
            "ipv4": self._ipv4,
            "ipv6": lambda match: self._ipv6(match.group(0)),
            "fqdn": self._fqdn,
        }

    def _profile(self, match: re.Match[str]) -> str:
        name = match.group("profile_name")
        if name.casefold() in WELL_KNOWN_USERS or PSEUDONYM.fullmatch(name) or name.startswith("%"):
            return match.group(0)
        return f"{match.group('profile_dir')}{match.group('profile_sep')}{self.add_user(name)}"

    def _dn(self, match: re.Match[str]) -> str:
        """`CN=SQL01SRV` (a host; a name with spaces is a person or an object,
        replaced where it stands only) and `DC=contoso` (a domain) of an LDAP
        distinguished name; well-known containers and top-level domains are kept."""
        key, value = match.group("dn_key"), match.group("dn_val")
        fold = value.casefold()
        if fold in DN_CONTAINERS or fold in PLACEHOLDERS or PSEUDONYM.fullmatch(value) or value.isdigit():
            return match.group(0)
        if key.casefold() == "dc=":
            return match.group(0) if TLD_RE.fullmatch(fold) else key + self.add_domain(value)
        return key + (self.named_object(value) if " " in value else self._server(value))

    def _quoted(self, value: str) -> str:
        """A host name in quotes or brackets (`'MPSRV09'`, `[CMPRI01]`)."""
        if value.casefold() in PLACEHOLDERS or value.isdigit() or self._is_public(value):
            return value
        return self._server(value)

    def _mac(self, value: str) -> str:
        plain = value.replace("-", ":").casefold()
        if plain in NULL_MACS or len(set(plain.replace(":", ""))) == 1:
            return value
        return self.mac(value)

    def _kvhost(self, match: re.Match[str]) -> str:
        value = match.group("kvhost_val")
        key = match.group("kvhost_key").casefold()
        if value.isdigit() or value.casefold() in PLACEHOLDERS or self._is_public(value):
            return match.group(0)
        if key == "dnssuffix":
            value = self.add_domain(value)
        elif is_ip(value):
            value = self.ip(value)
        else:
            value = self.add_host(value)
        return f"{match.group('kvhost_key')}{match.group('kvhost_sep')}{value}"

    def _account_match(self, match: re.Match[str]) -> str:
        whole = match.group(0)
        return self._account(
            match.group("account_domain"),
            whole[len(match.group("account_domain")) : -len(match.group("account_user"))],
            match.group("account_user"),
            strict=True,
        )

    def _fqdn(self, match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole.casefold() in KEEP_NAMES or self._is_public(whole):
            return whole
        return self.add_host(whole) if whole.count(".") >= 2 else self.add_domain(whole)

    def _server(self, host: str) -> str:
        """A server in a UNC path or URL: an address, a public host, or a host name."""
        bare = host.strip("[]")
        if is_ip(bare):
            return (
                host if keep_ip(bare) else (f"[{self.ip(bare)}]" if host.startswith("[") else self.ip(bare))
            )
        if self._is_public(host) or host.casefold() in PLACEHOLDERS or PSEUDONYM.fullmatch(host):
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
        if PSEUDONYM.fullmatch(value) or value.startswith(("%", "$", "<", "{")) or value.isdigit():
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
        if value.casefold() in WELL_KNOWN_USERS or value.casefold() in PLACEHOLDERS:
            return value
        if value.endswith("$"):
            return self.add_host(value) + "$"
        return self.add_user(value)

    def _account(self, domain: str, separator: str, user: str, *, strict: bool) -> str:
        """`DOMAIN\\user`, with the checks that tell it from a relative path when `strict`."""
        fold_domain, fold_user = domain.casefold(), user.casefold()
        if fold_domain in WELL_KNOWN_DOMAINS or (
            PSEUDONYM.fullmatch(domain) and PSEUDONYM.fullmatch(user.rstrip("$"))
        ):
            return f"{domain}{separator}{user}"
        if strict:
            extension = fold_user.rsplit(".", 1)[1] if "." in fold_user else ""
            if fold_domain in PATH_WORDS or extension in FILE_EXTENSIONS or fold_domain.isdigit():
                return f"{domain}{separator}{user}"
        if fold_domain in PLACEHOLDERS and fold_user.rstrip("$") in PLACEHOLDERS | WELL_KNOWN_USERS:
            return f"{domain}{separator}{user}"
        if PSEUDONYM.fullmatch(domain) or fold_domain in PLACEHOLDERS:
            new_domain = domain
        elif fold_domain in self._values[HOST] or is_ip(domain):
            new_domain = self._server(domain)  # a local account of a machine
        else:
            new_domain = self.add_domain(domain)
        if (
            fold_user in WELL_KNOWN_USERS
            or PSEUDONYM.fullmatch(user.rstrip("$"))
            or fold_user.rstrip("$") in PLACEHOLDERS
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
        if VERSION_BEFORE.search(before):
            return text
        if keep_ip(text):
            return text
        return self.ip(text)

    def _ipv6(self, text: str) -> str:
        address = text.split("%")[0]
        groups = address.split(":")
        if not any(ch.isdigit() for ch in address) or (
            "::" not in address and len(groups) < 8 and "." not in groups[-1]
        ):
            return text
        if not is_ip(address) or keep_ip(address):
            return text
        return self.ip(address)

    # --- documents -------------------------------------------------------------

    def redact_document(
        self, document: Mapping[str, Any], *, trusted_rule_ids: Iterable[str] = ()
    ) -> dict[str, Any]:
        """A copy of a diagnose or fleet JSON document (or a report holding one)
        with every name replaced.

        Keys, rule ids, severities, confidences, statuses, event names, formats,
        encodings, times, numbers and decoded codes are kept (`walk`). The machine
        names of a fleet document are learned as hosts first; then every string of
        the document is read for names, and only then replaced, so that a name met
        anywhere is replaced everywhere. When a finding is of a bundled rule (it
        says `"bundled": true`, or its rule is in `trusted_rule_ids`), its rule's
        own text (`title`, `references`) is kept, and in its texts filled with
        values (`diagnosis`, `cause`, `fix`, `next_logs`) names are learned only
        where they touch those values (`learn_within`) and only names met are
        replaced (`redact_known`)."""
        trusted = frozenset(trusted_rule_ids)
        for machine in document.get("machines", ()) or ():
            if isinstance(machine, Mapping) and isinstance(machine.get("name"), str):
                self.add_host(machine["name"])
        for text, values in walk.strings(document, trusted):
            if values is None:
                self.learn(text)
            else:
                self.learn_within(text, values)
        result = walk.copy(
            document, trusted, lambda text: REDACT_RE.sub(self._replace, text), self.redact_known
        )
        assert isinstance(result, dict)
        return result
