"""Fuzz smslogdoc end to end: bytes -> parser -> rule engine (all bundled rules)
-> JSON and text reports. Not a CI test: a long run, recorded in docs/reliability.md.

With atheris (coverage-guided, `pip install atheris`):

    python fuzz/fuzz_parse.py --inputs 1000000

Without it, random mutations of the sample logs:

    python fuzz/fuzz_parse.py --inputs 1000000 --random

An input that raises is a crash: it is counted, saved under fuzz/out/, and the
run goes on. The last line says how many inputs were tried and how many crashed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import time
import traceback
from pathlib import Path
from typing import ClassVar

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SAMPLES = HERE.parent / "sample_logs"
NAMES = (
    "ccmsetup.log",
    "execmgr.log",
    "smsapm32.log",
    "ccm.log",
    "mobileclient.tcf",
    "client.msi.log",
    "paste.txt",
)


class Run:
    tried = 0
    crashes = 0
    seen: ClassVar[set[str]] = set()
    started = time.monotonic()


def setup() -> None:
    global \
        Engine, \
        InputFile, \
        LogInput, \
        FileReport, \
        read_stream, \
        RULES, \
        jsondoc, \
        markdown, \
        text, \
        Outcome, \
        console
    from smslogdoc.diagnose import Outcome
    from smslogdoc.engine.loop import Engine
    from smslogdoc.inputs.paths import InputFile, LogInput
    from smslogdoc.model import FileReport
    from smslogdoc.read.full import read_stream
    from smslogdoc.report import jsondoc, markdown, text
    from smslogdoc.report.terminal import console
    from smslogdoc.rules.load import load_rules

    RULES = load_rules([])[0]


def one_input(data: bytes) -> None:
    Run.tried += 1
    name = NAMES[data[0] % len(NAMES)] if data else NAMES[0]
    try:
        file_report = FileReport(name)
        events = list(read_stream(io.BytesIO(data), file_report))
        engine = Engine(RULES)
        log = LogInput(name, "fuzz", [InputFile(Path(name), name)])
        log.reports.append(file_report)
        findings = engine.log(log, events) + engine.finish()
        outcome = Outcome(findings, [file_report], engine.problems, [log], len(RULES))
        jsondoc.write_json(outcome, findings, io.StringIO())
        sink = console()
        sink.file = io.StringIO()
        text.write_text(outcome, findings, sink)
        markdown.write_markdown(outcome, findings, io.StringIO())
    except Exception:
        Run.crashes += 1
        digest = hashlib.sha1(data).hexdigest()[:16]
        OUT.mkdir(exist_ok=True)
        (OUT / f"crash-{digest}.bin").write_bytes(data)
        signature = traceback.format_exc().strip().splitlines()[-1]
        if signature not in Run.seen:
            Run.seen.add(signature)
            print(f"crash {digest}: {signature}", file=sys.stderr, flush=True)


def progress(target: int) -> None:
    if Run.tried % 50_000 == 0 or Run.tried == target:
        rate = Run.tried / max(time.monotonic() - Run.started, 1e-9)
        print(f"inputs tried: {Run.tried:,}, crashes: {Run.crashes} ({rate:,.0f}/s)", flush=True)


def corpus() -> list[bytes]:
    seeds = [
        path.read_bytes() for path in sorted(SAMPLES.rglob("*")) if path.is_file() and path.suffix != ".md"
    ]
    # small slices fuzz faster than whole logs
    return [seed[start : start + 2048] for seed in seeds for start in range(0, min(len(seed), 8192), 2048)]


def mutate(rng: random.Random, data: bytes) -> bytes:
    tokens = [
        b"<![LOG[",
        b"]LOG]!>",
        b'"',
        b"<",
        b">",
        b"\r\n",
        b"\r",
        b"\x00",
        b"~",
        b"$$<",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\xed\xa0\x80",
        b"\t",
        b"=",
        b"thread=",
    ]
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(data))
        choice = rng.random()
        if choice < 0.3:
            data[at:at] = rng.choice(tokens)
        elif choice < 0.5 and data:
            del data[at : at + rng.randint(1, 64)]
        elif choice < 0.7 and data:
            data[at:at] = data[at : at + rng.randint(1, 256)]
        elif choice < 0.85:
            data[at:at] = rng.randbytes(rng.randint(1, 16))
        else:
            del data[at:]
    return bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--random", action="store_true", help="random mutations instead of atheris")
    parser.add_argument("--seed", type=int, default=1)
    args, rest = parser.parse_known_args()

    if not args.random:
        try:
            import atheris
        except ImportError:
            print("atheris is not installed: using random mutations (--random)", file=sys.stderr)
            args.random = True
    if args.random:
        setup()
        rng = random.Random(args.seed)
        seeds = corpus()
        while Run.tried < args.inputs:
            one_input(
                mutate(rng, rng.choice(seeds)) if rng.random() < 0.9 else rng.randbytes(rng.randint(0, 512))
            )
            progress(args.inputs)
        return

    with atheris.instrument_imports():
        setup()
    seeds_dir = OUT / "corpus"
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(corpus()):
        (seeds_dir / f"seed-{index:04d}").write_bytes(seed)

    def target(data: bytes) -> None:
        one_input(data)
        progress(args.inputs)

    atheris.Setup(
        [sys.argv[0], f"-runs={args.inputs}", "-max_len=8192", "-print_final_stats=1", *rest, str(seeds_dir)],
        target,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
