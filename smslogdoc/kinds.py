"""Log kinds: which log a file is (ccmsetup, execmgr, smsapm32, ...), told from
its name or, when the name says nothing, from the components its records name;
and how a kind's log divides into runs. The table is data
(`smslogdoc/data/kinds.yaml`)."""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property, lru_cache
from importlib.resources import files

import yaml

from smslogdoc.data.yamlload import LOADER
from smslogdoc.inputs.rotation import ROTATED
from smslogdoc.literals import required_literals
from smslogdoc.memo import Memo
from smslogdoc.model import Event
from smslogdoc.prefilter import Prefilter

COMPONENT_SAMPLE = 200
"""Records looked at to tell the kind of a log whose name says nothing."""
SEEN_MESSAGES = 4096
"""Messages whose program a run model remembers (the memory is emptied when full)."""


def current_name(file_name: str) -> str:
    """The name of the current log a rotated part belongs to (`ccmsetup.lo_` ->
    `ccmsetup.log`, `execmgr-20240101-123456.log` -> `execmgr.log`), lower case."""
    found = ROTATED.match(file_name)
    return f"{found['base']}.log".lower() if found else file_name.lower()


WILDCARDS = "*?["
"""What makes a file name in a kind or a rule's target a pattern to fnmatch."""


def has_wildcard(name: str) -> bool:
    """Whether a file name of a kind or a rule's target is a pattern (`*.log`)."""
    return any(char in name for char in WILDCARDS)


def literal_prefix(glob: str) -> str:
    """The text a name matching `glob` must start with (up to its first wildcard)."""
    cut = min((glob.index(char) for char in WILDCARDS if char in glob), default=len(glob))
    return glob[:cut]


@dataclass(frozen=True)
class RunModel:
    """How a kind of log divides into runs of its program."""

    name: str
    starts: re.Pattern[str] | None
    ends: re.Pattern[str] | None
    owned_threads: bool
    keyed: tuple[re.Pattern[str], ...]
    reopens: re.Pattern[str] | None = None
    """For keyed runs: a record that starts the program again after its run ended
    (other records naming the program, such as wrap-up lines, do not reopen it)."""

    def program(self, message: str) -> tuple[str, str] | None:
        """For keyed runs: the program a record names, as (run key, label);
        None when it names none. Remembered per message (logs repeat theirs)."""
        return self._programs.get(message, self._program)

    def _program(self, message: str) -> tuple[str, str] | None:
        for index in sorted(
            self._keyed_prefilter.find(message)
        ):  # in the table's order: the first match counts
            found = self.keyed[index].search(message)
            fields = found.groupdict() if found else {}
            program = (fields.get("program") or "").strip()
            if program:
                package = (fields.get("package") or "").strip()
                return program.lower(), f"program {program}" + (f" (package {package})" if package else "")
        return None

    @cached_property
    def _keyed_prefilter(self) -> Prefilter[int]:
        """The keyed patterns (by index) worth trying on a record: those whose
        literal text it holds, and those that have none."""
        return Prefilter(
            [(index, required_literals(pattern.pattern)) for index, pattern in enumerate(self.keyed)]
        )

    @cached_property
    def _programs(self) -> Memo[str, tuple[str, str] | None]:
        return Memo(SEEN_MESSAGES)


@dataclass(frozen=True)
class Kind:
    """One kind of log."""

    name: str
    title: str
    files: tuple[str, ...]
    components: tuple[str, ...]
    runs: RunModel | None
    markers: tuple[str, ...] = ()
    """Text only this log writes, to tell a paste without components (lower case)."""
    generic: bool = False
    """A frame many products' logs share (a Windows Installer log): its markers
    tell the kind only when no other kind's markers occur."""


class KindTable:
    """All known kinds, and the lookups the engine needs."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        self.kinds = {kind.name: kind for kind in kinds}
        self._names: dict[tuple[str | None, str], tuple[str, ...]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.kinds

    def get(self, name: str) -> Kind | None:
        return self.kinds.get(name)

    def by_file_name(self, file_name: str) -> Kind | None:
        """The kind a file name says, if it says one: the first kind, in the
        table's order, one of whose file names or globs it matches."""
        if not file_name:
            return None
        name = current_name(file_name)
        exact, globs, order = self._file_names
        best = exact.get(name)
        for position, prefix, match in globs:
            if best is not None and position >= best:
                break
            if name.startswith(prefix) and match(name):
                best = position
                break
        return order[best] if best is not None else None

    @cached_property
    def _file_names(
        self,
    ) -> tuple[dict[str, int], list[tuple[int, str, Callable[[str], object]]], list[Kind]]:
        """The kinds' file names (lower case) looked up at once, by the place
        of the first kind that names them; their globs, compiled once, in the
        kinds' order with the text a name must start with (a log's kind is
        asked for each of thousands of differently named logs)."""
        order = list(self.kinds.values())
        exact: dict[str, int] = {}
        globs: list[tuple[int, str, Callable[[str], object]]] = []
        for position, kind in enumerate(order):
            for pattern in kind.files:
                lowered = pattern.lower()
                if has_wildcard(lowered):
                    globs.append(
                        (position, literal_prefix(lowered), re.compile(fnmatch.translate(lowered)).match)
                    )
                else:
                    exact.setdefault(lowered, position)
        return exact, globs, order

    def names_of(self, kind_name: str | None, name: str) -> tuple[str, ...]:
        """The file names a log goes by, for rules that name logs by file-name
        globs: its own name (lower case, '' for standard input), and when that
        name does not tell its kind (standard input, a paste saved as notes.txt)
        the plain file names of the kind its records told (`sitecomp.log`)."""
        key = (kind_name, name)
        if key not in self._names:
            kind = self.kinds.get(kind_name or "")
            own: tuple[str, ...] = (name,) if name else ()
            if kind is not None and self.by_file_name(name) is not kind:
                own += tuple(file.lower() for file in kind.files if not has_wildcard(file))
            self._names[key] = own
        return self._names[key]

    def by_components(self, events: Iterable[Event]) -> Kind | None:
        """The kind whose components most of `events` name; for text without
        components, the kind its markers tell (`by_markers`)."""
        events = list(events)
        counts = Counter(event.component.lower() for event in events if event.component)
        for component, _ in counts.most_common():
            for kind in self.kinds.values():
                if any(fnmatchcase(component, pattern.lower()) for pattern in kind.components):
                    return kind
        return self.by_markers(event.message for event in events)

    def by_markers(self, messages: Iterable[str]) -> Kind | None:
        """The kind whose markers occur most often in `messages`, when it leads
        every other kind: a tie tells nothing (a wrong kind's rules could name a
        wrong cause, where no kind leaves the generic findings)."""
        text = "\n".join(messages).lower()
        present = set(self._markers.find(text))  # one pass: counting all 800 markers took 10 ms a log
        scores = sorted(
            (
                (sum(text.count(marker) for marker in kind.markers if marker in present), kind.name)
                for kind in self._marked
            ),
            reverse=True,
        )
        specific = [score for score in scores if not self.kinds[score[1]].generic]
        if specific and specific[0][0]:
            scores = specific
        if not scores or not scores[0][0] or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            return None
        return self.kinds[scores[0][1]]

    @cached_property
    def _marked(self) -> list[Kind]:
        return [kind for kind in self.kinds.values() if kind.markers]

    @cached_property
    def _markers(self) -> Prefilter[str]:
        """Which markers occur in a text (an empty one always does)."""
        return Prefilter(
            [(marker, (marker,) if marker else ()) for kind in self._marked for marker in kind.markers]
        )


@lru_cache(maxsize=1)
def load_kinds() -> KindTable:
    """The bundled kinds table."""
    text = files("smslogdoc.data").joinpath("kinds.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=LOADER)
    kinds = []
    for name, entry in data.items():
        runs = entry.get("runs")
        model = None
        if runs:
            model = RunModel(
                name=runs["name"],
                starts=re.compile(runs["starts"], re.IGNORECASE) if runs.get("starts") else None,
                ends=re.compile(runs["ends"], re.IGNORECASE) if runs.get("ends") else None,
                owned_threads=runs.get("threads") == "owned",
                keyed=tuple(re.compile(pattern, re.IGNORECASE) for pattern in runs.get("keyed", ())),
                reopens=re.compile(runs["reopens"], re.IGNORECASE) if runs.get("reopens") else None,
            )
        kinds.append(
            Kind(
                name=name,
                title=entry.get("title", name),
                files=tuple(entry.get("files", ())),
                components=tuple(entry.get("components", ())),
                runs=model,
                markers=tuple(marker.lower() for marker in entry.get("markers", ())),
                generic=bool(entry.get("generic", False)),
            )
        )
    return KindTable(kinds)
