"""Measure how far smslogdoc's knowledge generalises, on the corpus of real
failures and healthy text under tests/generalisation/ (see README.md).

    python -m tests.generalisation.measure [--part dev|heldout|all] [--batch N] [--verbose] [--json FILE]
    python -m tests.generalisation.measure --part dev --leave-own-sources-out

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

With --leave-own-sources-out (dev only: it refuses the held-out part) each case is
diagnosed without the knowledge written from its own source(s): a proxy, on the dev
part, of what knowledge written from other pages reaches (see `LeaveOut`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

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


# --- leaving a case's own sources out ------------------------------------------------------
#
# A dev case is written from one page (its `source`, with `also` and `kb`). The knowledge
# that cites that page is left out: written rules whose `references` cite it, code-context
# entries (data/contexts/*.yaml) whose `sources` cite it, the family-specific `workflows`
# (what failed, the checks, the usual causes) of failure wordings (data/phrases.yaml) whose
# `sources` cite it (the wording's own `says` stays), and of the status values
# (data/states*.yaml) the values whose own `source` names a citing source of their
# vocabulary (a value without a `source`, in a vocabulary one of whose sources cites it,
# loses its `causes`). What is left was written from OTHER pages. A citation is matched by
# web address, repository path (the page published from a repository file counts: its last
# two path parts), GitHub issue number and Knowledge Base number.

_URL = re.compile(r"https?://[^\s'\")<>]+", re.IGNORECASE)
_REPO_PATH = re.compile(r"\b[\w.-]+/[\w.-]+(?::|,\s+)((?:[\w.@-]+/)+[\w.@-]+)")
_ISSUE = re.compile(r"\b([\w.-]+/[\w.-]+)(?:#|\s+issue\s+)(\d+)\b", re.IGNORECASE)
_GITHUB_ISSUE = re.compile(r"github\.com/([\w.-]+/[\w.-]+)/(?:issues|pull)/(\d+)", re.IGNORECASE)
_KB = re.compile(r"\b(?:KB\s*Q?|Q)(\d{5,7})\b", re.IGNORECASE)
_PAGE_ENDINGS = (".md", ".html", ".htm", ".aspx", ".yml")


def _path_keys(path: str) -> set[str]:
    """A page's path parts that name it in any of its forms: its last two parts (a file
    of MicrosoftDocs/SupportArticles-docs and its learn.microsoft.com page share them),
    and a long slug on its own (a Patch My PC KB file and its web page)."""
    path = path.split("@")[0].split("?")[0].split("#")[0].strip("/").lower()
    for ending in _PAGE_ENDINGS:
        path = path.removesuffix(ending)
    parts = [part for part in path.split("/") if part and part not in {"en-us", "index"}]
    keys: set[str] = set()
    if len(parts) >= 2 and (len(parts[-1]) >= 6 or "-" in parts[-1] or "_" in parts[-1]):
        keys.add("path:" + "/".join(parts[-2:]))
    if parts and len(parts[-1]) >= 20 and parts[-1].count("-") >= 2:
        keys.add("slug:" + parts[-1])
    return keys


def source_keys(text: str) -> set[str]:
    """The keys by which a source (a case's or a citation) is recognised."""
    keys: set[str] = set()
    for url in _URL.findall(text):
        url = url.rstrip(".,;:")
        bare = re.sub(r"^https?://(www\.)?", "", url.lower()).split("#")[0].rstrip("/")
        keys.add("url:" + bare)
        host, _, path = bare.partition("/")
        blob = (
            re.match(r"[\w.-]+/[\w.-]+/(?:blob|tree|raw)/[^/]+/(.+)", path) if host == "github.com" else None
        )
        keys |= _path_keys(blob.group(1) if blob else path)
    for owner_repo, number in [*_ISSUE.findall(text), *_GITHUB_ISSUE.findall(text)]:
        keys.add(f"issue:{owner_repo.lower()}#{number}")
    for path in _REPO_PATH.findall(_URL.sub(" ", text)):
        keys |= _path_keys(path) | {"file:" + path.split("@")[0].lower()}
    keys |= {f"kb:{int(number)}" for number in _KB.findall(text)}
    return keys


def case_source_keys(case: Case) -> set[str]:
    """The keys of a case's own source(s): `source`, `also` and `kb`."""
    return source_keys(" ".join([case.source, *case.also, *case.kb]))


def _cites(texts: object, own: set[str]) -> bool:
    items = texts if isinstance(texts, list) else [texts] if texts else []
    return any(source_keys(str(item)) & own for item in items)


def _write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _without_contexts(folder: Path, own: set[str], dropped: list[str]) -> None:
    for path in sorted((folder / "contexts").glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        kept = [e for e in entries if not (isinstance(e, dict) and _cites(e.get("sources"), own))]
        dropped += [f"context {e.get('id') or e.get('code')}" for e in entries if e not in kept]
        if len(kept) != len(entries):
            _write(path, kept)


def _without_phrases(folder: Path, own: set[str], dropped: list[str]) -> None:
    path = folder / "phrases.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = False
    for entry in document.get("phrases") or []:
        if not isinstance(entry, dict) or not _cites(entry.get("sources"), own):
            continue
        for family, spec in (entry.get("workflows") or {}).items():
            if isinstance(spec, dict) and spec.get("causes"):
                del spec["causes"]
                dropped.append(f"phrase {entry.get('id')} {family} causes")
                changed = True
    if changed:
        _write(path, document)


def _without_states(folder: Path, own: set[str], dropped: list[str]) -> None:
    for path in sorted(folder.glob("states*.yaml")):
        vocabularies = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        changed = False
        for vocabulary in vocabularies:
            if not isinstance(vocabulary, dict):
                continue
            citing = [str(s) for s in vocabulary.get("sources") or [] if _cites(s, own)]
            values = vocabulary.get("values") or {}
            if not citing or not isinstance(values, dict):
                continue
            for key in list(values):
                value = values[key]
                if not isinstance(value, dict):
                    continue
                label = str(value.get("source") or "")
                names = [part.strip().lower() for part in label.split(",") if part.strip()]
                if label and (source_keys(label) & own or any(n in s.lower() for n in names for s in citing)):
                    del values[key]
                    dropped.append(f"state {vocabulary.get('vocabulary')} {key}")
                    changed = True
                elif not label and value.get("causes"):
                    del value["causes"]
                    dropped.append(f"state {vocabulary.get('vocabulary')} {key} causes")
                    changed = True
        if changed:
            _write(path, vocabularies)


def own_knowledge_out(data: Path, own: set[str], into: Path) -> list[str]:
    """Copy the data folder `data` to `into`, without the entries that cite a key of `own`;
    what was left out, one line each."""
    shutil.copytree(data, into, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    dropped: list[str] = []
    _without_contexts(into, own, dropped)
    _without_phrases(into, own, dropped)
    _without_states(into, own, dropped)
    return dropped


@dataclass
class LeftOut:
    """The rules a case is diagnosed with once its own sources' knowledge is left out."""

    rules: list[Any]
    dropped: list[str]


class LeaveOut:
    """Builds, per case, the bundled rules without the knowledge citing the case's sources."""

    def __init__(self) -> None:
        from importlib.resources import files

        from smslogdoc.kinds import load_kinds
        from smslogdoc.rules.load import load_rules

        self.kinds = load_kinds()
        self.all_rules, _ = load_rules([], builtin=True, check_builtin=False)
        self.written = [rule for rule in self.all_rules if not rule.family]
        self.generated = [rule for rule in self.all_rules if rule.family]
        # the data as it is now: a run is not disturbed by edits made while it runs
        self._snapshot = tempfile.TemporaryDirectory(prefix="smslogdoc-data-")
        self.data = Path(self._snapshot.name) / "data"
        shutil.copytree(
            Path(str(files("smslogdoc.data"))), self.data, ignore=shutil.ignore_patterns("__pycache__")
        )
        self._made: dict[tuple[str, ...], list[Any]] = {}

    def for_case(self, case: Case) -> LeftOut:
        from dataclasses import replace

        from smslogdoc.rules.families import family_rules

        own = case_source_keys(case)
        citing = {rule.id for rule in self.written if _cites(list(rule.references), own)}
        written = [rule for rule in self.written if rule.id not in citing]
        dropped = [f"rule {rule_id}" for rule_id in sorted(citing)]
        with tempfile.TemporaryDirectory(prefix="smslogdoc-leaveout-") as folder:
            data_dropped = own_knowledge_out(self.data, own, Path(folder) / "data")
            key = tuple(data_dropped)
            if not data_dropped:
                generated = self.generated
            elif key in self._made:
                generated = self._made[key]
            else:
                made, _ = family_rules(self.kinds, Path(folder) / "data")
                generated = self._made[key] = [replace(rule, bundled=True) for rule in made]
        return LeftOut(written + generated, dropped + data_dropped)


@contextlib.contextmanager
def rules_given(rules: list[Any]) -> Iterator[None]:
    """`smslogdoc diagnose` run in this process loads `rules` instead of the bundled ones; a
    workflow's marker that names a rule left out marks nothing (it is no error)."""
    with (
        mock.patch("smslogdoc.rules.load.load_rules", lambda *args, **kwargs: (list(rules), [])),
        mock.patch("smslogdoc.rules.workflows._unknown_rules", lambda *args, **kwargs: []),
    ):
        yield


def measure_left_out(cases: Iterable[Case]) -> list[Verdict]:
    """Diagnose and judge every (dev) case without the knowledge citing its own sources."""
    cases = list(cases)
    if any(case.part != "dev" for case in cases):
        raise ValueError("leaving own sources out is measured on the dev part only")
    leave = LeaveOut()
    verdicts = []
    for case in cases:
        left = leave.for_case(case)
        with rules_given(left.rules):
            verdict = judge(case, diagnose(case))
        verdict.problems.extend(f"left out: {item}" for item in left.dropped)
        verdicts.append(verdict)
    return verdicts


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


def listed(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """The verdicts that may be shown one by one: the dev cases'. A held-out
    case's verdict read once is spent (its failure is then known), so the
    held-out part is only ever counted."""
    return [verdict for verdict in verdicts if verdict.part == "dev"]


def report(verdicts: Sequence[Verdict], verbose: bool = False) -> str:
    """The table of figures; with `verbose`, one line per dev case (`listed`) and a legend before it."""
    lines = [case_line(v) for v in listed(verdicts)] if verbose else []
    if verbose:
        lines.append("(failures: D = an error finding cites a decisive line, C = a finding names the cause;")
        lines.append(" healthy: E! = an error finding)")
        lines.append("")
    lines.append(table_text(figures(verdicts)))
    return "\n".join(lines)


def to_json(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """The figures and the dev cases' verdicts (`listed`) as one JSON-ready document."""
    table = figures(verdicts)
    return {
        "figures": {
            part: {**asdict(fig), "decisive_share": fig.decisive_share, "cause_share": fig.cause_share}
            for part, fig in table.items()
        },
        "cases": [asdict(v) for v in listed(verdicts)],
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
    parser.add_argument(
        "--case",
        action="append",
        metavar="ID",
        help="only the dev cases whose id contains ID (repeatable; dev part only)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per case")
    parser.add_argument("--json", metavar="FILE", help="also write the figures and verdicts as JSON to FILE")
    parser.add_argument("--subprocess", action="store_true", help="run smslogdoc in a child process per case")
    parser.add_argument(
        "--leave-own-sources-out",
        action="store_true",
        help="diagnose each dev case without the knowledge that cites its own source(s) (dev only; in-process)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.leave_own_sources_out:
        if options.part != "dev":
            parser.error("--leave-own-sources-out measures the dev part only: give --part dev")
        if options.subprocess:
            parser.error("--leave-own-sources-out runs in this process: drop --subprocess")
    if options.case and options.part != "dev":
        parser.error("--case picks dev cases: give --part dev")
    parts = PARTS if options.part == "all" else (options.part,)
    cases = of_batch(load_cases(options.root, parts), options.batch)
    if options.case:
        cases = [case for case in cases if any(part in case.id for part in options.case)]
    if options.leave_own_sources_out:
        verdicts = measure_left_out(cases)
    else:
        verdicts = measure(cases, in_process=not options.subprocess)
    print(report(verdicts, options.verbose))
    if options.json:
        Path(options.json).write_text(json.dumps(to_json(verdicts), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
