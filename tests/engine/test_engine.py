"""The rule engine's semantics, on small rules and logs written for each case."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smslogdoc.diagnose import Outcome, diagnose
from smslogdoc.report.texts import texts
from smslogdoc.rules.model import Rule
from smslogdoc.rules.schema import parse_rule


def rule(text: str) -> Rule:
    parsed, errors = parse_rule(textwrap.dedent(text), "<test>")
    assert errors == [], [str(e) for e in errors]
    assert parsed is not None
    return parsed


def cm(message: str, clock: str, thread: int = 1, component: str = "ccmsetup", type_: int = 1) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="{clock}.000+00" date="02-04-2020" component="{component}" '
        f'context="" type="{type_}" thread="{thread}" file="x.cpp:1">\r\n'
    )


def run(tmp_path: Path, rules: list[Rule], **files: str) -> Outcome:
    for name, text in files.items():
        (tmp_path / name.replace("__", ".")).write_text(text, encoding="utf-8", newline="")
    return diagnose([str(tmp_path)], rules)


def lines(outcome: Outcome, rule_id: str | None = None) -> list[list[int]]:
    return [[e.line for e in f.evidence] for f in outcome.findings if rule_id in (None, f.rule.id)]


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


def test_single_event_captures_fill_the_texts(tmp_path: Path) -> None:
    r = rule(BASE + "condition: b\n")
    outcome = run(tmp_path, [r], x__log=cm("beta 42", "10:00:00"))
    (finding,) = outcome.findings
    assert texts(finding).diagnosis == "Found 42"  # rendered as a sentence
    assert finding.captures == {"code": "42"}
    assert [e.line for e in finding.evidence] == [1]


def test_sequence_needs_the_order(tmp_path: Path) -> None:
    r = rule(BASE + "condition: {sequence: [a, b]}\n")
    assert (
        lines(
            run(tmp_path / "1", [r], x__log=cm("beta 1", "10:00:00") + cm("alpha", "10:00:01"))
            if (tmp_path / "1").mkdir() is None
            else None
        )
        == []
    )
    (tmp_path / "2").mkdir()
    assert lines(run(tmp_path / "2", [r], x__log=cm("alpha", "10:00:00") + cm("beta 1", "10:00:01"))) == [
        [1, 2]
    ]


@pytest.mark.parametrize(("within", "fires"), [("5m", False), ("10m", True)])
def test_sequence_within_a_window(tmp_path: Path, within: str, fires: bool) -> None:
    r = rule(BASE + f"condition: {{sequence: [a, b], within: {within}}}\n")
    outcome = run(tmp_path, [r], x__log=cm("alpha", "10:00:00") + cm("beta 1", "10:06:00"))
    assert bool(outcome.findings) is fires


def test_newest_start_of_a_sequence_is_kept(tmp_path: Path) -> None:
    """a at 10:00 and 10:05, b at 10:08, within 5m: the second a starts the match."""
    r = rule(BASE + "condition: {sequence: [a, b], within: 5m}\n")
    outcome = run(
        tmp_path, [r], x__log=cm("alpha", "10:00:00") + cm("alpha", "10:05:00") + cm("beta 1", "10:08:00")
    )
    assert lines(outcome) == [[2, 3]]


def test_one_event_never_fills_two_steps(tmp_path: Path) -> None:
    r = rule(
        BASE.replace("b: {message: 'beta (?P<code>\\d+)'}", "b: {message: 'alpha|beta (?P<code>\\d+)'}")
        + "condition: {sequence: [a, b]}\n"
    )
    assert lines(run(tmp_path, [r], x__log=cm("alpha", "10:00:00"))) == []


def test_all_in_any_order_cites_first_occurrences(tmp_path: Path) -> None:
    r = rule(BASE + "condition: {all: [a, b]}\n")
    outcome = run(
        tmp_path, [r], x__log=cm("beta 1", "10:00:00") + cm("beta 2", "10:00:01") + cm("alpha", "10:00:02")
    )
    (finding,) = outcome.findings
    assert [e.line for e in finding.evidence] == [1, 3]
    assert finding.captures["code"] == "1"


def test_count_with_window_and_distinct(tmp_path: Path) -> None:
    counted = rule(BASE + "condition: {count: b, min: 3, within: 1m}\n")
    spread = (
        cm("beta 1", "10:00:00")
        + cm("beta 2", "10:00:50")
        + cm("beta 3", "10:01:40")
        + cm("beta 4", "10:01:45")
    )
    assert lines(run(tmp_path, [counted], x__log=spread)) == [[2, 3, 4]]
    distinct = rule(BASE + "condition: {count: b, min: 3, distinct: code}\n")
    (tmp_path / "d").mkdir()
    repeated = (
        cm("beta 1", "10:00:00")
        + cm("beta 1", "10:00:01")
        + cm("beta 2", "10:00:02")
        + cm("beta 3", "10:00:03")
    )
    assert lines(run(tmp_path / "d", [distinct], x__log=repeated)) == [[1, 3, 4]]


def test_unless_vetoes_and_requires_is_cited(tmp_path: Path) -> None:
    vetoed = rule(BASE + "condition: {any: [b], unless: [c]}\n")
    assert lines(run(tmp_path, [vetoed], x__log=cm("gamma", "10:00:00") + cm("beta 1", "10:00:01"))) == []
    (tmp_path / "after").mkdir()
    assert lines(
        run(tmp_path / "after", [vetoed], x__log=cm("beta 1", "10:00:00") + cm("gamma", "10:00:01"))
    ) == [[1]]
    required = rule(BASE + "condition: {any: [b], requires: [a]}\n")
    (tmp_path / "r1").mkdir()
    assert lines(run(tmp_path / "r1", [required], x__log=cm("beta 1", "10:00:00"))) == []
    (tmp_path / "r2").mkdir()
    assert lines(
        run(tmp_path / "r2", [required], x__log=cm("alpha", "10:00:00") + cm("beta 1", "10:00:01"))
    ) == [[1, 2]]


def test_absent_is_inconclusive_until_the_window_has_passed(tmp_path: Path) -> None:
    r = rule(BASE + "condition: {any: [b], absent: [c], within: 10m}\n")
    ends_early = run(tmp_path, [r], x__log=cm("beta 1", "10:00:00") + cm("other", "10:05:00"))
    (finding,) = ends_early.findings
    assert finding.status == "inconclusive"
    assert "window closed" in finding.note
    for name, log, expected in (
        ("late", cm("beta 1", "10:00:00") + cm("other", "10:11:00"), ["confirmed"]),
        ("spoiled", cm("beta 1", "10:00:00") + cm("gamma", "10:04:00") + cm("other", "10:11:00"), []),
        ("outside", cm("beta 1", "10:00:00") + cm("gamma", "10:12:00"), ["confirmed"]),
    ):
        (tmp_path / name).mkdir()
        assert [f.status for f in run(tmp_path / name, [r], x__log=log).findings] == expected, name


CCMSETUP_RUNS = (
    cm("==========[ ccmsetup started in process 476 ]==========", "15:10:29", 3396)
    + cm("Successfully created the ccmsetup service", "15:10:30", 3396)
    + cm("==========[ ccmsetup started in process 3324 ]==========", "15:10:31", 3672)
    + cm("In ServiceMain", "15:10:31", 3912)
    + cm(
        "CcmSetup is exiting with return code 0", "15:10:32", 3396
    )  # the bootstrap, after the service's banner
    + cm('Running as user "SYSTEM"', "15:10:33", 3912)
    + cm("CcmSetup failed with error code 0x80004005", "15:10:40", 3912)
)


def test_ccmsetup_runs_own_their_threads(tmp_path: Path) -> None:
    """The bootstrap's return code 0 must not hide the service run's failure."""
    r = rule("""
        id: t
        title: service run failed without success
        severity: error
        applies_to: [ccmsetup]
        events:
          failed: {message: 'CcmSetup failed with error code'}
          ok: {message: 'exiting with return code 0'}
        condition: {any: [failed], by: run, absent: [ok]}
        diagnosis: failed in {run}
        fix: [x]
    """)
    (finding,) = run(tmp_path, [r], ccmsetup__log=CCMSETUP_RUNS).findings
    assert finding.status == "confirmed"  # the run ended, so the absence is certain
    assert texts(finding).diagnosis == "Failed in run 2, process 3324"


def test_execmgr_lines_without_a_program_join_the_next_line_of_their_thread(tmp_path: Path) -> None:
    r = rule(r"""
        id: t
        title: share and denied in one execution
        severity: error
        applies_to: [execmgr]
        events:
          unc: {message: 'Command line = "(?P<share>\\\\[^\\]+\\[^\\]+)'}
          denied: {message: 'exit code 5\b'}
        condition: {all: [unc, denied], by: run}
        diagnosis: '{run} {share}'
        fix: [x]
    """)
    log = (
        cm('Command line = "\\\\fs01\\Apps$\\a.cmd"', "10:00:00", 10, "execmgr")
        + cm(
            "Raised Program Started Event for Ad:PS1A, Package:PS1P, Program: First",
            "10:00:01",
            10,
            "execmgr",
        )
        + cm('Command line = "C:\\local\\b.cmd"', "10:00:02", 11, "execmgr")
        + cm(
            "Raised Program Started Event for Ad:PS1B, Package:PS1Q, Program: Second",
            "10:00:03",
            11,
            "execmgr",
        )
        + cm("Program exit code 5", "10:00:04", 20, "execmgr")
        + cm("Script for Package:PS1Q, Program: Second failed with exit code 5", "10:00:05", 20, "execmgr")
        + cm("Program exit code 5", "10:00:06", 21, "execmgr")
        + cm("Script for Package:PS1P, Program: First failed with exit code 5", "10:00:07", 21, "execmgr")
    )
    (finding,) = run(tmp_path, [r], execmgr__log=log).findings
    assert texts(finding).diagnosis == "Program First (package PS1P) \\\\fs01\\Apps$"
    assert [e.line for e in finding.evidence] == [1, 7]


def test_two_programs_are_two_findings_but_ccmsetup_retries_are_one(tmp_path: Path) -> None:
    r = rule("""
        id: t
        title: failed
        severity: error
        events:
          failed: {message: 'Execution is complete for program (?P<program>.+?)\\. The exit code is 1'}
        condition: {any: [failed], by: run}
        diagnosis: x
        fix: [x]
    """)
    log = "".join(
        cm(
            f"Execution is complete for program {p}. The exit code is 1, the execution status is FailureNonRetry",
            f"10:00:0{i}",
            5,
            "execmgr",
        )
        for i, p in enumerate(["A", "B", "A"])
    )
    outcome = run(tmp_path, [r], execmgr__log=log)
    assert sorted((f.group, f.occurrences) for f in outcome.findings) == [("program A", 1), ("program B", 1)]
    retried = rule("""
        id: t
        title: failed
        severity: error
        applies_to: [ccmsetup]
        events:
          failed: {message: 'CcmSetup failed with error code'}
        condition: {any: [failed], by: run}
        diagnosis: x
        fix: [x]
    """)
    (tmp_path / "c").mkdir()
    runs = "".join(
        cm(f"==========[ ccmsetup started in process {n} ]==========", f"10:0{n}:00", n)
        + cm("CcmSetup failed with error code 0x80004005", f"10:0{n}:30", n)
        for n in (1, 2, 3)
    )
    (finding,) = run(tmp_path / "c", [retried], ccmsetup__log=runs).findings
    assert finding.occurrences == 3
    assert finding.group == "run 3, process 3"  # the latest run is the one shown


def test_supported_by_raises_confidence_and_is_cited(tmp_path: Path) -> None:
    r = rule(BASE + "confidence: low\ncondition: {any: [b], supported_by: [c]}\n")
    outcome = run(tmp_path, [r], x__log=cm("beta 1", "10:00:00") + cm("gamma", "10:00:01"))
    (finding,) = outcome.findings
    assert finding.confidence == "medium"
    assert [(e.line, e.supporting) for e in finding.evidence] == [(1, False), (2, True)]


def test_adjacent_sequence(tmp_path: Path) -> None:
    r = rule(BASE.replace("found {code}", "found") + "condition: {sequence: [a, c], adjacent: true}\n")
    assert lines(run(tmp_path, [r], x__log=cm("alpha", "10:00:00") + cm("gamma", "10:00:01"))) == [[1, 2]]
    (tmp_path / "gap").mkdir()
    assert (
        lines(
            run(
                tmp_path / "gap",
                [r],
                x__log=cm("alpha", "10:00:00") + cm("other", "10:00:01") + cm("gamma", "10:00:02"),
            )
        )
        == []
    )


def test_fallback_gives_way_to_a_specific_rule_on_the_same_run(tmp_path: Path) -> None:
    fallback = rule("""
        id: generic
        title: generic
        severity: error
        applies_to: [ccmsetup]
        fallback: true
        events:
          failed: {message: 'CcmSetup failed with error code'}
        condition: {any: [failed], by: run}
        diagnosis: x
        fix: [x]
    """)
    specific = rule("""
        id: specific
        title: specific
        severity: error
        applies_to: [ccmsetup]
        events:
          system: {message: 'Running as user "SYSTEM"'}
        condition: {any: [system], by: run}
        diagnosis: x
        fix: [x]
    """)
    outcome = run(tmp_path, [fallback, specific], ccmsetup__log=CCMSETUP_RUNS)
    assert [f.rule.id for f in outcome.findings] == ["specific"]
    other_run = CCMSETUP_RUNS.replace("Running as user", "Running elsewhere")
    (tmp_path / "o").mkdir()
    assert [
        f.rule.id for f in run(tmp_path / "o", [fallback, specific], ccmsetup__log=other_run).findings
    ] == ["generic"]


def test_folder_rules_correlate_logs(tmp_path: Path) -> None:
    r = rule("""
        id: t
        title: two logs
        severity: error
        applies_to: [ccmsetup, client.msi]
        events:
          rc: {log: ccmsetup, message: 'Installation failed with error code 1603'}
          ipi: {log: client.msi, message: 'Suspended install detected'}
        condition: {all: [rc, ipi], by: folder}
        diagnosis: x
        fix: [x]
    """)
    msi = "MSI (s) (54:74) [16:26:11:416]: Checking in-progress install: install for same configuration.\nMSI (s) (54:74) [16:26:11:416]: Suspended install detected. Resuming.\n"
    outcome = run(
        tmp_path,
        [r],
        ccmsetup__log=cm("Installation failed with error code 1603", "16:26:12"),
        client__msi__log=msi,
    )
    (finding,) = outcome.findings
    assert sorted((Path(e.path).name, e.line) for e in finding.evidence) == [
        ("ccmsetup.log", 1),
        ("client.msi.log", 2),
    ]
    (tmp_path / "m1").mkdir()
    (tmp_path / "m2").mkdir()
    (tmp_path / "m1" / "ccmsetup.log").write_text(
        cm("Installation failed with error code 1603", "16:26:12"), newline=""
    )
    (tmp_path / "m2" / "client.msi.log").write_text(msi)
    assert diagnose([str(tmp_path / "m1"), str(tmp_path / "m2")], [r]).findings == []  # two machines


def test_ini_rules(tmp_path: Path) -> None:
    r = rule("""
        id: t
        title: no mp
        severity: error
        applies_to: [mobileclient]
        events:
          install: {section: 'Client Install', key: Install, value: 'SMSSITECODE=(?P<site>\\w+)'}
          mp: {key: 'SMSMP|MPs?'}
        condition: {any: [install], absent: [mp]}
        diagnosis: '{site}'
        fix: [x]
    """)
    tcf = "[Site]\r\n   SiteCode=PS1\r\n[Client Install]\r\n   Install=INSTALL=ALL SMSSITECODE=PS1\r\n"
    (finding,) = run(tmp_path, [r], mobileclient__tcf=tcf).findings
    assert texts(finding).diagnosis == "PS1" and finding.status == "confirmed"
    (tmp_path / "mp").mkdir()
    assert (
        run(tmp_path / "mp", [r], mobileclient__tcf=tcf + "[Management Points]\r\n   MP=cm01\r\n").findings
        == []
    )


def test_a_pattern_that_runs_away_stops_only_its_rule(tmp_path: Path) -> None:
    slow = rule("""
        id: slow
        title: catastrophic pattern
        severity: error
        events:
          x: {message: '(a|aa)+$'}
        condition: x
        diagnosis: x
        fix: [x]
    """)
    good = rule(BASE.replace("id: t", "id: good") + "condition: b\n")
    outcome = run(tmp_path, [slow, good], x__log=cm("a" * 40 + "!", "10:00:00") + cm("beta 7", "10:00:01"))
    assert [f.rule.id for f in outcome.findings] == ["good"]
    (problem,) = outcome.problems
    assert problem.line == 1 and problem.message.startswith(
        "rule slow: the pattern of event 'x' took too long"
    )


def test_a_rule_that_throws_is_reported_and_the_others_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smslogdoc.rules import model as rules_module

    broken = rule(
        BASE.replace("id: t", "id: broken")
        .replace("a: {message: 'alpha'}", "boom: {message: 'alpha'}")
        .replace("found {code}", "found")
        + "condition: boom\n"
    )
    good = rule(BASE.replace("id: t", "id: good") + "condition: b\n")
    original = rules_module.Matcher.match

    def explode(self: rules_module.Matcher, event: object) -> object:
        if self.name == "boom":
            raise ValueError("boom")
        return original(self, event)  # type: ignore[arg-type]

    monkeypatch.setattr(rules_module.Matcher, "match", explode)
    outcome = run(tmp_path, [broken, good], x__log=cm("alpha beta 3", "10:00:00"))
    assert [f.rule.id for f in outcome.findings] == ["good"]
    assert [p.message for p in outcome.problems] == [
        "rule broken: failed on this record (ValueError: boom); rule skipped for the rest of this log"
    ]


def test_error_codes_in_evidence_are_decoded(tmp_path: Path) -> None:
    r = rule(
        BASE.replace("beta (?P<code>\\d+)", "failed with error code (?P<code>0x\\w+)") + "condition: b\n"
    )
    (finding,) = run(
        tmp_path, [r], x__log=cm("CcmSetup failed with error code 0x80070005", "10:00:00")
    ).findings
    assert finding.evidence[0].codes == (
        "0x80070005 (-2147024891; Win32 5, ERROR_ACCESS_DENIED): Access is denied.",
    )


def test_kind_of_a_nameless_log_comes_from_its_components() -> None:
    from smslogdoc.engine.loop import Engine
    from smslogdoc.inputs.paths import InputFile, LogInput
    from smslogdoc.model import Event, Severity

    engine = Engine([])
    log = LogInput("<stdin>", "<stdin>", [InputFile(None, "<stdin>")])
    events = iter([Event("<stdin>", 1, 1, None, "execmgr", Severity.INFO, 1, "x", "cmtrace")])
    kind, rest = engine.kind_of(log, events)
    assert kind is not None and kind.name == "execmgr"
    assert [e.message for e in rest] == ["x"]


def test_a_reused_thread_id_joins_the_run_current_when_it_reappears(tmp_path: Path) -> None:
    """Windows reuses thread ids: weeks later, thread 3912 is another process's."""
    r = rule("""
        id: t
        title: failed in a run
        severity: error
        applies_to: [ccmsetup]
        events:
          failed: {message: 'CcmSetup failed with error code'}
        condition: {any: [failed], by: run}
        diagnosis: failed in {run}
        fix: [x]
    """)
    log = (
        cm("==========[ ccmsetup started in process 476 ]==========", "10:00:00", 3396)
        + cm("In ServiceMain", "10:00:01", 3912)
        + cm("CcmSetup is exiting with return code 0", "10:00:02", 3912)
        + cm("==========[ ccmsetup started in process 900 ]==========", "11:00:00", 500)
        + cm("CcmSetup is exiting with return code 0", "11:00:02", 500)
        + cm("==========[ ccmsetup started in process 1200 ]==========", "12:00:00", 600)
        + cm("CcmSetup failed with error code 0x80004005", "12:00:01", 3912)
    )
    (finding,) = run(tmp_path, [r], ccmsetup__log=log).findings
    assert texts(finding).diagnosis == "Failed in run 3, process 1200"


def test_runs_that_are_over_are_forgotten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over thousands of runs, the state kept per run (partial matches, side
    events) is dropped once a run can get no more records: memory stays
    bounded, and the findings are those of keeping everything."""
    from smslogdoc.engine import condition as engine
    from smslogdoc.engine.loop import RETIRE_BATCH

    r = rule("""
        id: t
        title: failed without a source given
        severity: error
        applies_to: [ccmsetup]
        events:
          given: {message: 'command line:.*/mp:'}
          started: {message: 'Running as user'}
          failed: {message: 'No valid source or MP locations'}
          never: {message: 'never written'}
        condition:
          - {any: [failed], by: run, unless: [given]}
          - {sequence: [started, never], by: run}
        diagnosis: failed in {run}
        fix: [x]
    """)
    log = []
    for number in range(1, 700):
        log.append(
            cm(
                f"==========[ ccmsetup started in process {number} ]==========",
                "10:00:00",
                1000 + number % 50 * 4,
            )
        )
        log.append(cm('Running as user "SYSTEM"', "10:00:01", 1000 + number % 50 * 4))
        if number % 100:
            log.append(cm("Ccmsetup command line: ccmsetup.exe /mp:mp01", "10:00:01", 1000 + number % 50 * 4))
        log.append(cm("No valid source or MP locations", "10:00:02", 1000 + number % 50 * 4))
    (tmp_path / "ccmsetup.log").write_text("".join(log), encoding="utf-8", newline="")
    checkers: list[engine.ConditionRun] = []
    created = engine.ConditionRun.__init__

    def remember(self: engine.ConditionRun, *args: object, **kwargs: bool) -> None:
        created(self, *args, **kwargs)  # type: ignore[arg-type]
        checkers.append(self)

    monkeypatch.setattr(engine.ConditionRun, "__init__", remember)
    kept = diagnose([str(tmp_path)], [r])
    assert all(len(checker.groups) <= 3 * RETIRE_BATCH + 10 for checker in checkers)
    assert all(len(checker.unless) <= 3 * RETIRE_BATCH for checker in checkers)
    (finding,) = kept.findings
    assert finding.occurrences == 6  # runs 100, 200 ... 600 had no /mp:

    monkeypatch.setattr(engine.ConditionRun, "retire", lambda self, runs, last_time: ([], set()))
    monkeypatch.setattr(engine, "MAX_SIDE_HITS", 1 << 30)
    everything = diagnose([str(tmp_path)], [r])
    assert [(f.group, f.occurrences, [e.line for e in f.evidence]) for f in everything.findings] == [
        (f.group, f.occurrences, [e.line for e in f.evidence]) for f in kept.findings
    ]


def test_a_keyed_run_model_names_the_program_of_a_record_and_remembers_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import smslogdoc.kinds as kinds_module

    model = kinds_module.load_kinds().get("execmgr").runs
    assert model is not None
    monkeypatch.setattr(kinds_module, "SEEN_MESSAGES", 2)
    model.__dict__.pop("_programs", None)  # a fresh memory for this test, of the size set above
    raised = "Raised Program Started Event for Ad:PS120001, Package:PS100004, Program: Install Office"
    assert model.program(raised) == ("install office", "program Install Office (package PS100004)")
    assert model.program("Execution is complete for program Install Office. The exit code is 0") == (
        "install office",
        "program Install Office",
    )
    assert len(model._programs) == 2
    assert (
        model.program("Policy is updated for nothing in particular") is None
    )  # no pattern matches: no program
    assert len(model._programs) == 1  # the memory was emptied when full
    assert model.program(raised) == ("install office", "program Install Office (package PS100004)")


def test_a_cause_in_many_runs_is_one_finding_with_bounded_evidence(tmp_path: Path) -> None:
    """500 failing runs: one finding, the latest run's evidence, the count of
    runs, the first and the last, and the records of the first and last few only."""
    from smslogdoc.engine.results import SPREAD_EACH, SPREAD_RECORDS
    from smslogdoc.report.document import finding_doc
    from smslogdoc.report.text import spread_text

    r = rule("""
        id: t
        title: failed
        severity: error
        applies_to: [ccmsetup]
        events:
          failed: {message: 'No valid source or MP locations'}
        condition: {any: [failed], by: run}
        diagnosis: failed in {run}
        fix: [x]
    """)
    log = []
    for number in range(1, 501):
        log.append(
            cm(
                f"==========[ ccmsetup started in process {number} ]==========",
                "10:00:00",
                1000 + number % 50 * 4,
            )
        )
        log.append(cm("No valid source or MP locations", "10:00:02", 1000 + number % 50 * 4))
    (tmp_path / "ccmsetup.log").write_text("".join(log), encoding="utf-8", newline="")
    (finding,) = diagnose([str(tmp_path)], [r]).findings
    assert finding.occurrences == 500
    assert finding.group == "run 500, process 500"
    spread = finding.spread
    assert spread is not None and spread.runs == 500
    assert (spread.first.group, spread.first.line, spread.last.group) == (
        "run 1, process 1",
        2,
        "run 500, process 500",
    )
    assert spread.cited == 2 * SPREAD_EACH - 1 and len(spread.evidence) <= spread.cited * SPREAD_RECORDS
    assert spread.omitted == 500 - 1 - spread.cited
    assert spread_text(finding_doc(finding)).startswith("in 500 runs (first run 1, process 1 at ")
    document = finding_doc(finding)
    assert document["spread"]["runs"] == 500 and document["spread"]["omitted"] == spread.omitted  # type: ignore[index]

    (tmp_path / "ccmsetup.log").write_text("".join(log[:2]), encoding="utf-8", newline="")
    (single,) = diagnose([str(tmp_path)], [r]).findings
    assert single.spread is None and "spread" not in finding_doc(single)
