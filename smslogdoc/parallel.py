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
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from smslogdoc.collector import settle
from smslogdoc.read.helper import child_signals

A = TypeVar("A")
S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

AHEAD = 8
"""Chunks a worker may be given beyond the one the caller waits for (their
results wait in memory until the caller takes them)."""

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
    lost: Callable[[T], R] | None = None,
) -> Generator[R, None, None]:
    """`work(state, task)` for each of `tasks`, in their order, on up to `jobs`
    processes (`chunksize` tasks sent at a time); `state` is `setup(arg)`, made
    once per process. `start_method` (`spawn`, `fork`, `forkserver`) overrides
    the platform's default (tests use `spawn`, as Windows does). With `lost`, a
    worker that dies (killed, out of memory) costs only the task it was doing:
    its result is `lost(task)` (a module-level function too), the rest go on."""
    if jobs < 2 or len(tasks) < 2:
        state = setup(arg)
        for task in tasks:
            yield work(state, task)
        return
    context = multiprocessing.get_context(start_method) if start_method else None
    workers = min(jobs, len(tasks))
    if lost is None:
        with _pool(workers, context, setup, arg) as pool:
            yield from pool.map(partial(_run, work), tasks, chunksize=chunksize)
        return
    yield from _surviving(Job(work, setup, arg, workers, context), tasks, chunksize, lost)


@dataclass(frozen=True)
class Job:
    """What every pool of one `in_order` run is made with."""

    work: Callable[[Any, Any], Any]
    setup: Callable[[Any], Any]
    arg: Any
    workers: int
    context: Any


def _surviving(job: Job, tasks: Sequence[T], chunksize: int, lost: Callable[[T], R]) -> Iterator[R]:
    """`in_order` when a worker may die (killed, out of memory): the pool breaks,
    every result already in is kept, the first chunk not done is run again
    alone, task by task in a pool of its own (a task that kills that worker too
    becomes `lost(task)`), and a new pool takes the rest. At most `AHEAD` chunks
    a worker are given out beyond the one the caller waits for, so results wait
    for a slow caller a few at a time, not all of them."""
    pending = [list(range(at, min(at + chunksize, len(tasks)))) for at in range(0, len(tasks), chunksize)]
    done: dict[int, R] = {}
    given = 0
    while pending:
        broken = False
        window: deque[tuple[list[int], Future[list[R]]]] = deque()
        """The chunks given out and not yet taken, in order."""
        with _pool(job.workers, job.context, job.setup, job.arg) as pool:
            chunks = iter(pending)
            while True:
                for chunk in islice(chunks, job.workers * AHEAD - len(window)):
                    window.append((chunk, pool.submit(_run_chunk, job.work, [tasks[i] for i in chunk])))
                if not window:
                    break
                chunk, future = window.popleft()
                try:
                    done.update(zip(chunk, future.result(), strict=True))
                except BrokenProcessPool:
                    broken = True
                    break
                while given in done:  # yield what is in order as soon as it is
                    yield done.pop(given)
                    given += 1
        if broken:
            for chunk, future in window:
                if future.done() and future.exception() is None:
                    done.update(zip(chunk, future.result(), strict=True))
            head = next(chunk for chunk in pending if chunk[0] >= given and chunk[0] not in done)
            done.update(_alone(job, [(i, tasks[i]) for i in head], lost))
        pending = [chunk for chunk in pending if chunk[0] >= given and chunk[0] not in done]
        while given in done:
            yield done.pop(given)
            given += 1


def _alone(job: Job, numbered: list[tuple[int, T]], lost: Callable[[T], R]) -> Iterator[tuple[int, R]]:
    """Each task on a worker of its own (a new one after a death): its
    result, or `lost(task)` when it killed that worker."""
    at = 0
    while at < len(numbered):
        with _pool(1, job.context, job.setup, job.arg) as pool:
            while at < len(numbered):
                index, task = numbered[at]
                try:
                    yield index, pool.submit(_run, job.work, task).result()
                except BrokenProcessPool:
                    yield index, lost(task)
                    at += 1
                    break
                at += 1


def _run_chunk(work: Callable[[Any, Any], Any], chunk: list[Any]) -> list[Any]:
    return [work(_state, task) for task in chunk]


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
    settle()  # the engine and its rules live as long as the worker


def _run(work: Callable[[Any, Any], Any], task: Any) -> Any:
    return work(_state, task)
