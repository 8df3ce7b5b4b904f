"""The site-server rules (distribution points, management points, site core) on
real log text: the SMS 2.0 and SMS 1.x site-server excerpts of ../shared/real-logs
fire the rule of their knowledge-base article, and the healthy site-server
excerpts (and the healthy sample logs) get no finding from these rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smslogdoc.diagnose import diagnose
from smslogdoc.kinds import load_kinds
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES, needs_real_logs, real_log

RULES, _ = load_rules([])
OURS = (
    "dp-",
    "distmgr-",
    "pkgxfer-",
    "pulldp-",
    "pxe-",
    "mpcontrol-",
    "mp-site-",
    "mp-iis-",
    "site-",
    "sql-",
    "repl-",
    "backup-",
    "hman-",
    "dataldr-",
    "colleval-",
    "statmgr-",
    "setup-",
)


def _ours(rule_id: str) -> bool:
    return rule_id.startswith(OURS)


@needs_real_logs
@pytest.mark.parametrize(
    ("excerpt", "log_name", "expected"),
    [
        ("kbarchive-Q227010__sitecomp.log.excerpt", "sitecomp.log", "site-sitecomp-install-map-incomplete"),
        ("kbarchive-Q267889__sitecomp.log.excerpt", "sitecomp.log", "site-sitecomp-perf-counters-broken"),
        (
            "kbarchive-Q153246__despool.log.sms1x.excerpt",
            "despool.log",
            "site-despool-attach-before-central-inventory",
        ),
    ],
)
def test_a_real_site_server_failure_gets_its_cause(
    tmp_path: Path, excerpt: str, log_name: str, expected: str
) -> None:
    shutil.copy(real_log(excerpt), tmp_path / log_name)
    findings = [f for f in diagnose([str(tmp_path)], RULES).findings if f.rule.id != "unexplained-errors"]
    assert [(f.rule.id, f.severity) for f in findings] == [(expected, "error")]


@needs_real_logs
@pytest.mark.parametrize(
    ("excerpt", "log_name"),
    [
        ("kbarchive-Q244405__distmgr.log.excerpt", "distmgr.log"),
        ("pages-technet-2012-Yuvaraj__distmgr.log.copied-rows.excerpt", "distmgr.log"),
        ("pages-technet-2013-sudheesn__smsdbmon.log.copied-rows.excerpt", "smsdbmon.log"),
    ],
)
def test_a_healthy_real_site_server_log_gets_no_site_finding(
    tmp_path: Path, excerpt: str, log_name: str
) -> None:
    shutil.copy(real_log(excerpt), tmp_path / log_name)
    assert [f.rule.id for f in diagnose([str(tmp_path)], RULES).findings if _ours(f.rule.id)] == []


@pytest.mark.parametrize("folder", ["formats/sms1x-despooler", "push-healthy", "execmgr-healthy"])
def test_healthy_samples_get_no_site_finding(folder: str) -> None:
    assert [f.rule.id for f in diagnose([str(SAMPLES / folder)], RULES).findings if _ours(f.rule.id)] == []


def test_every_site_rule_reads_a_site_server_log_kind() -> None:
    """The site-server rules read logs kinds.yaml knows, so a folder collected
    from a site server is diagnosed by its file names."""
    kinds = load_kinds()
    ours = [rule for rule in RULES if _ours(rule.id)]
    assert len(ours) >= 40
    for rule in ours:
        assert rule.applies_to, rule.id
        assert all(target in kinds for target in rule.applies_to), rule.id
