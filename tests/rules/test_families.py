"""Rule families: rules made from tables of error codes in context, status
values and failure wording; each fires on the records its entry describes,
stays silent on the rest, and yields to a more specific finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.kinds import load_kinds
from smslogdoc.report.texts import texts
from smslogdoc.rules.families import family_rules
from smslogdoc.rules.schema import parse_rule
from tests.conftest import pasted_findings

CONTEXTS = """
- code: '0x87D00607'
  logs: [cas, contenttransfermanager, datatransferservice]
  title: No distribution point offers the content
  meaning: The content location request came back with no source the client may use.
  causes: [the content is not on a distribution point of the client's boundary group]
  fix: [Distribute the content to a distribution point in the client's boundary group.]
  next_logs: [LocationServices.log]
  sources: ['Test source: https://example.invalid/contexts']
- code: 7
  id: ccmsetup-7
  logs: [ccmsetup]
  written: 'CcmSetup is exiting with return code (?P<rc>7)\\b'
  title: ccmsetup needs a restart to finish
  meaning: Return code 7 from ccmsetup asks for a restart.
  fix: [Restart the computer.]
  sources: ['Test source: https://example.invalid/ccmsetup']
"""

STATES = r"""
- vocabulary: EvaluationState
  written_as: ['EvaluationState\s*=\s*(?P<value>\d+)', 'state is (?P<name>\w+)$']
  key: value
  logs: ['*.log']
  values:
    "8": {name: WaitServiceWindow, meaning: Waiting for a service window., outcome: waiting}
    "13": {name: Error, aliases: [ciStateError], meaning: The update failed., outcome: failed}
    "12": {name: InstallComplete, meaning: Installed., outcome: succeeded}
  sources: ['Test: https://example.invalid/states']
- vocabulary: Statmsg
  written_as: ['STATMSG: ID=(?P<value>\d+) SEV=(?P<sev>[IWE])\b']
  key: value
  severity: {group: sev, I: info, W: warning, E: failed}
  logs: ['*.log']
  values:
    "2302": {name: Failed to process package, meaning: The package could not be processed., outcome: failed}
  sources: ['Test: https://example.invalid/statmsg']
"""

PHRASES = r"""
workflows:
  content: {title: content download, next_logs: [CAS.log]}
  package: {title: packages, next_logs: [execmgr.log]}
families: {cas: content, execmgr: package}
benign:
  - {pattern: 'known benign access denied', source: test}
phrases:
  - id: access-denied
    pattern: '\baccess (?:is )?denied\b'
    outcome: failed
    says: access was refused
    unless: [{pattern: 'access denied while probing', source: test}]
    workflows:
      content: {what: the client could not read the content, check: [Check the share permissions.], next_log: DataTransferService.log}
    sources: ['Test: https://example.invalid/phrases']
  - id: failed
    pattern: '\bfailed\b'
    outcome: failed
    says: something failed
    sources: ['Test: https://example.invalid/phrases']
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "contexts").mkdir()
    (tmp_path / "contexts" / "test.yaml").write_text(CONTEXTS, encoding="utf-8")
    (tmp_path / "states.yaml").write_text(STATES, encoding="utf-8")
    (tmp_path / "phrases.yaml").write_text(PHRASES, encoding="utf-8")
    return tmp_path


def rules_of(data: Path):  # type: ignore[no-untyped-def]
    rules, errors = family_rules(load_kinds(), data)  # type: ignore[arg-type]
    assert not errors, [str(error) for error in errors]
    return rules


def fired(rules, tmp_path: Path, name: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    log = tmp_path / "logs" / name
    log.parent.mkdir(exist_ok=True)
    log.write_text(text, encoding="utf-8")
    return [finding.rule.id for finding in diagnose([str(log)], rules, unexplained="off").findings]


def cm(message: str, severity: int, component: str = "ContentAccess") -> str:
    return f'<![LOG[{message}]LOG]!><time="10:00:00.000+000" date="05-01-2024" component="{component}" context="" type="{severity}" thread="1" file="x.cpp:1">\n'


def test_the_tables_make_one_rule_per_entry_and_failing_value(data: Path) -> None:
    ids = sorted(rule.id for rule in rules_of(data))
    assert ids == [
        "code-0x87d00607",
        "code-0x87d00607-elsewhere",  # the context, for logs the entry does not name
        "code-ccmsetup-7",  # a return code: it has no meaning elsewhere
        "phrase-access-denied",  # logs of no known family
        "phrase-access-denied-content",
        "phrase-access-denied-package",  # a family the phrase has no texts for: its general ones
        "phrase-failed",
        "phrase-failed-content",
        "phrase-failed-package",
        "state-evaluationstate-13",  # a wait (8) is left to the stories, a success (12) needs nothing
        "state-statmsg-2302",
        "state-statmsg-sev-e",
        "state-statmsg-sev-w",
    ]


@pytest.mark.parametrize(
    ("message", "severity", "expected"),
    [
        (
            "Download failed for content Content_1.1, error 0x87D00607",
            1,
            ["code-0x87d00607"],
        ),  # says it failed
        ("CTM job result -2016410105", 3, ["code-0x87d00607"]),  # an error record, decimal spelling
        ("Location reply 0x87D00607 noted", 1, []),  # neither an error nor a failure
        ("thread 2278557191 started", 3, []),  # not written as a code... a thread id is
    ],
)
def test_a_code_in_context_fires_on_failures_only(
    data: Path, tmp_path: Path, message: str, severity: int, expected: list[str]
) -> None:
    assert fired(rules_of(data), tmp_path, "CAS.log", cm(message, severity)) == expected


def test_a_code_met_in_another_log_gets_its_context_named_as_from_elsewhere(
    data: Path, tmp_path: Path
) -> None:
    rules = rules_of(data)
    elsewhere = next(rule for rule in rules if rule.id == "code-0x87d00607-elsewhere")
    assert not elsewhere.applies_to and "cas.log" in elsewhere.diagnosis.lower()
    failed = cm("Failed to get content, error 0x87D00607", 3, "SoftwareCenter")
    assert fired(rules, tmp_path, "SCClient.log", failed) == ["code-0x87d00607-elsewhere"]
    assert fired(rules, tmp_path, "CAS.log", failed) == ["code-0x87d00607"]  # its own log: its own rule
    # an info record that says it failed reads as on the code's own logs
    said = cm("Failed to get content, error 0x87D00607", 1, "SoftwareCenter")
    assert fired(rules, tmp_path, "SCClient.log", said) == ["code-0x87d00607-elsewhere"]
    # an info record saying nothing failed, and a small number, are not read elsewhere
    assert fired(rules, tmp_path, "SCClient.log", cm("Reply 0x87D00607 noted", 1, "SoftwareCenter")) == []
    assert fired(rules, tmp_path, "SCClient.log", cm("exit 7 now", 3, "SoftwareCenter")) == []


SECOND_ENTRY = """
- code: '0x87D00607'
  id: updates-no-content
  logs: [updateshandler]
  title: The update's content is on no distribution point
  meaning: The update's content location request found no source.
  causes: [the deployment package is not distributed, the update was removed from its deployment package]
  fix: [Distribute the deployment package.]
  sources: ['Test source: https://example.invalid/second']
"""


def test_a_borrowed_context_names_the_causes_of_every_entry_of_its_code_in_turn(
    data: Path, tmp_path: Path
) -> None:
    (data / "contexts" / "updates.yaml").write_text(SECOND_ENTRY, encoding="utf-8")
    rules = rules_of(data)
    elsewhere = next(rule for rule in rules if rule.id.endswith("-elsewhere"))
    # each entry's first cause, then the second entry's second
    assert elsewhere.cause.endswith(
        "Usual causes in the logs it is known from: the content is not on a distribution point of the"
        " client's boundary group; the deployment package is not distributed; the update was removed"
        " from its deployment package."
    )
    own = next(rule for rule in rules if rule.id == "code-updates-no-content")
    assert "boundary group" not in own.cause  # a log's own entry keeps its own causes


ANYWHERE = """
- code: 1618
  id: msi-busy
  logs: [anywhere]
  title: Another installation was in progress
  meaning: Windows Installer runs one installation at a time.
  causes: [another MSI installation ran at the same time]
  fix: [Let the other installation finish, then try again.]
  sources: ['Test source: https://example.invalid/anywhere']
- code: '0x87D00607'
  id: everywhere-87d00607
  logs: [anywhere]
  title: The content has no source (said everywhere)
  meaning: No distribution point offers the content.
  causes: [the content is not distributed]
  fix: [Distribute the content.]
  sources: ['Test source: https://example.invalid/anywhere']
"""


def test_a_code_for_every_log_fires_anywhere_below_a_logs_own_entry(data: Path, tmp_path: Path) -> None:
    (data / "contexts" / "windows.yaml").write_text(ANYWHERE, encoding="utf-8")
    rules = rules_of(data)
    ids = {rule.id for rule in rules}
    # a code with an entry for every log borrows no other log's context
    assert {"code-msi-busy", "code-everywhere-87d00607"} <= ids and "code-0x87d00607-elsewhere" not in ids
    busy = next(rule for rule in rules if rule.id == "code-msi-busy")
    assert not busy.applies_to and busy.causes == ("another MSI installation ran at the same time",)
    plain = "Installing powershell-core\nERROR: Running msiexec was not successful. Exit code was '1618'.\n"
    assert fired(rules, tmp_path, "chocolatey.log", plain) == ["code-msi-busy"]
    assert fired(rules, tmp_path, "chocolatey.log", "Install took 1618 ms.\n") == []  # no failure, no error
    failed = cm("Failed to get content, error 0x87D00607", 3, "SoftwareCenter")
    assert fired(rules, tmp_path, "SCClient.log", failed) == ["code-everywhere-87d00607"]
    assert fired(rules, tmp_path, "CAS.log", failed) == ["code-0x87d00607"]  # the log's own entry wins


def test_a_record_a_logs_own_entry_calls_routine_is_not_reported_by_the_code_everywhere(
    data: Path, tmp_path: Path
) -> None:
    routine = CONTEXTS.replace(
        "  next_logs: [LocationServices.log]\n",
        "  next_logs: [LocationServices.log]\n  benign: ['while probing the cache']\n",
        1,
    )
    (data / "contexts" / "test.yaml").write_text(routine, encoding="utf-8")
    (data / "contexts" / "windows.yaml").write_text(ANYWHERE, encoding="utf-8")
    rules = rules_of(data)
    probing = cm("Failed to find content while probing the cache, error 0x87D00607", 3)
    # no code's finding: the log's own entry lets it pass, and so does the code's meaning everywhere
    # (the failure wording still reads the line on its own terms)
    assert fired(rules, tmp_path, "CAS.log", probing) == ["phrase-failed-content"]
    assert fired(rules, tmp_path, "SCClient.log", probing) == ["phrase-failed-content"]
    failed = cm("Failed to get content, error 0x87D00607", 3, "SoftwareCenter")
    assert fired(rules, tmp_path, "SCClient.log", failed) == ["code-everywhere-87d00607"]


def test_a_products_own_wording_wins_over_a_codes_meaning_everywhere_a_kind_of_failure_does_not(
    data: Path, tmp_path: Path
) -> None:
    (data / "contexts" / "windows.yaml").write_text(ANYWHERE, encoding="utf-8")
    own = """  - id: installer-busy
    pattern: 'Another installation currently in progress'
    outcome: failed
    says: the package manager found Windows Installer busy
    sources: ['Test: https://example.invalid/own']
"""
    table = PHRASES.replace("phrases:\n", "kinds_begin: access-denied\nphrases:\n" + own, 1)
    (data / "phrases.yaml").write_text(table, encoding="utf-8")
    rules = rules_of(data)
    busy = "ERROR: Another installation currently in progress. Exit code was '1618'.\n"
    assert fired(rules, tmp_path, "chocolatey.log", busy) == ["phrase-installer-busy"]
    failed = "ERROR: The install failed. Exit code was '1618'.\n"
    assert fired(rules, tmp_path, "chocolatey.log", failed) == ["code-msi-busy"]
    (data / "phrases.yaml").write_text(
        table.replace("kinds_begin: access-denied", "kinds_begin: nowhere"), encoding="utf-8"
    )
    _, errors = family_rules(load_kinds(), data)  # type: ignore[arg-type]
    assert any("kinds_begin names no phrase id" in str(error) for error in errors)


def test_a_code_for_every_log_is_not_a_programs_small_return_code(data: Path) -> None:
    (data / "contexts" / "windows.yaml").write_text(
        ANYWHERE.replace("code: 1618", "code: 5"), encoding="utf-8"
    )
    _, errors = family_rules(load_kinds(), data)  # type: ignore[arg-type]
    assert [error.key for error in errors] == ["[0].code"] and "1000 or more" in str(errors[0])


def test_a_context_written_as_a_return_code_needs_that_wording(data: Path, tmp_path: Path) -> None:
    rules = rules_of(data)
    assert fired(
        rules, tmp_path, "ccmsetup.log", cm("CcmSetup is exiting with return code 7", 1, "ccmsetup")
    ) == ["code-ccmsetup-7"]
    assert fired(rules, tmp_path, "ccmsetup.log", cm("Failed with error 7 somewhere", 3, "ccmsetup")) == [
        "phrase-failed"  # the wording, not the return code
    ]


def test_status_values_fire_by_their_outcome(data: Path, tmp_path: Path) -> None:
    rules = rules_of(data)
    assert fired(rules, tmp_path, "a.log", cm("Update X EvaluationState = 13", 1)) == [
        "state-evaluationstate-13"
    ]
    assert fired(rules, tmp_path, "a.log", cm("Update X state is ciStateError", 1)) == [
        "state-evaluationstate-13"
    ]
    assert (
        fired(rules, tmp_path, "a.log", cm("Update X EvaluationState = 8", 1)) == []
    )  # waits: the stories' job
    assert fired(rules, tmp_path, "a.log", cm("Update X EvaluationState = 12", 1)) == []
    assert fired(rules, tmp_path, "a.log", cm("Update X EvaluationState = 130", 1)) == []


def test_a_listed_status_message_wins_over_its_severity(data: Path, tmp_path: Path) -> None:
    rules = rules_of(data)
    assert fired(rules, tmp_path, "a.log", cm("STATMSG: ID=2302 SEV=E LEV=M", 1)) == ["state-statmsg-2302"]
    assert fired(rules, tmp_path, "a.log", cm("STATMSG: ID=9999 SEV=E LEV=M", 1)) == ["state-statmsg-sev-e"]
    assert fired(rules, tmp_path, "a.log", cm("STATMSG: ID=9999 SEV=I LEV=M", 1)) == []


def test_a_listed_failure_id_needs_the_record_to_say_error(data: Path, tmp_path: Path) -> None:
    """Ids were renumbered between versions: an id the table lists as an error
    names that failure only where the record's own severity says error."""
    rules = rules_of(data)
    assert fired(rules, tmp_path, "a.log", cm("STATMSG: ID=2302 SEV=I LEV=M", 1)) == []
    assert fired(rules, tmp_path, "a.log", cm("STATMSG: ID=2302 SEV=W LEV=M", 1)) == ["state-statmsg-sev-w"]


def test_a_states_table_of_its_own_file_loads(data: Path, tmp_path: Path) -> None:
    """A vocabulary may live in its own `states-<name>.yaml` beside states.yaml."""
    first, own = STATES.split("- vocabulary: Statmsg")
    (data / "states.yaml").write_text(first, encoding="utf-8")
    (data / "states-statmsg.yaml").write_text("- vocabulary: Statmsg" + own, encoding="utf-8")
    paths = {rule.id: rule.path for rule in rules_of(data)}
    assert paths["state-evaluationstate-13"].startswith("smslogdoc/data/states.yaml[")
    assert paths["state-statmsg-2302"].startswith("smslogdoc/data/states-statmsg.yaml[")
    assert fired(rules_of(data), tmp_path, "a.log", cm("STATMSG: ID=2302 SEV=E LEV=M", 1)) == [
        "state-statmsg-2302"
    ]


def test_wording_fires_on_error_records_by_family_and_first_phrase(data: Path, tmp_path: Path) -> None:
    rules = rules_of(data)
    denied = cm("Access is denied reading the share", 3)
    assert fired(rules, tmp_path, "CAS.log", denied) == ["phrase-access-denied-content"]
    assert fired(rules, tmp_path, "CAS.log", cm("Access is denied; the read failed", 3)) == [
        "phrase-access-denied-content"
    ]
    assert fired(rules, tmp_path, "CAS.log", cm("Access is denied reading the share", 1)) == []
    assert fired(rules, tmp_path, "CAS.log", cm("known benign access denied here", 3)) == []
    assert fired(rules, tmp_path, "CAS.log", cm("access denied while probing", 3)) == []
    assert fired(rules, tmp_path, "execmgr.log", cm("Access is denied", 3, "execmgr")) == [
        "phrase-access-denied-package"
    ]
    assert fired(rules, tmp_path, "other.log", cm("the copy failed", 3, "x")) == ["phrase-failed"]


def test_a_family_finding_yields_to_a_written_rule_citing_the_same_record(data: Path, tmp_path: Path) -> None:
    written, errors = parse_rule(
        """
id: cas-specific
title: A specific cause
severity: error
applies_to: [cas]
events:
  failed: {message: 'Download failed for content'}
condition: failed
diagnosis: specific
fix: [do it]
""",
        "<test>",
    )
    assert written is not None, [str(error) for error in errors]
    rules = [written, *rules_of(data)]
    assert fired(
        rules, tmp_path, "CAS.log", cm("Download failed for content Content_1.1, error 0x87D00607", 3)
    ) == ["cas-specific"]
    near = cm("Download failed for content Content_1.1", 3) + cm("Location request failed 0x87D00607", 3)
    assert fired(rules, tmp_path, "CAS.log", near) == ["cas-specific"]  # the same failure, minutes apart
    later = near.replace('time="10:00:00.000+000"', 'time="09:00:00.000+000"', 1)
    assert sorted(fired(rules, tmp_path, "CAS.log", later)) == [
        "cas-specific",
        "code-0x87d00607",
    ]  # an hour apart


def test_a_family_finding_stands_beside_the_summary_of_unexplained_errors(data: Path, tmp_path: Path) -> None:
    """The summary lists the error records no finding explains; it explains
    nothing itself, so a family's finding near it does not give way to it."""
    log = tmp_path / "logs" / "CAS.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(
        cm("Correlation vector 17, some error", 3) + cm("Download failed for content Content_1.1", 3)
    )
    findings = diagnose([str(log)], rules_of(data), unexplained="info").findings
    assert sorted(finding.rule.id for finding in findings) == ["phrase-failed-content", "unexplained-errors"]


def _fallback(name: str, pattern: str) -> object:
    rule, errors = parse_rule(
        f"""
id: {name}
title: A step failed (no more specific cause found)
severity: error
fallback: true
applies_to: [cas, ccmsetup]
events:
  failed: {{message: '{pattern}'}}
condition: failed
diagnosis: generic
fix: [read on]
""",
        "<test>",
    )
    assert rule is not None, [str(error) for error in errors]
    return rule


def test_a_fallback_gives_way_to_a_code_context_of_its_log_on_the_same_record(
    data: Path, tmp_path: Path
) -> None:
    rules = [
        _fallback("cas-generic", "Download failed"),
        _fallback("ccmsetup-generic", "exiting with"),
        *rules_of(data),
    ]
    # a code that says the same everywhere, in a log its context was written for: the context
    assert fired(
        rules, tmp_path, "CAS.log", cm("Download failed for content Content_1.1, error 0x87D00607", 3)
    ) == ["code-0x87d00607"]
    # a context written for the log's wording of a return code: the context
    exiting = cm("CcmSetup is exiting with return code 7", 3, "ccmsetup")
    assert fired(rules, tmp_path, "ccmsetup.log", exiting) == ["code-ccmsetup-7"]
    # the fallback's record with no context: the fallback (the wording yields to it)
    assert fired(rules, tmp_path, "CAS.log", cm("Download failed for content Content_1.1", 3)) == [
        "cas-generic"
    ]


def test_a_code_context_near_a_fallback_hands_it_its_causes(data: Path, tmp_path: Path) -> None:
    """A fallback found no specific cause; a code's context on a record near it
    gives way to it (one finding for the failure) and it names that code's
    usual causes and cites the record as supporting evidence."""
    log = tmp_path / "near" / "CAS.log"
    log.parent.mkdir()
    log.write_text(
        cm("Location request failed 0x87D00607", 3) + cm("Download failed for content Content_1.1", 3)
    )
    rules = [_fallback("cas-generic", "Download failed"), *rules_of(data)]
    (finding,) = diagnose([str(log)], rules, unexplained="off").findings
    assert finding.rule.id == "cas-generic"
    assert [(item.line, item.supporting) for item in finding.evidence] == [(1, True), (2, False)]
    assert texts(finding).cause.endswith(
        "Usual causes of the error codes logged near it: 0x87D00607 (line 1): "
        "the content is not on a distribution point of the client's boundary group."
    )


def test_a_finding_only_near_what_a_fallback_was_handed_stays(data: Path, tmp_path: Path) -> None:
    """Findings are settled once: a code's context near a fallback hands it its
    record as supporting evidence, and a wording's finding near that record but
    not near the fallback's own stays (it was dropped as if explained when the
    findings were settled a second time, with the handed-on evidence)."""
    log = tmp_path / "transitive" / "CAS.log"
    log.parent.mkdir()
    log.write_text(
        cm("Access denied to the cache folder", 3).replace("10:00:00", "09:50:00")
        + cm("Location request failed 0x87D00607", 3).replace("10:00:00", "09:58:00")
        + cm("Download failed for content Content_1.1", 3).replace("10:00:00", "10:05:00")
    )
    rules = [_fallback("cas-generic", "Download failed"), *rules_of(data)]
    findings = diagnose([str(log)], rules, unexplained="info").findings
    assert sorted(finding.rule.id for finding in findings) == ["cas-generic", "phrase-access-denied-content"]
    (fallback,) = (finding for finding in findings if finding.rule.id == "cas-generic")
    assert [(item.line, item.supporting) for item in fallback.evidence] == [(2, True), (3, False)]


@pytest.mark.parametrize(
    ("table", "text", "message"),
    [
        (
            "contexts/test.yaml",
            "- code: nope\n  title: x\n  meaning: y\n  fix: [z]\n  sources: [s]\n",
            "expected an error code",
        ),
        ("contexts/test.yaml", "- code: '0x87D00607'\n  title: x\n  meaning: y\n  fix: [z]\n", "sources"),
        (
            "contexts/test.yaml",
            "- code: '0x87D00607'\n  logs: [nosuchlog]\n  title: x\n  meaning: y\n  fix: [z]\n  sources: [s]\n",
            "unknown log kind",
        ),
        (
            "phrases.yaml",
            "phrases:\n- id: x\n  pattern: '('\n  outcome: failed\n  says: y\n  sources: [s]\n",
            "bad regular expression",
        ),
        (
            "states.yaml",
            "- vocabulary: V\n  written_as: ['x']\n  logs: []\n  values: {'1': {meaning: m, outcome: failed}}\n",
            "sources",
        ),
    ],
)
def test_a_bad_table_entry_is_an_error_naming_its_place(
    data: Path, table: str, text: str, message: str
) -> None:
    (data / table).write_text(text, encoding="utf-8")
    _, errors = family_rules(load_kinds(), data)  # type: ignore[arg-type]
    assert errors and message in str(errors[0]) and "[0]" in str(errors[0]), [str(error) for error in errors]


def test_the_bundled_tables_load_without_error() -> None:
    """The bundled patterns compile when first used, so the suite compiles each."""
    rules, errors = family_rules(load_kinds())
    assert not errors, [str(error) for error in errors]
    patterns = [
        pattern
        for rule in rules
        for matcher in rule.events.values()
        for pattern in (matcher.message, matcher.not_message)
        if pattern is not None
    ]
    assert len(patterns) > 500
    for pattern in patterns:
        assert pattern.compiled is not None


def test_a_wordings_finding_cites_the_sources_about_its_own_workflow() -> None:
    """A wording's table cites pages about every workflow; a family's finding
    cites the few that share the most words with what it says and checks."""
    rules, errors = family_rules(load_kinds())
    assert not errors
    phrases = [rule for rule in rules if rule.family == "phrase"]
    assert phrases and all(1 <= len(rule.references) <= 3 for rule in phrases)
    client = next(rule for rule in phrases if rule.id == "phrase-failed-to-client-install")
    assert all("client" in reference.lower() for reference in client.references)


def test_a_wordings_finding_says_what_the_code_on_its_line_means(data: Path, tmp_path: Path) -> None:
    """A wording's finding names the failure code its record writes with the
    code's published text, so the reader learns what the code means from the
    diagnosis; E_FAIL ("Unspecified error") says nothing and is left out."""
    log = tmp_path / "logs" / "CAS.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(cm("Failed to open the content store, hr=0x800700DF", 3))
    (finding,) = diagnose([str(log)], rules_of(data), unexplained="off").findings
    assert finding.rule.id == "phrase-failed-content"
    assert texts(finding).diagnosis.endswith(
        "The code it writes: 0x800700DF (-2147024673; Win32 223, ERROR_FILE_TOO_LARGE):"
        " The file size exceeds the limit allowed and cannot be saved."
    )
    log.write_text(cm("Failed to open the content store, hr=0x80004005", 3))
    (finding,) = diagnose([str(log)], rules_of(data), unexplained="off").findings
    assert "The code it writes" not in texts(finding).diagnosis


def test_a_codes_finding_names_the_code_once_when_written_as_spelled(data: Path, tmp_path: Path) -> None:
    """A code's context says the code as its record writes it and as the table spells
    it: once when the two are the same (whatever the case of its digits), both when
    the record writes it otherwise (in decimal)."""
    log = tmp_path / "logs" / "CAS.log"
    log.parent.mkdir(exist_ok=True)
    for written, said in (
        ("0x87d00607", "CAS.log reports 0x87d00607: "),
        ("-2016410105", "CAS.log reports -2016410105 (0x87D00607): "),
    ):
        log.write_text(cm(f"Download failed for content Content_1.1, error {written}", 3))
        (finding,) = diagnose([str(log)], rules_of(data), unexplained="off").findings
        assert finding.rule.id == "code-0x87d00607"
        assert texts(finding).diagnosis.startswith(said), texts(finding).diagnosis


def test_a_code_in_a_record_that_goes_on_regardless_is_no_failure() -> None:
    # microsoft/winget-pkgs#153243: the install succeeded; the same code in a failing record still counts
    went_on = "SchedSecureObjectsRollback:  Failed to store ACL rollback information with error 0x80070424 - continuing"
    assert pasted_findings(went_on) == []
    failed = "SchedSecureObjectsRollback:  Failed to store ACL rollback information with error 0x80070424"
    assert "code-windows-service-does-not-exist" in [finding["rule"] for finding in pasted_findings(failed)]
