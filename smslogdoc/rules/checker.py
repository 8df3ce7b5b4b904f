"""What checking one rule file keeps: the errors found so far (`Checker`),
each a `RuleError` naming the file, the rule, the key path and the YAML line,
and the readers of values every part of a rule shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from smslogdoc.rules import yamlnodes
from smslogdoc.rules.suggest import did_you_mean


class RuleError(Exception):
    """What is wrong in a rule file: which file, which rule, which key and, when
    known, which line. Collected, never raised: a command lists them all and
    exits 3 (`cli.common.load_rules_or_exit`)."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        rule_id: str | None = None,
        key: str | None = None,
        line: int | None = None,
        noun: str = "rule",
    ) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message
        self.rule_id = rule_id
        self.key = key
        self.line = line
        self.noun = noun
        """What the file holds: a rule, or a workflow."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where]
        if self.rule_id:
            parts.append(f"{self.noun} {self.rule_id}")
        if self.key:
            parts.append(self.key)
        return f"{': '.join(parts)}: {self.message}"


@dataclass
class Checker:
    """Collects the errors of one rule file."""

    path: str
    document: yamlnodes.Document
    rule_id: str | None = None
    errors: list[RuleError] = field(default_factory=list)
    check: bool = True
    """Compile every pattern now, to report bad ones (off for the bundled rules,
    which the test suite checks, so a run compiles only what it uses)."""
    noun: str = "rule"
    """What the file holds (rule, workflow), as its errors name it."""

    def error(self, key: yamlnodes.Path, message: str) -> None:
        dotted = ".".join(str(part) for part in key) or None
        line = self.document.line(key)
        self.errors.append(
            RuleError(self.path, message, rule_id=self.rule_id, key=dotted, line=line, noun=self.noun)
        )

    def strings(self, data: Mapping[str, object], key: str, path: yamlnodes.Path) -> tuple[str, ...]:
        """The text, or list of texts, of `key` in `data` (at `path`)."""
        value = data.get(key, ())
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
            self.error((*path, key), "expected text or a list of texts")
            return ()
        return tuple(value)


def opened(
    text: str,
    path: str,
    keys: Mapping[str, str],
    required: tuple[str, ...],
    what: str,
    *,
    check: bool,
    noun: str = "rule",
) -> tuple[Checker, dict[str, object] | None, list[str]]:
    """The checker of one YAML file of rules or workflows (`noun`), its top
    mapping (None when the file holds no mapping: the checker says so), and the
    required `keys` it lacks; unknown and missing keys are errors already.
    `what` is the error when the file holds no mapping."""
    try:
        document = yamlnodes.load(text, positions=check)
    except yamlnodes.YamlError as error:
        checker = Checker(path, yamlnodes.Document(None, {}), check=check, noun=noun)
        checker.errors.append(RuleError(path, str(error), line=error.line))
        return checker, None, []
    checker = Checker(path, document, check=check, noun=noun)
    data = document.data
    if not isinstance(data, dict):
        checker.error((), what)
        return checker, None, []
    if isinstance(data.get("id"), str):
        checker.rule_id = data["id"]
    for key in data:
        if key not in keys:
            checker.error((key,), f"unknown key; expected one of {', '.join(keys)}{did_you_mean(key, keys)}")
    missing = [key for key in required if key not in data]
    for key in missing:
        checker.error((), f"missing required key {key!r} ({keys[key]})")
    return checker, data, missing


def one_of(names: tuple[str, ...] | list[str]) -> str:
    """`a, b, c or d`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
