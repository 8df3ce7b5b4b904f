"""The benchmark: speed and memory of smslogdoc on generated inputs, each figure
the median of several runs, all measured in one run so they are comparable.

    python bench/run.py                 # generate inputs if missing, measure, print the table
    python bench/run.py --doc           # ... and write the table into docs/performance.md
    python bench/run.py --dense 110     # the dense log at 110 MB only (no 1 GB dense growth row)

Every command runs as its own process (`python -m smslogdoc ...`, output to a
null device) and is timed from outside, start-up included; peak memory is the
process's maximum resident set size (Linux and macOS). The "bare loop" is a
Python process that only decodes the file and iterates its lines: the floor
any Python log reader starts from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
BARE = "import sys\nwith open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n    for line in f:\n        pass\n"


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """(median wall seconds, max peak RSS in MiB) of `command`, run `runs` times."""
    times, peaks = [], []
    for _ in range(runs):
        with Path(os.devnull).open("wb") as null:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=null, stderr=null)
            peak = _wait_peak(process)
            times.append(time.perf_counter() - start)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def _wait_peak(process: subprocess.Popen[bytes]) -> float:
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        return usage.ru_maxrss * scale / (1 << 20)
    process.wait()  # Windows: no rusage; no peak reported
    return float("nan")


def smslogdoc(*args: str) -> list[str]:
    return [sys.executable, "-m", "smslogdoc", *args]


def records(path: Path) -> int:
    """How many records smslogdoc reads from the file (from `diagnose --format json`)."""
    done = subprocess.run(
        smslogdoc("diagnose", str(path), "--format", "json", "--fail-on", "none"),
        capture_output=True,
        check=True,
    )
    return sum(file["events"] for file in json.loads(done.stdout)["files"])


def row(name: str, seconds: float, peak: float, size: int, count: int, base: float | None) -> str:
    ratio = f"{seconds / base:.1f}x" if base else "1x"
    return f"| {name} | {seconds:.2f} s | {size / seconds / 1e6:,.0f} MB/s | {count / seconds:,.0f} | {ratio} | {peak:,.0f} MiB |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sizes", default="10,100,1000", help="sizes of the CMTrace logs for the growth table, in MB"
    )
    parser.add_argument(
        "--dense",
        default="110,1000",
        help="sizes of the dense logs (every run failing) for the growth table, in MB",
    )
    parser.add_argument(
        "--doc", "--readme", action="store_true", help="write the table into docs/performance.md"
    )
    args = parser.parse_args()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--out",
            str(OUT),
            "--sizes",
            args.sizes,
            "--dense",
            args.dense,
        ],
        check=True,
    )
    dense = [int(part) for part in args.dense.split(",") if part]

    cores = os.cpu_count() or 1
    lines = [
        f"Measured with `python bench/run.py` on {cores} cores ({platform.machine()}, {platform.system()}), Python "
        f"{platform.python_version()}: each figure the median of {args.runs} runs, start-up included.",
        "",
        "| command | time | MB/s | records/s | vs bare loop | peak RSS |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    logs = [
        ("100 MB CMTrace (ccmsetup)", OUT / "cmtrace-100mb.log"),
        ("100 MB SMS trace (smsapm32)", OUT / "smstrace-100mb.log"),
    ]
    if dense:
        logs.append(
            (f"{dense[0]} MB dense CMTrace (every ccmsetup run failing)", OUT / f"dense-{dense[0]}mb.log")
        )
    for label, path in logs:
        size, count = path.stat().st_size, records(path)
        bare, peak = measure([sys.executable, "-c", BARE, str(path)], args.runs)
        lines.append(row(f"bare line loop, {label}", bare, peak, size, count, None))
        seconds, peak = measure(
            smslogdoc("diagnose", str(path), "--format", "json", "--fail-on", "none"), args.runs
        )
        lines.append(row(f"`diagnose`, {label}, all rules", seconds, peak, size, count, bare))
        seconds, peak = measure(
            smslogdoc("diagnose", str(path), "--format", "json", "--fail-on", "none", "--jobs", "1"),
            args.runs,
        )
        lines.append(
            row(f"`diagnose --jobs 1` (no helper process), {label}", seconds, peak, size, count, bare)
        )
        seconds, peak = measure(smslogdoc("parse", str(path), "--format", "jsonl"), args.runs)
        lines.append(row(f"`parse --format jsonl`, {label}", seconds, peak, size, count, bare))

    lines += [
        "",
        "Growth with size (`diagnose`, CMTrace):",
        "",
        "| size | time | MB/s | peak RSS |",
        "| --- | --- | --- | --- |",
    ]
    for megabytes in (int(part) for part in args.sizes.split(",")):
        path = OUT / f"cmtrace-{megabytes}mb.log"
        seconds, peak = measure(
            smslogdoc("diagnose", str(path), "--format", "json", "--fail-on", "none"),
            args.runs if megabytes <= 100 else 1,
        )
        lines.append(
            f"| {megabytes:,} MB | {seconds:.2f} s | {path.stat().st_size / seconds / 1e6:,.0f} | {peak:,.0f} MiB |"
        )
    if dense:
        lines += [
            "",
            "Growth with size (`diagnose`, dense CMTrace: every run failing):",
            "",
            "| size | time | MB/s | peak RSS |",
            "| --- | --- | --- | --- |",
        ]
    for megabytes in dense:
        path = OUT / f"dense-{megabytes}mb.log"
        seconds, peak = measure(
            smslogdoc("diagnose", str(path), "--format", "json", "--fail-on", "none"),
            args.runs if megabytes <= 110 else 1,
        )
        lines.append(
            f"| {megabytes:,} MB | {seconds:.2f} s | {path.stat().st_size / seconds / 1e6:,.0f} | {peak:,.0f} MiB |"
        )

    tree = next(OUT.glob("tree-*"))
    size = sum(path.stat().st_size for path in tree.rglob("*") if path.is_file())
    files = sum(1 for path in tree.rglob("*") if path.is_file())
    lines += [
        "",
        f"A tree of {len(list(tree.iterdir())):,} machines' log folders ({files:,} files, {size / 1e6:,.0f} MB), `diagnose`:",
        "",
    ]
    lines += ["| jobs | time | MB/s | peak RSS (main process) |", "| --- | --- | --- | --- |"]
    ones, manys = [], []
    for _ in range(args.runs):  # alternately, so that a busy moment of the machine weighs on both alike
        ones.append(
            measure(
                smslogdoc("diagnose", str(tree), "--format", "json", "--fail-on", "none", "--jobs", "1"), 1
            )
        )
        manys.append(
            measure(
                smslogdoc("diagnose", str(tree), "--format", "json", "--fail-on", "none", "--jobs", "0"), 1
            )
        )
    one, peak_one = statistics.median(t for t, _ in ones), max(p for _, p in ones)
    many, peak_many = statistics.median(t for t, _ in manys), max(p for _, p in manys)
    lines.append(f"| 1 | {one:.2f} s | {size / one / 1e6:,.0f} | {peak_one:,.0f} MiB |")
    lines.append(
        f"| {cores} (`--jobs 0`, the default) | {many:.2f} s, {one / many:.2f}x faster | {size / many / 1e6:,.0f} | {peak_many:,.0f} MiB |"
    )

    lines += ["", "The same tree as a fleet (`fleet`, one machine per folder, JSON):", ""]
    lines += ["| jobs | time | machines/s | peak RSS (main process) |", "| --- | --- | --- | --- |"]
    machines = len(list(tree.iterdir()))
    fleet_one, fleet_two = [], []
    for _ in range(args.runs):
        fleet_one.append(
            measure(smslogdoc("fleet", str(tree), "--format", "json", "--fail-on", "none", "--jobs", "1"), 1)
        )
        fleet_two.append(
            measure(smslogdoc("fleet", str(tree), "--format", "json", "--fail-on", "none", "--jobs", "2"), 1)
        )
    one, peak_one = statistics.median(t for t, _ in fleet_one), max(p for _, p in fleet_one)
    two, peak_two = statistics.median(t for t, _ in fleet_two), max(p for _, p in fleet_two)
    lines.append(f"| 1 | {one:.2f} s | {machines / one:,.0f} | {peak_one:,.0f} MiB |")
    lines.append(
        f"| 2 | {two:.2f} s, {one / two:.2f}x faster | {machines / two:,.0f} | {peak_two:,.0f} MiB |"
    )

    version = statistics.median(measure(smslogdoc("--version"), 1)[0] for _ in range(11))
    lines += ["", f"`smslogdoc --version`: {version * 1000:.0f} ms (median of 11)."]
    table = "\n".join(lines)
    print(table)
    if args.doc:
        doc = REPO / "docs" / "performance.md"
        text = doc.read_text(encoding="utf-8")
        block = f"<!-- bench:start -->\n{table}\n<!-- bench:end -->"
        text, count = re.subn(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
        if not count:
            sys.exit("docs/performance.md has no <!-- bench:start --> ... <!-- bench:end --> block")
        doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
