"""Times a user types for `--since` and `--until`.

Accepted: how long before now (`30m`, `2h`, `3d`, `1w`, `-2h`, `90 minutes`,
`2 hours ago`), ISO 8601 (`2021-07-14`, `2021-07-14T08:00`, `2021-07-14T12:00Z`,
`2021-07-14 08:00+02:00`) and the forms admins write and logs print
(`14 Jul 2021 8am`, `07/14/2021 08:00`, `14.07.2021 08:00`, `08:00` for today).
Anything else is refused, naming an example, rather than read as something
the user did not mean (`1h` is never "today at 01:00").
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, tzinfo

EXAMPLES = "2h, 30m, 3d, '2 hours ago', 2021-07-14, '2021-07-14 08:00' or 2021-07-14T08:00+02:00"
"""What the refusal suggests."""

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "w": 604800,
    "week": 604800,
}
_RELATIVE = re.compile(r"^-?\s*(?P<count>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+?)s?(?:\s+ago)?$", re.IGNORECASE)
_CLOCK = re.compile(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b", re.IGNORECASE)
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def relative(text: str) -> timedelta | None:
    """How long before now `text` says (`2h`, `-30m`, `3 days ago`), or None when it is not such a form."""
    match = _RELATIVE.match(text.strip())
    if match is None:
        return None
    unit = match["unit"].lower()
    seconds = _UNITS.get(unit) or _UNITS.get(unit.rstrip("s"))
    if seconds is None:
        return None
    return timedelta(seconds=float(match["count"]) * seconds)


def parse_user_time(text: str, zone: tzinfo | None = None, *, now: datetime | None = None) -> datetime:
    """A time typed on the command line. Relative forms count back from
    `now` (this computer's clock, with its offset); others are naive unless
    the text (or `zone`) gives an offset. Raises ValueError naming an example."""
    ago = relative(text)
    if ago is not None:
        current = now or datetime.now(UTC).astimezone()
        return (
            current.astimezone(zone) if zone is not None and current.tzinfo is not None else current
        ) - ago
    value = _absolute(text)
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    return value


def _absolute(text: str) -> datetime:
    from dateutil import parser

    spelled = text.strip()
    if not spelled or not any(ch.isdigit() for ch in spelled):
        raise ValueError(f"cannot read the time {text!r}; write e.g. {EXAMPLES}")
    iso = spelled.replace("Z", "+00:00") if spelled.endswith("Z") else spelled
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", parser.UnknownTimezoneWarning)
            first, second = (parser.parse(spelled, default=default) for default in _DEFAULTS)
    except parser.UnknownTimezoneWarning:
        raise ValueError(
            f"cannot read the time {text!r}: unknown zone name (give an offset such as +01:00, or use --tz)"
        ) from None
    except (ValueError, OverflowError):
        raise ValueError(f"cannot read the time {text!r}; write e.g. {EXAMPLES}") from None
    has_date = first.day == second.day and first.month == second.month
    if not has_date and not _CLOCK.search(spelled):
        raise ValueError(f"cannot read the time {text!r} (no date and no hh:mm); write e.g. {EXAMPLES}")
    if not has_date:  # a clock time alone: today
        today = datetime.now(first.tzinfo).date() if first.tzinfo else datetime.now().date()
        return first.replace(year=today.year, month=today.month, day=today.day)
    if first.year != second.year:  # a day and month without a year: this year
        return first.replace(year=datetime.now().year)
    return first
