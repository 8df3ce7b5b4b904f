"""Archives as inputs: recognise a zip, tar, gzipped tar or single gzipped log
by its content, list its regular-file members (one level of nesting too) and
stream each member's bytes, capped, without writing anything anywhere.

This module owns:

- **Recognition** (`archive_kind`): by magic bytes, never by name alone. `zip`
  (`PK\\x03\\x04`), `tar` (a valid ustar/GNU/v7 header block), `tar.gz` (gzip
  whose first expanded block is a tar header), `gz` (any other gzip: one
  gzipped log such as `execmgr.log.gz` or `ccmsetup.lo_.gz`). Cabinet, 7-Zip
  and RAR archives are recognised only to say they are not read. Zip-based
  documents (`.docx`, `.xlsx`, `.jar`, `.nupkg`...) are not archives of logs.
- **Members** (`iter_members`, `Member`): every regular file, in archive order,
  with one documented display path (below), its base name, its expanded size
  when the archive says it, and `open()` giving a capped, non-seekable binary
  stream. Hidden members (a path part starting with `.`, e.g. macOS `._x.log`)
  and Markdown notes are left out silently, as the folder walk does; folders
  are not members.
- **Hostile archives**: each gives one `Problem` and the rest is still read
  (see "Hostile archives" below).
- **Rotated parts inside an archive** (`group_members`, `rotation_key`): the
  same grouping the folder walk applies on disk.
- **Fleet machines** (`machines`): which immediate entries of a folder are
  machines, and their names.

Display path
------------
`ARCHIVE!/MEMBER`: the archive as the user or the folder walk named it, `!/`,
then the member's path inside it with `/` separators (backslashes, which some
Windows tools write, read as `/`; `.` and empty parts dropped). A nested
archive repeats the form: `logs.zip!/WKS0042.zip!/execmgr.log`. A gzipped log
names its one member after itself less `.gz`: `execmgr.log.gz!/execmgr.log`.
The folder of a member (for rules scoped `by: folder`) is its display path
less `/name`: `WKS0042.zip!/Windows/CCM/Logs`, or the archive itself
(`WKS0042.zip`) for a member at the top.

Caps (module constants, read at call time)
------------------------------------------
`MEMBER_CAP` (1 GiB) expanded bytes per member; `ARCHIVE_CAP` (4 GiB) per
archive, nested archives included; `RATIO_CAP` (200:1) expanded to compressed
bytes, checked only beyond `RATIO_FLOOR` (8 MiB expanded, so a small log
padded with NUL bytes, which compresses beyond 1000:1, still reads). The sizes
a zip or tar declares are checked when it is listed: a member over a cap is
not read, and members past the archive cap are not. (zipfile and the tar
reader never give more than the declared size, and listing a gzipped tar
stops at the caps.) A gzipped log declares no size it can be held to, so its
bytes are counted as they expand: past the member cap, the ratio, or the
archive's cap (its declared sizes plus what its gzipped members have
expanded to), the read ends with `ArchiveLimitError`. Every member stream
counts its own bytes against the member cap too. A nested zip or tar is read
into memory to be listed, so one over `NESTED_MEMORY_CAP` (256 MiB) is not
read; nesting deeper than `MAX_DEPTH` (1) is not read.

Hostile archives (one problem each, the rest still read)
--------------------------------------------------------
- zip bomb: a member declaring more than a cap, or more than the ratio, is not
  read; members past the archive cap are not read; a stream passing a cap
  while read raises `ArchiveLimitError` (an `OSError`) with what happened.
- member names with `..`, an absolute path or a drive letter: read as data
  (nothing is extracted, so no file can land anywhere) under the sanitised
  display path (those parts dropped), with a problem naming the raw name.
  A second member with the same display path is not read.
- encrypted zip members (general-purpose flag bit 0x1): not read.
- a zip compressed with a method Python cannot read (Deflate64, AES...): not read.
- a truncated or corrupt archive: the members before the damage are read and
  one problem says where it is; a zip without its central directory is listed
  from its local headers.
- symbolic links (tar, and zip entries with a link mode), tar hard links,
  devices, FIFOs and sparse members: not read.
- an archive with no file in it: "archive holds no files to read".
- `.cab`: no well-kept library reads cabinets on every platform (cabfile needs
  Windows' cabinet.dll; the pure-Python cabarchive 0.2.5 refuses LZX and
  Quantum folders and parses the whole archive from one bytes object), so a cabinet gives "extract .cab files
  first (expand -F:* file.cab dir)".

Streams from `Member.open()` are `io.BufferedReader`s: `read(n)` returns `n`
bytes unless at the end, and `seekable()` is False, so a reader sniffs the
first bytes and replays them (`decoding.open_binary(..., seekable=False)`).
Errors of a damaged member surface as `ArchiveError` (an `OSError`). An
archive is opened once, lazily, on its first member's `open()` and kept open
for the next (a gzipped tar is then decompressed forwards once, in whatever
order its members are read: `spool`); `Archive.close()` (or `close_all`) releases it. Members pickle
(for worker processes): the open handle is left behind and reopened there.
One archive's members are not to be read from several threads at once.

Modules: `kinds` (recognition, helpers for problem lines), `streams` (capped,
non-seekable member streams and the errors they raise), `members` (`Archive`,
`Member`, safe member names), `listing` (`iter_members`: checks, nesting),
`zips` and `tars` (reading their directories), `spool` (a gzipped tar
decompressed once, members read out of order kept aside), `machines` (rotated parts and
fleet machines), `caps` (the caps, read at call time: `caps.MEMBER_CAP = ...`
at run time is seen by every module).
"""

from __future__ import annotations

from smslogdoc.inputs.archives.caps import HEAD_SIZE, SEPARATOR
from smslogdoc.inputs.archives.kinds import (
    GZ,
    READABLE,
    TAR,
    TAR_GZ,
    UNREADABLE,
    ZIP,
    _human,
    _quote,
    archive_kind,
    kind_of,
)
from smslogdoc.inputs.archives.listing import iter_members
from smslogdoc.inputs.archives.machines import (
    Machine,
    MemberGroup,
    group_members,
    machine_name,
    machines,
    rotation_key,
)
from smslogdoc.inputs.archives.members import Archive, Member, close_all
from smslogdoc.inputs.archives.streams import ArchiveError, ArchiveLimitError

__all__ = [
    "GZ",
    "HEAD_SIZE",
    "READABLE",
    "SEPARATOR",
    "TAR",
    "TAR_GZ",
    "UNREADABLE",
    "ZIP",
    "Archive",
    "ArchiveError",
    "ArchiveLimitError",
    "Machine",
    "Member",
    "MemberGroup",
    "_human",
    "_quote",
    "archive_kind",
    "close_all",
    "group_members",
    "iter_members",
    "kind_of",
    "machine_name",
    "machines",
    "rotation_key",
]
