"""The JSON writer writes lists an item at a time, byte for byte as `json.dumps`
would write them whole (docs/json.md is a contract; bench/snapshot.py compares bytes)."""

from __future__ import annotations

import io
import json

import pytest

from smslogdoc.report.jsondoc import compact, indented, write_lines_of


@pytest.mark.parametrize(
    "items",
    [[], [1], ["é", None, {"a": [1, 2], "b": {"c": "x\ny"}}], [{"phases": [{"phase": "exit"}] * 3}] * 2],
)
def test_a_list_written_an_item_at_a_time_is_what_json_dumps_writes(items: list[object]) -> None:
    out = io.StringIO()
    compact(items, out)
    assert out.getvalue() == json.dumps(items, ensure_ascii=False)
    # and the two other list writers still give JSON that reads back the same
    for write in (indented, write_lines_of):
        text = io.StringIO()
        write(items, text)
        assert json.loads(text.getvalue()) == items
