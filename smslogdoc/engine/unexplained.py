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
from importlib import resources
from typing import TypeVar

import yaml

from smslogdoc import codes
from smslogdoc.findings import CONFIRMED, Evidence, Finding
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
KEY_LENGTH = 300
"""Characters of a template used as its key."""

T = TypeVar("T", Event, Event | ThreadNote)

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
    """The message with its variable parts folded into placeholders."""
    text = message.strip()
    for pattern, placeholder in _FOLDS:
        text = pattern.sub(placeholder, text)
    return text.strip()[:KEY_LENGTH]


@dataclass(frozen=True)
class Benign:
    """An error record healthy clients write routinely (an entry of data/benign.yaml)."""

    pattern: re.Pattern[str]
    logs: tuple[str, ...]
    """Kind names or file-name globs of the logs it appears in."""
    source: str
    component: str = ""

    def matches(self, event: Event, where: LogScope) -> bool:
        if self.component and event.component.lower() != self.component.lower():
            return False
        return where.is_one_of(self.logs) and self.pattern.search(event.message.strip()) is not None


@cache
def benign_list() -> tuple[Benign, ...]:
    """The bundled list of known-benign error records."""
    text = resources.files("smslogdoc.data").joinpath("benign.yaml").read_text(encoding="utf-8")
    entries = yaml.safe_load(text) or []
    known = []
    for entry in entries:
        logs = entry["log"] if isinstance(entry["log"], list) else [entry["log"]]
        known.append(
            Benign(
                re.compile(entry["pattern"]),
                tuple(str(log) for log in logs),
                str(entry["source"]),
                str(entry.get("component", "")),
            )
        )
    return tuple(known)


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
    covered: bool = True
    paths: set[str] = field(default_factory=set)

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
        if any(known.matches(event, self.where) for known in self.benign):
            self.left_out += 1
            return
        key = template(event.message)
        group = self.groups.get(key)
        if group is not None:
            group.count += 1
            group.last_line, group.last_time = event.line, event.time
        elif len(self.groups) >= MAX_TEMPLATES:
            self.untracked += 1
        else:
            found = tuple(item.explanation.one_line() for item in codes.find_codes(event.message))
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

    @property
    def error_records(self) -> int:
        return sum(self.errors.values())


def summary(tally: Tally, findings: Iterable[Finding], severity: str) -> Finding | None:
    """The `unexplained-errors` finding of one log: its error records that no
    finding explains (a template is explained when a finding cites a record
    of it in this log); None when there are none."""
    cited = {
        template(item.text) for finding in findings for item in finding.evidence if item.path in tally.paths
    }
    groups = sorted(
        ((key, group) for key, group in tally.groups.items() if key not in cited),
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
        order=(tally.number, shown[0][1].first.line if shown else 0),
        folder=tally.folder,
        identity=(tally.log,),
    )


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
    for number, (key, group) in enumerate(shown, 1):
        parts.append(f"({number}) {_group_line(key, group)}")
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
    if not tally.covered:
        parts.insert(0, "No rule reads this kind of log.")
    return " ".join(parts)


def _group_line(key: str, group: Group) -> str:
    first = group.first
    where = f"line {first.line}" if group.count == 1 else f"lines {first.line}-{group.last_line}"
    when = ""
    if first.time is not None:
        when = f", {first.time:%Y-%m-%d %H:%M:%S}"
        last = f"{group.last_time:%Y-%m-%d %H:%M:%S}" if group.last_time is not None else ""
        if group.count > 1 and last and last != when[2:]:
            when += f" to {last}"
    text = " ".join(first.text.split()) or "(empty message)"
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
        cause="Error records that no bundled or loaded rule recognises.",
        fix=(
            "Look up the error codes shown under each record with `smslogdoc explain CODE`.",
            "Open the log at the first line of each group and read the records just before it: they usually say what was being attempted.",
            "Collect the client's other logs from the same time (the whole CCM\\Logs folder; for a task sequence every smsts*.log) "
            "and run smslogdoc diagnose on the folder: a rule may read the log where the cause is written.",
            "If a message is routine on healthy clients, it can be added to smslogdoc/data/benign.yaml with its source; "
            "if it is a failure, a rule can be written for it (docs/rules.md). `--unexplained off` hides this summary.",
        ),
        path="<built-in>",
        bundled=True,
    )
