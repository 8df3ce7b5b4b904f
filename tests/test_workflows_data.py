"""The workflow research data (workflows/*.yaml) and the story fixtures
(tests/fixtures/stories/) keep their promises: every marker is grounded in the
real lines it quotes, and every fixture states its source and expected verdict.

This checks the data only; the story engine that reads it is tested elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import regex
import yaml

from tests.conftest import needs_real_logs, real_log

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / "workflows"
STORIES = REPO / "tests" / "fixtures" / "stories"
RULES = REPO / "rules"
KINDS = REPO / "smslogdoc" / "data" / "kinds.yaml"

WORKFLOW_IDS = {"application", "package", "update", "task_sequence", "client_install"}
VERDICTS = {"failed", "waiting", "succeeded", "stalled", "incomplete", "not_applicable"}
NEW_KINDS = {"cistatestore", "bdd"}
"""Log kinds the workflows use that kinds.yaml does not define yet (see docs/workflows-research.md)."""
PHASE_OUTCOMES = (
    "started",
    "succeeded",
    "failed",
    "waiting",
    "not_applicable",
    "skipped_if",
    "completes",
    "skipped",
    "evidence",
)


def _workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _events(doc: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    events = doc.get("events", {})
    assert isinstance(events, dict)
    return events


def _markers(phase: Mapping[str, Any]) -> Iterator[Any]:
    for outcome in PHASE_OUTCOMES:
        yield from phase.get(outcome, []) or []


def _marker_event(marker: Any) -> str | None:
    """The event a phase marker names (None for a `{rule: id}` marker)."""
    if isinstance(marker, str):
        return marker
    assert isinstance(marker, dict), marker
    if "rule" in marker:
        return None
    name = marker.get("event")
    assert isinstance(name, str), marker
    return name


def test_there_is_one_workflow_per_deployment_kind() -> None:
    assert {_load(path)["id"] for path in _workflows()} == WORKFLOW_IDS


@pytest.mark.parametrize("path", _workflows(), ids=lambda p: p.stem)
def test_workflow_has_its_parts(path: Path) -> None:
    doc = _load(path)
    assert doc["kind"] == "workflow"
    assert doc["id"] == path.stem
    for key in ("title", "applies_to", "keys", "subject", "events", "phases"):
        assert key in doc, f"{path.name}: no {key}"
    known = set(_load(KINDS)) | NEW_KINDS
    assert set(doc["applies_to"]) <= known, set(doc["applies_to"]) - known
    assert set(doc["subject"]) <= set(doc["keys"])


@pytest.mark.parametrize("path", _workflows(), ids=lambda p: p.stem)
def test_every_verified_event_quotes_real_lines_it_matches(path: Path) -> None:
    for name, event in _events(_load(path)).items():
        pattern = regex.compile(event["message"], regex.IGNORECASE)
        if event.get("unverified"):
            assert not event.get("seen"), f"{name}: unverified but quotes a line"
            assert event.get("reported"), f"{name}: say what is known of an unverified event"
            continue
        assert event.get("sources"), f"{name}: no source"
        if event.get("seen_partial"):
            assert pattern.search(event["reported"]), f"{name}: pattern misses the reported phrase"
            continue
        assert event.get("seen"), f"{name}: neither seen nor unverified"
        for line in event["seen"]:
            assert pattern.search(line), f"{name}: pattern misses its own line {line!r}"


@pytest.mark.parametrize("path", _workflows(), ids=lambda p: p.stem)
def test_phases_name_known_events_and_rules(path: Path) -> None:
    doc = _load(path)
    events = _events(doc)
    for link in doc.get("links", []):
        name = link if isinstance(link, str) else link["event"]
        assert name in events, f"link {name} is no event"
    phases = list(doc["phases"])
    if "steps" in doc:  # a task sequence's steps: one dynamic phase per step
        phases.append({"id": "steps", "next_log": "smsts.log", **doc["steps"]})
        child = doc["steps"]["child_story"]
        failed = [item if isinstance(item, str) else item["event"] for item in child.get("failed", [])]
        named = {child["status"], *child["opens"], *child["joins"], *child.get("succeeded", []), *failed}
        assert named <= set(events)
    for phase in phases:
        assert phase.get("next_log"), phase["id"]
        for marker in _markers(phase):
            name = _marker_event(marker)
            if name is None:
                assert (RULES / f"{marker['rule']}.yaml").is_file(), marker
                continue
            assert name in events, f"{phase['id']}: {name} is no event"
            until = marker.get("until") if isinstance(marker, dict) else None
            if until:
                assert f"?P<{until}>" in events[name]["message"], f"{name}: no group {until}"


def _fixture_dirs() -> list[Path]:
    return sorted(path.parent for path in STORIES.glob("*/*/SOURCE.md"))


def _front_matter(source: Path) -> dict[str, Any]:
    text = source.read_text(encoding="utf-8")
    assert text.startswith("---\n"), source
    head = text.split("---\n", 2)[1]
    data = yaml.safe_load(head)
    assert isinstance(data, dict), source
    return data


def test_there_are_stories_of_every_outcome_for_every_workflow() -> None:
    seen: dict[str, set[str]] = {}
    for folder in _fixture_dirs():
        meta = _front_matter(folder / "SOURCE.md")
        seen.setdefault(meta["workflow"], set()).add(meta["verdict"])
    assert set(seen) == WORKFLOW_IDS
    for workflow, verdicts in seen.items():
        assert {"failed", "waiting"} <= verdicts, (workflow, verdicts)


@pytest.mark.parametrize("folder", _fixture_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_story_fixture_states_source_and_verdict(folder: Path) -> None:
    meta = _front_matter(folder / "SOURCE.md")
    assert meta["workflow"] == folder.parent.name
    assert meta["verdict"] in VERDICTS
    assert meta.get("sources"), folder
    if meta["verdict"] == "failed":
        assert meta.get("failed_phase"), folder
    if meta["verdict"] == "waiting":
        assert meta.get("waiting_for"), folder
    logs = [path for path in folder.iterdir() if path.name != "SOURCE.md"]
    assert logs, f"{folder}: no log"
    for log in logs:
        assert log.read_bytes().strip(), f"{log}: empty"


# Key lines REAL_LOGS.md cites, checked against the real logs in place (never copied).
REAL_LOG_CLAIMS = [
    ("findingsanity-Logs__UpdatesDeployment.log", 5, "No current service window available"),
    ("findingsanity-Logs__UpdatesDeployment.log", 22, "failed to get targeted update, error = 0x87d00215"),
    ("findingsanity-Logs__UpdatesDeployment.log", 54, "ASSIGNMENT_EVALUATE_SUCCESS"),
    ("findingsanity-Logs__UpdatesDeployment.log", 55, "IsCompliant = True"),
    ("findingsanity-Logs__UpdatesDeployment.log", 88, "received activation trigger"),
    ("findingsanity-Logs__UpdatesStore.log", 174, "Status=Installed"),
    ("brackdk04-hello-world__smsts.log", 28, "non SMS, standalone mode"),
    ("brackdk04-hello-world__smsts.log", 307, "Failed to create D:\\_SMSTaskSequence (3)"),
    ("brackdk04-hello-world__smsts.log", 873, "SMSTSRebootRequested=WinPE"),
    ("brackdk04-hello-world__smsts.log", 876, "Successfully completed the action (Restart computer)"),
    ("maxmoonACR-MDTLOGFiles__smsts.log", 59, "Failed to save the current environment block"),
    ("maxmoonACR-MDTLOGFiles__smsts.log", 893, "SMSTSRebootRequested=WinPE"),
    ("maxmoonACR-MDTLOGFiles__smsts.log", 896, "Successfully completed the action (Restart computer)"),
    (
        "ErnestoLeon87-log_reader__smsts.log",
        2041,
        "Successfully completed the action (Modern Driver Management)",
    ),
    ("ErnestoLeon87-log_reader__smsts.log", 2265, "requested a retry"),
    ("ErnestoLeon87-log_reader__smsts.log", 2344, "Process completed with exit code 0"),
    ("ErnestoLeon87-log_reader__smsts.log", 2471, "Instruction pointer: 33"),
    ("ErnestoLeon87-log_reader__smsts.log", 2504, "Successfully completed the action (Setup Windows"),
    ("ErnestoLeon87-log_reader__smsts.log", 2910, "Execution status received: 1"),
    ("ErnestoLeon87-log_reader__smsts.log", 5109, "Successfully completed the action (AD Brand)"),
    ("ErnestoLeon87-log_reader__smsts.log", 5997, "successfully completed the execution"),
    ("ErnestoLeon87-log_reader__smsts.log", 6000, "Execution engine result code: Success (0)"),
    ("ErnestoLeon87-log_reader__smsts.log", 6057, "Task sequence completed 0x00000000"),
]


@needs_real_logs
@pytest.mark.parametrize(("name", "line", "text"), REAL_LOG_CLAIMS, ids=lambda v: str(v)[:40])
def test_real_logs_story_notes_cite_the_right_lines(name: str, line: int, text: str) -> None:
    lines = real_log(name).read_bytes().decode("utf-8-sig", errors="replace").split("\n")
    assert text in lines[line - 1]
