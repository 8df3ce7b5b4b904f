"""The error-code family: an entry of `data/contexts/*.yaml` (a code, the logs
where it has this meaning, what it means there, the usual causes, the fix, the
next log and the sources) becomes a rule that fires on a record of those logs
mentioning the code that is an error or says it failed (or, with `written`,
on the wording the entry gives, such as a return code).

A code is met in other logs than those its entries were written for (a log no
entry names, a pasted line of no known log): there, a record that mentions
such a code (not a small number, a wrapped Win32 error or E_FAIL) and is an
error or says it failed gets the first entry's context, said to be that of
the logs it was written for (`elsewhere_rules`, a lower tier).

Some codes mean the same, with the same usual causes, in whatever log writes
them: Windows Installer's "another installation is in progress", Windows'
"a restart is required", a certificate chain to an untrusted root. An entry
with `logs: [anywhere]` gives such a code's meaning, causes and fix on every
log (below an entry for the log's own kind, above a context borrowed from
other logs); a small number there must be 1000 or more (an MSI or Win32
error, not a program's own return code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from smslogdoc.codes.explain import parse_code
from smslogdoc.codes.table import WIN32_HRESULT_PREFIX, wraps_internet_error
from smslogdoc.formats.severity import GOES_ON
from smslogdoc.kinds import KindTable
from smslogdoc.model import Level, Severity
from smslogdoc.rules.condition import Condition
from smslogdoc.rules.families.table import (
    FAILURE_WORDS,
    TIER_CODE,
    TIER_CODE_ANYWHERE,
    TIER_CODE_ELSEWHERE,
    Bad,
    any_of,
    compiled,
    examples,
    in_sentence,
    log_kinds,
    slug,
    text,
    texts,
    usual_causes,
)
from smslogdoc.rules.model import Matcher, Rule


def code_rules(entry: Mapping[str, object], path: str, *, kinds: KindTable) -> list[Rule]:
    raw = entry.get("code")
    value = parse_code(str(raw)) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    if value is None:
        raise Bad("code", f"expected an error code, got {raw!r}")
    anywhere = texts(entry, "logs") == (ANYWHERE,)
    logs = () if anywhere else log_kinds(entry, kinds)
    if anywhere and value < ANYWHERE_SMALLEST:
        raise Bad(
            "code", f"a code for every log must be {ANYWHERE_SMALLEST} or more, or an HRESULT: got {raw!r}"
        )
    written = entry.get("written")
    message = compiled(written) if isinstance(written, str) else None
    benign = texts(entry, "benign")
    not_message = any_of(benign)
    codes = frozenset({value})
    if message is not None:  # the entry says how the log writes the failure (a return code): its wording
        # names the code, which `codes.find` may not read as one ("Unmatched exit code (1603)")
        events = {"written": Matcher("written", message=message, not_message=not_message)}
    else:  # an error record that mentions the code, or any record that says it failed
        events = {
            "failed": Matcher(
                "failed", not_message=not_message, codes=codes, severities=frozenset({Severity.ERROR})
            ),
            "says_failed": Matcher(
                "says_failed",
                message=compiled(FAILURE_WORDS),
                not_message=any_of([*benign, GOES_ON]),
                codes=codes,
            ),
        }
    spelled = f"0x{value:08X}" if value > 0xFFFF else str(value)
    rule_id = "code-" + slug(str(entry.get("id") or spelled))
    causes = texts(entry, "causes")
    cause = " ".join(filter(None, (text(entry, "meaning"), usual_causes(causes))))
    return [
        Rule(
            id=rule_id,
            title=text(entry, "title"),
            severity=Level.ERROR,
            confidence="medium",
            applies_to=logs,  # () for `anywhere`: every log
            events=events,
            conditions=(Condition("any", (tuple(events),)),),
            diagnosis=f"{{log}} reports {'{code} (' + spelled + ')' if message is None else spelled}: "
            f"{in_sentence(text(entry, 'title'))}.",
            fix=texts(entry, "fix", required=True),
            causes=causes,
            path=path,
            cause=cause,
            references=texts(entry, "sources", required=True),
            next_logs=texts(entry, "next_logs"),
            examples=examples(texts(entry, "seen"), _example_file(logs, kinds)),
            tier=TIER_CODE_ANYWHERE if anywhere else TIER_CODE,
            family="code",
        )
    ]


ANYWHERE = "anywhere"
"""The `logs` of an entry whose code means the same in every log."""
ANYWHERE_SMALLEST = 1000
"""The smallest number an `anywhere` entry may give as its code: below it, a
program's own return codes (2, 3, 5) say what that program means by them."""


def _example_file(logs: tuple[str, ...], kinds: KindTable) -> str:
    """A file name of the first kind an entry names, for its examples."""
    for log in logs:
        kind = kinds.get(log)
        if kind is not None and kind.files:
            return kind.files[0].replace("*", "")
        if "." in log and not any(char in log for char in "*?"):
            return log
    return "paste.log"


GENERIC = frozenset({0x87D00215, 0x80041002, 0x80041032, 0x80041033})
"""Generic failures healthy logs write routinely: ConfigMgr's item not found
(UpdatesDeployment.log's "failed to get targeted update" on a healthy client,
phrases.yaml's benign list) and WMI's not found, call cancelled and shutting
down (a client agent that looks up an instance it has not created yet, as
SrcUpdateMgr.log's CCM_SourceUpdateHistory; a WMI provider such as
InventoryProvider.log whose caller cancelled a query; configmgr/iOS-CMLogTracer's
test logs). Their contexts still apply to the logs they were written for."""


def _telling(value: int) -> bool:
    """Whether a code says the same wherever it is written: not a small number
    (a return code means different things in different logs), not a wrapped
    Win32 error (file not found, access denied: healthy logs write them all
    the time) unless a WinINet/WinHTTP one, not a generic COM failure (E_FAIL)
    or ConfigMgr one (`GENERIC`)."""
    return not _a_programs_own(value) and value >> 16 != 0x8000 and value not in GENERIC


def outranks_fallback(rule: Rule) -> bool:
    """Whether a code rule's finding replaces a written fallback's (a step
    failed, no cause found) on the record both cite: its entry was written for
    the wording the log gives the code in (`written`, such as a toolkit's exit
    code), or its code is not one a program may exit with (`_a_programs_own`):
    a small number or a wrapped Win32 error a program exits with is the
    program's own, which the fallback's "read the program's log" serves better."""
    if rule.tier != TIER_CODE:
        return False
    if "written" in rule.events:
        return True
    codes = _codes(rule)
    return bool(codes) and not any(_a_programs_own(value) for value in codes)


def _a_programs_own(value: int) -> bool:
    """Whether a code may be what a program exited with, which means what that
    program says: a small number, or a wrapped Win32 error other than WinINet's
    and WinHTTP's."""
    return value <= 0xFFFF or (value >> 16 == WIN32_HRESULT_PREFIX and not wraps_internet_error(value))


def quiet_anywhere(rules: list[Rule]) -> list[Rule]:
    """`rules` with each `anywhere` entry's rule quiet on the records an entry
    of the same code for some log calls routine (its `benign`): a record that
    entry lets pass must not be reported by the code's meaning everywhere
    instead."""
    routine: dict[frozenset[int], list[str]] = {}
    for rule in rules:
        benign = _benign(rule)
        if rule.tier == TIER_CODE and "written" not in rule.events and benign:
            routine.setdefault(_codes(rule), []).append(benign)
    made = []
    for rule in rules:
        if rule.tier == TIER_CODE_ANYWHERE and _codes(rule) in routine:
            quiet = any_of([*filter(None, [_benign(rule)]), *routine[_codes(rule)]])
            rule = replace(
                rule, events={name: replace(m, not_message=quiet) for name, m in rule.events.items()}
            )
        made.append(rule)
    return made


def _codes(rule: Rule) -> frozenset[int]:
    """The codes a code rule's records must mention (none for an entry `written` as a return code)."""
    return next((m.codes for m in rule.events.values() if m.codes), frozenset())


def _benign(rule: Rule) -> str:
    """The routine messages a code rule lets pass (its entry's `benign`), as one pattern ('' for none)."""
    return next((m.not_message.source for m in rule.events.values() if m.not_message is not None), "")


def elsewhere_rules(rules: list[Rule], kinds: KindTable) -> list[Rule]:
    """For each code of the code rules that tells the same wherever it is
    written (`_telling`), a rule
    for every log: a record mentioning the code that is an error or says it
    failed (as on the entry's own logs) gets the context of its
    first entry, named as that of the logs the entry was written for, and the
    usual causes of every entry of the code (`_pooled_causes`): a log no entry
    was written for may fail for any of them. A rule of the entry's own logs
    wins on them (its lower tier)."""
    anywhere = {value for rule in rules if rule.tier == TIER_CODE_ANYWHERE for value in _codes(rule)}
    entries: dict[int, list[Rule]] = {}
    for rule in rules:
        codes = _codes(rule)
        if len(codes) != 1 or "written" in rule.events or rule.tier != TIER_CODE:
            continue
        (value,) = codes
        if value not in anywhere and _telling(value):  # an entry for every log needs none borrowed
            entries.setdefault(value, []).append(rule)
    made = []
    for value, same in entries.items():
        rule = same[0]
        spelled = f"0x{value:08X}"
        where = ", ".join(dict.fromkeys(_example_file((log,), kinds) for log in rule.applies_to))
        pooled = _pooled_causes(same)
        # the entry's meaning: its cause less the sentence `code_rules` added for its own causes
        meaning = rule.cause.removesuffix(usual_causes(rule.causes)).rstrip()
        made.append(
            replace(
                rule,
                id=f"{rule.id}-elsewhere",
                # the entry's title names its own logs' program ("ccmsetup could not ..."): said as
                # borrowed, so a line of another log does not read as that program's failure
                title=f"{spelled}, known from {where or 'other logs'}: {rule.title}",
                applies_to=(),  # its events and condition are the entry's own: an error, or a record saying it failed
                diagnosis=f"{{log}} reports {{code}} ({spelled}); in {where or 'the logs it was written for'}, "
                f"where this context comes from, it means: {in_sentence(rule.title)}.",
                cause=" ".join(filter(None, (meaning, usual_causes(pooled, "the logs it is known from")))),
                confidence="low",
                examples=(),
                tier=TIER_CODE_ELSEWHERE,
                causes=(),  # the causes of the logs it was written for, not of this one
            )
        )
    return made


POOLED_CAUSES = 10
"""At most this many usual causes a borrowed context names, taken in turn from
each entry of the code (its first cause, then each one's second, ...)."""


def _pooled_causes(rules: list[Rule]) -> list[str]:
    """The usual causes of the entries of one code, in turn: every entry's first,
    then every entry's second, and so on, each once, at most `POOLED_CAUSES`."""
    pooled: dict[str, None] = {}
    for rank in range(max(len(rule.causes) for rule in rules)):
        for rule in rules:
            if rank < len(rule.causes):
                pooled.setdefault(rule.causes[rank].strip().rstrip("."), None)
    return list(pooled)[:POOLED_CAUSES]
