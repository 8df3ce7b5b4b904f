"""The pieces of the HTML report (`report.html`): escaping, the page's head and
foot, a finding, evidence, references, problems, machine names, the bar chart
of machines per cause, causes and unexplained templates. Everything from a log
is escaped here (`esc`) and only trusted http(s) references become links."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Any, TextIO
from urllib.parse import urlsplit

from smslogdoc.report.htmlstyle import _CSS, _SCRIPT, CONTENT_SECURITY_POLICY
from smslogdoc.report.htmltext import esc, rule_text
from smslogdoc.report.wording import human_time

SEVERITIES = ("error", "warning", "info")
EVIDENCE_LINES = 8
"""Lines of one evidence record shown before the rest is collapsed."""
EVIDENCE_ITEMS = 6
"""Evidence records of a finding shown before the rest are collapsed."""
MACHINE_NAMES = 30
"""Machine names of a cause or template shown before the rest are collapsed."""
CHART_CAUSES = 25
"""Causes drawn in the bar chart (the rest are listed below it)."""

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def bundled_rule_ids() -> frozenset[str]:
    """The ids of the bundled rules (their file names), for `trusted_rule_ids`
    when a document does not mark its findings `"bundled"`. A user rule that
    reuses a bundled id (possible with `--no-builtin`) would be trusted too:
    a document that says `"bundled"` per finding is exact."""
    try:
        folder = files("smslogdoc.bundled_rules")
        return frozenset(
            entry.name[: -len(".yaml")] for entry in folder.iterdir() if entry.name.endswith(".yaml")
        )
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return frozenset()


# --- pieces ---------------------------------------------------------------------


def _head(out: TextIO, title: str) -> None:
    out.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n<script>{_SCRIPT}</script>\n</head>\n<body>\n"
    )


def _foot(out: TextIO, note: str) -> None:
    out.write(f"<footer>{esc(note)}</footer>\n</body>\n</html>\n")


def _redaction_notice(redaction: Mapping[str, Any] | None) -> str:
    if not redaction:
        return ""
    labels = {
        "host": "host names",
        "user": "user names",
        "domain": "domain names",
        "ip": "IP addresses",
        "email": "e-mail addresses",
        "sid": "SIDs",
        "mac": "MAC addresses",
        "serial": "serial numbers",
    }
    parts = [
        f"{esc(count)} {esc(labels.get(str(kind), kind))}"
        for kind, count in redaction.items()
        if isinstance(count, int) and count
    ]
    body = ", ".join(parts) if parts else "no names were found"
    return (
        f'<p class="notice" id="redaction"><b>Redacted.</b> Names were replaced by stable pseudonyms '
        f"(HOST-1, USER-1, ...; the same name has the same pseudonym throughout this report): {body}.</p>\n"
    )


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _severity(value: object) -> str:
    return value if isinstance(value, str) and value in SEVERITIES else "info"


def _badge(severity: object) -> str:
    level = _severity(severity)
    return f'<span class="badge {level}">{esc(str(severity).upper() if severity else level.upper())}</span>'


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


_CLOSING = {")": "(", "]": "[", "}": "{"}


def _trimmed(url: str) -> str:
    """A URL found in text, less the punctuation after it: a closing bracket
    stays when the URL opened it (`.../cc160972(v=msdn.10)`)."""
    while url and url[-1] in ".,;:)]}":
        opening = _CLOSING.get(url[-1])
        if opening is not None and url.count(opening) >= url.count(url[-1]):
            break
        url = url[:-1]
    return url


def reference_html(reference: object, *, link: bool) -> str:
    """A reference: `Title: https://...` with its URL a link when `link` and the
    URL is http(s); otherwise all text."""
    text = "" if reference is None else str(reference)
    if not link:
        return esc(text)
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = _trimmed(match.group(0))
        end = match.start() + len(url)
        out.append(esc(text[last : match.start()]))
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
    if item.get("severity_inferred"):
        head += " · severity inferred from its words"
    if item.get("supporting"):
        head += " · supporting"
    if item.get("event"):
        head += f' · event <span class="mono">{esc(item.get("event"))}</span>'
    text = str(item.get("text", "")).strip("\r\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > EVIDENCE_LINES:
        body = (
            f"<pre>{esc(chr(10).join(lines[:2]))}</pre><details><summary>{len(lines) - 2:,} more lines</summary>"
            f"<pre>{esc(chr(10).join(lines[2:]))}</pre></details>"
        )
    else:
        body = f"<pre>{esc(text)}</pre>"
    codes = item.get("codes") or []
    codes_html = ""
    if codes:
        codes_html = '<ul class="codes">' + "".join(f"<li>{esc(code)}</li>" for code in codes) + "</ul>"
    css = ' class="supporting"' if item.get("supporting") else ""
    return f'<li{css}><div class="where">{head}</div>{body}{codes_html}</li>'


def finding_html(
    finding: Mapping[str, Any],
    *,
    trusted_rule_ids: frozenset[str] = frozenset(),
    heading: str = "h3",
    anchor: str = "",
    links: str = "",
) -> str:
    """One finding as an `<article>`; `links` (the stories it explains) under where it was found."""
    level = _severity(finding.get("severity"))
    ident = f' id="{esc(anchor)}"' if anchor else ""
    out = [
        f'<article class="finding {level}"{ident}>',
        f"<{heading}>{_badge(finding.get('severity'))}{esc(finding.get('title', ''))}</{heading}>",
    ]
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
    out.append(links)
    if finding.get("status", "confirmed") != "confirmed":
        out.append(f'<p class="inconclusive">Inconclusive: {esc(finding.get("note", ""))}</p>')
    out.append(f"<p>{rule_text(finding.get('diagnosis', ''))}</p>")
    if finding.get("cause"):
        out.append(
            f"<details><summary>Why this happens</summary><p>{rule_text(finding.get('cause'))}</p></details>"
        )
    out.append(
        _evidence_list_html([item for item in finding.get("evidence") or [] if isinstance(item, Mapping)])
    )
    out.extend(_remedy_html(finding, trusted_rule_ids))
    out.append("</article>\n")
    return "".join(out)


def _remedy_html(finding: Mapping[str, Any], trusted_rule_ids: frozenset[str]) -> list[str]:
    """A finding's fix, references and logs to collect next."""
    out: list[str] = []
    fix = finding.get("fix") or []
    if fix:
        out.append(fix_html(fix))
    references = finding.get("references") or []
    if references:
        link = _is_trusted(finding, trusted_rule_ids)
        out.append(
            "<h4>References</h4><ul>"
            + "".join(f"<li>{reference_html(ref, link=link)}</li>" for ref in references)
            + "</ul>"
        )
    next_logs = finding.get("next_logs") or []
    if next_logs:
        out.append(
            "<h4>Collect next</h4><ul>"
            + "".join(f"<li>{rule_text(hint)}</li>" for hint in next_logs)
            + "</ul>"
        )
    return out


def _evidence_list_html(evidence: Sequence[Mapping[str, Any]]) -> str:
    """A finding's evidence, those past `EVIDENCE_ITEMS` folded."""
    if not evidence:
        return ""
    out = [
        '<h4>Evidence</h4><ul class="evidence">',
        *(_evidence_html(item) for item in evidence[:EVIDENCE_ITEMS]),
    ]
    out.append("</ul>")
    if len(evidence) > EVIDENCE_ITEMS:
        out.append(
            f'<details><summary>{len(evidence) - EVIDENCE_ITEMS:,} more evidence records</summary><ul class="evidence">'
        )
        out.extend(_evidence_html(item) for item in evidence[EVIDENCE_ITEMS:])
        out.append("</ul></details>")
    return "".join(out)


def fix_html(fix: Sequence[Any]) -> str:
    """A finding's or a cause's fix, its steps numbered."""
    return "<h4>Fix</h4><ol>" + "".join(f"<li>{rule_text(step)}</li>" for step in fix) + "</ol>"


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
    return "m-" + "".join(
        ch if ch.isascii() and (ch.isalnum() or ch == "-") else f"_{ord(ch):x}_" for ch in text
    )


def _names_html(names: Sequence[Any], linked: bool = True) -> str:
    """Machine names: links to their sections, or (`linked` False) the targets
    of such links, for the machines that have no section of their own."""

    def one(name: Any) -> str:
        anchor = esc(machine_anchor(name))
        return (
            f'<a href="#{anchor}">{esc(name)}</a>'
            if linked
            else f'<span class="mono" id="{anchor}">{esc(name)}</span>'
        )

    head = " ".join(one(name) for name in names[:MACHINE_NAMES])
    if len(names) <= MACHINE_NAMES:
        return f'<div class="names">{head}</div>'
    rest = " ".join(one(name) for name in names[MACHINE_NAMES:])
    return (
        f'<div class="names">{head} <details><summary>and {len(names) - MACHINE_NAMES:,} more</summary>'
        f"{rest}</details></div>"
    )


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
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title">'
        '<title id="chart-title">Machines per cause</title>'
    ]
    for index, (cause, count) in enumerate(zip(shown, counts, strict=True)):
        y = 5 + index * row
        title = str(cause.get("title") or cause.get("rule") or "")
        label = title if len(title) <= 58 else title[:56] + "…"
        length = max(2, round(bar_width * count / top)) if count else 0
        level = _severity(cause.get("severity"))
        parts.append(
            f"<g><title>{esc(title)}: {count:,} machine{'s' if count != 1 else ''}</title>"
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{esc(label)}</text>'
            f'<rect class="bar-{level}" x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" rx="2"></rect>'
            f'<text x="{label_width + length + 6}" y="{y + 16}">{count:,}</text></g>'
        )
    parts.append("</svg>\n")
    return "".join(parts)


def _cause_html(cause: Mapping[str, Any], index: int) -> str:
    """A cause: its machines, the first machine's decisive evidence, the fix."""
    names = list(cause.get("machines") or [])
    count = _count(cause.get("count"), len(names))
    example = cause.get("example")
    evidence = ""
    if isinstance(example, Mapping) and example.get("path"):
        evidence = (
            f'<h4>Evidence, on {esc(example.get("machine", ""))}</h4><ul class="evidence">'
            f"{_evidence_html(example)}</ul>"
        )
    fix = cause.get("fix") or []
    return (
        f'<section class="cause" id="cause-{index}"><h3>{_badge(cause.get("severity"))}{esc(cause.get("title", ""))}</h3>'
        f'<p class="meta">rule <span class="mono">{esc(cause.get("rule", ""))}</span> · '
        f"on {_plural(count, 'machine')}</p>{_names_html(names)}{evidence}{fix_html(fix) if fix else ''}</section>\n"
    )


def _unexplained_html(item: Mapping[str, Any], total: int | None) -> str:
    names = list(item.get("machines") or [])
    count = _count(item.get("count"), len(names))
    of = f" of {total:,}" if total else ""
    codes = item.get("codes") or []
    codes_html = (
        '<ul class="codes">' + "".join(f"<li>{esc(code)}</li>" for code in codes) + "</ul>" if codes else ""
    )
    return (
        f'<section class="cause"><pre>{esc(item.get("template", ""))}</pre>'
        f'<p class="meta">on {count:,}{of} machine{"s" if count != 1 or of else ""}</p>{codes_html}{_names_html(names)}</section>\n'
    )


# --- diagnose --------------------------------------------------------------------
