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
    diagnosis = sentence_start(render(rule.diagnosis, values))
    if rule.family == "code":  # "reports 0x80091007 (0x80091007)": the record spells it as we do
        diagnosis = _SPELLED_TWICE.sub(r"\1", diagnosis, count=1)
    elif rule.family == "phrase":
        said = code_said(finding)
        if said:
            diagnosis += f" The code it writes: {said}"
    return Texts(
        diagnosis,
        cause,
        [render(step, values) for step in rule.fix],
        [render(hint, values) for hint in rule.next_logs],
    )


_SPELLED_TWICE = re.compile(r"(?i)\b(0x[0-9a-f]{8}) \(\1\)")
"""A code's context names the code as its record writes it and as we spell it; once
when the two are the same."""
UNTELLING = ("0x80004005",)
"""Codes whose published text says nothing (E_FAIL, "Unspecified error")."""


def code_said(finding: Finding) -> str:
    """The published meaning of the first failure code (in hex: a small number
    is a program's own) that the record a wording's finding rests on writes,
    so the finding says what its code means, not only that something failed;
    '' when it writes none, or only one that says no more than its words."""
    for item in finding.evidence:
        if item.supporting:
            continue
        for line in item.codes:
            if line.startswith("0x") and not line.startswith(UNTELLING):
                return line if line.endswith((".", "!", "?")) else line + "."
        return ""
    return ""


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
