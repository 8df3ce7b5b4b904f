"""The generalisation corpus on disk: its cases, what a well-formed case is, and
the deterministic split into the part the knowledge may be written from (`dev/`)
and the part set aside to measure it (`heldout/`).

A case is a folder holding one or more real log excerpts, named as the real log
(`WUAHandler.log`), and `case.yaml` (see README.md for the fields). Only the log
files are ever given to smslogdoc; `case.yaml` says what the logs show.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
PARTS = ("dev", "heldout")
CASE_FILE = "case.yaml"
HELDOUT_SOURCES = ROOT / "HELDOUT_SOURCES.txt"

SOURCE_KINDS = frozenset({"blog", "forum", "vendor-kb", "github-issue", "ms-docs", "archived-blog"})
FAMILIES = frozenset(
    {
        "client-install",
        "application",
        "package",
        "update",
        "task-sequence",
        "content",
        "policy-mp",
        "site-sup",
        "site-dp",
        "site-mp",
        "site-core",
        "client-health",
        "other",
    }
)
EXPECTS = frozenset({"failure", "healthy"})
REQUIRED = ("id", "source", "source_kind", "family", "expect", "cause")
ID_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Decisive:
    """A line that states the failure: a log file of the case and a 1-based line."""

    file: str
    line: int


@dataclass(frozen=True)
class Case:
    """One case as its `case.yaml` describes it."""

    id: str
    folder: Path
    part: str
    source: str
    source_kind: str
    family: str
    expect: str
    cause: str
    published: str = ""
    batch: int = 1
    accepted: int = 0
    kb: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    decisive: tuple[Decisive, ...] = ()
    cause_terms: tuple[str, ...] = ()
    logs: tuple[Path, ...] = field(default=(), compare=False)

    @property
    def failure(self) -> bool:
        return self.expect == "failure"


class CaseError(ValueError):
    """A case folder that is not well formed; the message lists every problem."""


def log_files(folder: Path) -> tuple[Path, ...]:
    """The log files of a case folder (every regular file but `case.yaml`), by name."""
    return tuple(sorted(p for p in folder.iterdir() if p.is_file() and p.name != CASE_FILE))


def physical_lines(path: Path) -> list[str]:
    """The file's physical lines as smslogdoc numbers them (split at LF, 1-based by index + 1)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if text.endswith("\n"):
        text = text[:-1]
    return [line.rstrip("\r") for line in text.split("\n")]


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    return "" if value is None else str(value).strip()


def _addresses(raw: object) -> tuple[str, ...]:
    """The other addresses a case's text is published at: a list, or one string of
    them separated by spaces."""
    if isinstance(raw, list):
        return tuple(str(item).strip() for item in raw if str(item).strip())
    return tuple(str(raw).split()) if raw else ()


def _decisive(raw: object, problems: list[str]) -> tuple[Decisive, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append("decisive must be a list of {file, line}")
        return ()
    found: list[Decisive] = []
    for item in raw:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("file"), str)
            or not isinstance(item.get("line"), int)
        ):
            problems.append(f"decisive entry {item!r} is not {{file: <name>, line: <number>}}")
            continue
        found.append(Decisive(item["file"], item["line"]))
    return tuple(found)


def _terms(raw: object, problems: list[str]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) and t for t in raw):
        problems.append("cause_terms must be a list of non-empty strings")
        return ()
    for term in raw:
        try:
            re.compile(term, re.IGNORECASE)
        except re.error as error:
            problems.append(f"cause_term {term!r} is not a regular expression: {error}")
    return tuple(raw)


def _check_fields(data: dict[str, Any], folder: Path, problems: list[str]) -> None:
    for key in REQUIRED:
        if not _text(data, key):
            problems.append(f"{key} is missing or empty")
    if _text(data, "id") and _text(data, "id") != folder.name:
        problems.append(f"id {_text(data, 'id')!r} is not the folder's name {folder.name!r}")
    if not ID_SHAPE.match(folder.name):
        problems.append(f"folder name {folder.name!r} is not a short kebab-case id")
    for key, allowed in (("source_kind", SOURCE_KINDS), ("family", FAMILIES), ("expect", EXPECTS)):
        if _text(data, key) and _text(data, key) not in allowed:
            problems.append(f"{key} {_text(data, key)!r} is not one of {sorted(allowed)}")
    if not isinstance(data.get("batch", 1), int):
        problems.append("batch must be a whole number")
    if any(not re.fullmatch(r"KB\d+", kb) for kb in _text(data, "kb").split()):
        problems.append("kb must be Knowledge Base numbers written KB<number>, separated by spaces")
    if not isinstance(data.get("accepted", 0), int) or data.get("accepted", 0) < 0:
        problems.append("accepted must be a whole number (the case's place in its family and kind, from 1)")


def _check_evidence(case: Case, problems: list[str]) -> None:
    names = {p.name for p in case.logs}
    if not case.logs:
        problems.append("the folder holds no log file")
    if case.failure:
        if not case.decisive:
            problems.append("a failure needs at least one decisive line")
        if not 1 <= len(case.cause_terms) <= 3:
            problems.append("a failure needs 1 to 3 cause_terms")
    elif case.decisive or case.cause_terms:
        problems.append("a healthy case has no decisive lines and no cause_terms")
    for item in case.decisive:
        if item.file not in names:
            problems.append(f"decisive file {item.file!r} is not in the folder")
            continue
        lines = physical_lines(case.folder / item.file)
        if not 1 <= item.line <= len(lines):
            problems.append(f"decisive line {item.file}:{item.line} is past the end ({len(lines)} lines)")
        elif not lines[item.line - 1].strip():
            problems.append(f"decisive line {item.file}:{item.line} is blank")
    for path in case.logs:
        if not path.read_bytes().strip():
            problems.append(f"log file {path.name} is empty")


def load_case(folder: Path, part: str = "") -> Case:
    """Read and check one case folder; raise CaseError naming every problem."""
    problems: list[str] = []
    try:
        data = yaml.safe_load((folder / CASE_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CaseError(f"{folder.name}: cannot read {CASE_FILE}: {error}") from error
    if not isinstance(data, dict):
        raise CaseError(f"{folder.name}: {CASE_FILE} is not a mapping")
    _check_fields(data, folder, problems)
    case = Case(
        id=_text(data, "id"),
        folder=folder,
        part=part,
        source=_text(data, "source"),
        source_kind=_text(data, "source_kind"),
        family=_text(data, "family"),
        expect=_text(data, "expect"),
        cause=_text(data, "cause"),
        published=_text(data, "published"),
        batch=data["batch"] if isinstance(data.get("batch"), int) else 1,
        accepted=data["accepted"] if isinstance(data.get("accepted"), int) else 0,
        kb=tuple(_text(data, "kb").split()),
        also=_addresses(data.get("also")),
        decisive=_decisive(data.get("decisive"), problems),
        cause_terms=_terms(data.get("cause_terms"), problems),
        logs=log_files(folder),
    )
    _check_evidence(case, problems)
    if problems:
        raise CaseError(f"{folder.name}: " + "; ".join(problems))
    return case


def case_folders(root: Path = ROOT, parts: Iterable[str] = PARTS) -> Iterator[tuple[str, Path]]:
    """(part, folder) of every case under the given parts, in name order."""
    for part in parts:
        base = root / part
        if base.is_dir():
            for folder in sorted(
                p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
            ):
                yield part, folder


def load_cases(root: Path = ROOT, parts: Iterable[str] = PARTS) -> list[Case]:
    """Every case of the given parts; CaseError lists all malformed ones at once."""
    loaded: list[Case] = []
    errors: list[str] = []
    for part, folder in case_folders(root, parts):
        try:
            loaded.append(load_case(folder, part))
        except CaseError as error:
            errors.append(str(error))
    if errors:
        raise CaseError("\n".join(errors))
    return loaded


# --- the split -----------------------------------------------------------------------


def sort_key(case_id: str) -> str:
    """The order cases are split in: the SHA-1 of the id (then the id, for ties)."""
    return hashlib.sha1(case_id.encode("utf-8")).hexdigest() + case_id


def split_parts(cases: Iterable[tuple[str, str, int] | tuple[str, str, int, int]]) -> dict[str, str]:
    """The part of each case id, from (id, family, batch) or (id, family, batch, accepted).

    A case with an `accepted` place (from the third batch on: its place, from 1, among the
    cases of its family and kind in the order they were accepted) is held out when that
    place is a multiple of 3 (the 3rd, 6th, ...), decided as it was accepted. The others:
    within each batch and family, cases sorted by `sort_key` go to heldout at positions
    0, 3, 6, ... and to dev otherwise."""
    groups: dict[tuple[int, str], list[str]] = {}
    parts: dict[str, str] = {}
    for case in cases:
        case_id, family, batch = case[0], case[1], case[2]
        accepted = case[3] if len(case) > 3 else 0
        if accepted:
            parts[case_id] = "heldout" if accepted % 3 == 0 else "dev"
        else:
            groups.setdefault((batch, family), []).append(case_id)
    for ids in groups.values():
        for position, case_id in enumerate(sorted(ids, key=sort_key)):
            parts[case_id] = "heldout" if position % 3 == 0 else "dev"
    return parts
