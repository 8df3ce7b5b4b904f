"""Parsed YAML kept as JSON between runs (rules/yamlcache.py): the rule families' tables and the
bundled rule files give the same rules from the cache as from the YAML, a damaged or foreign cache never
changes them, and SMSLOGDOC_CACHE=off keeps nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from smslogdoc.kinds import load_kinds
from smslogdoc.rules import yamlcache
from smslogdoc.rules.families import _made
from smslogdoc.rules.load import load_rules


def _rules(monkeypatch: pytest.MonkeyPatch, where: str) -> list[tuple[str, str, str]]:
    monkeypatch.setenv("SMSLOGDOC_CACHE", where)
    rules, errors = _made(load_kinds(), files("smslogdoc.data"))
    assert not errors
    return [(rule.id, rule.title, repr(rule.events)) for rule in rules]


def _same_through_the_cache(
    read: Callable[[pytest.MonkeyPatch, str], list[Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    at_least: int,
    damage: str,
) -> None:
    """`read` gives the same rules without a cache, parsing and keeping, recalling,
    and reading past a cache whose files are all damaged (`damage`)."""
    parsed = read(monkeypatch, "off")
    assert read(monkeypatch, str(tmp_path)) == parsed  # parsed, and kept
    kept = sorted(tmp_path.glob("table-*.json"))
    assert len(kept) >= at_least
    assert read(monkeypatch, str(tmp_path)) == parsed  # recalled
    for place in kept:
        place.write_text(damage, encoding="utf-8")
    assert read(monkeypatch, str(tmp_path)) == parsed  # a damaged cache is read past


def test_the_cache_gives_the_rules_the_yaml_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_through_the_cache(_rules, tmp_path, monkeypatch, 10, '{"damaged": ')


def test_off_keeps_nothing_and_json_unfaithful_data_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSLOGDOC_CACHE", "off")
    yamlcache.keep(b"a", ["x"])
    assert yamlcache.recall(b"a") == (False, None)
    monkeypatch.setenv("SMSLOGDOC_CACHE", str(tmp_path))
    yamlcache.keep(b"b", [{0: "zero"}])  # a number as a key: JSON would make it a string
    assert yamlcache.recall(b"b") == (False, None)
    yamlcache.keep(b"c", [{"0": "zero"}])
    assert yamlcache.recall(b"c") == (True, [{"0": "zero"}])


def test_an_unwritable_cache_folder_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    parsed = _rules(monkeypatch, "off")
    assert _rules(monkeypatch, str(blocker / "cache")) == parsed


def _bundled(monkeypatch: pytest.MonkeyPatch, where: str) -> list[str]:
    monkeypatch.setenv("SMSLOGDOC_CACHE", where)
    rules, errors = load_rules([], check_builtin=False)
    assert not errors
    return [repr(rule) for rule in rules if not rule.family]


def test_the_bundled_rules_read_from_the_cache_are_the_rules_read_from_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_through_the_cache(
        _bundled, tmp_path, monkeypatch, 500, "[1, 2"
    )  # one file a rule file, and the tables


def test_the_folder_is_pruned_to_half_its_limit_when_it_grows_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edited or upgraded rule file leaves its old copy: past LIMIT files the
    oldest go, so the folder never grows without bound."""
    monkeypatch.setenv("SMSLOGDOC_CACHE", str(tmp_path))
    monkeypatch.setattr(yamlcache, "LIMIT", 10)
    (tmp_path / "unrelated.txt").write_text("not ours", encoding="utf-8")
    for number in range(10):
        yamlcache.keep(str(number).encode(), [number])
    for age, place in enumerate(sorted(tmp_path.glob("table-*.json"))):
        os.utime(place, (1_000_000 + age, 1_000_000 + age))  # long ago, in a known order
    yamlcache.keep(b"10", [10])  # the eleventh: past the limit
    kept = sorted(tmp_path.glob("table-*.json"))
    assert len(kept) == 5
    assert yamlcache.recall(b"10") == (True, [10])  # the newest stays
    assert (tmp_path / "unrelated.txt").exists()
