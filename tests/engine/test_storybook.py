"""The story engine on events made in Python: keys and links, phases and
their latest records, and each verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smslogdoc.engine.storybook import StoryBook
from smslogdoc.engine.storycontext import Cited
from smslogdoc.model import Event, Severity
from smslogdoc.rules.model import LogScope
from smslogdoc.rules.workflowschema import parse_workflow
from smslogdoc.stories import Mark

APP = r"""
kind: workflow
id: application
title: Application deployment
applies_to: ['*.log']
keys:
  dt: {normalize: [lower]}
  rev: {}
  content: {normalize: [lower, strip_version]}
  ctm: {normalize: [strip_braces, upper]}
subject: [dt, rev]
label: 'deployment type {name} (revision {rev})'
by_thread: true
events:
  enforce_start: {message: 'Starting Install enforcement for App DT "(?P<name>[^"]*)" ApplicationDeliveryType - (?P<dt>\S+), Revision - (?P<rev>\d+), ContentPath - (?P<cache>[^,]+),'}
  exit_success: {message: '^Matched exit code (?P<exit>\d+) to a Success entry'}
  exit_reboot: {message: '^Matched exit code (?P<exit>\d+) to a (?:Soft|Hard)Reboot entry'}
  exit_unmatched: {message: '^Unmatched exit code \((?P<exit>-?\d+)\) is considered an execution failure'}
  discovered: {message: '\+\+\+ Discovered application \[AppDT Id: (?P<dt>\S+), Revision: (?P<rev>\d+)\]'}
  not_discovered: {message: '\+\+\+ Application not discovered\. \[AppDT Id: (?P<dt>\S+), Revision: (?P<rev>\d+)\]'}
  dl_start: {message: 'Initiating task ContentDownload for CI (?P<dt>\S+?)\.(?P<rev>\d+) .*content (?P<content>Content_[\w-]+\.\d+)'}
  ctm_submitted: {message: 'Submitted CTM job (?P<ctm>\{[\w-]+\}) to download Content (?P<content>Content_[\w-]+\.\d+)'}
  dl_waiting: {message: 'CTM job (?P<ctm>\{[\w-]+\}) is waiting for (?P<what>[\w ]+)'}
  dl_done: {message: 'CTM job (?P<ctm>\{[\w-]+\}) successfully processed download completion'}
links: [dl_start, ctm_submitted]
phases:
  - id: download
    next_log: ContentTransferManager.log
    started: [dl_start, ctm_submitted]
    succeeded: [dl_done]
    waiting: [{event: dl_waiting, reason: 'waiting for {what}'}]
  - id: enforce
    next_log: AppEnforce.log
    started: [enforce_start]
    succeeded: [exit_success]
    failed: [exit_unmatched, {rule: appenforce-some-rule}]
    waiting: [{event: exit_reboot, reason: 'exit code {exit} asks for a restart'}]
  - id: detect_after
    next_log: AppEnforce.log
    succeeded: [discovered]
    failed: [not_discovered]
"""

DT = "ScopeId_1/DeploymentType_2"
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def workflow(text: str = APP):  # type: ignore[no-untyped-def]
    found, errors = parse_workflow(text, "<test>")
    assert not errors, [str(error) for error in errors]
    assert found is not None
    return found


def events(path: str, lines: list[tuple[int, str]], thread: int = 1) -> list[Event]:
    """Events of one log: (minutes after T0, message)."""
    return [
        Event(
            path,
            number,
            number,
            T0 + timedelta(minutes=minutes),
            "comp",
            Severity.INFO,
            thread,
            text,
            "cmtrace",
        )
        for number, (minutes, text) in enumerate(lines, 1)
    ]


def run(logs: dict[str, list[Event]], *, cited: list[Cited] | None = None):  # type: ignore[no-untyped-def]
    book = StoryBook([workflow()])
    for number, (path, items) in enumerate(logs.items()):
        for _ in book.watch(items, LogScope(None, path), path, "WKS01", number):
            pass
    return book.finish({"WKS01": cited or []})


def enforce(minutes: int, rev: int = 2) -> tuple[int, str]:
    return (
        minutes,
        f'+++ Starting Install enforcement for App DT "7-Zip" ApplicationDeliveryType - {DT}, Revision - {rev}, ContentPath - C:\\WINDOWS\\ccmcache\\2, Execution Context - System',
    )


def test_a_failed_enforcement_fails_the_story_at_enforce_after_the_download() -> None:
    stories = run(
        {
            "CAS.log": events(
                "CAS.log",
                [
                    (0, f"Initiating task ContentDownload for CI {DT}.2 (7-Zip) content Content_ab-cd.1"),
                    (1, "Submitted CTM job {11-22} to download Content Content_ab-cd.1 under context System"),
                ],
            ),
            "ContentTransferManager.log": events(
                "ContentTransferManager.log",
                [(5, "CTM job {11-22} successfully processed download completion.")],
            ),
            "AppEnforce.log": events(
                "AppEnforce.log",
                [enforce(10), (11, "Unmatched exit code (1603) is considered an execution failure.")],
            ),
        }
    )
    assert len(stories) == 1
    story = stories[0]
    assert (story.verdict, story.failed_phase, story.last_succeeded_phase) == (
        "failed",
        "enforce",
        "download",
    )
    assert story.subject == "deployment type 7-Zip (revision 2)"
    assert story.keys["content"] == ["content_ab-cd"] and story.keys["ctm"] == ["11-22"]
    assert [phase.status for phase in story.phases] == ["succeeded", "failed", "not_reached"]
    assert story.phase("enforce").evidence[-1].line == 2  # type: ignore[union-attr]
    assert story.next_logs == ["AppEnforce.log"]


def test_a_retry_that_worked_succeeds_and_says_it_recovered() -> None:
    stories = run(
        {
            "AppEnforce.log": events(
                "AppEnforce.log",
                [
                    enforce(0),
                    (1, "Unmatched exit code (1618) is considered an execution failure."),
                    enforce(30),
                    (31, "Matched exit code 0 to a Success entry in exit codes table."),
                    (31, f"+++ Discovered application [AppDT Id: {DT}, Revision: 2]"),
                ],
            )
        }
    )
    story = stories[0]
    assert story.verdict == "succeeded"
    enforce_phase = story.phase("enforce")
    assert enforce_phase is not None and enforce_phase.status == "succeeded" and enforce_phase.recovered
    assert story.phase("download").status == "unknown"  # type: ignore[union-attr]


def test_a_wait_names_its_reason() -> None:
    stories = run(
        {
            "AppEnforce.log": events(
                "AppEnforce.log",
                [enforce(0), (1, "Matched exit code 3010 to a SoftReboot entry in exit codes table.")],
            )
        }
    )
    story = stories[0]
    assert (story.verdict, story.waiting_for) == ("waiting", "exit code 3010 asks for a restart")


def test_the_chain_stopping_is_incomplete_or_stalled_by_how_long_the_logs_go_on() -> None:
    short = run({"AppEnforce.log": events("AppEnforce.log", [enforce(0), (5, "something else")])})
    assert short[0].verdict == "incomplete"
    assert short[0].next_logs == [
        "AppEnforce.log",
        "collect ContentTransferManager.log",
    ]  # where it stopped, then the gap
    long = run({"AppEnforce.log": events("AppEnforce.log", [enforce(0), (600, "something else much later")])})
    assert long[0].verdict == "stalled"


def test_two_revisions_are_two_stories_and_records_without_keys_follow_their_thread() -> None:
    log = events("AppEnforce.log", [enforce(0, rev=2)], thread=1) + events(
        "AppEnforce.log", [enforce(1, rev=3)], thread=2
    )
    log += events(
        "AppEnforce.log", [(2, "Unmatched exit code (1603) is considered an execution failure.")], thread=1
    )
    log += events(
        "AppEnforce.log", [(3, "Matched exit code 0 to a Success entry in exit codes table.")], thread=2
    )
    stories = {story.keys["rev"][0]: story for story in run({"AppEnforce.log": log})}
    assert stories["2"].verdict == "failed" and stories["3"].phase("enforce").status == "succeeded"  # type: ignore[union-attr]


def test_a_finding_of_a_named_rule_marks_its_phase_failed_and_is_linked() -> None:
    finding = Cited(
        "appenforce-some-rule",
        (Mark("AppEnforce.log", 2, 2, T0 + timedelta(minutes=1), "Something bad", "failed", "x"),),
    )
    stories = run(
        {"AppEnforce.log": events("AppEnforce.log", [enforce(0), (1, "Something bad")])}, cited=[finding]
    )
    assert stories[0].verdict == "failed" and stories[0].findings == ["appenforce-some-rule"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (APP.replace("subject: [dt, rev]", "subject: [dt, nope]"), "undefined key 'nope'"),
        (APP.replace("succeeded: [dl_done]", "succeeded: [dl_gone]"), "undefined event 'dl_gone'"),
        (
            APP.replace("reason: 'waiting for {what}'", "reason: 'waiting for {who}'"),
            "unknown placeholder {who}",
        ),
        (
            APP.replace("links: [dl_start, ctm_submitted]", "links: [exit_success]"),
            "a link must capture two keys",
        ),
    ],
)
def test_a_workflow_with_mistakes_says_where(text: str, message: str) -> None:
    found, errors = parse_workflow(text, "<test>")
    assert found is None and any(message in str(error) for error in errors), [str(e) for e in errors]


def test_next_logs_name_each_log_once_even_when_a_phase_names_several() -> None:
    from smslogdoc.engine.verdict import _logs

    shown = _logs(
        [
            "AppEnforce.log",
            "AppEnforce.log, AppDiscovery.log",
            r"smsts.log (X:\Windows\Temp\SMSTSLog in WinPE, C:\_SMSTaskSequence\Logs during the run)",
            "smsts.log",
            "collect CAS.log",
        ]
    )
    assert shown == [
        "AppEnforce.log",
        "AppDiscovery.log",
        r"smsts.log (X:\Windows\Temp\SMSTSLog in WinPE, C:\_SMSTaskSequence\Logs during the run)",
        "collect CAS.log",
    ]
