"""`smslogdoc rules list | show | validate | test | kinds`: the rules that will run, and checking your own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from smslogdoc.cli.common import (
    Exit,
    fail,
    load_rules_or_exit,
)

if TYPE_CHECKING:
    from smslogdoc.rules.checker import RuleError
    from smslogdoc.rules.model import Rule

LIST_FORMATS = ("text", "json", "markdown")
"""`rules list --format` values."""


def rules_list(args: argparse.Namespace) -> None:
    """Every loaded rule: id, severity, the logs it applies to, its title."""
    from smslogdoc.report.terminal import console, prefer_utf8_output, visible

    prefer_utf8_output()
    rules = load_rules_or_exit(args.rules, args.no_builtin)
    if args.format == "json":
        sys.stdout.write(_listed_json(rules))
        return
    if args.format == "markdown":
        from smslogdoc.authoring.coverage import coverage_table

        sys.stdout.write(coverage_table(rules))
        return
    if args.format != "text":
        fail(
            f"--format: unknown format {args.format!r}; choose {', '.join(LIST_FORMATS[:-1])} or {LIST_FORMATS[-1]}"
        )
    every, families = rules, _families(rules)
    rules = [rule for rule in rules if not rule.family]  # a family is one line (its table, not its rules)
    if not sys.stdout.isatty():  # piped (| grep, | less): one line a rule, nothing wrapped or cut
        width = max((len(rule.id) for rule in rules), default=4)
        for rule in rules:
            applies = ", ".join(rule.applies_to) or "every log"
            sys.stdout.write(
                visible(f"{rule.id:<{width}}  {rule.severity:<7}  {applies}  {rule.title}") + "\n"
            )
        for family, line in families:
            sys.stdout.write(visible(f"{family + '-*':<{width}}  {'family':<7}  every log  {line}") + "\n")
        return
    from smslogdoc.report.rulelist import write_listing

    write_listing(every, console())  # the written rules by the logs they read, then each family on one line


def _listed_json(rules: list[Rule]) -> str:
    import json

    listed = [
        {
            "id": r.id,
            "title": r.title,
            "severity": r.severity,
            "confidence": r.confidence,
            "applies_to": list(r.applies_to),
            "products": list(r.products),
            "fallback": r.fallback,
            "family": r.family or None,
            "source": r.path,
        }
        for r in rules
    ]
    return json.dumps(listed, ensure_ascii=False, indent=2) + "\n"


def _families(rules: list[Rule]) -> list[tuple[str, str]]:
    """One line a rule family: its id prefix and what its rules are made from
    (`rules list --format json` lists each of its rules)."""
    from smslogdoc.report import rulelist

    counts: dict[str, int] = {}
    for rule in rules:
        if rule.family:
            counts[rule.family] = counts.get(rule.family, 0) + 1
    return [
        (
            family,
            f"{count} rules: {rulelist.FAMILY_TITLES.get(family, family)}; they give way to a written rule",
        )
        for family, count in counts.items()
    ]


def rules_show(args: argparse.Namespace) -> None:
    """A rule's file, as written."""
    from smslogdoc.report.terminal import console, log_text
    from smslogdoc.rules.load import bundled_rules_dir

    rules = load_rules_or_exit(args.rules, args.no_builtin)
    rule = next((r for r in rules if r.id == args.rule_id), None)
    if rule is None:
        fail(f"no loaded rule has the id {args.rule_id!r} (see smslogdoc rules list)")
    source = Path(rule.path)
    text = (
        source.read_text(encoding="utf-8")
        if source.exists()
        else bundled_rules_dir().joinpath(source.name).read_text(encoding="utf-8")
    )
    console().print(log_text(text), soft_wrap=True)  # the file as written, not re-wrapped


def rules_validate(args: argparse.Namespace) -> None:
    """Check rules and workflows and list every error (file, rule or workflow,
    key, line); exit 3 if any. With paths, the rules and workflow files there
    (checked beside the bundled ones, which their markers and child stories may
    name); without, the bundled ones."""
    from smslogdoc.report.terminal import console
    from smslogdoc.rules.load import load_rules
    from smslogdoc.rules.workflows import load_workflows

    paths = [Path(path) for path in args.paths]
    rules, errors = load_rules(paths, builtin=not paths)
    known = rules + (load_rules([], check_builtin=False)[0] if paths else [])
    workflows, problems = load_workflows(paths, known, check_builtin=True)
    errors += [problem for problem in problems if str(problem) not in {str(error) for error in errors}]
    yours = [workflow for workflow in workflows if not (paths and workflow.bundled)]
    err = console(stderr=True)
    for error in errors:
        err.print(f"smslogdoc: {error}", markup=False)
    if errors:
        counts = [
            f"{count} {noun} error(s)" for noun in ("rule", "workflow") if (count := _count(errors, noun))
        ]
        err.print(
            f"smslogdoc: {' and '.join(counts)} in {len({e.path for e in errors})} file(s)", markup=False
        )
        raise Exit(3)
    console().print(f"{len(rules)} rule(s) and {len(yours)} workflow(s) valid", markup=False)


def _count(errors: list[RuleError], noun: str) -> int:
    return sum(error.noun == noun for error in errors)


def rules_test(args: argparse.Namespace) -> None:
    """Run each rule on its own example logs: it must fire where it says, citing
    the lines it lists, and stay silent on the healthy or near-miss ones.

    With --rules DIR, only the rules in DIR are tested (add --all for the
    bundled ones too)."""
    from rich.text import Text

    from smslogdoc.authoring.examples import check_examples
    from smslogdoc.report.terminal import console, log_text

    rules = load_rules_or_exit(args.rules, args.no_builtin, examples=True)
    if not args.rule_ids:  # a family's rules have no examples: the test suite checks their tables' real lines
        rules = [rule for rule in rules if not rule.family]
    if args.rules and not args.rule_ids and not args.all and not args.no_builtin:
        from smslogdoc.rules.load import load_rules

        yours = {rule.id for rule in load_rules(args.rules, builtin=False, check_builtin=False)[0]}
        rules = [
            rule for rule in rules if rule.id in yours
        ]  # the rules you are writing, not the bundled ones
    if args.rule_ids:
        unknown = sorted(set(args.rule_ids) - {rule.id for rule in rules})
        if unknown:
            fail(f"no loaded rule has the id {unknown[0]!r}")
        rules = [rule for rule in rules if rule.id in args.rule_ids]
    if not rules:
        fail("rules test: nothing to test: no rule was loaded from " + ", ".join(map(str, args.rules or [])))
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
