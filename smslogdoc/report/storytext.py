"""`smslogdoc story`: every story of the logs, succeeded ones too, as a
timeline (text: `storylines` with each phase's time; json: the stories as
diagnose's document holds them, docs/json.md)."""

from __future__ import annotations

import json
from typing import TextIO, TypedDict

from rich.text import Text

from smslogdoc.diagnose import Outcome
from smslogdoc.report.document import JSON_VERSION
from smslogdoc.report.storydoc import StoryDoc, story_docs
from smslogdoc.report.storylines import several_folders, story_lines
from smslogdoc.report.terminal import console_for, log_name
from smslogdoc.report.wording import count

FORMATS = ("text", "json")
"""`story --format` choices."""

_STYLE = {"heading": "bold", "marked": "bold red", "detail": "dim", "next": "cyan"}


class StoriesDoc(TypedDict):
    """`story --format json`."""

    version: int
    stories: list[StoryDoc]


def stories_document(outcome: Outcome) -> StoriesDoc:
    return {"version": JSON_VERSION, "stories": story_docs(outcome.stories)}


def write(document: StoriesDoc, out: TextIO, form: str) -> None:
    """The stories in `form` (`FORMATS`)."""
    if form == "json":
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    console = console_for(out)
    stories = document["stories"]
    folder = several_folders(stories)
    for story in stories:
        for line in story_lines(story, folder=folder, timeline=True):
            console.print(log_name(line.text, _STYLE.get(line.kind, "")), soft_wrap=True)
        console.print()
    verdicts = [story["verdict"] for story in stories]
    said = ", ".join(f"{verdicts.count(v)} {v.replace('_', ' ')}" for v in dict.fromkeys(verdicts))
    console.print(
        Text(count(len(stories), "story", "stories") + (f" ({said})" if said else ""), style="bold")
    )
