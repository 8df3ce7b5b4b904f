"""Text a mail client or a forum wrapped (at 70 to 80 columns): the width it was
wrapped at, if its lines show one (`wrap_width`), and whether a line goes on in
the next (`wrapped_on`, `hangs_on`). `lines.plain_text` joins
such lines again; `registry` asks whether a CMTrace paste was wrapped."""

from __future__ import annotations

import re
from itertools import pairwise

WRAP_WIDTHS = range(70, 81)
"""The widths mail clients and forums wrap text at (72 to 80 columns, a little less for a
quote marker)."""
_NEAR = 6
"""Most wrapped lines end within this many columns of the width (the next word did not fit)."""
_LONGEST_WORD = 2048
"""The longest word a wrapper leaves on a line of its own that the next line may go on from."""
_STARTS_RECORD = re.compile(
    r"\s|[\[<(]?\d{1,4}[/.:-]\d(?![\d.]*\])|(?!\[HRESULT\s*=|\[[A-Za-z_]\w*::)[\[<]|\W*$|[A-Za-z_]\w*::~?\w+:\s"
)
"""A line that starts a record of its own (indented, a date or time, a bracket), never a wrap's rest.
Not a bracket that holds the code or the call site a line ends with: CBS's `[HRESULT = 0x80004005
- E_FAIL]` and WindowsUpdate.log's `[CUpdateEndpointProvider::GenerateSecurityTokenWithAuthTickets:1674]`,
which a wrap moves below the rest of their line. A line that opens with a C++ method and a colon
(`CTool::RegisterManagedBinary: run command line: ...`, as ConfigMgr's setup logs start each
record) starts one too: in SUPSetup.log such a record followed a wrapped one and was joined to it."""
_CALL_SITE = re.compile(r"-\s+[A-Za-z_]\w*::\w+")
"""DISM's and CBS's call site after a line's sentence (`... PEProvider.dll. -
CDISMProviderStore::Internal_GetProvider(hr:0x8007007e)`): a wrap moves it below the sentence,
full stop and all, as it does an exception's type name."""


def wrap_width(lines: list[str], *, sure: bool = False) -> int | None:
    """The width the text was wrapped at, if its lines show one: the longest line
    a wrapper could have broken is 70 to 80 columns long (a longer one starts with
    a word too long to break), and a fifth or more of the lines (at least three) end
    within a few columns of it, or, in two or three lines, every line but the last
    (`_one_line_wrapped`). `sure`: text whose lines are never that short of
    themselves (CMTrace records), wrapped whenever no line is longer than 80."""
    texts = [text.rstrip() for text in lines if text.strip()]
    if len(texts) < 2 or (sure and len(texts) < 4):
        return None
    if sure:
        longest = widest(texts)
        return longest if 0 < longest <= WRAP_WIDTHS[-1] else None
    width = narrow(texts)
    if width is None:
        return None
    if len(texts) < 4:  # one long line wrapped: every line but the last ends near the width, each goes on
        return width if _one_line_wrapped(texts, width) else None
    near = sum(1 for text in texts if width - _NEAR <= len(text) <= width)
    return width if near >= max(3, len(texts) // 5) else None


def narrow(lines: list[str]) -> int | None:
    """The longest breakable line's length, if a wrapper could have broken the
    text there: 70 to 80 columns, and no line longer but for a word too long to
    break."""
    texts = [text.rstrip() for text in lines if text.strip()]
    width = widest(texts)
    if width not in WRAP_WIDTHS:
        return None
    if any(len(text) > width and " " in text.strip()[: width + 1] for text in texts):
        return None
    return width


def widest(texts: list[str]) -> int:
    """The length of the longest line with a space in it: a line a wrapper could have broken."""
    return max((len(text) for text in texts if " " in text.strip()), default=0)


def _one_line_wrapped(texts: list[str], width: int) -> bool:
    """Whether two or three lines are one line a wrapper broke at `width`: each
    but the last ends within a few columns of it, with a space in it, and the
    next goes on from it (`wrapped_on`)."""
    return all(
        width - _NEAR <= len(line) <= width and " " in line.strip() and wrapped_on(line, following, width)
        for line, following in pairwise(texts)
    )


def wrapped_on(line: str, following: str, width: int) -> bool:
    """Whether `following` is the rest of `line`, moved down by a wrap at `width`: the
    first word of `following` would not have fitted, `line` does not end a sentence
    and `following` does not start a record."""
    word = following.split(" ", 1)[0]
    line = line.rstrip()
    return (
        # a longer line was not broken at this width, unless it is one word too long to break
        # (a path, an id); a piece of a huge line cut in bounded memory is neither
        (len(line) <= width or (" " not in line.strip() and len(line) <= _LONGEST_WORD))
        and len(line) + 1 + len(word) > width
        and (
            not line.endswith((".", "!"))
            or _EXCEPTION_NAME.match(following) is not None
            or _CALL_SITE.match(following) is not None
            or _CODE_ALONE.match(following) is not None
        )
        and not _STARTS_RECORD.match(following)
    )


_CODE_ALONE = re.compile(r"0x[0-9a-f]{8}\.?\s*$", re.IGNORECASE)
"""A line that is only an HRESULT: the code a message ends with after its full stop
(ClientIDManagerStartup.log's `Unable to find PKI Certificate matching SCCM certificate
selection criteria. 0x87d00280`), which a wrap moves below it; no record is a code alone."""
_EXCEPTION_NAME = re.compile(r"[A-Z]\w*(?:\.\w+)+Exception\b")
"""A .NET exception's type name (`System.Management.Automation.ValidationMetadataException`):
a wrap moves it below the sentence it goes with, full stop and all."""


_HANGING = re.compile(
    r"(?:[,:]|(?<=\s)(?:a|an|the|of|or|and|to|for|in|on|at|by|with|from|as|is|was|be|not|no|that|which|because|if"
    r"|where|when|while|than|into|via|using|whose|error|code|next)|\s[=+])$",
    re.IGNORECASE,
)
"""A line that ends in the middle of a sentence: a comma or a colon (`... - URL:` before
the address), an article, a preposition or a conjunction standing as a word of its own
(not a switch such as `-a`; `where` of a SQL statement too), `error`, `code` or `next`
before what they introduce, or an operator (`=`, `+`) before its operand."""
_CODE_START = re.compile(r"0x[0-9a-f]{4}", re.IGNORECASE)
"""A line that starts with a hexadecimal code: the value of the line before it."""
_PATH_START = re.compile(r"(?:\\\\|[A-Za-z]:\\)\S+\\\S*\s+[a-z]")
"""A line that starts with a path and goes on in lower-case words (a device path under
`GLOBALROOT` followed by `for read`, a drive's path followed by `with .Net Fx 2.0`): a path is what
a wrap moves whole below a line it did not fit on (bcdboot's `Unable to open file` before the
file's device path), with the sentence's rest after it. A path alone on its line, or followed by
a switch, is a record of its own (a script smsdpprov.log names on a line of its own), unless the
line before ends naming what the path is (`_NAMES_A_PATH`)."""
_ANY_PATH_START = re.compile(r"['\"]?(?:\\\\|[A-Za-z]:\\|\w[\w.$-]*\\)")
_NAMES_A_PATH = re.compile(r"(?<=\s)(?:file|folder|directory|path|key|share|namespace)$", re.IGNORECASE)
"""A line that ends with the noun a path names (`BFSVC: Unable to open file`, `Could not open the
registry key`, `Failed to open namespace`): a path on the next line (a drive's, a device's, a
registry key's, quoted or not) is the rest of it, however long (bcdboot's `.mui` device paths fill a
line alone)."""


def hangs_on(line: str, following: str, width: int) -> bool:
    """Whether `following` goes on from `line` in text whose wrap width is not
    sure (few lines reach it): as `wrapped_on`, and `line` ends in the middle of
    a sentence or `following` starts with a lower-case word, a hexadecimal code, an
    exception's type name or a path, or a path with a space in it goes on (`HKLM\\...\\Task`
    then `Sequence\\Package.`)."""
    return wrapped_on(line, following, width) and bool(
        _HANGING.search(line.rstrip())
        or following[:1].islower()
        or _CODE_START.match(following)
        or _EXCEPTION_NAME.match(following)
        or _PATH_START.match(following)
        or ("\\" in line.rsplit(" ", 1)[-1] and "\\" in following.split(" ", 1)[0])
        or (_ANY_PATH_START.match(following) is not None and _NAMES_A_PATH.search(line.rstrip()) is not None)
    )
