"""`fleet`: per deployment, how many machines stopped at which phase with
what, in text, JSON, CSV and HTML; on machines made of the real multi-log
excerpts of tests/fixtures/stories (two sources tell the same update
assignment B040D195-...: one machine restarted and succeeded, one waits for
the restart)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, invoke

UPDATES = REPO / "tests" / "fixtures" / "stories" / "update"
MACHINES = {
    "WKS1": "waiting-restart-kb3090265",
    "WKS2": "waiting-restart-kb3090265",
    "WKS3": "succeeded-kb3090265",
    "WKS4": "failed-download-0x87d00669",
    "WKS5": "failed-download-0x87d00669",
    "WKS6": "waiting-service-window-cm2007",
}
SAME = "software update deployment B040D195-8FA8-48D3-953F-17E878DAB23D"


@pytest.fixture(scope="module")
def fleet_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fleet")
    for machine, case in MACHINES.items():
        shutil.copytree(UPDATES / case, root / machine, ignore=shutil.ignore_patterns("SOURCE.md"))
    return root


def fleet(root: Path, *options: str) -> str:
    result = invoke(["fleet", str(root), "-q", "--fail-on", "none", *options], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_json_counts_machines_per_deployment_by_where_they_stopped(fleet_root: Path) -> None:
    document = json.loads(fleet(fleet_root, "-f", "json"))
    assert list(document) == ["version", "machines", "causes", "unexplained", "deployments", "problems"]
    first, failed, alone = document["deployments"]
    assert (first["subject"], first["machines"]) == (SAME, 3)
    assert [(o["verdict"], o["phase"], o["what"], o["machines"]) for o in first["outcomes"]] == [
        ("waiting", "restart", "installed; waiting for a restart", ["WKS1", "WKS2"]),
        ("succeeded", None, "", ["WKS3"]),
    ]
    assert [(o["verdict"], o["phase"], o["what"], o["count"]) for o in failed["outcomes"]] == [
        ("failed", "download", "0x87D00669", 2)
    ]
    assert alone["outcomes"][0]["what"] == "waiting for a maintenance window"
    assert document["machines"][0]["stories"] == [
        {
            "workflow": "update",
            "subject": SAME,
            "verdict": "waiting",
            "phase": "restart",
            "what": "installed; waiting for a restart",
        }
    ]


def test_text_says_how_many_machines_stopped_where(fleet_root: Path) -> None:
    text = fleet(fleet_root)
    section = text[text.index("Deployments, by where their machines stopped") :]
    assert (
        "        2: installed; waiting for a restart\n           WKS1, WKS2\n        1: succeeded\n"
        in section
    )
    assert "        2: failed at download, 0x87D00669\n           WKS4, WKS5\n" in section


def test_csv_has_a_row_per_machine_and_story(fleet_root: Path) -> None:
    rows = list(csv.reader(io.StringIO(fleet(fleet_root, "-f", "csv"))))
    told = [row for row in rows if row[1].startswith("story:")]
    assert len(told) == len(MACHINES)
    assert told[3][:3] == ["WKS4", "story:update", "failed"]
    assert told[3][3].endswith(": failed at download, 0x87D00669")


def test_html_lists_the_deployments(fleet_root: Path) -> None:
    html = fleet(fleet_root, "-f", "html")
    section = html[html.index('<h2 id="deployments">') : html.index('<h2 id="machines">')]
    assert '<li>2: failed at download, 0x87D00669 <span class="meta">(WKS4, WKS5)</span></li>' in section


def test_redact_replaces_machine_names_in_the_deployments(fleet_root: Path) -> None:
    document = json.loads(fleet(fleet_root, "-f", "json", "--redact"))
    told = json.dumps(document["deployments"])
    assert "WKS" not in told and "HOST-" in told and "0x87D00669" in told
