"""Golden outputs: what `diagnose` and `fleet` print for the sample logs, stored
under tests/golden/ and compared byte for byte (after `normalise`).

Regenerate them all with one flag, then review the diff like any other change:

    .venv/bin/python -m pytest tests/integration/test_goldens.py --update-goldens
    git diff tests/golden

The commands run in the checkout with relative paths (`sample_logs/...`, as a
user types them), colour off (`--color never`), and a terminal width pinned by
`COLUMNS` (80, and one case at 200), so the outputs do not depend on the
terminal the tests run in.

What varies from one run or machine to another is made constant in ONE place,
`normalise`, below; nothing else touches the outputs. Today the outputs hold
none of these (the replacements are a guard, so that adding one does not make
every golden machine-specific). The `<n>`, `<hex>` and `<time>` inside the
templates of unexplained error records are the program's own output, not
replacements made here.

Not normalised, on purpose: the number of rules loaded (`180 rules`), so adding
a bundled rule shows in the goldens' diff, as its effect on the samples would.
"""

from __future__ import annotations

import difflib
import re

import pytest

import smslogdoc
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"
UPDATE_OPTION = "--update-goldens"
COMMAND = f"python -m pytest tests/integration/test_goldens.py {UPDATE_OPTION}"

_VERSION = re.compile(rf"\b(smslogdoc )v?{re.escape(smslogdoc.__version__)}\b")
_GENERATED = re.compile(
    r"(?i)\b(generated (?:on |at )?)\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?"
)
_TIMING = re.compile(r"\b((?:in|took) )\d+(?:\.\d+)? ?(?:ms|s)\b")


def normalise(text: str) -> str:
    """The output with what differs per run made constant:

    - the checkout's absolute path (as written, and escaped in JSON) -> `<repo>`:
      the commands are given relative paths, but a path the program resolves
      would otherwise name the machine the tests ran on;
    - smslogdoc's version after the program's name (`smslogdoc 0.1.0`) -> `<version>`;
    - the date and time a report says it was generated (`Generated 2024-05-01 10:00`)
      -> `<generated>`, as the HTML report would carry it;
    - timings the program reports about itself (`in 0.42 s`, `took 12 ms`) -> `<time>`.

    The log's own times are never touched: they come from the sample logs."""
    root = str(REPO)
    text = text.replace(root.replace("\\", "\\\\"), "<repo>").replace(root, "<repo>")
    text = _VERSION.sub(r"\1<version>", text)
    text = _GENERATED.sub(r"\1<generated>", text)
    return _TIMING.sub(r"\1<time>", text)


def check(config: pytest.Config, name: str, actual: str) -> None:
    """Compare `actual` (normalised) with the golden file `name`, or write it
    when the run was given --update-goldens."""
    path = GOLDEN / name
    actual = normalise(actual)
    if config.getoption(UPDATE_OPTION):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(
            f"no golden output {path.relative_to(REPO)}: run `{COMMAND}` and review it", pytrace=False
        )
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"{name} (golden)",
            f"{name} (now)",
        )
        shown = "".join(list(diff)[:60])
        pytest.fail(
            f"{name} differs from its golden output (first lines of the diff below).\n"
            f"If the change is intended, run `{COMMAND}` and review `git diff tests/golden`.\n\n{shown}",
            pytrace=False,
        )


def stray(expected: set[str]) -> set[str]:
    """Golden files no case writes: removed when updating, an error otherwise."""
    kept = {path.relative_to(GOLDEN).as_posix() for path in GOLDEN.rglob("*") if path.is_file()}
    return kept - expected
