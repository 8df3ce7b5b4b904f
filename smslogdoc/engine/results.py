"""Turning the conditions that held into findings: one finding per rule and
cause (the latest confirmed match, with the number of runs it was seen in, the
first and the latest, and the evidence of the first and last few), with the
values its rule's texts are filled with (the report renders them:
`report.texts`), its evidence with error codes decoded. Which of them a
more specific one explains is `engine.explained`.

Results come in as the runs they hold end (`Causes.add`): each cause keeps a
few results, whatever the number of runs, and the findings are made at the
end of the log (`Causes.findings`)."""

from __future__ import annotations

from smslogdoc import codes
from smslogdoc.engine.state import Hit, Result
from smslogdoc.findings import CONFIRMED, Evidence, Finding, Occurrence, Spread, raised
from smslogdoc.rules.model import BUILTIN_GROUPS

MAX_EVIDENCE = 8
"""Evidence records kept per finding (a count condition may match many)."""
SPREAD_EACH = 3
"""Occurrences of a cause seen in many runs cited at either end (the first and the last few)."""
SPREAD_RECORDS = 3
"""Records cited of each of those occurrences."""
RECENT_RUNS = 1024
"""Runs remembered per cause to count distinct runs: a run's results come in together."""


def _last(result: Result) -> tuple[bool, int, int]:
    """Which result of a cause the finding shows: the latest confirmed (a retry
    that failed the same way is the run's verdict); for a rule family's finding,
    the first (the first record that says a thing failed is the one to read;
    the later ones of its kind are its retries and consequences)."""
    if result.rule.tier:
        return (result.status == CONFIRMED, -result.hits[0].log, -result.hits[0].seq)
    return (result.status == CONFIRMED, result.hits[-1].log, result.hits[-1].seq)


def _start(result: Result) -> tuple[int, int]:
    return (result.hits[0].log, result.hits[0].seq)


class _Cause:
    """What one cause (rule and identity) keeps of its results: the best, how
    many, the runs, and the first and last few."""

    def __init__(self, result: Result) -> None:
        self.best = result
        self.count = 0
        self.runs = 0
        self.recent: dict[object, None] = {}
        self.first: list[Result] = []
        self.last: list[Result] = []
        self.add(result)

    def add(self, result: Result) -> None:
        self.count += 1
        if _last(result) > _last(self.best):
            self.best = result
        first = result.hits[0]
        run = (
            (first.log, first.run.key)
            if first.run is not None and not first.run.whole_log
            else (first.log, result.key)
        )
        if run not in self.recent:
            self.runs += 1
            self.recent[run] = None
            if len(self.recent) > RECENT_RUNS:
                del self.recent[next(iter(self.recent))]
        start = _start(result)
        if len(self.first) < SPREAD_EACH or start < _start(self.first[-1]):
            self.first = sorted([*self.first, result], key=_start)[:SPREAD_EACH]
        if len(self.last) < SPREAD_EACH or start > _start(self.last[0]):
            self.last = sorted([*self.last, result], key=_start)[-SPREAD_EACH:]

    def spread(self) -> Spread | None:
        if self.runs < 2:
            return None
        ends = sorted({id(r): r for r in [*self.first, *self.last]}.values(), key=_start)
        others = [r for r in ends if r is not self.best]
        evidence = [_evidence(hit) for r in others for hit in r.hits[:SPREAD_RECORDS]]
        return Spread(
            self.runs,
            _occurrence(ends[0]),
            _occurrence(ends[-1]),
            evidence,
            len(others),
            self.count - 1 - len(others),
        )


def _occurrence(result: Result) -> Occurrence:
    first = result.hits[0]
    return Occurrence(_group_label(result), first.event.path, first.event.line, first.event.time)


class Causes:
    """The results of one log (or, folder-wide, of the input), merged by cause
    as they come."""

    def __init__(self) -> None:
        self._causes: dict[tuple[object, ...], _Cause] = {}

    def add(self, result: Result) -> None:
        key = (result.rule.id, *_identity(result))
        cause = self._causes.get(key)
        if cause is None:
            self._causes[key] = _Cause(result)
        else:
            cause.add(result)

    def findings(
        self, log: str | None, folders: dict[int, str], *, skip: frozenset[str] = frozenset()
    ) -> list[Finding]:
        """One finding per cause; `log` names the log (None for folder-wide
        results), `folders` the folder of each log number; rules in `skip` are left out."""
        return [
            _finding(cause.best, cause.count, log, folders, cause.spread())
            for key, cause in self._causes.items()
            if key[0] not in skip
        ]


def findings_of(results: list[Result], log: str | None, folders: dict[int, str]) -> list[Finding]:
    """One finding per rule and cause of `results` (see `Causes`)."""
    causes = Causes()
    for result in results:
        causes.add(result)
    return causes.findings(log, folders)


def _finding(
    result: Result, groups: int, log: str | None, folders: dict[int, str], spread: Spread | None = None
) -> Finding:
    rule = result.rule
    captures: dict[str, str] = {}
    for hit in [*result.support, *result.context]:
        captures.update(hit.captures)
    for hit in result.hits:  # the match's own fields win
        captures.update(hit.captures)
    first = result.hits[0]
    label = _group_label(result)
    values = {
        "log": first.event.path.replace("\\", "/").rsplit("/", 1)[-1],
        "run": label,
        "occurrences": str(groups),
    }
    cited = [(hit, False) for hit in [*result.hits[:MAX_EVIDENCE], *result.context]] + [
        (hit, True) for hit in result.support
    ]
    cited.sort(key=lambda item: (item[0].log, item[0].seq))
    evidence = [_evidence(hit, supporting=supporting) for hit, supporting in cited]
    confidence = raised(rule.confidence) if result.support else rule.confidence
    return Finding(
        rule=rule,
        status=result.status,
        confidence=confidence,
        log=log
        if log is not None
        else (
            first.event.path
            if "folder" not in result.condition.by
            else str(result.key[result.condition.by.index("folder")])
        ),
        group=label,
        captures=captures,
        evidence=evidence,
        values=values,
        occurrences=groups,
        note=result.note,
        order=(first.log, first.seq),
        folder=folders.get(first.log, ""),
        identity=_identity(result),
        distinct_runs=frozenset(
            (hit.log, hit.run.key)
            for hit in [*result.hits, *result.support, *result.context]
            if hit.run is not None and not hit.run.whole_log
        ),
        runs=frozenset(
            (hit.log, hit.run.key)
            for hit in [*result.hits, *result.support, *result.context]
            if hit.run is not None
        ),
        spread=spread,
    )


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
    explained = codes.explained(event.message)
    return Evidence(
        event.path,
        event.line,
        event.end_line,
        event.time,
        event.message,
        hit.name,
        explained,
        supporting,
        event.time_ambiguous,
        event.severity_inferred,
    )
