"""Compiled rule patterns kept between processes (rules/regexcache.py): a pattern
built from the cache is the pattern `regex.compile` makes (the same pickled data,
the same matches), a damaged or foreign file is passed by, and
SMSLOGDOC_CACHE=off keeps nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from smslogdoc.rules import regexcache
from smslogdoc.rules.load import load_rules

SAMPLES = [
    (r"Unmatched exit code \((?P<code>2147500037|-2147467259)\) is considered an execution failure", 0),
    (r"(?i)\bfailed with error code (?P<code>0x[0-9a-f]{8})\b", 0),
    (r"CcmSetup (?:is exiting|failed) with (?:return|error) code (?P<exit>\d+)", regex.IGNORECASE),
    (r"^(?P<a>\w+)(?:\s+(?P=a))+$", regex.V1),
]
TEXTS = [
    "Unmatched exit code (2147500037) is considered an execution failure.",
    "Install FAILED with error code 0x80070643 here",
    "ccmsetup is exiting with return code 7",
    "word word word",
    "nothing of the kind",
]


def _behaviour(pattern: regex.Pattern[str]) -> list[object]:
    found = [pattern.search(text) for text in TEXTS]
    return [
        pattern.pattern,
        pattern.flags,
        pattern.groupindex,
        [None if match is None else (match.span(), match.groupdict()) for match in found],
    ]


def test_a_kept_pattern_is_the_pattern_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMSLOGDOC_CACHE", str(tmp_path))
    for source, flags in SAMPLES:
        fresh = regex.compile(source, flags, cache_pattern=False)
        first = regexcache.compiled(source, flags)  # compiled, and kept
        second = regexcache.compiled(source, flags)  # from the file
        assert second is not first
        assert _behaviour(first) == _behaviour(second) == _behaviour(fresh)
        assert second._pickled_data == fresh._pickled_data
    assert len(list(tmp_path.glob("regex-*.json"))) == len(SAMPLES)


def test_damaged_or_foreign_files_are_passed_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMSLOGDOC_CACHE", str(tmp_path))
    (one, one_flags), (other, other_flags) = SAMPLES[:2]
    regexcache.compiled(one, one_flags)
    (kept,) = tmp_path.glob("regex-*.json")
    place = regexcache._place(other, other_flags)
    assert place is not None
    place.write_bytes(kept.read_bytes())  # another pattern's data under this one's name
    assert _behaviour(regexcache.compiled(other, other_flags)) == _behaviour(
        regex.compile(other, other_flags)
    )
    for damage in (b"", b"{", b'["x"]', kept.read_bytes()[:40], b"[1, 2, 3, 4, 5, 6, 7, 8, 9]"):
        kept.write_bytes(damage)
        assert _behaviour(regexcache.compiled(one, one_flags)) == _behaviour(regex.compile(one, one_flags))


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMSLOGDOC_CACHE", "off")
    source, flags = SAMPLES[0]
    assert _behaviour(regexcache.compiled(source, flags)) == _behaviour(regex.compile(source, flags))
    assert not list(tmp_path.iterdir())


def test_every_bundled_pattern_comes_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each bundled rule's patterns, kept and built again, carry the same compiled data."""
    rules, _ = load_rules([], builtin=True, check_builtin=False)
    patterns = {
        (pattern.source, pattern.flags)
        for rule in rules
        for matcher in rule.events.values()
        for pattern in (matcher.message, matcher.not_message)
        if pattern is not None
    }
    assert len(patterns) > 1000
    monkeypatch.setenv("SMSLOGDOC_CACHE", str(tmp_path))
    for source, flags in sorted(patterns)[::7]:
        fresh = regex.compile(source, flags, cache_pattern=False)
        regexcache.compiled(source, flags)
        assert regexcache.compiled(source, flags)._pickled_data == fresh._pickled_data, source
