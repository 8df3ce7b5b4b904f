"""Stories in diagnose's report: the JSON document's `stories` key in the shape
docs/json.md states, the links between a finding and the phase it explains,
and `--redact` reaching the stories."""

from __future__ import annotations

import json
from pathlib import Path

from smslogdoc.stories import PHASE_STATUSES, VERDICTS
from tests.conftest import REPO, SAMPLES, invoke

STORIES = REPO / "tests" / "fixtures" / "stories"
FAILED_DOWNLOAD = STORIES / "client_install" / "failed-download-404-2020"
"""ccmsetup on a client whose download from the distribution point gets HTTP 404 (0x80190194)."""

STORY_KEYS = [
    "workflow",
    "subject",
    "keys",
    "verdict",
    "failed_phase",
    "last_succeeded_phase",
    "waiting_for",
    "phases",
    "next_logs",
]
"""The keys issue 20 gives a story, first and in this order."""


def document(folder: Path, *options: str) -> dict[str, object]:
    result = invoke(["diagnose", str(folder), "--format", "json", "--fail-on", "none", *options])
    assert result.exit_code == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert isinstance(loaded, dict)
    return loaded


def test_the_json_document_holds_the_story_in_the_issues_shape() -> None:
    stories = document(FAILED_DOWNLOAD)["stories"]
    assert isinstance(stories, list) and len(stories) == 1
    story = stories[0]
    assert list(story)[: len(STORY_KEYS)] == STORY_KEYS
    assert story["workflow"] == "client_install" and story["verdict"] in VERDICTS
    assert (story["verdict"], story["failed_phase"]) == ("failed", "download")
    assert story["last_succeeded_phase"] == "locate"
    for phase in story["phases"]:
        assert list(phase)[:3] == ["phase", "status", "evidence"] and phase["status"] in PHASE_STATUSES
        for record in phase["evidence"]:
            assert list(record) == ["path", "line", "time", "text"]
    download = next(phase for phase in story["phases"] if phase["phase"] == "download")
    assert any("0x80190194" in record["text"] for record in download["evidence"])


def test_a_finding_and_the_phase_it_explains_name_each_other() -> None:
    found = document(FAILED_DOWNLOAD)
    story = found["stories"][0]  # type: ignore[index]
    download = next(phase for phase in story["phases"] if phase["phase"] == "download")
    assert "ccmsetup-download-bits-404-missing-file" in download["findings"]
    assert "unexplained-errors" not in download["findings"]  # a summary explains no phase
    finding = next(f for f in found["findings"] if f["rule"] == "ccmsetup-download-bits-404-missing-file")  # type: ignore[attr-defined]
    assert finding["stories"] == [
        {
            "workflow": "client_install",
            "subject": "client installation",
            "verdict": "failed",
            "phase": "download",
        }
    ]


def test_a_folder_without_a_deployment_has_an_empty_stories_list() -> None:
    assert document(SAMPLES / "push-healthy")["stories"] == []  # client push, on the site server


def test_redact_reaches_the_stories() -> None:
    plain = json.dumps(document(FAILED_DOWNLOAD)["stories"])
    assert "server.dmz" in plain and "failed-download-404-2020" in plain
    redacted = document(FAILED_DOWNLOAD, "--redact")
    told = json.dumps(redacted["stories"])
    assert "server.dmz" not in told and "failed-download-404-2020" not in told
    assert "HOST-" in told and "0x80190194" in told  # names go, codes stay
    story = redacted["stories"][0]  # type: ignore[index]
    assert (story["workflow"], story["verdict"], story["failed_phase"]) == (
        "client_install",
        "failed",
        "download",
    )
