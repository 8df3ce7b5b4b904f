"""The rule families' tables kept as JSON between runs (rules/families/tablecache.py):
the same rules from the cache as from the YAML, a damaged or foreign cache never
changes them, and SMSLOGDOC_CACHE=off keeps nothing."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from smslogdoc.kinds import load_kinds
from smslogdoc.rules.families import _made, tablecache


def _rules(monkeypatch: pytest.MonkeyPatch, where: str) -> list[tuple[str, str, str]]:
    monkeypatch.setenv("SMSLOGDOC_CACHE", where)
    rules, errors = _made(load_kinds(), files("smslogdoc.data"))
    assert not errors
    return [(rule.id, rule.title, repr(rule.events)) for rule in rules]


def test_the_cache_gives_the_rules_the_yaml_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _rules(monkeypatch, "off")
    assert _rules(monkeypatch, str(tmp_path)) == parsed  # parsed, and kept
    kept = sorted(tmp_path.glob("table-*.json"))
    assert len(kept) >= 10
    assert _rules(monkeypatch, str(tmp_path)) == parsed  # recalled
    for place in kept:
        place.write_text('{"damaged": ', encoding="utf-8")
    assert _rules(monkeypatch, str(tmp_path)) == parsed  # a damaged cache is read past


def test_off_keeps_nothing_and_json_unfaithful_data_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSLOGDOC_CACHE", "off")
    tablecache.keep(b"a", ["x"])
    assert tablecache.recall(b"a") == (False, None)
    monkeypatch.setenv("SMSLOGDOC_CACHE", str(tmp_path))
    tablecache.keep(b"b", [{0: "zero"}])  # a number as a key: JSON would make it a string
    assert tablecache.recall(b"b") == (False, None)
    tablecache.keep(b"c", [{"0": "zero"}])
    assert tablecache.recall(b"c") == (True, [{"0": "zero"}])


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    parsed = _rules(monkeypatch, "off")
    assert _rules(monkeypatch, str(blocker / "cache")) == parsed
