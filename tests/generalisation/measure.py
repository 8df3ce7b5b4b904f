"""Measure how far smslogdoc's knowledge generalises, on the corpus of real
failures and healthy text under tests/generalisation/ (see README.md).

    python -m tests.generalisation.measure [--part dev|heldout|all] [--batch N] [--verbose] [--json FILE]

Each case's log files are diagnosed with `smslogdoc diagnose <files> --format json`
(in this process through the command line's entry point, or with --subprocess in a
child process); only the JSON document is used (its keys are a contract: docs/json.md).
With --batch N only the cases of collection batch N are measured (each batch is
split on its own, so its dev and held-out figures can be read apart from the
others'). Per part and overall it reports:

- decisive cited: failures where an error-severity finding cites a decisive line
  (an evidence record whose path ends with the decisive file and whose
  [line, end_line] holds the decisive line);
- cause named: failures where a finding of severity warning or error, from a rule
  other than `unexplained-errors`, matches one of the case's cause_terms
  (case-insensitive) in its title, diagnosis, cause and fix;
- healthy with an error: healthy cases given any error-severity finding.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tests.generalisation.corpus import PARTS, ROOT, Case, load_cases

UNEXPLAINED = "unexplained-errors"
CAUSE_SEVERITIES = frozenset({"warning", "error"})


@dataclass
class Verdict:
    """What smslogdoc said about one case, judged against what the case says."""

    id: str
    part: str
    family: str
    expect: str
    decisive_cited: bool = False
    cause_named: bool = False
    healthy_error: bool = False
    findings: list[str] = field(default_factory=list)  # "severity rule" of each finding
    matched: str = ""  # the finding (and term) that named the cause, or cited the line
    problems: list[str] = field(default_factory=list)


@dataclass
class Figures:
    """The counts of one part (or of all parts)."""

    failures: int = 0
    decisive_cited: int = 0
    cause_named: int = 0
    healthy: int = 0
    healthy_with_error: int = 0

    def add(self, verdict: Verdict) -> None:
        if verdict.expect == "failure":
            self.failures += 1
            self.decisive_cited += verdict.decisive_cited
            self.cause_named += verdict.cause_named
        else:
            self.healthy += 1
            self.healthy_with_error += verdict.healthy_error

    def share(self, count: int, total: int) -> float:
        return count / total if total else 0.0

    @property
    def decisive_share(self) -> float:
        return self.share(self.decisive_cited, self.failures)

    @property
    def cause_share(self) -> float:
        return self.share(self.cause_named, self.failures)


# --- running smslogdoc ------------------------------------------------------------------


def _arguments(case: Case) -> list[str]:
    return ["diagnose", *(str(p) for p in case.logs), "--format", "json", "--jobs", "1", "--color", "never"]


def diagnose(case: Case, in_process: bool = True) -> dict[str, Any]:
    """The JSON document `smslogdoc diagnose` writes for the case's log files."""
    if in_process:
        from smslogdoc.cli import main

        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(_arguments(case))
        text = out.getvalue()
    else:
        done = subprocess.run(
            [sys.executable, "-m", "smslogdoc", *_arguments(case)],
            capture_output=True,
            text=True,
            check=False,
        )
        text = done.stdout
    document: dict[str, Any] = json.loads(text)
    return document


# --- judging ---------------------------------------------------------------------------


def _evidence(finding: dict[str, Any]) -> list[dict[str, Any]]:
    records = list(finding.get("evidence") or [])
    spread = finding.get("spread") or {}
    records.extend(spread.get("evidence") or [])
    return records


def cites(finding: dict[str, Any], case: Case) -> bool:
    """Whether one of the finding's evidence records holds a decisive line of the case."""
    for record in _evidence(finding):
        path = str(record.get("path") or "").replace("\\", "/")
        line, end = record.get("line"), record.get("end_line")
        if not isinstance(line, int):
            continue
        end = end if isinstance(end, int) else line
        for item in case.decisive:
            if (path == item.file or path.endswith("/" + item.file)) and line <= item.line <= end:
                return True
    return False


def finding_text(finding: dict[str, Any]) -> str:
    """The words a finding says about the cause: title, diagnosis, cause and fix."""
    fix = finding.get("fix") or []
    parts = [finding.get("title"), finding.get("diagnosis"), finding.get("cause")]
    parts.extend(fix if isinstance(fix, list) else [fix])
    return "\n".join(str(p) for p in parts if p)


def names_cause(finding: dict[str, Any], case: Case) -> str:
    """The cause_term the finding matches ('' if none, or if the finding may not count)."""
    if finding.get("severity") not in CAUSE_SEVERITIES or finding.get("rule") == UNEXPLAINED:
        return ""
    text = finding_text(finding)
    for term in case.cause_terms:
        if re.search(term, text, re.IGNORECASE):
            return term
    return ""


def judge(case: Case, document: dict[str, Any]) -> Verdict:
    """The verdict on one case from smslogdoc's JSON document."""
    findings = list(document.get("findings") or [])
    verdict = Verdict(case.id, case.part, case.family, case.expect)
    verdict.findings = [f"{f.get('severity')} {f.get('rule')}" for f in findings]
    verdict.problems = [str(p.get("message")) for p in document.get("problems") or []]
    for entry in document.get("files") or []:
        verdict.problems.extend(f"{entry.get('path')}: {p}" for p in entry.get("problems") or [])
    errors = [f for f in findings if f.get("severity") == "error"]
    if not case.failure:
        verdict.healthy_error = bool(errors)
        verdict.matched = ", ".join(str(f.get("rule")) for f in errors)
        return verdict
    citing = [f for f in errors if cites(f, case)]
    verdict.decisive_cited = bool(citing)
    notes = [f"cites: {citing[0].get('rule')}"] if citing else []
    for finding in findings:
        term = names_cause(finding, case)
        if term:
            verdict.cause_named = True
            notes.append(f"names /{term}/: {finding.get('rule')}")
            break
    verdict.matched = "; ".join(notes)
    return verdict


def of_batch(cases: Iterable[Case], batch: int | None) -> list[Case]:
    """The cases of one collection batch (all cases when `batch` is None)."""
    return [case for case in cases if batch is None or case.batch == batch]


def measure(cases: Iterable[Case], in_process: bool = True) -> list[Verdict]:
    """Diagnose and judge every case."""
    return [judge(case, diagnose(case, in_process)) for case in cases]


def figures(verdicts: Iterable[Verdict]) -> dict[str, Figures]:
    """Figures per part and for all parts together (key 'all')."""
    table: dict[str, Figures] = {part: Figures() for part in PARTS}
    table["all"] = Figures()
    for verdict in verdicts:
        table.setdefault(verdict.part, Figures()).add(verdict)
        table["all"].add(verdict)
    return table


# --- reporting -------------------------------------------------------------------------


def _percent(count: int, total: int) -> str:
    return f"{count:>3}/{total:<3} {100 * count / total:5.1f} %" if total else f"{count:>3}/{total:<3}     - "


def table_text(table: dict[str, Figures]) -> str:
    """The figures as a plain-text table."""
    rows = [f"{'part':<8} {'decisive line cited':<22} {'cause named':<22} {'healthy with an error':<22}"]
    for part, fig in table.items():
        rows.append(
            f"{part:<8} {_percent(fig.decisive_cited, fig.failures):<22} "
            f"{_percent(fig.cause_named, fig.failures):<22} {_percent(fig.healthy_with_error, fig.healthy):<22}"
        )
    return "\n".join(rows)


def case_line(verdict: Verdict) -> str:
    """One line per case for --verbose."""
    if verdict.expect == "failure":
        marks = ("D" if verdict.decisive_cited else "-") + ("C" if verdict.cause_named else "-")
    else:
        marks = "E!" if verdict.healthy_error else "ok"
    found = ", ".join(verdict.findings) or "0 findings"
    extra = f" [{verdict.matched}]" if verdict.matched else ""
    return f"{verdict.part:<8} {marks} {verdict.id:<52} {found}{extra}"


def report(verdicts: Sequence[Verdict], verbose: bool = False) -> str:
    """The table of figures; with `verbose`, one line per case and a legend before it."""
    lines = [case_line(v) for v in verdicts] if verbose else []
    if verbose:
        lines.append("(failures: D = an error finding cites a decisive line, C = a finding names the cause;")
        lines.append(" healthy: E! = an error finding)")
        lines.append("")
    lines.append(table_text(figures(verdicts)))
    return "\n".join(lines)


def to_json(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """The figures and the verdicts as one JSON-ready document."""
    table = figures(verdicts)
    return {
        "figures": {
            part: {**asdict(fig), "decisive_share": fig.decisive_share, "cause_share": fig.cause_share}
            for part, fig in table.items()
        },
        "cases": [asdict(v) for v in verdicts],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.generalisation.measure", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--part", choices=[*PARTS, "all"], default="all", help="which part to measure (default all)"
    )
    parser.add_argument(
        "--batch", type=int, metavar="N", help="only the cases of collection batch N (default every batch)"
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per case")
    parser.add_argument("--json", metavar="FILE", help="also write the figures and verdicts as JSON to FILE")
    parser.add_argument("--subprocess", action="store_true", help="run smslogdoc in a child process per case")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    parts = PARTS if options.part == "all" else (options.part,)
    cases = of_batch(load_cases(options.root, parts), options.batch)
    verdicts = measure(cases, in_process=not options.subprocess)
    print(report(verdicts, options.verbose))
    if options.json:
        Path(options.json).write_text(json.dumps(to_json(verdicts), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
