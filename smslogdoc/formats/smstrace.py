"""SMS trace records: `message~  $$<Component><stamp><thread=N (0xN)>`.

Written by SMS 1.x and 2.0 clients and servers (smsapm32.log, ccim32.log,
clisvc.log ...) and by ConfigMgr site-server components (ccm.log). One record
is one physical line in a real log; this module also reads the damaged copies
found in knowledge-base articles: trailers wrapped onto following lines,
`&<`/`&>` and `<BR/>` left by HTML conversion, a lost `>`, runs of spaces.

`~` in a message stands for a line break (the writer replaced CR and LF),
except before a digit, where it is part of an 8.3 file name (`PROGRA~1`).
"""

from __future__ import annotations

import re

from smslogdoc import times
from smslogdoc.formats.context import ParseContext
from smslogdoc.formats.lines import Verdict
from smslogdoc.formats.plaintext import severity_of
from smslogdoc.model import Event

_TRAILER = re.compile(
    r"""\$\$<\s*(?P<component>[^<>]*?)\s*(?P<close>>)?   # $$<component>, the '>' sometimes lost
        \s*(?:<(?P<stamp>[^<>]*)>)?                        # <stamp>
        \s*(?:[<>]?\s*thread\s*=\s*(?P<thread>[^<>]*?)\s*>)?   # <thread=N (0xN)>
        \s*$""",
    re.VERBOSE,
)
_CUT_TRAILER = re.compile(
    r"""\$\$<\s*(?P<component>[^<>]*?)\s*>?\s*(?:<(?P<stamp>[^<>]*)>?)?\s*(?:[<>]?\s*thread\s*=\s*(?P<thread>[^<>]*?)\s*>?)?\s*$""",
    re.VERBOSE,
)
_CONTINUES = re.compile(r"\s*(?:<[^<>]*\d:\d\d[^<>]*>?|<?\s*thread\s*=)")
"""A line that carries the rest of a trailer wrapped after its component."""
_THREAD = re.compile(r"\s*(\d+)\s*(?:\(\s*0x[0-9A-Fa-f]+\s*\))?\s*$|\s*(?:0x)?([0-9A-Fa-f]+)\s*$")
_LINE_BREAK_TILDE = re.compile(r"~(?!\d)")


def _tail_start(text: str) -> int:
    return text.rfind("$$")


def _normalised(tail: str) -> str:
    if "&" in tail:
        tail = tail.replace("&<", "<").replace("&>", ">")
    if "<BR/>" in tail:
        tail = tail.replace("<BR/>", "")
    return tail


_EXACT = re.compile(r"\$\$<([^<>]*)><([^<>]*)><thread=(\d+) \(0x[0-9A-Fa-f]+\)>$")
"""The trailer as SMS writers write it; anything else takes the tolerant patterns."""


class Trailer:
    """The end-of-record marker of SMS trace lines, for the line assembler."""

    name = "smstrace"

    def __init__(self) -> None:
        self._exact: tuple[str, int, re.Match[str]] | None = None
        """The last text `check` found an exact trailer in: `event` reuses the match."""

    def check(self, text: str) -> Verdict:
        """How complete the trailer at the end of `text` is."""
        start = text.rfind("$$<")
        if start >= 0 and text.find("$$", start + 2) < 0 and text.find("&", start) < 0:
            exact = _EXACT.match(text, start)
            if exact is not None:
                self._exact = (text, start, exact)
                return Verdict.COMPLETE
        start = _tail_start(text)
        if start < 0 or not text.startswith(("$$<", "$$&<"), start):
            return Verdict.NONE
        found = _TRAILER.match(_normalised(text[start:]))
        if found is None or (found["close"] is None and found["stamp"] is None and found["thread"] is None):
            return Verdict.OPEN
        if found["stamp"] is None and found["thread"] is None:
            return Verdict.PROVISIONAL
        return Verdict.COMPLETE

    @staticmethod
    def continues(line: str) -> bool:
        """Whether `line` carries the stamp or thread of a provisional trailer."""
        return _CONTINUES.match(line) is not None

    def event(self, text: str, line: int, end_line: int, ctx: ParseContext) -> Event:
        """The record that `text` (whose trailer `check` found whole) makes."""
        if self._exact is not None and self._exact[0] is text:
            _, start, exact = self._exact
            self._exact = None
            message = message_text(text[:start])
            return Event(
                ctx.path, line, end_line, times.sms_time(exact[2]) if exact[2] else None,
                " ".join(exact[1].split()),
                severity_of(message), int(exact[3]), message, "smstrace",
            )
        start = _tail_start(text)
        tail = _normalised(text[start:])
        found = _TRAILER.match(tail)
        if found is None:  # a trailer cut off at the end of the file: keep what it says
            ctx.problem("record cut off at the end of the file", end_line)
            found = _CUT_TRAILER.match(tail)
        return _build(text[:start], found, line, end_line, ctx.path)


def _build(raw_message: str, found: re.Match[str] | None, line: int, end_line: int, path: str) -> Event:
    component = stamp = thread_text = ""
    if found is not None:
        component = " ".join((found["component"] or "").split())
        stamp = found["stamp"] or ""
        thread_text = found["thread"] or ""
    message = message_text(raw_message)
    return Event(
        path,
        line,
        end_line,
        times.sms_time(stamp) if stamp else None,
        component,
        severity_of(message),
        thread_number(thread_text),
        message,
        "smstrace",
    )


def message_text(raw: str) -> str:
    """The message before `$$<`: separator spaces dropped, `~` made a line break."""
    message = raw.rstrip()
    if "~" in message:
        message = _LINE_BREAK_TILDE.sub("\n", message).strip("\r\n").rstrip()
    return message


def thread_number(text: str) -> int | None:
    """`1512 (0x5E8)` -> 1512; `E0` (SMS 1.x writes hex only) -> 224."""
    if not text:
        return None
    found = _THREAD.match(text)
    if found is None:
        return None
    if found[1] is not None:
        return int(found[1])
    return int(found[2], 16)
