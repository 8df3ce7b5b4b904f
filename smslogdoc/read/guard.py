"""The one guard every read goes through, full or scanned: it gives local
times the zone `--tz` names, counts the records on the file's report, and
turns a failure inside parsing into one problem line ("rest of the file not
read") instead of an exception, so one bad file never stops the others."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import TypeVar

from smslogdoc.formats.context import ParseContext
from smslogdoc.model import Event

T = TypeVar("T")


def guarded(items: Iterable[T], ctx: ParseContext, zone: tzinfo | None, *, count: bool) -> Iterator[T]:
    """`items` (events, and whatever else a reader passes along), each event with
    `zone` given to a time written without one, and counted on the report when
    `count`. A read error or a parser bug ends the file with a problem line."""
    report = ctx.report
    try:
        if zone is None and not count:
            yield from items  # nothing to do per record (a scan counts its own)
            return
        for item in items:
            if isinstance(item, Event):
                if zone is not None and item.time is not None and item.time.tzinfo is None:
                    item.time = item.time.replace(tzinfo=zone)
                if count:
                    report.events += 1
            yield item
    except OSError as error:
        ctx.problem(f"read error, rest of the file not read: {error.strerror or error}")
    except Exception as error:  # a parser bug must not stop the other files
        ctx.problem(
            f"internal error while parsing ({type(error).__name__}: {error}); rest of the file not read"
        )
