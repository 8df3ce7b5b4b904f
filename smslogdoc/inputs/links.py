"""Symbolic links met in a folder walk: followed only to places inside the
folder the user named, so a link cannot bring an outside file (a secret,
/etc/shadow, /proc/self/environ) into a report. The links not followed are
counted and said in one problem line per folder named."""

from __future__ import annotations

import os
from pathlib import Path

LINKS_OUT = "symbolic link(s) leading out of this folder skipped, not read"
"""The end of the one problem line a walk gives for the links it did not follow."""


def real_root(root: Path) -> str:
    """The folder as the links inside it are judged against (its own links resolved)."""
    return os.path.realpath(root)


def leads_inside(link: str, root: str) -> bool:
    """Whether the symbolic link `link` leads to a place inside `root` (a `real_root`)."""
    target = os.path.realpath(link)
    try:
        return os.path.commonpath([target, root]) == root
    except ValueError:  # another drive
        return False


def links_out_line(count: int) -> str:
    """The problem line for `count` links not followed."""
    return f"{count} {LINKS_OUT}"
