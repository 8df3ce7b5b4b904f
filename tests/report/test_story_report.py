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
            "stopped_at": "download",
            "phase": "download",
            "status": "failed",
            "folder": str(FAILED_DOWNLOAD),
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


def report(folder: Path, output: str) -> str:
    result = invoke(
        ["diagnose", str(folder), "--format", output, "--fail-on", "none"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def story_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(at for at, line in enumerate(lines) if line.startswith("Deployments that did not succeed"))
    return lines[start : next(at for at in range(start + 2, len(lines)) if not lines[at])]


def test_text_shows_the_failed_story_phase_by_phase_in_80_columns() -> None:
    text = report(FAILED_DOWNLOAD, "text")
    section = story_section(text)
    assert section[0] == "Deployments that did not succeed: 1 of 1 story (all: smslogdoc story DIR)"
    assert section[2] == "client_install: client installation: failed at download (last succeeded: locate)"
    marked = [line for line in section if line.startswith(">")]
    assert marked == ["> FAILED      download: Manifest, prerequisites and client.msi downloaded"]
    after = section[section.index(marked[0]) + 1 :]
    assert after[0].strip() == "explained by: ccmsetup-download-bits-404-missing-file"
    assert any("Failed to download client files by BITS. Error 0x80190194" in line for line in after[:5])
    assert "  not reached registration: Registered and assigned" in section
    assert section[-1] == "  next log to read: ccmsetup.log"
    assert all(len(line) <= 80 for line in section)  # even with a wide terminal
    assert (
        "  story: client_install client installation failed at download" in text.splitlines()
    )  # the finding's link


def test_short_gives_a_story_one_line() -> None:
    lines = report(FAILED_DOWNLOAD, "short").splitlines()
    assert (
        "STORY    client_install: client installation: failed at download (last succeeded: locate); "
        "next: ccmsetup.log"
    ) in lines


def test_markdown_and_html_show_the_story_and_link_it_from_its_finding() -> None:
    markdown = report(FAILED_DOWNLOAD, "markdown")
    assert "## Deployments that did not succeed: 1 of 1 story" in markdown
    assert "\n> FAILED      download: Manifest, prerequisites and client.msi downloaded\n" in markdown
    assert "_story: client\\_install client installation failed at download_" in markdown
    html = report(FAILED_DOWNLOAD, "html")
    anchor = html.split('<section class="story" id="', 1)[1].split('"', 1)[0]
    assert f'<a href="#{anchor}">story: client_install client installation failed at download</a>' in html
    assert "<b>&gt; FAILED      download: Manifest, prerequisites and client.msi downloaded</b>" in html


def test_a_succeeded_story_is_not_shown_by_diagnose() -> None:
    folder = STORIES / "update" / "succeeded-kb3090265"
    assert [story["verdict"] for story in document(folder)["stories"]] == ["succeeded"]  # type: ignore[union-attr]
    for output in ("text", "short", "markdown", "html"):
        said = report(folder, output)
        assert "did not succeed" not in said and "STORY" not in said


def test_a_finding_of_another_phase_does_not_say_the_story_failed_there() -> None:
    """push-no-management-point's cause cites the records that start ccmsetup;
    the story fails at ccmsetup's exit: the link names both, never 'failed at bootstrap'."""
    text = report(SAMPLES / "push-no-management-point", "text")
    said = " ".join(text.split())  # wrapped to the width
    assert (
        "story: client_install client installation, failed at exit; this explains its phase bootstrap (unknown)"
        in said
    )
    assert "failed at bootstrap" not in text
