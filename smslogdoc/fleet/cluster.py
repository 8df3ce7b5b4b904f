"""`fleet --dask ADDRESS`: the per-machine work on an existing Dask distributed
cluster whose workers can read the same paths (a share). The rules are sent
once (scattered to every worker); each worker thread makes its engine from
them once and keeps it (a cached global), then diagnoses machine after
machine. Results come back per machine, in the machines' order, and merge
exactly as with `--jobs`. Needs the optional extra: `pip install "smslogdoc[dask]"`."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from smslogdoc.engine.loop import Engine
from smslogdoc.fleet.machine import diagnose_machine
from smslogdoc.inputs.archives import Machine
from smslogdoc.read.full import ReadOptions
from smslogdoc.report.aggregate import MachineResult
from smslogdoc.rules.model import Rule
from smslogdoc.rules.workflow import Workflow

_engines: dict[tuple[str, int], Engine] = {}
"""On a worker: an engine per set of rules and thread (engines are not shared between threads)."""
_lock = threading.Lock()


def dask_results(
    address: str,
    machines: Sequence[Machine],
    rules: list[Rule],
    options: ReadOptions,
    workflows: Sequence[Workflow] = (),
) -> Iterator[MachineResult]:
    """Each machine's result from the cluster at `address`, in the machines' order."""
    try:
        from distributed import Client
    except ImportError as error:
        raise ImportError('Dask is not installed: pip install "smslogdoc[dask]"') from error
    with Client(address, set_as_default=False) as client:  # type: ignore[no-untyped-call,unused-ignore]
        [shared] = client.scatter([rules], broadcast=True, hash=False)
        futures = client.map(
            _work,
            machines,
            rules=shared,
            token=str(shared.key),
            options=options,
            workflows=tuple(workflows),
            pure=False,
        )
        try:
            for future in futures:
                yield future.result()
                future.release()
        finally:
            client.cancel(futures)


def _work(
    machine: Machine, rules: list[Rule], token: str, options: ReadOptions, workflows: tuple[Workflow, ...]
) -> MachineResult:
    """On a worker: one machine, with the engine this thread made for these rules."""
    return diagnose_machine(machine, engine_for(rules, token), options, workflows)


def engine_for(rules: list[Rule], token: str) -> Engine:
    """The engine of this thread for the rules named `token`, made on first use."""
    key = (token, threading.get_ident())
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines[key] = Engine(rules)
    return engine
