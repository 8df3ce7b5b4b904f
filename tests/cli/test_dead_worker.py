"""Issue 21, item 5: a worker process that dies (killed, out of memory) in
`fleet --jobs N` or `diagnose --jobs N` becomes one problem line for its
machine or log; every other one is reported, the JSON is complete, exit 2.

The deaths are real: a worker runs `os._exit` (as the kernel's OOM killer
ends a process: no exception, no clean-up) in a real pool. The dying
functions are module-level here, so a spawned worker imports them too, and
the command line is given them by monkeypatching the module attribute the
pool is handed (nothing in the package knows of them)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from smslogdoc import parallel, pipeline
from smslogdoc.fleet import run
from smslogdoc.model import WORKER_LOST
from tests.conftest import SAMPLES, invoke

DENIED = SAMPLES / "execmgr-network-access-denied" / "execmgr.log"
FATAL = 3


def _square_or_die(state: int, task: int) -> int:
    if task == FATAL:
        os._exit(9)
    return state + task * task


def _setup(arg: int) -> int:
    return arg


def _lost(task: int) -> int:
    return -task


@pytest.mark.slow
def test_the_pool_loses_only_the_task_that_killed_its_worker() -> None:
    """Spawned workers (as on Windows), two tasks a chunk: the chunk is run again alone."""
    done = list(
        parallel.in_order(
            _square_or_die,
            list(range(8)),
            _setup,
            100,
            jobs=3,
            chunksize=2,
            start_method="spawn",
            lost=_lost,
        )
    )
    assert done == [100, 101, 104, -3, 116, 125, 136, 149]


def _machine_dies(state: Any, machine: Any) -> Any:
    if machine.name == "BAD":
        os._exit(9)
    return run.diagnose_machine(machine, *state)


def _batch_dies(state: Any, batch: Any) -> Any:
    if any(Path(log.folder).name == "BAD" for _, log in batch):
        os._exit(9)
    return _real_batch_work(state, batch)


_real_batch_work = pipeline._work


def _machines(root: Path) -> Path:
    for name in ("WKS1", "BAD", "WKS2", "WKS3"):
        (root / name).mkdir()
        (root / name / "execmgr.log").write_bytes(DENIED.read_bytes())
    return root


def test_fleet_survives_a_dead_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "_work", _machine_dies)
    root = _machines(tmp_path)
    result = invoke(["fleet", str(root), "--jobs", "2", "-f", "json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    machines = {machine["name"]: machine for machine in document["machines"]}
    assert list(machines) == ["BAD", "WKS1", "WKS2", "WKS3"]
    assert machines["BAD"]["problems"] == [{"path": str(root / "BAD"), "line": None, "message": WORKER_LOST}]
    assert all(machines[name]["findings"] for name in ("WKS1", "WKS2", "WKS3"))
    assert document["causes"][0]["machines"] == ["WKS1", "WKS2", "WKS3"]
    assert "Traceback" not in result.stderr
    text = invoke(["fleet", str(root), "--jobs", "2"])
    assert text.exit_code == 2 and f"{root / 'BAD'}: {WORKER_LOST}" in " ".join(text.stdout.split())


def test_diagnose_survives_a_dead_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_work", _batch_dies)
    monkeypatch.setattr(pipeline, "MIN_BYTES", 0)
    root = _machines(tmp_path)
    result = invoke(["diagnose", str(root), "--jobs", "2", "-f", "json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    cited = {Path(item["log"]).parent.name for item in document["findings"]}
    assert cited == {"WKS1", "WKS2", "WKS3"}
    bad = str(root / "BAD" / "execmgr.log")
    assert {"path": bad, "line": None, "message": WORKER_LOST} in document["problems"]
    assert "Traceback" not in result.stderr


def _logs_die(state: Any, task: Any) -> Any:
    if any("BAD" in log.file_name for _, log in task):
        os._exit(9)
    from smslogdoc import perlog

    return perlog.__dict__["_work_for_test"](state, task)


def test_one_folder_shared_out_survives_a_dead_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One machine's logs shared out over the cores (`perlog`): the log whose worker died is a problem line."""
    from smslogdoc import perlog

    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    monkeypatch.setattr(perlog, "_stays", lambda *_: False)  # every log goes out (none read here)
    monkeypatch.setattr(perlog, "_work_for_test", perlog._work, raising=False)
    monkeypatch.setattr(perlog, "_work", _logs_die)
    folder = tmp_path / "WKS9"
    folder.mkdir()
    text = (SAMPLES / "smsapm32-error-1317-lockout" / "smsapm32.log").read_text(encoding="utf-8")
    for name in ("smsapm32.log", "BAD-smsapm32.log", "other-smsapm32.log"):  # no folder-wide rule reads it
        (folder / name).write_text(text, encoding="utf-8")
    result = invoke(["diagnose", str(folder), "--jobs", "2", "-f", "json"])
    assert result.exit_code == 2, result.stderr
    document = json.loads(result.stdout)
    assert {"path": str(folder / "BAD-smsapm32.log"), "line": None, "message": WORKER_LOST} in document[
        "problems"
    ]
    cited = {Path(evidence["path"]).name for item in document["findings"] for evidence in item["evidence"]}
    assert cited and "BAD-smsapm32.log" not in cited  # the others' findings are all there
    assert "Traceback" not in result.stderr
