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

SHELLS = ("bash", "zsh", "powershell")

FORMATS = {
    "diagnose": ("text", "short", "json", "jsonl", "markdown"),
    "parse": ("text", "jsonl", "csv"),
    "rules list": ("text", "json", "markdown"),
}
"""The `--format` values of each command (one vocabulary: `text` is for people everywhere)."""

LEVELS = ("info", "warning", "error")


def completion(args: argparse.Namespace) -> None:
    """Print a tab-completion script for bash, zsh or PowerShell (commands, options, formats, rule ids)."""
    from smslogdoc.cli.app import _parser

    commands = command_table(_parser())
    values = value_table(commands, rule_ids())
    script = {"bash": _bash, "zsh": _zsh, "powershell": _powershell}[args.shell](commands, values)
    sys.stdout.write(script)


def rule_ids() -> list[str]:
    """The ids of the bundled rules ([] when they cannot be loaded)."""
    from smslogdoc.rules.load import load_rules

    try:
        rules, _ = load_rules([], builtin=True, check_builtin=False)
    except Exception:  # completion must still work with a broken install
        return []
    return sorted(rule.id for rule in rules)


def command_table(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each command path ('' for the top level, 'diagnose', 'rules list') to
    the words that may follow it: subcommands and options."""
    table: dict[str, list[str]] = {}

    def walk(prefix: str, current: argparse.ArgumentParser) -> None:
        words: list[str] = []
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    words.append(name)
                    walk(f"{prefix} {name}".strip(), sub)
            else:
                words.extend(option for option in action.option_strings if option.startswith("--"))
        table[prefix] = words

    walk("", parser)
    return table


def value_table(commands: dict[str, list[str]], rules: list[str]) -> dict[str, list[str]]:
    """'command option' to the values that option takes there."""
    values: dict[str, list[str]] = {}
    for command, words in commands.items():
        for option in words:
            key = f"{command} {option}".strip()
            if option == "--format" and command in FORMATS:
                values[key] = list(FORMATS[command])
            elif option == "--min-severity":
                values[key] = list(LEVELS)
            elif option == "--fail-on":
                values[key] = [*LEVELS, "none"]
            elif option == "--color":
                values[key] = ["auto", "always", "never"]
            elif option == "--explain":
                values[key] = rules
    for command in ("rules show", "rules test"):
        values[f"{command} RULE"] = rules
    values["completion SHELL"] = list(SHELLS)
    return values


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
        if key.endswith(("RULE", "SHELL")):
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
        if key.endswith(("RULE", "SHELL")):
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
    lines += table("smslogdocWords", commands) + table("smslogdocValues", values)
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
        "        elseif (-not $wordToComplete.StartsWith('-') -and $smslogdocValues.ContainsKey(($path + ' RULE').Trim())) { $smslogdocValues[($path + ' RULE').Trim()] }",
        "        elseif (-not $wordToComplete.StartsWith('-') -and $smslogdocValues.ContainsKey(($path + ' SHELL').Trim())) { $smslogdocValues[($path + ' SHELL').Trim()] }",
        "        else { $smslogdocWords[$path] }",
        '    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {',
        "        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)",
        "    }",
        "}",
        "",
    ]
    return "\n".join(lines)
