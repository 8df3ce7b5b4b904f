"""The CMG, token, certificate and registration rules on real log text: the
MP_RegistrationManager.log rows copied into 1RedOne/ClientFaux issue 24, and the
CMTrace records of the site's other logs that must not trip them."""

from __future__ import annotations

import shutil
from pathlib import Path

from smslogdoc.diagnose import diagnose
from smslogdoc.report.texts import texts
from smslogdoc.rules.load import load_rules
from tests.conftest import needs_real_logs, real_log

RULES, _ = load_rules([])
OURS = ("cmg-", "token-", "cert-", "reg-", "assign-", "mp-")


@needs_real_logs
def test_expired_client_certificate_in_a_real_mp_registration_log(tmp_path: Path) -> None:
    source = real_log("ClientFaux-issue24__MP_RegistrationManager.log.copied-rows.excerpt")
    shutil.copy(source, tmp_path / "MP_RegistrationManager.log")
    findings = diagnose([str(tmp_path)], RULES).findings
    assert [f.rule.id for f in findings] == ["mp-registration-certificate-expired"]
    text = texts(findings[0]).diagnosis
    assert "820BD3C209D6ED2155D5343BEEA67A725389B747" in text and "'CL2'" in text


@needs_real_logs
def test_no_cmg_or_registration_verdict_on_the_other_real_logs() -> None:
    root = real_log("findingsanity-Logs__UpdatesStore.log").parent
    found = {f.rule.id for f in diagnose([str(root)], RULES).findings}
    assert {rule for rule in found if rule.startswith(OURS)} <= {"mp-registration-certificate-expired"}
