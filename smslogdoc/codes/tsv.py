"""Reading the packaged code table `smslogdoc/data/errorcodes.tsv`: its rows,
the legend of its sources, and the checks that keep it well formed.

A row is `kind, code, symbol, message` and an optional fifth field `source`:
a key of the legend (`#@source` lines in the header) or a URL. A row without a
source takes the default source of its kind, which the legend names. One
(kind, code) may have several rows when their sources differ (two sources
that disagree on a code's meaning); the best-ranked one is its primary meaning:
Microsoft's first, then community tables, then this project's own notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AUTHORITIES", "HEX_KINDS", "KINDS", "CodeInfo", "Source", "Table", "parse_table"]

TABLE_FILE = "errorcodes.tsv"

KINDS: tuple[str, ...] = (
    "win32",
    "msi",
    "msimessage",
    "hresult",
    "wmi",
    "bits",
    "http",
    "winhttp",
    "wua",
    "configmgr",
    "ccmsetup",
    "ntstatus",
    "sms",
    "intune",
    "do",
    "setup",
    "cbs",
    "sql",
)
"""Every `CodeInfo.kind`. `ntstatus` holds the few NTSTATUS values met as process exit codes; `msimessage`
the numbers of Windows Installer's error messages ("Error 1920." in an MSI log), which are not Win32 codes."""

HEX_KINDS = frozenset(
    {"hresult", "wmi", "bits", "wua", "configmgr", "ntstatus", "intune", "do", "setup", "cbs"}
)
"""Kinds whose table codes are 32-bit values written `0x%08X` (`sms` may be either)."""

AUTHORITIES: tuple[str, ...] = ("microsoft", "community", "notes")
"""Who published a source, best first: the order in which a code's meanings are shown."""

_HEADER = ("kind\tcode\tsymbol\tmessage", "kind\tcode\tsymbol\tmessage\tsource")
_HEX_CODE = re.compile(r"0x[0-9A-F]{8}")
_DECIMAL_CODE = re.compile(r"0|[1-9][0-9]{0,4}")
_URL = re.compile(r"https?://\S+")
_MICROSOFT_URL = re.compile(
    r"https://(?:learn|docs|support)\.microsoft\.com/|https://github\.com/MicrosoftDocs/", re.IGNORECASE
)


@dataclass(frozen=True)
class CodeInfo:
    """One row of the code table."""

    kind: str
    """One of `KINDS`."""

    code: int
    """The value as the table stores it (unsigned 32-bit for HRESULT-style kinds)."""

    symbol: str
    """The header name, e.g. `ERROR_ACCESS_DENIED`; empty when there is none."""

    message: str
    """The source's text (for kind `sms`, a description of the log context)."""

    source: str = ""
    """The legend key or URL of the row's source (its kind's default when the row names none)."""


@dataclass(frozen=True)
class Source:
    """One entry of the table's source legend."""

    key: str
    authority: str
    """One of `AUTHORITIES`."""
    defaults: tuple[str, ...]
    """The kinds whose rows without a source column come from this source."""
    title: str
    """What the source is and where to read it."""


@dataclass(frozen=True)
class Table:
    rows: tuple[CodeInfo, ...]
    by_key: dict[tuple[str, int], tuple[CodeInfo, ...]]
    """Every row of a (kind, code), the primary meaning first."""
    wide: dict[int, tuple[CodeInfo, ...]]
    """Every row of a code above 0xFFFF, whatever its kind, the primary meaning first."""
    sources: dict[str, Source]

    def authority(self, info: CodeInfo) -> str:
        """`microsoft`, `community` or `notes`: who published the row's text."""
        return source_authority(self.sources, info.source)

    def source_title(self, info: CodeInfo) -> str:
        """The legend's description of the row's source, or the URL itself."""
        known = self.sources.get(info.source)
        return known.title if known is not None else info.source


def source_authority(sources: dict[str, Source], source: str) -> str:
    known = sources.get(source)
    if known is not None:
        return known.authority
    return "microsoft" if _MICROSOFT_URL.match(source) else "community"


def _legend(line: str, number: int, sources: dict[str, Source]) -> None:
    """Read one `#@source KEY<TAB>AUTHORITY<TAB>DEFAULT-KINDS<TAB>TITLE` line."""
    fields = line[len("#@source ") :].split("\t")
    if len(fields) != 4:
        raise ValueError(f"{TABLE_FILE} line {number}: a #@source line has 4 tab-separated fields")
    key, authority, defaults, title = fields
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key) or key in sources:
        raise ValueError(f"{TABLE_FILE} line {number}: malformed or repeated source key {key!r}")
    if authority not in AUTHORITIES:
        raise ValueError(f"{TABLE_FILE} line {number}: authority must be one of {', '.join(AUTHORITIES)}")
    kinds = tuple(defaults.split(",")) if defaults != "-" else ()
    if any(kind not in KINDS for kind in kinds) or not title.strip():
        raise ValueError(f"{TABLE_FILE} line {number}: unknown default kind or empty title")
    sources[key] = Source(key, authority, kinds, title.strip())


def _code(kind: str, spelled: str, number: int) -> int:
    if _HEX_CODE.fullmatch(spelled):
        code = int(spelled, 16)
        if kind not in HEX_KINDS and not (kind == "sms" and code > 0xFFFF):
            raise ValueError(f"{TABLE_FILE} line {number}: kind {kind} takes decimal codes")
        return code
    if _DECIMAL_CODE.fullmatch(spelled):
        if kind in HEX_KINDS:
            raise ValueError(f"{TABLE_FILE} line {number}: kind {kind} takes 0x%08X codes")
        return int(spelled)
    raise ValueError(f"{TABLE_FILE} line {number}: malformed code {spelled!r}")


def _row(fields: list[str], number: int, defaults: dict[str, str], sources: dict[str, Source]) -> CodeInfo:
    kind, spelled, symbol, message = fields[:4]
    if kind not in KINDS:
        raise ValueError(f"{TABLE_FILE} line {number}: unknown kind {kind!r}")
    code = _code(kind, spelled, number)
    if not message.strip() or message != message.strip():
        raise ValueError(f"{TABLE_FILE} line {number}: empty or padded message")
    if " " in symbol:
        raise ValueError(f"{TABLE_FILE} line {number}: malformed symbol {symbol!r}")
    source = fields[4] if len(fields) == 5 else defaults.get(kind, "")
    if source not in sources and not _URL.fullmatch(source):
        raise ValueError(f"{TABLE_FILE} line {number}: source {source!r} is neither in the legend nor a URL")
    return CodeInfo(kind, code, symbol, message, source)


def parse_table(text: str) -> Table:
    """Parse the TSV text; raises ValueError naming the line for any malformed row."""
    sources: dict[str, Source] = {}
    data: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            if line.startswith("#@source "):
                _legend(line, number, sources)
        elif line and line not in _HEADER and line.strip():
            data.append((number, line.split("\t")))
    defaults = {kind: source.key for source in sources.values() for kind in source.defaults}
    rows: list[CodeInfo] = []
    seen: set[tuple[str, int, str]] = set()
    for number, fields in data:
        if len(fields) not in (4, 5):
            raise ValueError(
                f"{TABLE_FILE} line {number}: expected 4 or 5 tab-separated fields, got {len(fields)}"
            )
        info = _row(fields, number, defaults, sources)
        key = (info.kind, info.code, info.source)
        if key in seen:
            raise ValueError(
                f"{TABLE_FILE} line {number}: duplicate {info.kind} {fields[1]} from {info.source}"
            )
        seen.add(key)
        rows.append(info)
    return _index(tuple(rows), sources)


def _index(rows: tuple[CodeInfo, ...], sources: dict[str, Source]) -> Table:
    rank = {authority: n for n, authority in enumerate(AUTHORITIES)}
    order = {id(info): n for n, info in enumerate(rows)}

    def best_first(info: CodeInfo) -> tuple[int, int, int]:
        return (info.kind == "sms", rank[source_authority(sources, info.source)], order[id(info)])

    by_key: dict[tuple[str, int], list[CodeInfo]] = {}
    wide: dict[int, list[CodeInfo]] = {}
    for info in rows:
        by_key.setdefault((info.kind, info.code), []).append(info)
        if info.code > 0xFFFF:
            kinds = {other.kind for other in wide.get(info.code, ()) if other.kind != "sms"}
            if info.kind != "sms" and kinds - {info.kind}:
                raise ValueError(
                    f"{TABLE_FILE}: 0x{info.code:08X} is listed as {info.kind} and as {', '.join(sorted(kinds))}"
                )
            wide.setdefault(info.code, []).append(info)

    def ranked(found: list[CodeInfo]) -> tuple[CodeInfo, ...]:
        return (found[0],) if len(found) == 1 else tuple(sorted(found, key=best_first))

    return Table(
        rows,
        {key: ranked(found) for key, found in by_key.items()},
        {code: ranked(found) for code, found in wide.items()},
        sources,
    )
