"""Rotated parts of one log (`ccmsetup.lo_`, `execmgr-20240101-123456.log`):
which logical log a file belongs to and its rank among the parts, as a pure
function of its folder and name, for files on disk and archive members alike."""

from __future__ import annotations

import re

ROTATED = re.compile(r"^(?P<base>.+?)(?:-(?P<stamp>\d{8}-\d{6}))?\.(?P<ext>log|lo_)$", re.IGNORECASE)


def rotation_key(folder: str, name: str) -> tuple[tuple[str, str], tuple[int, str]]:
    """Which logical log a file of `folder` named `name` belongs to, and its
    rank among that log's parts (oldest first): `-YYYYMMDD-HHMMSS` stamped
    parts by stamp, then `.lo_`, then the current `.log`."""
    match = ROTATED.match(name)
    if not match:
        return (folder, name.lower()), (2, "")
    key = (folder, match["base"].lower())
    if match["stamp"]:
        return key, (0, match["stamp"])
    return key, ((1, "") if match["ext"].lower() == "lo_" else (2, ""))
