"""A finding's texts in words: its rule's diagnosis, cause, fix and next logs
filled from what the finding carries (its captures, and its log's name, its
run and how often it was seen there: `Finding.values`). The engine gives
findings as data; they are put in words here, once each, when the report
document is made (`document.finding_doc`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smslogdoc.findings import Finding
from smslogdoc.rules.templates import render

PROGRAM_NAMES = frozenset(
    {"ccmsetup", "ccmexec", "execmgr", "smsapm32", "msiexec", "wusa", "cmtrace", "smsls", "clisvc"}
)
"""Names written in lower case that a sentence may start with (`ccmsetup ran ...`)."""
_FIRST_WORD = re.compile(r"[A-Za-z][\w$-]*(?:\.\w+)?")


@dataclass(frozen=True)
class Texts:
    """What a finding says, rendered from its rule's templates."""

    diagnosis: str
    cause: str
    fix: list[str]
    next_logs: list[str]


def texts(finding: Finding) -> Texts:
    """The finding's rule texts with their `{placeholders}` filled (never
    evaluated); the diagnosis starts as a sentence does, whatever its first
    placeholder gave."""
    rule = finding.rule
    values = {**finding.captures, **finding.values}
    cause = render(rule.cause, values)
    if finding.reported:
        cause += (" " if cause else "") + "Other causes reported for this error code in this log: "
        cause += "; ".join(finding.reported) + "."
    if finding.reported_near:
        cause += (" " if cause else "") + "Usual causes of the error codes logged near it: "
        cause += "; ".join(finding.reported_near) + "."
    return Texts(
        sentence_start(render(rule.diagnosis, values)),
        cause,
        [render(step, values) for step in rule.fix],
        [render(hint, values) for hint in rule.next_logs],
    )


def sentence_start(text: str) -> str:
    """`text` starting with a capital, as a sentence does, unless its first word
    is a program or file name written in lower case (`ccmsetup`, `client.msi`,
    `execmgr.log:`), which keeps its spelling."""
    stripped = text.lstrip()
    word = _FIRST_WORD.match(stripped)
    if word is None or not stripped[0].islower():
        return text
    if "." in word.group() or word.group().lower() in PROGRAM_NAMES:
        return text
    lead = len(text) - len(stripped)
    return text[:lead] + stripped[0].upper() + stripped[1:]
