"""Finding and loading rules: the bundled folder, the user's folders (one rule
per file, named after its id), duplicate ids. Each file is checked by
`rules.schema`; loading collects every error of every file before reporting.
The language is documented in docs/rules.md."""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from smslogdoc.kinds import KindTable, load_kinds
from smslogdoc.rules.checker import RuleError
from smslogdoc.rules.families import family_rules
from smslogdoc.rules.model import Rule
from smslogdoc.rules.schema import parse_rule
from smslogdoc.rules.workflowschema import is_workflow


def bundled_rules_dir() -> Traversable:
    """The folder of the rules that ship with smslogdoc (the repository's rules/)."""
    return files("smslogdoc.bundled_rules")


def rule_files(folder: Traversable | Path, errors: list[RuleError] | None = None) -> list[Traversable | Path]:
    """The rule files of a folder and its subfolders, in name order. A folder
    met again through a symbolic link (a loop) is walked once; an entry named
    like a rule that is not a regular file (a FIFO, a device) is never opened:
    it is one error on `errors`."""
    found: list[Traversable | Path] = []
    stack = [folder]
    walked: set[tuple[int, int]] = set()
    while stack:
        current = stack.pop()
        if isinstance(current, Path):
            try:
                info = current.stat()
            except OSError as error:
                _note(errors, current, f"cannot read folder: {error.strerror or error}")
                continue
            if (info.st_dev, info.st_ino) in walked:
                continue
            walked.add((info.st_dev, info.st_ino))
        for entry in sorted(current.iterdir(), key=lambda item: item.name):
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith((".yaml", ".yml")):
                if isinstance(entry, Path) and not _regular(entry):
                    _note(errors, entry, "not a regular file (a FIFO or a device?); not read")
                    continue
                found.append(entry)
    return sorted(found, key=lambda item: str(item))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # unreadable: reading it says why


def _note(errors: list[RuleError] | None, path: Path, message: str) -> None:
    if errors is not None:
        errors.append(RuleError(path, message))


def load_rules(
    folders: Iterable[Path | Traversable],
    *,
    builtin: bool = True,
    kinds: KindTable | None = None,
    check_builtin: bool = True,
    examples: bool = True,
) -> tuple[list[Rule], list[RuleError]]:
    """Every rule of the bundled folder (unless `builtin`) and of `folders`, with
    every error found; rules with errors left out. `check_builtin=False` trusts
    the bundled rules' patterns (the tests check them), compiled when used.
    `examples=False` drops the bundled rules' examples (only `rules test` reads them)."""
    kinds = kinds or load_kinds()
    sources: list[Traversable | Path] = []
    trusted = shipped = 0
    if builtin:
        sources.extend(rule_files(bundled_rules_dir()))
        shipped = len(sources)
        trusted = shipped if not check_builtin else 0
    errors: list[RuleError] = []
    for folder in folders:
        if isinstance(folder, Path) and folder.is_file():
            sources.append(folder)
        elif isinstance(folder, Path) and folder.exists() and not folder.is_dir():
            return [], [RuleError(folder, "not a regular file or a folder (a FIFO or a device?); not read")]
        elif isinstance(folder, Path) and not folder.is_dir():
            return [], [RuleError(folder, "no such rules folder or file")]
        else:
            sources.extend(rule_files(folder, errors))
    rules: list[Rule] = []
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
        if number < shipped:
            rule = replace(rule, bundled=True, examples=rule.examples if examples else ())
        rules.append(rule)
    if builtin:
        rules += _families(kinds, seen, errors)
    return rules, errors


def _families(kinds: KindTable, seen: dict[str, str], errors: list[RuleError]) -> list[Rule]:
    """The rules of the rule families (`rules.families`), bundled; an id a file
    already took is an error."""
    generated, problems = family_rules(kinds)
    errors.extend(problems)
    kept = []
    for rule in generated:
        if rule.id in seen:
            message = f"rule id {rule.id!r} is taken by a rule family ({rule.path})"
            errors.append(RuleError(seen[rule.id], message, rule_id=rule.id, key="id"))
        else:
            kept.append(replace(rule, bundled=True))
    return kept
