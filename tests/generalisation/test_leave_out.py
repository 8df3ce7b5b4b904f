"""`measure --leave-own-sources-out`: a dev case is diagnosed without the knowledge that
cites its own source(s); it never runs on the held-out part (README.md, "Leaving a case's
own sources out")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tests.generalisation import measure
from tests.generalisation.corpus import ROOT, load_case

CASE = "pmp-sup-sync-principal-permission"
"""A dev case from Patch My PC's sup-sync-failure-permission-error page, which a written rule,
a code context and a failure wording cite."""


def test_a_page_is_recognised_in_its_forms() -> None:
    keys = measure.source_keys
    support = keys(
        "MicrosoftDocs/SupportArticles-docs:support/mem/configmgr/update-management/troubleshoot-software-update-synchronization.md@0fccb5123f957d26243785d3c7ec6233d64c80d4"
    )
    page = keys(
        "https://learn.microsoft.com/en-us/troubleshoot/mem/configmgr/update-management/troubleshoot-software-update-synchronization"
    )
    assert support & page
    assert keys("MicrosoftDocs/memdocs#673") & keys("(MicrosoftDocs/memdocs issue 673, 2020)")
    assert keys("MicrosoftDocs/memdocs#673") & keys("https://github.com/MicrosoftDocs/memdocs/issues/673")
    assert not keys("MicrosoftDocs/memdocs#673") & keys("MicrosoftDocs/memdocs#6730")
    assert keys("KB288218") & keys("https://jeffpar.github.io/kbarchive/kb/288/Q288218/")
    assert keys("KB Q288218, SMS: a title") & keys("KB288218")
    assert keys(
        "PatchMyPCTeam/kbs.patchmypc.com:configmgr/common-issues-and-error-codes/missing-cab-update.md@26e9"
    ) & keys(
        "(PatchMyPCTeam/kbs.patchmypc.com, configmgr/common-issues-and-error-codes/missing-cab-update.md)"
    )
    assert not keys("https://jpmem.github.io/blog/mecm/20220408_01/") & keys(
        "https://jpmem.github.io/blog/mecm/20220408_02/"
    )


def test_the_data_copy_drops_the_entries_citing_the_page(tmp_path: Path) -> None:
    case = load_case(ROOT / "dev" / CASE, "dev")
    own = measure.case_source_keys(case)
    data = Path(measure.__file__).resolve().parents[2] / "smslogdoc" / "data"
    dropped = measure.own_knowledge_out(data, own, tmp_path / "data")
    assert "context sup-sync-principal-permission" in dropped
    entries = yaml.safe_load((tmp_path / "data" / "contexts" / "site-sup.yaml").read_text(encoding="utf-8"))
    ids = {entry.get("id") for entry in entries}
    assert "sup-sync-principal-permission" not in ids
    assert "sup-wsus-not-ready" in ids  # written from other pages: kept
    assert any(item.startswith("phrase ") and item.endswith(" causes") for item in dropped)
    assert measure.own_knowledge_out(data, {"url:example.invalid/nothing"}, tmp_path / "same") == []


def test_the_case_is_diagnosed_without_its_own_sources_knowledge() -> None:
    case = load_case(ROOT / "dev" / CASE, "dev")
    left = measure.LeaveOut().for_case(case)
    ids = {rule.id for rule in left.rules}
    assert "wsyncmgr-sync-wsus-admin-permission" not in ids
    assert "rule wsyncmgr-sync-wsus-admin-permission" in left.dropped
    assert not any(rule.id.startswith("code-sup-sync-principal-permission") for rule in left.rules)
    assert "adr-download-http-403-forbidden" in ids  # written from other pages: kept
    assert any(rule.id.startswith("code-sup-wsus-not-ready") for rule in left.rules)


def test_never_on_the_heldout_part(capsys: pytest.CaptureFixture[str]) -> None:
    for part in ("heldout", "all"):
        with pytest.raises(SystemExit) as exit_:
            measure.main(["--part", part, "--leave-own-sources-out"])
        assert exit_.value.code == 2
        assert "dev part only" in capsys.readouterr().err
    case = load_case(ROOT / "dev" / CASE, "dev")
    with pytest.raises(ValueError, match="dev part only"):
        measure.measure_left_out([replace(case, part="heldout")])
