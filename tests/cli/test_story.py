"""`smslogdoc story DIR`: every story of a machine, succeeded ones too, as a
timeline; `--deployment` picks one; `--format json` the stories as diagnose's
document holds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES, invoke

EXECMGR = SAMPLES / "execmgr-network-access-denied"
"""Two programs of one client: 7-Zip fails with access denied, Office waits for a retry after exit code 5."""
REAL = REPO.parent / "shared" / "real-logs"


def story(*args: str) -> tuple[int, str, str]:
    result = invoke(["story", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_every_story_of_a_machine_is_a_timeline_in_80_columns() -> None:
    code, out, _ = story(str(EXECMGR))
    assert code == 1  # one failed, one waits
    lines = out.splitlines()
    assert lines[0] == "package: program Install 7-Zip of package PS100009: failed at run (last"
    assert "> 2014-10-14 14:39:59 FAILED      run: Program run" in lines
    assert "  2014-10-14 13:58:22 ok          schedule: Scheduled run (maintenance window, …" in lines
    office = lines.index("package: program Install Office of package PS100012: waiting: exit code 5: tried")
    assert office > lines.index(
        "> 2014-10-14 14:39:59 FAILED      run: Program run"
    )  # in the order they began
    assert "> 2014-10-14 14:50:05 WAITING     result: Exit code and status" in lines
    assert lines[-1] == "2 stories (1 failed, 1 waiting)"
    assert all(len(line) <= 80 for line in lines)


def test_deployment_picks_a_story_by_any_of_its_keys() -> None:
    code, out, _ = story(
        str(EXECMGR), "--deployment", "ps120005", "--format", "json"
    )  # the Office advertisement
    document = json.loads(out)
    assert code == 1 and document["version"] == 1
    assert [(s["subject"], s["verdict"]) for s in document["stories"]] == [
        ("program Install Office of package PS100012", "waiting")
    ]
    assert document["stories"][0]["keys"]["advert"] == ["PS120005"]
    code, _, err = story(str(EXECMGR), "-d", "{NO-SUCH-DEPLOYMENT}")
    assert code == 2 and "no story names it" in err


def test_a_succeeded_story_is_told_and_exits_0() -> None:
    code, out, _ = story(str(REPO / "tests" / "fixtures" / "stories" / "update" / "succeeded-kb3090265"))
    assert code == 0
    assert out.splitlines()[-1] == "1 story (1 succeeded)"
    assert any(line.endswith(" ok          install: Installation") for line in out.splitlines())


def test_the_real_task_sequence_that_succeeded_lists_its_steps(tmp_path: Path) -> None:
    source = REAL / "ErnestoLeon87-log_reader__smsts.log"
    if not source.exists():
        pytest.skip("../shared/real-logs is not present")
    (tmp_path / "smsts.log").write_bytes(source.read_bytes())
    code, out, _ = story(str(tmp_path))
    assert code == 0 and out.splitlines()[-1] == "1 story (1 succeeded)"
    steps = [line for line in out.splitlines() if " ok          Install " in line]
    assert len(steps) >= 6  # the six Install Application steps, each with a time
    assert all(line[2:6].isdigit() for line in steps)
