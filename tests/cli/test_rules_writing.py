"""Writing rules (issue 14): the README's example passes `rules validate` and
`rules test`; `rules test --rules DIR` tests only those rules; YAML mistakes
and misspellings get a hint; help text reads without docstring indentation."""

from __future__ import annotations

import re
from pathlib import Path

from smslogdoc.rules.schema import parse_rule
from tests.conftest import REPO, Result
from tests.conftest import invoke as run


def invoke(*args: str) -> Result:
    return run(list(args), env={"NO_COLOR": "1", "COLUMNS": "120"})


def readme_rule() -> str:
    """The YAML of the README's 'Writing a rule' example, as printed there."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Writing a rule", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_the_readme_rule_validates_and_passes_its_tests(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "my-disk-full.yaml").write_text(readme_rule(), encoding="utf-8")
    validated = invoke("rules", "validate", str(folder))
    assert validated.exit_code == 0, validated.stderr
    tested = invoke("rules", "test", "--rules", str(folder))
    assert tested.exit_code == 0, tested.stdout
    assert tested.stdout.strip() == "2 passed, 0 failed"  # only the README's rule: its two examples


def test_rules_test_with_all_also_tests_the_bundled_rules(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "my-disk-full.yaml").write_text(readme_rule(), encoding="utf-8")
    passed = int(invoke("rules", "test", "--rules", str(folder), "--all").stdout.split()[-4])
    assert passed > 100


def test_an_unquoted_colon_gets_the_hint_to_quote() -> None:
    text = readme_rule().replace('diagnosis: "Drive {drive} is full."', "diagnosis: Drive C: is full.")
    _, errors = parse_rule(text, "my-disk-full.yaml")
    (error,) = errors
    assert "mapping values are not allowed" in str(error)
    assert 'must be quoted, e.g. diagnosis: "Drive C: is full."' in str(error)


def test_misspellings_get_did_you_mean() -> None:
    text = readme_rule().replace("severity: warning", "severity: warnning").replace("title:", "titel:")
    _, errors = parse_rule(text, "my-disk-full.yaml")
    messages = " | ".join(str(error) for error in errors)
    assert "did you mean 'title'?" in messages
    text = readme_rule().replace("severity: warning", "severity: warnning")
    _, errors = parse_rule(text, "my-disk-full.yaml")
    assert "did you mean 'warning'?" in str(errors[0])


def test_rules_test_help_has_no_docstring_indentation() -> None:
    helped = invoke("rules", "test", "--help").stdout
    description = helped.split("\n\n")[1]
    assert description.startswith("Run each rule on its own example logs")
    assert not any(line.startswith(" ") for line in description.splitlines())
    assert "--all" in helped
