"""Log kinds: which log a file is (ccmsetup, execmgr, smsapm32, ...), told from
its name or, when the name says nothing, from the components its records name;
and how a kind's log divides into runs. The table is data
(`smslogdoc/data/kinds.yaml`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib.resources import files

import yaml

from smslogdoc.model import Event

_ROTATION = re.compile(r"^(?P<base>.+?)(?:-\d{8}-\d{6})?\.(?:log|lo_)$", re.IGNORECASE)
COMPONENT_SAMPLE = 200
"""Records looked at to tell the kind of a log whose name says nothing."""


def current_name(file_name: str) -> str:
    """The name of the current log a rotated part belongs to (`ccmsetup.lo_` ->
    `ccmsetup.log`, `execmgr-20240101-123456.log` -> `execmgr.log`), lower case."""
    found = _ROTATION.match(file_name)
    return f"{found['base']}.log".lower() if found else file_name.lower()


@dataclass(frozen=True)
class RunModel:
    """How a kind of log divides into runs of its program."""

    name: str
    starts: re.Pattern[str] | None
    ends: re.Pattern[str] | None
    owned_threads: bool
    keyed: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Kind:
    """One kind of log."""

    name: str
    title: str
    files: tuple[str, ...]
    components: tuple[str, ...]
    runs: RunModel | None


class KindTable:
    """All known kinds, and the lookups the engine needs."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        self.kinds = {kind.name: kind for kind in kinds}

    def __contains__(self, name: str) -> bool:
        return name in self.kinds

    def get(self, name: str) -> Kind | None:
        return self.kinds.get(name)

    def by_file_name(self, file_name: str) -> Kind | None:
        """The kind a file name says, if it says one."""
        if not file_name:
            return None
        name = current_name(file_name)
        for kind in self.kinds.values():
            if any(fnmatchcase(name, pattern.lower()) for pattern in kind.files):
                return kind
        return None

    def by_components(self, events: Iterable[Event]) -> Kind | None:
        """The kind whose components most of `events` name."""
        counts = Counter(event.component.lower() for event in events if event.component)
        for component, _ in counts.most_common():
            for kind in self.kinds.values():
                if any(fnmatchcase(component, pattern.lower()) for pattern in kind.components):
                    return kind
        return None


@lru_cache(maxsize=1)
def load_kinds() -> KindTable:
    """The bundled kinds table."""
    text = files("smslogdoc.data").joinpath("kinds.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    kinds = []
    for name, entry in data.items():
        runs = entry.get("runs")
        model = None
        if runs:
            model = RunModel(
                name=runs["name"],
                starts=re.compile(runs["starts"]) if runs.get("starts") else None,
                ends=re.compile(runs["ends"]) if runs.get("ends") else None,
                owned_threads=runs.get("threads") == "owned",
                keyed=tuple(re.compile(pattern) for pattern in runs.get("keyed", ())),
            )
        kinds.append(
            Kind(
                name=name,
                title=entry.get("title", name),
                files=tuple(entry.get("files", ())),
                components=tuple(entry.get("components", ())),
                runs=model,
            )
        )
    return KindTable(kinds)
