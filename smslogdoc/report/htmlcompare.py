"""What changed since an earlier fleet report (`fleet --compare`), in the
HTML report: a table of the causes that are new, hit more or fewer machines,
moved or are gone, with the machines gained and lost. All text escaped
(`htmltext.esc`)."""

from __future__ import annotations

from smslogdoc.report.document import ComparisonDoc
from smslogdoc.report.fleetcompare import (
    change_count,
    comparison_head,
    moved_names,
    outcome_change_line,
)
from smslogdoc.report.htmltext import esc

SHOWN_NAMES = 10
"""Machine names shown per change ("and N more" after)."""


def comparison_html(comparison: ComparisonDoc | None) -> str:
    """The section ('' without `--compare`)."""
    if comparison is None:
        return ""
    head = comparison_head(comparison, SHOWN_NAMES)
    parts = [f'<h2 id="changes">What changed</h2>\n<p>{esc(head)}.</p>\n']
    if comparison["changes"]:
        parts.append("<table><tr><th>change</th><th>cause</th><th>machines</th><th>gained, lost</th></tr>\n")
        for item in comparison["changes"]:
            level = "info" if item["change"] in ("fewer", "resolved") else item["severity"]
            parts.append(
                f'<tr><td><span class="badge {esc(level)}">{esc(item["change"])}</span></td>'
                f'<td>{esc(item["title"])} <span class="meta">{esc(item["rule"])}</span></td>'
                f"<td>{esc(change_count(item))}</td><td>{esc(moved_names(item, SHOWN_NAMES))}</td></tr>\n"
            )
        parts.append("</table>\n")
    if comparison["deployments"]:
        parts.append("<h3>Deployments, where their machines stopped</h3>\n<ul>")
        for outcome in comparison["deployments"]:
            parts.append(
                f"<li>{esc(outcome_change_line(outcome))}"
                f' <span class="meta">({esc(moved_names(outcome, SHOWN_NAMES))})</span></li>\n'
            )
        parts.append("</ul>\n")
    return "".join(parts)
