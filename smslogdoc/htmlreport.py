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

import base64
import hashlib
import html
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from importlib.resources import files
from typing import Any, TextIO
from urllib.parse import urlsplit

SEVERITIES = ("error", "warning", "info")
EVIDENCE_LINES = 8
"""Lines of one evidence record shown before the rest is collapsed."""
EVIDENCE_ITEMS = 6
"""Evidence records of a finding shown before the rest are collapsed."""
MACHINE_NAMES = 30
"""Machine names of a cause or template shown before the rest are collapsed."""
CHART_CAUSES = 25
"""Causes drawn in the bar chart (the rest are listed below it)."""

_CSS = """
:root { color-scheme: light; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa;
  --error: #b42318; --warning: #8a5a00; --warning-bg: #fff4d6; --info: #175cd3; --link: #0b57d0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
h4 { font-size: .95rem; margin: .9rem 0 .3rem; }
a { color: var(--link); }
code, pre, .mono { font-family: ui-monospace, "Cascadia Mono", Consolas, "SF Mono", Menlo, monospace; font-size: .88em; }
pre { margin: .2rem 0; padding: .4rem .6rem; background: var(--bg-soft); border: 1px solid var(--line);
  border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted, .meta { color: var(--muted); }
.meta { margin: .1rem 0; font-size: .9rem; overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; padding: .75rem 1rem;
  background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; }
.summary b { font-size: 1.2rem; }
.notice { padding: .5rem .8rem; border-left: 4px solid var(--info); background: #eef4ff; margin: .5rem 0; }
.badge { display: inline-block; min-width: 4.6rem; padding: .05rem .4rem; margin-right: .4rem; border-radius: 4px;
  font-size: .75rem; font-weight: 700; text-align: center; letter-spacing: .03em; vertical-align: .1em;
  color: #fff; border: 1px solid transparent; }
.badge.error { background: var(--error); }
.badge.warning { background: var(--warning-bg); color: var(--warning); border-color: var(--warning); }
.badge.info { background: var(--info); }
.finding { margin: .8rem 0; padding: .8rem 1rem; border: 1px solid var(--line); border-left: 5px solid var(--info);
  border-radius: 6px; break-inside: avoid-page; }
.finding.error { border-left-color: var(--error); }
.finding.warning { border-left-color: #d99a00; }
.inconclusive { color: var(--warning); font-weight: 600; }
.evidence { list-style: none; padding: 0; margin: 0; }
.evidence > li { margin: .35rem 0; }
.evidence .where { font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; }
.evidence .supporting pre { opacity: .8; }
.codes { margin: .1rem 0 .1rem 1.2rem; padding: 0; font-size: .88rem; color: #5b2a86; }
ol, ul { margin: .2rem 0; padding-left: 1.6rem; }
details > summary { cursor: pointer; color: var(--muted); }
.machine { margin: 1.2rem 0; content-visibility: auto; contain-intrinsic-size: auto 20rem; }
.machine > h3 { font-size: 1.15rem; }
.cause { margin: .6rem 0; padding: .6rem .9rem; border: 1px solid var(--line); border-radius: 6px; break-inside: avoid-page; }
.names { overflow-wrap: anywhere; }
.names a { margin-right: .35rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
svg.chart { display: block; max-width: 100%; height: auto; margin: .5rem 0 1rem; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #1b1f24; }
svg.chart .bar-error { fill: #b42318; } svg.chart .bar-warning { fill: #d99a00; } svg.chart .bar-info { fill: #175cd3; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; }
  .machine { content-visibility: visible; }
  details > summary { display: none; }
  h2 { break-after: avoid-page; }
}
"""

_SCRIPT = "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_sha256(_CSS)}; script-src {_sha256(_SCRIPT)}; img-src 'none'; "
    "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""Only the report's own style and script run; nothing is ever loaded."""

_VISIBLE = {code: f"\\x{code:02x}" for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]}
_VISIBLE.update({code: f"\\u{code:04x}" for code in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]})
_VISIBLE_TABLE = str.maketrans(_VISIBLE)
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def esc(value: object) -> str:
    """Any value from a document, as inert HTML text (safe in content and in
    quoted attributes): line breaks kept, other control characters and
    direction overrides made visible, then `html.escape(quote=True)`."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text.translate(_VISIBLE_TABLE), quote=True)


def bundled_rule_ids() -> frozenset[str]:
    """The ids of the bundled rules (their file names), for `trusted_rule_ids`
    when a document does not mark its findings `"bundled"`. A user rule that
    reuses a bundled id (possible with `--no-builtin`) would be trusted too:
    a document that says `"bundled"` per finding is exact."""
    try:
        folder = files("smslogdoc.bundled_rules")
        return frozenset(entry.name[: -len(".yaml")] for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return frozenset()


# --- pieces ---------------------------------------------------------------------


def _head(out: TextIO, title: str) -> None:
    out.write(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{esc(CONTENT_SECURITY_POLICY)}\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n<script>{_SCRIPT}</script>\n</head>\n<body>\n"
    )


def _foot(out: TextIO, note: str) -> None:
    out.write(f"<footer>{esc(note)}</footer>\n</body>\n</html>\n")


def _redaction_notice(redaction: Mapping[str, Any] | None) -> str:
    if not redaction:
        return ""
    labels = {"host": "host names", "user": "user names", "domain": "domain names", "ip": "IP addresses",
              "email": "e-mail addresses", "sid": "SIDs"}
    parts = [f"{esc(count)} {esc(labels.get(str(kind), kind))}" for kind, count in redaction.items()
             if isinstance(count, int) and count]
    body = ", ".join(parts) if parts else "no names were found"
    return (f'<p class="notice" id="redaction"><b>Redacted.</b> Names were replaced by stable pseudonyms '
            f"(HOST-1, USER-1, ...; the same name has the same pseudonym throughout this report): {body}.</p>\n")


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _severity(value: object) -> str:
    return value if isinstance(value, str) and value in SEVERITIES else "info"


def _badge(severity: object) -> str:
    level = _severity(severity)
    return f'<span class="badge {level}">{esc(str(severity).upper() if severity else level.upper())}</span>'


def human_time(value: object) -> str:
    """`2022-05-17 14:02:12.692 -04:00` from an ISO time, `... (local)` without an offset."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    text = when.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
    offset = when.strftime("%z")
    return f"{text} (local)" if not offset else f"{text} {offset[:3]}:{offset[3:]}"


def _is_trusted(finding: Mapping[str, Any], trusted: frozenset[str]) -> bool:
    bundled = finding.get("bundled")
    if isinstance(bundled, bool):
        return bundled
    return finding.get("rule") in trusted


def _safe_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname) and url.isprintable()


def reference_html(reference: object, *, link: bool) -> str:
    """A reference: `Title: https://...` with its URL a link when `link` and the
    URL is http(s); otherwise all text."""
    text = "" if reference is None else str(reference)
    if not link:
        return esc(text)
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)]}")
        end = match.start() + len(url)
        out.append(esc(text[last:match.start()]))
        if _safe_url(url):
            out.append(f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>')
        else:
            out.append(esc(url))
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


def _evidence_html(item: Mapping[str, Any]) -> str:
    path = item.get("path", "")
    line, end = item.get("line"), item.get("end_line")
    where = f"{path}:{line}" if end in (None, line) else f"{path}:{line}-{end}"
    stamp = human_time(item.get("time"))
    head = f'<span class="mono">{esc(where)}</span>'
    if stamp:
        head += f' · <time datetime="{esc(item.get("time"))}">{esc(stamp)}</time>'
    if item.get("supporting"):
        head += " · supporting"
    if item.get("event"):
        head += f' · event <span class="mono">{esc(item.get("event"))}</span>'
    text = str(item.get("text", "")).strip("\r\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > EVIDENCE_LINES:
        body = (f"<pre>{esc(chr(10).join(lines[:2]))}</pre><details><summary>{len(lines) - 2:,} more lines</summary>"
                f"<pre>{esc(chr(10).join(lines[2:]))}</pre></details>")
    else:
        body = f"<pre>{esc(text)}</pre>"
    codes = item.get("codes") or []
    codes_html = ""
    if codes:
        codes_html = '<ul class="codes">' + "".join(f"<li>{esc(code)}</li>" for code in codes) + "</ul>"
    css = ' class="supporting"' if item.get("supporting") else ""
    return f'<li{css}><div class="where">{head}</div>{body}{codes_html}</li>'


def finding_html(finding: Mapping[str, Any], *, trusted_rule_ids: frozenset[str] = frozenset(), heading: str = "h3") -> str:
    """One finding as an `<article>`: badge, title, diagnosis, evidence, fix, references."""
    level = _severity(finding.get("severity"))
    out = [f'<article class="finding {level}">',
           f"<{heading}>{_badge(finding.get('severity'))}{esc(finding.get('title', ''))}</{heading}>"]
    meta = f'rule <span class="mono">{esc(finding.get("rule", ""))}</span> · confidence {esc(finding.get("confidence", ""))}'
    occurrences = finding.get("occurrences")
    if isinstance(occurrences, int) and occurrences > 1:
        meta += f" · seen {occurrences:,} times"
    out.append(f'<p class="meta">{meta}</p>')
    where = f'log <span class="mono">{esc(finding.get("log", ""))}</span>'
    if finding.get("group"):
        where += f" · {esc(finding.get('group'))}"
    out.append(f'<p class="meta">{where}</p>')
    for other in finding.get("also") or []:
        out.append(f'<p class="meta">also in <span class="mono">{esc(other)}</span></p>')
    if finding.get("status", "confirmed") != "confirmed":
        out.append(f'<p class="inconclusive">Inconclusive: {esc(finding.get("note", ""))}</p>')
    out.append(f"<p>{esc(finding.get('diagnosis', ''))}</p>")
    if finding.get("cause"):
        out.append(f"<details><summary>Why this happens</summary><p>{esc(finding.get('cause'))}</p></details>")
    evidence = [item for item in finding.get("evidence") or [] if isinstance(item, Mapping)]
    if evidence:
        out.append('<h4>Evidence</h4><ul class="evidence">')
        out.extend(_evidence_html(item) for item in evidence[:EVIDENCE_ITEMS])
        out.append("</ul>")
        if len(evidence) > EVIDENCE_ITEMS:
            out.append(f'<details><summary>{len(evidence) - EVIDENCE_ITEMS:,} more evidence records</summary><ul class="evidence">')
            out.extend(_evidence_html(item) for item in evidence[EVIDENCE_ITEMS:])
            out.append("</ul></details>")
    fix = finding.get("fix") or []
    if fix:
        out.append("<h4>Fix</h4><ol>" + "".join(f"<li>{esc(step)}</li>" for step in fix) + "</ol>")
    references = finding.get("references") or []
    if references:
        link = _is_trusted(finding, trusted_rule_ids)
        out.append("<h4>References</h4><ul>" + "".join(f"<li>{reference_html(ref, link=link)}</li>" for ref in references) + "</ul>")
    next_logs = finding.get("next_logs") or []
    if next_logs:
        out.append("<h4>Collect next</h4><ul>" + "".join(f"<li>{esc(hint)}</li>" for hint in next_logs) + "</ul>")
    out.append("</article>\n")
    return "".join(out)


def _problems_html(problems: Iterable[Any]) -> str:
    items = []
    for problem in problems:
        if not isinstance(problem, Mapping):
            items.append(f"<li>{esc(problem)}</li>")
            continue
        where = str(problem.get("path", ""))
        if problem.get("line") is not None:
            where += f":{problem.get('line')}"
        items.append(f'<li><span class="mono">{esc(where)}</span>: {esc(problem.get("message", ""))}</li>')
    return "<ul>" + "".join(items) + "</ul>\n" if items else ""


def machine_anchor(name: object) -> str:
    """The element id of a machine's section: its name with every character
    outside [A-Za-z0-9-] written as `_hex_` (unique, and safe anywhere)."""
    text = "" if name is None else str(name)
    return "m-" + "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else f"_{ord(ch):x}_" for ch in text)


def _names_html(names: Sequence[Any], linked: bool = True) -> str:
    """Machine names: links to their sections, or (`linked` False) the targets
    of such links, for the machines that have no section of their own."""

    def one(name: Any) -> str:
        anchor = esc(machine_anchor(name))
        return f'<a href="#{anchor}">{esc(name)}</a>' if linked else f'<span class="mono" id="{anchor}">{esc(name)}</span>'

    head = " ".join(one(name) for name in names[:MACHINE_NAMES])
    if len(names) <= MACHINE_NAMES:
        return f'<div class="names">{head}</div>'
    rest = " ".join(one(name) for name in names[MACHINE_NAMES:])
    return (f'<div class="names">{head} <details><summary>and {len(names) - MACHINE_NAMES:,} more</summary>'
            f"{rest}</details></div>")


def _count(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def chart_svg(causes: Sequence[Mapping[str, Any]]) -> str:
    """A horizontal bar chart, inline SVG: machines per cause, in the order
    given (the fleet document's: most machines first), bars scaled to the largest."""
    shown = list(causes[:CHART_CAUSES])
    if not shown:
        return ""
    counts = [_count(cause.get("count"), len(cause.get("machines") or [])) for cause in shown]
    top = max([*counts, 1])
    label_width, bar_width, row, width = 420, 420, 24, 940
    height = row * len(shown) + 10
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title">'
             '<title id="chart-title">Machines per cause</title>']
    for index, (cause, count) in enumerate(zip(shown, counts, strict=True)):
        y = 5 + index * row
        title = str(cause.get("title") or cause.get("rule") or "")
        label = title if len(title) <= 58 else title[:56] + "…"
        length = max(2, round(bar_width * count / top)) if count else 0
        level = _severity(cause.get("severity"))
        parts.append(
            f'<g><title>{esc(title)}: {count:,} machine{"s" if count != 1 else ""}</title>'
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{esc(label)}</text>'
            f'<rect class="bar-{level}" x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" rx="2"></rect>'
            f'<text x="{label_width + length + 6}" y="{y + 16}">{count:,}</text></g>'
        )
    parts.append("</svg>\n")
    return "".join(parts)


def _cause_html(cause: Mapping[str, Any], index: int) -> str:
    names = list(cause.get("machines") or [])
    count = _count(cause.get("count"), len(names))
    return (f'<section class="cause" id="cause-{index}"><h3>{_badge(cause.get("severity"))}{esc(cause.get("title", ""))}</h3>'
            f'<p class="meta">rule <span class="mono">{esc(cause.get("rule", ""))}</span> · '
            f"on {_plural(count, 'machine')}</p>{_names_html(names)}</section>\n")


def _unexplained_html(item: Mapping[str, Any], total: int | None) -> str:
    names = list(item.get("machines") or [])
    count = _count(item.get("count"), len(names))
    of = f" of {total:,}" if total else ""
    codes = item.get("codes") or []
    codes_html = '<ul class="codes">' + "".join(f"<li>{esc(code)}</li>" for code in codes) + "</ul>" if codes else ""
    return (f'<section class="cause"><pre>{esc(item.get("template", ""))}</pre>'
            f'<p class="meta">on {count:,}{of} machine{"s" if count != 1 or of else ""}</p>{codes_html}{_names_html(names)}</section>\n')


# --- diagnose --------------------------------------------------------------------


def write_diagnose(
    document: Mapping[str, Any],
    out: TextIO,
    *,
    trusted_rule_ids: Iterable[str] = (),
    redaction: Mapping[str, Any] | None = None,
    title: str = "smslogdoc findings",
) -> None:
    """The HTML report of a `diagnose` JSON document, written to `out`.
    `redaction` is `Redactor.summary()` when the document was redacted."""
    trusted = frozenset(trusted_rule_ids)
    findings = [f for f in document.get("findings") or [] if isinstance(f, Mapping)]
    files_ = [f for f in document.get("files") or [] if isinstance(f, Mapping)]
    problems = list(document.get("problems") or [])
    _head(out, title)
    out.write(f"<h1>{esc(title)}</h1>\n")
    confirmed = [f for f in findings if f.get("status", "confirmed") == "confirmed"]
    counts = {level: sum(1 for f in confirmed if f.get("severity") == level) for level in SEVERITIES}
    read = sum(1 for f in files_ if not f.get("skipped"))
    file_problems = sum(len(f.get("problems") or []) for f in files_)
    out.write('<div class="summary">')
    out.write(f"<span><b>{len(confirmed):,}</b> finding{'s' if len(confirmed) != 1 else ''}</span>")
    for level in SEVERITIES:
        if counts[level]:
            out.write(f"<span>{_badge(level)}{counts[level]:,}</span>")
    if len(findings) > len(confirmed):
        out.write(f"<span>{len(findings) - len(confirmed):,} inconclusive</span>")
    out.write(f"<span>{_plural(read, 'file')} read</span>")
    if len(files_) > read:
        out.write(f"<span>{len(files_) - read:,} skipped</span>")
    if problems or file_problems:
        out.write(f"<span>{_plural(len(problems) + file_problems, 'problem')}</span>")
    out.write("</div>\n")
    out.write(_redaction_notice(redaction if redaction is not None else document.get("redaction")))
    out.write('<h2 id="findings">Findings</h2>\n')
    if not findings:
        out.write("<p>No known failure signature found.</p>\n")
    for finding in findings:
        out.write(finding_html(finding, trusted_rule_ids=trusted))
    unexplained = [u for u in document.get("unexplained") or [] if isinstance(u, Mapping)]
    if unexplained:
        out.write('<h2 id="unexplained">Errors no rule explains</h2>\n')
        for item in unexplained:
            out.write(_unexplained_html(item, None))
    if files_:
        out.write(f'<h2 id="files">Files</h2>\n<details><summary>{_plural(len(files_), "file")}</summary><table>'
                  "<thead><tr><th>path</th><th>format</th><th>encoding</th><th>records</th><th>problems</th></tr></thead><tbody>")
        for report in files_:
            skipped = " (skipped)" if report.get("skipped") else ""
            out.write(f'<tr><td class="mono">{esc(report.get("path", ""))}{skipped}</td><td>{esc(report.get("format", ""))}</td>'
                      f'<td>{esc(report.get("encoding", ""))}</td><td>{esc(report.get("events", ""))}</td>'
                      f'<td>{_problems_html(report.get("problems") or [])}</td></tr>')
        out.write("</tbody></table></details>\n")
    if problems:
        out.write('<h2 id="problems">Problems</h2>\n')
        out.write(_problems_html(problems))
    _foot(out, "Written by smslogdoc. Log text is shown as text; this file loads nothing from the network.")


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
    title: str = "smslogdoc fleet report",
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
    hit = {str(name) for cause in causes for name in cause.get("machines") or []}
    _head(out, title)
    out.write(f"<h1>{esc(title)}</h1>\n<div class=\"summary\">")
    if machine_count is not None:
        out.write(f"<span><b>{machine_count:,}</b> machine{'s' if machine_count != 1 else ''}</span>")
        out.write(f"<span><b>{len(hit):,}</b> with a known cause</span>")
        out.write(f"<span><b>{max(0, machine_count - len(hit)):,}</b> without</span>")
    else:
        out.write(f"<span><b>{len(hit):,}</b> machine{'s' if len(hit) != 1 else ''} with a known cause</span>")
    out.write(f"<span><b>{len(causes):,}</b> cause{'s' if len(causes) != 1 else ''}</span>")
    out.write(f"<span><b>{len(unexplained):,}</b> unexplained error template{'s' if len(unexplained) != 1 else ''}</span>")
    if problems:
        out.write(f"<span><b>{len(problems):,}</b> problem{'s' if len(problems) != 1 else ''}</span>")
    out.write("</div>\n")
    out.write(_redaction_notice(redaction))
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
    out.write('<h2 id="machines">Machines</h2>\n')
    clean: list[str] = []
    seen = 0
    for machine in machines:
        seen += 1
        name = machine.get("name", "")
        findings = [f for f in machine.get("findings") or [] if isinstance(f, Mapping)]
        machine_problems = list(machine.get("problems") or [])
        if not findings and not machine_problems:
            clean.append(str(name))
            continue
        parts = [f'<section class="machine" id="{esc(machine_anchor(name))}"><h3>{esc(name)}</h3>']
        if machine.get("path"):
            parts.append(f'<p class="meta">folder <span class="mono">{esc(machine.get("path"))}</span></p>')
        if not findings:
            parts.append("<p>No known failure signature found.</p>")
        parts.extend(finding_html(finding, trusted_rule_ids=trusted, heading="h4") for finding in findings)
        if machine_problems:
            parts.append("<h4>Problems</h4>" + _problems_html(machine_problems))
        parts.append("</section>\n")
        out.write("".join(parts))
    if clean:
        out.write(f'<h2 id="clean">Machines with no finding ({len(clean):,})</h2>\n{_names_html(clean, linked=False)}\n')
    if problems:
        out.write('<h2 id="problems">Problems</h2>\n')
        out.write(_problems_html(problems))
    _foot(out, f"{_plural(seen, 'machine')}. Written by smslogdoc. Log text is shown as text; this file loads nothing from the network.")


def render_fleet(
    document: Mapping[str, Any],
    *,
    trusted_rule_ids: Iterable[str] = (),
    redaction: Mapping[str, Any] | None = None,
    title: str = "smslogdoc fleet report",
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
