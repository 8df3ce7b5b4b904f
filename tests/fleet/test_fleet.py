"""`smslogdoc fleet`: machines from folders and archives, causes ranked by
machines hit, the JSON contract, CSV rows, text sections, exit codes, the
unexplained templates, and the same results on worker processes and on a
Dask cluster."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from smslogdoc.engine.unexplained import template as fold
from smslogdoc.fleet import FleetReport, MachineResult, fleet_machines, machine_results
from smslogdoc.read.full import ReadOptions
from smslogdoc.report.fleettext import names
from smslogdoc.report.jsondoc import write_fleet
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES, invoke

RULES, _ = load_rules([])


@pytest.fixture(scope="module")
def fleet_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six machines: three folders and a zip with a known cause, a healthy one, a file that is no machine."""
    root = tmp_path_factory.mktemp("fleet")
    for name in ("WKS0001", "WKS0002"):
        shutil.copytree(SAMPLES / "push-no-management-point", root / name)
    shutil.copytree(SAMPLES / "execmgr-network-access-denied", root / "WKS0003")
    with zipfile.ZipFile(root / "WKS0004.zip", "w") as packed:
        packed.write(
            SAMPLES / "push-no-management-point" / "ccmsetup.log", "Windows/ccmsetup/Logs/ccmsetup.log"
        )
        packed.write(
            SAMPLES / "push-no-management-point" / "mobileclient.tcf",
            "Windows/ccmsetup/Logs/mobileclient.tcf",
        )
    shutil.copytree(SAMPLES / "ccmsetup-healthy", root / "WKS0005")
    (root / "inventory.txt").write_text("not a machine")
    return root


def run_json(root: Path, *extra: str) -> dict[str, object]:
    result = invoke(["fleet", str(root), "-f", "json", *extra])
    assert result.exit_code == 1, result.output
    assert result.stderr == ""  # no progress bar when stderr is not a terminal; problems are in the document
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_causes_are_ranked_by_machines_hit(fleet_root: Path) -> None:
    document = run_json(fleet_root)
    assert list(document) == ["version", "machines", "causes", "unexplained", "deployments", "problems"]
    assert document["version"] == 1
    machines = document["machines"]
    assert isinstance(machines, list)
    assert [machine["name"] for machine in machines] == [
        "WKS0001",
        "WKS0002",
        "WKS0003",
        "WKS0004",
        "WKS0005",
    ]
    assert machines[3]["path"] == str(fleet_root / "WKS0004.zip")
    assert [
        finding["rule"] for finding in machines[4]["findings"] if finding["rule"] != "unexplained-errors"
    ] == []
    causes = document["causes"]
    assert isinstance(causes, list)
    assert [(cause["rule"], cause["count"], cause["machines"]) for cause in causes] == [
        ("push-no-management-point", 3, ["WKS0001", "WKS0002", "WKS0004"]),
        ("execmgr-network-access-denied", 1, ["WKS0003"]),
    ]
    assert causes[0]["example"]["machine"] == "WKS0001"
    assert causes[0]["fix"]
    assert [(group["template"], group["count"], group["machines"]) for group in document["unexplained"]] == [
        ("Raised Program Error Event for Ad:PS<n>, Package:PS<n>, Program: Install Office", 1, ["WKS0003"]),
    ]  # the unexplained-errors findings' templates, across machines (the push failure's other
    # error records say what failed in words a rule family reads, beside the push rule's finding)
    assert document["problems"] == [
        {
            "path": str(fleet_root / "inventory.txt"),
            "line": None,
            "message": "not a machine: neither a folder nor an archive; not read",
        }
    ]
    zipped = machines[3]["findings"][0]["evidence"][0]["path"]
    assert zipped.startswith(f"{fleet_root}/WKS0004.zip!/Windows/ccmsetup/")


def test_the_same_results_on_worker_processes(fleet_root: Path) -> None:
    one = invoke(["fleet", str(fleet_root), "-f", "json", "--jobs", "1"])
    two = invoke(["fleet", str(fleet_root), "-f", "json", "--jobs", "2"])
    assert one.stdout == two.stdout
    assert one.exit_code == two.exit_code == 1


def test_csv_has_a_row_per_machine_and_finding(fleet_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "fleet.csv"
    result = invoke(["fleet", str(fleet_root), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "inventory.txt: not a machine" in result.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["machine", "rule", "severity", "title", "evidence", "time", "problems"]
    stories = [row[:3] for row in rows if row[1].startswith("story:")]  # a row per machine and story
    assert ["WKS0003", "story:package", "failed"] in stories
    healthy = [row[1] for row in rows if row[0] == "WKS0005" and not row[1].startswith("story:")]
    assert healthy in ([""], ["unexplained-errors"])  # no finding: one row with an empty rule
    rows = [
        row for row in rows if row[1] not in ("", "unexplained-errors") and not row[1].startswith("story:")
    ]  # unexplained-errors: where that summary is on
    assert [row[:2] for row in rows[1:]] == [
        ["WKS0001", "push-no-management-point"],
        ["WKS0002", "push-no-management-point"],
        ["WKS0003", "execmgr-network-access-denied"],
        ["WKS0004", "push-no-management-point"],
    ]
    assert rows[3][4] == f"{fleet_root}/WKS0003/execmgr.log:90"  # the failure (exit code 5), not its context
    assert rows[3][5].startswith("2014-10-14T14:39:59")


def test_text_ranks_causes_then_machines_without_one_then_problems(fleet_root: Path) -> None:
    result = invoke(["fleet", str(fleet_root)])
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("5 machines · 2 known causes · 1 without a known cause · 1 problem")
    assert "rule push-no-management-point · on 3 of 5 machines" in text
    assert text.index("push-no-management-point") < text.index("execmgr-network-access-denied")
    assert (
        text.index("execmgr-network-access-denied")
        < text.index("No known cause found on 1 machine")
        < text.index("Problems")
    )
    assert text.count("  Fix") == 2
    assert "WKS0005" in text.split("No known cause found on 1 machine", 1)[1]


def test_exit_codes(fleet_root: Path, tmp_path: Path) -> None:
    assert invoke(["fleet", str(fleet_root), "--fail-on", "none", "-q"]).exit_code == 0
    healthy = tmp_path / "healthy"
    shutil.copytree(SAMPLES / "ccmsetup-healthy", healthy / "WKS0001")
    assert invoke(["fleet", str(healthy)]).exit_code == 0
    assert invoke(["fleet", str(tmp_path / "missing")]).exit_code == 2
    assert invoke(["fleet", str(fleet_root), "--format", "html5"]).exit_code == 2


def test_names_are_cut_after_a_few() -> None:
    assert names(["A", "B"]) == "A, B"
    assert names([f"WKS{n}" for n in range(8)]) == "WKS0, WKS1, WKS2, WKS3, WKS4 and 3 more"


def test_fold_makes_one_template_of_a_message_whatever_its_values() -> None:
    one = fold(
        r"Failed to download files through BITS from \\srv01\SMSPKGD$\ABC00012 Error: 0x80190194 (job {5A9C1D2E-0B6F-4E0A-9D7B-1C2D3E4F5A6B}, 12 tries)"
    )
    two = fold(
        r"Failed to download  files through BITS from \\dp7\SMSPKGD$\ABC00099 Error: 0x80070005 (job {00000000-1111-2222-3333-444444444444}, 3 tries)"
    )
    assert (
        one == two == "Failed to download files through BITS from <path> Error: <hex> (job <guid>, <n> tries)"
    )
    assert (
        fold("Download http://dp1/sms_dp/x?id=5 failed at /var/log/a.log")
        == "Download <url> failed at <path>"
    )


def unexplained_result(machine: str, texts: list[str], *, folded: bool = False) -> MachineResult:
    evidence = [
        {
            "path": f"{machine}/ccmsetup.log",
            "line": n,
            "text": text,
            "codes": ["0x80190194: HTTP 404 (not found)"],
        }
        for n, text in enumerate(texts, 1)
    ]
    finding = {
        "rule": "unexplained-errors",
        "title": "Errors no rule explains",
        "severity": "info",
        "status": "confirmed",
        "fix": [],
        "evidence": evidence,
    }
    document = {"name": machine, "path": machine, "findings": [finding], "problems": []}
    templates = [fold(text) for text in texts] if folded else None
    return MachineResult(document, 1, 1, templates)  # type: ignore[arg-type]


@pytest.mark.parametrize("folded", [True, False])
def test_unexplained_errors_are_grouped_by_template_across_machines(folded: bool) -> None:
    """Templates as the diagnosis folded them (`folded`), or folded here (the texts were redacted)."""
    fleet = FleetReport(
        [
            unexplained_result(
                "WKS1",
                ["Failed to download files through BITS. Error: 0x80190194", "Other error 5"],
                folded=folded,
            ),
            unexplained_result(
                "WKS2", ["Failed to download files through BITS. Error: 0x80070005"], folded=folded
            ),
        ]
    )
    out = io.StringIO()
    write_fleet(fleet, out, Options())
    groups = fleet.unexplained()
    assert [(group["template"], group["machines"]) for group in groups] == [
        ("Failed to download files through BITS. Error: <hex>", ["WKS1", "WKS2"]),
        ("Other error <n>", ["WKS1"]),
    ]
    assert groups[0]["codes"] == ["0x80190194: HTTP 404 (not found)"]
    assert fleet.clean == ["WKS1", "WKS2"]  # no rule found a cause there
    assert json.loads(out.getvalue())["unexplained"][0] == {
        "template": "Failed to download files through BITS. Error: <hex>",
        "count": 2,
        "machines": ["WKS1", "WKS2"],
        "codes": ["0x80190194: HTTP 404 (not found)"],
        "example": "Failed to download files through BITS. Error: 0x80190194",
    }


@pytest.mark.slow
def test_dask_cluster_gives_the_same_json_as_jobs(fleet_root: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from smslogdoc.fleet.cluster import dask_results

    problems: list = []  # type: ignore[type-arg]
    machines = fleet_machines([str(fleet_root)], problems)
    local = [result.document for result in machine_results(machines, RULES, ReadOptions(), 2)]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        assert [
            result.document
            for result in dask_results(cluster.scheduler_address, machines, RULES, ReadOptions())
        ] == local
        by_jobs = invoke(["fleet", str(fleet_root), "-f", "json", "--jobs", "2"])
        by_dask = invoke(["fleet", str(fleet_root), "-f", "json", "--dask", cluster.scheduler_address])
    assert by_dask.exit_code == by_jobs.exit_code == 1
    assert by_dask.stdout == by_jobs.stdout


def test_the_fleet_takes_the_templates_the_diagnosis_folded() -> None:
    """A record is folded into its template once, where the diagnosis counted it."""
    result = unexplained_result("WKS1", ["Other error 5"])
    result.templates = ["as the worker folded it"]
    fleet = FleetReport([result])
    assert list(fleet.machines()) == [result.document]
    assert [group["template"] for group in fleet.unexplained()] == ["as the worker folded it"]


def test_a_machine_carries_the_templates_of_its_unexplained_records() -> None:
    from smslogdoc.engine.loop import Engine
    from smslogdoc.engine.unexplained import RULE_ID
    from smslogdoc.fleet import diagnose_machine

    machines = fleet_machines([str(SAMPLES)], [])
    results = [diagnose_machine(machine, Engine(RULES), ReadOptions()) for machine in machines]
    pairs = [
        (template, item["text"])
        for result in results
        for template, item in zip(
            result.templates or [],
            [item for f in result.document["findings"] if f["rule"] == RULE_ID for item in f["evidence"]],
            strict=True,
        )
    ]
    assert pairs and all(template == fold(text) for template, text in pairs)


def test_the_fleet_json_has_the_keys_its_typed_document_declares_in_that_order(fleet_root: Path) -> None:
    from smslogdoc.report.document import FleetDoc
    from tests.cli.test_contract import _key_orders

    for extra in ([], ["--redact"]):
        document = json.loads(invoke(["fleet", str(fleet_root), "-f", "json", *extra]).stdout)
        assert list(document) == [key for key in FleetDoc.__annotations__ if key in document]
        assert document["causes"] and document["machines"][0]["findings"]
        assert _key_orders(document, FleetDoc) == []
