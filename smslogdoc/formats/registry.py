"""Every format smslogdoc reads, by name. A new format is a module in this
package with a `FORMAT` (a `protocol.Format`), listed here and recognised in
`inputs.detect`."""

from __future__ import annotations

from smslogdoc.formats import cmtrace, copied, ini, smstrace
from smslogdoc.formats.lines import PLAIN_TEXT
from smslogdoc.formats.protocol import Format

FORMATS: dict[str, Format] = {
    found.name: found for found in (cmtrace.FORMAT, smstrace.FORMAT, copied.FORMAT, ini.FORMAT, PLAIN_TEXT)
}
