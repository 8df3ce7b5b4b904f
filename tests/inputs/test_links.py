"""Symbolic links in a folder walk (issue 21, item 10): followed only to
places inside the folder named, once; a link out of it (an outside secret,
/etc/shadow, /proc/self/environ) is never read, and one line per folder
counts them. A path named on the command line is read as given."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smslogdoc.inputs.archives import machines
from smslogdoc.inputs.paths import collect
from smslogdoc.model import Problem
from tests.conftest import SAMPLES, invoke

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links made the POSIX way")
EXEC = SAMPLES / "execmgr-local-program-fails" / "execmgr.log"
SECRET = "SECRET-TOKEN-8d41 Failed to access the vault, error 0x80070005"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """`root/` with a log, links inside it, and links leading out of it."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.log").write_text(SECRET + "\n")
    (outside / "folder" / "more.log").write_text(SECRET + "\n")
    root = tmp_path / "root"
    (root / "Logs").mkdir(parents=True)
    (root / "Logs" / "execmgr.log").write_bytes(EXEC.read_bytes())
    (root / "a-secret.log").symlink_to(outside / "secret.log")
    (root / "b-folder").symlink_to(outside / "folder", target_is_directory=True)
    (root / "c-relative.log").symlink_to(Path("..") / "outside" / "secret.log")
    (root / "d-again.log").symlink_to(root / "Logs" / "execmgr.log")  # inside: the same file, read once
    (root / "e-logs").symlink_to(root / "Logs", target_is_directory=True)
    if Path("/proc/self/environ").exists():
        (root / "f-environ.log").symlink_to("/proc/self/environ")
    return root


def test_a_walk_stays_inside_the_folder_named(tree: Path) -> None:
    problems: list[Problem] = []
    logs = collect([str(tree)], problems)
    outside = 4 if (tree / "f-environ.log").is_symlink() else 3
    assert [part.display for log in logs for part in log.parts] == [str(tree / "Logs" / "execmgr.log")]
    assert [str(problem) for problem in problems] == [
        f"{tree / 'e-logs'}: symbolic link loop: folder already read, not followed",
        f"{tree}: {outside} symbolic link(s) leading out of this folder skipped, not read",
    ]


def test_nothing_from_outside_reaches_the_report(tree: Path) -> None:
    result = invoke(["diagnose", "-f", "json", "-v", str(tree)])
    assert result.exit_code == 1  # the finding of the log inside; the skipped links are no reading error
    assert "SECRET-TOKEN" not in result.output
    assert "leading out of this folder skipped" in result.stderr


def test_a_link_named_on_the_command_line_is_read_as_given(tree: Path) -> None:
    result = invoke(["parse", "-f", "jsonl", str(tree / "a-secret.log")])
    assert result.exit_code == 0 and "SECRET-TOKEN" in result.stdout


def test_a_fleet_machine_linked_from_outside_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    fleet = tmp_path / "fleet"
    (fleet / "WKS01").mkdir(parents=True)
    (fleet / "WKS02").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (fleet / "WKS03").symlink_to(fleet / "WKS01", target_is_directory=True)  # the same machine again
    problems: list[Problem] = []
    assert [machine.name for machine in machines(fleet, problems)] == ["WKS01"]
    assert [str(problem) for problem in problems] == [
        f"{fleet}: 1 symbolic link(s) leading out of this folder skipped, not read"
    ]
