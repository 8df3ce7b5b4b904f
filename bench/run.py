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
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
BARE = "import sys\nwith open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n    for line in f:\n        pass\n"
BARE_TREE = (
    "import os, sys\nfor folder, _, names in os.walk(sys.argv[1]):\n    for name in names:\n"
    "        with open(os.path.join(folder, name), encoding='utf-8-sig', newline='') as f:\n"
    "            for line in f:\n                pass\n"
)
"""The bare loop over every file of a folder tree."""


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


def rounds(commands: list[list[str]], runs: int) -> list[tuple[float, float, float]]:
    """Each command's (median wall seconds, max peak RSS in MiB, median ratio to
    the first command in the same round): the commands run in turn, round after
    round, so that a busy moment of the machine weighs on all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    peaks: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            seconds, peak = measure(command, 1)
            times[index].append(seconds)
            peaks[index].append(peak)
    return [
        (
            statistics.median(taken),
            max(peak),
            statistics.median(t / b for t, b in zip(taken, times[0], strict=True)),
        )
        for taken, peak in zip(times, peaks, strict=True)
    ]


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


def row(name: str, seconds: float, peak: float, size: int, count: int, ratio: float | None) -> str:
    """A table row; `ratio`: the median ratio to the bare loop in the same rounds (None: the loop itself)."""
    ratio_text = f"{ratio:.1f}x" if ratio else "1x"
    return f"| {name} | {seconds:.2f} s | {size / seconds / 1e6:,.0f} MB/s | {count / seconds:,.0f} | {ratio_text} | {peak:,.0f} MiB |"


COLLECTED = (
    ("client-folder", "a client's log folder", ("diagnose",)),
    ("fleet-20", "a fleet of 20 client folders", ("fleet", "--jobs", "2")),
    ("small-3000", "3,000 small logs in one folder", ("diagnose",)),
    ("small-5000-in-50", "5,000 small logs in 50 folders", ("diagnose",)),
)
"""What admins collect (bench/client.py): folder name, label, command."""
LNAV = (
    "lnav",
    "-n",
    "-c",
    ";SELECT count(*) FROM all_logs WHERE log_level = 'error'",
)
"""lnav's count of error records, where lnav is installed: another reader on the same files."""


def lnav() -> list[str]:
    """lnav's command, with a HOME of its own where bench/lnav-cmtrace.json (a
    CMTrace format for lnav, which has none built in) is installed."""
    home = OUT / "lnav-home"
    if not (home / ".lnav").exists():
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["lnav", "-i", str(HERE / "lnav-cmtrace.json")],
            env={**os.environ, "HOME": str(home)},
            check=True,
            capture_output=True,
        )
    return ["env", f"HOME={home}", *LNAV]


def collected_rows(runs: int) -> list[str]:
    """Rows for what admins collect, each beside the bare loop over the same files."""
    lines = [
        "",
        "What admins collect: a client's whole log folder (every client log of the log reference "
        "with its `.lo_`), a fleet of such folders, many small logs; the bare loop reads the same files:",
        "",
        "| input | command | time | MB/s | vs bare loop | peak RSS |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for folder, label, command in COLLECTED:
        path = OUT / folder
        files = [item for item in path.rglob("*") if item.is_file()]
        size = sum(item.stat().st_size for item in files)
        label = f"{label} ({len(files):,} files, {size / 1e6:,.0f} MB)"
        commands = [
            [sys.executable, "-c", BARE_TREE, str(path)],
            smslogdoc(command[0], str(path), "--format", "json", "--fail-on", "none", *command[1:]),
        ]
        shown = ["bare line loop", f"`{' '.join(command)}`"]
        if folder == "client-folder":  # one machine: its logs shared out to the cores, or not
            commands.append(commands[-1] + ["--jobs", "1"])
            shown.append("`diagnose --jobs 1` (one process)")
        if shutil.which("lnav") and folder == "client-folder":
            commands.append([*lnav(), *(str(item) for item in sorted(files))])
            shown.append("lnav, error count")
        for name, (seconds, peak, ratio) in zip(shown, rounds(commands, runs), strict=True):
            ratio_text = f"{ratio:.1f}x" if name != "bare line loop" else "1x"
            lines.append(
                f"| {label} | {name} | {seconds:.2f} s | {size / seconds / 1e6:,.0f} | {ratio_text} | {peak:,.0f} MiB |"
            )
    return lines


def log_rows(runs: int, dense: list[int]) -> list[str]:
    """The single large logs, each command beside the bare loop in the same rounds."""
    lines = [
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
        diagnose = ["diagnose", str(path), "--format", "json", "--fail-on", "none"]
        (bare, peak, _), *measured = rounds(
            [
                [sys.executable, "-c", BARE, str(path)],
                smslogdoc(*diagnose),
                smslogdoc(*diagnose, "--jobs", "1"),
                smslogdoc("parse", str(path), "--format", "jsonl"),
            ],
            runs,
        )
        lines.append(row(f"bare line loop, {label}", bare, peak, size, count, None))
        names = [
            f"`diagnose`, {label}, all rules",
            f"`diagnose --jobs 1` (no helper process), {label}",
            f"`parse --format jsonl`, {label}",
        ]
        for name, (seconds, peak, ratio) in zip(names, measured, strict=True):
            lines.append(row(name, seconds, peak, size, count, ratio))
    return lines


def growth_rows(runs: int, sizes: list[int], dense: list[int]) -> list[str]:
    """`diagnose` on logs of growing size (one run only beyond 110 MB)."""
    lines: list[str] = []
    for title, stem, megabytes_list in (
        ("Growth with size (`diagnose`, CMTrace):", "cmtrace", sizes),
        ("Growth with size (`diagnose`, dense CMTrace: every run failing):", "dense", dense),
    ):
        if not megabytes_list:
            continue
        lines += ["", title, "", "| size | time | MB/s | peak RSS |", "| --- | --- | --- | --- |"]
        for megabytes in megabytes_list:
            path = OUT / f"{stem}-{megabytes}mb.log"
            seconds, peak = measure(
                smslogdoc("diagnose", str(path), "--format", "json", "--fail-on", "none"),
                runs if megabytes <= 110 else 1,
            )
            lines.append(
                f"| {megabytes:,} MB | {seconds:.2f} s | {path.stat().st_size / seconds / 1e6:,.0f} | {peak:,.0f} MiB |"
            )
    return lines


def tree_rows(runs: int, cores: int) -> list[str]:
    """The tree of many machines' folders, as `diagnose` on 1 and all cores and as a fleet."""
    tree = next(OUT.glob("tree-*"))
    size = sum(path.stat().st_size for path in tree.rglob("*") if path.is_file())
    files = sum(1 for path in tree.rglob("*") if path.is_file())
    machines = len(list(tree.iterdir()))
    lines = [
        "",
        f"A tree of {machines:,} machines' log folders ({files:,} files, {size / 1e6:,.0f} MB), `diagnose`:",
        "",
        "| jobs | time | MB/s | peak RSS (main process) |",
        "| --- | --- | --- | --- |",
    ]
    common = [str(tree), "--format", "json", "--fail-on", "none", "--jobs"]
    (one, peak_one, _), (many, peak_many, _) = rounds(
        [smslogdoc("diagnose", *common, "1"), smslogdoc("diagnose", *common, "0")], runs
    )
    lines.append(f"| 1 | {one:.2f} s | {size / one / 1e6:,.0f} | {peak_one:,.0f} MiB |")
    lines.append(
        f"| {cores} (`--jobs 0`, the default) | {many:.2f} s, {one / many:.2f}x faster | {size / many / 1e6:,.0f} | {peak_many:,.0f} MiB |"
    )
    lines += ["", "The same tree as a fleet (`fleet`, one machine per folder, JSON):", ""]
    lines += ["| jobs | time | machines/s | peak RSS (main process) |", "| --- | --- | --- | --- |"]
    (one, peak_one, _), (two, peak_two, _) = rounds(
        [smslogdoc("fleet", *common, "1"), smslogdoc("fleet", *common, "2")], runs
    )
    lines.append(f"| 1 | {one:.2f} s | {machines / one:,.0f} | {peak_one:,.0f} MiB |")
    lines.append(
        f"| 2 | {two:.2f} s, {one / two:.2f}x faster | {machines / two:,.0f} | {peak_two:,.0f} MiB |"
    )
    return lines


BROWSERS = ("chromium", "chromium-browser", "google-chrome")
"""The headless browsers looked for on PATH, in this order, as the browser tests look
(tests/report/test_html.py, `browser`)."""
MACHINE_SECTION = b'<section class="machine"'
"""How the fleet report opens each machine's part (smslogdoc/report/html.py)."""
BLANK_PAGE = "<!DOCTYPE html><title>blank</title>\n"
"""The page Chromium loads beside the report: the floor any page's load starts from."""
HTML_FLOOR = 5.0
"""Seconds: the load of the 2,000-machine fleet report the browser test once held
(`test_two_thousand_machines_load_in_a_browser`, before timing moved here)."""


def chromium(browser: str, profile: Path, page: Path) -> list[str]:
    """Headless Chromium loading `page`, running its script and printing the DOM it built,
    with the flags of the browser tests' `load`."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.as_uri(),
    ]


def html_rows(runs: int) -> list[str]:
    """The tree of many machines as a fleet HTML report, loaded whole by headless Chromium
    beside Chromium loading a blank page in the same rounds."""
    tree = next(OUT.glob("tree-*"))
    machines = len(list(tree.iterdir()))
    title = f"The tree of {machines:,} machines' log folders as a fleet HTML report (`fleet --format html`), loaded by headless Chromium"
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        return [
            "",
            f"{title}: not measured, no headless browser on PATH (looked for {', '.join(BROWSERS)}); "
            "the row needs Debian's chromium package (apt-get install chromium).",
        ]
    folder = OUT / "html"
    folder.mkdir(parents=True, exist_ok=True)
    page, blank = folder / f"fleet-{machines}.html", folder / "blank.html"
    page.unlink(missing_ok=True)
    blank.write_text(BLANK_PAGE, encoding="utf-8")
    made, made_peak = measure(
        smslogdoc("fleet", str(tree), "--format", "html", "--output", str(page), "--fail-on", "none"), 1
    )
    # the figure means something only if Chromium built the whole page: every machine's section
    dumped = subprocess.run(
        chromium(browser, folder / "profile-check", page), capture_output=True, check=True, timeout=600
    ).stdout
    written, loaded = (text.count(MACHINE_SECTION) for text in (page.read_bytes(), dumped))
    if not written == loaded == machines:
        sys.exit(f"{page}: {machines} machines, {written} machine sections written, {loaded} loaded")
    (floor, floor_peak, _), (seconds, peak, ratio) = rounds(
        [
            chromium(browser, folder / "profile-blank", blank),
            chromium(browser, folder / "profile-report", page),
        ],
        runs,
    )
    verdict = "met" if seconds < HTML_FLOOR else "**not met**"
    return [
        "",
        f"{title} (`{Path(browser).name} --headless --dump-dom` with the browser tests' flags, a profile "
        "of its own kept between rounds; the ratio is to a blank page's load in the same rounds, the "
        "peak Chromium's largest process):",
        "",
        "| page | time | vs blank page | peak RSS |",
        "| --- | --- | --- | --- |",
        f"| blank page | {floor:.2f} s | 1x | {floor_peak:,.0f} MiB |",
        f"| fleet report of {machines:,} machines ({page.stat().st_size / 1e6:,.1f} MB) "
        f"| {seconds:.2f} s | {ratio:.1f}x | {peak:,.0f} MiB |",
        "",
        f"The report was made in {made:.2f} s (one run, {made_peak:,.0f} MiB in the main process); loaded in {seconds:.2f} s "
        f"against the {HTML_FLOOR:.0f} s the browser test once held: {verdict}.",
    ]


SECTIONS = ("logs", "collected", "growth", "tree", "html", "version")


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
        "--only",
        default=",".join(SECTIONS),
        help=f"the sections to measure, comma-separated (of {', '.join(SECTIONS)}); --doc needs all",
    )
    parser.add_argument(
        "--doc", "--readme", action="store_true", help="write the table into docs/performance.md"
    )
    args = parser.parse_args()
    # Measure smslogdoc as installed: pip compiles its modules, so a user's runs import
    # bytecode. With PYTHONDONTWRITEBYTECODE set (some shells and CI images set it) every
    # run would compile about 160 modules again and the start-up rows would show that.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "smslogdoc")], check=False)
    only = set(args.only.split(","))
    if args.doc and only != set(SECTIONS):
        sys.exit("--doc writes the whole table: measure every section (leave out --only)")
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
    # Byte-compiled as an installed package is (pip writes the .pyc files), so
    # that start-up is measured as users meet it, whatever PYTHONDONTWRITEBYTECODE says.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "smslogdoc")], check=True)
    sizes = [int(part) for part in args.sizes.split(",") if part]
    dense = [int(part) for part in args.dense.split(",") if part]
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    lines = [
        f"Measured with `python bench/run.py` on {cores} cores ({platform.machine()}, {platform.system()}), Python "
        f"{platform.python_version()}: each figure the median of {args.runs} runs, start-up included; "
        "each ratio the median of the ratios to the bare loop run in the same rounds.",
        "",
    ]
    if "logs" in only:
        lines += log_rows(args.runs, dense)
    if "collected" in only:
        lines += collected_rows(args.runs)
    if "growth" in only:
        lines += growth_rows(args.runs, sizes, dense)
    if "tree" in only:
        lines += tree_rows(args.runs, cores)
    if "html" in only:
        lines += html_rows(args.runs)
    if "version" in only:
        version = statistics.median(measure(smslogdoc("--version"), 1)[0] for _ in range(11))
        lines += ["", f"`smslogdoc --version`: {version * 1000:.0f} ms (median of 11)."]
    if load is not None:
        lines += [
            "",
            f"Load on the machine (1-minute load average, {cores} cores): {load:.1f} when the "
            f"measuring began, {os.getloadavg()[0]:.1f} when it ended.",
        ]
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
