"""Finding and loading workflows: the bundled folder (the repository's
workflows/) and the workflow files (`kind: workflow`) of the user's rule
folders; every error of every file is collected before reporting, as for
rules. A marker that names a rule (`{rule: id}`) must name a loaded rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.rules.checker import RuleError
from smslogdoc.rules.load import rule_files
from smslogdoc.rules.model import Rule
from smslogdoc.rules.workflow import Workflow
from smslogdoc.rules.workflowschema import is_workflow, parse_workflow


def bundled_workflows_dir() -> Traversable:
    """The folder of the workflows that ship with smslogdoc (the repository's workflows/)."""
    return files("smslogdoc.bundled_workflows")


def load_workflows(
    folders: Iterable[Path | Traversable],
    rules: Iterable[Rule],
    *,
    builtin: bool = True,
    kinds: KindTable | None = None,
    check_builtin: bool = False,
) -> tuple[list[Workflow], list[RuleError]]:
    """Every workflow of the bundled folder (unless `builtin` is False) and the
    workflow files of `folders`, with every error found; `rules` are the loaded
    rules a marker may name. A user's workflow replaces a bundled one of its id.
    The bundled ones are checked as closely as a user's with `check_builtin`
    (`rules validate`; a run leaves that to the test suite)."""
    kinds = kinds or load_kinds()
    sources: list[tuple[Traversable | Path, bool]] = []
    if builtin:
        sources += [(source, True) for source in rule_files(bundled_workflows_dir())]
    for folder in folders:
        if isinstance(folder, Path) and folder.is_file():
            sources.append((folder, False))
        elif not isinstance(folder, Path) or folder.is_dir():
            sources += [(source, False) for source in rule_files(folder)]
    found: dict[str, Workflow] = {}
    errors: list[RuleError] = []
    known = {rule.id for rule in rules}
    for source, bundled in sources:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(RuleError(str(source), f"cannot read: {error}"))
            continue
        if not is_workflow(text):
            continue
        workflow, problems = parse_workflow(text, str(source), kinds, check=check_builtin or not bundled)
        errors += problems
        if workflow is not None:
            errors += _unknown_rules(workflow, known)
            found[workflow.id] = replace(workflow, bundled=bundled)
    for workflow in found.values():
        errors += _unknown_children(workflow, found)
    return list(found.values()), errors


def _unknown_rules(workflow: Workflow, known: set[str]) -> list[RuleError]:
    markers = [marker for phase in workflow.phases for markers in phase.marks.values() for marker in markers]
    markers += [marker for markers in workflow.step_marks.values() for marker in markers]
    return [
        RuleError(
            workflow.path,
            f"a marker names the rule {marker.rule!r}, which is not loaded",
            rule_id=workflow.id,
            key="phases",
            noun="workflow",
        )
        for marker in markers
        if marker.rule is not None and marker.rule not in known
    ]


def _unknown_children(workflow: Workflow, found: dict[str, Workflow]) -> list[RuleError]:
    """A step's child stories name a loaded workflow, its keys and its phases."""
    child = workflow.child
    if child is None:
        return []

    def error(key: str, message: str) -> RuleError:
        return RuleError(
            workflow.path, message, rule_id=workflow.id, key=f"steps.child_story.{key}", noun="workflow"
        )

    other = found.get(child.workflow)
    if other is None:
        return [error("workflow", f"names the workflow {child.workflow!r}, which is not loaded")]
    problems = [
        error("keys", f"{name!r} is not a key of the workflow {other.id!r}")
        for name in child.keys
        if name not in other.keys
    ]
    phases = {phase.id for phase in other.phases}
    problems += [
        error("failed", f"{phase!r} is not a phase of the workflow {other.id!r}")
        for _, phase in child.failed
        if phase is not None and phase not in phases
    ]
    problems += [
        error("status_meanings", f"{phase!r} is not a phase of the workflow {other.id!r}")
        for phase in sorted(set(child.status_phases.values()) - phases)
    ]
    return problems
