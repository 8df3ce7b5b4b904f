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
            if value >= 10:
                forms.append(f"0x{value:X}")
            if self.hresult is not None:
                forms.append(f"0x{self.hresult:08X}")
        inside = ", ".join(forms)
        if details:
            inside = f"{inside}; {', '.join(details)}" if inside else ", ".join(details)
        text = _sentence(info.message)
        return f"{head} ({inside}): {text}" if inside else f"{head}: {text}"


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
    table = load_table()
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


def _wide_reading(spelling: str, value: int, table: Table) -> Explanation:
    prefix = value >> 16
    facility_number = prefix & 0x7FF  # an HRESULT's facility is 11 bits (16-26)
    low = value & 0xFFFF
    is_hresult = bool(value & 0x80000000)
    info = table.wide.get(value)
    win32: int | None = None
    if prefix == WIN32_HRESULT_PREFIX:
        win32 = low
        if info is None:
            info = _win32_row(table, low) or table.by_key.get(("winhttp", low))
    elif prefix == HTTP_HRESULT_PREFIX and info is None:
        info = table.by_key.get(("http", low))
    if info is not None and info.kind == "ntstatus":
        return Explanation(spelling, value, None, None, info, "")
    if not is_hresult:
        return Explanation(spelling, value, None, None, info, "")
    facility = FACILITIES.get(facility_number, f"0x{facility_number:X}")
    return Explanation(spelling, value, value, win32, info, facility)


def _win32_row(table: Table, code: int) -> CodeInfo | None:
    for kind in WIN32_KINDS:
        row = table.by_key.get((kind, code))
        if row is not None:
            return row
    return None


def _win32_hresult(code: int) -> int | None:
    return (WIN32_HRESULT_PREFIX << 16) | code if 0 < code <= 0xFFFF else None


def _signed(value: int) -> int:
    return value - 0x100000000 if value & 0x80000000 else value


def _sentence(message: str) -> str:
    return message if message.endswith((".", "!", "?")) else message + "."


def plausible_hresult(value: int) -> bool:
    """A 0x8xxxxxxx value worth reporting even without a word like "error" before it."""
    prefix = value >> 16
    return decodes(value) or (prefix & 0x7FF) in FACILITIES or prefix in CONFIGMGR_PREFIXES


def decodes(value: int) -> bool:
    """Whether the table has a text for this 32-bit value (directly or by decomposition)."""
    return _wide_reading("", value, load_table()).info is not None
