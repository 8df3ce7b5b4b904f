"""The command line: options in, library calls, output and exit codes out.

Exit codes: 0 ran and found nothing at or above `--fail-on`; 1 findings;
2 bad input or usage (nothing could be read, bad option); 3 invalid rules.
Everything that decides something lives in the library; this module only
wires options to it and reports.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime, tzinfo
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from smslogdoc import __version__

if TYPE_CHECKING:
    from smslogdoc.diagnose import Outcome
    from smslogdoc.rules import Rule

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Tell why an SMS / ConfigMgr client install or software distribution failed, from the client's logs.",
)

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Log files or folders (walked recursively); '-' reads standard input.", show_default=False),
]
Since = Annotated[str | None, typer.Option("--since", help="Only records at or after this time (log-local unless an offset is given).")]
Until = Annotated[str | None, typer.Option("--until", help="Only records at or before this time.")]
Zone = Annotated[
    str | None,
    typer.Option("--tz", help="Zone for times the log writes without one (IANA, Windows name, or +HH:MM)."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the results, no notes about files.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also say which files were read, in which format, and why any were skipped.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    from smslogdoc.terminal import console, visible

    console(stderr=True).print(f"smslogdoc: {visible(message)}", markup=False)
    raise typer.Exit(code)


def _input_paths(paths: list[str] | None) -> list[str]:
    if paths:
        return paths
    if sys.stdin is not None and not sys.stdin.isatty():
        return ["-"]
    fail("no logs given: name log files or folders, or pipe a log in (see --help)")


def _zone(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    from smslogdoc.times import parse_zone

    try:
        return parse_zone(text)
    except ValueError as error:
        fail(f"--tz: {error}")


def _time(option: str, text: str | None, zone: tzinfo | None) -> datetime | None:
    if text is None:
        return None
    from smslogdoc.times import parse_user_time

    try:
        return parse_user_time(text, zone)
    except ValueError as error:
        fail(f"{option}: {error}")


@app.command()
def parse(
    paths: Paths = None,
    output: Annotated[
        str | None,
        typer.Option("--format", "-f", help="table (default on a terminal), jsonl (default otherwise) or csv.", show_default=False),
    ] = None,
    merge: Annotated[bool, typer.Option("--merge", help="Interleave the records of all logs by time.")] = False,
    since: Since = None,
    until: Until = None,
    tz: Zone = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Show the records smslogdoc reads from the logs: what the parser sees."""
    from smslogdoc import listing, timeline
    from smslogdoc.model import Event
    from smslogdoc.reader import ReadOptions, read_log
    from smslogdoc.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    if output is None:
        output = "table" if sys.stdout.isatty() else "jsonl"
    try:
        chosen = listing.EventFormat(output)
    except ValueError:
        fail(f"--format: unknown format {output!r}; choose table, jsonl or csv")
    zone = _zone(tz)
    start, end = _time("--since", since, zone), _time("--until", until, zone)
    session = _Session(_input_paths(paths))
    streams = [read_log(log, ReadOptions(zone=zone)) for log in session.logs]
    events: Iterator[Event] = timeline.merge(streams) if merge else chain.from_iterable(streams)
    events = timeline.within(events, start, end)
    try:
        if chosen is listing.EventFormat.jsonl:
            listing.write_jsonl(events, sys.stdout)
        elif chosen is listing.EventFormat.csv:
            listing.write_csv(events, sys.stdout)
        else:
            listing.write_table(events, console(), show_path=len(session.logs) > 1 or merge)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error
        raise typer.Exit(0) from None
    session.report(quiet=quiet, verbose=verbose)
    raise typer.Exit(0 if session.read_anything() else 2)


RuleDirs = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="A folder (or file) of your own YAML rules, used beside the bundled ones. Repeatable.", show_default=False),
]
NoBuiltin = Annotated[bool, typer.Option("--no-builtin", help="Do not load the bundled rules.")]
_LEVELS = ("info", "warning", "error")


def _rules(folders: list[Path] | None, no_builtin: bool) -> list[Rule]:
    """Load the rules, or list every rule error and exit 3."""
    from smslogdoc.rules import load_rules
    from smslogdoc.terminal import console

    rules, errors = load_rules(folders or [], builtin=not no_builtin, check_builtin=False)
    if errors:
        err = console(stderr=True)
        for error in errors:
            err.print(f"smslogdoc: {error}", markup=False)
        err.print(f"smslogdoc: {len(errors)} rule error(s); nothing was diagnosed", markup=False)
        raise typer.Exit(3)
    if not rules:
        fail("no rules to run (--no-builtin without --rules)")
    return rules


@app.command()
def diagnose(
    paths: Paths = None,
    rule_dirs: RuleDirs = None,
    no_builtin: NoBuiltin = False,
    output: Annotated[str, typer.Option("--format", "-f", help="text, json, jsonl or markdown.")] = "text",
    min_severity: Annotated[str, typer.Option("--min-severity", help="Show only findings at or above: info, warning or error.")] = "info",
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 when a confirmed finding is at or above: info, warning, error, or none.")] = "warning",
    since: Since = None,
    until: Until = None,
    tz: Zone = None,
    explain: Annotated[str | None, typer.Option("--explain", help="Show, step by step, what rule RULE matched and what was missing.", metavar="RULE")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Processes to read many folders with; 0 (default) means one per core.", min=0)] = 0,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Find out why a client install or a software distribution failed, and what to do."""
    from smslogdoc import report
    from smslogdoc.diagnose import diagnose as run
    from smslogdoc.engine import Tracer
    from smslogdoc.reader import ReadOptions
    from smslogdoc.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    try:
        chosen = report.ReportFormat(output)
    except ValueError:
        fail(f"--format: unknown format {output!r}; choose text, json, jsonl or markdown")
    if min_severity not in _LEVELS:
        fail(f"--min-severity: expected one of {', '.join(_LEVELS)}, got {min_severity!r}")
    if fail_on not in (*_LEVELS, "none"):
        fail(f"--fail-on: expected one of {', '.join(_LEVELS)} or none, got {fail_on!r}")
    zone = _zone(tz)
    start, end = _time("--since", since, zone), _time("--until", until, zone)
    rules = _rules(rule_dirs, no_builtin)
    tracer = None
    if explain is not None:
        if explain not in {rule.id for rule in rules}:
            fail(f"--explain: no loaded rule has the id {explain!r} (see smslogdoc rules list)")
        tracer = Tracer(explain)
    from smslogdoc.workers import cores

    outcome = run(_input_paths(paths), rules, options=ReadOptions(zone=zone), since=start, until=end, tracer=tracer, jobs=jobs or cores())
    shown = [f for f in outcome.findings if _LEVELS.index(f.severity) >= _LEVELS.index(min_severity)]
    out = console()
    if tracer is not None:
        from smslogdoc.explain import write_explanation

        write_explanation(next(rule for rule in rules if rule.id == explain), tracer, out)
        out.print()
    if chosen is report.ReportFormat.json:
        report.write_json(outcome, shown, sys.stdout)
    elif chosen is report.ReportFormat.jsonl:
        report.write_jsonl(shown, sys.stdout)
    elif chosen is report.ReportFormat.markdown:
        report.write_markdown(outcome, shown, sys.stdout)
    else:
        report.write_text(outcome, shown, out, with_summary=not quiet)
    session = _Session.of(outcome)
    session.report(quiet=quiet, verbose=verbose)
    if verbose:
        _verbose_rules(rules, outcome)
    if not outcome.read_anything():
        raise typer.Exit(2)
    if fail_on != "none" and any(
        f.status == "confirmed" and _LEVELS.index(f.severity) >= _LEVELS.index(fail_on) for f in outcome.findings
    ):
        raise typer.Exit(1)
    raise typer.Exit(0)


def _verbose_rules(rules: list[Rule], outcome: Outcome) -> None:
    from smslogdoc.terminal import console

    err = console(stderr=True)
    err.print(f"smslogdoc: ran {len(rules)} rules over {len(outcome.logs)} log(s)", markup=False)


rules_app = typer.Typer(no_args_is_help=True, help="List, show, validate and test rules.")
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(
    rule_dirs: RuleDirs = None,
    no_builtin: NoBuiltin = False,
    output: Annotated[str, typer.Option("--format", "-f", help="text, json, or markdown (the coverage table).")] = "text",
) -> None:
    """Every loaded rule: id, severity, the logs it applies to, its title."""
    import json

    from rich.table import Table

    from smslogdoc.terminal import console, log_text, prefer_utf8_output

    prefer_utf8_output()
    rules = _rules(rule_dirs, no_builtin)
    if output == "json":
        listed = [
            {"id": r.id, "title": r.title, "severity": r.severity, "confidence": r.confidence,
             "applies_to": list(r.applies_to), "products": list(r.products), "fallback": r.fallback, "source": r.path}
            for r in rules
        ]
        sys.stdout.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
        return
    if output == "markdown":
        from smslogdoc.coverage import coverage_table

        sys.stdout.write(coverage_table(rules))
        return
    if output != "text":
        fail(f"--format: unknown format {output!r}; choose text, json or markdown")
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Rule", "Severity", "Applies to", "Title"):
        table.add_column(column, overflow="fold")
    for rule in rules:
        table.add_row(log_text(rule.id), rule.severity, log_text(", ".join(rule.applies_to) or "every log"), log_text(rule.title))
    console().print(table)


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(help="The rule's id.")], rule_dirs: RuleDirs = None, no_builtin: NoBuiltin = False) -> None:
    """A rule's file, as written."""
    from pathlib import Path as _Path

    from smslogdoc.rules import bundled_rules_dir
    from smslogdoc.terminal import console, log_text

    rules = _rules(rule_dirs, no_builtin)
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        fail(f"no loaded rule has the id {rule_id!r} (see smslogdoc rules list)")
    source = _Path(rule.path)
    text = source.read_text(encoding="utf-8") if source.exists() else bundled_rules_dir().joinpath(source.name).read_text(encoding="utf-8")
    console().print(log_text(text))


@rules_app.command("validate")
def rules_validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Rule files or folders to check (default: the bundled rules).", show_default=False)] = None,
) -> None:
    """Check rules and list every error (file, rule, key, line); exit 3 if any."""
    from smslogdoc.rules import load_rules
    from smslogdoc.terminal import console

    rules, errors = load_rules(paths or [], builtin=not paths)
    err = console(stderr=True)
    for error in errors:
        err.print(f"smslogdoc: {error}", markup=False)
    if errors:
        err.print(f"smslogdoc: {len(errors)} rule error(s) in {len({e.path for e in errors})} file(s)", markup=False)
        raise typer.Exit(3)
    console().print(f"{len(rules)} rule(s) valid", markup=False)


@rules_app.command("test")
def rules_test(
    rule_ids: Annotated[list[str] | None, typer.Argument(help="Rules to test (default: all loaded).", show_default=False)] = None,
    rule_dirs: RuleDirs = None,
    no_builtin: NoBuiltin = False,
) -> None:
    """Run each rule on its own example logs: it must fire where it says, citing
    the lines it lists, and stay silent on the healthy or near-miss ones."""
    from rich.text import Text

    from smslogdoc.ruletest import check_examples
    from smslogdoc.terminal import console, log_text

    rules = _rules(rule_dirs, no_builtin)
    if rule_ids:
        unknown = sorted(set(rule_ids) - {rule.id for rule in rules})
        if unknown:
            fail(f"no loaded rule has the id {unknown[0]!r}")
        rules = [rule for rule in rules if rule.id in rule_ids]
    out = console()
    failed = passed = 0
    for rule in rules:
        for result in check_examples(rule):
            if result.passed:
                passed += 1
                continue
            failed += 1
            line = Text("FAIL ", style="bold red")
            line.append_text(log_text(f"{result.rule}: {result.example}: {result.message}"))
            out.print(line)
    out.print(f"{passed} passed, {failed} failed", markup=False)
    raise typer.Exit(1 if failed else 0)


@rules_app.command("kinds")
def rules_kinds() -> None:
    """The log kinds rules can name in applies_to, and how each is recognised."""
    from rich.table import Table

    from smslogdoc.kinds import load_kinds
    from smslogdoc.terminal import console

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Kind", "Files", "Runs", "Log"):
        table.add_column(column, overflow="fold")
    for kind in load_kinds().kinds.values():
        table.add_row(kind.name, ", ".join(kind.files), kind.runs.name if kind.runs else "", kind.title)
    console().print(table)


@app.command("explain")
def explain_code(codes: Annotated[list[str], typer.Argument(help="Error codes: 0x80070005, 80070005, -2147024891, 1317, 0x525 ...")]) -> None:
    """What an error code means: Win32, HRESULT, Windows Installer, WMI, BITS, WinHTTP, ConfigMgr, ccmsetup."""
    from smslogdoc import codes as table
    from smslogdoc.terminal import console, log_text

    out = console()
    bad = False
    for code in codes:
        try:
            for explanation in table.explain(code):
                out.print(log_text(explanation.one_line()))
        except ValueError as error:
            bad = True
            console(stderr=True).print(f"smslogdoc: {code}: {error}", markup=False)
    raise typer.Exit(2 if bad else 0)


class _Session:
    """The logs of one command and the problems met gathering and reading them."""

    def __init__(self, paths: list[str]) -> None:
        from smslogdoc.inputs import collect
        from smslogdoc.model import Problem

        self.problems: list[Problem] = []
        self.logs = collect(paths, self.problems)

    @classmethod
    def of(cls, outcome: Outcome) -> _Session:
        """The session of a finished diagnosis."""
        session = cls([])
        session.problems = outcome.problems
        session.logs = outcome.logs
        return session

    def read_anything(self) -> bool:
        """Whether at least one file could be read as text."""
        return any(not report.skipped for log in self.logs for report in log.reports)

    def report(self, *, quiet: bool, verbose: bool) -> None:
        """Problems to stderr, one line each; with `verbose`, every file read."""
        from smslogdoc.terminal import console

        err = console(stderr=True)
        lines: list[str] = [str(problem) for problem in self.problems]
        for log in self.logs:
            for report in log.reports:
                if verbose and not report.skipped:
                    lines.append(f"{report.path}: read {report.events} record(s) as {report.format or 'nothing'} ({report.encoding or 'no text'})")
                lines.extend(str(problem) for problem in report.problems)
        if not self.logs and not self.problems:
            lines.append("no logs found")
        for line in lines:
            if quiet and not line:
                continue
            err.print(f"smslogdoc: {line}", markup=False, highlight=False)


def _version(value: bool) -> None:
    if value:
        print(f"smslogdoc {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """smslogdoc reads SMS 2.0, SMS 2003 and ConfigMgr client logs and explains failures."""


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:  # answer before importing anything heavy
        print(f"smslogdoc {__version__}")
        return
    app()
