"""The first pass of a scan run by a helper process, for very large logs when
more than one process may be used: it hands each segment's spans over a pipe
while this process parses the ones before. Should the helper stop early, the
file is read in full from the last handover on."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Generator
from multiprocessing.connection import Connection

from smslogdoc.read.scanner import Cut, Handover, Setup, passes


def helper_passes(setup: Setup) -> Generator[Handover, None, None]:
    """The first pass run by a second process, its handovers received here as
    they come (the pipe holds about one: memory stays bounded). Should the
    helper stop early, the file is read in full from the last handover on."""
    receiving, sending = multiprocessing.Pipe(duplex=False)
    helper = multiprocessing.Process(target=_helper, args=(setup, sending), daemon=True)
    helper.start()
    sending.close()
    last = Cut(setup.start, 1, 0)
    try:
        while True:
            try:
                message = receiving.recv()
            except (EOFError, OSError):
                message = Handover([], [], last, done=False, irregular=True)  # the helper died
            if isinstance(message, str):
                raise OSError(message)
            yield message
            if message.done or message.irregular:
                return
            last = message.cut
    finally:
        receiving.close()
        if helper.is_alive():
            helper.terminate()
        helper.join()


def child_signals() -> None:
    """In a child process (this helper, a worker of a pool): Ctrl-C, which the
    whole terminal's process group receives, is the main process's to handle
    (it stops its children), and SIGTERM ends the child at once (a handler
    inherited from the main process on fork would raise in it). Neither
    leaves a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _helper(setup: Setup, sending: Connection) -> None:
    """The helper process: scan the file and send each handover on."""
    child_signals()
    try:
        with setup.path.open("rb") as raw:
            for handover in passes(setup.scanner(raw), setup.blocks):
                sending.send(handover)
    except OSError as error:
        sending.send(error.strerror or str(error))
    finally:
        sending.close()
