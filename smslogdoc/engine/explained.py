"""Which findings a more specific one explains, once a log's (or a folder's)
findings are made (`results`): a fallback verdict (a step failed, no specific
cause found) gives way to a specific finding of its run, or to the context of
a code written for its log on a record both cite; a rule family's finding
(`Rule.tier`) gives way to a written rule near it or to a lower tier on one of
its records, handing on the causes the field reports for its code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from smslogdoc.engine.results import MAX_EVIDENCE
from smslogdoc.findings import Evidence, Finding
from smslogdoc.rules.families.codes import outranks_fallback
from smslogdoc.rules.model import SEVERITIES, SUMMARY_ID


def without_explained_fallbacks(findings: list[Finding]) -> list[Finding]:
    """Drop a fallback finding when a specific finding cites the same run (of the
    same log), and keep only the most severe fallback per run; and drop a rule
    family's finding (`Rule.tier`) when a finding of a lower tier cites one of
    its records: a written rule explains a record better than its error code,
    a code better than a status value, a status value better than its wording.
    A fallback also gives way, on a record both cite, to the context of a code
    written for its log (`outranks_fallback`): the fallback says only that the
    step failed, the context what that code means there (an installer's exit
    code in its toolkit's table, a task sequence step's error). The summary
    of error records no rule explains explains nothing: nothing gives way to it."""
    explaining = [finding for finding in findings if finding.rule.id != SUMMARY_ID]
    specific = {
        run
        for finding in explaining
        if not finding.rule.fallback and not finding.rule.tier
        for run in finding.runs
    }
    coded: dict[tuple[str, int], int] = {}  # record -> the most severe code context citing it
    for finding in findings:
        if outranks_fallback(finding.rule):
            for item in finding.evidence:
                if not item.supporting:
                    record = (item.path, item.line)
                    coded[record] = max(coded.get(record, 0), SEVERITIES.index(finding.severity))
    kept_runs: set[tuple[int, object]] = set()
    dropped: set[int] = set()
    for finding in sorted(findings, key=lambda f: -f.rule.rank):
        if not finding.rule.fallback:
            continue
        if finding.runs & specific or finding.runs & kept_runs or _cited(finding, coded):
            dropped.add(id(finding))
        kept_runs |= finding.runs
    kept = [finding for finding in explaining if id(finding) not in dropped]
    index = _Index(kept)
    for finding in kept:
        if finding.rule.tier:
            others = index.touching(finding)
            if any(_yields(finding, other) for other in others):
                dropped.add(id(finding))
                _hand_on_causes(finding, others)
    return [finding for finding in findings if id(finding) not in dropped]


class _Index:
    """The findings a family's finding may give way to, found by look-up, not by
    comparing it with every finding of its log (thousands on a dense log): those
    citing one of its records or sharing one of its runs, and the written ones
    with evidence in one of its files (`_near`); each must share one of its
    places (`_places`: a family's finding yields only to one of its log)."""

    def __init__(self, kept: list[Finding]) -> None:
        self.by_record: dict[tuple[str, int], list[Finding]] = {}
        self.by_run: dict[tuple[int, object], list[Finding]] = {}
        self.written_in: dict[str, list[Finding]] = {}
        self.places = {id(finding): _places(finding) for finding in kept}
        for finding in kept:
            for item in finding.evidence:
                self.by_record.setdefault((item.path, item.line), []).append(finding)
            for run in finding.distinct_runs:
                self.by_run.setdefault(run, []).append(finding)
            if finding.rule.tier == 0:
                for path in {item.path for item in finding.evidence}:
                    self.written_in.setdefault(path, []).append(finding)

    def touching(self, finding: Finding) -> list[Finding]:
        """The findings `_yields` may find `finding` gives way to (each once)."""
        found: dict[int, Finding] = {}
        for item in finding.evidence:
            found.update((id(other), other) for other in self.by_record[(item.path, item.line)])
            found.update((id(other), other) for other in self.written_in.get(item.path, ()))
        for run in finding.distinct_runs:
            found.update((id(other), other) for other in self.by_run[run])
        places = self.places[id(finding)]
        return [other for other in found.values() if not places.isdisjoint(self.places[id(other)])]


def _cited(finding: Finding, coded: dict[tuple[str, int], int]) -> bool:
    """Whether a code's context at no lower severity cites one of the records
    a finding rests on."""
    severity = SEVERITIES.index(finding.severity)
    return any(
        coded.get((item.path, item.line), -1) >= severity for item in finding.evidence if not item.supporting
    )


def _hand_on_causes(finding: Finding, others: Iterable[Finding]) -> None:
    """A code context that gives way to a written rule's finding citing one of its
    records hands it the causes the field reports for that code in that log, so
    the finding a reader sees still names them; one that gives way to a
    fallback's finding near it (a step failed, no specific cause found) hands
    them on as the causes of the error logged near it. Not a small number or a
    wrapped Win32 error read from a program's exit (`outranks_fallback`), which
    is the program's own and may mean something else there."""
    if not finding.rule.causes or not outranks_fallback(finding.rule):
        return
    records = {(item.path, item.line) for item in finding.evidence}
    for other in others:
        if other.rule.tier != 0:
            continue
        if any((item.path, item.line) in records for item in other.evidence):
            other.reported = tuple(dict.fromkeys([*other.reported, *finding.rule.causes]))
        elif (
            other.rule.fallback
            and len(other.reported_near) < NEAR_CODES
            and any(_near(a, b) for a in finding.evidence for b in other.evidence)
        ):
            said = f"{_code_of(finding)} (line {finding.evidence[0].line}): {'; '.join(finding.rule.causes)}"
            other.reported_near = tuple(dict.fromkeys([*other.reported_near, said]))
            for item in finding.evidence:
                _add_in_order(other.evidence, replace(item, supporting=True))


def _add_in_order(evidence: list[Evidence], item: Evidence) -> None:
    """Add a record to a finding's evidence before the first later record of its file."""
    if len(evidence) >= MAX_EVIDENCE or any(
        (have.path, have.line) == (item.path, item.line) for have in evidence
    ):
        return
    at = next(
        (n for n, have in enumerate(evidence) if have.path == item.path and have.line > item.line),
        len(evidence),
    )
    evidence.insert(at, item)


def _code_of(finding: Finding) -> str:
    """The code a code context's finding is about, as its record writes it."""
    said = finding.values.get("code") or finding.captures.get("code")
    if said:
        return str(said)
    codes = finding.evidence[0].codes
    return codes[0].split(" ", 1)[0] if codes else finding.rule.id


def _places(finding: Finding) -> set[str]:
    """The log a finding is about and the files its evidence is in (a record
    it shares, a run, or a nearby record is in one of them)."""
    return {finding.log, *(item.path for item in finding.evidence)}


NEAR_SECONDS = 600
"""A written rule's finding explains the family findings of its log this close in time..."""
NEAR_CODES = 3
"""Code contexts near a fallback's finding whose causes it names, at most."""
NEAR_LINES = 100
"""... or, where the records carry no time, this close in lines."""


def _yields(finding: Finding, other: Finding) -> bool:
    """Whether a rule family's `finding` gives way to `other`, which cites one
    of its records, shares one of its runs (a run of a program, not a whole
    log) or, written by hand, lies near it in the same log: a written rule
    always wins there (it explains that failure, at the severity it chose); a
    family's finding of a lower tier wins at no lower severity, another
    family's at a higher one."""
    if other is finding:
        return False
    records = {(item.path, item.line) for item in finding.evidence}
    touches = any((item.path, item.line) in records for item in other.evidence) or bool(
        finding.distinct_runs & other.distinct_runs
    )
    if other.rule.tier == 0:
        return touches or any(_near(mine, theirs) for mine in finding.evidence for theirs in other.evidence)
    mine, theirs = SEVERITIES.index(finding.severity), SEVERITIES.index(other.severity)
    stronger = (other.rule.tier < finding.rule.tier and theirs >= mine) or theirs > mine
    return touches and stronger


def _near(a: Evidence, b: Evidence) -> bool:
    if a.path != b.path:
        return False
    if a.time is not None and b.time is not None and (a.time.tzinfo is None) == (b.time.tzinfo is None):
        return abs((a.time - b.time).total_seconds()) <= NEAR_SECONDS
    return abs(a.line - b.line) <= NEAR_LINES
