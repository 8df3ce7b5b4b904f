"""The YAML data the rules rest on has no duplicate key: PyYAML keeps the last
of two equal keys silently, so a kind (or a family) merged twice would lose
one definition without a word. The rules' own loader refuses duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from smslogdoc.rules import yamlnodes

DATA = Path(__file__).resolve().parents[2] / "smslogdoc" / "data"


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.glob("*.yaml")))
def test_a_data_file_has_no_duplicate_key(name: str) -> None:
    yamlnodes.load((DATA / name).read_text(encoding="utf-8"))  # raises YamlError on a duplicate key
