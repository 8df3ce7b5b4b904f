"""The fleet's deployments: per deployment (workflow and subject), how many
machines stopped where and with what ("312 machines: waiting for a maintenance
window; 41: failed at download, 0x87D00607"), from each machine's story
outcomes (`storydoc.OutcomeDoc`). Only names and counts are kept."""

from __future__ import annotations

from collections.abc import Iterable

from smslogdoc.report.storydoc import DeploymentDoc, OutcomeCountDoc, OutcomeDoc

SHOWN_NAMES = 5
"""Machine names shown per outcome ("and N more" after)."""

_Key = tuple[str, str]
_Outcome = tuple[str, str | None, str]


class Deployments:
    """Each deployment's outcomes across the machines, filled machine by machine."""

    def __init__(self) -> None:
        self._seen: dict[_Key, dict[_Outcome, list[str]]] = {}

    def add(self, machine: str, outcomes: Iterable[OutcomeDoc]) -> None:
        for outcome in outcomes:
            key = (outcome["workflow"], outcome["subject"])
            told = self._seen.setdefault(key, {})
            machines = told.setdefault((outcome["verdict"], outcome["phase"], outcome["what"]), [])
            if not machines or machines[-1] != machine:
                machines.append(machine)

    def docs(self) -> list[DeploymentDoc]:
        """Most machines first; in each, the outcomes most machines share first."""
        found: list[DeploymentDoc] = []
        for (workflow, subject), told in self._seen.items():
            outcomes: list[OutcomeCountDoc] = [
                {"verdict": verdict, "phase": phase, "what": what, "count": len(names), "machines": names}
                for (verdict, phase, what), names in sorted(
                    told.items(), key=lambda item: (-len(item[1]), item[0][0], item[0][1] or "", item[0][2])
                )
            ]
            machines = len({name for names in told.values() for name in names})
            found.append(
                {"workflow": workflow, "subject": subject, "machines": machines, "outcomes": outcomes}
            )
        found.sort(key=lambda item: (-item["machines"], item["workflow"], item["subject"]))
        return found


def outcome_text(verdict: str, phase: str | None, what: str) -> str:
    """`waiting for a maintenance window`, `failed at download, 0x87D00607`, `succeeded`."""
    if verdict == "failed":
        return f"failed at {phase}" + (f", {what}" if what else "")
    if verdict == "waiting":
        return what or "waiting"
    said = verdict.replace("_", " ")
    return f"{said}: read {what}" if what and verdict in ("stalled", "incomplete") else said


def deployment_lines(deployment: DeploymentDoc) -> list[str]:
    """`update: software update deployment {...}: 353 machines` then one line per outcome."""
    count = deployment["machines"]
    lines = [f"{deployment['workflow']}: {deployment['subject']}: {count} machine{'s' if count != 1 else ''}"]
    lines += [
        f"  {outcome['count']:>5}: {outcome_text(outcome['verdict'], outcome['phase'], outcome['what'])}"
        for outcome in deployment["outcomes"]
    ]
    return lines
