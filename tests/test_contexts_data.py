"""The error codes in their ConfigMgr context (smslogdoc/data/contexts/*.yaml,
issue 19 item 1): every entry is grounded and well formed, every generated
`code-*` rule fires on the real lines its entry quotes (`seen`, run as
`smslogdoc rules test` runs a rule's examples), and no code context reports an
error on healthy logs: the healthy real logs in ../shared/real-logs, the
healthy cases of tests/generalisation/dev and sample_logs/*-healthy.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from smslogdoc.authoring.examples import check_examples
from smslogdoc.codes.explain import parse_code
from smslogdoc.diagnose import diagnose
from smslogdoc.kinds import load_kinds
from smslogdoc.model import Level
from smslogdoc.rules.families import family_rules
from smslogdoc.rules.model import Rule
from tests.conftest import REAL_LOGS
from tests.test_states_phrases_data import HEALTHY, whole_cause

ROOT = Path(__file__).resolve().parents[1]
CONTEXTS = ROOT / "smslogdoc" / "data" / "contexts"
DEV = ROOT / "tests" / "generalisation" / "dev"

HEALTHY_REAL = HEALTHY  # real logs of runs that went well (tests/test_states_phrases_data.py)
REQUIRED = ("code", "title", "meaning", "causes", "fix", "sources")
# A source names its page: a web address, or a repository file / issue.
SOURCE_PLACE = re.compile(r"https?://\S+|\b[\w.-]+/[\w.-]+(?::[\w./-]+\.md|#\d+)")


def _entries() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(CONTEXTS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), path.name
        found += [(path.name, entry) for entry in data]
    return found


ENTRIES = _entries()
KINDS = load_kinds()


def _code_rules() -> list[Rule]:
    rules, errors = family_rules(KINDS)
    assert not errors, [str(error) for error in errors]
    return [rule for rule in rules if rule.family == "code"]


CODE_RULES = [rule for rule in _code_rules() if not rule.id.endswith("-elsewhere")]
ELSEWHERE_RULES = [rule for rule in _code_rules() if rule.id.endswith("-elsewhere")]
"""A code's context read in any other log (`families.codes.elsewhere_rules`)."""


def test_every_entry_is_complete_and_cites_where_it_comes_from() -> None:
    for name, entry in ENTRIES:
        label = f"{name}: {entry.get('id') or entry.get('code')}"
        missing = [key for key in REQUIRED if not entry.get(key)]
        assert not missing, (label, missing)
        assert parse_code(str(entry["code"])) is not None, label
        assert entry.get("logs"), (label, "an entry names the logs where the code has this meaning")
        for source in entry["sources"]:
            assert SOURCE_PLACE.search(source), (label, "a source names its page", source)
        written = entry.get("written")
        if written:
            value = parse_code(str(entry["code"]))
            assert value is not None
            spellings = {f"{value:x}", f"{value:08x}", str(value)}
            assert any(spelling in written.lower() for spelling in spellings), (
                label,
                "written names the code",
            )


def test_each_cause_is_whole() -> None:
    for name, entry in ENTRIES:
        for cause in entry["causes"] if isinstance(entry["causes"], list) else [entry["causes"]]:
            assert whole_cause(cause), (
                name,
                entry.get("code"),
                "a cause cut at a comma (quote the item)",
                cause,
            )


def test_one_rule_per_entry_and_the_coverage_issue_19_asks_for() -> None:
    assert len(CODE_RULES) == len(ENTRIES)
    assert 100 < len(ELSEWHERE_RULES) < len({parse_code(str(entry["code"])) for _, entry in ENTRIES})
    codes = {parse_code(str(entry["code"])) for _, entry in ENTRIES}
    assert len(codes) >= 250, len(codes)
    # the same code in the same log must not carry two meanings unless `written` tells them apart
    places: Counter[tuple[int | None, str]] = Counter()
    for _, entry in ENTRIES:
        if not entry.get("written"):
            for log in entry["logs"]:
                places[(parse_code(str(entry["code"])), log.lower())] += 1
    doubled = [place for place, count in places.items() if count > 1]
    assert not doubled, doubled


@pytest.mark.parametrize("rule", [rule for rule in CODE_RULES if rule.examples], ids=lambda rule: rule.id)
def test_the_real_lines_an_entry_quotes_fire_its_rule(rule: Rule) -> None:
    results = [result for result in check_examples(rule) if result.example.startswith("real line")]
    assert results
    failed = [f"{result.example}: {result.message}" for result in results if not result.passed]
    assert not failed, failed


def _healthy_paths() -> list[Path]:
    paths = [REAL_LOGS / name for name in HEALTHY_REAL if (REAL_LOGS / name).is_file()]
    for case in sorted(DEV.iterdir()):
        meta = case / "case.yaml"
        if meta.is_file() and yaml.safe_load(meta.read_text(encoding="utf-8")).get("expect") == "healthy":
            paths += [log for log in sorted(case.iterdir()) if log.name != "case.yaml"]
    paths += sorted(path for folder in (ROOT / "sample_logs").glob("*-healthy") for path in folder.iterdir())
    return paths


def test_no_code_context_reports_an_error_on_healthy_logs() -> None:
    paths = _healthy_paths()
    assert len(paths) >= 15
    outcome = diagnose([str(path) for path in paths], CODE_RULES + ELSEWHERE_RULES, unexplained="off")
    errors = [
        f"{finding.rule.id}: {finding.evidence[0].path}:{finding.evidence[0].line} {finding.evidence[0].text}"
        for finding in outcome.findings
        if finding.severity == Level.ERROR and finding.evidence
    ]
    assert not errors, errors
