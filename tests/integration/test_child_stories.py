"""An Install Application step holds its application's child story
(workflows/task_sequence.yaml, `steps.child_story`): joined to the
application's own story of the folder when one is there (the step and the
story name each other), else told from smsts.log's own records; a failed child
explains a failed step. On real text: the fixtures of tests/fixtures/stories
and the real task sequence of ../shared/real-logs."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from smslogdoc.report.htmlstories import stories_html
from smslogdoc.report.storydoc import outcome_doc, story_doc
from smslogdoc.report.storylines import story_lines
from smslogdoc.stories import Story
from tests.conftest import invoke
from tests.integration.test_stories import FIXTURES, real, stories_of

TS = FIXTURES / "task_sequence"
FAILED_CHILD = TS / "failed-install-application-child-download-405"
SUCCEEDED_CHILD = TS / "succeeded-install-application-step-kb18408"
TOLD_BY_STEP = TS / "failed-install-application-mp-not-found"
STEPS_AROUND = ("offer", "engine_start", "engine_end")


def one(stories: list[Story], workflow: str) -> Story:
    (story,) = [story for story in stories if story.workflow == workflow]
    return story


def test_a_failed_child_application_fails_its_step_and_each_names_the_other() -> None:
    stories = stories_of(FAILED_CHILD)
    sequence, application = one(stories, "task_sequence"), one(stories, "application")
    assert (application.verdict, application.failed_phase) == ("failed", "transfer")
    assert sequence.verdict == "failed" and sequence.failed_phase not in STEPS_AROUND
    step = sequence.phase(str(sequence.failed_phase))
    assert step is not None and step.status == "failed"
    (child,) = step.children
    assert (child.workflow, child.name, child.verdict, child.failed_phase) == (
        "application",
        "APP NAME HERE",
        "failed",
        "transfer",
    )
    assert child.code == "0x87D0027E"  # the application's own failure, not the step's generic 0x80004005
    assert child.story and child.subject == application.subject and child.joined_by == "folder"
    assert child.reason == "Application download failed (execution status 24)"
    assert step.reason == "application 'APP NAME HERE' failed at transfer (0x87D0027E)"
    assert application.parent is not None
    assert (application.parent.workflow, application.parent.subject, application.parent.phase) == (
        "task_sequence",
        sequence.subject,
        step.phase,
    )


def test_fleet_counts_a_failed_step_by_its_childs_code() -> None:
    sequence = one(stories_of(FAILED_CHILD), "task_sequence")
    assert outcome_doc(sequence)["what"] == "0x87D0027E"  # not the step's generic 0x80004005


def test_the_json_document_names_the_child_on_the_step_and_the_parent_on_the_child() -> None:
    stories = [story_doc(story) for story in stories_of(FAILED_CHILD)]
    sequence = next(story for story in stories if story["workflow"] == "task_sequence")
    application = next(story for story in stories if story["workflow"] == "application")
    held = [phase for phase in sequence["phases"] if "child_stories" in phase]
    assert len(held) == 1 and held[0]["phase"] == sequence["failed_phase"]
    assert held[0]["child_stories"] == [
        {
            "workflow": "application",
            "name": "APP NAME HERE",
            "subject": application["subject"],
            "keys": application["keys"],
            "verdict": "failed",
            "failed_phase": "transfer",
            "waiting_for": None,
            "reason": "Application download failed (execution status 24)",
            "code": "0x87D0027E",
            "story": True,
            "joined_by": "folder",
        }
    ]
    assert application["parent"] == {
        "workflow": "task_sequence",
        "subject": sequence["subject"],
        "phase": held[0]["phase"],
    }
    assert "parent" not in sequence and all(
        "child_stories" not in phase for phase in application["phases"]
    )  # only where there is one


def test_a_succeeded_child_is_joined_by_the_deployment_type_the_step_names() -> None:
    stories = stories_of(SUCCEEDED_CHILD)
    sequence, application = one(stories, "task_sequence"), one(stories, "application")
    step = sequence.phase("Install Application")
    assert step is not None and step.status == "succeeded"
    (child,) = step.children
    assert (child.verdict, child.story, child.joined_by) == ("succeeded", True, "dt and rev")
    assert child.subject == application.subject and application.verdict == "succeeded"
    assert child.reason == "Application is installed successfully (execution status 1)"
    assert application.parent is not None and application.parent.phase == "Install Application"
    assert sequence.verdict == "incomplete"  # one step of the sequence only: not failed


def test_a_child_whose_logs_are_not_in_the_folder_is_told_by_the_step() -> None:
    (sequence,) = stories_of(TOLD_BY_STEP)
    step = sequence.phase(str(sequence.failed_phase))
    assert sequence.verdict == "failed" and step is not None
    (child,) = step.children
    assert (child.verdict, child.failed_phase, child.code) == ("failed", "policy", "0x87D00269")
    assert not child.story and child.joined_by == "" and child.name == ""
    assert "DCMAgent.log" in sequence.next_logs  # the failure is the application's: read its logs


def test_the_real_task_sequence_holds_six_applications_that_succeeded(tmp_path: Path) -> None:
    (tmp_path / "smsts.log").write_bytes(real("ErnestoLeon87-log_reader__smsts.log").read_bytes())
    (sequence,) = stories_of(tmp_path)  # no application logs were collected: no story of their own
    assert sequence.verdict == "succeeded"
    assert not [phase.phase for phase in sequence.phases if phase.status == "failed"]
    held = {phase.phase: phase.children for phase in sequence.phases if phase.children}
    assert {step: [(c.name, c.verdict, c.story) for c in children] for step, children in held.items()} == {
        "Install Microsoft Teams App": [("Teams Machine-Wide Installer 32-Bit", "succeeded", False)],
        "Install Dropbox Enterprise 71.4.108": [("Dropbox Enterprise 71.4.108", "succeeded", False)],
        "Install Google Chrome v75": [("Google Chrome 64-bit (v75)", "succeeded", False)],
        "Install Java 8 Update 121": [("Oracle Java 8 Update 121", "succeeded", False)],
        "Install Adobe Reader DC": [("Acrobat Reader DC - 2018", "succeeded", False)],
        "Install Mozilla Firefox ESR 60.7.2": [("Firefox 60.7.2 ESR", "succeeded", False)],
    }
    teams = held["Install Microsoft Teams App"][0]
    assert teams.keys["dt"] == [
        "scopeid_ecf50a6b-b4a7-47fe-9358-a30ceb12c18e/deploymenttype_ff2c4964-92dc-4c26-90d3-3b05fa0cea34"
    ]
    assert teams.keys["dcm_job"] == [
        "3B7DF247-F9A3-4CB8-BF86-31275C990220",
        "654EF5A6-D34E-423E-B3B8-B54D544BE6B9",
    ]


def test_text_markdown_and_html_show_the_child_under_its_step() -> None:
    line = "-> application 'APP NAME HERE': failed at transfer (0x87D0027E)"
    for output in ("text", "markdown", "html"):
        result = invoke(["diagnose", str(FAILED_CHILD), "--format", output, "--fail-on", "none"])
        lines = html.unescape(result.stdout).splitlines()
        at = next(index for index, said in enumerate(lines) if said.strip() == line)
        assert "FAILED" in lines[at - 1] and "(a step the log does not name)" in lines[at - 1], output
        assert any("part of: task_sequence" in said for said in lines), output  # and the child names its step
    told = invoke(["story", str(FAILED_CHILD)]).stdout
    assert f"    {line}" in told.splitlines()


def test_a_child_named_in_the_log_is_inert_in_every_writer() -> None:
    stories = [story_doc(story) for story in stories_of(FAILED_CHILD)]
    sequence: Any = next(story for story in stories if story["workflow"] == "task_sequence")
    held = next(phase for phase in sequence["phases"] if "child_stories" in phase)
    held["child_stories"][0]["name"] = "<img src=x onerror=alert(1)>\x1b[31m"
    text = [line.text for line in story_lines(sequence)]
    assert any("-> application '<img src=x onerror=alert(1)>" in said and "\x1b" not in said for said in text)
    written = stories_html([sequence])
    assert "<img" not in written and "&lt;img src=x onerror=alert(1)&gt;" in written


def test_redact_reaches_the_child_stories() -> None:
    plain = invoke(["diagnose", str(FAILED_CHILD), "--format", "json", "--fail-on", "none"]).stdout
    assert "DP.Contoso.com" in plain
    result = invoke(["diagnose", str(FAILED_CHILD), "--format", "json", "--fail-on", "none", "--redact"])
    assert "DP.Contoso.com" not in result.stdout and "failed-install-application-child" not in result.stdout
    stories = json.loads(result.stdout)["stories"]
    sequence = next(story for story in stories if story["workflow"] == "task_sequence")
    (child,) = next(phase["child_stories"] for phase in sequence["phases"] if "child_stories" in phase)
    assert (child["verdict"], child["code"], child["joined_by"]) == ("failed", "0x87D0027E", "folder")
