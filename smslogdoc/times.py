"""Timestamps as SMS and ConfigMgr logs write them, turned into `datetime`.

Three rules govern every function here:

* CMTrace writes a Windows *bias*: UTC = local time + bias minutes. `+240`
  on a July date is US Eastern daylight time (UTC-4); `-60` is UTC+1. The
  same convention holds in the numeric SMS trace stamps of ConfigMgr site
  servers (`<06-07-2015 13:11:09.448-600>`). PowerShell writers (PSADT and
  friends) write the opposite, ISO sign; callers say so with `iso_sign`.
* Where a log carries no zone (SMS 2.0 client stamps, rows copied out of a
  viewer, MDT's constant `+000`) the result is a *naive* datetime: local
  wall-clock time, never silently given an offset.
* A value that cannot be read gives None; callers keep the record.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib.resources import files
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smslogdoc.memo import Memo

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def instant(when: datetime) -> float:
    """Seconds since 1970 for ordering and windows: the instant when the time
    has an offset, the wall-clock time read as UTC when it has none."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - _EPOCH).total_seconds()


MAX_OFFSET_MINUTES = 24 * 60 - 1
"""A zone offset or bias beyond a day is no zone (`+9999`): the time is then local."""


@lru_cache(maxsize=512)
def bias_zone(bias_minutes: int) -> timezone | None:
    """The fixed zone for a Windows bias (UTC = local + bias); None for a bias out of range."""
    if abs(bias_minutes) > MAX_OFFSET_MINUTES:
        return None
    return timezone(timedelta(minutes=-bias_minutes)) if bias_minutes else UTC


@lru_cache(maxsize=512)
def offset_zone(east_minutes: int) -> timezone | None:
    """The fixed zone for an ISO-style offset (minutes east of UTC); None out of range."""
    if abs(east_minutes) > MAX_OFFSET_MINUTES:
        return None
    return timezone(timedelta(minutes=east_minutes)) if east_minutes else UTC


def bias_out_of_range(clock: str) -> bool:
    """Whether a CMTrace `time` attribute carries a bias beyond a day (`+9999`)."""
    cut = max(clock.rfind("+"), clock.rfind("-"))
    digits = clock[cut + 1 :].strip()
    return cut >= 0 and digits.isdigit() and digits.isascii() and int(digits) > MAX_OFFSET_MINUTES


# --- CMTrace ---------------------------------------------------------------

_CLOCK = re.compile(
    r"""\s*(\d{1,2}):(\d{1,2}):(\d{1,2})     # hours, minutes, seconds
        (?:[.,](\d+))?                       # fraction: 3 digits natively, 7 from .NET
        \s*(?:([+-]+|(?=\s))\s*(\d{1,4}))?   # bias: +240, -60, +-420, or ' 600' with no sign
        \s*$""",
    re.VERBOSE,
)
_DATE_MDY = re.compile(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_dates: Memo[str, tuple[int, int, int] | None] = Memo(4096)


def _mdy(date: str) -> tuple[int, int, int] | None:
    """`MM-DD-YYYY` (month first, padded or not) -> (year, month, day), remembered."""
    return _dates.get(date, _read_mdy)


def _read_mdy(date: str) -> tuple[int, int, int] | None:
    found = _DATE_MDY.match(date)
    return (int(found[3]), int(found[1]), int(found[2])) if found else None


_natives: Memo[tuple[str, str, bool], tuple[int, int, int, tzinfo | None] | None] = Memo(4096)


def cmtrace_time(clock: str, date: str, *, iso_sign: bool = False) -> datetime | None:
    """Read a CMTrace `time` and `date` attribute pair.

    `iso_sign` marks PowerShell writers whose number is an ISO offset (east
    positive); PSADT v3 glues an unsigned offset to the milliseconds
    (`.96460` = .964 at UTC+1), which is split off when `iso_sign` is set.
    """
    # Fast path for the native shape 15:10:29.068+240: the date and bias of a
    # log repeat, so their parse is cached; only the clock is read each time.
    if len(clock) > 12 and clock[2] == ":" and clock[5] == ":" and clock[8] == "." and clock[12] in "+-":
        base = _natives.get((date, clock[12:], iso_sign), native_base)
        if base is not None:
            try:
                return datetime(
                    base[0],
                    base[1],
                    base[2],
                    int(clock[0:2]),
                    int(clock[3:5]),
                    int(clock[6:8]),
                    int(clock[9:12]) * 1000,
                    base[3],
                )
            except ValueError:
                pass  # not digits, or out of range: read slowly below
    ymd = _mdy(date)
    if ymd is None:
        return None
    return _cmtrace_time_slow(clock, ymd, iso_sign)


def native_base(key: tuple[str, str, bool]) -> tuple[int, int, int, tzinfo | None] | None:
    """(year, month, day, zone) of a CMTrace date and bias (and sign convention)."""
    date, bias_text, iso_sign = key
    ymd = _mdy(date)
    if ymd is None:
        return None
    try:
        bias = int(bias_text)
    except ValueError:
        return None
    if bias_text == "+000":  # MDT and OneTrace always write +000, whatever the zone
        return (*ymd, None)
    return (*ymd, offset_zone(bias) if iso_sign else bias_zone(bias))


def _cmtrace_time_slow(clock: str, ymd: tuple[int, int, int], iso_sign: bool) -> datetime | None:
    found = _CLOCK.match(clock)
    if not found:
        return None
    hour, minute, second = int(found[1]), int(found[2]), int(found[3])
    fraction, sign, number = found[4] or "", found[5], found[6]
    zone: tzinfo | None = None
    if iso_sign and not sign and len(fraction) > 3 and number is None:
        fraction, glued = fraction[:3], fraction[3:]  # PSADT v3: offset glued to milliseconds
        zone = offset_zone(int(glued))
    elif number is not None:
        minutes = int(number) * (-1 if sign and sign[-1] == "-" else 1)
        if not (number == "000" and sign == "+"):
            zone = offset_zone(minutes) if iso_sign else bias_zone(minutes)
    micro = int((fraction + "000000")[:6]) if fraction else 0
    try:
        return datetime(*ymd, hour, minute, second, micro, zone)
    except ValueError:
        return None


# --- SMS trace stamps --------------------------------------------------------

_SMS_NAMED = re.compile(
    r"""\s*(?:[A-Za-z]{3}\s+)?              # weekday
        ([A-Za-z]{3})\s+(\d{1,2})\s+        # month, day (day may be unpadded)
        (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\s+
        (\d{4})                             # year
        \s*([^~]*?)\s*~?\s*$                # optional zone name; SMS 1.x ends with ~
    """,
    re.VERBOSE,
)
_SMS_NUMERIC = re.compile(
    r"""\s*(\d{1,2})-(\d{1,2})-(\d{4})\s+
        (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?
        \s*(?:([+-]+)\s*(\d{1,4}))?\s*~?\s*$
    """,
    re.VERBOSE,
)


_sms_days: Memo[str, tuple[int, ...]] = Memo(4096)


def _sms_day(key: str) -> tuple[int, ...]:
    """(year, month, day) of `May 16` + `2000` (a stamp's date, year last); () if unreadable."""
    month = _MONTHS.get(key[:3].lower())
    return (
        (int(key[6:]), month, int(key[4:6]))
        if month and key[4:6].strip().isdigit() and key[6:].isdigit()
        else ()
    )


def _sms_usual(stamp: str) -> datetime | None:
    """The shape every SMS 2.0 writer uses, `Tue May 16 13:17:10.804 2000`, read
    fast: the date repeats from record to record, so its reading is cached.
    None when the stamp is not in that shape (or not valid in it)."""
    second = sms_usual_second(stamp)
    try:
        return None if second is None else datetime(*second, int(stamp[20:23]) * 1000)
    except ValueError:
        return None  # not digits: read slowly


def sms_usual_second(stamp: str) -> tuple[int, int, int, int, int, int] | None:
    """Year to second of a stamp in `_sms_usual`'s shape (every character but the
    milliseconds': a reader may remember it per second); None if unreadable."""
    if len(stamp) != 28 or stamp[3] + stamp[10] + stamp[13] + stamp[19] + stamp[23] != "  :. ":
        return None
    day = _sms_days.get(stamp[4:10] + stamp[24:], _sms_day)
    try:
        second = (day[0], day[1], day[2], int(stamp[11:13]), int(stamp[14:16]), int(stamp[17:19]))
        datetime(*second)  # out of range: ValueError
    except (ValueError, IndexError):  # IndexError: no date (`_sms_day`'s ())
        return None
    return second


def sms_time(stamp: str) -> datetime | None:
    """Read the stamp inside `$$<component><stamp><thread=...>`.

    `Tue May 16 13:17:10.804 2000` is local (naive); a trailing zone name
    (`Eastern Standard Time`) is resolved through the Windows zone table so
    the zone's real rules (including daylight time) give the offset; the
    numeric server form `06-07-2015 13:11:09.448-600` carries a bias.
    """
    fast = _sms_usual(stamp)
    if fast is not None:
        return fast
    found = _SMS_NAMED.match(stamp)
    if found:
        month = _MONTHS.get(found[1].lower())
        if month is None:
            return None
        micro = int((found[6] + "000000")[:6]) if found[6] else 0
        zone = windows_zone(found[8]) if found[8] else None
        try:
            return datetime(
                int(found[7]), month, int(found[2]), int(found[3]), int(found[4]), int(found[5]), micro, zone
            )
        except ValueError:
            return None
    found = _SMS_NUMERIC.match(stamp)
    if found:
        micro = int((found[7] + "000000")[:6]) if found[7] else 0
        numeric_zone: tzinfo | None = None
        if found[9] is not None:
            numeric_zone = bias_zone(int(found[9]) * (-1 if found[8][-1] == "-" else 1))
        try:
            return datetime(
                int(found[3]),
                int(found[1]),
                int(found[2]),
                int(found[4]),
                int(found[5]),
                int(found[6] or 0),
                micro,
                numeric_zone,
            )
        except ValueError:
            return None
    return None


@lru_cache(maxsize=1)
def _windows_zones() -> dict[str, str]:
    table: dict[str, str] = {}
    text = files("smslogdoc.data").joinpath("windows_zones.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            stem, iana = row.split("\t")
            table[stem.lower()] = iana
    return table


_ZONE_SUFFIX = re.compile(r"\s+(?:standard|daylight|summer)\s+time\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def windows_zone(name: str) -> tzinfo | None:
    """The zone for a Windows zone name (`Eastern Standard Time`, `GMT Daylight
    Time`, `W. Europe Standard Time`), or None for a name we do not know."""
    stem = " ".join(_ZONE_SUFFIX.sub("", name).split()).lower()
    iana = _windows_zones().get(stem)
    if iana is None:
        return None
    try:
        return ZoneInfo(iana)
    except ZoneInfoNotFoundError:
        return None


# --- Rows copied out of a log viewer ----------------------------------------

_COPIED = re.compile(
    r"""\s*(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})    # date: M/D/YY, D/M/YYYY, DD.MM.YYYY or YYYY-MM-DD
        [\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,7}))?
        \s*([AaPp]\.?[Mm]\.?)?\s*$
    """,
    re.VERBOSE,
)


def copied_time(text: str, *, day_first: bool | None = None) -> datetime | None:
    """Read the Date/Time column of a copied row (local time, naive).

    Dotted dates are day-first (German), slashed dates with AM/PM are
    month-first (US) unless the file shows they are day-first (`29/04/2021
    1:56:09 PM`: a UK locale with a 12-hour clock); for other slashed dates
    `day_first` decides (the reader infers it from values above 12 in the
    file), defaulting to day-first because a 24-hour clock is the non-US form.
    """
    found = _COPIED.match(text)
    if not found:
        return _dateutil_time(text, day_first)
    first, sep, second, third = found[1], found[2], int(found[3]), found[4]
    meridiem = (found[9] or "").replace(".", "").lower()
    if len(first) == 4:
        year, month, day = int(first), second, int(third)
    else:
        if sep == "." or day_first is True or (not meridiem and day_first is not False):
            day, month = int(first), second
        else:
            month, day = int(first), second
        year = int(third)
        if len(third) == 2:
            year += 1900 if year >= 69 else 2000
    hour = int(found[5])
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    micro = int((found[8] + "000000")[:6]) if found[8] else 0
    minute, second_of_minute = int(found[6]), int(found[7] or 0)
    try:
        return datetime(year, month, day, hour, minute, second_of_minute, micro)
    except ValueError:
        if len(first) == 4 or day_first is not None:
            return None
    try:  # the guessed order was wrong (25/07 read month-first): the other one is the only reading
        return datetime(year, day, month, hour, minute, second_of_minute, micro)
    except ValueError:
        return None


def _dateutil_time(text: str, day_first: bool | None) -> datetime | None:
    from dateutil import parser  # imported lazily: only odd copied rows need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", parser.UnknownTimezoneWarning)  # a word in a row is not a zone
            value = parser.parse(text, dayfirst=bool(day_first))
    except (ValueError, OverflowError):
        return None
    return value.replace(tzinfo=None) if value.tzinfo is None else value


# --- Times typed by the user --------------------------------------------------

_FIXED_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)


def parse_zone(text: str) -> tzinfo:
    """A zone named on the command line: IANA (`Europe/Berlin`), Windows
    (`W. Europe Standard Time`), `UTC`, or a fixed offset (`+02:00`, `-0500`)."""
    name = text.strip()
    if name.upper() in {"UTC", "GMT", "Z"}:
        return UTC
    fixed = _FIXED_OFFSET.match(name)
    if fixed:
        hours, extra = int(fixed[2]), int(fixed[3] or 0)
        if hours > 23 or extra > 59:
            raise ValueError(
                f"offset {text!r} is out of range: UTC offsets run from -23:59 to +23:59 (e.g. +01:00, -05:00)"
            )
        minutes = hours * 60 + extra
        fixed_zone = offset_zone(-minutes if fixed[1] == "-" else minutes)
        assert fixed_zone is not None  # in range, as checked
        return fixed_zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    zone = windows_zone(name)
    if zone is None:
        raise ValueError(
            f"unknown time zone {text!r}; use a name like Europe/Berlin or an offset like +01:00"
        )
    return zone
