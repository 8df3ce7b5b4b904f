"""The content and client-download rules: one ccmsetup run that is refused by the distribution
point and then gets 404 from the management point gives both causes and no generic verdict."""

from __future__ import annotations

from pathlib import Path

from smslogdoc.diagnose import diagnose
from smslogdoc.rules.load import load_rules

RULES, _ = load_rules([])
BY_ID = {rule.id: rule for rule in RULES}


def _example(rule_id: str, name_start: str) -> str:
    example = next(e for e in BY_ID[rule_id].examples if e.name.startswith(name_start))
    return dict(example.files)["ccmsetup.log"]


def test_a_refused_dp_then_a_missing_file_gives_both_causes(tmp_path: Path) -> None:
    refused = _example("ccmsetup-http-dp-propfind-401", "a workgroup client")
    missing = _example("ccmsetup-download-bits-404-missing-file", "a client file is missing")
    # one run: drop the second banner, keep the 404 part after the 401 part
    text = refused + "".join(missing.splitlines(keepends=True)[1:])
    text += (
        '<![LOG[CcmSetup failed with error code 0x80190194]LOG]!><time="15:10:38.099+00" date="02-04-2020" '
        'component="ccmsetup" context="" type="1" thread="3672" file="ccmsetup.cpp:10704">\n'
    )
    (tmp_path / "ccmsetup.log").write_text(text, encoding="utf-8")
    found = sorted(
        finding.rule.id
        for finding in diagnose([str(tmp_path)], RULES).findings
        if finding.rule.id != "unexplained-errors"
    )
    assert found == ["ccmsetup-download-bits-404-missing-file", "ccmsetup-http-dp-propfind-401"]


def test_each_dav_status_gives_only_its_own_rule(tmp_path: Path) -> None:
    line = (
        "<![LOG[Error sending DAV request. HTTP code {code}, status '{text}']LOG]!><time=\"11:02:44.310+240\" "
        'date="06-03-2022" component="DataTransferService" context="" type="3" thread="3304" file="util.cpp:703">\n'
    )
    dirlist = (
        "<![LOG[GetDirectoryList_HTTP('http://dp02.contoso.com:80/SMS_DP_SMSPKG$/PS100044') failed with code "
        '0x87d0027e.]LOG]!><time="11:02:44.311+240" date="06-03-2022" component="DataTransferService" '
        'context="" type="3" thread="3304" file="util.cpp:1306">\n'
    )
    for code, text, rule in (
        ("401", "Unauthorized", "content-dp-dav-401-unauthorized"),
        ("405", "Method Not Allowed", "content-dp-webdav-405"),
        ("407", "Proxy Authentication Required", "content-dp-proxy-407"),
    ):
        folder = tmp_path / code
        folder.mkdir()
        (folder / "DataTransferService.log").write_text(
            line.format(code=code, text=text) + dirlist, encoding="utf-8"
        )
        assert [
            f.rule.id for f in diagnose([str(folder)], RULES).findings if f.rule.id != "unexplained-errors"
        ] == [rule]
