"""The text writer: how a finding's evidence is laid out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from smslogdoc.findings import Evidence
from smslogdoc.report.document import evidence_doc
from smslogdoc.report.text import _evidence_lines


def test_long_evidence_names_the_command_that_shows_it_all() -> None:
    item = Evidence("C:/logs/ccmsetup.log", 12, 30, None, "\n".join(f"line {n}" for n in range(19)), "e")
    last = _evidence_lines(evidence_doc(item), "C:/logs/ccmsetup.log")[-1].plain
    assert last == "      … 11 more line(s); all of them: smslogdoc parse C:/logs/ccmsetup.log (line 12)"


def test_an_evidence_place_too_long_for_the_width_puts_its_notes_below() -> None:
    when = datetime(2022, 11, 15, 8, 44, 38, tzinfo=timezone(timedelta(hours=-5)))
    path = "C:/collected/WKS0142/ccmsetup-service-cannot-access-source-rotated/ccmsetup.lo_"
    item = evidence_doc(Evidence(path, 76, 76, when, 'Running as user "SYSTEM"', "e", severity_inferred=True))
    narrow = [line.plain for line in _evidence_lines(item, "C:/collected/WKS0142/ccmsetup.log", width=76)]
    assert narrow[0] == f"    {path}:76"
    assert narrow[1].startswith("      · 2022-11-15 08:44:38")
    assert all(len(line) <= 76 for line in narrow[1:])
    wide = [line.plain for line in _evidence_lines(item, "C:/collected/WKS0142/ccmsetup.log", width=200)]
    assert wide[0].startswith(f"    {path}:76 · 2022-11-15 08:44:38")
    assert wide[0].endswith(" · severity inferred from its words")
