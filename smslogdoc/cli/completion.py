"""`smslogdoc completion bash|zsh|powershell`: a tab-completion script for the
shell, covering the commands, their options, the values of `--format`,
`--min-severity`, `--fail-on`, `--color`, and the ids of the bundled rules.

It is generated from the command line's own parser, so it never falls behind:

    source <(smslogdoc completion bash)             # ~/.bashrc
    source <(smslogdoc completion zsh)              # ~/.zshrc
    smslogdoc completion powershell | Out-String | Invoke-Expression   # $PROFILE
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from functools import cache

SHELLS = ("bash", "zsh", "powershell")


def completion(args: argparse.Namespace) -> None:
    """Print a tab-completion script for bash, zsh or PowerShell (commands, options, formats, rule ids)."""
    parser: argparse.ArgumentParser = args.parser
    script = {"bash": _bash, "zsh": _zsh, "powershell": _powershell}[args.shell](
        command_table(parser), value_table(parser)
    )
    sys.stdout.write(script)


@cache
def rule_ids() -> list[str]:
    """The ids of the bundled rules ([] when they cannot be loaded)."""
    from smslogdoc.rules.load import load_rules

    try:
        rules, _ = load_rules([], builtin=True, check_builtin=False)
    except Exception:  # completion must still work with a broken install
        return []
    return sorted(rule.id for rule in rules)


def _commands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """(command path, its parser): '' for the top level, 'diagnose', 'rules list' ..."""

    def walk(prefix: str, current: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
        yield prefix, current
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(f"{prefix} {name}".strip(), sub)

    return walk("", parser)


def command_table(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each command path to the words that may follow it: subcommands and options."""
    table: dict[str, list[str]] = {}
    for path, current in _commands(parser):
        words: list[str] = []
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                words.extend(action.choices)
            else:
                words.extend(option for option in action.option_strings if option.startswith("--"))
        table[path] = words
    return table


def value_table(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """'command --option' to the values that option takes there, and
    'command METAVAR' to those of a positional argument: an action's choices,
    or what the parser `offers` for it."""
    values: dict[str, list[str]] = {}
    for path, current in _commands(parser):
        for action in current._actions:
            offered = getattr(action, "completions", None)
            words = list(offered()) if offered is not None else list(action.choices or ())
            if not words or isinstance(action, argparse._SubParsersAction):
                continue
            longs = [option for option in action.option_strings if option.startswith("--")]
            name = longs[0] if longs else str(action.metavar or action.dest)
            values[f"{path} {name}".strip()] = words
    return values


def _positional(key: str) -> bool:
    return not key.rsplit(" ", 1)[-1].startswith("-")


def _bash(commands: dict[str, list[str]], values: dict[str, list[str]]) -> str:
    lines = [
        "# smslogdoc completion for bash: source <(smslogdoc completion bash)",
        "_smslogdoc() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" word i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        word="${COMP_WORDS[i]}"',
        '        case "$word" in -*) continue ;; esac',
        '        case " ${path:+$path }$word " in',
    ]
    paths = sorted(p for p in commands if p)
    lines.append("            " + "|".join(f'" {p} "' for p in paths) + ') path="${path:+$path }$word" ;;')
    lines += ["            *) break ;;", "        esac", "    done", '    case "${path:+$path }$prev" in']
    for key, words in sorted(values.items()):
        if _positional(key):
            continue
        lines.append(
            f'        "{key}"|"{key.split(" --")[0]} -f") COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur")); return ;;'
            if key.endswith("--format")
            else f'        "{key}") COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur")); return ;;'
        )
    lines += [
        '        *" --rules") COMPREPLY=($(compgen -f -- "$cur")); return ;;',
        "    esac",
        '    if [[ "$cur" != -* ]]; then',
        '        case "$path" in',
    ]
    for key, words in sorted(values.items()):
        if _positional(key):
            lines.append(
                f'            "{key.rsplit(" ", 1)[0]}") COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur")); return ;;'
            )
    lines += ["        esac", "    fi", '    case "$path" in']
    for key, words in sorted(commands.items()):
        lines.append(f'        "{key}") COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur")) ;;')
    lines += [
        "    esac",
        '    if [[ "$cur" != -* && ( "$path" == diagnose || "$path" == parse || "$path" == "rules validate" ) ]]; then',
        '        COMPREPLY+=($(compgen -f -- "$cur"))',
        "    fi",
        "}",
        "complete -o filenames -o bashdefault -F _smslogdoc smslogdoc",
        "",
    ]
    return "\n".join(lines)


def _zsh(commands: dict[str, list[str]], values: dict[str, list[str]]) -> str:
    head = [
        "#compdef smslogdoc",
        "# smslogdoc completion for zsh: source <(smslogdoc completion zsh)",
        "autoload -U +X compinit && compinit",
        "autoload -U +X bashcompinit && bashcompinit",
    ]
    return "\n".join(head) + "\n" + _bash(commands, values)


def _powershell(commands: dict[str, list[str]], values: dict[str, list[str]]) -> str:
    def table(name: str, entries: dict[str, list[str]]) -> list[str]:
        rows = [f"${name} = @{{"]
        for key, words in sorted(entries.items()):
            quoted = ", ".join(f"'{word}'" for word in words)
            rows.append(f"    '{key}' = @({quoted})")
        rows.append("}")
        return rows

    lines = [
        "# smslogdoc completion for PowerShell: smslogdoc completion powershell | Out-String | Invoke-Expression"
    ]
    arguments = {key.rsplit(" ", 1)[0]: words for key, words in values.items() if _positional(key)}
    options = {key: words for key, words in values.items() if not _positional(key)}
    lines += table("smslogdocWords", commands) + table("smslogdocValues", options)
    lines += table("smslogdocArgs", arguments)
    lines += [
        "Register-ArgumentCompleter -Native -CommandName smslogdoc, smslogdoc.exe -ScriptBlock {",
        "    param($wordToComplete, $commandAst, $cursorPosition)",
        "    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })",
        "    if ($wordToComplete) { $words = @($words | Select-Object -SkipLast 1) }",
        "    $path = ''",
        "    foreach ($w in $words) {",
        "        if ($w.StartsWith('-')) { continue }",
        "        $next = ($path + ' ' + $w).Trim()",
        "        if ($smslogdocWords.ContainsKey($next)) { $path = $next } else { break }",
        "    }",
        "    $prev = if ($words.Count) { $words[-1] } else { '' }",
        "    if ($prev -eq '-f') { $prev = '--format' }",
        "    $key = ($path + ' ' + $prev).Trim()",
        "    $candidates = if ($prev.StartsWith('-') -and $smslogdocValues.ContainsKey($key)) { $smslogdocValues[$key] }",
        "        elseif (-not $wordToComplete.StartsWith('-') -and $smslogdocArgs.ContainsKey($path)) { $smslogdocArgs[$path] }",
        "        else { $smslogdocWords[$path] }",
        '    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {',
        "        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)",
        "    }",
        "}",
        "",
    ]
    return "\n".join(lines)
