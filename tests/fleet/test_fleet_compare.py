"""`fleet --compare EARLIER.json` (report/fleetcompare.py): the causes that are
new, hit more or fewer machines, moved or are gone, over the machines both
collections hold; the machines only one holds named apart; the earlier report
checked before any machine is read; text, JSON and HTML; `--redact`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from smslogdoc.report.document import CauseDoc, FleetDoc
from smslogdoc.report.fleetcompare import (
    Earlier,
    EarlierCause,
    EarlierError,
    EarlierOutcome,
    compare,
    read_earlier,
)
from smslogdoc.report.storydoc import DeploymentDoc
from tests.cli.test_contract import _key_orders
from tests.conftest import SAMPLES, invoke

DENIED = "execmgr-network-access-denied"
NO_MP = "push-no-management-point"


def cause(rule: str, *machines: str) -> CauseDoc:
    return {
        "rule": rule,
        "title": f"title of {rule}",
        "severity": "error",
        "count": len(machines),
        "machines": list(machines),
        "example": {"machine": machines[0]},
        "fix": [],
    }


def test_changes_are_told_over_the_machines_both_collections_hold() -> None:
    earlier = Earlier(
        "last-week.json",
        ("WKS1", "WKS2", "WKS3", "WKS4", "OLD9"),
        (
            EarlierCause("fewer", "t", "error", ("WKS1", "WKS2")),
            EarlierCause("more", "t", "warning", ("WKS3",)),
            EarlierCause("resolved", "t", "error", ("WKS4",)),
            EarlierCause("same", "t", "error", ("WKS2",)),
            EarlierCause("moved", "t", "error", ("WKS1",)),
            EarlierCause("only-on-a-gone-machine", "t", "error", ("OLD9",)),
        ),
    )
    now = [
        cause("more", "WKS3", "wks1"),  # names compare without case
        cause("fewer", "WKS2"),
        cause("same", "WKS2"),
        cause("moved", "WKS3"),
        cause("new", "WKS4", "NEW7"),  # NEW7 is not in the earlier collection: not counted
        cause("only-on-an-added-machine", "NEW7"),
    ]
    said = compare(earlier, ["wks1", "WKS2", "WKS3", "WKS4", "NEW7"], now)
    assert said["earlier"] == "last-week.json"
    assert said["machines"] == {"both": 4, "added": ["NEW7"], "gone": ["OLD9"]}
    changes = {item["rule"]: item for item in said["changes"]}
    assert [item["rule"] for item in said["changes"]] == ["new", "more", "moved", "fewer", "resolved"]
    assert (
        changes["new"]["before"] == 0 and changes["new"]["now"] == 1 and changes["new"]["gained"] == ["WKS4"]
    )
    assert changes["more"]["gained"] == ["wks1"] and changes["more"]["severity"] == "error"  # today's
    assert changes["moved"]["gained"] == ["WKS3"] and changes["moved"]["lost"] == ["WKS1"]
    assert changes["fewer"]["lost"] == ["WKS1"] and (changes["fewer"]["before"], changes["fewer"]["now"]) == (
        2,
        1,
    )
    assert changes["resolved"]["now"] == 0 and changes["resolved"]["title"] == "t"  # from the earlier report
    assert said["unchanged"] == 1  # `same`; a cause on machines only one collection holds is no change
    assert said["deployments"] == []


def test_where_deployments_stopped_is_compared_too() -> None:
    waiting = ("update", "deployment {A}", "waiting", "service_window", "waiting for a maintenance window")
    failed = ("update", "deployment {A}", "failed", "download", "0x87D00607")
    earlier = Earlier(
        "last.json", ("WKS1", "WKS2", "WKS3"), (), (EarlierOutcome(*waiting, ("WKS1", "WKS2", "WKS3")),)
    )
    deployment: DeploymentDoc = {
        "workflow": "update",
        "subject": "deployment {A}",
        "machines": 3,
        "outcomes": [
            {"verdict": "succeeded", "phase": None, "what": "", "count": 2, "machines": ["WKS1", "WKS2"]},
            {
                "verdict": "failed",
                "phase": "download",
                "what": "0x87D00607",
                "count": 1,
                "machines": ["WKS3"],
            },
        ],
    }
    said = compare(earlier, ["WKS1", "WKS2", "WKS3"], [], [deployment])
    moved = {
        (item["verdict"], item["before"], item["now"]): (item["gained"], item["lost"])
        for item in said["deployments"]
    }
    assert moved == {
        ("succeeded", 0, 2): (["WKS1", "WKS2"], []),
        ("failed", 0, 1): (["WKS3"], []),
        ("waiting", 3, 0): ([], ["WKS1", "WKS2", "WKS3"]),
    }
    assert [item["what"] for item in said["deployments"]][1:] == [failed[-1], waiting[-1]]


def test_an_earlier_report_that_cannot_be_compared_says_why(tmp_path: Path) -> None:
    def error(text: str | None) -> str:
        path = tmp_path / "earlier.json"
        path.unlink(missing_ok=True)
        if text is not None:
            path.write_text(text, encoding="utf-8")
        with pytest.raises(EarlierError) as raised:
            read_earlier(path, "earlier.json")
        return str(raised.value)

    assert error(None).startswith("cannot read")
    assert (
        error("{nope")
        == "not a fleet report: not JSON (line 1: Expecting property name enclosed in double quotes)"
    )
    assert error('{"version": 1, "findings": []}').startswith("not a fleet report (make one with")
    assert error('{"version": 1, "machines": [{"name": 3}], "causes": []}').startswith("not a fleet report")
    assert "JSON version 7" in error('{"version": 7, "machines": [], "causes": []}')
    redacted = '{"version": 1, "machines": [], "causes": [], "redaction": {"host": 2}}'
    assert error(redacted).startswith("written with --redact")


@pytest.fixture(scope="module")
def fleets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Last week: two machines without a management point, one denied a share,
    one healthy. This week: WKS1 healthy again, WKS4 denied a share too, WKS5 new."""
    root = tmp_path_factory.mktemp("compare")
    earlier, now = root / "earlier", root / "now"
    for folder, machines in (
        (earlier, {"WKS1": NO_MP, "WKS2": NO_MP, "WKS3": DENIED, "WKS4": "ccmsetup-healthy"}),
        (now, {"WKS1": "ccmsetup-healthy", "WKS2": NO_MP, "WKS3": DENIED, "WKS4": DENIED, "WKS5": NO_MP}),
    ):
        for name, sample in machines.items():
            shutil.copytree(SAMPLES / sample, folder / name)
    report = invoke(["fleet", str(earlier), "-f", "json", "-o", str(root / "earlier.json")])
    assert report.exit_code == 1, report.output
    return now, root / "earlier.json"


def test_the_json_document_says_what_changed(fleets: tuple[Path, Path]) -> None:
    now, earlier = fleets
    result = invoke(["fleet", str(now), "-f", "json", "--compare", str(earlier)])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert list(document)[-1] == "compared"
    assert _key_orders(document, FleetDoc) == []  # as report/document.py and fleetcompare.py declare
    compared = document["compared"]
    assert compared["machines"] == {"both": 4, "added": ["WKS5"], "gone": []}
    assert [(item["change"], item["rule"], item["gained"], item["lost"]) for item in compared["changes"]] == [
        ("more", DENIED, ["WKS4"], []),
        ("fewer", NO_MP, [], ["WKS1"]),
    ]
    assert compared["unchanged"] == 0
    stopped = {(item["workflow"], item["verdict"], item["phase"]): item for item in compared["deployments"]}
    assert stopped["client_install", "failed", "exit"]["lost"] == ["WKS1"]  # WKS1's client installs again
    assert [item["gained"] for key, item in stopped.items() if key[0] == "package"] == [["WKS4"], ["WKS4"]]


def test_text_and_html_say_what_changed(fleets: tuple[Path, Path]) -> None:
    now, earlier = fleets
    text = invoke(["fleet", str(now), "--compare", str(earlier)]).stdout
    flat = " ".join(text.split())
    assert f"Since {earlier}: 4 machines in both; 1 added (WKS5); 2 causes changed, 0 unchanged" in flat
    assert "MORE 1 -> 2 machines" in flat and f"({DENIED}) +WKS4" in flat
    assert "FEWER 2 -> 1 machines" in flat and "-WKS1" in flat
    assert flat.index("Since ") < flat.index(
        "rule execmgr-network-access-denied · on 2 of 5"
    )  # above the causes
    html = invoke(["fleet", str(now), "--compare", str(earlier), "-f", "html"]).stdout
    section = html[html.index('<h2 id="changes">') : html.index('<h2 id="causes">')]
    assert '<span class="badge error">more</span>' in section and "+WKS4" in section
    assert '<span class="badge info">fewer</span>' in section and "2 -&gt; 1 machines" in section


def test_redacted_machines_keep_one_pseudonym_in_both_reports(fleets: tuple[Path, Path]) -> None:
    now, earlier = fleets
    document = json.loads(
        invoke(["fleet", str(now), "-f", "json", "--redact", "--compare", str(earlier)]).stdout
    )
    names = [machine["name"] for machine in document["machines"]]
    assert len(set(names)) == 5 and "WKS4" not in json.dumps(document) and "WKS1" not in json.dumps(document)
    gained, lost = (item["gained"] + item["lost"] for item in document["compared"]["changes"])
    assert gained == [names[3]] and lost == [names[0]]  # WKS4 and WKS1, under the names the machines got
    assert document["compared"]["machines"]["added"] == [names[4]]


def test_the_earlier_report_is_checked_before_any_machine_is_read(
    fleets: tuple[Path, Path], tmp_path: Path
) -> None:
    now, _ = fleets
    missing = tmp_path / "missing.json"
    result = invoke(["fleet", str(now), "--compare", str(missing)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"smslogdoc: --compare: {missing}: cannot read: No such file or directory\n"
    csv = invoke(["fleet", str(now), "--compare", str(missing), "-f", "csv"])
    assert csv.exit_code == 2 and csv.stderr.startswith("smslogdoc: --compare: csv has a row per machine")
