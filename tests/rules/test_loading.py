"""Rule loading: every error reported, at once, with file, rule, key and line;
untrusted YAML refused safely; durations, templates and literals."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smslogdoc.literals import required_literals
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.schema import parse_rule
from smslogdoc.rules.templates import parse_duration, render

GOOD = """\
id: good
title: a rule
severity: error
events:
  a: {message: 'alpha (?P<x>\\d+)'}
condition: a
diagnosis: saw {x}
fix: [do it]
"""


def errors_of(text: str, name: str = "r.yaml") -> list[str]:
    rule, errors = parse_rule(textwrap.dedent(text), name)
    assert (rule is None) == bool(errors)
    return [str(error) for error in errors]


def test_a_good_rule_loads() -> None:
    assert errors_of(GOOD, "good.yaml") == []


def test_every_error_of_a_file_is_reported_with_key_and_line() -> None:
    text = """\
    id: broken
    title: broken rule
    severity: fatal
    colour: red
    events:
      a: {message: 'unclosed (group'}
      b: {mesage: 'typo'}
    condition:
      sequence: [a, c]
      within: 5 minutes
    diagnosis: '{nothing}'
    fix: [x]
    """
    others = [
        "severity: expected one of info, warning, error, got 'fatal'",
        "events.a.message: bad regular expression: missing ) at position 15",
        "events.b.mesage: unknown key; expected one of message, not_message, component, severity, thread, log, section, key, value, code, case_sensitive; did you mean 'message'?",
        "condition.sequence.1: undefined event 'c'; events defined: a, b",
        "condition.within: expected a duration like 30s, 10m, 2h or 1d, got '5 minutes'",
    ]  # no placeholder error: with a broken event, what the events capture is unknown
    assert errors_of(text, "broken.yaml") == [  # an unknown key hides none of the others
        "broken.yaml:4: rule broken: colour: unknown key; expected one of id, title, severity, confidence, applies_to, products, events, condition, diagnosis, cause, fix, references, next_logs, examples, fallback",
        *(
            f"broken.yaml:{line}: rule broken: {error}"
            for line, error in zip((3, 6, 7, 9, 10), others, strict=True)
        ),
    ]
    del_unknown = text.replace("colour: red\n    ", "")
    assert errors_of(del_unknown, "broken.yaml") == [
        f"broken.yaml:{line}: rule broken: {error}"
        for line, error in zip((3, 5, 6, 8, 9), others, strict=True)
    ]


def test_placeholders_must_be_captured() -> None:
    assert errors_of(GOOD.replace("saw {x}", "saw {y}"), "good.yaml") == [
        "good.yaml:7: rule good: diagnosis: unknown placeholder {y}; available: log, occurrences, run, x"
    ]


def test_placeholders_must_be_filled_whichever_condition_holds() -> None:
    text = GOOD.replace(
        "  a: {message: 'alpha (?P<x>\\d+)'}", "  a: {message: 'alpha (?P<x>\\d+)'}\n  b: {message: 'beta'}"
    )
    text = text.replace("condition: a", "condition: [a, b]")
    assert errors_of(text, "good.yaml") == [
        "good.yaml:8: rule good: diagnosis: placeholder {x} may stay empty: no event condition 2 needs captures it"
    ]


def test_missing_keys_and_wrong_id() -> None:
    assert errors_of("id: other\ntitle: t\n", "named.yaml") == [
        "named.yaml:1: rule other: missing required key 'severity' (error, warning or info)",
        "named.yaml:1: rule other: missing required key 'events' (named single-event matchers)",
        "named.yaml:1: rule other: missing required key 'condition' (how the named events must relate)",
        "named.yaml:1: rule other: missing required key 'diagnosis' (what went wrong (template))",
        "named.yaml:1: rule other: missing required key 'fix' (what to do, as a list of steps (templates))",
        "named.yaml:1: rule other: id: must equal the file name ('named')",
    ]
    assert errors_of(GOOD, "renamed.yaml") == [
        "renamed.yaml:1: rule good: id: must equal the file name ('renamed')"
    ]
    reserved = GOOD.replace("id: good", "id: unexplained-errors")
    assert errors_of(reserved, "unexplained-errors.yaml") == [
        "unexplained-errors.yaml:1: rule unexplained-errors: id: 'unexplained-errors' is the built-in summary of error records no rule explains; choose another id"
    ]


def test_unquoted_colon_in_a_fix_step_gets_a_hint() -> None:
    text = GOOD.replace("fix: [do it]", "fix:\n  - Point /source: at a share")
    assert errors_of(text, "good.yaml") == [
        "good.yaml:9: rule good: fix.0: expected text (quote a step that contains ': ', or YAML reads it as a mapping)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id: x\ntitle: [unclosed\n",
            "x.yaml:3: invalid YAML: ",
        ),  # the rest is PyYAML's (or libyaml's) wording
        (
            "!!python/object/apply:os.system ['echo hi']\n",
            "x.yaml:1: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        ("id: x\nid: y\n", "x.yaml:2: duplicate key 'id'"),
    ],
    ids=["syntax", "python-tag", "duplicate-key"],
)
def test_unsafe_or_broken_yaml_is_refused(text: str, message: str) -> None:
    (error,) = errors_of(text, "x.yaml")
    assert error.startswith(message) and (message.endswith(": ") or error == message)


def test_alias_bombs_are_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 8):
        bomb += (
            f"{chr(97 + level)}: &{chr(97 + level)} ["
            + ", ".join(f"*{chr(96 + level)}" for _ in range(10))
            + "]\n"
        )
    (message,) = errors_of(bomb, "bomb.yaml")
    assert "expands to more than 100,000 nodes (alias bomb?)" in message


def test_duplicate_ids_and_all_files_reported(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD)
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "good.yaml").write_text(GOOD)
    (sub / "bad.yaml").write_text(
        GOOD.replace("id: good", "id: bad").replace("condition: a", "condition: nope")
    )
    rules, errors = load_rules([tmp_path], builtin=False)
    assert [rule.id for rule in rules] == ["good"]
    assert sorted(str(e) for e in errors) == sorted(
        [
            f"{sub / 'bad.yaml'}:6: rule bad: condition: undefined event 'nope'; events defined: a",
            f"{sub / 'good.yaml'}: rule good: id: duplicate rule id (also in {tmp_path / 'good.yaml'}); rename one, or use --no-builtin to replace the bundled rules",
        ]
    )


def test_grouping_by_a_field_every_event_must_capture() -> None:
    text = GOOD + "".replace("", "")
    text = text.replace(
        "events:\n  a: {message: 'alpha (?P<x>\\d+)'}",
        "events:\n  a: {message: 'alpha (?P<x>\\d+)'}\n  b: {message: 'beta'}",
    )
    text = text.replace("condition: a", "condition: {all: [a, b], by: x}")
    assert errors_of(text, "good.yaml") == [
        "good.yaml:7: rule good: condition.by: 'x' is not run, thread, log or folder, and event(s) b capture no field of that name"
    ]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("10m", 600), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("1.5m", 90)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["5 minutes", "10", "", "m", 10])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(text)


def test_templates_are_substituted_never_evaluated() -> None:
    assert (
        render("share {share} in {run}", {"share": "\\\\fs01\\x$", "run": "run 2"})
        == "share \\\\fs01\\x$ in run 2"
    )
    assert (
        render("{share.__class__} {{literal}} {missing}", {"share": "x"})
        == "{share.__class__} {literal} {missing}"
    )


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"Failed to access source file \((?P<source>[^)]*)\)", ("failed to access source file (",)),
        (r"exit code 5\b|0x80070005|access is denied", ("0x80070005", "access is denied", "exit code 5")),
        (r"(?:Error|error code) (0x[0-9a-f]+)", ("error ", "error code ")),
        (r"command line:.*[/-](?:mp|source):\S", ("mp:", "source:")),
        (r"MSI: Action \d{1,2}:\d{2}:\d{2}: Rollback\.", (": rollback.",)),
        (
            r"CcmSetup is exiting with return code 10\b|CcmSetup failed with error code",
            ("ccmsetup failed with error code", "ccmsetup is exiting with return code 10"),
        ),
        (r"a.b", ()),
        (r"(ab|c)d", ()),
        (r"\d+", ()),
    ],
)
def test_literal_prefilter_extraction(pattern: str, literals: tuple[str, ...]) -> None:
    assert required_literals(pattern) == literals


def test_bundled_rules_are_found_where_the_package_is_installed() -> None:
    """In this checkout (an editable install) the bundled rules are the repository's rules/."""
    from smslogdoc.rules.load import bundled_rules_dir
    from tests.conftest import REPO

    names = sorted(entry.name for entry in bundled_rules_dir().iterdir() if entry.name.endswith(".yaml"))
    assert names == sorted(path.name for path in (REPO / "rules").glob("*.yaml"))


def test_a_pattern_remembers_what_it_found_per_text_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import smslogdoc.rules.model as rules_module
    from smslogdoc.rules.model import Pattern

    monkeypatch.setattr(rules_module, "SEEN_TEXTS", 2)
    pattern = Pattern(r"exit code (?P<code>\d+)(?: after (?P<retries>\d+) retries)?", 0)
    assert pattern.captures("exit code 7") == {"code": "7"}  # groups that took no part are left out
    assert pattern.captures("exit code 7") == {"code": "7"}
    assert pattern.captures("nothing") is None
    assert len(pattern._seen) == 2
    assert pattern.captures("exit code 8 after 3 retries") == {"code": "8", "retries": "3"}
    assert len(pattern._seen) == 1  # the memory was emptied when full, then took the new text


def test_the_prefilter_gives_the_same_candidates_for_a_text_seen_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import smslogdoc.prefilter as prefilter_module
    from smslogdoc.prefilter import Prefilter

    monkeypatch.setattr(prefilter_module, "SEEN_TEXTS", 2)
    prefilter = Prefilter([("source", ("source:",)), ("mp", ("mp:", "mps:")), ("any", ())])
    texts = ["Ccmsetup command line: /source:\\\\fs01\\c$ /mp:cm01", "MPs:", "nothing here", "SOURCE: x"]
    first = [prefilter.candidates(text) for text in texts]
    assert first == [["source", "mp", "any"], ["mp", "any"], ["any"], ["source", "any"]]
    assert [prefilter.candidates(text) for text in reversed(texts)] == list(reversed(first))
    assert len(prefilter._seen) <= 2
    assert [prefilter.find(text) for text in texts] == first  # afresh, the same


def test_a_memo_remembers_results_up_to_its_size_and_not_what_raised() -> None:
    from smslogdoc.memo import Memo

    calls: list[str] = []

    def length(text: str) -> int:
        calls.append(text)
        if not text:
            raise ValueError("empty")
        return len(text)

    memo: Memo[str, int] = Memo(2)
    assert [memo.get(text, length) for text in ("ab", "ab", "abc")] == [2, 2, 3]
    assert calls == ["ab", "abc"] and len(memo) == 2
    with pytest.raises(ValueError):
        memo.get("", length)
    assert len(memo) == 2  # nothing was remembered for it
    assert memo.get("abcd", length) == 4 and len(memo) == 1  # full: emptied, then the new result
