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
from smslogdoc.engine import storytape
from smslogdoc.engine.loop import Engine
from smslogdoc.engine.storytape import Tape
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


def test_stories_played_from_the_workers_tapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers note the records of the workflows on tapes, played here in
    input order: the stories and the findings are those of one process, and
    no log is read twice."""
    path = one_folder(tmp_path)
    one = as_json([path], 1, stories=True)
    assert '"stories": [' in one and '"workflow": ' in one
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    played: list[str] = []
    real_play = perlog.StoryBook.play

    def playing(book: perlog.StoryBook, tape: Tape) -> None:
        played.append(tape.path)
        real_play(book, tape)

    monkeypatch.setattr(perlog.StoryBook, "play", playing)
    monkeypatch.setattr(perlog, "tell_one", refuse)
    sent = spy(monkeypatch)
    assert as_json([path], 2, stories=True) == one
    assert sent and played
    assert any("smsapm32" in name for name in played)  # the legacy client's log: a package story


def refuse(*args: Any) -> None:
    raise AssertionError("a log was read again for its stories")


def test_a_full_tape_is_read_again_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log with more workflow records than a tape holds is read again here for its stories."""
    path = one_folder(tmp_path)
    one = as_json([path], 1, stories=True)
    monkeypatch.setattr(perlog, "MIN_BYTES", 0)
    monkeypatch.setattr(storytape, "MAX_NOTED", 2)
    told: list[str] = []
    real = perlog.tell_one

    def telling(*args: Any) -> None:
        told.append(args[2].file_name)
        real(*args)

    monkeypatch.setattr(perlog, "tell_one", telling)
    spy(monkeypatch)
    assert as_json([path], 2, stories=True) == one
    assert told


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


def test_tasks_hold_logs_in_input_order() -> None:
    logs = list(enumerate(collect([str(SAMPLES)], [])))
    tasks = perlog._tasks(logs, 8)
    assert [number for task in tasks for number, _ in task] == [number for number, _ in logs]
    budget = -(-sum(perlog._size(log) for _, log in logs) // 8)
    assert all(len(task) == 1 or sum(perlog._size(log) for _, log in task) <= budget for task in tasks)
    assert 8 <= len(tasks) <= len(logs)
