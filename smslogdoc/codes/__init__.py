"""Error codes: what a number written in an SMS or Configuration Manager log
means (`table`: the packaged table, parsing a spelling, explaining it) and
which numbers in a log message are codes at all (`find`)."""

from smslogdoc.codes.explain import Explanation, explain, parse_code
from smslogdoc.codes.find import FoundCode, find_codes
from smslogdoc.codes.table import KINDS, CodeInfo, all_codes, lookup, lookup_all

__all__ = [
    "KINDS",
    "CodeInfo",
    "Explanation",
    "FoundCode",
    "all_codes",
    "explain",
    "find_codes",
    "lookup",
    "lookup_all",
    "parse_code",
]
