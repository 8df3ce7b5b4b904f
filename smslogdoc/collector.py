"""Python's cyclic garbage collector, set for a process that loads thousands of
rules and then reads logs with them.

The collector walks every container object it tracks: each full collection
walks the rules, their matchers and the data tables too, though they live as
long as the process, and young collections run every 700 new containers while
reading makes hundreds of thousands. On a client's log folder that was about a
sixth of the time. So once the rules are loaded, `settle()` moves every object
alive then out of the collector's sight (`gc.freeze`: they are still freed when
nothing refers to them, only not searched for cycles) and collects the young
generation every `YOUNG` new containers instead. The logs' records hold no
reference cycles; what cycles the reading makes (a few thousand objects a
folder) wait a little longer to be freed."""

from __future__ import annotations

import gc

YOUNG = 10_000
"""New container objects between two young collections (Python's default: 700)."""

_settled = False


def settle() -> None:
    """Once per process, after the rules are loaded (later calls do nothing)."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.freeze()
    young, *older = gc.get_threshold()
    if young and young < YOUNG:  # 0: the collector was turned off, and stays so
        gc.set_threshold(YOUNG, *older)
