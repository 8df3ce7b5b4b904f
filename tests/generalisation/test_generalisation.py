"""The generalisation corpus: every case well formed, the split as the rule makes it,
and the figures measured and printed (README.md says what they mean).

The held-out floors of issue 19 are not met yet and are marked so
(`xfail(strict=False)`, the measured figures in the reason and in
docs/coverage.md); the dev part, on which the knowledge is tuned, must not fall
below what it reached (a regression is a failure).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.generalisation import measure
from tests.generalisation.corpus import HELDOUT_SOURCES, PARTS, ROOT, Case, Decisive, load_cases, split_parts
from tests.generalisation.split import HEADER, INCOMING, heldout_sources

FLOOR_DECISIVE = 0.80
FLOOR_CAUSE = 0.50
FLOORS_PENDING = (
    "issue 19: not met yet; measured 2026-12-08 (fifteenth session) on heldout (thirteen batches): "
    "decisive 100/127, cause 41/127, healthy with an error 2/13 (tests/generalisation/README.md)"
)
DEV_REACHED = {"decisive": 286, "cause": 288, "healthy_with_error": 0}
"""What the dev part reached (of 292 failures and 58 healthy cases, thirteen batches): with the rules
written from the twelfth batch's dev cases and their sources."""


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases()


@pytest.fixture(scope="module")
def verdicts(cases: list[Case]) -> list[measure.Verdict]:
    return measure.measure(cases)


@pytest.fixture(scope="module")
def table(verdicts: list[measure.Verdict]) -> dict[str, measure.Figures]:
    return measure.figures(verdicts)


# --- the corpus itself --------------------------------------------------------------------


def test_every_case_is_well_formed(cases: list[Case]) -> None:
    """load_cases raises, naming every problem, unless each case.yaml is complete and
    each decisive line exists (non-blank) in its file."""
    assert len({case.id for case in cases}) == len(cases)
    assert sum(case.failure for case in cases) >= 75
    assert sum(not case.failure for case in cases) >= 20
    for case in cases:
        assert case.logs, case.id
        for item in case.decisive:
            assert (case.folder / item.file).is_file(), (case.id, item)


def test_the_split_is_the_rules(cases: list[Case]) -> None:
    """Within each batch and family, positions 0, 3, 6, ... by SHA-1 of the id are held out;
    a case with an accepted place is held out when the place is a multiple of 3."""
    expected = split_parts((case.id, case.family, case.batch, case.accepted) for case in cases)
    wrong = sorted(
        f"{case.id} is in {case.part}, the rule says {expected[case.id]}"
        for case in cases
        if case.part != expected[case.id]
    )
    assert not wrong, wrong
    assert not (ROOT / INCOMING).exists() or not any((ROOT / INCOMING).iterdir()), (
        "incoming/ holds unsplit cases"
    )


def test_accepted_places_count_each_family_and_kind_from_one(cases: list[Case]) -> None:
    """The accepted places of a batch's family and kind are 1, 2, 3, ... with none missing or repeated,
    so no case could have been moved between the parts by renumbering."""
    places: dict[tuple[int, str, str], list[int]] = {}
    for case in cases:
        if case.accepted:
            places.setdefault((case.batch, case.family, case.expect), []).append(case.accepted)
    for key, numbers in places.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), (key, sorted(numbers))
    batches = {case.batch for case in cases if case.accepted}
    assert all(case.accepted for case in cases if case.batch in batches), (
        "a batch mixes both ways of splitting"
    )


def test_heldout_sources_lists_every_heldout_source() -> None:
    assert HELDOUT_SOURCES.read_text(encoding="utf-8") == HEADER + "".join(
        f"{s}\n" for s in heldout_sources()
    )


# --- the judging, on a document made here ------------------------------------------------


def _case(tmp_path: Path, expect: str = "failure") -> Case:
    (tmp_path / "WUAHandler.log").write_text("one\ntwo\nthree\n", encoding="utf-8")
    decisive = (Decisive("WUAHandler.log", 2),) if expect == "failure" else ()
    terms = ("group policy",) if expect == "failure" else ()
    return Case(
        "x", tmp_path, "dev", "s", "blog", "update", expect, "c", decisive=decisive, cause_terms=terms
    )


def _finding(rule: str, severity: str, line: int, title: str = "") -> dict[str, object]:
    evidence = [{"path": "/some/where/WUAHandler.log", "line": line, "end_line": line}]
    return {
        "rule": rule,
        "severity": severity,
        "title": title,
        "diagnosis": "",
        "cause": "",
        "fix": [],
        "evidence": evidence,
    }


def test_judge_counts_only_an_error_citing_the_line_and_a_named_cause(tmp_path: Path) -> None:
    case = _case(tmp_path)
    warning = _finding("r1", "warning", 2, "A Group Policy overrides the update point")
    assert measure.judge(case, {"findings": [warning]}).decisive_cited is False
    assert measure.judge(case, {"findings": [warning]}).cause_named is True
    unexplained = _finding(measure.UNEXPLAINED, "error", 2, "group policy")
    verdict = measure.judge(case, {"findings": [unexplained]})
    assert (verdict.decisive_cited, verdict.cause_named) == (True, False)
    assert measure.judge(case, {"findings": [_finding("r2", "error", 3)]}).decisive_cited is False
    healthy = _case(tmp_path, "healthy")
    assert measure.judge(healthy, {"findings": [_finding("r3", "error", 1)]}).healthy_error is True
    assert measure.judge(healthy, {"findings": [_finding("r3", "warning", 1)]}).healthy_error is False


def _write_case(root: Path, case_id: str, batch: int) -> None:
    folder = root / "dev" / case_id
    folder.mkdir(parents=True)
    (folder / "ccmsetup.log").write_text("CcmSetup is exiting with return code 0\n", encoding="utf-8")
    (folder / "case.yaml").write_text(
        f"id: {case_id}\nsource: s\nsource_kind: blog\nfamily: client-install\nexpect: healthy\n"
        f"batch: {batch}\ncause: a clean install\n",
        encoding="utf-8",
    )


def test_batch_option_measures_only_that_batch(tmp_path: Path) -> None:
    _write_case(tmp_path, "first-batch-case", 1)
    _write_case(tmp_path, "second-batch-case", 2)
    cases = load_cases(tmp_path)
    assert [c.id for c in measure.of_batch(cases, 2)] == ["second-batch-case"]
    assert len(measure.of_batch(cases, None)) == 2
    out = tmp_path / "figures.json"
    assert measure.main(["--root", str(tmp_path), "--batch", "2", "--json", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [case["id"] for case in document["cases"]] == ["second-batch-case"]
    assert document["figures"]["dev"]["healthy"] == 1


# --- the figures ----------------------------------------------------------------------------


def test_figures_are_measured_and_recorded(
    cases: list[Case], verdicts: list[measure.Verdict], table: dict[str, measure.Figures]
) -> None:
    print("\n" + measure.report(verdicts, verbose=True))  # held-out cases counted, never listed
    assert [v.id for v in verdicts] == [c.id for c in cases]
    for part in PARTS:
        assert table[part].failures + table[part].healthy == sum(c.part == part for c in cases)
    assert table["all"].failures == sum(table[p].failures for p in PARTS)
    # every case is read without trouble; a paste a web page changed (its non-breaking spaces,
    # curly quotes) is said to be repaired, which a case copied faithfully from its page may be
    troubled = [
        (v.id, problems) for v in verdicts if (problems := [p for p in v.problems if not _repaired(p)])
    ]
    assert troubled == []


def _repaired(problem: str) -> bool:
    return "this paste was changed on its way from the log" in problem and problem.endswith(
        "repaired before reading"
    )


@pytest.mark.xfail(strict=False, reason=FLOORS_PENDING)
def test_heldout_floor_decisive_line_cited(table: dict[str, measure.Figures]) -> None:
    assert table["heldout"].decisive_share >= FLOOR_DECISIVE


@pytest.mark.xfail(strict=False, reason=FLOORS_PENDING)
def test_heldout_floor_cause_named(table: dict[str, measure.Figures]) -> None:
    assert table["heldout"].cause_share >= FLOOR_CAUSE


def test_dev_does_not_fall_below_what_it_reached(table: dict[str, measure.Figures]) -> None:
    assert table["dev"].decisive_cited >= DEV_REACHED["decisive"]
    assert table["dev"].cause_named >= DEV_REACHED["cause"]
    assert table["dev"].healthy_with_error <= DEV_REACHED["healthy_with_error"]


def test_no_dev_healthy_case_gets_an_error(table: dict[str, measure.Figures]) -> None:
    assert table["dev"].healthy_with_error == 0


@pytest.mark.xfail(strict=False, reason=FLOORS_PENDING)
def test_no_heldout_healthy_case_gets_an_error(table: dict[str, measure.Figures]) -> None:
    assert table["heldout"].healthy_with_error == 0
