"""Error records no rule explains (`unexplained-errors`) and what the output
says was and was not examined. The logs are written here, modelled on the real
ones in ../shared/real-logs (task sequences, software-update client logs);
the real logs themselves are read where present."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from smslogdoc import pipeline
from smslogdoc.diagnose import diagnose
from smslogdoc.engine import benign, unexplained
from smslogdoc.findings import Finding
from smslogdoc.model import Severity
from smslogdoc.read import scan
from smslogdoc.read.full import ReadOptions
from smslogdoc.report import jsondoc
from smslogdoc.report.document import report_of
from smslogdoc.report.examined import ALL_CLEAR
from smslogdoc.report.texts import texts
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from tests.conftest import REPO, SAMPLES, Result, needs_real_logs, read_path, real_log
from tests.conftest import invoke as run

RULES = [
    rule for rule in load_rules([])[0] if not rule.family
]  # the summary on its own: the rule families explain records too (tests/rules/test_families.py)
S01 = SAMPLES / "ccmsetup-service-cannot-access-source"


def invoke(*args: str) -> Result:
    return run(list(args), env={"NO_COLOR": "1", "COLUMNS": "120"})


def record(
    message: str, kind: int = 1, component: str = "TSManager", second: int = 0, thread: int = 1328
) -> str:
    minute, second = divmod(second, 60)
    return (
        f'<![LOG[{message}]LOG]!><time="16:{53 + minute % 6:02d}:{second:02d}.899+480" date="02-07-2024" '
        f'component="{component}" context="" type="{kind}" thread="{thread}" file="tsmanager.cpp:1">\r\n'
    )


HEALTHY = [
    "Successfully completed the action (Apply Operating System) with the exit code 0",
    "Set a global environment variable _SMSTSLastActionRetCode=0",
    "Set a global environment variable _SMSTSLastActionSucceeded=true",
]
ENVIRONMENT = "Failed to save the current environment block. The parameter is incorrect. (Error: 80070057; Source: Windows)"


def smsts(errors: list[str], healthy: int = 3) -> str:
    """A task-sequence log: healthy records with `errors` (type 3) among them."""
    lines = [record("==============================[ TSManager.exe ]==============================")]
    second = 1
    for message in errors:
        for text in HEALTHY[:healthy]:
            lines.append(record(text, second=second))
            second += 1
        lines.append(record(message, kind=3, second=second))
        second += 1
    lines.append(record("Task sequence execution completed", second=second))
    return "\ufeff" + "".join(lines)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def summaries(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.rule.id == unexplained.RULE_ID]


def test_templates_fold_numbers_guids_codes_paths_and_times() -> None:
    one = unexplained.template(
        "Failed to create D:\\_SMSTaskSequence (3) at 10:29:47 for {FB98742D-9702-4DC1-A5BD-029D6DD5C8D3}, error = 0x87d00215"
    )
    two = unexplained.template(
        "Failed to create C:\\_SMSTaskSequence\\x (5) at 11:02:03 for {0B98742D-9702-4DC1-A5BD-029D6DD5C8D4}, error = 0x80070005"
    )
    assert one == two == "Failed to create <path> (<n>) at <time> for <guid>, error = <hex>"
    assert unexplained.template("(Error: 80070057; Source: Windows)") == "(Error: <hex>; Source: Windows)"
    assert unexplained.template("Failed to save") != unexplained.template("Failed to load")


def test_error_records_of_a_log_no_rule_reads_are_summarised(tmp_path: Path) -> None:
    """The maxmoonACR smsts.log story, the same type-3 message seven times, in a
    log of a kind no rule reads (TSAgent.log)."""
    path = write(tmp_path, "TSAgent.log", smsts([ENVIRONMENT] * 7))
    outcome = diagnose([str(path)], RULES)
    (finding,) = outcome.findings
    assert (
        finding.rule.id == "unexplained-errors" and finding.severity == "info" and finding.confidence == "low"
    )
    assert (
        finding.captures["unexplained"] == "7"
        and finding.captures["groups"] == "1"
        and finding.captures["covered"] == "no"
    )
    (first,) = finding.evidence
    assert first.line == 5 and first.text == ENVIRONMENT and first.time is not None
    assert any("80070057" in code.upper() for code in first.codes)
    assert (
        "7x, lines 5-29" in texts(finding).diagnosis
        and "No rule reads this kind of log." in texts(finding).diagnosis
    )
    (report,) = outcome.files
    assert (report.covered, report.error_records, report.in_window) == (False, 7, None)
    text = invoke("diagnose", str(path)).stdout  # every rule: the wording of the record names the failure
    assert ALL_CLEAR not in text and "rule phrase-invalid-task-sequence" in text
    assert "TSAgent.log: no rule reads this kind of log; 7 error records, named by the findings above" in text
    assert "1 log no rule reads" in text.rstrip().splitlines()[-1]


def test_groups_are_ordered_by_count_and_capped(tmp_path: Path) -> None:
    errors = []
    for number in range(12):
        errors += [f"Step {number} failed: component{chr(65 + number)} returned 0x8007000{number % 10}"] * (
            1 + number % 4
        )
    path = write(tmp_path, "smsts.log", smsts(errors, healthy=1))
    (finding,) = diagnose([str(path)], RULES).findings
    assert finding.captures["groups"] == "12" and finding.captures["unexplained"] == str(len(errors))
    assert len(finding.evidence) == unexplained.SHOWN_GROUPS
    assert "... 2 more groups." in texts(finding).diagnosis
    listed = texts(finding).diagnosis.split("(1) ", 1)[1]
    assert (
        listed.startswith("4x") and "componentD" in listed.split("(2) ")[0]
    )  # the most frequent first, then by first line
    assert [item.line for item in finding.evidence] == sorted(item.line for item in finding.evidence)
    again = diagnose([str(path)], RULES).findings[0]
    assert (texts(again).diagnosis, again.evidence) == (texts(finding).diagnosis, finding.evidence)


def test_templates_past_the_cap_are_only_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unexplained, "MAX_TEMPLATES", 3)
    errors = [f"Failure in {name}" for name in ("alpha", "beta", "gamma", "delta", "epsilon", "alpha")]
    path = write(tmp_path, "smsts.log", smsts(errors, healthy=0))
    (finding,) = diagnose([str(path)], RULES).findings
    assert (
        finding.captures["groups"] == "3"
        and finding.captures["untracked"] == "2"
        and finding.captures["unexplained"] == "6"
    )
    assert "2 more record(s) of messages past the first 3 kinds were only counted" in texts(finding).diagnosis


def test_known_benign_records_are_left_out_and_counted(tmp_path: Path) -> None:
    """ErnestoLeon87's smsts.log: TSMBootstrap's start and TSManager's clean-up write type 3 on a good run."""
    benign = [
        record("TS environment is not initialized", 3, "TSMBootstrap", 1),
        record("SetNamedSecurityInfo() failed.", 3, "TSManager", 5),
        record("ReleaseRequest failed with error code 0x80004005", 3, "TSManager", 7),
    ]
    healthy = [record(text, second=10 + number) for number, text in enumerate(HEALTHY)]
    path = write(tmp_path, "smsts.log", "".join([*benign, record(ENVIRONMENT, 3, second=9), *healthy]))
    (finding,) = diagnose([str(path)], RULES).findings
    assert (
        finding.captures["benign"] == "3"
        and finding.captures["unexplained"] == "1"
        and finding.captures["error_records"] == "4"
    )
    assert "3 known-benign error records left out." in texts(finding).diagnosis
    assert (
        record("TS environment is not initialized", 3, "TSManager", 1) not in benign
    )  # the component must match too
    other = write(tmp_path, "execmgr.log", record("TS environment is not initialized", 3, "TSMBootstrap", 1))
    assert summaries(diagnose([str(other)], RULES).findings) != []  # and the log
    quiet = (
        write(tmp_path / "only-benign", "smsts.log", "".join([*benign, *healthy]))
        if (tmp_path / "only-benign").mkdir() is None
        else None
    )
    assert quiet is not None
    result = invoke("diagnose", str(quiet))
    assert summaries(diagnose([str(quiet)], RULES).findings) == []
    assert (
        ALL_CLEAR not in result.stdout
        and "the 3 error records are all known-benign messages" in result.stdout
    )


def test_every_benign_entry_has_a_source_and_a_log() -> None:
    entries = benign.benign_list()
    raw = (REPO / "smslogdoc" / "data" / "benign.yaml").read_text(encoding="utf-8")
    assert len(entries) == raw.count("\n- pattern:")  # every entry of the file is loaded
    for entry in entries:
        assert entry.source.strip() and entry.logs and entry.pattern.pattern


def test_the_summary_can_be_turned_off_or_raised(tmp_path: Path) -> None:
    path = write(tmp_path, "smsts.log", smsts(["Failed to create D:\\_SMSTaskSequence (3)"]))
    assert diagnose([str(path)], RULES, unexplained="off").findings == []
    (finding,) = diagnose([str(path)], RULES, unexplained="error").findings
    assert finding.severity == "error"
    assert (
        invoke("diagnose", str(path)).exit_code == 0
    )  # info: the default --fail-on warning keeps its meaning
    assert invoke("diagnose", str(path), "--unexplained", "warning").exit_code == 1
    assert invoke("diagnose", str(path), "--unexplained", "warning", "--fail-on", "error").exit_code == 0
    off = invoke("diagnose", str(path), "--unexplained", "off")
    assert off.exit_code == 0 and ALL_CLEAR not in off.stdout
    assert (
        "No rule matched, but the logs hold 1 error record (not summarised: --unexplained off)." in off.stdout
    )
    assert invoke("diagnose", str(path), "--unexplained", "loud").exit_code == 2


def test_logs_without_error_records_stay_silent(tmp_path: Path) -> None:
    path = write(tmp_path, "smsts.log", smsts([]))
    outcome = diagnose([str(path)], RULES)
    assert outcome.findings == []
    for healthy in ("ccmsetup-healthy", "execmgr-healthy", "smsapm32-healthy", "push-healthy"):
        assert summaries(diagnose([str(SAMPLES / healthy)], RULES).findings) == []


def test_records_a_finding_cites_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """S01's `Failed to access source file` records are type 3 and cited by the rule: not listed."""
    assert summaries(diagnose([str(S01)], RULES).findings) == []
    monkeypatch.setattr(pipeline, "benign_list", lambda: ())
    (finding,) = summaries(diagnose([str(S01)], RULES).findings)
    assert (
        "policy namespace" in texts(finding).diagnosis
        and "Failed to access source file" not in texts(finding).diagnosis
    )


def test_sms_trace_error_lines_are_summarised(tmp_path: Path) -> None:
    lines = [
        "Program Install Payroll started.~  $$<APM><Mon Mar 12 09:30:02.471 2001><thread=1208 (0x4B8)>\n",
        "Error 0x2 running setup.exe: the file was not found.~  $$<APM><Mon Mar 12 09:30:03.471 2001><thread=1208 (0x4B8)>\n",
    ]
    path = write(tmp_path, "smsapm32.log", "".join(lines * 3))
    (finding,) = summaries(diagnose([str(path)], RULES).findings)
    assert finding.captures["unexplained"] == "3" and [item.line for item in finding.evidence] == [2]


def test_several_processes_give_the_same_summaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(3):
        (tmp_path / f"pc{number}").mkdir()
        write(tmp_path / f"pc{number}", "smsts.log", smsts([ENVIRONMENT] * (number + 1)))
    one = diagnose([str(tmp_path)], RULES)
    monkeypatch.setattr(pipeline, "MIN_BYTES", 0)
    two = diagnose([str(tmp_path)], RULES, jobs=2)
    assert [(f.rule.id, f.log, texts(f).diagnosis) for f in one.findings] == [
        (f.rule.id, f.log, texts(f).diagnosis) for f in two.findings
    ]
    assert len(two.findings) == 3


def _json(paths: list[str], monkeypatch: pytest.MonkeyPatch, *, sparse: bool) -> str:
    monkeypatch.setattr(scan, "MIN_SIZE", 0 if sparse else 1 << 62)
    monkeypatch.setattr(scan, "SEGMENT_BLOCKS", 3)
    result = diagnose(paths, RULES, options=ReadOptions(record_cap=128 << 10))
    out = io.StringIO()
    jsondoc.write(report_of(result), out, Options())
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["smsts.log", "execmgr.log"])
def test_a_scanned_large_log_gives_the_same_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    errors = [
        f"Failed to resolve content for package MAX{number % 37:05d} (0x80070002)" for number in range(400)
    ]
    errors += ["The task sequence step failed unexpectedly"] * 3
    text = smsts(errors, healthy=3).replace(
        'component="TSManager"', 'component="execmgr"' if name == "execmgr.log" else 'component="TSManager"'
    )
    path = write(tmp_path, name, text * 4)
    assert path.stat().st_size > 400 << 10  # many scan blocks
    full = _json([str(path)], monkeypatch, sparse=False)
    sparse = _json([str(path)], monkeypatch, sparse=True)
    assert full == sparse
    document = json.loads(sparse)
    (finding,) = [f for f in document["findings"] if f["rule"] == "unexplained-errors"]
    assert finding["captures"]["unexplained"] == str(4 * len(errors))


REAL_WITH_ERRORS = [
    "maxmoonACR-MDTLOGFiles__smsts.log",
    "brackdk04-hello-world__smsts.log",
    "findingsanity-Logs__UpdatesDeployment.log",
    "ErnestoLeon87-log_reader__smsts.log",
    "findingsanity-Logs__UpdatesStore.log",
]
REAL_WITHOUT_ERRORS = [
    "findingsanity-Logs__UpdatesHandler.log",
    "findingsanity-Logs__WUAHandler.log",
    "maxmoonACR-MDTLOGFiles__BDD.log",
    "plaso__sccm_various.log",
]


@needs_real_logs
@pytest.mark.parametrize("name", REAL_WITH_ERRORS)
def test_a_real_log_with_error_records_gets_a_finding_citing_one(name: str) -> None:
    path = real_log(name)
    events, _ = read_path(path)
    errors = {event.line for event in events if event.severity == Severity.ERROR}
    assert errors
    findings = diagnose([str(path)], RULES).findings
    cited = {item.line for finding in findings for item in finding.evidence}
    assert cited & errors
    result = invoke("diagnose", str(path))
    assert ALL_CLEAR not in result.stdout


@needs_real_logs
@pytest.mark.parametrize("name", REAL_WITHOUT_ERRORS)
def test_a_real_log_without_error_records_gets_no_error_finding(name: str) -> None:
    path = real_log(name)
    findings = diagnose([str(path)], RULES).findings
    assert not [finding for finding in findings if finding.severity == "error"]
    assert summaries(findings) == []


@needs_real_logs
def test_the_real_task_sequence_cleanup_errors_are_known_benign(monkeypatch: pytest.MonkeyPatch) -> None:
    log = str(real_log("ErnestoLeon87-log_reader__smsts.log"))
    # the PowerShell records (5090-5101) lie inside what ts-powershell-script-errors-exit-0 cites
    # (5055-5103), the rest are benign: nothing is left to list (issue 21, item 14)
    assert summaries(diagnose([log], RULES).findings) == []
    monkeypatch.setattr(unexplained, "windows", lambda findings, paths: {})
    (finding,) = summaries(diagnose([log], RULES).findings)
    assert finding.captures["benign"] == "5" and finding.captures["error_records"] == "19"
    assert "TS environment is not initialized" not in texts(finding).diagnosis
