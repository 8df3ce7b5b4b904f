"""Golden outputs (tests/goldens.py): `diagnose` on each sample scenario and on
the whole sample_logs folder, in text, short, Markdown, JSON and HTML, and
`fleet` on sample_logs in text, JSON, CSV and HTML, byte for byte.

On a difference: if it is intended, regenerate with
`python -m pytest tests/integration/test_goldens.py --update-goldens` and
review `git diff tests/golden`. The cases of single scenarios are marked slow;
the whole folder (which holds every scenario) and the fleet run in the quick set."""

from __future__ import annotations

import pytest

from tests import goldens
from tests.conftest import SAMPLES, Result, invoke
from tests.rules.test_bundled import EXPECTED

SCENARIOS = sorted(EXPECTED)
"""Every folder of sample_logs/ holding logs (test_bundled checks the list is complete)."""

DIAGNOSE = {"text": "txt", "short": "txt", "markdown": "md", "json": "json", "html": "html"}
FLEET = {"text": "txt", "json": "json", "csv": "csv", "html": "html"}


def run(args: list[str], columns: int = 80) -> Result:
    """A command run in the checkout as from a shell, colour off, `columns` wide."""
    return invoke([*args, "--color", "never"], env={"COLUMNS": str(columns), "NO_COLOR": "1"})


def cases() -> list[object]:
    made: list[object] = []
    for scenario in SCENARIOS:
        for form, extension in DIAGNOSE.items():
            made.append(
                pytest.param(
                    f"sample_logs/{scenario}",
                    form,
                    80,
                    f"diagnose/{scenario}/{form}.{extension}",
                    1 if EXPECTED[scenario] else 0,
                    id=f"{scenario}-{form}",
                    marks=pytest.mark.slow,
                )
            )
    for form, extension in DIAGNOSE.items():
        made.append(
            pytest.param(
                "sample_logs",
                form,
                80,
                f"diagnose/sample_logs/{form}.{extension}",
                1,
                id=f"sample_logs-{form}",
            )
        )
    made.append(
        pytest.param(
            "sample_logs", "text", 200, "diagnose/sample_logs/text-200.txt", 1, id="sample_logs-text-200"
        )
    )
    return made


CASES = cases()
FLEET_NAMES = {f"fleet/sample_logs/{form}.{extension}" for form, extension in FLEET.items()}


@pytest.mark.parametrize(("path", "form", "columns", "name", "exit_code"), CASES)
def test_diagnose_prints_its_golden_output(
    path: str,
    form: str,
    columns: int,
    name: str,
    exit_code: int,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    result = run(["diagnose", path, "--format", form], columns)
    assert (result.exit_code, result.stderr) == (exit_code, "")
    goldens.check(request.config, name, result.stdout)


@pytest.mark.parametrize(("form", "extension"), FLEET.items())
def test_fleet_prints_its_golden_output(
    form: str, extension: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    result = run(["fleet", "sample_logs", "--format", form])
    assert (result.exit_code, result.stderr) == (1, "")
    goldens.check(request.config, f"fleet/sample_logs/{form}.{extension}", result.stdout)


def test_every_golden_file_belongs_to_a_case(request: pytest.FixtureRequest) -> None:
    expected = {str(case.values[3]) for case in CASES} | FLEET_NAMES  # type: ignore[attr-defined]
    extra = goldens.stray(expected)
    if request.config.getoption(goldens.UPDATE_OPTION):
        for name in extra:
            (goldens.GOLDEN / name).unlink()
        return
    assert extra == set(), f"golden files no case writes: remove them (`{goldens.COMMAND}` does)"
