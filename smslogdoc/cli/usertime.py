"""Times a user types for `--since` and `--until`."""

from __future__ import annotations

import warnings
from datetime import datetime, tzinfo


def parse_user_time(text: str, zone: tzinfo | None = None) -> datetime:
    """A time typed on the command line (`2021-07-14 08:00`, `14 Jul 2021 8am`,
    `2021-07-14T12:00Z`). Naive unless the text (or `zone`) gives an offset."""
    from dateutil import parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", parser.UnknownTimezoneWarning)
            value = parser.parse(text)
    except parser.UnknownTimezoneWarning:
        raise ValueError(f"cannot read the time {text!r}: unknown zone name (give an offset such as +01:00, or use --tz)") from None
    except (ValueError, OverflowError) as error:
        raise ValueError(f"cannot read the time {text!r}: {error}") from None
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    return value
