"""Finding and loading rules: the bundled folder, the user's folders (one rule
per file, named after its id), duplicate ids. Each file is checked by
`rules.schema`; loading collects every error of every file before reporting.
The language is documented in docs/rules.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.rules.checker import RuleError
from smslogdoc.rules.model import Rule
from smslogdoc.rules.schema import parse_rule
from smslogdoc.rules.workflowschema import is_workflow


def bundled_rules_dir() -> Traversable:
    """The folder of the rules that ship with smslogdoc (the repository's rules/)."""
    return files("smslogdoc.bundled_rules")


def rule_files(folder: Traversable | Path) -> list[Traversable | Path]:
    """The rule files of a folder and its subfolders, in name order."""
    found: list[Traversable | Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        for entry in sorted(current.iterdir(), key=lambda item: item.name):
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith((".yaml", ".yml")):
                found.append(entry)
    return sorted(found, key=lambda item: str(item))


def load_rules(
    folders: Iterable[Path | Traversable],
    *,
    builtin: bool = True,
    kinds: KindTable | None = None,
    check_builtin: bool = True,
) -> tuple[list[Rule], list[RuleError]]:
    """Every rule of the bundled folder (unless `builtin` is False) and of
    `folders`, with every error found. Rules with errors are left out.
    `check_builtin=False` trusts the bundled rules' patterns (checked by the
    test suite) and compiles them only when used; other rules are always checked."""
    kinds = kinds or load_kinds()
    sources: list[Traversable | Path] = []
    trusted = shipped = 0
    if builtin:
        sources.extend(rule_files(bundled_rules_dir()))
        shipped = len(sources)
        trusted = shipped if not check_builtin else 0
    for folder in folders:
        if isinstance(folder, Path) and folder.is_file():
            sources.append(folder)
        elif isinstance(folder, Path) and not folder.is_dir():
            return [], [RuleError(folder, "no such rules folder or file")]
        else:
            sources.extend(rule_files(folder))
    rules: list[Rule] = []
    errors: list[RuleError] = []
    seen: dict[str, str] = {}
    for number, source in enumerate(sources):
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            errors.append(RuleError(str(source), f"cannot read: {error}"))
            continue
        if is_workflow(text):
            continue  # a workflow beside the rules (`rules.workflows`)
        rule, problems = parse_rule(text, str(source), kinds, check=number >= trusted)
        errors.extend(problems)
        if rule is None:
            continue
        if rule.id in seen:
            errors.append(
                RuleError(
                    str(source),
                    f"duplicate rule id (also in {seen[rule.id]}); rename one, or use --no-builtin to replace the bundled rules",
                    rule_id=rule.id,
                    key="id",
                )
            )
            continue
        seen[rule.id] = str(source)
        rules.append(replace(rule, bundled=True) if number < shipped else rule)
    return rules, errors
