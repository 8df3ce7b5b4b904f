"""Turning the conditions that held into findings: one finding per rule and
cause (the latest confirmed match, with the number of runs it was seen in), its
texts rendered from the captures, its evidence with error codes decoded; and
dropping a fallback verdict that a specific finding explains."""

from __future__ import annotations

from smslogdoc import codes
from smslogdoc.engine.state import Hit, Result
from smslogdoc.findings import CONFIRMED, Evidence, Finding, raised, sentence_start
from smslogdoc.rules.model import BUILTIN_GROUPS
from smslogdoc.rules.templates import render

MAX_EVIDENCE = 8
"""Evidence records kept per finding (a count condition may match many)."""


def findings_of(results: list[Result], log: str | None, folders: dict[int, str]) -> list[Finding]:
    """One finding per rule and cause of `results`; `log` names the log (None
    for folder-wide results), `folders` the folder of each log number."""
    merged: dict[tuple[object, ...], list[Result]] = {}
    for result in results:
        merged.setdefault((result.rule.id, *_identity(result)), []).append(result)
    findings = []
    for group in merged.values():
        best = max(group, key=lambda r: (r.status == CONFIRMED, r.hits[-1].log, r.hits[-1].seq))
        findings.append(_finding(best, len(group), log, folders))
    return findings


def _finding(result: Result, groups: int, log: str | None, folders: dict[int, str]) -> Finding:
    rule = result.rule
    captures: dict[str, str] = {}
    for hit in [*result.support, *result.context]:
        captures.update(hit.captures)
    for hit in result.hits:  # the match's own fields win
        captures.update(hit.captures)
    first = result.hits[0]
    label = _group_label(result)
    values: dict[str, object] = {
        **captures,
        "log": first.event.path.replace("\\", "/").rsplit("/", 1)[-1],
        "run": label,
        "occurrences": groups,
    }
    cited = [(hit, False) for hit in [*result.hits[:MAX_EVIDENCE], *result.context]] + [(hit, True) for hit in result.support]
    cited.sort(key=lambda item: (item[0].log, item[0].seq))
    evidence = [_evidence(hit, supporting=supporting) for hit, supporting in cited]
    confidence = raised(rule.confidence) if result.support else rule.confidence
    return Finding(
        rule=rule,
        status=result.status,
        confidence=confidence,
        log=log if log is not None else (first.event.path if "folder" not in result.condition.by else str(result.key[result.condition.by.index("folder")])),
        group=label,
        captures=captures,
        evidence=evidence,
        diagnosis=sentence_start(render(rule.diagnosis, values)),  # a sentence, whatever its first placeholder gave
        cause=render(rule.cause, values),
        fix=[render(step, values) for step in rule.fix],
        next_logs=[render(hint, values) for hint in rule.next_logs],
        occurrences=groups,
        note=result.note,
        order=(first.log, first.seq),
        folder=folders.get(first.log, ""),
        identity=_identity(result),
        runs=frozenset((hit.log, hit.run.key) for hit in [*result.hits, *result.support, *result.context] if hit.run is not None),
    )


def without_explained_fallbacks(findings: list[Finding]) -> list[Finding]:
    """Drop a fallback finding when a specific finding cites the same run (of the
    same log), and keep only the most severe fallback per run."""
    specific = {run for finding in findings if not finding.rule.fallback for run in finding.runs}
    kept_runs: set[tuple[int, object]] = set()
    dropped: set[int] = set()
    for finding in sorted(findings, key=lambda f: -f.rule.rank):
        if not finding.rule.fallback:
            continue
        if finding.runs & specific or finding.runs & kept_runs:
            dropped.add(id(finding))
        kept_runs |= finding.runs
    return [finding for finding in findings if id(finding) not in dropped]


def _identity(result: Result) -> tuple[object, ...]:
    """The parts of a result's group that make it a different cause: captured
    values, and runs that are different things (programs), not retries."""
    first = result.hits[0]
    parts: list[object] = []
    for name, value in zip(result.condition.by, result.key, strict=True):
        if name not in BUILTIN_GROUPS or (name == "run" and first.run is not None and first.run.distinct):
            parts.append(value)
    return tuple(parts)


def _group_label(result: Result) -> str:
    parts = []
    first = result.hits[0]
    for name, value in zip(result.condition.by, result.key, strict=True):
        if name == "run" and first.run is not None:
            parts.append(first.run.label)
        elif name == "thread" and value is not None:
            parts.append(f"thread {value}")
        elif name not in BUILTIN_GROUPS:
            parts.append(f"{name} {first.captures.get(name, value)}")
    return ", ".join(parts)


def _evidence(hit: Hit, *, supporting: bool = False) -> Evidence:
    event = hit.event
    explained = tuple(found.explanation.one_line() for found in codes.find_codes(event.message))
    return Evidence(
        event.path, event.line, event.end_line, event.time, event.message, hit.name, explained, supporting, event.time_ambiguous
    )
