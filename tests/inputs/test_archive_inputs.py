"""Archives wherever a path is accepted: a zip of the samples diagnoses as the
folder does, a zip met in a folder walk, a gzipped tar, a gzipped log, and
members shared out to worker processes."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from smslogdoc import pipeline
from smslogdoc.diagnose import diagnose
from smslogdoc.inputs.paths import collect
from smslogdoc.report import jsondoc
from smslogdoc.report.document import report_of
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from tests.conftest import SAMPLES, invoke

RULES, _ = load_rules([])
EXEC = SAMPLES / "execmgr-network-access-denied" / "execmgr.log"
ROTATED = SAMPLES / "ccmsetup-service-cannot-access-source-rotated"


def sample_files(root: Path) -> list[Path]:
    """The files of `root` in the folder walk's order."""
    found = []
    for folder, folders, files in os.walk(root):
        folders.sort()
        found.extend(Path(folder) / name for name in sorted(files))
    return found


def as_json(paths: list[str], jobs: int = 1) -> str:
    outcome = diagnose(paths, RULES, jobs=jobs)
    out = io.StringIO()
    jsondoc.write(report_of(outcome), out, Options())
    return out.getvalue()


def test_a_zip_of_the_samples_finds_what_the_folder_finds(tmp_path: Path) -> None:
    archive = tmp_path / "samples.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for file in sample_files(SAMPLES):
            packed.write(file, file.relative_to(SAMPLES).as_posix())
    folder = as_json([str(SAMPLES)]).replace(str(SAMPLES) + "/", "ROOT/").replace(str(SAMPLES), "ROOT")
    zipped = as_json([str(archive)]).replace(str(archive) + "!/", "ROOT/").replace(str(archive), "ROOT")
    assert json.loads(zipped)["findings"]
    assert zipped == folder


def test_rotated_parts_inside_an_archive_are_joined_as_on_disk(tmp_path: Path) -> None:
    archive = tmp_path / "WKS0042.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for file in sorted(ROTATED.iterdir(), reverse=True):  # the current part first: order must not matter
            packed.write(file, f"Windows/ccmsetup/Logs/{file.name}")
    logs = collect([str(archive)], [])
    assert [[part.display for part in log.parts] for log in logs] == [
        [f"{archive}!/Windows/ccmsetup/Logs/ccmsetup.lo_", f"{archive}!/Windows/ccmsetup/Logs/ccmsetup.log"]
    ]
    assert logs[0].folder == f"{archive}!/Windows/ccmsetup/Logs"


def test_a_zip_in_a_folder_is_read_in_the_walk(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("not a log")
    with zipfile.ZipFile(tmp_path / "WKS0042.zip", "w") as packed:
        packed.write(EXEC, "Windows/CCM/Logs/execmgr.log")
    result = invoke(["diagnose", str(tmp_path), "-f", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert [item["path"] for item in document["files"]] == [
        f"{tmp_path}/WKS0042.zip!/Windows/CCM/Logs/execmgr.log"
    ]
    assert (
        document["findings"][0]["evidence"][0]["path"]
        == f"{tmp_path}/WKS0042.zip!/Windows/CCM/Logs/execmgr.log"
    )


def test_a_gzipped_tar_and_a_gzipped_log(tmp_path: Path) -> None:
    with tarfile.open(tmp_path / "WKS0042.tgz", "w:gz") as packed:
        packed.add(EXEC, "Logs/execmgr.log")
    (tmp_path / "execmgr.log.gz").write_bytes(gzip.compress(EXEC.read_bytes()))
    plain = json.loads(as_json([str(EXEC)]))["findings"]
    for path, member in (
        (tmp_path / "WKS0042.tgz", "Logs/execmgr.log"),
        (tmp_path / "execmgr.log.gz", "execmgr.log"),
    ):
        found = json.loads(as_json([str(path)]))["findings"]
        shown = f"{path}!/{member}"
        assert [item["rule"] for item in found] == [item["rule"] for item in plain]
        assert found[0]["evidence"][0]["path"] == shown
        assert found[0]["evidence"][0]["line"] == plain[0]["evidence"][0]["line"]


def test_a_hostile_archive_is_one_problem_line_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with zipfile.ZipFile(tmp_path / "good.zip", "w") as packed:
        packed.write(EXEC, "execmgr.log")
        packed.writestr("../../etc/evil.log", EXEC.read_bytes())
    result = invoke(["diagnose", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}/broken.zip: zip archive truncated at byte " in result.stderr
    assert "unsafe member name '../../etc/evil.log'" in result.stderr
    assert not (tmp_path.parent / "etc").exists()


def test_members_go_to_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_BYTES", 0)
    for name in ("WKS0001", "WKS0002", "WKS0003"):
        with zipfile.ZipFile(tmp_path / f"{name}.zip", "w") as packed:
            for file in sample_files(SAMPLES / "push-no-management-point"):
                packed.write(file, f"Logs/{file.name}")
    assert pipeline.worth_sharing(collect([str(tmp_path)], []), 2)
    one = as_json([str(tmp_path)], 1)
    assert '"rule": "push-no-management-point"' in one
    assert as_json([str(tmp_path)], 2) == one
