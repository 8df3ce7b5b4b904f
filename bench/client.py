"""What admins collect, generated for the benchmark: a client's whole log
folder (`CCM\\Logs`), a fleet of such folders, and many small logs.

A client folder has every client log of Microsoft's log reference (the client
sections of `smslogdoc/data/logfiles.tsv`), each with its rotated `.lo_`.
Most logs are at the client's default size (250 KB: the `.lo_` full, the
current log part-filled); a dozen busy logs have had their size raised to a
few MB, as admins do. Records are CMTrace records with the log's own messages
where there are any to draw on: the records of the rules' examples for that
log (healthy and failing), the sample logs, and, where present, the real logs
and excerpts in `../shared/real-logs` (read, never copied into the repo); a
log with none of its own gets messages of other client logs under its own
component name. About one record in 100 is an error record (`type="3"`),
drawn from the failing examples of that log where it has some.

    client_folder(root, seed)         # about 130 MB in about 200 files
    fleet(root, machines=20)          # smaller logs: about 0.15 MB a file
    small_logs(root, count, folders)  # five-record logs, `count` of them
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = REPO / "sample_logs"
REAL = REPO.parent / "shared" / "real-logs"
KB = 1000
ERROR_SHARE = 0.01
CLIENT_SECTIONS = (
    "Client operations",
    "Client installation",
    "Application management (client)",
    "OS deployment (client)",
    "Software updates (client)",
)
RAISED = {
    "CcmExec.log": 5.0,
    "CcmMessaging.log": 3.0,
    "PolicyAgent.log": 4.0,
    "CIAgent.log": 4.0,
    "DataTransferService.log": 5.0,
    "ContentTransferManager.log": 4.0,
    "AppEnforce.log": 3.5,
    "AppDiscovery.log": 5.0,
    "execmgr.log": 4.0,
    "smsts.log": 5.0,
    "LocationServices.log": 3.5,
    "UpdatesDeployment.log": 5.0,
    "WUAHandler.log": 4.0,
    "StateMessage.log": 2.5,
}
"""Logs whose size admins raised, and to how many MB (the rest keep 250 KB)."""
DEFAULT_SIZE = 250 * KB

_RECORD = re.compile(
    r'<!\[LOG\[(?P<message>.*?)\]LOG\]!><time="[^"]*" date="[^"]*" component="(?P<component>[^"]*)" '
    r'context="[^"]*" type="(?P<type>\d)" thread="[^"]*" file="(?P<file>[^"]*)">',
    re.S,
)


@dataclass(frozen=True)
class Record:
    message: str
    component: str
    error: bool
    file: str


def client_logs() -> list[str]:
    """The client log names of the log reference, each once."""
    names: dict[str, str] = {}
    for row in (REPO / "smslogdoc" / "data" / "logfiles.tsv").read_text(encoding="utf-8").splitlines():
        section, _, name = row.partition("\t")
        if section in CLIENT_SECTIONS and name.endswith(".log"):
            names.setdefault(name.lower(), name)
    return sorted(names.values(), key=str.lower)


def _records(text: str) -> list[Record]:
    return [
        Record(found["message"], found["component"], found["type"] == "3", found["file"])
        for found in _RECORD.finditer(text.lstrip("\ufeff"))
    ]


@cache
def pools() -> dict[str, list[Record]]:
    """The records known for each log name (lower case), from every source at hand."""
    import sys

    sys.path.insert(0, str(REPO))
    from smslogdoc.rules.load import load_rules

    found: dict[str, list[Record]] = {}
    rules, _ = load_rules([])
    for rule in rules:
        for example in rule.examples:
            for name, text in example.files:
                found.setdefault(name.lower(), []).extend(_records(text))
    for path in sorted(SAMPLES.rglob("*.log")):
        found.setdefault(path.name.lower(), []).extend(_records(path.read_text("utf-8", "replace")))
    if REAL.is_dir():
        for path in sorted(REAL.rglob("*__*")):
            name = path.name.split("__", 1)[1].lower()
            name = name[: name.index(".log") + 4] if ".log" in name else name
            found.setdefault(name, []).extend(_records(path.read_text("utf-8", "replace")))
    return {name: records for name, records in found.items() if records}


@dataclass
class Mix:
    """How one log's records are drawn: its healthy and its error records."""

    healthy: list[Record]
    errors: list[Record]


def mixes(names: list[str], known: dict[str, list[Record]]) -> dict[str, Mix]:
    everyone = [record for records in known.values() for record in records]
    any_healthy = [record for record in everyone if not record.error]
    any_error = [record for record in everyone if record.error]
    made = {}
    for name in names:
        own = known.get(name.lower(), [])
        component = name[:-4]
        healthy = [record for record in own if not record.error] or [
            Record(record.message, component, False, record.file) for record in any_healthy
        ]
        errors = [record for record in own if record.error] or [
            Record(record.message, component, True, record.file) for record in any_error
        ]
        made[name] = Mix(healthy, errors)
    return made


def _write(
    path: Path, size: int, mix: Mix, rng: random.Random, when: datetime, records: int | None = None
) -> datetime:
    """A CMTrace log of about `size` bytes (or of `records` records) from
    `mix`, its times from `when` on."""
    threads = [4 * rng.randint(250, 2500) for _ in range(6)]
    out: list[str] = ["\ufeff"]
    written = 0
    while (written < size) if records is None else (len(out) <= records):
        record = rng.choice(mix.errors) if rng.random() < ERROR_SHARE else rng.choice(mix.healthy)
        when += timedelta(milliseconds=rng.randint(0, 4000))
        text = (
            f'<![LOG[{record.message}]LOG]!><time="{when:%H:%M:%S}.{when.microsecond // 1000:03d}-60" '
            f'date="{when:%m-%d-%Y}" component="{record.component}" context="" '
            f'type="{3 if record.error else 1}" thread="{rng.choice(threads)}" file="{record.file}">\r\n'
        )
        out.append(text)
        written += len(text)
    path.write_text("".join(out), encoding="utf-8", newline="")
    return when


def client_folder(root: Path, seed: int = 5, scale: float = 1.0, fixed: int | None = None) -> None:
    """One client's log folder: every client log with its `.lo_`. `scale`
    multiplies every size; `fixed` gives every file that many bytes instead."""
    rng = random.Random(seed)
    names = client_logs()
    drawn = mixes(names, pools())
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        full = int(RAISED.get(name, DEFAULT_SIZE / 1e6) * 1e6 * scale)
        current = fixed if fixed is not None else int(full * rng.uniform(0.2, 1.0))
        start = datetime(2024, 5, 2, 7, 0, 0) + timedelta(minutes=rng.randint(0, 600))
        ended = _write(
            root / f"{name[:-4]}.lo_", fixed if fixed is not None else full, drawn[name], rng, start
        )
        _write(root / name, current, drawn[name], rng, ended)


def fleet(root: Path, machines: int = 20, size: int = 150 * KB) -> None:
    """`machines` client folders, every file about `size` bytes."""
    for index in range(machines):
        client_folder(root / f"WKS{index:03d}" / "Logs", seed=100 + index, fixed=size)


def small_logs(root: Path, count: int, folders: int = 1, seed: int = 9) -> None:
    """`count` logs of five records each, shared over `folders` folders."""
    rng = random.Random(seed)
    mix = mixes(["AppEnforce.log"], pools())["AppEnforce.log"]
    for index in range(count):
        folder = root if folders == 1 else root / f"folder{index % folders:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"Install_App{index:05d}.log", 0, mix, rng, datetime(2024, 5, 2, 7, 0, 0), records=5)
