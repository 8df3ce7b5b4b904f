"""Tab completion, from the command line's own parser (argcomplete): every
command, option and value argparse knows (`choices`), what the parser
`offers` for a value (`--format`, `--min-severity`, rule ids ...), and file
and folder names for paths, `ROOT` and `-o`. Nothing is kept by hand, so
completion cannot fall behind the parser.

`smslogdoc completion SHELL` prints the script that hooks it into the shell:

    eval "$(smslogdoc completion bash)"              # ~/.bashrc
    eval "$(smslogdoc completion zsh)"               # ~/.zshrc
    smslogdoc completion fish | source               # ~/.config/fish/config.fish
    smslogdoc completion powershell | Out-String | Invoke-Expression   # $PROFILE

The shell then runs smslogdoc with `_ARGCOMPLETE` set; `cli.app` hands that
run to `autocomplete` before anything else. argcomplete is imported only
then, so an ordinary run starts as fast as without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

SHELLS = ("bash", "zsh", "fish", "powershell")
PROG = "smslogdoc"
FILES = ("PATH", "FILE")
"""Values completed with file and folder names (the metavars that name them)."""
FOLDERS = ("ROOT",)
"""Values completed with folder names."""


def completion(args: argparse.Namespace) -> None:
    """Print the tab-completion hook for bash, zsh, fish or PowerShell (commands, options, values, rule ids, files)."""
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode([PROG], shell=args.shell))


def completing() -> bool:
    """Whether this run is the shell asking for completions."""
    return "_ARGCOMPLETE" in os.environ


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request from `parser` and exit."""
    import argcomplete
    from argcomplete.completers import DirectoriesCompleter, FilesCompleter

    for action in all_actions(parser):
        offered: Callable[[], Sequence[str]] | None = getattr(action, "completions", None)
        if offered is not None:
            action.completer = _values(offered)  # type: ignore[attr-defined]
        elif action.metavar in FILES:
            action.completer = FilesCompleter()  # type: ignore[attr-defined]
        elif action.metavar in FOLDERS:
            action.completer = DirectoriesCompleter()  # type: ignore[attr-defined]
        elif not action.choices:
            action.completer = _values(tuple)  # type: ignore[attr-defined]  # a number, a time: nothing to offer
    argcomplete.autocomplete(parser, always_complete_options=False)


def _values(offered: Callable[[], Sequence[str]]) -> Callable[..., list[str]]:
    def complete(**_: Any) -> list[str]:
        return list(offered())

    return complete


def all_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Every action of `parser` and of its commands, at any depth."""
    found: list[argparse.Action] = []
    for action in parser._actions:
        found.append(action)
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found.extend(all_actions(sub))
    return found


@cache
def rule_ids() -> list[str]:
    """The ids of the bundled rules ([] when they cannot be loaded)."""
    from smslogdoc.rules.load import load_rules

    try:
        rules, _ = load_rules([], builtin=True, check_builtin=False)
    except Exception:  # completion must still work with a broken install
        return []
    return sorted(rule.id for rule in rules)
