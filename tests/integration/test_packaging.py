"""The bundled rules/ folder is found in every kind of install: a wheel built
from the checkout, a wheel built from the sdist, and an editable install (the
rest of the suite runs in one; see tests/rules/test_loading.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

CHECK = """
from importlib.resources import files
import smslogdoc
from pathlib import Path
names = sorted(p.name for p in files("smslogdoc.bundled_rules").iterdir() if p.name.endswith(".yaml"))
print("\\n".join(names))
root = Path(smslogdoc.__file__).parent
packages = sorted(str(p.parent.relative_to(root.parent)) for p in root.rglob("__init__.py"))
print("packages:" + ",".join(packages))
workflows = sorted(p.name for p in files("smslogdoc.bundled_workflows").iterdir() if p.name.endswith(".yaml"))
print("workflows:" + ",".join(workflows))
contexts = sorted(p.name for p in files("smslogdoc.data").joinpath("contexts").iterdir())
print("contexts:" + ",".join(contexts))
assert "site-packages" in smslogdoc.__file__, smslogdoc.__file__
"""


def build(source: Path, out: Path, *what: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", *what, "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )


def installed_rules(wheel: Path, home: Path) -> list[str]:
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    found = subprocess.run([str(python), "-c", CHECK], check=True, capture_output=True, text=True, cwd=home)
    lines = found.stdout.split()
    for line in lines:  # every package of the checkout, the workflows and the code contexts installed too
        for label, expected in _SHIPPED.items():
            if line.startswith(label + ":"):
                assert set(expected) <= set(line.removeprefix(label + ":").split(",")), label
    assert {line.split(":")[0] for line in lines if ":" in line} == set(_SHIPPED)
    return [line for line in lines if ":" not in line]


def _packages() -> list[str]:
    root = REPO / "smslogdoc"
    return sorted(str(p.parent.relative_to(REPO)).replace("\\", "/") for p in root.rglob("__init__.py"))


_SHIPPED = {
    "packages": _packages(),
    "workflows": sorted(p.name for p in (REPO / "workflows").glob("*.yaml")),
    "contexts": sorted(p.name for p in (REPO / "smslogdoc" / "data" / "contexts").iterdir()),
}


def test_wheel_and_sdist_wheel_carry_the_rules(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    expected = sorted(path.name for path in (REPO / "rules").glob("*.yaml"))
    assert expected

    build(source, tmp_path / "dist", "--sdist", "--wheel")
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert installed_rules(wheel, tmp_path / "env-wheel") == expected

    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    build(unpacked, tmp_path / "dist2", "--wheel")
    (wheel_from_sdist,) = (tmp_path / "dist2").glob("*.whl")
    assert installed_rules(wheel_from_sdist, tmp_path / "env-sdist") == expected


def test_the_command_line_starts_without_loading_the_library() -> None:
    """`smslogdoc --version` and argument errors answer quickly: importing the
    command line loads neither the rule language (regex, YAML) nor the engine."""
    import subprocess
    import sys

    script = "import sys, smslogdoc.cli; print(sorted(m for m in ('regex', 'yaml', 'smslogdoc.engine.loop', 'smslogdoc.rules.model') if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
