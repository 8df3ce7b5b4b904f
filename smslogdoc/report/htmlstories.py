"""Stories in the HTML report: those that did not succeed, each a heading and
its phase lines (`storylines`) in a `<pre>`, the failing or waiting phase in
bold; a finding links to the story whose phase it explains. All text escaped
(`htmlparts.esc`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, cast

from smslogdoc.report.fleetstories import SHOWN_NAMES, deployment_lines
from smslogdoc.report.htmltext import esc
from smslogdoc.report.storydoc import DeploymentDoc, StoryDoc, StoryLinkDoc
from smslogdoc.report.storylines import (
    heading,
    link_text,
    not_succeeded,
    section_title,
    several_folders,
    story_lines,
)


def story_anchor(story: Mapping[str, Any]) -> str:
    """The id of a story's section, from its folder, workflow and subject."""
    named = "\x1f".join(str(story.get(key)) for key in ("folder", "workflow", "subject"))
    digest = hashlib.sha1(named.encode()).hexdigest()[:12]
    return f"story-{digest}"


def stories_html(stories: Sequence[Mapping[str, Any]]) -> str:
    """The section of the stories that did not succeed ('' when none)."""
    every = [cast("StoryDoc", story) for story in stories if isinstance(story, Mapping)]
    told = not_succeeded(every)
    if not told:
        return ""
    parts = [f'<h2 id="stories">{esc(section_title(len(told), len(every)))}</h2>\n']
    folder = several_folders(every)
    for story in told:
        parts.append(f'<section class="story" id="{story_anchor(story)}">')
        parts.append(f"<h3>{esc(heading(story, folder=folder))}</h3><pre>")
        for line in story_lines(story):
            if line.kind == "heading":
                continue
            text = esc(line.text)
            parts.append(f"<b>{text}</b>\n" if line.kind == "marked" else f"{text}\n")
        parts.append("</pre></section>\n")
    return "".join(parts)


def story_links_html(finding: Mapping[str, Any]) -> str:
    """The stories a finding explains, each a link to its section when shown."""
    parts = []
    for link in finding.get("stories") or []:
        if not isinstance(link, Mapping):
            continue
        said = esc(link_text(cast("StoryLinkDoc", link)))
        if link.get("verdict") != "succeeded":
            said = f'<a href="#{story_anchor(link)}">{said}</a>'
        parts.append(f'<p class="meta">{said}</p>')
    return "".join(parts)


def deployments_html(deployments: Sequence[Mapping[str, Any]]) -> str:
    """The fleet's deployments, each with how many machines stopped where ('' when none)."""
    told = [cast("DeploymentDoc", item) for item in deployments if isinstance(item, Mapping)]
    if not told:
        return ""
    parts = ['<h2 id="deployments">Deployments, by where their machines stopped</h2>\n']
    for deployment in told:
        head, *outcomes = deployment_lines(deployment)
        parts.append(f'<section class="deployment"><h3>{esc(head)}</h3><ul>')
        for line, outcome in zip(outcomes, deployment["outcomes"], strict=True):
            names = ", ".join(outcome["machines"][:SHOWN_NAMES])
            more = (
                f" and {len(outcome['machines']) - SHOWN_NAMES} more"
                if len(outcome["machines"]) > SHOWN_NAMES
                else ""
            )
            parts.append(f'<li>{esc(line.strip())} <span class="meta">({esc(names + more)})</span></li>')
        parts.append("</ul></section>\n")
    return "".join(parts)
