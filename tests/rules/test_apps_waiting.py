"""The application (app-) and waiting (wait-) rules: waiting is never reported as a
failure, and the unmatched-exit-code fallback gives way to a specific exit-code cause."""

from __future__ import annotations

from pathlib import Path

from smslogdoc.diagnose import diagnose
from smslogdoc.rules.load import load_rules

RULES, ERRORS = load_rules([])

START = (
    '<![LOG[+++ Starting Install enforcement for App DT "{app}" ApplicationDeliveryType - ScopeId_B63CEBE7-8A69-4FBE-'
    "994F-5AD0A8488D27/DeploymentType_0b6c3a9e-4f7a-4c1e-9f3e-2a8d7c6b5e41, Revision - 4, ContentPath - C:\\WINDOWS\\"
    'ccmcache\\1c, Execution Context - System]LOG]!><time="10:12:03.114+240" date="05-14-2019" component="AppEnforce" '
    'context="" type="1" thread="{thread}" file="appprovider.cpp:1702">\n'
)
UNMATCHED = (
    '<![LOG[    Unmatched exit code ({code}) is considered an execution failure.]LOG]!><time="10:13:41.932+240" '
    'date="05-14-2019" component="AppEnforce" context="" type="2" thread="{thread}" file="appexcnlib.cpp:591">\n'
)


def _found(tmp_path: Path, name: str, text: str) -> list[tuple[str, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return [(f.rule.id, f.rule.severity) for f in diagnose([str(tmp_path)], RULES).findings]


def test_every_waiting_rule_is_info_and_says_so() -> None:
    """The wait- rules are exactly the rules whose diagnosis says "Waiting, not failed", all at info."""
    waiting = sorted(rule.id for rule in RULES if rule.id.startswith("wait-"))
    saying_so = sorted(rule.id for rule in RULES if rule.diagnosis.startswith("Waiting, not failed"))
    assert waiting and waiting == saying_so
    assert {rule.severity for rule in RULES if rule.id in waiting} == {"info"}


def test_an_unknown_exit_code_gets_the_fallback(tmp_path: Path) -> None:
    text = START.format(app="Tool 1.0", thread=7160) + UNMATCHED.format(code=4, thread=7160)
    assert _found(tmp_path, "AppEnforce.log", text) == [("app-exit-unmatched-fallback", "error")]


def test_a_known_exit_code_replaces_the_fallback(tmp_path: Path) -> None:
    text = START.format(app="Tool 1.0", thread=7160) + UNMATCHED.format(code=1603, thread=7160)
    assert _found(tmp_path, "AppEnforce.log", text) == [("app-exit-1603-fatal-install-error", "error")]


def test_the_exit_code_cites_the_deployment_type_enforced_last_on_its_thread(tmp_path: Path) -> None:
    text = (
        START.format(app="First 1.0", thread=7160)
        + START.format(app="Second 2.0", thread=7160)
        + UNMATCHED.format(code=1638, thread=7160)
    )
    (tmp_path / "AppEnforce.log").write_text(text, encoding="utf-8")
    findings = diagnose([str(tmp_path)], RULES).findings
    assert [f.rule.id for f in findings] == ["app-exit-1638-other-version-installed"]
    cited = " ".join(item.text for item in findings[0].evidence)
    assert '"Second 2.0"' in cited and '"First 1.0"' not in cited


def test_a_pasted_unmatched_exit_code_line_alone_gives_its_specific_cause(tmp_path: Path) -> None:
    text = "Unmatched exit code (1618) is considered an execution failure.\n"
    assert _found(tmp_path, "AppEnforce.log", text) == [("app-exit-1618-fast-retry-code-missing", "error")]
