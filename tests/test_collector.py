"""The garbage collector set for a process that keeps its rules (collector.py):
what is alive when the rules are loaded is frozen out of the collector's walks,
young collections come every `YOUNG` new containers, and only once a process."""

from __future__ import annotations

import gc

from smslogdoc import collector


def test_settle_freezes_what_is_alive_and_makes_young_collections_rarer() -> None:
    threshold = gc.get_threshold()
    try:
        collector._settled = False
        gc.set_threshold(700, 10, 10)
        rules = [{"rule": number} for number in range(1000)]  # long-lived containers, as rules are
        collector.settle()
        assert gc.get_freeze_count() >= len(rules)
        assert gc.get_threshold() == (collector.YOUNG, 10, 10)
        gc.set_threshold(700, 10, 10)
        collector.settle()  # once a process: a second call changes nothing
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        collector._settled = True


def test_a_collector_turned_off_stays_off() -> None:
    threshold = gc.get_threshold()
    try:
        collector._settled = False
        gc.set_threshold(0)
        collector.settle()
        assert gc.get_threshold()[0] == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        collector._settled = True
