"""The exceptions smslogdoc raises on purpose, each mapped to a documented exit code.

Bad log input never raises: it becomes a `Problem` on the file's report. These
exceptions are for what stops a command: no input at all (exit 2) and invalid
rules (exit 3).
"""

from __future__ import annotations

from pathlib import Path


class SmslogdocError(Exception):
    """Base class: a failure the command line reports in one line."""

    exit_code = 2


class InputError(SmslogdocError):
    """Nothing could be read, or an option value is unusable (exit 2)."""

    exit_code = 2


class RuleError(SmslogdocError):
    """A rule is invalid; says which file, which rule, which key and, when known, which line."""

    exit_code = 3

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        rule_id: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = str(path)
        self.message = message
        self.rule_id = rule_id
        self.key = key
        self.line = line

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where]
        if self.rule_id:
            parts.append(f"rule {self.rule_id}")
        if self.key:
            parts.append(self.key)
        return f"{': '.join(parts)}: {self.message}"


class RuleSetError(SmslogdocError):
    """Several rules are invalid; carries every error so all can be listed at once."""

    exit_code = 3

    def __init__(self, errors: list[RuleError]) -> None:
        super().__init__(f"{len(errors)} rule error(s)")
        self.errors = errors
