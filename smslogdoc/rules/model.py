"""The rule language's nouns, as frozen data: a rule (`Rule`), its single-event
matchers (`Matcher`, with their `Pattern`s), its examples, and the log a
matcher is asked about (`LogScope`); how the events must relate is
`rules.condition`.
Matching one record is here too; relating records is the engine's job."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache, cached_property, lru_cache

import regex

from smslogdoc.codes.find import find_codes
from smslogdoc.codes.table import wraps_internet_error
from smslogdoc.formats import ini
from smslogdoc.kinds import current_name, has_wildcard, load_kinds
from smslogdoc.literals import required_literals
from smslogdoc.memo import Memo
from smslogdoc.model import SEVERITIES as SEVERITIES
from smslogdoc.model import Event, Level, Severity
from smslogdoc.rules.condition import BUILTIN_GROUPS as BUILTIN_GROUPS
from smslogdoc.rules.condition import Condition as Condition
from smslogdoc.rules.regexcache import compiled
from smslogdoc.rules.size import too_large

CONFIDENCES = ("low", "medium", "high")
SUMMARY_ID = "unexplained-errors"
"""The id of the finding smslogdoc makes itself (`engine.unexplained`); no rule may take it."""
TEMPLATE_FIELDS = ("log", "run", "occurrences")
"""Placeholders every rule's texts may use besides its own captures."""

REGEX_TIMEOUT = 0.5
"""Seconds one pattern may spend on one record before the rule is stopped."""
SEEN_TEXTS = 1024
"""Texts whose match a pattern remembers (the memory is emptied when full)."""


@dataclass(frozen=True)
class LogScope:
    """The log a matcher is asked about: its kind and file name."""

    kind: str | None
    file_name: str

    @cached_property
    def name(self) -> str:
        """The current log's file name, lower case ('' for standard input)."""
        return current_name(self.file_name) if self.file_name else ""

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The file names file-name globs are matched against: the log's own, and
        for a log whose name does not tell its kind (a paste), its kind's
        (`KindTable.names_of`)."""
        return load_kinds().names_of(self.kind, self.name)

    def is_one_of(self, targets: tuple[str, ...]) -> bool:
        """Whether this log is one of `targets` (kind names or file-name globs)."""
        names, globs = _targets(targets)
        if self.kind in names:
            return True
        return any(glob(name) for name in self.names for glob in globs)


@lru_cache(maxsize=4096)
def _targets(targets: tuple[str, ...]) -> tuple[frozenset[str], tuple[Callable[[str], object], ...]]:
    """`targets` as a set to look a kind up in and its globs, compiled (lower case)."""
    globs = tuple(
        re.compile(fnmatch.translate(target.lower())).match for target in targets if is_glob(target)
    )
    return frozenset(targets), globs


def is_glob(target: str) -> bool:
    """Whether a rule's target names logs by file name (`execmgr.log`, `*.log`), not by kind."""
    return "." in target or has_wildcard(target)


_GROUP_NAME = re.compile(r"\(\?P?<([A-Za-z_]\w*)>")


@dataclass(frozen=True)
class Pattern:
    """A regular expression of a rule, compiled when first used: a run pays only
    for the rules that apply to its logs."""

    source: str
    flags: int

    @cached_property
    def compiled(self) -> regex.Pattern[str]:
        """The compiled pattern; `regex.error` for a bad one, or one whose
        counted repeats would take gigabytes to compile (`rules.size`)."""
        why = too_large(self.source)
        if why is not None:
            raise regex.error(why)
        return compiled(self.source, self.flags)

    @cached_property
    def names(self) -> frozenset[str]:
        """The named groups it captures."""
        return frozenset(_GROUP_NAME.findall(self.source))

    def search(self, text: str) -> regex.Match[str] | None:
        return self.compiled.search(text, timeout=REGEX_TIMEOUT)

    def captures(self, text: str) -> Mapping[str, str] | None:
        """The named groups the first match in `text` sets, or None when there is
        no match. Remembered per text: a log repeats its messages run after run."""
        return self._seen.get(text, self._captures)

    def _captures(self, text: str) -> Mapping[str, str] | None:
        found = self.search(text)
        return (
            None
            if found is None
            else {name: value for name, value in found.groupdict().items() if value is not None}
        )

    @cached_property
    def _seen(self) -> Memo[str, Mapping[str, str] | None]:
        return Memo(SEEN_TEXTS)

    def fullmatch(self, text: str) -> regex.Match[str] | None:
        return self.compiled.fullmatch(text, timeout=REGEX_TIMEOUT)


@cache
def shared_pattern(source: str, flags: int) -> Pattern:
    """The one `Pattern` of this text and flags in a process: many rules share a
    pattern (a wording read in each family of logs, a code in each log that
    writes it), and a shared one is compiled once and remembers its matches
    for all of them."""
    return Pattern(source, flags)


def code_literals(codes: frozenset[int]) -> tuple[str, ...]:
    """The spellings a log may write a code in, lower case: `87d00607`,
    `-2016410105`, `2278556167`; a Win32 code's HRESULT too (`80070643`), and the
    small number itself (`1603`), which only filters; a WinHTTP or WinINet
    error's HRESULT its number too (`80072ee2` and `12002`, as ConfigMgr's HTTP
    layer writes it: `Code=12002, Text=ERROR_WINHTTP_TIMEOUT`), and so does the
    HRESULT of a Win32 code of four digits or more (`800704c3` and `1219`, as
    `System error 1219 has occurred.`; a shorter one would let every record through);
    a small number also zero-padded to eight hex digits (`0000045d`)."""
    spellings: list[str] = []
    for value in sorted(codes):
        forms = [value] if value > 0xFFFF else [value, 0x80070000 | value]
        if wraps_internet_error(value) or (value & 0xFFFF0000 == 0x80070000 and value & 0xFFFF >= 1000):
            forms.append(value & 0xFFFF)
        for form in forms:
            if form > 0xFFFF:
                spellings += [f"{form:08x}", str(form - (1 << 32) if form >= 1 << 31 else form), str(form)]
            else:
                # 1117, and 0x0000045D zero-padded as Rufus writes it
                spellings += [str(form), f"{form:08x}"]
    return tuple(dict.fromkeys(spellings))


def mentioned_code(message: str, codes: frozenset[int]) -> str | None:
    """How `message` writes one of `codes`, where it writes it as a code
    (`codes.find`: not a thread id, a date or a byte count), or None."""
    for found in find_codes(message):
        reading = found.explanation
        if reading.value in codes or (reading.hresult is not None and reading.hresult in codes):
            return reading.spelling
        if reading.win32 is not None and reading.win32 in codes and reading.hresult is not None:
            return reading.spelling
    return None


@dataclass(frozen=True)
class Matcher:
    """A named test on one event."""

    name: str
    message: Pattern | None = None
    not_message: Pattern | None = None
    components: tuple[str, ...] = ()
    severities: frozenset[Severity] = frozenset()
    thread: int | None = None
    logs: tuple[str, ...] = ()
    section: Pattern | None = None
    key: Pattern | None = None
    value: Pattern | None = None
    codes: frozenset[int] = frozenset()
    """Error codes one of which the record must mention (`code:` in a rule), as
    32-bit values; a Win32 code also matches its HRESULT (5 and 0x80070005)."""

    @cached_property
    def literals(self) -> tuple[str, ...]:
        """Lower-case text one of which the message must hold; () means no shortcut.
        A record must mention one of `codes` and match `message`: the codes'
        spellings are the rarer text, so they are the shortcut when given."""
        if self.codes:
            return code_literals(self.codes)
        return required_literals(self.message.source) if self.message is not None else ()

    @cached_property
    def captures(self) -> frozenset[str]:
        """The named groups this matcher's patterns capture (and `code` for a `code:` test)."""
        names: set[str] = {"code"} if self.codes else set()
        for pattern in (self.message, self.section, self.key, self.value):
            if pattern is not None:
                names.update(pattern.names)
        return frozenset(names)

    @cached_property
    def asks_ini(self) -> bool:
        """Whether it tests an INI file's section, key or value."""
        return self.section is not None or self.key is not None or self.value is not None

    @cached_property
    def by_text(self) -> bool:
        """Whether a record's text, severity and component decide its match
        (no thread and no INI field is tested): what matched it may be
        remembered by those (`memo.SeenRecords`)."""
        return self.thread is None and not self.asks_ini

    def match(self, event: Event) -> dict[str, str] | None:
        """The captured fields if `event` passes every test, else None.
        May raise TimeoutError (a pattern ran too long)."""
        if self.severities and event.severity not in self.severities:
            return None
        if self.thread is not None and event.thread != self.thread:
            return None
        if self.components:
            component = event.component.lower()
            if not any(fnmatchcase(component, wanted) for wanted in self.components):
                return None
        captured: dict[str, str] = {}
        if self.asks_ini and (event.format != ini.NAME or not self._ini(event, captured)):
            return None
        if self.message is not None:
            found = self.message.captures(event.message)
            if found is None:
                return None
            captured.update(found)
        if self.not_message is not None and self.not_message.captures(event.message) is not None:
            return None
        if self.codes:
            spelling = mentioned_code(event.message, self.codes)
            if spelling is None:
                return None
            captured["code"] = spelling
        return captured

    def _ini(self, event: Event, captured: dict[str, str]) -> bool:
        if self.section is not None:
            found = self.section.fullmatch(event.component)
            if found is None:
                return False
            captured.update({k: v for k, v in found.groupdict().items() if v is not None})
        pair = ini.split_key(event.message)
        if self.key is not None or self.value is not None:
            if pair is None:
                return False
            if self.key is not None:
                found = self.key.fullmatch(pair[0])
                if found is None:
                    return False
                captured.update({k: v for k, v in found.groupdict().items() if v is not None})
            if self.value is not None:
                found = self.value.search(pair[1])
                if found is None:
                    return False
                captured.update({k: v for k, v in found.groupdict().items() if v is not None})
        return True


@dataclass(frozen=True)
class Example:
    """A log a rule ships with, where it must fire (citing given lines) or stay silent."""

    name: str
    expect: str
    files: tuple[tuple[str, str], ...]
    cites: tuple[str, ...] = ()
    """`12` (in the only file) or `ccmsetup.log:12`."""


@dataclass(frozen=True)
class Rule:
    """One failure signature and what to do about it."""

    id: str
    title: str
    severity: Level
    confidence: str
    applies_to: tuple[str, ...]
    events: Mapping[str, Matcher]
    conditions: tuple[Condition, ...]
    diagnosis: str
    fix: tuple[str, ...]
    path: str
    cause: str = ""
    references: tuple[str, ...] = ()
    next_logs: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    fallback: bool = False
    bundled: bool = False
    """Shipped with smslogdoc (its references are trusted as links; a user's are not)."""
    tier: int = 0
    """0 for a written rule; a rule family's rules (`rules.families`) have 1 (an error
    code in context), 2 (a status value) or 3 (failure wording): a finding yields to
    one of a lower tier that cites the same record."""
    family: str = ""
    """The family a generated rule belongs to (code, state, phrase); '' for a written rule."""
    causes: tuple[str, ...] = ()
    """A family entry's usual causes one by one (its `cause` says them in a sentence): a
    code context's, a wording's in a workflow, a status value's. A code context's are
    named by a written rule's finding that cites the same record (`engine.results`)."""

    def applies(self, scope: LogScope) -> bool:
        """Whether the rule is run on the log `scope` describes."""
        return not self.applies_to or scope.is_one_of(self.applies_to)

    @property
    def rank(self) -> int:
        """Severity as a number (error highest)."""
        return SEVERITIES.index(self.severity)
