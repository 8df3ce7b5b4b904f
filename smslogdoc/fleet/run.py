"""The machines of a fleet and their results, streamed in machine order: in
this process or on `jobs` worker processes (the pool of `parallel`, as
`diagnose --jobs` uses), or on a Dask cluster (`fleet.cluster`). Each worker
makes its engine once, from the rules it is sent, and diagnoses machine after
machine with it; the results come back in the order the machines were
listed, so the output is the same however the work was shared out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from smslogdoc import parallel
from smslogdoc.engine.loop import Engine
from smslogdoc.fleet.machine import diagnose_machine
from smslogdoc.inputs.archives import Machine, machines
from smslogdoc.model import WORKER_LOST, Problem
from smslogdoc.read.full import ReadOptions
from smslogdoc.report.aggregate import MachineResult
from smslogdoc.report.document import MachineDoc, problem_doc
from smslogdoc.rules.model import Rule
from smslogdoc.rules.workflow import Workflow

CHUNKS_PER_WORKER = 64
"""Machines go to workers in about this many chunks per worker (fewer round trips, still balanced)."""


def fleet_machines(roots: Iterable[str], problems: list[Problem]) -> list[Machine]:
    """The machines of each ROOT (its immediate subfolders and archives), root by root."""
    found: list[Machine] = []
    for root in roots:
        path = Path(root)
        if not path.is_dir():
            problems.append(
                Problem(
                    root,
                    "no such folder"
                    if not path.exists()
                    else "not a folder of machines (name the folder holding them)",
                )
            )
            continue
        listed = machines(path, problems)
        if not listed:
            problems.append(Problem(root, "folder holds no machines (subfolders or archives)"))
        found.extend(listed)
    return found


def machine_results(
    machines: Sequence[Machine],
    rules: list[Rule],
    options: ReadOptions,
    jobs: int = 1,
    workflows: Sequence[Workflow] = (),
) -> Iterator[MachineResult]:
    """Each machine's result, in the machines' order, on up to `jobs` processes
    (with where each of its stories of `workflows` stopped)."""
    workers = min(jobs, len(machines))
    chunk = max(1, len(machines) // (max(1, workers) * CHUNKS_PER_WORKER))
    setup = (rules, options, tuple(workflows))
    return parallel.in_order(_work, machines, _start, setup, jobs=jobs, chunksize=chunk, lost=lost_machine)


def lost_machine(machine: Machine) -> MachineResult:
    """A machine whose worker died: no finding, one problem (it was not examined)."""
    document: MachineDoc = {
        "name": machine.name,
        "path": str(machine.path),
        "findings": [],
        "problems": [problem_doc(Problem(str(machine.path), WORKER_LOST))],
    }
    return MachineResult(document, files=0, read=0, templates=[])


Setup = tuple[list[Rule], ReadOptions, tuple[Workflow, ...]]
State = tuple[Engine, ReadOptions, tuple[Workflow, ...]]


def _start(setup: Setup) -> State:
    rules, options, workflows = setup
    return Engine(rules), options, workflows


def _work(state: State, machine: Machine) -> MachineResult:
    engine, options, workflows = state
    return diagnose_machine(machine, engine, options, workflows)
