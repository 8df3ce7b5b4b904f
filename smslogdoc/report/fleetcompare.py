"""`fleet --compare EARLIER.json`: what changed since an earlier fleet report
of the same machines (`fleet --format json`, made last week, say): the causes
that are new, that hit more or fewer machines, that moved, and that are gone.

Only the machines in both collections are compared, so a machine that was not
collected this time does not make its causes look resolved; the machines only
one of the two holds are named apart. Machine names compare without case (they
are Windows computer names). A cause is a rule: the causes of both reports are
matched by rule id. Only names and counts are read from the earlier report."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smslogdoc.report.document import JSON_VERSION, CauseDoc, ChangeDoc, ComparisonDoc

CHANGES = ("new", "more", "moved", "fewer", "resolved")
"""The kinds of change, in the order they are listed."""


class EarlierError(ValueError):
    """The earlier report cannot be compared with: the message says why, in one line."""


@dataclass(frozen=True)
class EarlierCause:
    rule: str
    title: str
    severity: str
    machines: tuple[str, ...]


@dataclass(frozen=True)
class Earlier:
    """What an earlier fleet report says: its machines and its causes."""

    path: str
    machines: tuple[str, ...]
    causes: tuple[EarlierCause, ...]

    def doc(self) -> dict[str, Any]:
        """As plain data (for the redactor to walk with the rest of the report)."""
        return {
            "path": self.path,
            "machines": list(self.machines),
            "causes": [
                {"rule": c.rule, "title": c.title, "severity": c.severity, "machines": list(c.machines)}
                for c in self.causes
            ],
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Earlier:
        """From `doc()`'s shape (a fleet report's keys, its machines' names only)."""
        return cls(
            str(data["path"]),
            tuple(data["machines"]),
            tuple(
                EarlierCause(c["rule"], c["title"], c["severity"], tuple(c["machines"]))
                for c in data["causes"]
            ),
        )


def read_earlier(path: Path, shown: str) -> Earlier:
    """The earlier report at `path` (`shown` as the user named it). Raises
    EarlierError when it cannot be read, is not a fleet report of this JSON
    version, or was redacted (its pseudonyms match no new run's)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise EarlierError(f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise EarlierError("not a fleet report: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise EarlierError(f"not a fleet report: not JSON (line {error.lineno}: {error.msg})") from None
    if not _is_fleet_report(data):
        raise EarlierError("not a fleet report (make one with: smslogdoc fleet ROOT --format json)")
    if data["version"] != JSON_VERSION:
        raise EarlierError(
            f"a fleet report of JSON version {data['version']}; this smslogdoc reads {JSON_VERSION}"
        )
    if "redaction" in data:
        raise EarlierError(
            "written with --redact: its pseudonyms name no machine of a new run; compare with a report "
            "made without --redact (this run may still use --redact)"
        )
    return Earlier.of(
        {
            "path": shown,
            "machines": [machine["name"] for machine in data["machines"]],
            "causes": data["causes"],
        }
    )


def _is_fleet_report(data: object) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        return False
    machines, causes = data.get("machines"), data.get("causes")
    if not isinstance(machines, list) or not isinstance(causes, list):
        return False
    if not all(isinstance(machine, dict) and isinstance(machine.get("name"), str) for machine in machines):
        return False
    return all(
        isinstance(cause, dict)
        and all(isinstance(cause.get(key), str) for key in ("rule", "title", "severity"))
        and isinstance(cause.get("machines"), list)
        and all(isinstance(name, str) for name in cause["machines"])
        for cause in causes
    )


def compare(earlier: Earlier, machines: Sequence[str], causes: Sequence[CauseDoc]) -> ComparisonDoc:
    """What changed from `earlier` to this report (its `machines`' names and
    its ranked `causes`), over the machines both hold."""
    before_names = {name.casefold() for name in earlier.machines}
    now_names = {name.casefold() for name in machines}
    both = before_names & now_names
    changes: list[ChangeDoc] = []
    unchanged = 0
    earlier_causes = {cause.rule: cause for cause in earlier.causes}
    now_by_rule = {cause["rule"]: cause for cause in causes}
    for rule in [*now_by_rule, *(rule for rule in earlier_causes if rule not in now_by_rule)]:
        then, now = earlier_causes.get(rule), now_by_rule.get(rule)
        hit_before = [name for name in (then.machines if then else ()) if name.casefold() in both]
        hit_now = [name for name in (now["machines"] if now else ()) if name.casefold() in both]
        before_keys = {name.casefold() for name in hit_before}
        now_keys = {name.casefold() for name in hit_now}
        gained = [name for name in hit_now if name.casefold() not in before_keys]
        lost = [name for name in hit_before if name.casefold() not in now_keys]
        if not gained and not lost:
            unchanged += bool(hit_now)
            continue
        if now is not None:
            title, severity = now["title"], now["severity"]
        else:
            assert then is not None
            title, severity = then.title, then.severity
        changes.append(
            {
                "rule": rule,
                "title": title,
                "severity": severity,
                "change": _change(len(hit_before), len(hit_now)),
                "before": len(hit_before),
                "now": len(hit_now),
                "gained": gained,
                "lost": lost,
            }
        )
    changes.sort(
        key=lambda item: (CHANGES.index(item["change"]), -max(item["now"], item["before"]), item["rule"])
    )
    return {
        "earlier": earlier.path,
        "machines": {
            "both": len(both),
            "added": [name for name in machines if name.casefold() not in before_names],
            "gone": [name for name in earlier.machines if name.casefold() not in now_names],
        },
        "changes": changes,
        "unchanged": unchanged,
    }


def _change(before: int, now: int) -> str:
    if not before:
        return "new"
    if not now:
        return "resolved"
    return "more" if now > before else "fewer" if now < before else "moved"


def comparison_lines(comparison: ComparisonDoc, shown: int = 5) -> list[str]:
    """For text: the summary line, then two lines per change (what, and which machines)."""
    machines = comparison["machines"]
    head = f"Since {comparison['earlier']}: {machines['both']} machine{'s' if machines['both'] != 1 else ''} in both"
    if machines["added"]:
        head += f"; {len(machines['added'])} added ({_names(machines['added'], shown)})"
    if machines["gone"]:
        head += f"; {len(machines['gone'])} gone ({_names(machines['gone'], shown)})"
    count = len(comparison["changes"])
    head += f"; {count} cause{'s' if count != 1 else ''} changed, {comparison['unchanged']} unchanged"
    lines = [head]
    for item in comparison["changes"]:
        lines.append(f"{item['change'].upper():<9}{change_count(item)}  {item['title']} ({item['rule']})")
        moved = [f"+{name}" for name in item["gained"]] + [f"-{name}" for name in item["lost"]]
        lines.append(_names(moved, shown))
    return lines


def change_count(item: ChangeDoc) -> str:
    """`on 3 machines`, `2 -> 5 machines`, `was on 4 machines`."""
    if item["change"] == "new":
        return f"on {item['now']} machine{'s' if item['now'] != 1 else ''}"
    if item["change"] == "resolved":
        return f"was on {item['before']} machine{'s' if item['before'] != 1 else ''}"
    return f"{item['before']} -> {item['now']} machines"


def _names(names: Sequence[str], shown: int) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
