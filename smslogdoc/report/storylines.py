"""Stories in words, for every diagnose writer (text, short, Markdown, HTML)
and `smslogdoc story`: the verdict in one line, one line per phase with the
failing or waiting one marked, its evidence and the next log to read. Plain
strings of at most `WIDTH` columns (log text cut with an ellipsis); each
writer styles them and keeps log text inert its own way."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from smslogdoc.report.storydoc import ChildStoryDoc, StoryDoc, StoryLinkDoc, StoryPhaseDoc
from smslogdoc.report.terminal import visible
from smslogdoc.report.wording import count, human_time

WIDTH = 80
"""The columns a story's lines fit in."""

EVIDENCE_SHOWN = 2
"""Records shown under the marked phase (its latest)."""

STATUS_WORDS = {
    "succeeded": "ok",
    "failed": "FAILED",
    "waiting": "WAITING",
    "skipped": "skipped",
    "not_reached": "not reached",
    "unknown": "unknown",
}
"""A phase's status as its line shows it (the marked one in capitals)."""

TIME_COLUMN = 20
"""Columns of a phase's time in a timeline (`2014-10-14 13:58:23 `)."""

_STATUS_COLUMN = max(len(word) for word in STATUS_WORDS.values()) + 1


@dataclass(frozen=True)
class Line:
    """One line of a story: its text and what it is (for the writer's style)."""

    text: str
    kind: str
    """heading, phase, marked (the failing or waiting phase), child (a story the phase holds),
    detail, log (log text), next."""


def not_succeeded(stories: Sequence[StoryDoc]) -> list[StoryDoc]:
    """The stories diagnose shows: those that did not succeed."""
    return [story for story in stories if story["verdict"] != "succeeded"]


def verdict_text(story: StoryDoc) -> str:
    """`failed at download (last succeeded: locate)`, `waiting: installed; waiting for a restart`."""
    verdict = story["verdict"]
    if verdict == "failed":
        done = story["last_succeeded_phase"]
        return f"failed at {story['failed_phase']}" + (f" (last succeeded: {done})" if done else "")
    if verdict == "waiting":
        said = f"waiting: {story['waiting_for']}" if story["waiting_for"] else "waiting"
        return said + (f" (until {story['until']})" if story["until"] else "")
    if verdict == "stalled":
        return "stalled: the chain stopped with no error while the logs went on"
    if verdict == "incomplete":
        return "incomplete: the logs end before the chain does"
    return verdict.replace("_", " ")


def heading(story: StoryDoc, *, folder: bool = False) -> str:
    """`application: deployment type 7-Zip (...): failed at download`, after
    the folder's name with `folder` (a report of several machines)."""
    where = story["folder"].replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] + ": " if folder else ""
    return f"{where}{story['workflow']}: {story['subject']}: {verdict_text(story)}"


def several_folders(stories: Sequence[StoryDoc]) -> bool:
    return len({story["folder"] for story in stories}) > 1


def link_text(link: StoryLinkDoc) -> str:
    """How a finding names the story it explains:
    `story: client_install client installation failed at download`, or, when
    the finding explains another phase than the one the story stopped at,
    `story: client_install client installation, waiting at download; this explains its phase service (failed)`."""
    verdict = link["verdict"].replace("_", " ")
    named = f"story: {link['workflow']} {link['subject']}"
    if link["phase"] == link["stopped_at"]:
        return f"{named} {verdict} at {link['phase']}"
    stopped = f" at {link['stopped_at']}" if link["stopped_at"] else ""
    status = STATUS_WORDS.get(link["status"], link["status"]).lower()
    return f"{named}, {verdict}{stopped}; this explains its phase {link['phase']} ({status})"


def marked_phase(story: StoryDoc) -> str | None:
    """The phase the story stopped at: the failed one, or the latest that waits."""
    if story["verdict"] == "failed":
        return story["failed_phase"]
    waiting = [phase["phase"] for phase in story["phases"] if phase["status"] == "waiting"]
    return waiting[-1] if waiting else None


def section_title(shown: int, total: int) -> str:
    """`Deployments that did not succeed: 2 of 5 stories (all of them: smslogdoc story DIR)`."""
    return f"Deployments that did not succeed: {shown} of {count(total, 'story', 'stories')} (all: smslogdoc story DIR)"


def one_line(story: StoryDoc, *, folder: bool = False) -> str:
    """A story in one line (`--format short`), never cut."""
    said = f"STORY    {visible(heading(story, folder=folder))}"
    return said + (f"; next: {visible(', '.join(story['next_logs']))}" if story["next_logs"] else "")


def story_lines(
    story: StoryDoc, width: int = WIDTH, *, folder: bool = False, timeline: bool = False
) -> list[Line]:
    """A story as lines: its heading, one line per phase (the marked one with
    its reason, the findings that explain it and its latest records), its note
    and the logs to read next. With `timeline`, each phase line begins with
    the time of its latest record (`smslogdoc story`)."""
    wrapped = textwrap.wrap(
        visible(heading(story, folder=folder)), width, subsequent_indent="    ", break_on_hyphens=False
    )
    lines = [Line(cut(text, width), "heading") for text in wrapped]
    parent = story.get("parent")
    if parent:
        said = f"  part of: {parent['workflow']} {parent['subject']}, its phase {parent['phase']}"
        lines.append(Line(cut(said, width), "detail"))
    marked = marked_phase(story)
    indent = " " * (4 if timeline else 2 + _STATUS_COLUMN)  # a timeline's phase lines are wide already
    for phase in story["phases"]:
        stamp = f"{_latest_time(phase):<{TIME_COLUMN}}" if timeline else ""
        lines.append(_phase_line(phase, phase["phase"] == marked, width, stamp))
        for child in phase.get("child_stories", []):
            lines.append(Line(cut(f"{indent}-> {child_text(child)}", width), "child"))
        if phase["phase"] == marked:
            lines.extend(_marked_details(phase, width, timeline))
    if story["note"]:
        lines.append(Line(cut(f"  note: {story['note']}", width), "detail"))
    if story["next_logs"]:
        lines.append(Line(cut(f"  next log to read: {', '.join(story['next_logs'])}", width), "next"))
    return lines


def child_text(child: ChildStoryDoc) -> str:
    """`application 'Firefox 60.7.2 ESR': failed at enforce (0x87D00324)`: a story a phase holds."""
    verdict = child["verdict"]
    if verdict == "failed":
        said = "failed" + (f" at {child['failed_phase']}" if child["failed_phase"] else "")
        said += (
            f" ({child['code']})" if child["code"] else (f": {child['reason']}" if child["reason"] else "")
        )
    elif verdict == "waiting":
        said = f"waiting: {child['waiting_for']}" if child["waiting_for"] else "waiting"
    else:
        said = verdict.replace("_", " ")
    named = f"'{child['name']}'" if child["name"] else "(not named in the log)"
    return f"{child['workflow']} {named}: {said}"


def _latest_time(phase: StoryPhaseDoc) -> str:
    """`2014-10-14 13:58:23`: the time of the phase's latest record with one."""
    times = [record["time"] for record in phase["evidence"] if record["time"]]
    return human_time(times[-1])[:19] if times else ""


def _phase_line(phase: StoryPhaseDoc, marked: bool, width: int, stamp: str = "") -> Line:
    word = STATUS_WORDS.get(phase["status"], phase["status"])
    title = phase["title"] if phase["title"] == phase["phase"] else f"{phase['phase']}: {phase['title']}"
    text = f"{'>' if marked else ' '} {stamp}{word if marked else word.lower():<{_STATUS_COLUMN}}{title}"
    return Line(cut(text, width), "marked" if marked else "phase")


def _marked_details(phase: StoryPhaseDoc, width: int, timeline: bool = False) -> Iterator[Line]:
    indent = " " * (4 if timeline else 2 + _STATUS_COLUMN)
    if phase["reason"] and not any(child["verdict"] == "failed" for child in phase.get("child_stories", [])):
        yield Line(
            cut(f"{indent}{phase['reason']}", width), "detail"
        )  # else the failed child's line says why
    if phase["findings"]:
        yield Line(cut(f"{indent}explained by: {', '.join(phase['findings'])}", width), "detail")
    for record in phase["evidence"][-EVIDENCE_SHOWN:]:
        name = record["path"].replace("\\", "/").rsplit("/", 1)[-1]
        when = f" · {human_time(record['time'])}" if record["time"] else ""
        yield Line(cut(f"{indent}{name}:{record['line']}{when}", width), "detail")
        text = " ".join(record["text"].split())
        yield Line(cut(f"{indent}  {text}", width), "log")


def cut(text: str, width: int) -> str:
    """`text` (control characters made visible) in at most `width` columns, an
    ellipsis where it was cut."""
    text = visible(text)
    return text if len(text) <= width else text[: width - 1] + "…"
