"""Several processes give exactly the diagnosis of one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smslogdoc import parallel as workers
from smslogdoc.diagnose import diagnose
from smslogdoc.inputs.paths import collect
from smslogdoc.report import jsondoc as report
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES

RULES, _ = load_rules([])


def as_json(paths: list[str], jobs: int) -> str:
    outcome = diagnose(paths, RULES, jobs=jobs)
    out = io.StringIO()
    report.write_json(outcome, outcome.findings, out)
    return out.getvalue()


def test_workers_find_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    one = as_json([str(SAMPLES)], 1)
    assert workers.worth_it(collect([str(SAMPLES)], []), 2)
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
    assert not workers.worth_it(logs, 1)  # one job
    assert not workers.worth_it(logs, 4)  # the samples are small
    monkeypatch.setattr(workers, "MIN_BYTES", 0)
    assert not workers.worth_it(collect([str(SAMPLES / "ccmsetup-healthy")], []), 4)  # one folder
    assert not workers.worth_it(collect(["-", str(SAMPLES)], []), 4)  # standard input is this process's
