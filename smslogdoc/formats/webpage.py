"""What a web page makes of a log's characters when the log is pasted into it:
typographic quotes for straight ones, an ellipsis for three dots, HTML entities
for the characters markup reserves. The one table of each: plain lines are read
with the quotes put back (`plaintext`), a damaged CMTrace or SMS trace paste is
repaired with the kinds found in it (`damage`), and a routine message is still
known with its entities (`routine`)."""

from __future__ import annotations

QUOTES = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "‶": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "‵": "'",
    "\u2026": "...",
}
"""Each typographic quote (and the ellipsis) and what it was."""

ENTITIES = {
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&amp;": "&",
    "&apos;": "'",
    "&#39;": "'",
    "&#34;": '"',
    "&#60;": "<",
    "&#62;": ">",
    "&nbsp;": " ",
}
"""Each HTML entity a page writes for a log's characters and what it was."""
