"""Reading and explaining one code: `parse_code` reads any spelling the logs use
(`0x80070005`, `80070005`, `-2147024891`, `2147942405`, `#2147942405`, `1317`,
`0x525`); `explain` lists every sensible reading, decomposing HRESULTs
(`0x8007xxxx` is Win32 `xxxx`, `0x8019xxxx` an HTTP status seen by BITS) and
giving a small Win32 number its HRESULT form. The numbers' meanings come from
`codes.table`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smslogdoc.codes.table import (
    CONFIGMGR_PREFIXES,
    FACILITIES,
    HTTP_HRESULT_PREFIX,
    HTTP_REASONS,
    KIND_LABEL,
    KINDS,
    WIN32_HRESULT_PREFIX,
    WIN32_KINDS,
    CodeInfo,
    Table,
    load_table,
)


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

    others: tuple[CodeInfo, ...] = ()
    """The value's other rows: what other sources say it means (or, kind `sms`, notes on its log context)."""

    @property
    def known(self) -> bool:
        """Whether the table has a text for this reading."""
        return self.info is not None

    def one_line(self, *, note_others: bool = True) -> str:
        """The reading on one line, e.g.
        `0x80070005 (-2147024891; Win32 5, ERROR_ACCESS_DENIED): Access is denied.`
        When other sources give the code another meaning, a note says how many
        (`note_others=False` leaves it out, for callers that list them)."""
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
        if wide and value >> 16 == HTTP_HRESULT_PREFIX and info.kind in ("bits", "http"):
            status = value & 0xFFFF
            reason = HTTP_REASONS.get(status, "")
            details.append("BITS")
            details.append(f"HTTP {status} {reason}".rstrip())
        else:
            label = KIND_LABEL.get(info.kind)
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
            if value >= 10 and info.kind not in _NO_HEX_FORM:  # a hex form of HTTP 404 or SQL 18456 is noise
                forms.append(f"0x{value:X}")
            if self.hresult is not None:
                forms.append(f"0x{self.hresult:08X}")
        inside = ", ".join(forms)
        if details:
            inside = f"{inside}; {', '.join(details)}" if inside else ", ".join(details)
        text = _sentence(info.message, info.kind) + (self._others_note(head) if note_others else "")
        return f"{head} ({inside}): {text}" if inside else f"{head}: {text}"

    def _others_note(self, head: str) -> str:
        if not self.others:
            return ""
        table = load_table()
        meanings = sum(1 for row in self.others if table.authority(row) != "notes")
        if not meanings:
            return f" [notes on its log context: smslogdoc explain {head}]"
        plural = "s" if meanings > 1 else ""
        return f" [{meanings} other meaning{plural}: smslogdoc explain {head}]"

    def source_lines(self) -> list[str]:
        """Where the text comes from, then every other meaning with its source (for `smslogdoc explain`)."""
        if self.info is None:
            return []
        table = load_table()
        lines = [f"  source: {table.source_title(self.info)}"]
        for row in self.others:
            label = KIND_LABEL.get(row.kind, row.kind)
            named = f"{label}, {row.symbol}" if row.symbol else label
            what = "note" if table.authority(row) == "notes" else "other meaning"
            lines.append(f"  {what} ({named}): {render_message(row.message, row.kind)}")
            lines.append(f"    source: {table.source_title(row)}")
        return lines


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


def explain(text: str, *, kind_hint: str | None = None, every: bool = False) -> list[Explanation]:
    """Every sensible reading of the code `text`, best first.

    `0x8007xxxx` reads as Win32 `xxxx`; a small number that is a Win32 code also
    carries its `0x8007xxxx` form; a number that is both a Win32 code and a ccmsetup
    return code (`7`) gives both, with `kind_hint='ccmsetup'` putting ccmsetup first.
    HTTP statuses (`404`) and SQL Server errors (`18456`) are offered only with
    `kind_hint='http'` or `'sql'`, or with `every=True` (then after the others).
    Unknown codes give one reading whose `info` is None. Raises ValueError when
    `text` is not a code.
    """
    if kind_hint is not None and kind_hint not in KINDS:
        raise ValueError(f"unknown kind_hint {kind_hint!r}; expected one of {', '.join(KINDS)}")
    value = parse_code(text)
    if value is None:
        raise ValueError(
            f"not an error code: {text.strip()!r} "
            "(expected e.g. 0x80070005, 80070005, -2147024891, 2147942405 or 1317)"
        )
    return readings(text.strip().rstrip(",.;:"), value, kind_hint, every=every)


_HINTED_ONLY = ("http", "sql")
"""Small-number kinds read only when asked for: a bare 404 or 547 is rarely one of them."""

_NO_HEX_FORM = (*_HINTED_ONLY, "msimessage")
"""Kinds whose numbers are never written in hex (an HTTP status, a SQL or Windows Installer message number)."""


def readings(spelling: str, value: int, kind_hint: str | None, *, every: bool = False) -> list[Explanation]:
    """Every sensible reading of `value` (written `spelling`), the likeliest first."""
    table = load_table()
    if value > 0xFFFF:
        return [_wide_reading(spelling, value, table)]
    readings: list[Explanation] = []
    win32 = _win32_rows(table, value)
    if win32:
        readings.append(_small(spelling, value, win32, _win32_hresult(value), value))
    winhttp = table.by_key.get(("winhttp", value))
    if winhttp:
        readings.append(_small(spelling, value, winhttp, _win32_hresult(value), value))
    message = table.by_key.get(("msimessage", value))
    if message:  # "Error 1920." in an MSI log: the number of a Windows Installer message, not a Win32 code
        readings.append(_small(spelling, value, message, None, None))
    for kind in ("sms", "ccmsetup", *_HINTED_ONLY):
        rows = table.by_key.get((kind, value))
        if rows and (kind not in _HINTED_ONLY or every or kind_hint == kind):
            readings.append(_small(spelling, value, rows, None, None))
    if not readings:
        readings.append(Explanation(spelling, value, None, None, None, ""))
    if kind_hint is not None:
        readings.sort(key=lambda r: 0 if r.info is not None and r.info.kind == kind_hint else 1)
    return readings


def _small(
    spelling: str, value: int, rows: tuple[CodeInfo, ...], hresult: int | None, win32: int | None
) -> Explanation:
    return Explanation(spelling, value, hresult, win32, rows[0], "", rows[1:])


def _wide_reading(spelling: str, value: int, table: Table) -> Explanation:
    prefix = value >> 16
    facility_number = prefix & 0x7FF  # an HRESULT's facility is 11 bits (16-26)
    low = value & 0xFFFF
    is_hresult = bool(value & 0x80000000)
    rows = table.wide.get(value, ())
    win32: int | None = None
    if prefix == WIN32_HRESULT_PREFIX:
        win32 = low
        if not rows:
            rows = _win32_rows(table, low) or table.by_key.get(("winhttp", low), ())
    elif prefix == HTTP_HRESULT_PREFIX and not rows:
        rows = table.by_key.get(("http", low), ())
    info = rows[0] if rows else None
    others = rows[1:]
    if (info is not None and info.kind == "ntstatus") or not is_hresult:
        return Explanation(spelling, value, None, None, info, "", others)
    facility = FACILITIES.get(facility_number, f"0x{facility_number:X}")
    return Explanation(spelling, value, value, win32, info, facility, others)


def _win32_rows(table: Table, code: int) -> tuple[CodeInfo, ...]:
    for kind in WIN32_KINDS:
        rows = table.by_key.get((kind, code))
        if rows:
            return rows
    return ()


def _win32_hresult(code: int) -> int | None:
    return (WIN32_HRESULT_PREFIX << 16) | code if 0 < code <= 0xFFFF else None


def _signed(value: int) -> int:
    return value - 0x100000000 if value & 0x80000000 else value


# printf and FormatMessage insertion points in Microsoft's texts (NTSTATUS `0x%08lx`, `%hs`; Win32 `%1`;
# SQL Server `%.*ls`, `%#016I64x`, `%S_MSG`).
_HEX_INSERT = re.compile(r"0x%0?[0-9]*(?:l|ll|I64)?[xXp]|0x%[1-9]")
_INSERT = re.compile(
    r"%(?:[1-9](?:![^!]*!)?|S_[A-Z]+|[-#0 +]*(?:[0-9]+|\*)?(?:\.(?:[0-9]+|\*))?(?:hh|h|ll|l|w|I64|I32)?[sSdiuxXcpZo])"
)


# Windows Installer's formatted text: `[2]` is an insertion point, `{...}` an optional part and `{{...}}` text only
# the log shows (Microsoft, "Formatted" and "Error table" in the Windows Installer docs).
_MSI_INSERT = re.compile(r"\[[0-9]+\]")
_MSI_BRACES = re.compile(r"\{\{|\}\}|[{}]")


def render_message(message: str, kind: str = "") -> str:
    """Microsoft's text with its insertion points shown as an ellipsis: `at 0x%08lx` reads `at 0x…`; a Windows
    Installer message (`kind` msimessage) `Service '[2]' ([3])` reads `Service '…' (…)`."""
    if kind == "msimessage":
        message = re.sub(r"\s{2,}", " ", _MSI_BRACES.sub("", _MSI_INSERT.sub("…", message))).strip()
    return re.sub("…+", "…", _INSERT.sub("…", _HEX_INSERT.sub("0x…", message)))


def _sentence(message: str, kind: str = "") -> str:
    message = render_message(message, kind)
    return message if message.endswith((".", "!", "?", "…")) else message + "."


def plausible_hresult(value: int) -> bool:
    """A 0x8xxxxxxx value worth reporting even without a word like "error" before it."""
    prefix = value >> 16
    return decodes(value) or (prefix & 0x7FF) in FACILITIES or prefix in CONFIGMGR_PREFIXES


def decodes(value: int) -> bool:
    """Whether the table has a text for this 32-bit value (directly or by decomposition)."""
    return _wide_reading("", value, load_table()).info is not None
