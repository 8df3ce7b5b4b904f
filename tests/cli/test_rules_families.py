"""`rules list` and `rules test` with the rule families: a family is one line
of the listing, and its rules (which have no examples of their own; the suite
checks their tables' real lines) are not what `rules test` tests."""

from __future__ import annotations

import json

from tests.conftest import invoke


def test_rules_list_shows_each_family_once_with_its_count() -> None:
    listed = json.loads(invoke(["rules", "list", "-f", "json"]).stdout)
    counts: dict[str, int] = {}
    for rule in listed:
        if rule["family"]:
            counts[rule["family"]] = counts.get(rule["family"], 0) + 1
    assert set(counts) == {"code", "state", "phrase"}
    text = invoke(["rules", "list"]).stdout
    for family, count in counts.items():
        lines = [line for line in text.splitlines() if line.startswith(f"{family}-")]
        assert len(lines) == 1 and f"{count} rules" in lines[0], lines


def test_rules_test_on_the_bundled_rules_tests_written_rules_only_and_passes() -> None:
    result = invoke(["rules", "test"])
    assert result.exit_code == 0, result.output[-2000:]
    assert "phrase-" not in result.stdout and " 0 failed" in result.stdout


def test_rules_test_names_a_family_rule_when_asked() -> None:
    listed = json.loads(invoke(["rules", "list", "-f", "json"]).stdout)
    family_rule = next(rule["id"] for rule in listed if rule["family"] == "code")
    result = invoke(["rules", "test", family_rule])
    assert family_rule in result.stdout  # named explicitly, it is run: and it says it has no examples
