"""`diagnose --format markdown`: findings to paste into a ticket, log text in
code fences the text cannot close."""

from __future__ import annotations

import re
from typing import TextIO

from smslogdoc.findings import CONFIRMED
from smslogdoc.report import examined
from smslogdoc.report.document import FindingDoc, Report
from smslogdoc.report.examined import summary
from smslogdoc.report.redaction import summary_text
from smslogdoc.report.storydoc import StoryDoc
from smslogdoc.report.storylines import (
    heading,
    link_text,
    not_succeeded,
    section_title,
    several_folders,
    story_lines,
)
from smslogdoc.report.terminal import name, visible
from smslogdoc.report.text import spread_text
from smslogdoc.report.writers import Options

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Text from a rule or log made inert in Markdown (no links, no HTML, no emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", visible(text))


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def write(report: Report, out: TextIO, options: Options) -> None:
    findings = report["document"]["findings"]
    out.write("# smslogdoc findings\n\n")
    if not findings:
        out.write(f"{_md(examined.headline(report, options))}\n\n")
    for finding in findings:
        _finding(finding, out)
    _stories(report["document"]["stories"], out)
    not_read = examined.uncovered(report, findings, options)
    if not_read:
        out.write("**Not examined by any rule**\n\n")
        out.writelines(f"- {_md(name(line))}\n" for line in not_read)
        out.write("\n")
    out.write(f"_{_md(summary(report, options))}_\n")
    redaction = report["document"].get("redaction")
    if redaction is not None:
        out.write(f"\n_{_md(summary_text(redaction))}_\n")


def _stories(stories: list[StoryDoc], out: TextIO) -> None:
    """The stories that did not succeed: a heading each, its phase lines fenced."""
    told = not_succeeded(stories)
    if not told:
        return
    out.write(f"## {_md(section_title(len(told), len(stories)))}\n\n")
    folder = several_folders(stories)
    for story in told:
        out.write(f"### {_md(name(heading(story, folder=folder)))}\n\n")
        lines = [name(line.text) for line in story_lines(story) if line.kind != "heading"]
        out.write(_fence("\n".join(lines)) + "\n\n")


def _finding(finding: FindingDoc, out: TextIO) -> None:
    status = "" if finding["status"] == CONFIRMED else f" (inconclusive: {_md(finding['note'])})"
    out.write(f"## {finding['severity'].upper()}: {_md(finding['title'])}{status}\n\n")
    out.write(
        f"Rule `{finding['rule']}` · confidence {finding['confidence']} · log `{name(finding['log']).replace('`', '')}`"
    )
    if finding["group"]:
        out.write(f" · {_md(finding['group'])}")
    if "spread" in finding:
        out.write(f" · {_md(spread_text(finding))}")
    out.write("\n\n")
    out.writelines(f"_{_md(name(link_text(link)))}_\n\n" for link in finding.get("stories", []))
    diagnosis = "  \n".join(_md(line) for line in finding["diagnosis"].split("\n"))  # hard line breaks
    out.write(f"{diagnosis}\n\n**Evidence**\n\n")
    lines = []
    for item in finding["evidence"]:
        stamp = f" {item['time']}" if item["time"] else ""
        if item["time"] and item.get("time_ambiguous"):
            stamp += " (day/month order ambiguous)"
        where = name(item["path"]) + (
            f":{item['line']}" if item["line"] == item["end_line"] else f":{item['line']}-{item['end_line']}"
        )
        inferred = " (severity inferred from its words)" if item.get("severity_inferred") else ""
        lines.append(f"{where}{stamp}{inferred}{' (supporting)' if item['supporting'] else ''}")
        text = visible(item["text"].strip("\r\n")).replace("\r\n", "\n").replace("\r", "\n")
        lines.extend(f"    {line}" for line in text.split("\n"))
        lines.extend(f"    = {code}" for code in item["codes"])
    out.write(_fence("\n".join(lines)) + "\n\n")
    if finding["cause"]:
        out.write(f"**Why this happens**\n\n{_md(finding['cause'])}\n\n")
    out.write("**Fix**\n\n")
    out.writelines(f"{number}. {_md(step)}\n" for number, step in enumerate(finding["fix"], 1))
    if finding["references"]:
        out.write("\n**References**\n\n")
        out.writelines(f"- {_md(reference)}\n" for reference in finding["references"])
    if finding["next_logs"]:
        out.write("\n**Collect next**\n\n")
        out.writelines(f"- {_md(hint)}\n" for hint in finding["next_logs"])
    out.write("\n")
