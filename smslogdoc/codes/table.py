"""Error codes: what a number written in an SMS or Configuration Manager log means.

This module owns everything about error codes:

* the table `smslogdoc/data/errorcodes.tsv` (Microsoft's texts for Win32, Windows
  Installer, COM/OLE HRESULT, WMI, BITS, HTTP, WinHTTP, Windows Update, ConfigMgr
  and ccmsetup codes, plus a few SMS-private codes explained from context), loaded
  lazily on first use;
* `parse_code`, which reads one code in any spelling the logs use (`0x80070005`,
  `80070005`, `-2147024891`, `2147942405`, `#2147942405`, `1317`, `0x525`);
* `explain`, which lists every sensible reading of a code, decomposing HRESULTs
  (`0x8007xxxx` is Win32 `xxxx`, `0x8019xxxx` is an HTTP status seen by BITS) and
  giving a small Win32 number its HRESULT form;
* `decodes` and `plausible_hresult`, which `codes.find` asks of a number it found.

Finding codes in a log message is `codes.find`.

Nothing here does I/O apart from reading the packaged table once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

__all__ = [
    "KINDS",
    "CodeInfo",
    "Explanation",
    "all_codes",
    "explain",
    "lookup",
    "parse_code",
]

KINDS: tuple[str, ...] = (
    "win32",
    "msi",
    "hresult",
    "wmi",
    "bits",
    "http",
    "winhttp",
    "wua",
    "configmgr",
    "ccmsetup",
    "ntstatus",
    "sms",
)
"""Every `CodeInfo.kind`. `ntstatus` holds the few NTSTATUS values met as process exit codes."""

_HEX_KINDS = frozenset({"hresult", "wmi", "bits", "wua", "configmgr", "ntstatus"})
"""Kinds whose table codes are 32-bit values written `0x%08X` (`sms` may be either)."""

_WIN32_KINDS = ("win32", "msi")
"""Both live in the Win32 number space; `msi` marks Windows Installer results."""

_TABLE_FILE = "errorcodes.tsv"

_KIND_LABEL: dict[str, str] = {
    "msi": "Windows Installer",
    "wmi": "WMI",
    "bits": "BITS",
    "http": "HTTP status",
    "winhttp": "WinHTTP",
    "wua": "Windows Update",
    "configmgr": "ConfigMgr",
    "ccmsetup": "ccmsetup return code",
    "ntstatus": "NTSTATUS",
    "sms": "SMS",
}
"""How `one_line` names a kind (Win32 and plain HRESULT rows need no label)."""

# HRESULT facility numbers (winerror.h FACILITY_*); structural, so kept in code.
_FACILITIES: dict[int, str] = {
    0: "FACILITY_NULL",
    1: "FACILITY_RPC",
    2: "FACILITY_DISPATCH",
    3: "FACILITY_STORAGE",
    4: "FACILITY_ITF",
    7: "FACILITY_WIN32",
    8: "FACILITY_WINDOWS",
    9: "FACILITY_SECURITY",
    10: "FACILITY_CONTROL",
    11: "FACILITY_CERT",
    12: "FACILITY_INTERNET",
    13: "FACILITY_MEDIASERVER",
    14: "FACILITY_MSMQ",
    15: "FACILITY_SETUPAPI",
    16: "FACILITY_SCARD",
    17: "FACILITY_COMPLUS",
    18: "FACILITY_AAF",
    19: "FACILITY_URT",
    20: "FACILITY_ACS",
    21: "FACILITY_DPLAY",
    22: "FACILITY_UMI",
    23: "FACILITY_SXS",
    24: "FACILITY_WINDOWS_CE",
    25: "FACILITY_HTTP",
    26: "FACILITY_USERMODE_COMMONLOG",
    31: "FACILITY_USERMODE_FILTER_MANAGER",
    32: "FACILITY_BACKGROUNDCOPY",
    33: "FACILITY_CONFIGURATION",
    34: "FACILITY_STATE_MANAGEMENT",
    35: "FACILITY_METADIRECTORY",
    36: "FACILITY_WINDOWSUPDATE",
    37: "FACILITY_DIRECTORYSERVICE",
    38: "FACILITY_GRAPHICS",
    39: "FACILITY_SHELL",
    40: "FACILITY_TPM_SERVICES",
    41: "FACILITY_TPM_SOFTWARE",
    48: "FACILITY_PLA",
    49: "FACILITY_FVE",
    50: "FACILITY_FWP",
    51: "FACILITY_WINRM",
    52: "FACILITY_NDIS",
    53: "FACILITY_USERMODE_HYPERVISOR",
    54: "FACILITY_CMI",
    55: "FACILITY_USERMODE_VIRTUALIZATION",
    56: "FACILITY_USERMODE_VOLMGR",
    57: "FACILITY_BCD",
    58: "FACILITY_USERMODE_VHD",
    60: "FACILITY_SDIAG",
    61: "FACILITY_WEBSERVICES",
}

# HTTP reason phrases (RFC 9110), used to name the status inside 0x8019xxxx.
_HTTP_REASONS: dict[int, str] = {
    100: "Continue",
    101: "Switching Protocols",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi-Status",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    417: "Expectation Failed",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
}

_WIN32_HRESULT_PREFIX = 0x8007  # HRESULT_FROM_WIN32
_HTTP_HRESULT_PREFIX = 0x8019  # FACILITY_HTTP with the severity bit: BITS reports HTTP statuses so
_CONFIGMGR_PREFIXES = (0x87D0, 0x87D1)  # ConfigMgr's own codes, listed or not


@dataclass(frozen=True)
class CodeInfo:
    """One row of the code table."""

    kind: str
    """One of `KINDS`."""

    code: int
    """The value as the table stores it (unsigned 32-bit for HRESULT-style kinds)."""

    symbol: str
    """The header name, e.g. `ERROR_ACCESS_DENIED`; empty when there is none."""

    message: str
    """Microsoft's text (for kind `sms`, a description of the log context)."""


@dataclass(frozen=True)
class Explanation:
    """One reading of a code as written somewhere."""

    spelling: str
    """What the user or the log wrote, e.g. `-2147024891`."""

    value: int
    """The unsigned 32-bit value (or the small integer) it denotes."""

    hresult: int | None
    """The HRESULT form when the value is one (or a Win32 code's `0x8007xxxx`), else None."""

    win32: int | None
    """The Win32 code inside (5 for 0x80070005, 1317 for 0x525), else None."""

    info: CodeInfo | None
    """The best table row for this reading; None when the code is unknown."""

    facility: str
    """`FACILITY_WIN32` and the like, `0x3AD` for an unnamed facility (11 bits), '' when not an HRESULT."""

    @property
    def known(self) -> bool:
        """Whether the table has a text for this reading."""
        return self.info is not None

    def one_line(self) -> str:
        """The reading on one line, e.g.
        `0x80070005 (-2147024891; Win32 5, ERROR_ACCESS_DENIED): Access is denied.`"""
        value = self.value
        wide = value > 0xFFFF
        head = f"0x{value:08X}" if wide else str(value)
        info = self.info
        if info is None:
            if self.win32 is not None:
                return f"{head}: unknown code (Win32 {self.win32})"
            if self.facility:
                return f"{head}: unknown code (facility {self.facility})"
            if wide:
                return f"{head} ({_signed(value)}): unknown code"
            return f"{head}: unknown code"

        details: list[str] = []
        if wide and value >> 16 == _HTTP_HRESULT_PREFIX and info.kind in ("bits", "http"):
            status = value & 0xFFFF
            reason = _HTTP_REASONS.get(status, "")
            details.append("BITS")
            details.append(f"HTTP {status} {reason}".rstrip())
        else:
            label = _KIND_LABEL.get(info.kind)
            if label:
                details.append(label)
            if wide and self.win32 is not None:
                details.append(f"Win32 {self.win32}")
        if info.symbol:
            details.append(info.symbol)

        forms: list[str] = []
        if wide:
            forms.append(str(_signed(value)))
        else:
            if value >= 10:
                forms.append(f"0x{value:X}")
            if self.hresult is not None:
                forms.append(f"0x{self.hresult:08X}")
        inside = ", ".join(forms)
        if details:
            inside = f"{inside}; {', '.join(details)}" if inside else ", ".join(details)
        text = _sentence(info.message)
        return f"{head} ({inside}): {text}" if inside else f"{head}: {text}"



# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class _Table:
    rows: tuple[CodeInfo, ...]
    by_key: dict[tuple[str, int], CodeInfo]
    wide: dict[int, CodeInfo]


def _parse_table(text: str) -> _Table:
    """Parse the TSV text; raises ValueError naming the line for any malformed row."""
    rows: list[CodeInfo] = []
    by_key: dict[tuple[str, int], CodeInfo] = {}
    wide: dict[int, CodeInfo] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line == "kind\tcode\tsymbol\tmessage":
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(
                f"{_TABLE_FILE} line {number}: expected 4 tab-separated fields, got {len(fields)}"
            )
        kind, spelled, symbol, message = fields
        if kind not in KINDS:
            raise ValueError(f"{_TABLE_FILE} line {number}: unknown kind {kind!r}")
        if re.fullmatch(r"0x[0-9A-F]{8}", spelled):
            code = int(spelled, 16)
            if kind not in _HEX_KINDS and not (kind == "sms" and code > 0xFFFF):
                raise ValueError(f"{_TABLE_FILE} line {number}: kind {kind} takes decimal codes")
        elif re.fullmatch(r"0|[1-9][0-9]{0,4}", spelled):
            code = int(spelled)
            if kind in _HEX_KINDS:
                raise ValueError(f"{_TABLE_FILE} line {number}: kind {kind} takes 0x%08X codes")
        else:
            raise ValueError(f"{_TABLE_FILE} line {number}: malformed code {spelled!r}")
        if not message.strip() or message != message.strip():
            raise ValueError(f"{_TABLE_FILE} line {number}: empty or padded message")
        if symbol != symbol.strip() or " " in symbol:
            raise ValueError(f"{_TABLE_FILE} line {number}: malformed symbol {symbol!r}")
        info = CodeInfo(kind, code, symbol, message)
        if (kind, code) in by_key:
            raise ValueError(f"{_TABLE_FILE} line {number}: duplicate {kind} {spelled}")
        by_key[(kind, code)] = info
        if code > 0xFFFF:
            if code in wide:
                raise ValueError(
                    f"{_TABLE_FILE} line {number}: {spelled} already listed as {wide[code].kind}"
                )
            wide[code] = info
        rows.append(info)
    return _Table(tuple(rows), by_key, wide)


@lru_cache(maxsize=1)
def _table() -> _Table:
    text = files("smslogdoc.data").joinpath(_TABLE_FILE).read_text(encoding="utf-8")
    return _parse_table(text)


def all_codes() -> tuple[CodeInfo, ...]:
    """Every row of the table, in file order."""
    return _table().rows


def lookup(kind: str, code: int) -> CodeInfo | None:
    """The row for `code` of `kind` (e.g. `lookup('win32', 5)`), or None."""
    return _table().by_key.get((kind, code & 0xFFFFFFFF))


# --------------------------------------------------------------------------- parsing

_HEX_PREFIXED = re.compile(r"0[xX]([0-9A-Fa-f]{1,8})[lL]?")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,10}")
_BARE_HEX8 = re.compile(r"[0-9A-Fa-f]{8}")


def parse_code(text: str) -> int | None:
    """The value a code spelling denotes, or None when `text` is not a code.

    Accepts `0x80070005` / `0X80070005` (an `L` suffix too), a bare eight-digit hex
    HRESULT (`80070005`, `8007042C`: eight digits starting with 8 or containing a
    letter are read as hex), signed and unsigned decimals (`-2147024891`,
    `2147942405`, `1317`) and an SMS 2.0 `#` prefix (`#2147942405`). Negative
    values are returned as their unsigned 32-bit form.
    """
    spelled = text.strip().rstrip(",.;:")  # punctuation copied from a log sentence
    if spelled.startswith("#"):
        spelled = spelled[1:]
    match = _HEX_PREFIXED.fullmatch(spelled)
    if match:
        return int(match.group(1), 16)
    if _DECIMAL.fullmatch(spelled):
        if len(spelled) == 8 and spelled[0] in "89":
            return int(spelled, 16)
        value = int(spelled)
        if -(2**31) <= value < 0:
            return value & 0xFFFFFFFF
        if 0 <= value <= 0xFFFFFFFF:
            return value
        return None
    if _BARE_HEX8.fullmatch(spelled):
        return int(spelled, 16)
    return None


# --------------------------------------------------------------------------- explaining


def explain(text: str, *, kind_hint: str | None = None) -> list[Explanation]:
    """Every sensible reading of the code `text`, best first.

    `0x8007xxxx` reads as Win32 `xxxx`; a small number that is a Win32 code also
    carries its `0x8007xxxx` form; a number that is both a Win32 code and a ccmsetup
    return code (`7`) gives both, with `kind_hint='ccmsetup'` putting ccmsetup first.
    HTTP statuses (`404`) are offered only with `kind_hint='http'`. Unknown codes give
    one reading whose `info` is None. Raises ValueError when `text` is not a code.
    """
    if kind_hint is not None and kind_hint not in KINDS:
        raise ValueError(f"unknown kind_hint {kind_hint!r}; expected one of {', '.join(KINDS)}")
    value = parse_code(text)
    if value is None:
        raise ValueError(
            f"not an error code: {text.strip()!r} "
            "(expected e.g. 0x80070005, 80070005, -2147024891, 2147942405 or 1317)"
        )
    return readings(text.strip().rstrip(",.;:"), value, kind_hint)


def readings(spelling: str, value: int, kind_hint: str | None) -> list[Explanation]:
    """Every sensible reading of `value` (written `spelling`), the likeliest first."""
    table = _table()
    if value > 0xFFFF:
        return [_wide_reading(spelling, value, table)]
    readings: list[Explanation] = []
    win32 = _win32_row(table, value)
    if win32 is not None:
        readings.append(Explanation(spelling, value, _win32_hresult(value), value, win32, ""))
    winhttp = table.by_key.get(("winhttp", value))
    if winhttp is not None:
        readings.append(Explanation(spelling, value, _win32_hresult(value), value, winhttp, ""))
    for kind in ("sms", "ccmsetup"):
        row = table.by_key.get((kind, value))
        if row is not None:
            readings.append(Explanation(spelling, value, None, None, row, ""))
    if kind_hint == "http":
        row = table.by_key.get(("http", value))
        if row is not None:
            readings.append(Explanation(spelling, value, None, None, row, ""))
    if not readings:
        readings.append(Explanation(spelling, value, None, None, None, ""))
    if kind_hint is not None:
        readings.sort(key=lambda r: 0 if r.info is not None and r.info.kind == kind_hint else 1)
    return readings


def _wide_reading(spelling: str, value: int, table: _Table) -> Explanation:
    prefix = value >> 16
    facility_number = prefix & 0x7FF  # an HRESULT's facility is 11 bits (16-26)
    low = value & 0xFFFF
    is_hresult = bool(value & 0x80000000)
    info = table.wide.get(value)
    win32: int | None = None
    if prefix == _WIN32_HRESULT_PREFIX:
        win32 = low
        if info is None:
            info = _win32_row(table, low) or table.by_key.get(("winhttp", low))
    elif prefix == _HTTP_HRESULT_PREFIX and info is None:
        info = table.by_key.get(("http", low))
    if info is not None and info.kind == "ntstatus":
        return Explanation(spelling, value, None, None, info, "")
    if not is_hresult:
        return Explanation(spelling, value, None, None, info, "")
    facility = _FACILITIES.get(facility_number, f"0x{facility_number:X}")
    return Explanation(spelling, value, value, win32, info, facility)


def _win32_row(table: _Table, code: int) -> CodeInfo | None:
    for kind in _WIN32_KINDS:
        row = table.by_key.get((kind, code))
        if row is not None:
            return row
    return None


def _win32_hresult(code: int) -> int | None:
    return (_WIN32_HRESULT_PREFIX << 16) | code if 0 < code <= 0xFFFF else None


def _signed(value: int) -> int:
    return value - 0x100000000 if value & 0x80000000 else value


def _sentence(message: str) -> str:
    return message if message.endswith((".", "!", "?")) else message + "."

def plausible_hresult(value: int) -> bool:
    """A 0x8xxxxxxx value worth reporting even without a word like "error" before it."""
    prefix = value >> 16
    return decodes(value) or (prefix & 0x7FF) in _FACILITIES or prefix in _CONFIGMGR_PREFIXES


def decodes(value: int) -> bool:
    """Whether the table has a text for this 32-bit value (directly or by decomposition)."""
    return _wide_reading("", value, _table()).info is not None
