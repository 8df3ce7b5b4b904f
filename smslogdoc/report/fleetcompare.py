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

from smslogdoc.report.document import (
    JSON_VERSION,
    CauseDoc,
    ChangeDoc,
    ComparisonDoc,
    OutcomeChangeDoc,
)
from smslogdoc.report.fleetstories import outcome_text
from smslogdoc.report.storydoc import DeploymentDoc

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
class EarlierOutcome:
    """Where a deployment stopped on some machines (`OutcomeCountDoc` with its deployment)."""

    workflow: str
    subject: str
    verdict: str
    phase: str | None
    what: str
    machines: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str, str | None, str]:
        return (self.workflow, self.subject, self.verdict, self.phase, self.what)


@dataclass(frozen=True)
class Earlier:
    """What an earlier fleet report says: its machines, its causes, where its deployments stopped."""

    path: str
    machines: tuple[str, ...]
    causes: tuple[EarlierCause, ...]
    outcomes: tuple[EarlierOutcome, ...] = ()

    def doc(self) -> dict[str, Any]:
        """As plain data (for the redactor to walk with the rest of the report)."""
        return {
            "path": self.path,
            "machines": list(self.machines),
            "causes": [
                {"rule": c.rule, "title": c.title, "severity": c.severity, "machines": list(c.machines)}
                for c in self.causes
            ],
            "outcomes": [{**vars(o), "machines": list(o.machines)} for o in self.outcomes],
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Earlier:
        """From `doc()`'s shape."""
        return cls(
            str(data["path"]),
            tuple(data["machines"]),
            tuple(
                EarlierCause(c["rule"], c["title"], c["severity"], tuple(c["machines"]))
                for c in data["causes"]
            ),
            tuple(EarlierOutcome(**{**o, "machines": tuple(o["machines"])}) for o in data["outcomes"]),
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
    outcomes = [
        {key: outcome[key] for key in ("verdict", "phase", "what", "machines")}
        | {"workflow": deployment["workflow"], "subject": deployment["subject"]}
        for deployment in data.get("deployments", [])
        for outcome in deployment["outcomes"]
    ]
    return Earlier.of(
        {
            "path": shown,
            "machines": [machine["name"] for machine in data["machines"]],
            "causes": data["causes"],
            "outcomes": outcomes,
        }
    )


def _is_fleet_report(data: object) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        return False
    if not all(_is_deployment(item) for item in data.get("deployments", [])):
        return False
    machines, causes = data.get("machines"), data.get("causes")
    if not isinstance(machines, list) or not isinstance(causes, list):
        return False
    if not all(isinstance(machine, dict) and isinstance(machine.get("name"), str) for machine in machines):
        return False
    return all(
        isinstance(cause, dict)
        and all(isinstance(cause.get(key), str) for key in ("rule", "title", "severity"))
        and _names_list(cause.get("machines"))
        for cause in causes
    )


def _is_deployment(item: object) -> bool:
    if not isinstance(item, dict) or not all(
        isinstance(item.get(key), str) for key in ("workflow", "subject")
    ):
        return False
    outcomes = item.get("outcomes")
    return isinstance(outcomes, list) and all(
        isinstance(outcome, dict)
        and isinstance(outcome.get("verdict"), str)
        and isinstance(outcome.get("what"), str)
        and (outcome.get("phase") is None or isinstance(outcome.get("phase"), str))
        and _names_list(outcome.get("machines"))
        for outcome in outcomes
    )


def _names_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) for name in value)


def compare(
    earlier: Earlier,
    machines: Sequence[str],
    causes: Sequence[CauseDoc],
    deployments: Sequence[DeploymentDoc] = (),
) -> ComparisonDoc:
    """What changed from `earlier` to this report (its `machines`' names, its
    ranked `causes` and its `deployments`), over the machines both hold."""
    before_names = {name.casefold() for name in earlier.machines}
    now_names = {name.casefold() for name in machines}
    both = _Both(before_names & now_names)
    changes: list[ChangeDoc] = []
    unchanged = 0
    then_by_rule = {cause.rule: cause for cause in earlier.causes}
    now_by_rule = {cause["rule"]: cause for cause in causes}
    for rule in [*now_by_rule, *(rule for rule in then_by_rule if rule not in now_by_rule)]:
        then, now = then_by_rule.get(rule), now_by_rule.get(rule)
        before, after, gained, lost = both.moved(
            then.machines if then else (), now["machines"] if now else ()
        )
        if not gained and not lost:
            unchanged += bool(after)
            continue
        title, severity = (
            (now["title"], now["severity"]) if now else (then.title, then.severity) if then else ("", "")
        )
        changes.append(
            {
                "rule": rule,
                "title": title,
                "severity": severity,
                "change": _change(before, after),
                "before": before,
                "now": after,
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
            "both": len(both.names),
            "added": [name for name in machines if name.casefold() not in before_names],
            "gone": [name for name in earlier.machines if name.casefold() not in now_names],
        },
        "changes": changes,
        "unchanged": unchanged,
        "deployments": _outcome_changes(earlier.outcomes, deployments, both),
    }


@dataclass(frozen=True)
class _Both:
    names: set[str]
    """The machines both reports hold, case folded."""

    def moved(self, then: Sequence[str], now: Sequence[str]) -> tuple[int, int, list[str], list[str]]:
        """Of the machines both hold: how many were in `then`, how many are in
        `now`, those gained and those lost."""
        before = [name for name in then if name.casefold() in self.names]
        after = [name for name in now if name.casefold() in self.names]
        before_keys, after_keys = {name.casefold() for name in before}, {name.casefold() for name in after}
        gained = [name for name in after if name.casefold() not in before_keys]
        lost = [name for name in before if name.casefold() not in after_keys]
        return len(before), len(after), gained, lost


def _outcome_changes(
    earlier: Sequence[EarlierOutcome], deployments: Sequence[DeploymentDoc], both: _Both
) -> list[OutcomeChangeDoc]:
    """Per deployment and where it stopped (verdict, phase, what), the machines
    that came and went; deployments in this report's order, then the earlier's."""
    then = {outcome.key: outcome.machines for outcome in earlier}
    now: dict[tuple[str, str, str, str | None, str], list[str]] = {}
    for deployment in deployments:
        for outcome in deployment["outcomes"]:
            key = (
                deployment["workflow"],
                deployment["subject"],
                outcome["verdict"],
                outcome["phase"],
                outcome["what"],
            )
            now[key] = outcome["machines"]
    found: list[OutcomeChangeDoc] = []
    for key in [*now, *(key for key in then if key not in now)]:
        before, after, gained, lost = both.moved(then.get(key, ()), now.get(key, ()))
        if gained or lost:
            workflow, subject, verdict, phase, what = key
            found.append(
                {
                    "workflow": workflow,
                    "subject": subject,
                    "verdict": verdict,
                    "phase": phase,
                    "what": what,
                    "before": before,
                    "now": after,
                    "gained": gained,
                    "lost": lost,
                }
            )
    return found


def _change(before: int, now: int) -> str:
    if not before:
        return "new"
    if not now:
        return "resolved"
    return "more" if now > before else "fewer" if now < before else "moved"


def comparison_head(comparison: ComparisonDoc, shown: int) -> str:
    """`Since last.json: 352 machines in both; 1 added (WKS0400); 3 causes changed, 31 unchanged`."""
    machines = comparison["machines"]
    head = f"Since {comparison['earlier']}: {_count(machines['both'])} in both"
    if machines["added"]:
        head += f"; {len(machines['added'])} added ({_names(machines['added'], shown)})"
    if machines["gone"]:
        head += f"; {len(machines['gone'])} gone ({_names(machines['gone'], shown)})"
    count = len(comparison["changes"])
    return head + f"; {count} cause{'s' if count != 1 else ''} changed, {comparison['unchanged']} unchanged"


def cause_change_line(item: ChangeDoc) -> str:
    """`MORE     2 -> 5 machines  Title (rule)`."""
    return f"{item['change'].upper():<9}{change_count(item)}  {item['title']} ({item['rule']})"


def outcome_change_line(item: OutcomeChangeDoc) -> str:
    """`update: {subject}: failed at download, 0x87D00607: 3 -> 10 machines`."""
    said = outcome_text(item["verdict"], item["phase"], item["what"])
    return f"{item['workflow']}: {item['subject']}: {said}: {item['before']} -> {_count(item['now'])}"


def moved_names(item: ChangeDoc | OutcomeChangeDoc, shown: int) -> str:
    """`+WKS4, +WKS7, -WKS1` (the first `shown`, then "and N more")."""
    return _names([f"+{name}" for name in item["gained"]] + [f"-{name}" for name in item["lost"]], shown)


def _count(machines: int) -> str:
    return f"{machines} machine{'s' if machines != 1 else ''}"


def change_count(item: ChangeDoc) -> str:
    """`on 3 machines`, `2 -> 5 machines`, `was on 4 machines`."""
    if item["change"] == "new":
        return f"on {_count(item['now'])}"
    if item["change"] == "resolved":
        return f"was on {_count(item['before'])}"
    return f"{item['before']} -> {item['now']} machines"


def _names(names: Sequence[str], shown: int) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
