"""`smslogdoc rules test`: run each rule on the example logs it ships with.

A rule passes when it fires on each `expect: fire` example, citing every line
listed under `cites`, and stays silent on each `expect: silent` one. Every rule
needs at least one of each: a rule never seen to stay silent on a healthy or
near-miss log has not been tested at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from smslogdoc.diagnose import diagnose
from smslogdoc.findings import Finding
from smslogdoc.rules.model import Example, Rule


@dataclass(frozen=True)
class ExampleResult:
    """How one example of one rule went."""

    rule: str
    example: str
    passed: bool
    message: str = ""


def check_examples(rule: Rule) -> list[ExampleResult]:
    """Run every example of `rule`, and check it has both kinds."""
    results = [_run(rule, example) for example in rule.examples]
    for kind, wording in (("fire", "fires"), ("silent", "stays silent")):
        if not any(example.expect == kind for example in rule.examples):
            results.append(
                ExampleResult(
                    rule.id, f"(no example where it {wording})", False, f"add an example with expect: {kind}"
                )
            )
    return results


def _run(rule: Rule, example: Example) -> ExampleResult:
    with tempfile.TemporaryDirectory(prefix="smslogdoc-example-") as folder:
        root = Path(folder)
        for name, text in example.files:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        outcome = diagnose([str(root)], [rule], unexplained="off")  # one rule is tested, not the summary
        findings = [finding for finding in outcome.findings if finding.rule.id == rule.id]
        problems = [str(problem) for problem in outcome.problems]
        if problems:
            return ExampleResult(
                rule.id, example.name, False, "; ".join(problem.replace(folder, "") for problem in problems)
            )
        if example.expect == "silent":
            if findings:
                return ExampleResult(
                    rule.id,
                    example.name,
                    False,
                    f"fired but must stay silent (cites {', '.join(sorted(_cited(findings, root), key=_order))})",
                )
            return ExampleResult(rule.id, example.name, True)
        if not findings:
            return ExampleResult(rule.id, example.name, False, "stayed silent but must fire")
        single = example.files[0][0] if len(example.files) == 1 else None
        cited = _cited(findings, root)
        missing = []
        for cite in example.cites:
            name, _, line = cite.rpartition(":")
            wanted = f"{name or single}:{line}"
            if wanted not in cited:
                missing.append(wanted)
        if missing:
            return ExampleResult(
                rule.id,
                example.name,
                False,
                f"does not cite {', '.join(missing)} (cites {', '.join(sorted(cited, key=_order))})",
            )
        return ExampleResult(rule.id, example.name, True)


def _cited(findings: list[Finding], root: Path) -> set[str]:
    cited = set()
    for finding in findings:
        for item in finding.evidence:
            name = (
                Path(item.path).relative_to(root).as_posix()
                if Path(item.path).is_relative_to(root)
                else item.path
            )
            for line in range(item.line, item.end_line + 1):
                cited.add(f"{name}:{line}")
    return cited


def _order(cite: str) -> tuple[str, int]:
    name, _, line = cite.rpartition(":")
    return name, int(line)
