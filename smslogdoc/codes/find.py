"""Finding the error codes written in a log message: only where the text says
it is a code, so times, dates, thread and process ids, versions, GUIDs, byte
counts and package ids are left alone. Each code found is decoded with
`codes.table`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smslogdoc.codes.explain import Explanation, decodes, parse_code, plausible_hresult, readings
from smslogdoc.codes.table import KINDS, lookup

# --------------------------------------------------------------------------- finding

# Words that make a nearby number a code ("error", "return code", "failed", "hr" ...).
_CONTEXT_WORD = re.compile(
    r"(?i)\b(?:error|errors|err|errorcode|code|hr|hresult|returns?|returned|returning|result|"
    r"fail|fails|failed|failure|fatal|exit|exitcode|exited|exiting|rc|gle|lasterror|win32|reason)\b"
)
# Just before a thread, process or session id.
_ID_BEFORE = re.compile(r"(?i)\b(?:thread|tid|pid|process|session|handle)(?:\s*id)?\s*[=:#]?\s*\(?$")
# "6708 (" just before "(0x1A34)": a number restated in hex.
_DECIMAL_BEFORE_PAREN = re.compile(r"(\d+)\s*\($")
# "0x80070005 (" just before "2147942405)": a hex value restated in decimal.
_HEX_BEFORE_PAREN = re.compile(r"0[xX]([0-9A-Fa-f]{1,8})\s*\(#?-?$")
# After a number: a unit, a count or more digits (dates, times, versions, ranges).
_NOT_A_CODE_AFTER = re.compile(
    r"(?i)^(?:[.,:/-]\d|[.-][a-z]|\s*%|\s*(?:bytes?|[KMG]i?B|ms|msecs?|secs?|seconds?|mins?|minutes?|hours?|days?|"
    r"times|attempts?|retries|tries|of|out\s+of|items?|files?|percent)\b)"
)
_FAILURE_WORD = re.compile(
    r"(?i)\b(?:fail|fails|failed|failure|error|unable|cannot|can't|could\s+not|denied)\b"
)
_CCMSETUP_EXIT = re.compile(r"(?i)\bccmsetup\s+is\s+exiting\s+with\s+return\s+code\b")

_HEX_TOKEN = re.compile(r"(?<![\w.])0[xX][0-9A-Fa-f]{1,8}(?!\w)")
_BARE_HEX_TOKEN = re.compile(
    r"(?<![\w{}\\/.:-])[0-9A-Fa-f]{8}(?![\w}-])|(?<=\bhresult:)[0-9A-Fa-f]{8}(?![\w}-])", re.I
)
_NEGATIVE_TOKEN = re.compile(r"(?<![\w.-])-[0-9]{10}(?![\w.])")
_UNSIGNED_TOKEN = re.compile(r"(?<![\w.-])[0-9]{10}(?![\w.])")
# A keyword directly before a decimal number: "error code: 67", "exit code is 5", "failed 1115", "exited with
# 1618", "exited with the code 1605", "Exit code was '1618'" (Chocolatey quotes it), and the last line of a
# Windows Installer log, "Installation success or error status: 1603".
_KEYWORD_NUMBER = re.compile(
    r"(?ix)\b(?:"
    r"(?:error|exit|return|result)[ _]?code|exitcode|errorcode|win32\s+error|getlasterror(?:\(\))?|lasterror|"
    r"error|err|gle|hresult|hr|rc|returned|returning|with\s+(?:the\s+)?(?:exit\s+)?code|exited(?:\s+with)?|"
    r"success\s+or\s+error\s+status|"
    r"failed(?:\s+with(?:\s+(?:error\s+code|exit\s+code|error|code))?)?"
    r")\s*(?:(?:is|was|of|=|:)\s*)?(?P<quote>['\"\[])?(?P<num>(?:(?<=[\s=:'\"\[])-)?[0-9]{1,10})(?(quote)['\"\]])(?![\w])"
)
# Numbers a log says are HTTP statuses: "HTTP code 600", "HTTP status 404", "StatusCode=403", "HTTP error 503".
_HTTP_STATUS = re.compile(
    r"(?i)\b(?:http(?:\s+(?:status(?:\s+code)?|code|error|response))?|statuscode|status\s+code)\s*[:=]?\s*(?P<num>[1-9][0-9]{2})(?![\w.])"
)
# Numbers a log says are SQL Server errors: an ODBC diagnostic "[42000][4060][Microsoft]...", "Native error 18456",
# "SQL Server error 1205", "SQL error: 2627".
_SQL_ERROR = re.compile(
    r"(?i)\[[0-9A-Z]{5}\]\s*\[(?P<odbc>[0-9]{1,6})\]|"
    r"\b(?:native\s+error|sql(?:\s+server)?\s+error(?:\s+(?:number|code))?)\s*[:=]?\s*(?P<num>[0-9]{1,6})(?![\w.])"
)
# A .NET SqlException's number ("System.Data.SqlClient.SqlException ... Error Number:18456,State:1,Class:14"),
# read only in a message that names a SqlException, SqlClient or SQL Server.
_SQL_EXCEPTION = re.compile(r"(?i)sqlexception|sqlclient|\bsql\s+server\b")
_SQL_ERROR_NUMBER = re.compile(r"(?i)\berror\s*number\s*[:=]\s*(?P<num>[0-9]{1,6})(?![\w.])")
# "... failed for user DOM\SOFTDIST (1722)": a trailing parenthesised number after a failure.
# ConfigMgr's HTTP layer names a WinHTTP or WinINet error by number and symbol:
# "[CCMHTTP] ERROR: URL=..., Port=80, Options=480, Code=12029, Text=ERROR_WINHTTP_CANNOT_CONNECT".
_CODE_AND_SYMBOL = re.compile(r"\bCode=(?P<num>[0-9]{1,5}),\s*Text=ERROR_(?:WINHTTP|INTERNET)_[A-Z_]+\b")
# A WinHTTP or WinINet call and the error it returned, by number: "WinHttpReceiveResponse: 12002: The operation
# timed out", "HttpSendRequest failed 12029", "InternetOpenUrl() = 12007".
_WINHTTP_CALL = re.compile(
    r"\b(?:WinHttp|Internet|Http)[A-Z][A-Za-z]+(?:\(\))?(?:\s+(?:failed|returned|error)(?:\s+with)?)?\s*[:=]?\s*"
    r"(?P<num>12[01][0-9]{2})(?![\w.])"
)
_TRAILING_PAREN = re.compile(r"(?<=\s)\((?P<num>[0-9]{1,5})\)(?=\s*[.,;:~]*\s*$|[,;:])")
# Windows Installer writes its error messages as "Error [1]. <text>" ("Internal Error [1]. ..." for internal ones,
# "DEBUG: Error [1]:" in a debug log), [1] the number of the message in the Error table: 1000-1999 ship messages,
# 2000 and above internal ones (Microsoft, "Error Table", "Windows Installer Error Messages"). That number is no
# Win32 code, so "Error 1920." is message 1920 (a service failed to start), not Win32 1920. Read so in a line of a
# Windows Installer log ("MSI (s) (A8:5C) [10:12:13:123]: ..."), and elsewhere where the shape is unmistakable: at
# the start of the text or after "Product: X -- ", "DEBUG: ", "MSI: " (ccmsetup.log quoting client.msi) or "Internal ".
# A package without the internal messages' texts writes "... The error code is 2203. The arguments are: ...".
# "System Error 1612." inside a message (1714's "[2]") is a Win32 / Windows Installer result, as it says.
_MSI_LOG_LINE = re.compile(r"^\s*MSI \([a-z]\) \(")
_MSI_MESSAGE_NUMBER = r"(?<!System )Error (?P<num>[1-3][0-9]{3})(?:\.(?=\s|$|[A-Z])|:(?=\s))"
_MSI_UNEXPECTED = r"|\bThe error code is (?P<unexpected>[1-3][0-9]{3})\. The arguments are\b"
_MSI_MESSAGE_IN_MSI_LOG = re.compile(r"\b" + _MSI_MESSAGE_NUMBER + _MSI_UNEXPECTED)
_MSI_MESSAGE = re.compile(
    r"(?:^\s*|(?<=-- )|(?<=DEBUG: )|(?<=MSI: )|(?<=Internal ))" + _MSI_MESSAGE_NUMBER + _MSI_UNEXPECTED
)


@dataclass(frozen=True)
class FoundCode:
    """A code found in a log message."""

    start: int
    """Where its spelling starts in the message."""

    end: int
    """Where its spelling ends (exclusive)."""

    explanation: Explanation
    """The best reading of it."""


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    hint: str | None


def find_codes(message: str, *, kind_hint: str | None = None) -> list[FoundCode]:
    """The codes written in a log message, in order, each span once.

    Only code contexts count: `0x` values of eight digits with the high bit set,
    bare eight-digit hex, ten-digit decimal HRESULTs (signed or unsigned), and
    small numbers right after words such as "error", "exit code", "return code",
    "failed", or in parentheses at the end of a failure message. Thread and process
    ids, numbers restated in hex (`6708 (0x1A34)`), dates, times, versions, GUIDs,
    byte counts and percentages are skipped. The phrase "CcmSetup is exiting with
    return code" makes its number a ccmsetup return code; "HTTP code 404",
    "StatusCode=403" an HTTP status; an ODBC diagnostic `[42000][4060]` or
    "Native error 18456" (or a SqlException's "Error Number: 18456") a SQL Server error.
    """
    if kind_hint is not None and kind_hint not in KINDS:
        raise ValueError(f"unknown kind_hint {kind_hint!r}; expected one of {', '.join(KINDS)}")
    candidates: list[_Candidate] = []
    small_hint = "ccmsetup" if _CCMSETUP_EXIT.search(message) else kind_hint
    installer_messages = _installer_messages(message)

    for m in _HEX_TOKEN.finditer(message):
        if _hex_token_is_code(message, m.start(), m.end()):
            candidates.append(_Candidate(m.start(), m.end(), kind_hint))
    for m in _BARE_HEX_TOKEN.finditer(message):
        if _bare_hex_is_code(message, m.start(), m.end()):
            candidates.append(_Candidate(m.start(), m.end(), kind_hint))
    for m in _NEGATIVE_TOKEN.finditer(message):
        value = int(m.group())
        if (
            value >= -(2**31)
            and not _followed_by_non_code(message, m.end())
            and not _restates_hex(message, m.start(), value & 0xFFFFFFFF)
            and not message[: m.start()]
            .lower()
            .endswith("root=")  # MSI's RegOpenKey(Root=-2147483646,...): HKLM
        ):
            candidates.append(_Candidate(m.start(), m.end(), kind_hint))
    for m in _UNSIGNED_TOKEN.finditer(message):
        if _unsigned_is_code(message, m.start(), m.end()):
            candidates.append(_Candidate(m.start(), m.end(), kind_hint))
    candidates += _labelled_numbers(message)
    for m in _KEYWORD_NUMBER.finditer(message):
        start, end = m.span("num")
        value = int(m.group("num"))
        if _followed_by_non_code(message, end):
            continue
        if 0 <= value <= 0xFFFF or -(2**31) <= value < 0:
            candidates.append(_Candidate(start, end, small_hint))
    for m in _TRAILING_PAREN.finditer(message):
        start, end = m.span("num")
        before = message[: m.start()]
        if (
            0 < int(m.group("num")) <= 0xFFFF
            and _FAILURE_WORD.search(before)
            and not _ID_BEFORE.search(before)
        ):
            candidates.append(_Candidate(start, end, small_hint))

    if installer_messages:
        candidates = [c for c in candidates if (c.start, c.end) not in installer_messages]
        candidates += [found for found in installer_messages.values() if found is not None]

    found: list[FoundCode] = []
    last_end = -1
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if cand.start < last_end:
            continue
        spelling = message[cand.start : cand.end]
        parsed = parse_code(spelling)
        if parsed is None:
            continue
        reading = readings(spelling, parsed, cand.hint)[0]
        found.append(FoundCode(cand.start, cand.end, reading))
        last_end = cand.end
    return found


def _installer_messages(message: str) -> dict[tuple[int, int], _Candidate | None]:
    """The spans of Windows Installer message numbers ("Error 1920. Service ..."), each with its
    candidate, or None for a number the message table does not list (a package may author its own
    messages, as "Error 1001." of an installer class): no Win32 reading for that one either."""
    pattern = _MSI_MESSAGE_IN_MSI_LOG if _MSI_LOG_LINE.match(message) else _MSI_MESSAGE
    spans: dict[tuple[int, int], _Candidate | None] = {}
    for m in pattern.finditer(message):
        group = "num" if m.group("num") else "unexpected"
        start, end = m.span(group)
        number = int(m.group(group))
        if _spells_out_win32(message[m.end() :], number):
            continue  # "Error 1722. The RPC server is unavailable.": the Win32 code, in its own words
        known = lookup("msimessage", number) is not None
        spans[(start, end)] = _Candidate(start, end, "msimessage") if known else None
    return spans


def _spells_out_win32(after: str, number: int) -> bool:
    """Whether the text after "Error NNNN." is the Win32 (or msiexec result) text of NNNN."""
    row = lookup("win32", number) or lookup("msi", number)
    return row is not None and after.lstrip().lower().startswith(row.message[:24].lower())


def _labelled_numbers(message: str) -> list[_Candidate]:
    """Numbers the message itself calls HTTP statuses, SQL Server errors or
    WinHTTP errors (by their symbol), with that hint."""
    found = [
        _Candidate(*m.span("num"), "http")
        for m in _HTTP_STATUS.finditer(message)
        if f"8019{int(m.group('num')):04x}" not in message.lower()  # restates a BITS 0x8019xxxx code
    ]
    for m in _SQL_ERROR.finditer(message):
        group = "odbc" if m.group("odbc") else "num"
        if 0 < int(m.group(group)) <= 0xFFFF:
            found.append(_Candidate(*m.span(group), "sql"))
    found += [
        _Candidate(*m.span("num"), "winhttp")
        for pattern in (_CODE_AND_SYMBOL, _WINHTTP_CALL)
        for m in pattern.finditer(message)
        if int(m.group("num"))
    ]
    if _SQL_EXCEPTION.search(message):
        found += [
            _Candidate(*m.span("num"), "sql")
            for m in _SQL_ERROR_NUMBER.finditer(message)
            if 0 < int(m.group("num")) <= 0xFFFF
        ]
    return found


def _context_before(message: str, start: int, width: int = 64) -> str:
    """The text before `start` in the same clause, at most `width` characters."""
    window = message[max(0, start - width) : start]
    for stop in (". ", "; ", "|"):
        cut = window.rfind(stop)
        if cut >= 0:
            window = window[cut + len(stop) :]
    return window


def _is_restated_number(message: str, start: int, value: int) -> bool:
    """`6708 (0x1A34)`: the hex in parentheses repeats the number before it."""
    before = _DECIMAL_BEFORE_PAREN.search(message[max(0, start - 16) : start])
    return before is not None and int(before.group(1)) == value


def _restates_hex(message: str, start: int, value: int) -> bool:
    """`0x80070005 (2147942405)`: the decimal in parentheses repeats the hex before it."""
    before = _HEX_BEFORE_PAREN.search(message[max(0, start - 16) : start])
    return before is not None and int(before.group(1), 16) == value


def _followed_by_non_code(message: str, end: int) -> bool:
    return _NOT_A_CODE_AFTER.match(message[end : end + 16]) is not None


def _hex_token_is_code(message: str, start: int, end: int) -> bool:
    digits = message[start + 2 : end]
    value = int(digits, 16)
    if _is_restated_number(message, start, value) or _ID_BEFORE.search(message[max(0, start - 24) : start]):
        return False
    if message.startswith(")>", end):  # the "(0x1A34)>" thread suffix of an SMS trace line
        return False
    if len(digits) == 8 and value & 0x80000000 and plausible_hresult(value):
        return True
    if len(digits) == 8 and 0 < value <= 0xFFFF and _FAILURE_WORD.search(message):
        return True  # "Could not delete drive layout: [0x0000045D] ...": a Win32 code, zero-padded
    return _CONTEXT_WORD.search(_context_before(message, start)) is not None


def _bare_hex_is_code(message: str, start: int, end: int) -> bool:
    token = message[start:end]
    value = int(token, 16)
    if not value & 0x80000000 or _ID_BEFORE.search(message[max(0, start - 24) : start]):
        return False
    if not decodes(value):
        return False
    if not message[:start].strip() and message[end : end + 1] == ":":
        return True  # "80072F78: The server response could not be parsed.": a code and its text
    return _CONTEXT_WORD.search(_context_before(message, start)) is not None


def _unsigned_is_code(message: str, start: int, end: int) -> bool:
    value = int(message[start:end])
    if not 0x80000000 <= value <= 0xFFFFFFFF:
        return False
    if _ID_BEFORE.search(message[max(0, start - 24) : start]) or _followed_by_non_code(message, end):
        return False
    if _restates_hex(message, start, value):
        return False
    return decodes(value) or _CONTEXT_WORD.search(_context_before(message, start)) is not None
