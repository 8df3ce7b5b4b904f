"""Text in the HTML report: any value from a document made inert (`esc`),
and a rule's own text with its `code` spans (`rule_text`)."""

from __future__ import annotations

import html
import re

__all__ = ["esc", "rule_text"]

_VISIBLE = {
    code: f"\\x{code:02x}"
    for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]
}
_VISIBLE.update(
    {
        code: f"\\u{code:04x}"
        for code in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
    }
)
_VISIBLE_TABLE = str.maketrans(_VISIBLE)
_CODE = re.compile(r"`([^`\n]+)`")


def esc(value: object) -> str:
    """Any value from a document, as inert HTML text (safe in content and in
    quoted attributes): line breaks kept, other control characters and
    direction overrides made visible, then `html.escape(quote=True)`."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text.translate(_VISIBLE_TABLE), quote=True)


def rule_text(text: object) -> str:
    """A rule's own text (diagnosis, cause, fix): escaped, its `code` spans as
    `<code>` (after escaping, so nothing in them is markup)."""
    return _CODE.sub(r"<code>\1</code>", esc(text)).replace("\n", "<br>")
