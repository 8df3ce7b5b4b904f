"""Differential fuzzing of sparse reading (`smslogdoc.scan`): for each input,
the diagnosis from reading every record and from scanning must be the same.

    python fuzz/fuzz_scan.py --inputs 100000

Inputs are mutated copies of the sample logs, several runs long, written as
files (a scan reads files), with tiny scan blocks and segments so that even
small inputs cross block and segment boundaries. A difference (or a crash) is
counted and the input saved under fuzz/out/.

    python fuzz/fuzz_scan.py --inputs 300 --folders

With `--folders`, each input is a folder of two to five such logs, and the
diagnosis from reading every record in one process is compared with the one
from scanning them with the logs shared out to two worker processes
(`smslogdoc.perlog`, as one machine's folder is on several cores), the
stories included (told from the workers' tapes).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_parse import corpus, mutate

from smslogdoc import perlog
from smslogdoc.diagnose import diagnose
from smslogdoc.read import scan, scanner
from smslogdoc.read.full import ReadOptions
from smslogdoc.report import jsondoc as report
from smslogdoc.report.document import report_of
from smslogdoc.report.writers import Options
from smslogdoc.rules.load import load_rules
from smslogdoc.rules.workflows import load_workflows

OUT = Path(__file__).resolve().parent / "out"
NAMES = ("ccmsetup.log", "execmgr.log", "smsapm32.log", "ccm.log", "other.log", "AppEnforce.log", "CAS.log")
OPTIONS = ReadOptions(record_cap=2048)
"""Blocks of 1 KiB: a few kilobytes of log are many blocks."""


def outcome(path: Path, rules: list, *, sparse: bool, jobs: int = 1, workflows: tuple = ()) -> str:
    scan.MIN_SIZE = 0 if sparse else 1 << 62
    result = diagnose([str(path)], rules, options=OPTIONS, jobs=jobs, workflows=workflows)
    out = io.StringIO()
    report.write(report_of(result), out, Options())
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folders", action="store_true", help="folders of logs, shared out to two workers")
    args = parser.parse_args()
    perlog.MIN_BYTES = 0
    scan.MIN_BLOCK, scan.SEGMENT_BLOCKS, scanner.TAIL_BYTES = 512, 3, 2048
    rules = load_rules([])[0]
    workflows = tuple(load_workflows([], rules)[0]) if args.folders else ()
    rng = random.Random(args.seed)
    seeds = corpus()
    tried = differences = crashes = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        while tried < args.inputs:
            tried += 1
            for old in Path(folder).iterdir():
                old.unlink()
            names = rng.sample(NAMES, rng.randint(2, 5)) if args.folders else [rng.choice(NAMES)]
            written = {}
            for name in names:
                data = written[name] = b"".join(
                    mutate(rng, rng.choice(seeds)) if rng.random() < 0.3 else rng.choice(seeds)
                    for _ in range(rng.randint(1, 12))
                )
                (Path(folder) / name).write_bytes(data)
            path = Path(folder) if args.folders else Path(folder) / names[0]
            jobs = 2 if args.folders else 1
            try:
                same = outcome(path, rules, sparse=False, workflows=workflows) == outcome(
                    path, rules, sparse=True, jobs=jobs, workflows=workflows
                )
            except Exception:
                crashes += 1
                same = True
                print(traceback.format_exc().strip().splitlines()[-1], file=sys.stderr, flush=True)
                save(written, "crash")
            if not same:
                differences += 1
                save(written, "difference")
            if tried % 5_000 == 0 or tried == args.inputs:
                rate = tried / max(time.monotonic() - started, 1e-9)
                print(
                    f"inputs tried: {tried:,}, differences: {differences}, crashes: {crashes} ({rate:,.0f}/s)",
                    flush=True,
                )


def save(written: dict[str, bytes], what: str) -> None:
    """The input's logs, under one digest (a folder's logs share it)."""
    OUT.mkdir(exist_ok=True)
    digest = hashlib.sha1(b"".join(written.values())).hexdigest()[:16]
    for name, data in written.items():
        (OUT / f"{what}-{digest}-{name}").write_bytes(data)
    print(f"{what}: {', '.join(written)} {digest}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
