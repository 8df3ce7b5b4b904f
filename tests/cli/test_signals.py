"""Ctrl-C and SIGTERM: one line on stderr and exit 130 or 143, never a
traceback, wherever the run is (waiting on standard input, workers busy on a
folder, `--follow`, which still writes its summary first)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smslogdoc.cli.common import Terminated
from tests.conftest import REPO, SAMPLES, invoke

posix_only = pytest.mark.skipif(os.name != "posix", reason="signals sent the POSIX way")
FOLLOWED = SAMPLES / "ccmsetup-service-cannot-access-source" / "ccmsetup.log"
# A job started in the background by a shell without job control (`cmd &`, nohup) ignores SIGINT,
# and so does every process it starts: Python then never turns Ctrl-C into KeyboardInterrupt, as
# the user asked. The Ctrl-C cases need a session that lets SIGINT through.
CTRL_C = pytest.param(
    signal.SIGINT,
    130,
    "Ctrl-C",
    marks=pytest.mark.skipif(
        signal.getsignal(signal.SIGINT) is signal.SIG_IGN, reason="SIGINT is ignored in this session"
    ),
)


def _start(arguments: list[str], **options: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        **options,  # type: ignore[call-overload]
    )


def _until(condition: object, what: str) -> None:
    """Wait for `condition()` (a state the process reaches, not a guess at a delay)."""
    deadline = time.monotonic() + 60
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.02)


def _waiting_on_pipe(process: subprocess.Popen[bytes]) -> bool:
    try:
        return "pipe" in Path(f"/proc/{process.pid}/wchan").read_text()
    except OSError:
        pytest.skip("no /proc/PID/wchan to see the process wait on its pipe")


@pytest.mark.parametrize(
    ("stop", "code", "line"), [(KeyboardInterrupt, 130, "Ctrl-C"), (Terminated, 143, "SIGTERM")]
)
def test_a_stop_in_the_middle_of_a_run_is_one_line(
    monkeypatch: pytest.MonkeyPatch, stop: type[KeyboardInterrupt], code: int, line: str
) -> None:
    import smslogdoc.diagnose

    def stopped(*args: object, **options: object) -> None:
        raise stop

    monkeypatch.setattr(smslogdoc.diagnose, "diagnose", stopped)
    result = invoke(["diagnose", str(SAMPLES)])
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"smslogdoc: stopped ({line})\n")


@posix_only
@pytest.mark.slow
@pytest.mark.parametrize(("number", "code", "line"), [CTRL_C, (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_while_standard_input_is_read(number: int, code: int, line: str) -> None:
    process = _start(["-m", "smslogdoc", "diagnose", "-"], stdin=subprocess.PIPE)
    _until(lambda: _waiting_on_pipe(process), "waited on standard input")
    os.killpg(process.pid, number)  # as a terminal sends Ctrl-C: to the whole group
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err.decode()) == (code, b"", f"smslogdoc: stopped ({line})\n")


@posix_only
@pytest.mark.slow
@pytest.mark.parametrize(("number", "code", "line"), [CTRL_C, (signal.SIGTERM, 143, "SIGTERM")])
def test_follow_writes_its_summary_then_exits_on_a_signal(number: int, code: int, line: str) -> None:
    process = _start(
        ["-m", "smslogdoc", "diagnose", "--follow", "--follow-interval", "0.05", str(FOLLOWED)],
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the finding, printed once confirmed: following has begun
    assert b"ERROR  ccmsetup, relaunched as a service" in first
    process.send_signal(number)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err.decode()) == (code, f"smslogdoc: stopped ({line})\n")
    summary = out.decode().splitlines()[-1]
    assert summary.startswith("1 finding (1 error) · 1 file read · ") and summary.endswith(
        " · followed until stopped"
    )


WORKERS = """
import os, sys, time
from pathlib import Path
import smslogdoc.pipeline as pipeline
from smslogdoc.cli import main

pipeline.MIN_BYTES = 0
marks = Path(sys.argv[1])

def busy(state, task):
    (marks / str(os.getpid())).write_text("busy")
    while True:
        time.sleep(1)

pipeline._work = busy
sys.exit(main(["diagnose", "--jobs", "2", *sys.argv[2:]]))
"""


@posix_only
@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="the stand-in worker reaches forked workers only")
@pytest.mark.parametrize(("number", "code", "line"), [CTRL_C, (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_while_workers_are_busy_stops_them(
    tmp_path: Path, number: int, code: int, line: str
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    folders = [str(SAMPLES / name) for name in ("ccmsetup-healthy", "execmgr-healthy")]
    process = _start(["-c", WORKERS, str(marks), *folders], stdin=subprocess.DEVNULL)
    _until(lambda: len(list(marks.iterdir())) == 2, "had both workers busy")
    listed = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=True)
    workers = [int(pid) for pid in listed.stdout.split()]
    if number == signal.SIGINT:
        os.killpg(process.pid, number)  # Ctrl-C reaches the workers too: they leave it to the main process
    else:
        process.send_signal(number)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err.decode()) == (code, f"smslogdoc: stopped ({line})\n")
    assert len(workers) == 2
    _until(lambda: not any(_running(pid) for pid in workers), "ended its workers")


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False
