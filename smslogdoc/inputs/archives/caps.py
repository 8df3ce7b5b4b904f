"""The caps on what archives may expand to, and the constants of the archive
readers. Every module reads the caps from here at call time, so a change at
run time (`caps.MEMBER_CAP = ...`, as tests do) is seen everywhere."""

from __future__ import annotations

MEMBER_CAP = 1 << 30
"""Expanded bytes one member may have (1 GiB)."""
ARCHIVE_CAP = 4 << 30
"""Expanded bytes one archive may have, its nested archives included (4 GiB)."""
RATIO_CAP = 200
"""Expanded bytes per compressed byte a member may reach..."""
RATIO_FLOOR = 8 << 20
"""...once it has expanded past this many bytes (8 MiB)."""
NESTED_MEMORY_CAP = 256 << 20
"""A nested zip or tar is read into memory to be listed; one larger is not read (256 MiB)."""
SPOOL_CAP = 1 << 30
"""Bytes of a gzipped tar kept aside (in a temporary file) for members read
out of archive order, so the stream is decompressed once (1 GiB; `spool`)."""
MAX_DEPTH = 1
"""How deep archives nest and are still read: a zip inside a zip, not deeper."""

SEPARATOR = "!/"
"""Between an archive and a member's path inside it in a display path."""

HEAD_SIZE = 8192
"""Bytes looked at to recognise an archive."""
