"""The engine's semantics on events made in Python (tests/engine/conftest.py):
no file, no parser, no reader. Rules are inline YAML; each test feeds a log's
events through `Engine` and checks the findings: sequences, `within`, `by: run`,
`absent` (inconclusive or confirmed), `unless`, `requires`, `supported_by`,
`count` and `distinct`, `all`, grouping by a captured field, folder-wide rules,
fallbacks, and one finding per cause with its spread over runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from smslogdoc.findings import CONFIRMED, INCONCLUSIVE, Finding
from smslogdoc.model import Severity
from smslogdoc.report.texts import texts
from tests.engine.conftest import Log, engine_findings, rule

MakeLog = Callable[..., Log]

BASE = """
id: t
title: test rule
severity: error
events:
  a: {message: 'alpha'}
  b: {message: 'beta (?P<code>\\d+)'}
  c: {message: 'gamma'}
diagnosis: found {code}
fix: [do it]
"""

CCMSETUP_RULE = """
id: {id}
title: {id}
severity: error
applies_to: [ccmsetup]
{extra}
events:
  failed: {{message: 'CcmSetup failed with error code (?P<code>0x[0-9A-Fa-f]+)'}}
  system: {{message: 'Running as user "SYSTEM"'}}
  ok: {{message: 'exiting with return code 0'}}
condition: {condition}
diagnosis: failed in {{run}}
fix: [x]
"""


def ccmsetup_rule(condition: str, id: str = "t", extra: str = "") -> str:
    return CCMSETUP_RULE.format(id=id, condition=condition, extra=extra)


def cited(findings: list[Finding]) -> list[list[int]]:
    """The lines each finding cites, finding by finding."""
    return [[item.line for item in finding.evidence] for finding in findings]


def banner(log: Log, process: int, clock: str, thread: int) -> Log:
    return log.add(f"==========[ ccmsetup started in process {process} ]==========", clock, thread=thread)


# --- sequence, all, within -------------------------------------------------------


def test_a_sequence_fires_in_order_and_not_out_of_it(logs: MakeLog) -> None:
    sequence = rule(BASE + "condition: {sequence: [a, b]}\n")
    in_order = logs("x.log").add("alpha", "10:00:00").add("beta 1", "10:00:01")
    (finding,) = engine_findings([sequence], in_order)
    assert (finding.status, cited([finding]), texts(finding).diagnosis) == (CONFIRMED, [[1, 2]], "Found 1")
    reversed_ = logs("x.log").add("beta 1", "10:00:00").add("alpha", "10:00:01")
    assert engine_findings([sequence], reversed_) == []


@pytest.mark.parametrize(("within", "expected"), [("5m", []), ("6m", [[1, 2]]), ("10m", [[1, 2]])])
def test_a_sequence_within_a_window(logs: MakeLog, within: str, expected: list[list[int]]) -> None:
    """alpha at 10:00, beta at 10:06: inside a window of 6 minutes, outside one of 5."""
    sequence = rule(BASE + f"condition: {{sequence: [a, b], within: {within}}}\n")
    log = logs("x.log").add("alpha", "10:00:00").add("beta 1", "10:06:00")
    assert cited(engine_findings([sequence], log)) == expected


def test_the_newest_start_of_a_sequence_is_the_one_kept(logs: MakeLog) -> None:
    sequence = rule(BASE + "condition: {sequence: [a, b], within: 5m}\n")
    log = logs("x.log").add("alpha", "10:00:00").add("alpha", "10:05:00").add("beta 1", "10:08:00")
    assert cited(engine_findings([sequence], log)) == [[2, 3]]


def test_all_takes_any_order_and_cites_the_first_of_each(logs: MakeLog) -> None:
    both = rule(BASE + "condition: {all: [a, b]}\n")
    log = logs("x.log").add("beta 1", "10:00:00").add("beta 2", "10:00:01").add("alpha", "10:00:02")
    (finding,) = engine_findings([both], log)
    assert cited([finding]) == [[1, 3]] and finding.captures == {"code": "1"}


# --- count and distinct ------------------------------------------------------------


def test_count_needs_min_events_within_the_window(logs: MakeLog) -> None:
    counted = rule(BASE + "condition: {count: b, min: 3, within: 1m}\n")
    log = logs("x.log")
    for number, clock in enumerate(("10:00:00", "10:00:50", "10:01:40", "10:01:45"), 1):
        log.add(f"beta {number}", clock)
    assert cited(engine_findings([counted], log)) == [[2, 3, 4]]  # 1 and 3 are 100 s apart
    two = logs("x.log").add("beta 1", "10:00:00").add("beta 2", "10:00:10")
    assert engine_findings([counted], two) == []


def test_distinct_counts_different_values_only(logs: MakeLog) -> None:
    distinct = rule(BASE + "condition: {count: b, min: 3, distinct: code}\n")
    log = logs("x.log")
    for second, code in enumerate((1, 1, 2, 3)):
        log.add(f"beta {code}", f"10:00:0{second}")
    assert cited(engine_findings([distinct], log)) == [[1, 3, 4]]
    repeated = logs("x.log")
    for second, code in enumerate((1, 1, 2, 2)):
        repeated.add(f"beta {code}", f"10:00:0{second}")
    assert engine_findings([distinct], repeated) == []


# --- unless, requires, supported_by ----------------------------------------------


def test_unless_vetoes_only_when_it_comes_first(logs: MakeLog) -> None:
    vetoed = rule(BASE + "condition: {any: [b], unless: [c]}\n")
    assert engine_findings([vetoed], logs("x.log").add("gamma", "10:00:00").add("beta 1", "10:00:01")) == []
    late = logs("x.log").add("beta 1", "10:00:00").add("gamma", "10:00:01")
    assert cited(engine_findings([vetoed], late)) == [[1]]


def test_requires_must_come_first_and_is_cited(logs: MakeLog) -> None:
    required = rule(BASE + "condition: {any: [b], requires: [a]}\n")
    assert engine_findings([required], logs("x.log").add("beta 1", "10:00:00")) == []
    assert engine_findings([required], logs("x.log").add("beta 1", "10:00:00").add("alpha", "10:00:01")) == []
    log = logs("x.log").add("alpha", "10:00:00").add("beta 1", "10:00:01")
    assert cited(engine_findings([required], log)) == [[1, 2]]


def test_supported_by_raises_the_confidence_and_is_cited_as_support(logs: MakeLog) -> None:
    supported = rule(BASE + "confidence: low\ncondition: {any: [b], supported_by: [c]}\n")
    (alone,) = engine_findings([supported], logs("x.log").add("beta 1", "10:00:00"))
    assert alone.confidence == "low" and [(e.line, e.supporting) for e in alone.evidence] == [(1, False)]
    log = logs("x.log").add("beta 1", "10:00:00").add("gamma", "10:00:01")
    (finding,) = engine_findings([supported], log)
    assert finding.confidence == "medium"
    assert [(e.line, e.event, e.supporting) for e in finding.evidence] == [(1, "b", False), (2, "c", True)]


# --- absent: inconclusive until the window or the run is over ----------------------


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([("beta 1", "10:00:00"), ("other", "10:05:00")], [INCONCLUSIVE]),  # the log ends in the window
        ([("beta 1", "10:00:00"), ("other", "10:11:00")], [CONFIRMED]),  # the window has passed
        ([("beta 1", "10:00:00"), ("gamma", "10:04:00"), ("other", "10:11:00")], []),  # spoiled
        ([("beta 1", "10:00:00"), ("gamma", "10:12:00")], [CONFIRMED]),  # too late to spoil it
    ],
    ids=["log-ends-inside", "window-passed", "spoiled", "absent-event-after-the-window"],
)
def test_absent_within_a_window(logs: MakeLog, records: list[tuple[str, str]], expected: list[str]) -> None:
    waiting = rule(BASE + "condition: {any: [b], absent: [c], within: 10m}\n")
    log = logs("x.log")
    for message, clock in records:
        log.add(message, clock)
    findings = engine_findings([waiting], log)
    assert [finding.status for finding in findings] == expected
    if expected == [INCONCLUSIVE]:
        assert "window closed" in findings[0].note


def test_absent_by_run_is_confirmed_when_the_run_ended_and_inconclusive_while_it_runs(logs: MakeLog) -> None:
    """The run ends at `CcmSetup failed`: its success line can no longer come.
    A run whose last record is not its end could still succeed."""
    failed_not_ok = rule(ccmsetup_rule("{any: [system], by: run, absent: [ok]}"))
    ended = banner(logs("ccmsetup.log"), 3324, "10:00:00", 3912)
    ended.add('Running as user "SYSTEM"', "10:00:01", thread=3912)
    ended.add("CcmSetup failed with error code 0x80004005", "10:00:02", thread=3912)
    (finding,) = engine_findings([failed_not_ok], ended)
    assert (finding.status, finding.group) == (CONFIRMED, "run 1, process 3324")
    running = banner(logs("ccmsetup.log"), 3324, "10:00:00", 3912)
    running.add('Running as user "SYSTEM"', "10:00:01", thread=3912)
    (open_run,) = engine_findings([failed_not_ok], running)
    assert open_run.status == INCONCLUSIVE
    succeeded = banner(logs("ccmsetup.log"), 3324, "10:00:00", 3912)
    succeeded.add('Running as user "SYSTEM"', "10:00:01", thread=3912)
    succeeded.add("CcmSetup is exiting with return code 0", "10:00:02", thread=3912)
    assert engine_findings([failed_not_ok], succeeded) == []


# --- by: run ------------------------------------------------------------------------


def interleaved_ccmsetup(log: Log) -> Log:
    """ccmsetup's bootstrap (run 1, thread 3396) starts the service (run 2,
    threads 3672 and 3912); the bootstrap's return code 0 is written after the
    service's banner, and the service fails."""
    banner(log, 476, "15:10:29", 3396)
    log.add("Successfully created the ccmsetup service", "15:10:30", thread=3396)
    banner(log, 3324, "15:10:31", 3672)
    log.add("In ServiceMain", "15:10:31", thread=3912)
    log.add("CcmSetup is exiting with return code 0", "15:10:32", thread=3396)
    log.add('Running as user "SYSTEM"', "15:10:33", thread=3912)
    log.add("CcmSetup failed with error code 0x80004005", "15:10:40", thread=3912)
    return log


def test_by_run_keeps_interleaved_runs_of_ccmsetup_apart(logs: MakeLog) -> None:
    """Grouped by run, the bootstrap's success does not veto the service's failure;
    grouped by log (the default) it does."""
    by_run = rule(ccmsetup_rule("{any: [failed], by: run, unless: [ok]}"))
    (finding,) = engine_findings([by_run], interleaved_ccmsetup(logs("ccmsetup.log")))
    assert (finding.group, texts(finding).diagnosis, cited([finding])) == (
        "run 2, process 3324",
        "Failed in run 2, process 3324",
        [[7]],
    )
    by_log = rule(ccmsetup_rule("{any: [failed], unless: [ok]}"))
    assert engine_findings([by_log], interleaved_ccmsetup(logs("ccmsetup.log"))) == []


def test_by_run_needs_both_events_in_one_run(logs: MakeLog) -> None:
    both = rule(ccmsetup_rule("{all: [system, failed], by: run}"))
    apart = banner(logs("ccmsetup.log"), 1, "10:00:00", 10)
    apart.add('Running as user "SYSTEM"', "10:00:01", thread=10)
    apart.add("CcmSetup is exiting with return code 1", "10:00:02", thread=10)
    banner(apart, 2, "10:01:00", 20)
    apart.add("CcmSetup failed with error code 0x80004005", "10:01:01", thread=20)
    assert engine_findings([both], apart) == []
    assert cited(engine_findings([both], interleaved_ccmsetup(logs("ccmsetup.log")))) == [[6, 7]]


def test_grouping_by_a_captured_field_gives_a_finding_per_value(logs: MakeLog) -> None:
    per_code = rule(BASE + "condition: {any: [b], by: code}\n")
    log = logs("x.log").add("beta 1", "10:00:00").add("beta 2", "10:00:01").add("beta 1", "10:00:02")
    findings = engine_findings([per_code], log)
    assert sorted((finding.captures["code"], finding.occurrences) for finding in findings) == [
        ("1", 1),
        ("2", 1),
    ]


# --- one finding per cause, with its spread over runs -------------------------------


def test_a_cause_in_three_runs_is_one_finding_with_its_spread(logs: MakeLog) -> None:
    each_run = rule(ccmsetup_rule("{any: [failed], by: run}"))
    log = logs("ccmsetup.log")
    for process, clock in ((101, "10:00:00"), (102, "11:00:00"), (103, "12:00:00")):
        banner(log, process, clock, process)
        log.add(
            "CcmSetup failed with error code 0x80004005", clock.replace(":00:00", ":00:30"), thread=process
        )
    (finding,) = engine_findings([each_run], log)
    assert (finding.occurrences, finding.group, cited([finding])) == (3, "run 3, process 103", [[6]])
    spread = finding.spread
    assert spread is not None
    assert (spread.runs, spread.first.group, spread.first.line, spread.last.group, spread.last.line) == (
        3,
        "run 1, process 101",
        2,
        "run 3, process 103",
        6,
    )
    assert [item.line for item in spread.evidence] == [2, 4]  # the runs the finding does not cite
    assert (spread.cited, spread.omitted) == (2, 0)


def test_a_confirmed_run_is_shown_before_a_later_inconclusive_one(logs: MakeLog) -> None:
    """Across runs the finding shows the latest *confirmed* match."""
    waiting = rule(ccmsetup_rule("{any: [system], by: run, absent: [ok]}"))
    log = banner(logs("ccmsetup.log"), 101, "10:00:00", 101)
    log.add('Running as user "SYSTEM"', "10:00:01", thread=101)
    log.add("CcmSetup failed with error code 0x80004005", "10:00:02", thread=101)
    banner(log, 102, "11:00:00", 102)
    log.add('Running as user "SYSTEM"', "11:00:01", thread=102)  # still running when the log ends
    (finding,) = engine_findings([waiting], log)
    assert (finding.status, finding.group, finding.occurrences) == (CONFIRMED, "run 1, process 101", 2)


# --- fallbacks ------------------------------------------------------------------------


def test_a_fallback_gives_way_to_a_specific_rule_on_the_same_run_only(logs: MakeLog) -> None:
    generic = rule(ccmsetup_rule("{any: [failed], by: run}", id="generic", extra="fallback: true"))
    specific = rule(ccmsetup_rule("{all: [system, failed], by: run}", id="specific"))
    same_run = interleaved_ccmsetup(logs("ccmsetup.log"))
    assert [finding.rule.id for finding in engine_findings([generic, specific], same_run)] == ["specific"]
    other_run = banner(logs("ccmsetup.log"), 1, "10:00:00", 10)
    other_run.add('Running as user "SYSTEM"', "10:00:01", thread=10)
    other_run.add("CcmSetup is exiting with return code 1", "10:00:02", thread=10)
    banner(other_run, 2, "10:01:00", 20)
    other_run.add("CcmSetup failed with error code 0x80004005", "10:01:01", thread=20)
    assert [finding.rule.id for finding in engine_findings([generic, specific], other_run)] == ["generic"]


# --- logs the rule does not apply to, folders -----------------------------------------


def test_a_rule_applies_only_to_its_kinds_of_log(logs: MakeLog) -> None:
    only_ccmsetup = rule(ccmsetup_rule("failed"))
    elsewhere = logs("execmgr.log").add("CcmSetup failed with error code 0x80004005", "10:00:00")
    assert engine_findings([only_ccmsetup], elsewhere) == []
    here = logs("ccmsetup.log").add("CcmSetup failed with error code 0x80004005", "10:00:00")
    assert cited(engine_findings([only_ccmsetup], here)) == [[1]]


def test_a_folder_rule_correlates_the_logs_of_one_folder_only(logs: MakeLog) -> None:
    two_logs = rule("""
        id: t
        title: two logs
        severity: error
        applies_to: [ccmsetup, execmgr]
        events:
          setup: {log: ccmsetup, message: 'CcmSetup failed'}
          program: {log: execmgr, message: 'exit code 5'}
        condition: {all: [setup, program], by: folder}
        diagnosis: x
        fix: [x]
    """)
    setup = logs("ccmsetup.log").add("CcmSetup failed with error code 0x80004005", "10:00:00")
    program = logs("execmgr.log").add("Program exit code 5", "10:00:05", severity=Severity.ERROR)
    (finding,) = engine_findings([two_logs], setup, program)
    assert (finding.log, sorted((e.path, e.line) for e in finding.evidence)) == (
        "WKS0042",
        [("WKS0042/ccmsetup.log", 1), ("WKS0042/execmgr.log", 1)],
    )
    other_machine = logs("execmgr.log", folder="WKS0043").add("Program exit code 5", "10:00:05")
    assert engine_findings([two_logs], setup, other_machine) == []
