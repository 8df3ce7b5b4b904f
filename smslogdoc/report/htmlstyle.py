"""The HTML report's style and its one small script, inline, and the
Content-Security-Policy that allows only them (by hash): nothing is ever loaded."""

from __future__ import annotations

import base64
import hashlib

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
