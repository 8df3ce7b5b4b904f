"""engine.candidates.Candidates: a record's candidate events are those that take
its severity and whose literal its text holds; the engine's findings depend on
nothing else (every event that matches a record is among its candidates)."""

from __future__ import annotations

from smslogdoc.engine.candidates import Candidates
from smslogdoc.model import Event, Severity
from smslogdoc.rules.load import load_rules

RULES, _ = load_rules([])
EVERY_EVENT = [(number, name) for number, rule in enumerate(RULES) for name in rule.events]

MESSAGES = [
    "Failed to download content with error 0x80070005",
    "CcmSetup failed with error code 0x80004005",
    "Unmatched exit code (1603) is considered an execution failure.",
    "Successfully completed the action",
    "Result of the scan: error = 0x80244022",
]


def _event(message: str, severity: Severity) -> Event:
    return Event("x.log", 1, 1, None, "x", severity, 1, message, "cmtrace")


def test_an_error_only_event_is_no_candidate_for_an_info_record() -> None:
    candidates = Candidates(RULES, EVERY_EVENT)
    error_only = {key for key in EVERY_EVENT if RULES[key[0]].events[key[1]].severities == {Severity.ERROR}}
    assert error_only, "the rule families read error records only"
    message = MESSAGES[0]
    on_info = set(candidates.of(_event(message, Severity.INFO)))
    on_error = set(candidates.of(_event(message, Severity.ERROR)))
    assert not on_info & error_only
    assert on_error & error_only
    assert on_info <= on_error | {
        key for key in EVERY_EVENT if Severity.INFO in RULES[key[0]].events[key[1]].severities
    }


def test_every_event_that_matches_is_a_candidate() -> None:
    candidates = Candidates(RULES, EVERY_EVENT)
    matched = 0
    for message in MESSAGES:
        for severity in Severity:
            event = _event(message, severity)
            found = set(candidates.of(event))
            for key in EVERY_EVENT:
                if RULES[key[0]].events[key[1]].match(event) is not None:
                    matched += 1
                    assert key in found, (message, severity, RULES[key[0]].id, key[1])
    assert matched > 20
