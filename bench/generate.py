"""Inputs for the benchmark, generated (never committed): large logs in CMTrace
and SMS trace format, and a tree of client log folders as an admin collects
them from many machines.

    python bench/generate.py [--out bench/out] [--sizes 10,100,1000] [--dense 110,1000] [--machines 2000]

The logs are made of real-shaped runs, not of a repeated line: the bundled
sample logs (`sample_logs/`) and the `fire` examples of the bundled rules,
repeated with new times, process ids and thread ids (drawn from a small pool,
so ids are reused as on Windows). About one run in 50 is a failure: the
samples' failures (ccmsetup running as SYSTEM and failing to read its source,
error 1317 with the token account locked out, ...) and every failure the
rules' examples show for that log. The rest are the samples' healthy runs, so
the density of error words is that of a real log (a few records in a hundred).

The dense log (`dense-{size}mb.log`) is the other extreme: a client that has
failed for years. Every run is a failing one (three in four the samples'
failing runs, the rest the rules' examples), and each run's download retry
loop (`Downloading file`, `Failed to access source file`, `Next retry in 10
minute(s)`) goes round 10 to 60 times, so that about 40 % of its records are
ones the rules need.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = REPO / "sample_logs"
MB = 1_000_000
BOM = "\ufeff"
FAILING_SHARE = 0.02

_CM_STAMP = re.compile(r'time="\d{1,2}:\d{2}:\d{2}\.\d{3}(?P<bias>[+-]\d+)" date="\d{1,2}-\d{1,2}-\d{4}"')
_CM_THREAD = re.compile(r'thread="(\d+)"')
_PROCESS = re.compile(r"started in process (\d+)")
_SMS_STAMP = re.compile(
    r"<(?:[A-Z][a-z]{2} )?\d{1,2}[-/]\d{1,2}[-/]\d{2,4} \d{1,2}:\d{2}:\d{2}\.\d{3}(?:[+-]\d+)?>|<[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{3} \d{4}>"
)
_SMS_THREAD = re.compile(r"<thread=(\d+) \(0x[0-9A-Fa-f]+\)>")


class Clock:
    """The time of the next record: runs follow each other, records are milliseconds apart."""

    def __init__(self, rng: random.Random, start: datetime = datetime(2023, 3, 6, 8, 0, 0)) -> None:
        self.rng = rng
        self.now = start

    def tick(self) -> datetime:
        self.now += timedelta(milliseconds=self.rng.randint(0, 120))
        return self.now

    def pause(self) -> None:
        self.now += timedelta(minutes=self.rng.randint(10, 600))


def cm_records(text: str) -> list[str]:
    """The records of a CMTrace text, each with CRLF line ends."""
    text = text.lstrip(BOM).replace("\r\n", "\n").replace("\n", "\r\n")
    parts = text.split("<![LOG[")
    return ["<![LOG[" + part if part.endswith("\r\n") else "<![LOG[" + part + "\r\n" for part in parts[1:]]


def sms_records(text: str) -> list[str]:
    return [line + "\r\n" for line in text.lstrip(BOM).splitlines() if "$$<" in line]


def threads_pool(rng: random.Random) -> list[int]:
    return [4 * rng.randint(250, 2500) for _ in range(600)]


def cm_run(records: list[str], clock: Clock, rng: random.Random, pool: list[int]) -> str:
    """One run of a template: new times, a new process id, threads from the pool."""
    threads: dict[str, str] = {}
    pids: dict[str, str] = {}

    def stamp(found: re.Match[str]) -> str:
        when = clock.tick()
        return f'time="{when:%H:%M:%S}.{when.microsecond // 1000:03d}{found["bias"]}" date="{when:%m-%d-%Y}"'

    out = []
    for record in records:
        record = _CM_STAMP.sub(stamp, record, count=1)
        record = _CM_THREAD.sub(
            lambda m: f'thread="{threads.setdefault(m[1], str(rng.choice(pool)))}"', record
        )
        record = _PROCESS.sub(
            lambda m: f"started in process {pids.setdefault(m[1], str(rng.randint(300, 12000)))}", record
        )
        out.append(record)
    return "".join(out)


def sms_run(records: list[str], clock: Clock, rng: random.Random, pool: list[int]) -> str:
    threads: dict[str, int] = {}

    def stamp(_: re.Match[str]) -> str:
        when = clock.tick()
        return f"<{when:%a %b %d %H:%M:%S}.{when.microsecond // 1000:03d} {when.year}>"

    def thread(found: re.Match[str]) -> str:
        number = threads.setdefault(found[1], rng.choice(pool))
        return f"<thread={number} (0x{number:X})>"

    return "".join(_SMS_THREAD.sub(thread, _SMS_STAMP.sub(stamp, record, count=1)) for record in records)


def templates(
    log_name: str, healthy: list[str], failing: list[str]
) -> tuple[list[list[str]], list[list[str]]]:
    """(healthy runs, failing runs) as record lists: from the named sample
    folders and from the rules' `fire` examples for `log_name`."""
    reader = (
        cm_records if log_name.endswith("ccmsetup.log") or log_name.endswith("execmgr.log") else sms_records
    )
    good = [reader((SAMPLES / folder / log_name).read_text(encoding="utf-8")) for folder in healthy]
    bad = [
        reader((SAMPLES / folder / log_name).read_text(encoding="utf-8", errors="replace"))
        for folder in failing
    ]
    sys.path.insert(0, str(REPO))
    from smslogdoc.rules.load import load_rules

    rules, _ = load_rules([])
    for rule in rules:
        for example in rule.examples:
            if example.expect != "fire":
                continue
            for name, text in example.files:
                records = reader(text) if name == log_name else []
                if records:
                    bad.append(records)
    return [run for run in good if run], [run for run in bad if run]


def big_log(
    path: Path,
    size: int,
    healthy: list[list[str]],
    failing: list[list[str]],
    maker: object,
    *,
    bom: bool,
    start: datetime,
    seed: int = 1,
) -> None:
    """A log of about `size` bytes, runs one after another."""
    rng = random.Random(seed)
    clock = Clock(rng, start)
    pool = threads_pool(rng)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        if bom:
            out.write(BOM)
        while written < size:
            runs = failing if rng.random() < FAILING_SHARE else healthy
            text = maker(rng.choice(runs), clock, rng, pool)  # type: ignore[operator]
            out.write(text)
            written += len(text.encode("utf-8"))
            clock.pause()


def retrying(run: list[str], rng: random.Random) -> list[str]:
    """A failing run whose last retry (the records from the last `Downloading
    file` before `Next retry` to it) is repeated 10 to 60 times."""
    retries = [index for index, record in enumerate(run) if "Next retry in" in record]
    if not retries:
        return run
    end = retries[-1]
    start = max((index for index in range(end) if "Downloading file" in run[index]), default=end)
    loop = run[start : end + 1]
    return run[:start] + loop * rng.randint(10, 60) + run[end + 1 :]


def dense_log(
    path: Path, size: int, samples: list[list[str]], examples: list[list[str]], *, seed: int = 3
) -> None:
    """A ccmsetup log of about `size` bytes where every run fails and retries:
    runs of the failing `samples`, and one in four of the rules' `examples`."""
    rng = random.Random(seed)
    clock = Clock(rng, datetime(2023, 3, 6, 8, 0, 0))
    pool = threads_pool(rng)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(BOM)
        while written < size:
            failing = samples if rng.random() < 0.75 else examples
            text = cm_run(retrying(rng.choice(failing), rng), clock, rng, pool)
            out.write(text)
            written += len(text.encode("utf-8"))
            clock.now += timedelta(minutes=rng.randint(10, 120))


def tree(root: Path, machines: int, seed: int = 2) -> None:
    """`machines` folders, each with a ccmsetup.log and an execmgr.log from the
    samples; one machine in 50 has the founding failures."""
    rng = random.Random(seed)
    pool = threads_pool(rng)
    sources = {
        "ccmsetup.log": ("ccmsetup-healthy", "ccmsetup-service-cannot-access-source"),
        "execmgr.log": ("execmgr-healthy", "execmgr-network-access-denied"),
    }
    runs = {
        name: [cm_records((SAMPLES / folder / name).read_text(encoding="utf-8")) for folder in folders]
        for name, folders in sources.items()
    }
    for index in range(machines):
        folder = root / f"WKS{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        clock = Clock(rng)
        clock.now += timedelta(minutes=index)
        fail = index % 50 == 7
        for name, (good, bad) in runs.items():
            text = cm_run(bad if fail else good, clock, rng, pool)
            (folder / name).write_text(BOM + text, encoding="utf-8", newline="")


def sizes(text: str) -> Iterator[int]:
    return (int(part) for part in text.split(",") if part)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--sizes", default="10,100,1000", help="sizes of the CMTrace logs, in MB")
    parser.add_argument(
        "--dense", default="110", help="sizes of the dense ccmsetup logs (every run failing), in MB"
    )
    parser.add_argument("--machines", type=int, default=2000)
    parser.add_argument(
        "--collected",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="what admins collect: a client's log folder, a fleet of 20, many small logs (bench/client.py)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    cm_good, cm_bad = templates(
        "ccmsetup.log",
        ["ccmsetup-healthy", "ccmsetup-noservice-healthy"],
        ["ccmsetup-service-cannot-access-source", "push-no-management-point"],
    )
    for size in sizes(args.sizes):
        target = args.out / f"cmtrace-{size}mb.log"
        if not target.exists():
            print(f"writing {target}", flush=True)
            big_log(target, size * MB, cm_good, cm_bad, cm_run, bom=True, start=datetime(2023, 3, 6, 8, 0, 0))
    for size in sizes(args.dense):
        target = args.out / f"dense-{size}mb.log"
        if not target.exists():
            print(f"writing {target}", flush=True)
            dense_log(target, size * MB, cm_bad[:2], cm_bad[2:])
    sms = args.out / "smstrace-100mb.log"
    if not sms.exists():
        print(f"writing {sms}", flush=True)
        sms_good, sms_bad = templates(
            "smsapm32.log",
            ["smsapm32-healthy"],
            ["smsapm32-error-1317-lockout", "smsapm32-win9x-install-account-1317"],
        )
        big_log(sms, 100 * MB, sms_good, sms_bad, sms_run, bom=False, start=datetime(2001, 3, 6, 8, 0, 0))
    machines = args.out / f"tree-{args.machines}"
    if not machines.exists():
        print(f"writing {machines}", flush=True)
        tree(machines, args.machines)
    if args.collected:
        collected(args.out)


def collected(out: Path) -> None:
    """What admins collect (bench/client.py): the inputs named in `COLLECTED`."""
    sys.path.insert(0, str(HERE))
    import client

    makers = {
        "client-folder": lambda path: client.client_folder(path),
        "fleet-20": lambda path: client.fleet(path, 20),
        "small-3000": lambda path: client.small_logs(path, 3000),
        "small-5000-in-50": lambda path: client.small_logs(path, 5000, 50),
    }
    for name, make in makers.items():
        target = out / name
        if not target.exists():
            print(f"writing {target}", flush=True)
            make(target)


if __name__ == "__main__":
    main()
