"""What every command shares: leaving with an exit code (`Exit`, `fail`), the
inputs named on the command line, `--tz` / `--since` / `--until`, loading the
rules, where a report goes (`output_to`: standard output or `-o FILE`), and
reporting the problems met reading (`Session`).

Exit codes: 0 ran and found nothing at or above `--fail-on`; 1 findings;
2 bad input or usage (nothing could be read, bad option, an `-o FILE` that
cannot be written); 3 invalid rules; 130 stopped by Ctrl-C; 143 stopped by
SIGTERM (`cli.app`).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from smslogdoc.diagnose import Outcome
    from smslogdoc.inputs.paths import LogInput
    from smslogdoc.model import Problem
    from smslogdoc.rules.model import Rule
    from smslogdoc.rules.workflow import Workflow


class Exit(Exception):
    """Leave the command with an exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler (`cli.app`): the run stops as on Ctrl-C
    (`--follow` still writes its summary), and exits 143."""


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    from smslogdoc.report.terminal import console, visible

    console(stderr=True).print(f"smslogdoc: {visible(message)}", markup=False)
    raise Exit(code)


class _OutputError(Exception):
    """Writing the `-o` file failed."""


class _OutputFile(io.TextIOWrapper):
    """The `-o` file: a failed write says so as an `_OutputError`, apart from
    every other OSError a command may meet."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as error:
            raise _OutputError(error) from error

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as error:
            raise _OutputError(error) from error

    def close(self) -> None:
        try:
            super().close()
        except OSError as error:
            raise _OutputError(error) from error


@contextmanager
def output_to(path: str | None) -> Iterator[TextIO]:
    """Where a report goes: standard output, or (`-o FILE`) FILE, written as
    standard output is when not a terminal (UTF-8, `\\n` line ends). When FILE
    cannot be opened or written: one line naming it, exit 2."""
    if path is None:
        yield sys.stdout
        return
    try:
        stream = _OutputFile(Path(path).open("wb"), encoding="utf-8", errors="replace", newline="")  # noqa: SIM115  # closed below
    except OSError as error:
        fail(f"-o: cannot write {path}: {error.strerror or error}")
    try:
        with stream:
            yield stream
    except _OutputError as error:
        cause = error.__cause__
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
        fail(f"-o: cannot write {path}: {reason}")


def input_paths(paths: list[str]) -> list[str]:
    """The paths to read: those named, else standard input when something is
    piped in. No path and a terminal or empty standard input (cron, a Task
    Scheduler job, `< /dev/null`) is "nothing to read", exit 2."""
    if paths:
        return paths
    if sys.stdin is not None and not sys.stdin.isatty() and not _stdin_empty():
        return ["-"]
    fail("nothing to read: name log files or folders, or pipe a log in (see --help)")


def _stdin_empty() -> bool:
    """Whether standard input ends before its first byte (looked at without consuming it)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return False
    try:
        peek = getattr(buffer, "peek", None)
        if peek is not None:
            return not peek(1)
        if buffer.seekable():
            where = buffer.tell()
            empty = not buffer.read(1)
            buffer.seek(where)
            return empty
    except (OSError, ValueError):
        return False
    return False


def unreadable_named(paths: list[str], logs: list[LogInput], problems: list[Problem]) -> list[str]:
    """The paths named on the command line that do not exist or could not be
    read (problems met inside a folder walk are not among them): any makes
    the run exit 2, after the rest is diagnosed and printed."""
    from smslogdoc.inputs.links import LINKS_OUT

    named = {path for path in paths if path != "-"}
    bad = {
        problem.path
        for problem in problems
        if problem.path in named
        and problem.message != "folder holds no files to read"
        and not problem.message.endswith(LINKS_OUT)  # the folder itself was read
        and problem.rule is None  # a rule's trouble on a record that was read
    }
    for log in logs:
        for part, report in zip(log.parts, log.reports, strict=False):
            if (
                part.display in named
                and report.skipped
                and any(p.message.startswith("cannot ") for p in report.problems)
            ):
                bad.add(part.display)
    return [path for path in paths if path in bad]


def exit_for_unreadable(
    paths: list[str], logs: list[LogInput], problems: list[Problem], shown_as: Mapping[str, str] | None = None
) -> None:
    """Exit 2, saying why, when a path named on the command line could not be
    read; each named as `shown_as` has it (its redacted form), if there."""
    bad = unreadable_named(paths, logs, problems)
    if bad:
        named = [(shown_as or {}).get(path, path) for path in bad]
        fail(f"exit 2: {len(bad)} path(s) named on the command line could not be read: {', '.join(named)}")


def machine_names(paths: list[str]) -> list[str]:
    """The names of the machines the paths named hold, for `--redact`: a
    folder named is usually one machine's logs (C:\\Collected\\WKS0042), and
    so is the folder of a log named (C:\\Collected\\WKS0042\\execmgr.log);
    generic folder names (`Logs`, `CCM` ...) are not."""
    from smslogdoc.report.redaction import GENERIC_FOLDERS

    names = []
    for path in paths:
        if path == "-":
            continue
        where = Path(path)
        name = where.name if where.is_dir() else where.parent.name if where.is_file() else ""
        if name and name.casefold() not in GENERIC_FOLDERS:
            names.append(name)
    return names


def zone_option(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    from smslogdoc.times import parse_zone

    try:
        return parse_zone(text)
    except ValueError as error:
        fail(f"--tz: {error}")


def time_option(option: str, text: str | None, zone: tzinfo | None) -> datetime | None:
    if text is None:
        return None
    from smslogdoc.cli.usertime import parse_user_time

    try:
        return parse_user_time(text, zone)
    except ValueError as error:
        fail(f"{option}: {error}")


def time_window(
    since: str | None, until: str | None, zone: tzinfo | None
) -> tuple[datetime | None, datetime | None]:
    """`--since` and `--until` read; exit 2 when one cannot be read or `--since` is after `--until`."""
    start, end = time_option("--since", since, zone), time_option("--until", until, zone)
    if start is not None and end is not None:
        from smslogdoc.read.timeline import at_or_after

        if not at_or_after(end, start):
            fail(f"--since {since} is after --until {until}: nothing could be in that window")
    return start, end


def load_rules_or_exit(folders: list[Path] | None, no_builtin: bool, *, examples: bool = False) -> list[Rule]:
    """Load the rules (the bundled ones without their examples, unless
    `examples`), or list every rule error and exit 3."""
    from smslogdoc.report.terminal import console
    from smslogdoc.rules.load import load_rules

    rules, errors = load_rules(folders or [], builtin=not no_builtin, check_builtin=False, examples=examples)
    err = console(stderr=True)
    if errors:
        for error in errors:
            err.print(f"smslogdoc: {error}", markup=False)
        err.print(f"smslogdoc: {len(errors)} rule error(s); nothing was diagnosed", markup=False)
        raise Exit(3)
    empty = _empty_rule_folders(folders or [])
    for folder in empty:
        err.print(
            f"smslogdoc: warning: --rules {folder}: no rule files (*.yaml) in this folder", markup=False
        )
    if not rules:
        fail(
            "no rules to run: "
            + ("the --rules folder holds none" if empty else "--no-builtin without --rules")
        )
    from smslogdoc.collector import settle

    settle()  # the rules live as long as the process: out of the garbage collector's walks
    return rules


def load_workflows_or_exit(folders: list[Path] | None, rules: list[Rule], no_builtin: bool) -> list[Workflow]:
    """The workflows stories follow (bundled unless `no_builtin`, and those of
    the rule folders), or list every workflow error and exit 3."""
    from smslogdoc.report.terminal import console
    from smslogdoc.rules.workflows import load_workflows

    workflows, errors = load_workflows(folders or [], rules, builtin=not no_builtin)
    if errors:
        err = console(stderr=True)
        for error in errors:
            err.print(f"smslogdoc: {error}", markup=False)
        err.print(f"smslogdoc: {len(errors)} workflow error(s); nothing was diagnosed", markup=False)
        raise Exit(3)
    return workflows


def _empty_rule_folders(folders: list[Path]) -> list[Path]:
    """The folders named with --rules that hold no rule file."""
    from smslogdoc.rules.load import rule_files

    return [folder for folder in folders if folder.is_dir() and not rule_files(folder)]


class Session:
    """The logs of one command and the problems met gathering and reading them."""

    def __init__(self, paths: list[str]) -> None:
        from smslogdoc.inputs.paths import collect

        self.problems: list[Problem] = []
        self.logs = collect(paths, self.problems)

    @classmethod
    def of(cls, outcome: Outcome) -> Session:
        """The session of a finished diagnosis."""
        session = cls([])
        session.problems = outcome.problems
        session.logs = outcome.logs
        return session

    def read_anything(self) -> bool:
        """Whether at least one file could be read as text."""
        return any(not report.skipped for log in self.logs for report in log.reports)

    def report(self, *, quiet: bool, verbose: bool, shown_as: Callable[[str], str] = str) -> None:
        """Problems to stderr, one line each; with `verbose`, every file read.
        `shown_as` writes each line (redacted under `--redact`)."""
        from smslogdoc.report.terminal import console

        err = console(stderr=True)
        lines: list[str] = [str(problem) for problem in self.problems]
        for log in self.logs:
            for report in log.reports:
                if verbose and not report.skipped:
                    lines.append(
                        f"{report.path}: read {report.events} record(s) as {report.format or 'nothing'} ({report.encoding or 'no text'})"
                    )
                lines.extend(str(problem) for problem in report.problems)
        if not self.logs and not self.problems:
            lines.append("no logs found")
        for line in lines:
            if quiet and not line:
                continue
            err.print(f"smslogdoc: {shown_as(line)}", markup=False, highlight=False)


def with_benign_list(rules: list[Rule]) -> list[Rule]:
    """`rules`, with the rule families silent on the messages of the user's list
    of routine messages (`benign.yaml` in the configuration folder); exit 2,
    saying why, when that list cannot be used."""
    import yaml

    from smslogdoc.engine.benign import BenignError, benign_list, user_benign
    from smslogdoc.rules.families import vetoed

    try:
        benign_list()
        return vetoed(rules, [entry.pattern.pattern for entry in user_benign()])
    except BenignError as error:
        fail(str(error))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        from smslogdoc.engine.benign import user_benign_path

        fail(f"{user_benign_path()}: cannot read it: {error}")
