"""Several processes give exactly the diagnosis of one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smslogdoc import pipeline as workers
from smslogdoc.diagnose import diagnose
from smslogdoc.inputs.paths import LogInput, collect
from smslogdoc.report import jsondoc as report
from smslogdoc.report.document import report_of
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES

RULES, _ = load_rules([])


def as_json(paths: list[str], jobs: int) -> str:
    outcome = diagnose(paths, RULES, jobs=jobs)
    out = io.StringIO()
    report.write(report_of(outcome), out, Options())
    return out.getvalue()


def test_workers_find_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    one = as_json([str(SAMPLES)], 1)
    assert workers.worth_sharing(collect([str(SAMPLES)], []), 2)
    assert as_json([str(SAMPLES)], 2) == one
    assert as_json([str(SAMPLES)], 3) == one
    assert '"rule": "push-no-management-point"' in one  # a folder-wide rule: its folder stayed whole


def test_a_folder_named_in_pieces_stays_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of one folder given apart, with another folder between them."""
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    push = SAMPLES / "push-no-management-point"
    paths = [
        str(push / "mobileclient.tcf"),
        str(SAMPLES / "ccmsetup-healthy"),
        str(push / "ccmsetup.log"),
        str(push / "ccm.log"),
    ]
    assert as_json(paths, 2) == as_json(paths, 1)


def test_when_workers_are_not_worth_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = collect([str(SAMPLES)], [])
    assert not workers.worth_sharing(logs, 1)  # one job
    assert not workers.worth_sharing(logs, 4)  # the samples are small
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    assert not workers.worth_sharing(collect([str(SAMPLES / "ccmsetup-healthy")], []), 4)  # one folder
    assert not workers.worth_sharing(collect(["-", str(SAMPLES)], []), 4)  # standard input is this process's


def test_the_pool_gives_results_in_order_under_spawn_as_windows_starts_workers() -> None:
    """The one pool (`parallel.in_order`) of `diagnose --jobs` and `fleet --jobs`:
    workers started by spawning a fresh interpreter (Windows, macOS) get
    their rules pickled and give, in order, what one process gives."""
    from smslogdoc import parallel
    from smslogdoc.fleet import run
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.rules.workflows import load_workflows

    machines = run.fleet_machines([str(SAMPLES)], [])
    assert len(machines) > 3
    workflows, errors = load_workflows([], RULES)
    assert not errors
    setup = (RULES, ReadOptions(), tuple(workflows))  # the workflows too: each machine's stories
    here = list(parallel.in_order(run._work, machines, run._start, setup, jobs=1))
    spawned = list(parallel.in_order(run._work, machines, run._start, setup, jobs=2, start_method="spawn"))
    assert [result.document for result in spawned] == [result.document for result in here]
    assert [result.name for result in here] == [machine.name for machine in machines]
    assert any(result.document["findings"] for result in here)
    assert any(result.document.get("stories") for result in spawned)


def test_the_pool_runs_in_this_process_for_one_job_or_one_task() -> None:
    from smslogdoc import parallel

    made: list[int] = []

    def setup(arg: int) -> int:
        made.append(arg)
        return arg

    assert list(parallel.in_order(lambda state, task: state * task, [1, 2, 3], setup, 10, jobs=1)) == [
        10,
        20,
        30,
    ]
    assert list(parallel.in_order(lambda state, task: state + task, [5], setup, 1, jobs=4)) == [6]
    assert made == [10, 1]  # the state is made once per process


def test_one_process_settles_whole_folders_a_stretch_at_a_time() -> None:
    """`whole_folders` cuts only where no later log is of a folder already seen."""

    def log(folder: str, name: str) -> LogInput:
        return LogInput(name=f"{folder}/{name}", folder=folder, parts=[])

    logs = [log("a", "1"), log("a", "2"), log("b", "1"), log("c", "1"), log("b", "2"), log("d", "1")]
    stretches = list(workers.whole_folders(enumerate(logs)))
    assert [[number for number, _ in stretch] for stretch in stretches] == [[0, 1], [2, 3, 4], [5]]
    assert list(workers.whole_folders([])) == []


def test_one_process_over_many_folders_finds_what_it_finds_folder_by_folder() -> None:
    """Every sample folder in one run gives each folder's own findings, in input order."""
    folders = sorted(str(path) for path in SAMPLES.iterdir() if path.is_dir())
    together = diagnose(folders, RULES, jobs=1)
    apart = [finding for folder in folders for finding in diagnose([folder], RULES, jobs=1).findings]
    key = lambda finding: (finding.rule.id, finding.folder, finding.log, finding.occurrences)  # noqa: E731
    assert sorted(map(key, together.findings)) == sorted(map(key, apart))
