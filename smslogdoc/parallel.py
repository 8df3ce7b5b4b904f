"""One process pool, for `diagnose --jobs` (folders shared out) and `fleet
--jobs` (machines shared out).

`in_order(work, tasks, setup, arg, jobs=N)` gives `work(state, task)` for
each task, in the tasks' order, computed on up to N worker processes; each
worker makes its `state` once, `setup(arg)` (an engine from the rules it is
sent), and keeps it for every task it gets. With one job or one task the same
calls run in this process, so results are the same however the work is shared
out.

Spawn-safe (Windows, and macOS, start workers by spawning a fresh interpreter
that imports this package): `work` and `setup` must be module-level
functions, and `arg`, the tasks and the results plain picklable data.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

from smslogdoc.read.helper import child_signals

A = TypeVar("A")
S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_state: Any = None
"""A worker's state, made once when it starts (`setup(arg)`)."""


def cores() -> int:
    """How many processes `--jobs 0` (all cores) means: the cores this process
    may run on, where the system says (Linux), else all of them."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def in_order(
    work: Callable[[S, T], R],
    tasks: Sequence[T],
    setup: Callable[[A], S],
    arg: A,
    *,
    jobs: int,
    chunksize: int = 1,
    start_method: str | None = None,
) -> Iterator[R]:
    """`work(state, task)` for each of `tasks`, in their order, on up to `jobs`
    processes (`chunksize` tasks sent at a time); `state` is `setup(arg)`, made
    once per process. `start_method` (`spawn`, `fork`, `forkserver`) overrides
    the platform's default (tests use `spawn`, as Windows does)."""
    if jobs < 2 or len(tasks) < 2:
        state = setup(arg)
        for task in tasks:
            yield work(state, task)
        return
    context = multiprocessing.get_context(start_method) if start_method else None
    with _pool(min(jobs, len(tasks)), context, setup, arg) as pool:
        yield from pool.map(partial(_run, work), tasks, chunksize=chunksize)


@contextmanager
def _pool(workers: int, context: Any, setup: Callable[[Any], Any], arg: Any) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes, each started with `setup(arg)` (and
    `read.helper.child_signals`). Should the caller stop early (Ctrl-C, SIGTERM,
    an error, a generator closed), work not yet started is cancelled and the
    workers are ended at once, not waited for."""
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start, initargs=(setup, arg)
    )
    try:
        yield pool
    except BaseException:
        processes: dict[int, Any] = dict(getattr(pool, "_processes", None) or {})  # shutdown forgets them
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            process.terminate()
        if manager is not None:  # let it see its workers gone before the interpreter exits
            manager.join(timeout=5)
        raise
    pool.shutdown()


def _start(setup: Callable[[Any], Any], arg: Any) -> None:
    global _state
    child_signals()
    _state = setup(arg)


def _run(work: Callable[[Any, Any], Any], task: Any) -> Any:
    return work(_state, task)
