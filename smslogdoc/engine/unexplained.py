"""Error records no rule explains: the `unexplained-errors` summary.

A log's error records (CMTrace `type="3"`, SMS trace and plain lines whose
text says error) are watched as the pipeline reads them (`Tally.watch`).
Each is folded into a message template (numbers, GUIDs, hex codes, paths,
URLs and times become placeholders) and counted; only a count and the first
and last occurrence are kept per template, and at most `MAX_TEMPLATES`
templates per log (the rest are counted), so memory stays bounded on a 1 GB
log. Messages that healthy clients write routinely (`data/benign.yaml`) are
counted apart and left out.

At the end of the input, a template is explained when some finding cites a
record of that template in the log; the rest become one finding per log
(`summary`), most frequent group first, capped at `SHOWN_GROUPS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TypeVar

from smslogdoc import codes
from smslogdoc.engine.benign import Benign
from smslogdoc.engine.state import place
from smslogdoc.findings import CONFIRMED, Evidence, Finding
from smslogdoc.memo import Memo
from smslogdoc.model import Event, Level, Severity, ThreadNote
from smslogdoc.rules.model import SEVERITIES, SUMMARY_ID, LogScope, Rule

RULE_ID = SUMMARY_ID
LEVELS = ("off", *SEVERITIES)
"""`--unexplained`: off, or the severity of the summary (info by default)."""
MAX_TEMPLATES = 1000
"""Templates tracked per log; error records of further templates are only counted."""
SHOWN_GROUPS = 10
"""Groups listed (and cited) per finding; the rest are counted ("N more groups")."""
KEPT_TEXT = 4000
"""Characters of a group's first message kept (its evidence)."""
BENIGN_SEEN = 4096
"""Error messages whose benign verdict a log's tally remembers."""
KEY_LENGTH = 300
"""Characters of a template used as its key."""
SPAN_GAP = 200
"""Cited records of one finding at most this many lines apart make one stretch it explains."""
AFTER = 15
"""Lines after a finding's last cited record that it explains too (the exit code, the return value)."""

T = TypeVar("T", Event, Event | ThreadNote)
_WORDS = re.compile(r"[^\W_]")

_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\{?\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b\}?"),
        "<guid>",
    ),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE), "<url>"),
    (
        re.compile(r"(?:\b[A-Za-z]:|\\\\[^\\\s]+)\\[^\s\"'<>|,;()]*|(?<![\w.])/(?:[\w.$-]+/)+[\w.$-]*"),
        "<path>",
    ),
    (re.compile(r"\b\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\b"), "<date>"),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\b"), "<time>"),
    (
        re.compile(
            r"(?:\b0x|&H)[0-9A-Fa-f]+\b|\b(?=[0-9A-Fa-f]*\d)(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{6,16}\b|\b8[0-9A-Fa-f]{7}\b"
        ),
        "<hex>",
    ),
    (re.compile(r"-?\d+(?:\.\d+)?"), "<n>"),
    (re.compile(r"\s+"), " "),
)


def template(message: str) -> str:
    """The message with its variable parts folded into placeholders
    (remembered per message: a failing client repeats its errors word for word)."""
    return _templates.get(message, _fold)


def _fold(message: str) -> str:
    text = message.strip()
    for pattern, placeholder in _FOLDS:
        text = pattern.sub(placeholder, text)
    return text.strip()[:KEY_LENGTH]


_templates: Memo[str, str] = Memo(4096)


@dataclass(slots=True)
class Group:
    """The error records of one template in one log: how many, the first and the last."""

    count: int
    first: Evidence
    last_line: int
    last_time: datetime | None


@dataclass
class Tally:
    """The error records of one log as they stream past (see the module docstring)."""

    log: str
    folder: str
    number: int
    where: LogScope
    benign: tuple[Benign, ...] = ()
    groups: dict[str, Group] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    """Error records per file (part) path, benign ones included."""
    records: dict[str, int] = field(default_factory=dict)
    """Records that went past per file path (those in the time window)."""
    left_out: int = 0
    """Known-benign error records."""
    untracked: int = 0
    """Error records of templates past `MAX_TEMPLATES`."""
    wordless: int = 0
    """Error records with no letter or digit (blank, `+ ~~~~`): never a group."""
    covered: bool = True
    paths: set[str] = field(default_factory=set)
    _benign_for: LogScope | None = field(default=None, repr=False)
    _benign_here: list[Benign] = field(default_factory=list, repr=False)
    _benign_seen: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False)

    def shed(self) -> None:
        """Drop what only watching needs (the benign entries and what was
        decided with them), before the tally is sent to another process."""
        self.benign, self._benign_for, self._benign_here, self._benign_seen = (), None, [], {}

    def watch(self, stream: Iterable[T]) -> Iterator[T]:
        """`stream`, unchanged; its error records are counted and grouped on the way."""
        records = self.records
        for event in stream:
            if isinstance(event, Event):
                records[event.path] = records.get(event.path, 0) + 1
                if event.severity == Severity.ERROR:
                    self._error(event)
            yield event

    def _error(self, event: Event) -> None:
        self.errors[event.path] = self.errors.get(event.path, 0) + 1
        self.paths.add(event.path)
        if self._benign(event):
            self.left_out += 1
            return
        if not _WORDS.search(event.message):  # blank, or a PowerShell error's `+ ~~~~` underline
            self.wordless += 1
            return
        key = template(event.message)
        group = self.groups.get(key)
        if group is not None:
            group.count += 1
            group.last_line, group.last_time = event.line, event.time
        elif len(self.groups) >= MAX_TEMPLATES:
            self.untracked += 1
        else:
            found = codes.explained(event.message)
            first = Evidence(
                event.path,
                event.line,
                event.end_line,
                event.time,
                event.message[:KEPT_TEXT],
                "error record",
                found,
                template=key,
            )
            self.groups[key] = Group(1, first, event.line, event.time)

    def _benign(self, event: Event) -> bool:
        """Whether a known-benign entry covers the record (worked out once per
        component and message: a failing client repeats its errors)."""
        if self._benign_for is not self.where:  # the entries that name this kind of log, once per log
            self._benign_for = self.where
            self._benign_here = [known for known in self.benign if self.where.is_one_of(known.logs)]
            self._benign_seen = {}
        if not self._benign_here:
            return False
        key = (event.component, event.message)
        known = self._benign_seen.get(key)
        if known is None:
            if len(self._benign_seen) >= BENIGN_SEEN:
                self._benign_seen.clear()
            known = self._benign_seen[key] = any(
                entry.matches(event, self.where) for entry in self._benign_here
            )
        return known

    @property
    def error_records(self) -> int:
        return sum(self.errors.values())


def summary(tally: Tally, findings: Iterable[Finding], severity: str) -> Finding | None:
    """The `unexplained-errors` finding of one log: its error records that no
    finding explains (a template is explained when a finding cites a record
    of it in this log); None when there are none."""
    findings = list(findings)
    cited = {
        template(item.text) for finding in findings for item in finding.evidence if item.path in tally.paths
    }
    spans = windows(findings, tally.paths)
    groups = sorted(
        (
            (key, group)
            for key, group in tally.groups.items()
            if key not in cited and not _within(group, spans)
        ),
        key=lambda item: (-item[1].count, item[1].first.line, item[0]),
    )
    if not groups and not tally.untracked:
        return None
    shown = groups[:SHOWN_GROUPS]
    total = sum(group.count for _, group in groups) + tally.untracked
    rule = unexplained_rule(severity)
    return Finding(
        rule=rule,
        status=CONFIRMED,
        confidence="low",
        log=tally.log,
        group="",
        captures={
            "error_records": str(tally.error_records),
            "unexplained": str(total),
            "groups": str(len(groups)),
            "benign": str(tally.left_out),
            "untracked": str(tally.untracked),
            "covered": "yes" if tally.covered else "no",
        },
        evidence=sorted((group.first for _, group in shown), key=lambda item: (item.path, item.line)),
        values={"summary": _diagnosis(tally, groups, total)},
        occurrences=1,
        note=f"{total} unexplained of {tally.error_records} error records; {tally.left_out} known benign",
        order=(tally.number, _place(tally, shown[0][1].first) if shown else 0),
        folder=tally.folder,
        identity=(tally.log,),
    )


def windows(findings: Iterable[Finding], paths: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Per file, the stretches of lines a finding's evidence covers: its cited
    records less than `SPAN_GAP` lines apart make one stretch, which goes on
    `AFTER` lines past the last (the exit code a failure leads to, the
    installer's return value beside its cause)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for finding in findings:
        if finding.rule.id == RULE_ID:
            continue
        by_path: dict[str, list[tuple[int, int]]] = {}
        for item in finding.evidence:
            if item.path in paths:
                by_path.setdefault(item.path, []).append((item.line, item.end_line))
        for path, cited in by_path.items():
            cited.sort()
            start, end = cited[0]
            for line, last in cited[1:]:
                if line - end > SPAN_GAP:
                    spans.setdefault(path, []).append((start, end + AFTER))
                    start = line
                end = max(end, last)
            spans.setdefault(path, []).append((start, end + AFTER))
    return spans


def _within(group: Group, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """Whether every record of `group` lies in one stretch a finding covers."""
    first = group.first
    return any(start <= first.line and group.last_line <= end for start, end in spans.get(first.path, ()))


def _place(tally: Tally, first: Evidence) -> int:
    """The place of a group's first record in its log (`state.place`): parts
    are numbered in the order their records went past."""
    return place(list(tally.records).index(first.path), first.line)


def _diagnosis(tally: Tally, groups: list[tuple[str, Group]], total: int) -> str:
    """What the summary says: how many records, the groups shown, what was left out."""
    shown = groups[:SHOWN_GROUPS]
    more = len(groups) - len(shown)
    name = tally.where.file_name or tally.log
    head = f"{total} error record{'s' if total != 1 else ''} in {name} that no rule explains"
    if len(groups) > 1:
        head += f", in {len(groups)} groups of like messages (most frequent first):"
    elif total > 1 and groups:
        head += ", all of one kind:"
    else:
        head += ":"
    parts = [head]
    lines = [f"({number}) {_group_line(key, group)}" for number, (key, group) in enumerate(shown, 1)]
    if more:
        parts.append(f"... {more} more group{'s' if more != 1 else ''}.")
    if tally.untracked:
        parts.append(
            f"{tally.untracked} more record(s) of messages past the first {MAX_TEMPLATES} kinds were only counted."
        )
    if tally.left_out:
        parts.append(
            f"{tally.left_out} known-benign error record{'s' if tally.left_out != 1 else ''} left out."
        )
    if tally.wordless:
        parts.append(
            f"{tally.wordless} error record{'s' if tally.wordless != 1 else ''} without words left out."
        )
    first = head if tally.covered else f"No rule reads this kind of log. {head}"
    rest = " ".join(parts[1:])
    return "\n".join([first, *lines, *([rest] if rest else [])])


def _group_line(key: str, group: Group) -> str:
    first = group.first
    where = f"line {first.line}" if group.count == 1 else f"lines {first.line}-{group.last_line}"
    when = ""
    if first.time is not None:
        when = f", {first.time:%Y-%m-%d %H:%M:%S}"
        last = f"{group.last_time:%Y-%m-%d %H:%M:%S}" if group.last_time is not None else ""
        if group.count > 1 and last and last != when[2:]:
            when += f" to {last}"
    text = " ".join(first.text.split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{group.count}x, {where}{when}: {text}"


@cache
def unexplained_rule(severity: str) -> Rule:
    """The synthetic rule the summary is a finding of (it renders like any rule)."""
    return Rule(
        id=RULE_ID,
        title="Error records that no rule explains",
        severity=Level(severity),
        confidence="low",
        applies_to=(),
        events={},
        conditions=(),
        diagnosis="{summary}",
        cause=(
            "No rule and no table of codes, status values or failure wording recognises these"
            " records: a failure smslogdoc has no knowledge of, or errors this component also"
            " writes on healthy machines. The records just before the first of each group say"
            " what was being attempted, and those after it whether it was retried."
        ),
        fix=(
            "Look up the error codes shown under each record with `smslogdoc explain CODE`.",
            "Open the log at the first line of each group and read the records just before it: they usually say what was being attempted.",
            "Collect the client's other logs from the same time (the whole CCM\\Logs folder; for a task sequence every smsts*.log) "
            "and run smslogdoc diagnose on the folder: a rule may read the log where the cause is written.",
            "If a message is routine on your healthy clients, list it in benign.yaml in smslogdoc's configuration folder "
            "(~/.config/smslogdoc/ on Linux and macOS, %APPDATA%\\smslogdoc\\ on Windows, or $SMSLOGDOC_CONFIG): "
            "entries of pattern, log and source, as the bundled list has them (such a message then also gets no "
            "generic finding from the code, status or wording tables). If it is a failure, write a rule for it "
            "in a folder of your own and pass --rules FOLDER (docs/rules.md in smslogdoc's source repository describes "
            "the rule language; it is not installed with the package). `--unexplained off` hides this summary.",
        ),
        path="<built-in>",
        bundled=True,
    )
