"""One machine's logs shared out to worker processes give exactly the diagnosis of one process."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from smslogdoc import perlog
from smslogdoc.diagnose import diagnose
from smslogdoc.engine.loop import Engine
from smslogdoc.inputs.paths import collect
from smslogdoc.pipeline import Settings
from smslogdoc.read.full import ReadOptions
from smslogdoc.report import jsondoc as report
from smslogdoc.report.document import report_of
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.workflows import load_workflows
from tests.conftest import REAL_LOGS, SAMPLES, needs_real_logs

RULES, _ = load_rules([])
WORKFLOWS, _ = load_workflows([], RULES)


def as_json(paths: list[str], jobs: int, *, stories: bool = False) -> str:
    outcome = diagnose(paths, RULES, jobs=jobs, workflows=WORKFLOWS if stories else ())
    out = io.StringIO()
    report.write(report_of(outcome), out, Options())
    return out.getvalue()


def spy(monkeypatch: pytest.MonkeyPatch, start_method: str | None = None) -> list[int]:
    """Records how many tasks went to the pool (and starts its workers with `start_method`)."""
    sent: list[int] = []
    real = perlog.parallel.in_order

    def counting(work: Callable[..., Any], tasks: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(len(tasks))
        return real(work, tasks, *args, **kwargs, start_method=start_method)

    monkeypatch.setattr(perlog.parallel, "in_order", counting)
    return sent


@pytest.mark.parametrize(
    "folder",
    [
        "push-no-management-point",  # a folder-wide rule: its logs stay in this process
        "push-healthy",
    ],
)
def test_a_folders_logs_shared_out_find_what_one_process_finds(
    folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(SAMPLES / folder)
    one = as_json([path], 1)
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    sent = spy(monkeypatch)
    assert as_json([path], 2) == one
    assert as_json([path], 3) == one
    assert sent  # the logs were shared out, not read here


def one_folder(tmp_path: Path) -> str:
    """Every sample log in one folder (every format the readers know, log names kept where they are unique)."""
    seen: set[str] = set()
    for source in sorted(SAMPLES.rglob("*")):
        if source.is_file() and source.name != "README.md":
            name = source.name if source.name not in seen else f"{source.parent.name}-{source.name}"
            seen.add(name)
            shutil.copyfile(source, tmp_path / name)
    return str(tmp_path)


def test_every_sample_in_one_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = one_folder(tmp_path)
    one = as_json([path], 1)
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    sent = spy(monkeypatch)
    assert as_json([path], 2) == one
    assert sent and sent[0] > 2
    assert one.count('"rule": ') > 5


def test_workers_started_by_spawning_as_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = one_folder(tmp_path)
    one = as_json([path], 1)
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    sent = spy(monkeypatch, "spawn")
    assert as_json([path], 2) == one
    assert sent and sent[0] >= 1


@needs_real_logs
def test_the_real_logs_shared_out_log_by_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dozens of real logs in two folders, on three jobs: shared out log by log."""
    one = as_json([str(REAL_LOGS)], 1)
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    sent = spy(monkeypatch)
    assert as_json([str(REAL_LOGS)], 3) == one
    assert sent and sent[0] > 2
    assert '"findings": []' not in one


def test_logs_a_folder_wide_rule_applies_to_stay_here() -> None:
    engine = Engine(RULES)
    wide = [rule for rule in RULES if any("folder" in condition.by for condition in rule.conditions)]
    assert wide
    logs = {log.file_name: log for log in collect([str(SAMPLES / "push-no-management-point")], [])}
    settings = Settings(RULES, ReadOptions(), None, None, "info")
    stays = {
        name for name, log in logs.items() if perlog._stays(wide, log, perlog._scopes(engine, log, settings))
    }
    assert stays and stays != set(logs)


def test_stories_told_here_while_the_workers_run_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The logs a workflow reads go to the workers for the rules and are read
    here for the stories, in input order: the stories and the findings are
    those of one process."""
    path = one_folder(tmp_path)
    one = as_json([path], 1, stories=True)
    assert '"stories": [' in one and '"workflow": ' in one
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    told: list[str] = []
    real = perlog.tell_one

    def telling(*args: Any) -> None:
        told.append(args[2].file_name)
        real(*args)

    monkeypatch.setattr(perlog, "tell_one", telling)
    sent = spy(monkeypatch)
    assert as_json([path], 2, stories=True) == one
    assert sent and told  # shared out, and some logs read here for their stories only
    assert any("smsapm32" in name for name in told)  # the legacy client's log: a package story


@needs_real_logs
def test_the_real_logs_stories_shared_out(monkeypatch: pytest.MonkeyPatch) -> None:
    one = as_json([str(REAL_LOGS)], 1, stories=True)
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    spy(monkeypatch)
    assert as_json([str(REAL_LOGS)], 3, stories=True) == one
    assert '"verdict": ' in one


def test_when_sharing_logs_is_not_worth_it(monkeypatch: pytest.MonkeyPatch) -> None:
    one_folder = collect([str(SAMPLES / "push-no-management-point")], [])
    assert not perlog.worth_it(one_folder, 2)  # small
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    assert perlog.worth_it(one_folder, 2)
    assert not perlog.worth_it(one_folder, 1)  # one job
    assert not perlog.worth_it(one_folder[:1], 2)  # one log
    assert not perlog.worth_it(collect([str(SAMPLES)], []), 2)  # as many folders as jobs: shared by folder
    assert not perlog.worth_it(collect(["-", str(SAMPLES / "push-healthy")], []), 4)  # standard input


def test_tasks_start_small_then_go_largest_first() -> None:
    logs = list(enumerate(collect([str(SAMPLES)], [])))
    tasks = perlog._tasks(logs, 8)
    sizes = [sum(perlog._size(log) for _, log in task) for task in tasks]
    assert sorted(number for task in tasks for number, _ in task) == [number for number, _ in logs]
    assert sizes[0] == min(sizes)
    assert perlog._size(tasks[1][0][1]) == max(perlog._size(log) for _, log in logs)
