"""The smaller items of issue 21 (item 19): `rules test` says what a silent
example cited as a list and exits 2 when there is nothing to test; `--rules`
on an empty folder warns; a mistyped path is one line with the real error
first; `--explain` says a group started only when something started; one rule
is "1 rule"; a reference URL keeps the `)` it opened."""

from __future__ import annotations

from pathlib import Path

from smslogdoc.report.htmlparts import reference_html
from tests.conftest import REPO, SAMPLES, invoke

RULES = REPO / "rules"
HEALTHY = SAMPLES / "execmgr-healthy"


def test_rules_test_lists_what_a_silent_example_cited(tmp_path: Path) -> None:
    rule = (RULES / "ts-local-data-path-moved-after-partition.yaml").read_text(encoding="utf-8")
    wrong = rule.replace("    expect: fire\n    cites: [2, 4, 7]\n", "    expect: silent\n", 1)
    assert wrong != rule
    (tmp_path / "ts-local-data-path-moved-after-partition.yaml").write_text(wrong, encoding="utf-8")
    result = invoke(["rules", "test", "--no-builtin", "--rules", str(tmp_path)])
    assert result.exit_code == 1
    assert "fired but must stay silent (cites smsts.log:2, smsts.log:4, smsts.log:5, smsts.log:7)" in (
        result.stdout.replace("\n", " ").replace("  ", " ")
    )
    assert "{" not in result.stdout


def test_rules_test_with_nothing_to_test_exits_2(tmp_path: Path) -> None:
    result = invoke(["rules", "test", "--rules", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"smslogdoc: warning: --rules {tmp_path}: no rule files (*.yaml) in this folder",
        f"smslogdoc: rules test: nothing to test: no rule was loaded from {tmp_path}",
    ]


def test_rules_on_an_empty_folder_warns_and_the_bundled_rules_still_run(tmp_path: Path) -> None:
    result = invoke(["diagnose", "--rules", str(tmp_path), "-f", "short", str(HEALTHY)])
    assert result.exit_code == 0
    assert result.stderr == f"smslogdoc: warning: --rules {tmp_path}: no rule files (*.yaml) in this folder\n"
    assert "execmgr-success-reboot-required" in result.stdout


def test_a_mistyped_path_is_one_line_with_the_real_error() -> None:
    typo = str(SAMPLES / "execmgr-healty")
    result = invoke(["diagnose", typo])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"smslogdoc: {typo}: no such file or directory\n",
    )
    parsed = invoke(["parse", typo])
    assert (parsed.exit_code, parsed.stdout, parsed.stderr) == (2, "", result.stderr)


def test_a_mistyped_path_beside_a_good_one_is_said_first() -> None:
    typo = str(SAMPLES / "execmgr-healty")
    result = invoke(["diagnose", "-f", "short", typo, str(HEALTHY)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"smslogdoc: {typo}: no such file or directory"
    assert lines.count(lines[0]) == 1
    assert "execmgr-success-reboot-required" in result.stdout


def test_explain_says_nothing_started_when_only_a_later_step_matched() -> None:
    result = invoke(
        [
            "diagnose",
            "--explain",
            "apm-distribution-point-network-down",
            "--color",
            "never",
            str(SAMPLES / "smsapm32-error-1317-lockout"),
        ]
    )
    text = " ".join(result.stdout.split())
    assert "group install payroll: never saw not_possible, which must come first; nothing started" in text
    assert "started but never completed" not in text


def test_one_rule_is_one_rule(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_bytes((RULES / "execmgr-success-reboot-required.yaml").read_bytes())
    (tmp_path / "one.yaml").rename(tmp_path / "execmgr-success-reboot-required.yaml")
    result = invoke(["diagnose", "--no-builtin", "--rules", str(tmp_path), "-v", str(HEALTHY)])
    assert " · 1 rule" in result.stdout and "1 rules" not in result.output
    assert "smslogdoc: ran 1 rule over 1 log(s)" in result.stderr


def test_a_reference_url_keeps_the_bracket_it_opened() -> None:
    url = "https://learn.microsoft.com/en-us/previous-versions/technet-magazine/cc160972(v=msdn.10)"
    assert f'href="{url}"' in reference_html(f"Steve Rachui, How IT Works: {url}", link=True)
    assert 'href="https://example.com/kb"' in reference_html("(see https://example.com/kb).", link=True)
