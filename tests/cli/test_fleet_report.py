"""Issue 21, item 17: the fleet's reports. Text and CSV cite a cause's
failure line (as short does), not its context; CSV has a problems column;
HTML cause cards show the fix and the evidence; a machine's findings are
collapsed; an unreadable machine is not "without a known cause"; a long list
of machines is counted, not printed whole; the progress bar is gone before
the report's first line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.console import Console

from smslogdoc.cli import fleet as fleet_cli
from tests.conftest import SAMPLES, invoke
from tests.report.test_html import assert_inert

DENIED = SAMPLES / "execmgr-network-access-denied" / "execmgr.log"
SOURCE = SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Two machines with findings, an empty one and one holding only a binary file."""
    for name, log in (("WKS1", DENIED), ("WKS2", SOURCE)):
        (tmp_path / name).mkdir()
        (tmp_path / name / log.name).write_bytes(log.read_bytes())
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "BIN").mkdir()
    (tmp_path / "BIN" / "x.log").write_bytes(bytes(range(256)) * 20)
    return tmp_path


def test_text_cites_the_failure_and_keeps_unreadable_machines_apart(root: Path) -> None:
    text = invoke(["fleet", str(root)]).stdout
    assert " ".join(text.split()).startswith(
        "4 machines · 2 known causes · 0 without a known cause · 2 not examined (no file read) · 2 problems"
    )
    assert "No known cause found on" not in text
    assert "Not examined (no file could be read; see Problems) on 2 machines\n  BIN, EMPTY" in text
    assert f"{root}/WKS2/ccmsetup.log:80\n      Failed to access source file" in text
    assert 'Running as user "SYSTEM"' not in text  # the context line the cause once cited
    assert f"{root}/WKS1/execmgr.log:90\n      Program exit code 5" in text


def test_a_long_list_of_machines_without_a_cause_is_counted(tmp_path: Path) -> None:
    for n in range(30):
        (tmp_path / f"W{n:02d}").mkdir()
        (tmp_path / f"W{n:02d}" / "VendorAgent.log").write_text(
            "Agent started\nAgent stopped\n", encoding="utf-8"
        )
    text = invoke(["fleet", str(tmp_path), "--fail-on", "none"]).stdout
    assert "W19 and 10 more (all of them: -f csv or json)" in " ".join(text.split())
    assert "W20" not in text


def test_csv_has_the_problems_and_the_failure_line(root: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(invoke(["fleet", "-f", "csv", str(root)]).stdout)))
    by_machine = {row["machine"]: row for row in rows if row["rule"] != "unexplained-errors"}
    assert by_machine["EMPTY"]["problems"] == f"{root}/EMPTY: folder holds no files to read"
    assert by_machine["BIN"]["problems"] == f"{root}/BIN/x.log: binary file, not a log"
    assert by_machine["WKS2"]["evidence"] == f"{root}/WKS2/ccmsetup.log:80"
    assert by_machine["WKS2"]["problems"] == ""


def test_html_cause_cards_have_fix_and_evidence_and_machines_are_collapsed(root: Path) -> None:
    page = invoke(["fleet", "-f", "html", str(root)]).stdout
    dom = assert_inert(page)
    cards = page.split('<h2 id="machines">')[0].split('<section class="cause" id="cause-')[1:]
    assert len(cards) == 2
    for card in cards:
        assert "<h4>Fix</h4><ol><li>" in card and "<h4>Evidence, on WKS" in card
    assert "Failed to access source file" in cards[0] + cards[1]
    sections = page.split('<h2 id="machines">')[1]
    assert sections.count('<section class="machine"') == 4
    assert sections.count("<details><summary><b>") == 4  # each machine's findings folded
    text = " ".join(dom.text.split())
    assert "2 not examined (no file read)" in text and "Not examined (no file read) (2)" in text
    assert "Machines with no finding" not in text


def test_the_progress_bar_advances_and_is_gone_before_the_report() -> None:
    out = io.StringIO()
    progress = fleet_cli._Progress(3)
    progress.progress.live.console = Console(file=out, force_terminal=True, width=80)
    with progress:
        seen = list(progress.track(iter([object(), object(), object()])))  # type: ignore[list-item]
        written_before_the_report = out.getvalue()
    assert len(seen) == 3
    assert "3/3" in written_before_the_report
    assert not progress.progress.live.is_started  # stopped (and cleared) once the last result came
