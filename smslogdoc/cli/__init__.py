"""The command line: options in, library calls, output and exit codes out.

Exit codes: 0 ran and found nothing at or above `--fail-on`; 1 findings;
2 bad input or usage (nothing could be read, bad option); 3 invalid rules.
Everything that decides something lives in the library; this module only
wires options to it and reports. It is built on argparse, and imports the
library only for the command that runs, so the tool starts quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from smslogdoc import __version__

if TYPE_CHECKING:
    from smslogdoc.diagnose import Outcome
    from smslogdoc.rules.model import Rule

DESCRIPTION = "Tell why an SMS / ConfigMgr client install or software distribution failed, from the client's logs."
EPILOG = """examples:
  smslogdoc diagnose C:\\Windows\\ccmsetup\\Logs       why did the client install fail?
  smslogdoc diagnose \\\\server\\logs\\WKS0042 -f json  the same, as JSON
  type execmgr.log | smslogdoc diagnose            a log on standard input
  smslogdoc parse ccmsetup.log                     the records as smslogdoc reads them
  smslogdoc explain 0x80070005                     what an error code means

exit codes: 0 nothing at or above --fail-on; 1 findings; 2 bad input or usage; 3 invalid rules"""
_LEVELS = ("info", "warning", "error")


class Exit(Exception):
    """Leave the command with an exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code (console-script and `python -m` entry point)."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # answer before importing anything
        print(f"smslogdoc {__version__}")
        return 0
    parser = _parser()
    if not args:
        parser.print_help()
        return 2
    try:
        options = parser.parse_args(args)
    except SystemExit as error:  # argparse's own usage errors and --help
        return error.code if isinstance(error.code, int) else 2
    try:
        options.command(options)
    except Exit as done:
        return done.code
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error
        return 0
    return 0


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit with `code`."""
    from smslogdoc.report.terminal import console, visible

    console(stderr=True).print(f"smslogdoc: {visible(message)}", markup=False)
    raise Exit(code)


# --- the commands ------------------------------------------------------------------


def parse(args: argparse.Namespace) -> None:
    """Show the records smslogdoc reads from the logs: what the parser sees."""
    from smslogdoc.model import Event
    from smslogdoc.read import timeline
    from smslogdoc.read.full import ReadOptions, read_log
    from smslogdoc.report import listing
    from smslogdoc.report.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    output = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    try:
        chosen = listing.EventFormat(output)
    except ValueError:
        fail(f"--format: unknown format {output!r}; choose table, jsonl or csv")
    zone = _zone(args.tz)
    start, end = _time("--since", args.since, zone), _time("--until", args.until, zone)
    session = _Session(_input_paths(args.paths))
    streams = [read_log(log, ReadOptions(zone=zone)) for log in session.logs]
    events: Iterator[Event] = timeline.merge(streams) if args.merge else chain.from_iterable(streams)
    events = timeline.within(events, start, end)
    if chosen is listing.EventFormat.jsonl:
        listing.write_jsonl(events, sys.stdout)
    elif chosen is listing.EventFormat.csv:
        listing.write_csv(events, sys.stdout)
    else:
        listing.write_table(events, console(), show_path=len(session.logs) > 1 or args.merge)
    session.report(quiet=args.quiet, verbose=args.verbose)
    raise Exit(0 if session.read_anything() else 2)


def diagnose(args: argparse.Namespace) -> None:
    """Find out why a client install or a software distribution failed, and what to do."""
    from smslogdoc.diagnose import diagnose as run
    from smslogdoc.engine.tracer import Tracer
    from smslogdoc.parallel import cores
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report import findings as report
    from smslogdoc.report.terminal import console, prefer_utf8_output

    prefer_utf8_output()
    try:
        chosen = report.ReportFormat(args.format)
    except ValueError:
        fail(f"--format: unknown format {args.format!r}; choose text, json, jsonl or markdown")
    if args.min_severity not in _LEVELS:
        fail(f"--min-severity: expected one of {', '.join(_LEVELS)}, got {args.min_severity!r}")
    if args.fail_on not in (*_LEVELS, "none"):
        fail(f"--fail-on: expected one of {', '.join(_LEVELS)} or none, got {args.fail_on!r}")
    if args.jobs < 0:
        fail(f"--jobs: expected 0 (one per core) or more, got {args.jobs}")
    zone = _zone(args.tz)
    start, end = _time("--since", args.since, zone), _time("--until", args.until, zone)
    rules = _rules(args.rules, args.no_builtin)
    tracer = None
    if args.explain is not None:
        if args.explain not in {rule.id for rule in rules}:
            fail(f"--explain: no loaded rule has the id {args.explain!r} (see smslogdoc rules list)")
        tracer = Tracer(args.explain)
    outcome = run(
        _input_paths(args.paths), rules, options=ReadOptions(zone=zone), since=start, until=end, tracer=tracer, jobs=args.jobs or cores()
    )
    shown = [f for f in outcome.findings if _LEVELS.index(f.severity) >= _LEVELS.index(args.min_severity)]
    out = console()
    if tracer is not None:
        from smslogdoc.report.explain import write_explanation

        write_explanation(next(rule for rule in rules if rule.id == args.explain), tracer, out)
        out.print()
    if chosen is report.ReportFormat.json:
        report.write_json(outcome, shown, sys.stdout)
    elif chosen is report.ReportFormat.jsonl:
        report.write_jsonl(shown, sys.stdout)
    elif chosen is report.ReportFormat.markdown:
        report.write_markdown(outcome, shown, sys.stdout)
    else:
        report.write_text(outcome, shown, out, with_summary=not args.quiet)
    _Session.of(outcome).report(quiet=args.quiet, verbose=args.verbose)
    if args.verbose:
        console(stderr=True).print(f"smslogdoc: ran {len(rules)} rules over {len(outcome.logs)} log(s)", markup=False)
    if not outcome.read_anything():
        raise Exit(2)
    if args.fail_on != "none" and any(
        f.status == "confirmed" and _LEVELS.index(f.severity) >= _LEVELS.index(args.fail_on) for f in outcome.findings
    ):
        raise Exit(1)
    raise Exit(0)


def rules_list(args: argparse.Namespace) -> None:
    """Every loaded rule: id, severity, the logs it applies to, its title."""
    import json

    from rich.table import Table

    from smslogdoc.report.terminal import console, log_text, prefer_utf8_output

    prefer_utf8_output()
    rules = _rules(args.rules, args.no_builtin)
    if args.format == "json":
        listed = [
            {"id": r.id, "title": r.title, "severity": r.severity, "confidence": r.confidence,
             "applies_to": list(r.applies_to), "products": list(r.products), "fallback": r.fallback, "source": r.path}
            for r in rules
        ]
        sys.stdout.write(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
        return
    if args.format == "markdown":
        from smslogdoc.rules.coverage import coverage_table

        sys.stdout.write(coverage_table(rules))
        return
    if args.format != "text":
        fail(f"--format: unknown format {args.format!r}; choose text, json or markdown")
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Rule", "Severity", "Applies to", "Title"):
        table.add_column(column, overflow="fold")
    for rule in rules:
        table.add_row(log_text(rule.id), rule.severity, log_text(", ".join(rule.applies_to) or "every log"), log_text(rule.title))
    console().print(table)


def rules_show(args: argparse.Namespace) -> None:
    """A rule's file, as written."""
    from smslogdoc.report.terminal import console, log_text
    from smslogdoc.rules.load import bundled_rules_dir

    rules = _rules(args.rules, args.no_builtin)
    rule = next((r for r in rules if r.id == args.rule_id), None)
    if rule is None:
        fail(f"no loaded rule has the id {args.rule_id!r} (see smslogdoc rules list)")
    source = Path(rule.path)
    text = source.read_text(encoding="utf-8") if source.exists() else bundled_rules_dir().joinpath(source.name).read_text(encoding="utf-8")
    console().print(log_text(text), soft_wrap=True)  # the file as written, not re-wrapped


def rules_validate(args: argparse.Namespace) -> None:
    """Check rules and list every error (file, rule, key, line); exit 3 if any."""
    from smslogdoc.report.terminal import console
    from smslogdoc.rules.load import load_rules

    paths = [Path(path) for path in args.paths]
    rules, errors = load_rules(paths, builtin=not paths)
    err = console(stderr=True)
    for error in errors:
        err.print(f"smslogdoc: {error}", markup=False)
    if errors:
        err.print(f"smslogdoc: {len(errors)} rule error(s) in {len({e.path for e in errors})} file(s)", markup=False)
        raise Exit(3)
    console().print(f"{len(rules)} rule(s) valid", markup=False)


def rules_test(args: argparse.Namespace) -> None:
    """Run each rule on its own example logs: it must fire where it says, citing
    the lines it lists, and stay silent on the healthy or near-miss ones."""
    from rich.text import Text

    from smslogdoc.report.terminal import console, log_text
    from smslogdoc.rules.examples import check_examples

    rules = _rules(args.rules, args.no_builtin)
    if args.rule_ids:
        unknown = sorted(set(args.rule_ids) - {rule.id for rule in rules})
        if unknown:
            fail(f"no loaded rule has the id {unknown[0]!r}")
        rules = [rule for rule in rules if rule.id in args.rule_ids]
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
    raise Exit(1 if failed else 0)


def rules_kinds(args: argparse.Namespace) -> None:
    """The log kinds rules can name in applies_to, and how each is recognised."""
    from rich.table import Table

    from smslogdoc.kinds import load_kinds
    from smslogdoc.report.terminal import console

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Kind", "Files", "Runs", "Log"):
        table.add_column(column, overflow="fold")
    for kind in load_kinds().kinds.values():
        table.add_row(kind.name, ", ".join(kind.files), kind.runs.name if kind.runs else "", kind.title)
    console().print(table)


def explain_code(args: argparse.Namespace) -> None:
    """What an error code means: Win32, HRESULT, Windows Installer, WMI, BITS, WinHTTP, ConfigMgr, ccmsetup."""
    from smslogdoc.codes import table
    from smslogdoc.report.terminal import console, log_text

    out = console()
    bad = False
    for code in args.codes:
        try:
            for explanation in table.explain(code):
                out.print(log_text(explanation.one_line()), soft_wrap=True)  # one line, whatever the width
        except ValueError as error:
            bad = True
            console(stderr=True).print(f"smslogdoc: {code}: {error}", markup=False)
    raise Exit(2 if bad else 0)


# --- the options -------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smslogdoc", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"smslogdoc {__version__}", help="Print the version and exit.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    read = _command(commands, "parse", parse)
    _paths(read)
    read.add_argument("--format", "-f", help="table (default on a terminal), jsonl (default otherwise) or csv.")
    read.add_argument("--merge", action="store_true", help="Interleave the records of all logs by time.")
    _times(read)
    _chatter(read)

    check = _command(commands, "diagnose", diagnose)
    _paths(check)
    _rule_sources(check)
    check.add_argument("--format", "-f", default="text", help="text (default), json, jsonl or markdown.")
    check.add_argument("--min-severity", default="info", metavar="LEVEL", help="Show only findings at or above: info (default), warning or error.")
    check.add_argument("--fail-on", default="warning", metavar="LEVEL", help="Exit 1 when a confirmed finding is at or above: info, warning (default), error, or none.")
    _times(check)
    check.add_argument("--explain", metavar="RULE", help="Show, step by step, what rule RULE matched and what was missing.")
    check.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="Processes to use (many folders are shared out; a very large log is scanned by a second process); 0 (default) means one per core.")
    _chatter(check)

    rules = _command(commands, "rules", None, "List, show, validate and test rules.")
    about = rules.add_subparsers(title="commands", metavar="COMMAND", required=True)
    listing = _command(about, "list", rules_list)
    _rule_sources(listing)
    listing.add_argument("--format", "-f", default="text", help="text (default), json, or markdown (the coverage table).")
    show = _command(about, "show", rules_show)
    show.add_argument("rule_id", metavar="RULE", help="The rule's id.")
    _rule_sources(show)
    validate = _command(about, "validate", rules_validate)
    validate.add_argument("paths", nargs="*", metavar="PATH", help="Rule files or folders to check (default: the bundled rules).")
    tested = _command(about, "test", rules_test)
    tested.add_argument("rule_ids", nargs="*", metavar="RULE", help="Rules to test (default: all loaded).")
    _rule_sources(tested)
    _command(about, "kinds", rules_kinds)

    code = _command(commands, "explain", explain_code)
    code.add_argument("codes", nargs="+", metavar="CODE", help="Error codes: 0x80070005, 80070005, -2147024891, 1317, 0x525 ...")
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: Callable[[argparse.Namespace], None] | None,
    summary: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand whose help is its function's docstring."""
    text = summary or (run.__doc__ or "" if run is not None else "")
    command = commands.add_parser(name, help=text.split("\n\n")[0].replace("\n", " "), description=text, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.set_defaults(command=run)
    return command


def _paths(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="*", metavar="PATH", help="Log files or folders (walked recursively); '-' reads standard input.")


def _times(command: argparse.ArgumentParser) -> None:
    command.add_argument("--since", help="Only records at or after this time (log-local unless an offset is given).")
    command.add_argument("--until", help="Only records at or before this time.")
    command.add_argument("--tz", help="Zone for times the log writes without one (IANA, Windows name, or +HH:MM).")


def _chatter(command: argparse.ArgumentParser) -> None:
    command.add_argument("--quiet", "-q", action="store_true", help="Print only the results, no notes about files.")
    command.add_argument("--verbose", "-v", action="store_true", help="Also say which files were read, in which format, and why any were skipped.")


def _rule_sources(command: argparse.ArgumentParser) -> None:
    command.add_argument("--rules", action="append", type=Path, metavar="PATH", help="A folder (or file) of your own YAML rules, used beside the bundled ones. Repeatable.")
    command.add_argument("--no-builtin", action="store_true", help="Do not load the bundled rules.")


# --- helpers -----------------------------------------------------------------------


def _input_paths(paths: list[str]) -> list[str]:
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


def _rules(folders: list[Path] | None, no_builtin: bool) -> list[Rule]:
    """Load the rules, or list every rule error and exit 3."""
    from smslogdoc.report.terminal import console
    from smslogdoc.rules.load import load_rules

    rules, errors = load_rules(folders or [], builtin=not no_builtin, check_builtin=False)
    if errors:
        err = console(stderr=True)
        for error in errors:
            err.print(f"smslogdoc: {error}", markup=False)
        err.print(f"smslogdoc: {len(errors)} rule error(s); nothing was diagnosed", markup=False)
        raise Exit(3)
    if not rules:
        fail("no rules to run (--no-builtin without --rules)")
    return rules


class _Session:
    """The logs of one command and the problems met gathering and reading them."""

    def __init__(self, paths: list[str]) -> None:
        from smslogdoc.inputs.paths import collect
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
        from smslogdoc.report.terminal import console

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
