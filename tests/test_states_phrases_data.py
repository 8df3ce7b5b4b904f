"""Schema and grounding of smslogdoc/data/states.yaml and phrases.yaml (issue 19, item 2).

The two files are data the engine reads: the status values ConfigMgr logs write,
and the wording of failure by workflow. These tests check that both load, that
every regex compiles, that every entry cites sources and real lines its regexes
match, that the names they use (log kinds, families, outcomes) exist, and, where
the real logs are present, that the cited lines are verbatim and that healthy
logs stay free of failure phrases.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REAL_LOGS as REAL

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "smslogdoc" / "data"

STATE_OUTCOMES = {"succeeded", "failed", "warning", "waiting", "in_progress", "not_applicable", "info"}
PHRASE_OUTCOMES = {"failed", "waiting", "warning"}
KEYS = {"value", "name", "topic/value"}
RECORD = re.compile(r'<!\[LOG\[(.*?)\]LOG\]!><time="[^"]*" date="[^"]*" component="[^"]*"', re.S)

# Real logs of runs that went well (full files or excerpts): no phrase that says
# "failed" may apply to any of their records.
HEALTHY = [
    "brackdk04-hello-world__smsts.log",
    "findingsanity-Logs__UpdatesDeployment.log",
    "findingsanity-Logs__UpdatesHandler.log",
    "findingsanity-Logs__UpdatesStore.log",
    "findingsanity-Logs__WUAHandler.log",
    "plaso__sccm_various.log",
    "excerpts/LogSlothParser-README__execmgr.log.excerpt",
]

# How a `source` names a file of the real-log corpus.
SOURCE_FILES = {
    "ErnestoLeon87/log_reader smsts.log": "ErnestoLeon87-log_reader__smsts.log",
    "brackdk04/hello-world smsts.log": "brackdk04-hello-world__smsts.log",
    "findingsanity/Logs UpdatesDeployment.log": "findingsanity-Logs__UpdatesDeployment.log",
    "findingsanity/Logs UpdatesStore.log": "findingsanity-Logs__UpdatesStore.log",
    "maxmoonACR/MDTLOGFiles smsts.log": "maxmoonACR-MDTLOGFiles__smsts.log",
    "maxmoonACR/MDTLOGFiles BDD.log": "maxmoonACR-MDTLOGFiles__BDD.log",
    "log2timeline/plaso test_data/sccm_various.log": "plaso__sccm_various.log",
}


def _load(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


STATES: list[dict[str, Any]] = [
    entry
    for name in ["states.yaml", *sorted(p.name for p in DATA.glob("states-*.yaml"))]
    for entry in _load(name)
]
"""The vocabularies of states.yaml and of the states-<name>.yaml files beside it."""
PHRASES: dict[str, Any] = _load("phrases.yaml")
KINDS: dict[str, Any] = _load("kinds.yaml")
FAMILY_NAMES = set(PHRASES["workflows"])
FAMILIES: dict[str, str] = PHRASES["families"]


def _ids(entries: list[dict[str, Any]], key: str) -> list[str]:
    return [str(entry[key]) for entry in entries]


def _real_files(source: str) -> list[Path]:
    """The real-log files a source names (empty when it names none or they are absent)."""
    names = [file for prefix, file in SOURCE_FILES.items() if prefix in source]
    names += re.findall(r"/work/shared/real-logs/(excerpts/[^\s)]+)", source)
    for number in re.findall(r"\bKB (Q\d{6})\b", source):
        names += [str(p.relative_to(REAL)) for p in (REAL / "excerpts").glob(f"kbarchive-{number}__*")]
    return [REAL / name for name in names if (REAL / name).is_file()]


def _messages(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    found = RECORD.findall(text)
    return [m.strip() for m in found] if found else text.splitlines()


def _resolve(entry: dict[str, Any], match: re.Match[str]) -> str | None:
    """The `values` key a regex match of a vocabulary names, or None."""
    groups = match.groupdict()
    values: dict[str, Any] = entry["values"]
    if entry["key"] == "topic/value" and groups.get("topic") and groups.get("value"):
        key = f"{groups['topic']}/{groups['value']}"
        return key if key in values else None
    if entry["key"] == "value" and groups.get("value"):
        return groups["value"] if groups["value"] in values else None
    name = groups.get("name")
    if name is None:
        return None
    if name in values:
        return name
    for key, value in values.items():
        if name == value.get("name") or name in value.get("aliases", []):
            return str(key)
    return None


# ---- states.yaml ---------------------------------------------------------------


def test_states_vocabularies_are_unique_and_complete() -> None:
    names = _ids(STATES, "vocabulary")
    assert len(names) == len(set(names))
    for entry in STATES:
        required = {"vocabulary", "title", "written_as", "key", "logs", "values", "sources", "seen"}
        missing = required - set(entry)
        assert not missing, (entry.get("vocabulary"), missing)
        assert entry["key"] in KEYS, entry["vocabulary"]
        assert entry["sources"] and entry["seen"] and entry["values"], entry["vocabulary"]


@pytest.mark.parametrize("entry", STATES, ids=_ids(STATES, "vocabulary"))
def test_states_regexes_compile_and_capture_the_key(entry: dict[str, Any]) -> None:
    for pattern in entry["written_as"]:
        groups = set(re.compile(pattern).groupindex)
        assert groups & {"value", "name"}, (entry["vocabulary"], pattern)
        if entry["key"] == "topic/value":
            assert {"topic", "value"} <= groups, pattern


@pytest.mark.parametrize("entry", STATES, ids=_ids(STATES, "vocabulary"))
def test_states_values_have_meaning_and_allowed_outcome(entry: dict[str, Any]) -> None:
    for key, value in entry["values"].items():
        assert isinstance(key, str), (entry["vocabulary"], key)
        assert value.get("meaning"), (entry["vocabulary"], key)
        assert value.get("outcome") in STATE_OUTCOMES, (entry["vocabulary"], key, value.get("outcome"))
        assert set(value) <= {"name", "meaning", "outcome", "aliases", "inferred", "source", "causes"}, (
            entry["vocabulary"],
            key,
        )
        if "causes" in value:
            _assert_causes(value["causes"], (entry["vocabulary"], key))
            assert value["outcome"] in {"failed", "warning"}, (entry["vocabulary"], key)
    severity = entry.get("severity")
    if severity:
        assert severity["group"] in set().union(*(re.compile(p).groupindex for p in entry["written_as"]))
        assert {v for k, v in severity.items() if k != "group"} <= STATE_OUTCOMES | {"warning"}


@pytest.mark.parametrize("entry", STATES, ids=_ids(STATES, "vocabulary"))
def test_states_seen_lines_match_and_resolve_to_a_value(entry: dict[str, Any]) -> None:
    regexes = [re.compile(p) for p in entry["written_as"]]
    for seen in entry["seen"]:
        assert seen["line"] and seen["source"]
        matches = [m for m in (r.search(seen["line"]) for r in regexes) if m]
        assert matches, (entry["vocabulary"], seen["line"])
        assert any(_resolve(entry, m) for m in matches), (entry["vocabulary"], seen["line"])


@pytest.mark.parametrize("entry", STATES, ids=_ids(STATES, "vocabulary"))
def test_states_logs_are_known_kinds_or_family_globs(entry: dict[str, Any]) -> None:
    for log in entry["logs"]:
        assert log in KINDS or log in FAMILIES or log in {"*.log", "*.txt"}, (entry["vocabulary"], log)


# ---- phrases.yaml --------------------------------------------------------------


def test_phrases_sections_and_ids() -> None:
    assert set(PHRASES) == {"workflows", "families", "benign", "kinds_begin", "phrases"}
    ids = _ids(PHRASES["phrases"], "id")
    assert PHRASES["kinds_begin"] in ids  # the own wordings come first, then the kinds of failure
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)
    for family, spec in PHRASES["workflows"].items():
        assert spec["title"] and spec["next_logs"], family


LAST_RESORT = ["error-said"]
"""Wordings after "failed" that name no step of any workflow: an error record that
says only "error" (its log's family's next logs, and the general check)."""


@pytest.mark.parametrize("phrase", PHRASES["phrases"], ids=_ids(PHRASES["phrases"], "id"))
def test_phrase_fields_and_workflows(phrase: dict[str, Any]) -> None:
    assert phrase["outcome"] in PHRASE_OUTCOMES, phrase["id"]
    assert phrase["says"] and phrase["sources"] and phrase["seen"], phrase["id"]
    re.compile(phrase["pattern"], re.I)
    for unless in phrase.get("unless", []):
        re.compile(unless["pattern"], re.I)
        assert unless["source"], phrase["id"]
    assert phrase.get("workflows") or phrase["id"] in LAST_RESORT, phrase["id"]
    for family, spec in phrase.get("workflows", {}).items():
        assert family in FAMILY_NAMES, (phrase["id"], family)
        assert spec["what"] and spec["next_log"], (phrase["id"], family)
        assert isinstance(spec["check"], list) and spec["check"], (phrase["id"], family)
        assert set(spec) <= {"what", "check", "next_log", "causes"}, (phrase["id"], family)
        if "causes" in spec:
            _assert_causes(spec["causes"], (phrase["id"], family))


def _assert_causes(causes: Any, where: tuple[str, str]) -> None:
    """An entry's optional `causes`: a list of short texts, each a concrete thing
    to check, none repeated; the finding says them in one sentence, so no cause
    carries a `{placeholder}` or a semicolon of its own."""
    assert isinstance(causes, list) and causes, where
    assert all(isinstance(cause, str) and cause.strip() for cause in causes), where
    assert len(set(causes)) == len(causes), where
    for cause in causes:
        assert len(cause) <= 160 and not any(char in cause for char in "{};"), (where, cause)
        assert whole_cause(cause), (where, "a cause cut at a comma (quote a flow list's item)", cause)


def whole_cause(cause: str) -> bool:
    """Whether a cause is one whole text, not half of one that a YAML flow list
    (`causes: [a, or b]`) cut at its comma: it does not begin with a joining
    word and its parentheses close."""
    return not re.match(r"(?:or|and|but|nor)\b", cause.strip()) and cause.count("(") == cause.count(")")


def test_benign_contexts_compile_and_cite_a_source() -> None:
    for benign in PHRASES["benign"]:
        re.compile(benign["pattern"], re.I)
        assert benign["source"]


def _benign(message: str) -> bool:
    return any(re.search(b["pattern"], message, re.I) for b in PHRASES["benign"])


def _first_phrase(message: str) -> dict[str, Any] | None:
    """The phrase that names the failure of a message: the first in file order that applies."""
    if _benign(message):
        return None
    phrase: dict[str, Any]
    for phrase in PHRASES["phrases"]:
        if re.search(phrase["pattern"], message, re.I) and not any(
            re.search(u["pattern"], message, re.I) for u in phrase.get("unless", [])
        ):
            return phrase
    return None


@pytest.mark.parametrize("phrase", PHRASES["phrases"], ids=_ids(PHRASES["phrases"], "id"))
def test_phrase_seen_lines_match_and_are_not_benign(phrase: dict[str, Any]) -> None:
    for seen in phrase["seen"]:
        line = seen["line"]
        assert seen["source"]
        assert re.search(phrase["pattern"], line, re.I), (phrase["id"], line)
        assert not any(re.search(u["pattern"], line, re.I) for u in phrase.get("unless", [])), line
        assert not _benign(line), (phrase["id"], line)
        assert _first_phrase(line) is not None


def test_families_map_known_families_and_cover_every_log() -> None:
    assert set(FAMILIES.values()) <= FAMILY_NAMES
    assert set(KINDS) <= set(FAMILIES), set(KINDS) - set(FAMILIES)
    names = [
        line.split("\t")[1].strip()
        for line in (DATA / "logfiles.tsv").read_text(encoding="utf-8").splitlines()
        if "\t" in line and not line.startswith("#")
    ]
    assert len(names) > 200

    def family(name: str) -> str | None:
        lowered = name.lower()
        for key, fam in FAMILIES.items():
            globs = KINDS[key].get("files", []) if key in KINDS else [key]
            if any(fnmatch.fnmatch(lowered, g.lower()) for g in globs):
                return fam
        return None

    assert [n for n in names if family(n) is None] == []
    assert family("wsyncmgr.log") == "site_sup"
    assert family("MP_Location.log") == "site_mp"
    assert family("smsts-20240909-164010.log") == "task_sequence"


def test_specific_phrases_come_before_generic_ones() -> None:
    ids = _ids(PHRASES["phrases"], "id")
    for generic in ("failed-to", "unable-to", "could-not", "cannot", "failed"):
        assert ids.index("access-denied") < ids.index(generic)
        assert ids.index("not-found") < ids.index(generic)
    assert ids[-len(LAST_RESORT) - 1 :] == ["failed", *LAST_RESORT]
    assert _first_phrase("The policy load failed, error 5")["id"] == "failed"  # type: ignore[index]
    line = "Failed to download files through BITS. Error: 0x80190194, Description HTTP status 404"
    first = _first_phrase(line)
    assert first is not None and first["id"] == "http-error"
    assert _first_phrase("Process completed with exit code 0") is None
    assert _first_phrase("Matched exit code 1 to a Success entry in exit codes table.") is None
    retry = _first_phrase(
        "Execution is complete for program X. The exit code is 4, the execution status is FailureRetry"
    )
    assert retry is not None and retry["outcome"] == "waiting"
    assert _first_phrase("Successfully processed 1 files; Failed processing 0 files") is None


# ---- grounding in the real logs (skipped when the corpus is absent) ------------


def _cited(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(s["line"], s["source"]) for e in entries for s in e["seen"]]


@pytest.mark.parametrize(("line", "source"), _cited(STATES) + _cited(PHRASES["phrases"]))
def test_seen_lines_from_the_real_corpus_are_verbatim(line: str, source: str) -> None:
    files = _real_files(source)
    if not files:
        pytest.skip("the source is not a file of the real-log corpus here")
    assert any(line in f.read_text(encoding="utf-8-sig", errors="replace") for f in files), (line, source)


@pytest.mark.parametrize("benign", PHRASES["benign"], ids=lambda b: b["pattern"][:40])
def test_benign_contexts_from_the_real_corpus_occur_there(benign: dict[str, Any]) -> None:
    files = _real_files(benign["source"])
    if not files:
        pytest.skip("the source is not a file of the real-log corpus here")
    pattern = re.compile(benign["pattern"], re.I)
    assert any(pattern.search(m) for f in files for m in _messages(f)), benign["source"]


@pytest.mark.parametrize("name", HEALTHY)
def test_healthy_real_logs_get_no_failure_phrase(name: str) -> None:
    path = REAL / name
    if not path.is_file():
        pytest.skip("real-log corpus absent")
    failures = [m for m in _messages(path) if (p := _first_phrase(m)) and p["outcome"] == "failed"]
    assert failures == []


def test_a_failing_real_log_gets_a_named_failure() -> None:
    path = REAL / "maxmoonACR-MDTLOGFiles__smsts.log"
    if not path.is_file():
        pytest.skip("real-log corpus absent")
    named = {p["id"] for m in _messages(path) if (p := _first_phrase(m))}
    assert "invalid" in named  # Failed to save environment to  (80070057)
