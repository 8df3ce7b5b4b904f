"""`smslogdoc fleet`: many machines' logs (a folder or an archive each) into
causes ranked by how many machines they hit.

machines (`run.fleet_machines`) -> each diagnosed as one folder
(`machine.diagnose_machine`, in this process, worker processes or on a Dask
cluster: `run`, `cluster`) -> results streamed, in machine order, into the
aggregation (`aggregate.Fleet`) and the writer (`writers`).
"""

from __future__ import annotations

from smslogdoc.fleet.aggregate import Fleet, fold
from smslogdoc.fleet.machine import MachineResult, diagnose_machine
from smslogdoc.fleet.run import fleet_machines, machine_results
from smslogdoc.fleet.writers import WRITERS

__all__ = [
    "WRITERS",
    "Fleet",
    "MachineResult",
    "diagnose_machine",
    "fleet_machines",
    "fold",
    "machine_results",
]
