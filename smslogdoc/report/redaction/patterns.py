"""The patterns that find names in text (one pass: the first alternative that
matches at a position wins), and the small questions the redactor asks of what
they found (is it an address, a private SID, a domain's core label ...)."""

from __future__ import annotations

import ipaddress
import re

from smslogdoc.report.redaction.words import SECOND_LEVEL, TLD

PSEUDONYM = re.compile(r"(?:HOST|USER|DOMAIN|IP|EMAIL|SID)-\d+", re.IGNORECASE)
"""A pseudonym already given (never redacted again)."""

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
    + TLD
    + r""")(?![\w-]|\.[A-Za-z0-9]))
"""
)
_WORD = r"""
| (?P<word>(?<![\w$])[A-Za-z0-9](?:[\w$-]|\.(?=\w))*)
"""
WORD_RE = re.compile(_WORD[_WORD.index("(") :], re.VERBOSE)
"""A word on its own (where a learned name is replaced)."""
LEARN_RE = re.compile(_STRUCTURE, re.VERBOSE)
REDACT_RE = re.compile(_STRUCTURE + _WORD, re.VERBOSE)
VERSION_BEFORE = re.compile(r"(?i)(?:version|ver\.?|build|v)\s*[:=]?\s*[\"'(]?\s*$")
WORD_PARTS = re.compile(r"([._$-])")


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
