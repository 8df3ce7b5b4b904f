"""`--redact`: a diagnosis with host, user and domain names, addresses, e-mail
addresses and SIDs replaced by stable pseudonyms (`redact.Redactor`), so that
every output format prints the same redacted report. The names are learned from
every text of the outcome first, then replaced everywhere, so one name gets one
pseudonym throughout. A bundled rule's own texts (title, cause, references)
are left as written; a user rule's are redacted like log text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from smslogdoc.diagnose import Outcome
from smslogdoc.findings import Evidence, Finding
from smslogdoc.model import FileReport, Problem
from smslogdoc.report.redaction import Redactor


def redact_outcome(
    outcome: Outcome, shown: list[Finding], *, hosts: Iterable[str] = ()
) -> tuple[Outcome, list[Finding]]:
    """Redacted copies of `outcome` and of the findings to show; `hosts` are
    names known to be machines (fleet folder names)."""
    redactor = Redactor(hosts=tuple(hosts))
    for text in _texts(outcome, shown):
        redactor.learn(text)
    redact = redactor.redact_text

    def evidence(item: Evidence) -> Evidence:
        return replace(item, path=redact(item.path), text=redact(item.text))

    def finding(found: Finding) -> Finding:
        rule = (
            found.rule
            if found.rule.bundled
            else replace(
                found.rule,
                title=redact(found.rule.title),
                cause=redact(found.rule.cause),
                references=tuple(redact(r) for r in found.rule.references),
            )
        )
        return replace(
            found,
            rule=rule,
            log=redact(found.log),
            group=redact(found.group),
            captures={key: redact(value) for key, value in found.captures.items()},
            evidence=[evidence(item) for item in found.evidence],
            spread=None
            if found.spread is None
            else replace(
                found.spread,
                first=replace(
                    found.spread.first,
                    path=redact(found.spread.first.path),
                    group=redact(found.spread.first.group),
                ),
                last=replace(
                    found.spread.last,
                    path=redact(found.spread.last.path),
                    group=redact(found.spread.last.group),
                ),
                evidence=[evidence(item) for item in found.spread.evidence],
            ),
            diagnosis=redact(found.diagnosis),
            cause=redact(found.cause),
            fix=[redact(step) for step in found.fix],
            next_logs=[redact(hint) for hint in found.next_logs],
            note=redact(found.note),
            folder=redact(found.folder),
            also=[redact(other) for other in found.also],
        )

    def problem(met: Problem) -> Problem:
        return replace(met, path=redact(met.path), message=redact(met.message))

    def report(read: FileReport) -> FileReport:
        return replace(read, path=redact(read.path), problems=[problem(p) for p in read.problems])

    done = {id(found): finding(found) for found in outcome.findings}  # each finding redacted once
    redacted = replace(
        outcome,
        findings=list(done.values()),
        files=[report(r) for r in outcome.files],
        problems=[problem(p) for p in outcome.problems],
    )
    redacted.redaction = redactor.summary()
    return redacted, [done.get(id(found)) or finding(found) for found in shown]


def _texts(outcome: Outcome, shown: list[Finding]) -> Iterable[str]:
    known = {id(found) for found in outcome.findings}
    for found in [*outcome.findings, *(f for f in shown if id(f) not in known)]:
        yield found.log
        yield found.diagnosis
        yield from found.captures.values()
        yield from _evidence_texts(found.evidence)
        if found.spread is not None:
            yield from _evidence_texts(found.spread.evidence)
        yield from found.fix
        yield from found.also
    for read in outcome.files:
        yield read.path
        yield from (p.message for p in read.problems)
    yield from (p.path for p in outcome.problems)
    yield from (p.message for p in outcome.problems)


def _evidence_texts(evidence: list[Evidence]) -> Iterable[str]:
    for item in evidence:
        yield item.path
        yield item.text
