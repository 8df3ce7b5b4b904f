"""Healthy log text from public sources that present it as normal, expected or successful
(Microsoft's "how it works" walk-throughs, knowledge-base articles, blogs walking through a
successful run): smslogdoc must not tell the user that such a machine or site failed.

Each folder under excerpts/ holds one excerpt of one source, in a file named as the log it comes
from; SOURCES.yaml says where each was taken from and what the source says about it. On each,
`diagnose` must give no warning or error finding (confirmed or inconclusive) and no problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from smslogdoc.diagnose import diagnose
from smslogdoc.rules.load import load_rules

HERE = Path(__file__).resolve().parent
EXCERPTS = HERE / "excerpts"
SOURCES: list[dict[str, Any]] = yaml.safe_load((HERE / "SOURCES.yaml").read_text(encoding="utf-8"))
RULES, ERRORS = load_rules([])
BY_NAME = {entry["excerpt"]: entry for entry in SOURCES}


def test_every_excerpt_has_its_source_and_every_source_its_excerpt() -> None:
    folders = sorted(path.name for path in EXCERPTS.iterdir() if path.is_dir())
    assert folders == sorted(BY_NAME)
    assert len(BY_NAME) == len(SOURCES)
    for entry in SOURCES:
        assert {"excerpt", "log", "source", "says"} <= set(entry), entry
        files = [path.name for path in (EXCERPTS / entry["excerpt"]).iterdir()]
        assert files == [entry["log"]], entry["excerpt"]


def test_the_rules_load() -> None:
    assert ERRORS == []


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_healthy_excerpt_gets_no_warning_or_error(name: str) -> None:
    outcome = diagnose([str(EXCERPTS / name)], RULES)
    assert outcome.problems == []
    assert outcome.read_anything()
    loud = [
        (finding.rule.id, finding.severity, finding.status, [item.line for item in finding.evidence])
        for finding in outcome.findings
        if finding.severity in ("warning", "error")
    ]
    assert loud == []


_RECORD = re.compile(r"<!\[LOG\[(.*?)\]LOG\]!>", re.S)
PASTED_EXCEPTIONS = {
    # a code that is routine only in the context the lines around it give: "net start
    # W32Time" ending with 2 (the service was already running)
    "gh-osd-2019-smsts-osdsetuphook-full-os",
}
CMTRACE = sorted(
    name
    for name, entry in BY_NAME.items()
    if _RECORD.search((EXCERPTS / name / entry["log"]).read_text(encoding="utf-8", errors="replace"))
)


@pytest.mark.parametrize("name", CMTRACE)
def test_a_healthy_excerpt_pasted_message_only_gets_no_error(name: str, tmp_path: Path) -> None:
    """A CMTrace excerpt as a forum post pastes it, the messages alone one to a line: its
    warning and informational records carry no type now, and the inferred severity must
    not make a healthy run an error (formats/severity.py, the benign lists)."""
    text = (EXCERPTS / name / BY_NAME[name]["log"]).read_text(encoding="utf-8", errors="replace")
    pasted = tmp_path / BY_NAME[name]["log"]
    pasted.write_text("\n".join(message.replace("\r", "") for message in _RECORD.findall(text)) + "\n")
    outcome = diagnose([str(pasted)], RULES)
    loud = [
        (finding.rule.id, [item.text for item in finding.evidence])
        for finding in outcome.findings
        if finding.severity == "error"
    ]
    if name in PASTED_EXCEPTIONS:
        assert loud, f"{name} is quiet pasted now: take it off PASTED_EXCEPTIONS"
    else:
        assert loud == []
