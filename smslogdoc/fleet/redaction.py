"""`fleet --redact`: the machines' results with every name replaced by a
stable pseudonym (`redact.Redactor`), before any writer sees them. A report
is redacted as a whole (a name met anywhere is replaced everywhere), so the
machines' results are held (their findings, never their events) until all
have come in; the aggregation is then made from the redacted results, so the
causes list pseudonyms as well."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smslogdoc.fleet.machine import JsonDict, MachineResult
from smslogdoc.report.html import bundled_rule_ids
from smslogdoc.report.redaction import Redactor


def redacted(
    results: Iterable[MachineResult], problems: list[JsonDict]
) -> tuple[list[MachineResult], list[JsonDict], dict[str, int]]:
    """The results and the fleet's own problems, redacted, and what was redacted (`Redactor.summary()`)."""
    kept = list(results)
    document: dict[str, Any] = {
        "version": 1,
        "machines": [result.as_dict() for result in kept],
        "problems": problems,
    }
    redactor = Redactor()
    done = redactor.redact_document(document, trusted_rule_ids=bundled_rule_ids())
    machines = [
        MachineResult(
            item["name"], item["path"], item["findings"], item["problems"], result.files, result.read
        )
        for item, result in zip(done["machines"], kept, strict=True)
    ]
    return machines, list(done["problems"]), redactor.summary()
