"""The patterns that find names in text (one pass: the first alternative that
matches at a position wins), and the small questions the redactor asks of what
they found (is it an address, a private SID, a domain's core label ...)."""

from __future__ import annotations

import ipaddress
import re

from smslogdoc.report.redaction.words import SECOND_LEVEL, TLD

PSEUDONYM = re.compile(r"(?:HOST|USER|DOMAIN|IP|EMAIL|SID|MAC|SERIAL)-\d+", re.IGNORECASE)
"""A pseudonym already given (never redacted again)."""

# Letters and digits of any script: host names may be internationalised (`müllerpc`, `SRVÜBER01`).
_AN = r"[^\W_]"
_LABEL = _AN + r"(?:[\w-]{0,61}" + _AN + r")?"
_NAME_CHARS = _AN + r"(?:[\w.-]*\w)?"
_HOST = _AN + r"(?:[\w.-]*" + _AN + r")?"
"""A host name: a NetBIOS name or a dotted name, in any script."""
_QUOTED_HOST = (
    r"(?![A-Z0-9]{3}[0-9A-F]{5}[\]\"'])"  # a package, advertisement or deployment id (PS100012)
    r"(?!(?:KB|MS|SHA|AES|TLS|SSL|WIN|UTF|UCS|CP|ISO|RFC|CVE|SMS|CM)\d|(?:X86|X64|AMD64|ARM64|IA64)\b)"
    r"[A-Z](?=[A-Z0-9-]*\d)(?=(?:[A-Z0-9-]*[A-Z]){2})[A-Z0-9-]{4,14}"
)
"""An upper-case NetBIOS-like name with two letters and a digit (`CMPRI01`), as
written in brackets or quotes."""
_HEX2 = r"[0-9A-Fa-f]{2}"

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
| (?P<url>\b(?P<url_scheme>[A-Za-z][A-Za-z0-9+.-]{1,15})://(?:(?P<url_user>[^\s/@:\\'"<>]+)(?::(?P<url_pass>[^\s/\\'"<>]*))?@)?(?P<url_host>\[[0-9A-Fa-f:.%]+\]|"""
    + _HOST
    + r""")(?![\w.=-]))
| (?P<dn>(?P<dn_key>(?i:\b(?:CN|DC)=))(?P<dn_val>[^,;+"'()\[\]<>=\\/\s]+(?:[ ][^,;+"'()\[\]<>=\\/\s]+)*(?=,)|[^,;+"'()\[\]<>=\\/\s]+))
| (?P<conn>(?P<conn_key>(?i:\b(?:server|data[ ]source|addr|address|network[ ]address))\s*=\s*(?:(?i:tcp|np|lpc):)?)(?P<conn_val>"""
    + _HOST
    + r""")(?=[\s;,\\"')]|$))
| (?P<sunc>(?<![^\s"'(=,;<>\[{|*])(?P<sunc_pre>//)(?P<sunc_host>(?=[\w.-]*[\d.])"""
    + _HOST
    + r"""|[A-Z][A-Z0-9-]+)(?=/[\w$.-]))
| (?P<unc>(?<![^\s"'(=,;:<>\[{|*])(?P<unc_pre>\\{2,4}(?:\?\\{1,2}UNC\\{1,2})?)(?P<unc_host>"""
    + _HOST
    + r"""|\[[0-9A-Fa-f:.%]+\])(?=[\\/"'\s,;)\]]|$))
| (?P<profile>(?<=[\\/])(?P<profile_dir>(?i:Users|Documents[ ]and[ ]Settings|home|profiles))(?P<profile_sep>[\\/]{1,2})(?P<profile_name>[^\\/:*?"<>|\s]+(?:[ ][^\\/:*?"<>|\s]+)*(?=[\\/])|[^\\/:*?"<>|\s,;)\]']+))
| (?P<kvuser>(?i:\b(?P<kvuser_key>user[ ]?name|user|account[ ]?name|logon[ ]?user|run[ ]?as[ ]?user|owner))(?P<kvuser_sep>\s*[=:]\s*["']?|\s+["'])(?P<kvuser_val>[^\s"',;()\[\]<>/:]+)(?![^\s"',;()\[\]<>]))
| (?P<kvhost>(?P<kvhost_key>(?i:\b(?:SMSMP|SMSFSP|SMSSLP|CCMHOSTNAME|SMSMPLIST|machine[ ]?name|computer[ ]?name|server[ ]?name|host[ ]?name|netbios[ ]?name|DNSSUFFIX)|/(?:mp|fsp|slp)))(?P<kvhost_sep>\s*[=:]\s*["']?)(?P<kvhost_val>"""
    + _HOST
    + r""")(?![\w.-]|:/))
| (?P<qhost>(?P<qhost_key>(?i:\b(?:server|computer|machine|host|management[ ]point|distribution[ ]point|MP|DP|site[ ]system|client)))(?P<qhost_sep>\s+["'\[])(?P<qhost_val>"""
    + _HOST
    + r""")(?=["'\]]))
| (?P<qname>(?<=["'\[])(?P<qname_val>"""
    + _QUOTED_HOST
    + r""")(?=\\?["'\]]))
| (?P<mac>(?<![\w:-])"""
    + _HEX2
    + r"""(?P<mac_sep>[:-])"""
    + _HEX2
    + r"""(?:(?P=mac_sep)"""
    + _HEX2
    + r"""){4}(?![\w:-]))
| (?P<mackv>(?P<mackv_key>(?i:\bmac(?:[ ]?address(?:es)?)?))(?P<mackv_sep>\s*[=:]\s*["']?|[ ])(?P<mackv_val>[0-9A-Fa-f]{12})\b)
| (?P<serial>(?P<serial_key>(?i:\b(?:serial[ ]?(?:number|no\.?)?|service[ ]tag|asset[ ]tag)))(?P<serial_sep>\s*[=:]\s*["']?|[ ])(?P<serial_val>(?=[\w-]*\d)[A-Za-z0-9][\w-]{3,}))
| (?P<account>(?<![\\/:.%\w$-])(?P<account_domain>"""
    + _NAME_CHARS
    + r""")\\{1,2}(?P<account_user>[A-Za-z0-9][\w.-]*\$?|[A-Za-z0-9]\$?)(?![\\/\w$-]))
| (?P<ipv6>(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|:|[0-9A-Fa-f]{1,4})(?:%[\w.]+)?(?![\w:]))
| (?P<ipv4>(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d))
| (?P<fqdn>(?<![\w.@-])(?:"""
    + _LABEL
    + r"""\.)+(?i:"""
    + TLD
    + r""")(?![\w-]|\.[A-Za-z0-9]))
"""
)
_WORD = r"""
| (?P<word>(?<![\w$])[^\W_](?:[\w$-]|\.(?=\w))*)
"""
WORD_RE = re.compile(_WORD[_WORD.index("(") :], re.VERBOSE)
"""A word on its own (where a learned name is replaced)."""
LEARN_RE = re.compile(_STRUCTURE, re.VERBOSE)
REDACT_RE = re.compile(_STRUCTURE + _WORD, re.VERBOSE)
VERSION_BEFORE = re.compile(r"(?i)(?:version|ver\.?|build|v)\s*[:=]?\s*[\"'(]?\s*$")
WORD_PARTS = re.compile(r"([._$-])")
TLD_RE = re.compile(TLD)
"""A top-level domain (`com` of `DC=com`), in lower case."""


def second_level(labels: list[str]) -> str:
    """`contoso` of `corp.contoso.com` or `contoso.co.uk`; '' for a single label."""
    if len(labels) < 2:
        return ""
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2]


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


def keep_ip(text: str) -> bool:
    """Loopback, unspecified, broadcast and netmasks identify nothing."""
    address = ipaddress.ip_address(text.strip("[]").split("%")[0])
    if address.is_loopback or address.is_unspecified:
        return True
    return isinstance(address, ipaddress.IPv4Address) and (
        str(address).startswith("255.") or address.is_multicast
    )


def private_sid(sid: str) -> bool:
    """A SID that identifies a domain, a machine or an account in them."""
    parts = sid.upper().split("-")
    if len(parts) < 4:
        return False
    authority, first = parts[2], parts[3]
    if authority == "5" and first == "21":
        return True
    return authority == "12" or (authority == "5" and first in {"64", "65"} and len(parts) > 5)
