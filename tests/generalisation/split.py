"""Split a batch of new cases into dev/ and heldout/, and write HELDOUT_SOURCES.txt.

    python -m tests.generalisation.split [--dry-run]

New cases are collected in tests/generalisation/incoming/ (one folder per case,
all of one `batch`). Within each family of the batch, the cases sorted by the
SHA-1 of their id go to heldout/ at positions 0, 3, 6, ... and to dev/ otherwise
(`corpus.split_parts`). Cases already split are never moved: a later batch is
split on its own, so nothing anyone has read moves into heldout/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.generalisation.corpus import HELDOUT_SOURCES, ROOT, CaseError, load_case, load_cases, split_parts

INCOMING = "incoming"
HEADER = (
    "# Sources of the held-out cases of tests/generalisation/heldout/, one a line.\n"
    "# A blocklist: do not read, cite or write knowledge from these pages, threads or files.\n"
    "# A repo:path@commit line blocks that file at any commit and the web page published from it.\n"
)


def heldout_sources(root: Path = ROOT) -> list[str]:
    """The distinct sources of the held-out cases, with the Knowledge Base numbers (`KB<number>`)
    of those that are KB articles and the other addresses (`also`) the same text is published at, sorted."""
    cases = load_cases(root, ("heldout",))
    return sorted(
        {case.source for case in cases} | {extra for case in cases for extra in case.kb + case.also}
    )


def write_heldout_sources(root: Path = ROOT) -> None:
    """Write HELDOUT_SOURCES.txt from the held-out cases."""
    target = root / HELDOUT_SOURCES.name
    target.write_text(HEADER + "".join(f"{source}\n" for source in heldout_sources(root)), encoding="utf-8")


def split_incoming(root: Path = ROOT, dry_run: bool = False) -> dict[str, str]:
    """Move every case of incoming/ to its part; the part of each id."""
    base = root / INCOMING
    folders = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    cases = [load_case(folder) for folder in folders]
    existing = {case.id for case in load_cases(root)}
    clash = sorted(existing & {case.id for case in cases})
    if clash:
        raise CaseError(f"ids already in dev/ or heldout/: {', '.join(clash)}")
    parts = split_parts((case.id, case.family, case.batch, case.accepted) for case in cases)
    if not dry_run:
        for case in cases:
            (root / parts[case.id]).mkdir(exist_ok=True)
            shutil.move(str(case.folder), str(root / parts[case.id] / case.id))
        write_heldout_sources(root)
    return parts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.generalisation.split", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--dry-run", action="store_true", help="say where each case would go; move nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    parts = split_incoming(options.root, options.dry_run)
    for case_id, part in sorted(parts.items(), key=lambda item: (item[1], item[0])):
        print(f"{part:<8} {case_id}")
    print(
        f"{sum(p == 'dev' for p in parts.values())} to dev, {sum(p == 'heldout' for p in parts.values())} to heldout"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
