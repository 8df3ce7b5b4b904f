"""`smslogdoc fleet`: many machines' logs (a folder or an archive each) into
causes ranked by how many machines they hit.

machines (`run.fleet_machines`) -> each diagnosed as one folder into its piece
of the fleet document (`machine.diagnose_machine`, in this process, on the
worker processes of `parallel` or on a Dask cluster: `run`, `cluster`) ->
results streamed, in machine order, into the report (`report.aggregate`) and
its writer (`report.writers.FLEET`).
"""

from __future__ import annotations

from smslogdoc.fleet.machine import diagnose_machine
from smslogdoc.fleet.run import fleet_machines, machine_results
from smslogdoc.report.aggregate import FleetReport, MachineResult

__all__ = ["FleetReport", "MachineResult", "diagnose_machine", "fleet_machines", "machine_results"]
