"""Error codes: what a number written in an SMS or Configuration Manager log
means (`table`: the packaged table, parsing a spelling, explaining it) and
which numbers in a log message are codes at all (`find`)."""

from smslogdoc.codes.explain import Explanation, explain, parse_code
from smslogdoc.codes.find import FoundCode, find_codes
from smslogdoc.codes.table import KINDS, CodeInfo, all_codes, lookup, lookup_all
from smslogdoc.memo import Memo

_explained: Memo[str, tuple[str, ...]] = Memo(4096)


def explained(message: str) -> tuple[str, ...]:
    """One line on each code a log message holds (`find_codes`), remembered
    per message: evidence and error summaries ask for the same messages
    machine after machine."""
    return _explained.get(
        message, lambda text: tuple(found.explanation.one_line() for found in find_codes(text))
    )


__all__ = [
    "KINDS",
    "CodeInfo",
    "Explanation",
    "FoundCode",
    "all_codes",
    "explain",
    "explained",
    "find_codes",
    "lookup",
    "lookup_all",
    "parse_code",
]
