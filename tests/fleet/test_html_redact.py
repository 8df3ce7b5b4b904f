"""`fleet --format html` (one self-contained file from the fleet's results) and
`fleet --redact` (names replaced in every format, the report saying what was)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, invoke


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fleet")
    shutil.copytree(SAMPLES / "execmgr-network-access-denied", folder / "WKS0042")
    shutil.copytree(SAMPLES / "execmgr-network-access-denied", folder / "<img src=x onerror=alert(1)>")
    shutil.copytree(SAMPLES / "ccmsetup-healthy", folder / "WKS0043")
    return folder


def test_html_is_one_self_contained_file_with_the_causes_and_machines(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "fleet.html"
    result = invoke(["fleet", str(root), "-f", "html", "-o", str(out)])
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "execmgr-network-access-denied" in page and "WKS0042" in page and "WKS0043" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<svg" in page
    assert (
        "http://" not in page.split("<body", 1)[0] and "https://" not in page.split("<body", 1)[0]
    )  # nothing loaded


def test_redact_replaces_machine_and_server_names_in_every_format(root: Path, tmp_path: Path) -> None:
    document = json.loads(invoke(["fleet", str(root), "-f", "json", "--redact"]).stdout)
    assert document["redaction"] == {
        "host": 5,
        "user": 0,
        "domain": 0,
        "ip": 0,
        "email": 0,
        "sid": 0,
        "mac": 0,
        "serial": 0,
    }
    names = [machine["name"] for machine in document["machines"]]
    assert names == ["<img src=x onerror=alert(1)>", "HOST-2", "HOST-3"]  # not a host name: kept, and inert
    for fmt in ("json", "text", "csv", "html"):
        out = tmp_path / f"fleet.{fmt}"
        result = invoke(["fleet", str(root), "-f", fmt, "--redact", "-o", str(out)])
        assert result.exit_code == 1, result.output
        text = out.read_text(encoding="utf-8")
        for name in ("WKS0042", "WKS0043", "fs01"):
            assert name not in text, (fmt, name)
        assert ("Apps$" in text) is (fmt != "csv")  # share names stay (CSV shows no log text)
    assert "Redacted" in (tmp_path / "fleet.text").read_text(encoding="utf-8")


def test_diagnose_writes_html_too() -> None:
    result = invoke(["diagnose", str(SAMPLES / "execmgr-network-access-denied"), "-f", "html"])
    assert result.exit_code == 1, result.output
    assert result.stdout.lstrip().lower().startswith("<!doctype html")
    assert "execmgr-network-access-denied" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "markdown", "html"])
def test_diagnose_redact_in_every_format(fmt: str, tmp_path: Path) -> None:
    machine = tmp_path / "logs"
    shutil.copytree(SAMPLES / "execmgr-network-access-denied", machine)
    (machine / r"\\fs01\x.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # a problem line naming the server
    result = invoke(["diagnose", str(machine), "-f", fmt, "--redact"])
    assert result.exit_code == 1, result.output
    assert "fs01" not in result.output  # in the findings and in the problem line on stderr
    assert "Apps$" in result.stdout  # share names stay
    if fmt in ("text", "markdown"):
        assert "Redacted" in result.stdout
    if fmt == "json":
        redaction = json.loads(result.stdout)["redaction"]
        assert redaction == {
            "host": 2,
            "user": 0,
            "domain": 0,
            "ip": 0,
            "email": 0,
            "sid": 0,
            "mac": 0,
            "serial": 0,
        }


def test_html_names_the_fleets_inputs_and_redacts_them(tmp_path: Path) -> None:
    """The page says which roots it was made from (as `diagnose`'s does); under
    `--redact` a machine name in a root's path is replaced there as well."""
    fleet = tmp_path / "WKS0099"
    shutil.copytree(SAMPLES / "execmgr-network-access-denied", fleet / "WKS0099")
    plain = invoke(["fleet", str(fleet), "-f", "html"]).stdout
    stamp = plain.split('id="generated">', 1)[1].split("</p>", 1)[0]
    assert f'input: <span class="mono">{fleet}</span>' in stamp
    redacted = invoke(["fleet", str(fleet), "-f", "html", "--redact"]).stdout
    stamp = redacted.split('id="generated">', 1)[1].split("</p>", 1)[0]
    assert "input: " in stamp and "WKS0099" not in redacted
