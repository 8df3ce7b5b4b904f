"""Snapshots of `diagnose --format json`, to show a change of code leaves the
findings byte-identical.

    python bench/snapshot.py OUT [--inputs bench/out]     # write the snapshot
    python bench/snapshot.py OUT --compare BEFORE          # and compare it with an older one
    ../main/.venv/bin/python bench/snapshot.py BEFORE --code ../main   # main's code on the same inputs

The inputs: every sample scenario, the whole `sample_logs/` tree, the real logs
in `../shared/real-logs/` (when present), and the benchmark logs and machine
tree made by `bench/generate.py` (when present in `--inputs`). Each is diagnosed
with `--jobs 1` and with the default jobs, so the helper process and the folder
workers are covered too. Exit 1 when a comparison finds a difference.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REAL = REPO.parent / "shared" / "real-logs"


def inputs(bench_out: Path) -> dict[str, Path]:
    """Name of each snapshot -> the path it diagnoses."""
    found = {"sample_logs": REPO / "sample_logs"}
    for scenario in sorted((REPO / "sample_logs").iterdir()):
        if scenario.is_dir():
            found[f"sample-{scenario.name}"] = scenario
    if REAL.is_dir():
        found["real-logs"] = REAL
        for log in sorted(REAL.glob("*.log")):
            found[f"real-{log.name}"] = log
    for name in (
        "cmtrace-10mb.log",
        "cmtrace-100mb.log",
        "smstrace-100mb.log",
        "dense-110mb.log",
        "tree-2000",
        "client-folder",
        "small-3000",
        "small-5000-in-50",
    ):
        if (bench_out / name).exists():
            found[f"bench-{name}"] = bench_out / name
    return found


def snapshot(out: Path, bench_out: Path, code: Path = REPO) -> None:
    """`diagnose --format json` of each input, on one job and on all, by the
    smslogdoc of the checkout `code` (run from there)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, path in inputs(bench_out).items():
        for jobs in ("1", "0"):
            command = [
                sys.executable,
                "-m",
                "smslogdoc",
                "diagnose",
                str(path),
                "--format",
                "json",
                "--jobs",
                jobs,
                "--fail-on",
                "none",
            ]
            result = subprocess.run(command, capture_output=True, check=False, cwd=code)
            (out / f"{name}.jobs{jobs}.json").write_bytes(
                result.stdout + b"\n--- exit " + str(result.returncode).encode() + b"\n"
            )


def compare(out: Path, before: Path) -> int:
    differ = 0
    names = sorted({p.name for p in out.glob("*.json")} | {p.name for p in before.glob("*.json")})
    for name in names:
        now, then = out / name, before / name
        if not now.exists() or not then.exists() or now.read_bytes() != then.read_bytes():
            differ += 1
            print(f"differs: {name}")
    print(f"{len(names) - differ} of {len(names)} snapshots identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--inputs", type=Path, default=HERE / "out", help="where bench/generate.py wrote its inputs"
    )
    parser.add_argument("--compare", type=Path, help="an older snapshot to compare with")
    parser.add_argument(
        "--code",
        type=Path,
        default=REPO,
        help="the checkout whose smslogdoc is run (another worktree, for a snapshot of its code; "
        "run this script with that checkout's Python)",
    )
    args = parser.parse_args()
    snapshot(args.out, args.inputs, args.code.resolve())
    return compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
