"""`smslogdoc rules validate` checks workflow files too: the bundled workflows
without a path, the workflow files of a folder or file given (beside the
bundled rules and workflows their markers and child stories may name). An
invalid workflow is one line naming the file, line, workflow and key, and exit
3, as `diagnose`, `story` and `fleet` say it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, Result
from tests.conftest import invoke as run


def invoke(*args: str) -> Result:
    return run(list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


def documented_workflow() -> str:
    """The YAML of docs/workflows.md's small example, as printed there."""
    found = re.search(
        r"```yaml\n(.*?)```", (REPO / "docs" / "workflows.md").read_text(encoding="utf-8"), re.DOTALL
    )
    assert found is not None
    return found.group(1)


def folder_with(tmp_path: Path, text: str, name: str = "package.yaml") -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_bundled_rules_and_workflows_are_valid() -> None:
    result = invoke("rules", "validate")
    assert result.exit_code == 0, result.stderr
    said = re.fullmatch(r"(\d+) rule\(s\) and (\d+) workflow\(s\) valid", result.stdout.strip())
    assert (
        said is not None
        and int(said[1]) > 1000
        and said[2] == str(len(list((REPO / "workflows").glob("*.yaml"))))
    )


def test_a_valid_workflow_of_yours_is_counted(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, documented_workflow())
    result = invoke("rules", "validate", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "0 rule(s) and 1 workflow(s) valid"  # its marker names a bundled rule
    assert invoke("rules", "validate", str(folder / "package.yaml")).exit_code == 0  # a file, too


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (
            ("succeeded: [{event: execution_complete", "succeeded: [{event: execution_completed"),
            "phases.1.succeeded.0.event",
            "undefined event 'execution_completed'; did you mean 'execution_complete'?",
        ),
        (
            ("subject: [package, program]", "subject: [package, programme]"),
            "subject.1",
            "undefined key 'programme'",
        ),
        (
            ("failed: [{rule: execmgr-network-access-denied}]", "failed: [{rule: no-such-rule}]"),
            "phases",
            "a marker names the rule 'no-such-rule', which is not loaded",
        ),
        (("title: Package", "titel: Package"), "titel", "unknown key"),
    ],
)
def test_an_invalid_workflow_is_one_line_naming_file_and_key_and_exit_3(
    tmp_path: Path, change: tuple[str, str], key: str, message: str
) -> None:
    text = documented_workflow()
    assert change[0] in text
    folder = folder_with(tmp_path, text.replace(*change))
    result = invoke("rules", "validate", str(folder))
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if "package.yaml" in line]
    assert errors and all(str(folder / "package.yaml") in line for line in errors)
    assert any(f"workflow package: {key}: {message}" in line for line in errors), result.stderr
    diagnosed = invoke("diagnose", "--rules", str(folder), str(REPO / "sample_logs" / "push-healthy"))
    assert diagnosed.exit_code == 3  # the same lines as a run says them
    assert [line for line in diagnosed.stderr.splitlines() if "package.yaml" in line] == errors


def test_a_child_story_must_name_a_loaded_workflow_and_its_keys(tmp_path: Path) -> None:
    text = (REPO / "workflows" / "task_sequence.yaml").read_text(encoding="utf-8")
    text = text.replace("    workflow: application\n", "    workflow: applications\n", 1)
    folder = folder_with(tmp_path, text, "task_sequence.yaml")
    result = invoke("rules", "validate", str(folder))
    assert result.exit_code == 3
    assert (
        "workflow task_sequence: steps.child_story.workflow: names the workflow 'applications', which is not loaded"
        in result.stderr
    )
    text = text.replace("    workflow: applications\n", "    workflow: application\n").replace(
        "keys: {app: app, dt: dt,", "keys: {app: app, deployment_type: dt,"
    )
    (folder / "task_sequence.yaml").write_text(text, encoding="utf-8")
    result = invoke("rules", "validate", str(folder))
    assert result.exit_code == 3
    assert (
        "steps.child_story.keys: 'deployment_type' is not a key of the workflow 'application'"
        in result.stderr
    )


def test_a_rule_and_a_workflow_error_are_listed_together(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, documented_workflow().replace("title: Package", "titel: Package"))
    (folder / "my-rule.yaml").write_text("id: my-rule\ntitle: x\nseverity: loud\n", encoding="utf-8")
    result = invoke("rules", "validate", str(folder))
    assert result.exit_code == 3
    assert "my-rule.yaml" in result.stderr and "package.yaml" in result.stderr
    last = result.stderr.splitlines()[-1]
    assert re.fullmatch(r"smslogdoc: \d+ rule error\(s\) and 2 workflow error\(s\) in 2 file\(s\)", last), (
        last
    )


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (
            ("    by: app ", "    by: nope "),
            "steps.child_story.by",
            "expected a field the child's events capture",
        ),
        (
            ("    opens: [app_installing]", "    opens: [app_install]"),
            "steps.child_story.opens.0",
            "undefined event",
        ),
        (
            ("failed: [4, 16, 24, 25]", "failed: [4, 16, 24, 'x']"),
            "status_meanings.verdicts.failed",
            "numbers",
        ),
        (
            ("phases: {evaluation: [16]", "phases: {evaluate: [16]"),
            "steps.child_story.status_meanings",
            "'evaluate'",
        ),
    ],
)
def test_a_child_story_with_a_mistake_says_where(
    tmp_path: Path, change: tuple[str, str], key: str, message: str
) -> None:
    text = (REPO / "workflows" / "task_sequence.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    folder = folder_with(tmp_path, text.replace(*change, 1), "task_sequence.yaml")
    result = invoke("rules", "validate", str(folder))
    assert result.exit_code == 3
    assert any(
        f"workflow task_sequence: {key}" in line and message in line for line in result.stderr.splitlines()
    ), result.stderr
