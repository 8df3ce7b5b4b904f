"""Error codes: what a number written in an SMS or Configuration Manager log means.

This module owns everything about error codes:

* the table `smslogdoc/data/errorcodes.tsv` (Microsoft's texts for Win32, Windows
  Installer, COM/OLE HRESULT, NTSTATUS, WMI, BITS, HTTP, WinHTTP, Windows Update,
  Delivery Optimization, Windows Setup, CBS/DISM, SQL Server, ConfigMgr, Intune and
  ccmsetup codes, and Windows Installer's error message numbers; community tables
  for ConfigMgr codes Microsoft does not list and where they read a code differently; a few SMS-private codes explained from
  context), each row with its source (`codes.tsv` reads it), loaded lazily on
  first use;
* `lookup`, `lookup_all` and `all_codes`, and the facts about number spaces (facilities,
  prefixes) that `codes.explain` needs.

Reading and explaining one code is `codes.explain`; finding codes in a log
message is `codes.find`.

Nothing here does I/O apart from reading the packaged table once.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from smslogdoc.codes.tsv import HEX_KINDS, KINDS, TABLE_FILE, CodeInfo, Table, parse_table

__all__ = ["HEX_KINDS", "KINDS", "CodeInfo", "Table", "all_codes", "load_table", "lookup", "lookup_all"]

WIN32_KINDS = ("win32", "msi")
"""Both live in the Win32 number space; `msi` marks Windows Installer results."""

KIND_LABEL: dict[str, str] = {
    "msi": "Windows Installer",
    "msimessage": "Windows Installer error message",
    "wmi": "WMI",
    "bits": "BITS",
    "http": "HTTP status",
    "winhttp": "WinHTTP",
    "wua": "Windows Update",
    "configmgr": "ConfigMgr",
    "ccmsetup": "ccmsetup return code",
    "ntstatus": "NTSTATUS",
    "sms": "SMS",
    "intune": "Intune",
    "do": "Delivery Optimization",
    "setup": "Windows Setup",
    "cbs": "CBS/DISM",
    "sql": "SQL Server",
}
"""How `one_line` names a kind (Win32 and plain HRESULT rows need no label)."""

# HRESULT facility numbers (winerror.h FACILITY_*); structural, so kept in code.
FACILITIES: dict[int, str] = {
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
    208: "FACILITY_DELIVERY_OPTIMIZATION",
}

# HTTP reason phrases (RFC 9110), used to name the status inside 0x8019xxxx.
HTTP_REASONS: dict[int, str] = {
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

WIN32_HRESULT_PREFIX = 0x8007  # HRESULT_FROM_WIN32
HTTP_HRESULT_PREFIX = 0x8019  # FACILITY_HTTP with the severity bit: BITS reports HTTP statuses so
CONFIGMGR_PREFIXES = (0x87D0, 0x87D1, 0x87D2)  # ConfigMgr's own codes, listed or not
INTERNET_ERRORS = range(12000, 12201)
"""The Win32 numbers of WinINet's and WinHTTP's errors (12001 ERROR_INTERNET_OUT_OF_HANDLES
to 12186 and a little room), which ConfigMgr's HTTP layer reports as such."""


def wraps_internet_error(value: int) -> bool:
    """Whether a 32-bit code is a WinINet or WinHTTP error as an HRESULT (0x80072EE2 is 12002)."""
    return value >> 16 == WIN32_HRESULT_PREFIX and value & 0xFFFF in INTERNET_ERRORS


# --------------------------------------------------------------------------- table


@lru_cache(maxsize=1)
def load_table() -> Table:
    text = files("smslogdoc.data").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return parse_table(text)


def all_codes() -> tuple[CodeInfo, ...]:
    """Every row of the table, in file order."""
    return load_table().rows


def lookup(kind: str, code: int) -> CodeInfo | None:
    """The primary row for `code` of `kind` (e.g. `lookup('win32', 5)`), or None."""
    found = load_table().by_key.get((kind, code & 0xFFFFFFFF))
    return found[0] if found else None


def lookup_all(kind: str, code: int) -> tuple[CodeInfo, ...]:
    """Every row for `code` of `kind`, one per source, the primary (Microsoft's) meaning first."""
    return load_table().by_key.get((kind, code & 0xFFFFFFFF), ())
