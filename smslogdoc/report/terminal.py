"""Showing log text on a terminal safely, and the consoles everything prints to.

Log text is data. Before it reaches the terminal, control characters (ANSI and
OSC escape sequences, bell, backspace, carriage return, C1 codes) and
bidirectional overrides are made visible as `\\xNN` / `\\uNNNN`, so a log can
never restyle, retitle or rearrange the reader's terminal. It is always
handed to rich as `Text`, never as markup, so `[bold]` and `:x:` print as
written. Machine outputs (JSON, CSV) keep the exact text instead.
"""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

_VISIBLE = {
    code: f"\\x{code:02x}"
    for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0D, 0x20), 0x7F, *range(0x80, 0xA0)]
}
_VISIBLE.update(
    {
        code: f"\\u{code:04x}"
        for code in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    }
)
_VISIBLE_TABLE = str.maketrans(_VISIBLE)


def visible(text: str) -> str:
    """`text` with every control character and direction override made visible.
    Line breaks and tabs stay: CRLF and CR become plain line breaks."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_VISIBLE_TABLE)


_NAME_TABLE = str.maketrans({**_VISIBLE, 0x09: "\\x09", 0x0A: "\\x0a", 0x0D: "\\x0d"})


def name(text: str) -> str:
    """A name (a file, an archive member, a path, a rule's title) made inert
    as log text is (`visible`), and kept on one line: a line break or tab in
    it is made visible too, so a name can never forge a line of its own."""
    return text.translate(_NAME_TABLE)


def log_text(text: str, style: str = "") -> Text:
    """A rich `Text` for text that came from a log (never parsed as markup)."""
    return Text(visible(text), style=style)


def log_name(text: str, style: str = "") -> Text:
    """A rich `Text` for a name (`name`): inert, on one line."""
    return Text(name(text), style=style)


def wrapped(head: Text, rest: str, width: int, indent: str, style: str = "") -> list[Text]:
    """`head`, then `rest` wrapped at spaces within `width` (never inside a
    word), its further lines indented by `indent`."""
    wrapped = textwrap.wrap(
        rest,
        width=width,
        initial_indent="\0" * len(head.plain),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if not wrapped:
        return [head]
    first = head.copy()
    first.append(wrapped[0][len(head.plain) :], style=style)
    return [first, *(Text(line, style=style) for line in wrapped[1:])]


class _LineConsole(Console):
    """Standard error's console: every string printed is one inert line
    (`name`), whatever names it holds (a file or member name, a path, a
    message quoting them)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(name(item) if isinstance(item, str) else item for item in objects), **kwargs)


COLOR_MODES = ("auto", "always", "never")
_color_mode = "auto"


def set_color(mode: str) -> None:
    """`--color`: `auto` (colour on a terminal, unless NO_COLOR is set; FORCE_COLOR
    forces it), `always`, or `never`."""
    global _color_mode
    if mode not in COLOR_MODES:
        raise ValueError(f"unknown colour mode {mode!r}; choose {', '.join(COLOR_MODES)}")
    _color_mode = mode


def console(*, stderr: bool = False, color: bool | None = None, file: TextIO | None = None) -> Console:
    """A console that follows `--color` (see `set_color`): by default it honours
    NO_COLOR and FORCE_COLOR and drops colour when not a terminal; it never turns
    `:name:` in data into emoji. It writes to standard output, standard error
    (`stderr`), or `file`."""
    if color is None and _color_mode != "auto":
        color = _color_mode == "always"
    no_color = color is False or (color is None and bool(os.environ.get("NO_COLOR")))
    force = True if color else None  # None: rich decides, honouring FORCE_COLOR
    return (_LineConsole if stderr else Console)(
        file=file,
        stderr=stderr,
        emoji=False,
        highlight=False,
        no_color=no_color,
        color_system=None
        if color is False
        else (
            "standard"
            if color and not _interactive(file or (sys.stderr if stderr else sys.stdout))
            else "auto"
        ),
        force_terminal=force,
        soft_wrap=stderr,  # one-line messages on stderr must stay one line
    )


def console_for(out: TextIO) -> Console:
    """The console a report is written through: standard output's, or (`-o
    FILE`) one on the file that writes the bytes standard output would get
    when it is not a terminal."""
    return console() if out is sys.stdout else console(file=out)


def _interactive(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def prefer_utf8_output() -> None:
    """Write UTF-8 when output goes to a pipe or file (what JSON and CSV readers
    expect, and what Windows pipes default away from); never fail on a
    character the terminal cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        if not stream.isatty():
            reconfigure(encoding="utf-8", errors="replace")
        else:
            reconfigure(errors="replace")
