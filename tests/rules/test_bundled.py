"""Every bundled rule is well formed and passes its own examples, and the
sample scenarios give exactly the causes they were written to show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smslogdoc.authoring.examples import check_examples
from smslogdoc.rules.load import bundled_rules_dir, load_rules
from tests.conftest import REPO, SAMPLES, invoke

LOADED, ERRORS = load_rules([])
RULES = [rule for rule in LOADED if not rule.family]
"""The written rules (the rule families' are checked by tests/rules/test_families.py
and tests/test_contexts_data.py); LOADED is every rule a run loads."""


def test_bundled_rules_are_valid_and_every_file_of_the_rules_folder_is_loaded() -> None:
    assert [str(error) for error in ERRORS] == []
    files = sorted((REPO / "rules").glob("*.yaml"))
    assert len(RULES) == len(files)
    assert sorted(rule.id for rule in RULES) == sorted(path.stem for path in files)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bundled_rule_is_complete(rule: object) -> None:
    assert rule.id == Path(rule.path).stem  # type: ignore[attr-defined]
    assert rule.fix and rule.references and rule.products  # type: ignore[attr-defined]
    assert rule.cause.strip(), "a rule explains why, not only what"  # type: ignore[attr-defined]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bundled_rule_passes_its_examples(rule: object) -> None:
    results = check_examples(rule)  # type: ignore[arg-type]
    assert [f"{r.example}: {r.message}" for r in results if not r.passed] == []
    assert {e.expect for e in rule.examples} == {"fire", "silent"}  # type: ignore[attr-defined]


# What each sample scenario shows (sample_logs/README.md), at warning and above.
EXPECTED = {
    "ccmsetup-service-cannot-access-source": ["ccmsetup-service-cannot-access-source"],
    "ccmsetup-service-cannot-access-source-rotated": ["ccmsetup-service-cannot-access-source"],
    "execmgr-network-access-denied": ["execmgr-network-access-denied"],
    "smsapm32-error-1317-lockout": ["apm-error-1317-token-account-lockout"],
    "smsapm32-win9x-install-account-1317": ["apm-win9x-install-account-1317"],
    "push-no-management-point": ["push-no-management-point"],
    "execmgr-local-program-fails": ["execmgr-program-failed"],
    "ccmsetup-healthy": [],
    "ccmsetup-noservice-healthy": [],
    "execmgr-healthy": [],
    "smsapm32-healthy": [],
    "push-healthy": [],
    "formats/copied-rows-us": ["ccmsetup-service-cannot-access-source"],
    "formats/copied-rows-de": ["ccmsetup-service-cannot-access-source"],
    "formats/copied-rows-uk": [],
    "formats/utf16-execmgr": [],
    "formats/cp1252-smsapm32": [],
    "formats/sms1x-despooler": [],
    "formats/plain-client-msi": ["ccmsetup-client-msi-task-scheduler"],
}


@pytest.mark.parametrize(("scenario", "rules"), EXPECTED.items(), ids=list(EXPECTED))
def test_sample_scenario_gives_its_cause(scenario: str, rules: list[str]) -> None:
    result = invoke(["diagnose", str(SAMPLES / scenario), "--format", "json", "--min-severity", "warning"])
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"] if f["status"] == "confirmed"] == rules
    assert result.exit_code == (1 if rules else 0)


def test_every_sample_scenario_is_expected() -> None:
    folders = {
        p.parent.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.suffix != ".md"
    }
    assert folders == set(EXPECTED)


def test_bundled_rules_folder_is_the_repositorys() -> None:
    names = {entry.name for entry in bundled_rules_dir().iterdir() if entry.name.endswith(".yaml")}
    assert names == {rule.id + ".yaml" for rule in RULES}


FIRE_EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples if example.expect == "fire"]


@pytest.mark.parametrize(
    ("rule", "example"), FIRE_EXAMPLES, ids=[f"{r.id}:{e.name[:30]}" for r, e in FIRE_EXAMPLES]
)
def test_with_every_rule_loaded_an_example_gives_its_cause_once(
    tmp_path: Path, rule: object, example: object
) -> None:
    """Rules must not overlap: on a rule's own failure no other rule reports a second cause."""
    from smslogdoc.diagnose import diagnose

    for name, text in example.files:  # type: ignore[attr-defined]
        (tmp_path / name).write_text(text, encoding="utf-8")
    findings = diagnose([str(tmp_path)], LOADED).findings
    found = [finding.rule.id for finding in findings if finding.rule.id != "unexplained-errors"]
    assert found == [rule.id]  # type: ignore[attr-defined]
    # Error records the example's cause does not cite may be summarised, but only
    # as one info finding per log that cites none of the records the cause cites.
    cited = {
        (item.path, item.line)
        for finding in findings
        if finding.rule.id == rule.id
        for item in finding.evidence
    }  # type: ignore[attr-defined]
    summaries = [finding for finding in findings if finding.rule.id == "unexplained-errors"]
    assert len({finding.log for finding in summaries}) == len(summaries)
    for summary in summaries:
        assert summary.severity == "info" and summary.confidence == "low"
        assert not cited & {(item.path, item.line) for item in summary.evidence}


def test_a_folder_mixing_many_failures_reports_each_cause_once(tmp_path: Path) -> None:
    """One machine's collected logs with four failures in them: four findings, no duplicates,
    no generic fallback beside a specific cause."""
    for scenario, name in (
        ("ccmsetup-service-cannot-access-source", "ccmsetup.log"),
        ("execmgr-network-access-denied", "execmgr.log"),
        ("smsapm32-error-1317-lockout", "smsapm32.log"),
        ("push-no-management-point", "mobileclient.tcf"),
    ):
        (tmp_path / name).write_bytes((SAMPLES / scenario / name).read_bytes())
    result = invoke(["diagnose", str(tmp_path), "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    rules = [f["rule"] for f in findings if f["rule"] != "unexplained-errors"]
    # The error records around the causes that none of them cites are summarised once per log, at info.
    summaries = [f for f in findings if f["rule"] == "unexplained-errors"]
    assert all(f["severity"] == "info" for f in summaries) and len({f["log"] for f in summaries}) == len(
        summaries
    )
    assert sorted(rules) == sorted(
        [
            "ccmsetup-service-cannot-access-source",
            "execmgr-network-access-denied",
            "apm-error-1317-token-account-lockout",
            "push-no-management-point",
        ]
    )


def test_coverage_table_is_up_to_date() -> None:
    from smslogdoc.authoring.coverage import coverage_table

    assert (REPO / "docs" / "coverage.md").read_text(encoding="utf-8") == coverage_table(LOADED), (
        "regenerate it: smslogdoc rules list --format markdown > docs/coverage.md"
    )


CLASS_PREFIXES = (
    "ccmsetup",
    "cmg",
    "token",
    "reg",
    "mp",
    "content",
    "app",
    "wait",
    "sup",
    "policy",
    "wmi",
    "ts",
    "execmgr",
    "apm",
)


def test_a_folder_mixing_an_example_of_every_class_reports_each_cause_once(tmp_path: Path) -> None:
    """One machine's logs holding one failure of each area (one example per log file name):
    each cause is reported once, and nothing is reported twice."""
    from smslogdoc.diagnose import diagnose

    chosen: dict[str, str] = {}
    used: set[str] = set()
    for prefix in CLASS_PREFIXES:
        for rule in RULES:
            if rule.id.split("-", 1)[0] != prefix or rule.fallback:
                continue
            example = next((e for e in rule.examples if e.expect == "fire" and len(e.files) == 1), None)
            if example is None or example.files[0][0].lower() in used:
                continue
            name, text = example.files[0]
            (tmp_path / name).write_text(text, encoding="utf-8")
            used.add(name.lower())
            chosen[prefix] = rule.id
            break
    assert sorted(chosen) == sorted(CLASS_PREFIXES), "a class has no one-file example left"
    found = [
        finding.rule.id
        for finding in diagnose([str(tmp_path)], RULES).findings
        if finding.rule.id != "unexplained-errors"
    ]
    assert sorted(found) == sorted(set(found)), "a cause reported twice"
    assert set(chosen.values()) <= set(found)


UNDOCUMENTED_CODES = {0x87D00455, 0xFFFFFFFF, 4865, 0xC8000426, 0x800F0805, 0x800F0900, 0x800F0A05}
"""Codes in the rules' examples for which no published text was found (said in the
rules' comments; -1 is wsyncmgr.log's "CCISource error: -1"; 4865 is the SMS 1.2 Scheduler's
"Cannot compress the package file, return code = 4865"; 0xC8000426 is the exit code of Windows
Update's out-of-process data store in WindowsUpdate.log, LegacyUpdate#196; 0x800F0805, 0x800F0900
and 0x800F0A05 are CBS's in a Windows Vista/7 service pack's CBS.log and CheckSUR.log, whose
symbols (CBS_E_INVALID_PACKAGE ...) CBS.log prints but whose texts were not found in a published
table); every other code the examples show must decode. (0x87D00606 has since
found a community table's text, "Offline scan tool history not found".)"""


def test_every_error_code_in_the_rules_examples_decodes() -> None:
    from smslogdoc.codes import find_codes

    unknown = {
        found.explanation.value
        for rule in RULES
        for example in rule.examples
        for _, text in example.files
        for line in text.splitlines()
        for found in find_codes(line)
        if not found.explanation.known
    }
    assert unknown == UNDOCUMENTED_CODES


def test_the_coverage_table_lists_every_log_of_the_reference() -> None:
    from importlib.resources import files

    from smslogdoc.authoring.coverage import coverage_table

    table = coverage_table(RULES)
    rows = [
        line.split("\t")
        for line in files("smslogdoc.data").joinpath("logfiles.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    reference = table.split("## Logs and the rules that read them", 1)[1].split(
        "### SMS 2.0 and SMS 2003", 1
    )[0]
    listed = [
        line.split(" | ", 1)[0].removeprefix("| ")
        for line in reference.splitlines()
        if line.startswith("| ") and line not in ("| Log | Rules |", "| --- | --- |")
    ]
    assert listed == [name for _, name in rows]  # every log of the reference, in its order, nothing else
    smsts = next(line for line in table.splitlines() if line.startswith("| smsts.log | "))
    assert "`ts-action-failed`" in smsts  # a log rules read names them
    assert "| adctrl.log | no rule reads this log yet |" in table  # and one they do not says so
