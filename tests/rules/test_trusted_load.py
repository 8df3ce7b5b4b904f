"""A bundled rule file is trusted: read in one pass of the C YAML loader,
without the line numbers errors need. Either way it is the same rule."""

from __future__ import annotations

from smslogdoc.kinds import load_kinds
from smslogdoc.rules.load import bundled_rules_dir, rule_files
from smslogdoc.rules.schema import parse_rule


def test_a_trusted_rule_is_the_rule_a_careful_read_makes() -> None:
    kinds = load_kinds()
    files = rule_files(bundled_rules_dir())
    assert len(files) > 500
    for file in files:
        text = file.read_text(encoding="utf-8")
        careful, problems = parse_rule(text, str(file), kinds, check=True)
        trusted, trusted_problems = parse_rule(text, str(file), kinds, check=False)
        assert careful is not None and not problems and not trusted_problems, file
        assert trusted == careful, file


def test_a_trusted_file_that_is_not_yaml_is_still_one_error() -> None:
    rule, problems = parse_rule("id: [unclosed\n", "broken.yaml", check=False)
    assert rule is None
    assert len(problems) == 1 and "invalid YAML" in problems[0].message
