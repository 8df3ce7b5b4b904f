"""The text writer: how a finding's evidence is laid out."""

from __future__ import annotations

from smslogdoc.findings import Evidence
from smslogdoc.report.document import evidence_doc
from smslogdoc.report.text import _evidence_lines


def test_long_evidence_names_the_command_that_shows_it_all() -> None:
    item = Evidence("C:/logs/ccmsetup.log", 12, 30, None, "\n".join(f"line {n}" for n in range(19)), "e")
    last = _evidence_lines(evidence_doc(item), "C:/logs/ccmsetup.log")[-1].plain
    assert last == "      … 11 more line(s); all of them: smslogdoc parse C:/logs/ccmsetup.log (line 12)"
