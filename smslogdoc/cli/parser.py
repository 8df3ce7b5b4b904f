"""The command line's parser: every command, its options and their help, built
with argparse. The commands' functions are imported for their docstrings,
which are their help; the library is imported only when a command runs.

What tab completion offers for a value is on the parser too: the choices of an
option, or `offers(...)` (see `cli.completion`, which generates the scripts
from this parser).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn

from smslogdoc import __version__
from smslogdoc.cli.completion import SHELLS, all_actions, completion, rule_ids
from smslogdoc.cli.diagnose import diagnose
from smslogdoc.cli.explain import explain_code
from smslogdoc.cli.fleet import fleet
from smslogdoc.cli.options import add_chatter, add_follow, add_paths, add_rule_sources, add_times, help_text
from smslogdoc.cli.parse import parse
from smslogdoc.cli.rules import rules_kinds, rules_list, rules_show, rules_test, rules_validate
from smslogdoc.cli.story import story
from smslogdoc.model import SEVERITIES
from smslogdoc.report.writers import DEFAULT, DIAGNOSE, FLEET, choices_help

DESCRIPTION = (
    "Tell why an SMS / ConfigMgr client install or software distribution failed, from the client's logs."
)
EPILOG = """examples:
  smslogdoc diagnose C:\\Windows\\ccmsetup\\Logs       why did the client install fail?
  smslogdoc diagnose \\\\server\\logs\\WKS0042 -f json  the same, as JSON
  type execmgr.log | smslogdoc diagnose            a log on standard input
  smslogdoc parse ccmsetup.log                     the records as smslogdoc reads them
  smslogdoc story C:\\Windows\\CCM\\Logs                 every deployment's phases, as a timeline
  smslogdoc fleet \\\\server\\logs -f csv -o fleet.csv   one subfolder or zip per machine, causes ranked
  smslogdoc explain 0x80070005                     what an error code means

exit codes: 0 nothing at or above --fail-on; 1 findings; 2 bad input or usage (a named path
missing or unreadable, nothing to read, a bad option, an -o FILE that cannot be written);
3 invalid rules; 130 stopped by Ctrl-C; 143 stopped by SIGTERM"""
OUTPUT_HELP = "Write the report to FILE (the bytes standard output would get) instead of standard output; exit 2 when FILE cannot be written."
COLOR_CHOICES = ("auto", "always", "never")
COLOR_HELP = "Colour: auto (default: on a terminal, unless NO_COLOR is set; FORCE_COLOR=1 forces it), always, or never."


def format_names(command: str) -> tuple[str, ...]:
    """The `--format` values of a command, for completion: the one place that
    knows where each command's formats are listed."""
    if command in ("diagnose", "fleet"):
        from smslogdoc.report.writers import DIAGNOSE, FLEET

        return tuple(DIAGNOSE if command == "diagnose" else FLEET)
    if command == "story":
        return ("text", "json")
    if command == "parse":
        from smslogdoc.cli.parse import FORMATS

        return FORMATS
    from smslogdoc.cli.rules import LIST_FORMATS

    return LIST_FORMATS


def offers(command: argparse.ArgumentParser, option: str, values: Callable[[], Sequence[str]]) -> None:
    """Say what tab completion offers for the value of `option` (an option
    string, or a positional's dest) of `command`; worked out when a completion
    script is made, never when a command runs."""
    action = next(a for a in command._actions if option in a.option_strings or option == a.dest)
    setattr(action, "completions", values)  # noqa: B010 - argparse actions take extra attributes


def _unexplained_levels() -> tuple[str, ...]:
    from smslogdoc.engine.unexplained import LEVELS

    return LEVELS


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose refusal of a mistyped option names the one
    meant (`--min-severty`: did you mean --min-severity?). Its commands'
    parsers are of this class too (argparse makes them of their parent's)."""

    def error(self, message: str) -> NoReturn:
        prefix = "unrecognized arguments: "
        if message.startswith(prefix):
            known = [option for action in all_actions(self) for option in action.option_strings]
            for word in message[len(prefix) :].split():
                if word.startswith("--"):
                    from smslogdoc.rules.suggest import did_you_mean

                    message += did_you_mean(word.split("=", 1)[0], known)
                    break
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = _Parser(
        prog="smslogdoc",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"smslogdoc {__version__}", help="Print the version and exit."
    )
    parser.add_argument("--color", choices=COLOR_CHOICES, default="auto", help=COLOR_HELP)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    _parse_command(commands)
    _diagnose_command(commands)
    _story_command(commands)
    _fleet_command(commands)
    _rules_commands(commands)
    code = _command(commands, "explain", explain_code)
    code.add_argument(
        "codes",
        nargs="+",
        metavar="CODE",
        help="Error codes: 0x80070005, 80070005, -2147024891, 1317, 0x525 ...",
    )
    code.add_argument(
        "--sources",
        action="store_true",
        help="Name the source of every text (a code that sources read differently always lists each).",
    )

    shell = _command(commands, "completion", completion)
    shell.set_defaults(parser=parser)
    shell.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh, fish or powershell.")
    return parser


def _parse_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    read = _command(commands, "parse", parse)
    add_paths(read)
    read.add_argument(
        "--format",
        "-f",
        help="text (default: a table, also when piped, e.g. to less; 'table' means the same), jsonl or csv (for tools).",
    )
    read.add_argument("--merge", action="store_true", help="Interleave the records of all logs by time.")
    read.add_argument(
        "--redact",
        action="store_true",
        help="Replace host, user and domain names, IP and e-mail addresses and SIDs by stable pseudonyms in every record, path and message (the files are read twice: names are learned first).",
    )
    add_times(read)
    add_follow(read, "print each new record as it is written")
    add_chatter(read)
    offers(read, "--format", lambda: format_names("parse"))


def _diagnose_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    check = _command(commands, "diagnose", diagnose)
    add_paths(check)
    add_rule_sources(check)
    check.add_argument(
        "--format",
        "-f",
        default=DEFAULT,
        choices=tuple(DIAGNOSE),
        metavar="FORMAT",
        help=choices_help(DIAGNOSE),
    )
    check.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    check.add_argument(
        "--redact",
        action="store_true",
        help="Replace host, user and domain names, IP and e-mail addresses and SIDs by stable pseudonyms (HOST-1, USER-2 ...), in every format, so the report can be posted publicly.",
    )
    check.add_argument(
        "--min-severity",
        default="info",
        metavar="LEVEL",
        help="Show only findings at or above: info (default), warning or error.",
    )
    check.add_argument(
        "--fail-on",
        default="warning",
        metavar="LEVEL",
        help="Exit 1 when a confirmed finding is at or above: info, warning (default), error, or none.",
    )
    check.add_argument(
        "--unexplained",
        default="info",
        metavar="LEVEL",
        help="Per log, summarise the error records no rule explains as one finding of this severity: info (default), "
        "warning or error (so --fail-on can fail on them), or off.",
    )
    add_times(check)
    check.add_argument(
        "--explain", metavar="RULE", help="Show, step by step, what rule RULE matched and what was missing."
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="Processes to use (many folders are shared out; a very large log is scanned by a second process); 0 (default) means one per core.",
    )
    add_follow(
        check,
        "print each finding as soon as it is confirmed (an inconclusive one when it resolves); Ctrl-C ends with the summary",
    )
    add_chatter(check)
    offers(check, "--format", lambda: format_names("diagnose"))
    offers(check, "--min-severity", lambda: SEVERITIES)
    offers(check, "--fail-on", lambda: (*SEVERITIES, "none"))
    offers(check, "--unexplained", _unexplained_levels)
    offers(check, "--explain", rule_ids)


def _story_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    told = _command(commands, "story", story)
    add_paths(told)
    add_rule_sources(told)
    told.add_argument(
        "--deployment", "-d", metavar="ID", help="Only stories whose subject or keys hold ID (any case)."
    )
    told.add_argument("--format", "-f", default="text", metavar="FORMAT", help="text (default) or json.")
    told.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    told.add_argument(
        "--tz", help="Zone for times the logs write without one (IANA, Windows name, or +HH:MM)."
    )
    offers(told, "--format", lambda: format_names("story"))


def _fleet_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    many = _command(commands, "fleet", fleet)
    many.add_argument(
        "roots",
        nargs="+",
        metavar="ROOT",
        help="Folders holding one subfolder or archive (.zip, .tar, .tgz) per machine.",
    )
    add_rule_sources(many)
    many.add_argument(
        "--format", "-f", default=DEFAULT, choices=tuple(FLEET), metavar="FORMAT", help=choices_help(FLEET)
    )
    many.add_argument(
        "--redact",
        action="store_true",
        help="Replace host, user and domain names, addresses, e-mail addresses and SIDs by stable pseudonyms (HOST-1, USER-2...).",
    )
    many.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    many.add_argument(
        "--compare",
        metavar="EARLIER",
        help="An earlier `fleet --format json` report of the same machines: say which causes are new, "
        "hit more or fewer machines, or are gone (text, json and html).",
    )
    many.add_argument(
        "--fail-on",
        default="warning",
        metavar="LEVEL",
        help="Exit 1 when a confirmed finding on any machine is at or above: info, warning (default), error, or none.",
    )
    many.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="Processes to use on this host; 0 (default) means one per core.",
    )
    many.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="Run the per-machine work on a Dask cluster (tcp://scheduler:8786) whose workers can read ROOT.",
    )
    many.add_argument(
        "--tz", help="Zone for times the logs write without one (IANA, Windows name, or +HH:MM)."
    )
    many.add_argument("--quiet", "-q", action="store_true", help="No progress bar, no notes on stderr.")
    offers(many, "--format", lambda: format_names("fleet"))
    offers(many, "--fail-on", lambda: (*SEVERITIES, "none"))


def _rules_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    rules = _command(commands, "rules", None, "List, show, validate and test rules.")
    about = rules.add_subparsers(title="commands", metavar="COMMAND", required=True)
    listing = _command(about, "list", rules_list)
    add_rule_sources(listing)
    listing.add_argument(
        "--format",
        "-f",
        default="text",
        help="text (default; piped, one line a rule, ids never cut), json, or markdown (the coverage table).",
    )
    show = _command(about, "show", rules_show)
    show.add_argument("rule_id", metavar="RULE", help="The rule's id.")
    add_rule_sources(show)
    validate = _command(about, "validate", rules_validate)
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="Rule and workflow files or folders to check (default: the bundled rules and workflows).",
    )
    tested = _command(about, "test", rules_test)
    tested.add_argument(
        "rule_ids",
        nargs="*",
        metavar="RULE",
        help="Rules to test (default: those of --rules, else all loaded).",
    )
    add_rule_sources(tested)
    tested.add_argument("--all", action="store_true", help="With --rules: test the bundled rules too.")
    _command(about, "kinds", rules_kinds)
    offers(listing, "--format", lambda: format_names("rules list"))
    offers(show, "rule_id", rule_ids)
    offers(tested, "rule_ids", rule_ids)


def _command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    run: Callable[[argparse.Namespace], None] | None,
    summary: str | None = None,
) -> _Parser:
    """A subcommand whose help is its function's docstring."""
    text = help_text(summary or (run.__doc__ or "" if run is not None else ""))
    command = commands.add_parser(
        name,
        help=text.split("\n\n")[0].replace("\n", " "),
        description=text,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(command=run)
    command.add_argument("--color", choices=COLOR_CHOICES, default=argparse.SUPPRESS, help=COLOR_HELP)
    return command
