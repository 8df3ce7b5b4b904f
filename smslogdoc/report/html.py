"""The HTML report: a diagnose or fleet JSON document (docs/json.md, issue 13)
as one self-contained HTML file to attach to a ticket.

This module owns the HTML: its layout, its styles and what makes log text
inert in it. It reads the JSON document dicts only (no finding objects), so
it can be fed from any stage that produces them.

The file loads nothing: inline CSS and one small inline script (opening every
collapsed block before printing), both allowed by their hashes in a
Content-Security-Policy that forbids every other script, style, image, font,
frame, form target and connection. Every text from the document goes through
`html.escape(quote=True)` after control characters and direction overrides
are made visible as `\\xNN` / `\\uNNNN`, in element content and in attributes
alike, so a log line holding `<script>`, `<img onerror=...>`, `</style>` or a
`javascript:` URL shows as text. References become links only when they are
http(s) URLs of a finding from a bundled rule: the finding says
`"bundled": true`, or (when the document does not say) its rule id is in
`trusted_rule_ids`; every other reference is text.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from smslogdoc.report.aggregate import FleetReport
from smslogdoc.report.document import ComparisonDoc, Report
from smslogdoc.report.htmlcompare import comparison_html
from smslogdoc.report.htmlnotes import (
    Examined,
    examined_of,
    examined_of_document,
    headline_html,
    not_examined_html,
    notes_html,
    stamp_html,
    toc_html,
)
from smslogdoc.report.htmlparts import (
    SEVERITIES,
    _badge,
    _cause_html,
    _foot,
    _head,
    _names_html,
    _plural,
    _problems_html,
    _redaction_notice,
    _unexplained_html,
    chart_svg,
    finding_html,
    machine_anchor,
)
from smslogdoc.report.htmlparts import bundled_rule_ids as bundled_rule_ids
from smslogdoc.report.htmlparts import reference_html as reference_html
from smslogdoc.report.htmlstories import deployments_html, stories_html, story_links_html
from smslogdoc.report.htmlstyle import CONTENT_SECURITY_POLICY as CONTENT_SECURITY_POLICY
from smslogdoc.report.htmltext import esc
from smslogdoc.report.wording import human_time as human_time
from smslogdoc.report.writers import Options

FLEET_TITLE = "smslogdoc fleet report"

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "bundled_rule_ids",
    "chart_svg",
    "esc",
    "finding_html",
    "human_time",
    "machine_anchor",
    "reference_html",
    "render_diagnose",
    "render_fleet",
    "write",
    "write_diagnose",
    "write_fleet",
    "write_fleet_report",
]


def write(report: Report, out: TextIO, options: Options) -> None:
    """`diagnose --format html`: the report's JSON document as one HTML file,
    saying what was not examined as text and Markdown do."""
    write_diagnose(report["document"], out, examined=examined_of(report, options))


def write_diagnose(
    document: Mapping[str, Any],
    out: TextIO,
    *,
    trusted_rule_ids: Iterable[str] = (),
    redaction: Mapping[str, Any] | None = None,
    title: str = "smslogdoc findings",
    examined: Examined | None = None,
) -> None:
    """The HTML report of a `diagnose` JSON document, written to `out`.
    `redaction` is `Redactor.summary()` when the document was redacted;
    `examined` says what was not examined (without it, only the document's
    files say: a bare document never claims an all-clear it cannot know)."""
    trusted = frozenset(trusted_rule_ids)
    findings = [f for f in document.get("findings") or [] if isinstance(f, Mapping)]
    files_ = [f for f in document.get("files") or [] if isinstance(f, Mapping)]
    problems = list(document.get("problems") or [])
    said = examined if examined is not None else examined_of_document(files_, document)
    unexplained = [u for u in document.get("unexplained") or [] if isinstance(u, Mapping)]
    _head(out, title)
    out.write(f"<h1>{esc(title)}</h1>\n{stamp_html(said.inputs)}")
    out.write(_diagnose_summary(findings, files_, problems))
    out.write(notes_html(said))
    out.write(_redaction_notice(redaction if redaction is not None else document.get("redaction")))
    sections = [("findings", "Findings")]
    sections += [("unexplained", "Errors no rule explains")] if unexplained else []
    sections += [("not-examined", "Not examined by any rule")] if said.not_examined else []
    sections += [("files", "Files")] if files_ else []
    sections += [("problems", "Problems")] if problems else []
    anchors = [(f"finding-{n}", str(f.get("title", ""))) for n, f in enumerate(findings, 1)]
    out.write(toc_html(sections, anchors))
    out.write('<h2 id="findings">Findings</h2>\n')
    if not findings:
        out.write(headline_html(said))
    for (anchor, _), finding in zip(anchors, findings, strict=True):
        out.write(
            finding_html(finding, trusted_rule_ids=trusted, anchor=anchor, links=story_links_html(finding))
        )
    out.write(stories_html(document.get("stories") or []))
    if unexplained:
        out.write('<h2 id="unexplained">Errors no rule explains</h2>\n')
        for item in unexplained:
            out.write(_unexplained_html(item, None))
    out.write(not_examined_html(said))
    if files_:
        out.write(_files_html(files_))
    if problems:
        out.write('<h2 id="problems">Problems</h2>\n')
        out.write(_problems_html(problems))
    _foot(out, "Written by smslogdoc. Log text is shown as text; this file loads nothing from the network.")


def _diagnose_summary(
    findings: Sequence[Mapping[str, Any]], files_: Sequence[Mapping[str, Any]], problems: Sequence[Any]
) -> str:
    """The line of counts under the title: findings by severity, files read, problems."""
    confirmed = [f for f in findings if f.get("status", "confirmed") == "confirmed"]
    counts = {level: sum(1 for f in confirmed if f.get("severity") == level) for level in SEVERITIES}
    read = sum(1 for f in files_ if not f.get("skipped"))
    file_problems = sum(len(f.get("problems") or []) for f in files_)
    parts = ['<div class="summary">']
    parts.append(f"<span><b>{len(confirmed):,}</b> finding{'s' if len(confirmed) != 1 else ''}</span>")
    parts.extend(f"<span>{_badge(level)}{counts[level]:,}</span>" for level in SEVERITIES if counts[level])
    if len(findings) > len(confirmed):
        parts.append(f"<span>{len(findings) - len(confirmed):,} inconclusive</span>")
    parts.append(f"<span>{_plural(read, 'file')} read</span>")
    if len(files_) > read:
        parts.append(f"<span>{len(files_) - read:,} skipped</span>")
    if problems or file_problems:
        parts.append(f"<span>{_plural(len(problems) + file_problems, 'problem')}</span>")
    parts.append("</div>\n")
    return "".join(parts)


def _files_html(files_: Sequence[Mapping[str, Any]]) -> str:
    """The files read, in a collapsed table."""
    parts = [
        f'<h2 id="files">Files</h2>\n<details><summary>{_plural(len(files_), "file")}</summary><table>'
        "<thead><tr><th>path</th><th>format</th><th>encoding</th><th>records</th><th>problems</th></tr></thead><tbody>"
    ]
    for report in files_:
        skipped = " (skipped)" if report.get("skipped") else ""
        parts.append(
            f'<tr><td class="mono">{esc(report.get("path", ""))}{skipped}</td><td>{esc(report.get("format", ""))}</td>'
            f"<td>{esc(report.get('encoding', ''))}</td><td>{esc(report.get('events', ''))}</td>"
            f"<td>{_problems_html(report.get('problems') or [])}</td></tr>"
        )
    parts.append("</tbody></table></details>\n")
    return "".join(parts)


def render_diagnose(
    document: Mapping[str, Any],
    *,
    trusted_rule_ids: Iterable[str] = (),
    redaction: Mapping[str, Any] | None = None,
    title: str = "smslogdoc findings",
) -> str:
    """The HTML report of a `diagnose` JSON document, as a string."""
    out = io.StringIO()
    write_diagnose(document, out, trusted_rule_ids=trusted_rule_ids, redaction=redaction, title=title)
    return out.getvalue()


# --- fleet ---------------------------------------------------------------------


def write_fleet(
    out: TextIO,
    machines: Iterable[Mapping[str, Any]],
    *,
    causes: Sequence[Mapping[str, Any]] = (),
    unexplained: Sequence[Mapping[str, Any]] = (),
    problems: Sequence[Any] = (),
    machine_count: int | None = None,
    trusted_rule_ids: Iterable[str] = (),
    redaction: Mapping[str, Any] | None = None,
    title: str = FLEET_TITLE,
) -> None:
    """The HTML report of a fleet, streamed: the summary, the chart, the causes
    and the unexplained errors first (from the already ranked `causes` and
    `unexplained`), then each machine as it comes from the iterable `machines`
    (the `machines[]` items of the fleet document), written and forgotten one at
    a time; the machines without findings are listed at the end.
    `machine_count` is the number of machines, for the summary (when unknown,
    the summary counts the machines the causes name and the footer gives the
    total)."""
    trusted = frozenset(trusted_rule_ids)
    _fleet_head(out, causes, unexplained, problems, machine_count, redaction, title)
    clean: list[str] = []
    seen = 0
    for machine in machines:
        seen += 1
        section = machine_html(machine, trusted)
        if section is None:
            clean.append(str(machine.get("name", "")))
        else:
            out.write(section)
    _fleet_tail(out, clean, problems, seen)


def write_fleet_report(report: FleetReport, out: TextIO, options: Options) -> None:
    """`fleet --format html`: one self-contained file. The machines' sections
    wait in a temporary file, written as each machine comes, while the
    ranking that goes above them is made, so memory does not grow with them."""
    trusted = bundled_rule_ids()
    clean: list[str] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for machine in report.machines():
            unread = bool(report.unread) and report.unread[-1] == machine["name"]
            section = machine_html(machine, trusted, unread=unread)
            if section is None and not unread:
                clean.append(machine["name"])
            elif section is not None:
                spool.write(section)
        _fleet_head(
            out,
            report.causes(),
            report.unexplained(),
            report.own,
            report.count,
            report.redaction,
            FLEET_TITLE,
            len(report.unread),
            report.deployments.docs(),
            report.inputs,
            report.comparison(),
        )
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    _fleet_tail(out, clean, report.own, report.count, report.unread)


def _fleet_head(
    out: TextIO,
    causes: Sequence[Mapping[str, Any]],
    unexplained: Sequence[Mapping[str, Any]],
    problems: Sequence[Any],
    machine_count: int | None,
    redaction: Mapping[str, Any] | None,
    title: str,
    unread: int = 0,
    deployments: Sequence[Mapping[str, Any]] = (),
    inputs: Sequence[str] = (),
    comparison: ComparisonDoc | None = None,
) -> None:
    """The page down to the machines' heading: the stamp (with the fleet's
    `inputs`), the summary, what changed since an earlier report, the chart,
    the causes, the unexplained errors and the deployments. `unread`:
    machines not examined."""
    hit = {str(name) for cause in causes for name in cause.get("machines") or []}
    _head(out, title)
    out.write(f'<h1>{esc(title)}</h1>\n{stamp_html(inputs)}<div class="summary">')
    if machine_count is not None:
        out.write(f"<span><b>{machine_count:,}</b> machine{'s' if machine_count != 1 else ''}</span>")
        out.write(f"<span><b>{len(hit):,}</b> with a known cause</span>")
        out.write(f"<span><b>{max(0, machine_count - len(hit) - unread):,}</b> without</span>")
        if unread:
            out.write(f"<span><b>{unread:,}</b> not examined (no file read)</span>")
    else:
        out.write(
            f"<span><b>{len(hit):,}</b> machine{'s' if len(hit) != 1 else ''} with a known cause</span>"
        )
    out.write(f"<span><b>{len(causes):,}</b> cause{'s' if len(causes) != 1 else ''}</span>")
    out.write(
        f"<span><b>{len(unexplained):,}</b> unexplained error template{'s' if len(unexplained) != 1 else ''}</span>"
    )
    if problems:
        out.write(f"<span><b>{len(problems):,}</b> problem{'s' if len(problems) != 1 else ''}</span>")
    out.write("</div>\n")
    out.write(_redaction_notice(redaction))
    out.write(comparison_html(comparison))
    out.write('<h2 id="causes">Causes, by machines hit</h2>\n')
    if causes:
        out.write(chart_svg(causes))
        for index, cause in enumerate(causes):
            out.write(_cause_html(cause, index))
    else:
        out.write("<p>No known failure signature found on any machine.</p>\n")
    out.write('<h2 id="unexplained">Errors no rule explains, by machines hit</h2>\n')
    if unexplained:
        for item in unexplained:
            out.write(_unexplained_html(item, machine_count))
    else:
        out.write("<p>None: every error record is explained by a finding, or there were none.</p>\n")
    out.write(deployments_html(deployments))
    out.write('<h2 id="machines">Machines</h2>\n')


def machine_html(
    machine: Mapping[str, Any], trusted: frozenset[str] = frozenset(), *, unread: bool = False
) -> str | None:
    """A machine's section, collapsed (a fleet has thousands): its findings and
    problems; None for a machine with neither (listed by name at the end).
    `unread`: no file of it could be read, so it was not examined."""
    name = machine.get("name", "")
    findings = [f for f in machine.get("findings") or [] if isinstance(f, Mapping)]
    machine_problems = list(machine.get("problems") or [])
    if not findings and not machine_problems:
        return None
    said = [_plural(len(findings), "finding")] if findings else []
    said += [_plural(len(machine_problems), "problem")] if machine_problems else []
    if unread:
        said.append("not examined: no file could be read")
    parts = [
        f'<section class="machine" id="{esc(machine_anchor(name))}"><details><summary><b>{esc(name)}</b>'
        f" · {esc(', '.join(said))}</summary>"
    ]
    if machine.get("path"):
        parts.append(f'<p class="meta">folder <span class="mono">{esc(machine.get("path"))}</span></p>')
    if not findings:
        parts.append(
            "<p>Nothing was examined: no file could be read (see its problems).</p>"
            if unread
            else "<p>No finding; see its problems for what could not be read.</p>"
        )
    parts.extend(finding_html(finding, trusted_rule_ids=trusted, heading="h4") for finding in findings)
    if machine_problems:
        parts.append("<h4>Problems</h4>" + _problems_html(machine_problems))
    parts.append("</details></section>\n")
    return "".join(parts)


def _fleet_tail(
    out: TextIO, clean: list[str], problems: Sequence[Any], seen: int, unread: Sequence[str] = ()
) -> None:
    """The machines without a section, those not examined, the fleet's own problems, the footer."""
    if clean:
        out.write(
            f'<h2 id="clean">Machines with no finding ({len(clean):,})</h2>\n{_names_html(clean, linked=False)}\n'
        )
    if unread:
        out.write(
            f'<h2 id="unread">Not examined (no file read) ({len(unread):,})</h2>\n{_names_html(list(unread))}\n'
        )
    if problems:
        out.write('<h2 id="problems">Problems</h2>\n')
        out.write(_problems_html(problems))
    _foot(
        out,
        f"{_plural(seen, 'machine')}. Written by smslogdoc. Log text is shown as text; this file loads nothing from the network.",
    )


def render_fleet(
    document: Mapping[str, Any],
    *,
    trusted_rule_ids: Iterable[str] = (),
    redaction: Mapping[str, Any] | None = None,
    title: str = FLEET_TITLE,
) -> str:
    """The HTML report of a fleet JSON document, as a string."""
    out = io.StringIO()
    machines = [m for m in document.get("machines") or [] if isinstance(m, Mapping)]
    write_fleet(
        out,
        machines,
        causes=[c for c in document.get("causes") or [] if isinstance(c, Mapping)],
        unexplained=[u for u in document.get("unexplained") or [] if isinstance(u, Mapping)],
        problems=list(document.get("problems") or []),
        machine_count=len(machines),
        trusted_rule_ids=trusted_rule_ids,
        redaction=redaction if redaction is not None else document.get("redaction"),
        title=title,
    )
    return out.getvalue()
