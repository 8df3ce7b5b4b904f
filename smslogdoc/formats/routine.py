"""Messages healthy logs write that only look like failures, for the severity
inference of text that carries none (`severity`): those the bundled lists name
(data/benign.yaml, phrases.yaml's `benign` section, and the whole messages a
code's context names as routine for its code), also as a page passed them on,
and a lookup or a cleanup that finds nothing there (`only_absent`), which
ConfigMgr writes as a warning."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import regex
import yaml

from smslogdoc.codes.explain import parse_code
from smslogdoc.data.benign import benign_entries, benign_wordings
from smslogdoc.data.yamlload import LOADER
from smslogdoc.formats.webpage import ENTITIES
from smslogdoc.model import Severity

_ABSENT_CODE = re.compile(
    r"(?i)(?<![\w.{-])(?:0x)?(?:80070002|80070003|80070490|80070103|80070906|8004100e|80041002|80041010|87d00215)(?![\w}-])"
)
"""Codes that say what was looked for is not there: file or path not found
(0x80070002, 0x80070003), element not found (0x80070490), no more items
(0x80070103), share not found (0x80070906), WMI's invalid namespace, not found
and invalid class (0x8004100E, 0x80041002, 0x80041010), ConfigMgr's item not
found (0x87D00215)."""
_PROBE = re.compile(
    r"(?ix)"
    r"(?:\bfail(?:ed|s|ure)?\s+(?:to|in|while)|\bunable\s+to|\bcould\s*n[o']t|\bcan(?:no|')t|\bunsuccessful\s+in)\s+"
    r"(?:the\s+)?(?:get|getting|open|opening|find|finding|load|loading|read|reading|query|querying|enumerate|enumerating"
    r"|locate|locating|look\s+up|retrieve|retrieving|delete|deleting|remove|removing|release|releasing|unload|unloading)\b"
    r"|\b(?:Get|Find|Open|Query|Read|Enum|Lookup|RegOpen|RegQuery|RegGet|Delete|Remove|Release)\w*(?:\(\))?"
    r"\s+(?:failed|is\s+unsuccessful)\b"
)
"""A failure to look something up (get, open, find, load, read, query, enumerate)
or to clean it up (delete, remove, release, unload), in words or as the name of
the call (`GetTsRegValue() is unsuccessful`, `FindProduct failed`)."""
_CODE_TEXT = re.compile(r"(?i)\bthe\s+system\s+cannot\s+find\s+the\s+(?:file|path)\s+specified")
"""The texts of 0x80070002 and 0x80070003, which say `cannot find` of the code,
not of what the line was doing (`Failed to run the action: ... The system
cannot find the file specified. (Error: 80070002; Source: Windows)`)."""
_HEX_CODE = re.compile(r"(?i)(?<![\w.{-])(?:0x[89a-f][0-9a-f]{7}|[89][0-9a-f]{7})(?![\w}-])")
"""The failure codes a line writes, in hex with or without `0x` (a package ID such
as `ABC00001` is not one)."""


def only_absent(text: str) -> bool:
    """Whether a line says that looking something up or cleaning it up failed
    because it is not there, and nothing else: a probe or a cleanup that finds
    nothing is routine (a client looks for a WMI namespace, a registry value or
    a file that a later step creates, a cleanup finds nothing left to remove),
    and ConfigMgr itself writes such lines as warnings (CMTrace type 2):
    "Failed to get IWbemService Ptr for root\\dellomci Namespace: 8004100E"
    (InventoryAgent), "Could not open the registry key ... with error 0x80070002."
    (ExternalEventAgent; both configmgr/iOS-CMLogTracer's test logs),
    "GetTsRegValue() is unsuccessful. 0x80070002." and "Failed to delete registry
    value HKLM\\Software\\Microsoft\\SMS\\Task Sequence\\Package. Error code 0x80070002"
    (TSManager, ErnestoLeon87/log_reader smsts.log), "Failed to create
    user-specified local data path D:\\_SMSTaskSequence. Error 0x80070003" is not one
    (creating is not a probe). A pasted line, which has lost that type, keeps it."""
    codes = _HEX_CODE.findall(text)
    return (
        bool(codes)
        and all(_ABSENT_CODE.fullmatch(code) for code in codes)
        and _PROBE.search(_CODE_TEXT.sub(" ", text)) is not None
    )


_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")
_ENTITY = re.compile(r"&(?:quot|amp|lt|gt|#39|#34|apos);")


def named_benign(text: str) -> bool:
    """Whether the known-benign lists name a message (`known_benign`), also as a
    page passed it on: wrapped onto several lines, which the readers keep as one
    record with its line breaks (a paste wrapped at 76 columns by a mail client or
    a forum: "... SetFailureCondition - Job will fail immediately on" then "error"),
    or with its quotes and brackets written as HTML entities (`Failed to update
    database &quot;CM_AAA&quot; because the database is read-only`), which a short
    paste of one or two lines keeps where the reader did not repair it
    (`damage.characters_in` repairs a text with a quote so written or three
    entities of any kind, and no `<`, `>` or `"` of its own)."""
    message = text.strip()
    benign = known_benign()
    if benign.search(message) is not None:
        return True
    plain = _BREAK.sub(" ", message) if "\n" in message or "\r" in message else message
    if "&" in plain:
        plain = _ENTITY.sub(lambda found: ENTITIES[found.group()], plain)
    if plain != message and benign.search(plain) is not None:
        return True
    texts = {plain}
    if plain[:1].isdigit() or plain[:1] == "[":
        texts.add(_LINE_HEAD.sub("", plain, count=1))
        numberless = _PASTE_NUMBER.sub("", plain, count=1)
        if numberless != plain:
            texts.update((numberless, _LINE_HEAD.sub("", numberless, count=1)))
    if any(benign.search(text) is not None for text in texts - {plain}):
        return True
    return any(code.search(text) and whole.search(text) for code, whole in _code_benign() for text in texts)


_PASTE_NUMBER = re.compile(r"^\d{1,6}(?::[ \t]+|[ \t]*\|[ \t]*|[ \t]+)(?=\S)")
"""The line number a page or an editor put before each pasted line (`12: `, `12 | `, `12 `),
which the lists' messages do not have (`1: Info: DEBUG: Error 2911:  Could not remove the
folder C:\\Config.Msi\\.`); a time that follows it is the line's own (`_LINE_HEAD`)."""
_LINE_HEAD = re.compile(
    r"^\[?(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[ T]+)?\d{1,2}:\d{2}(?::\d{2})?(?:[.,:]\d+)?(?:\s*[AP]M)?"
    r"(?:[+-]\d{1,4}|Z)?\]?(?:\s{2,}|\t|\s*[-|]\s+|\s+)(?:[A-Za-z_][\w.-]*(?:\s{2,}|\t|:\s+))?"
    r"(?:\d+\s+\(0x[0-9A-Fa-f]+\)(?:\s{2,}|\t))?"
)
"""A pasted line's head that a plain line keeps in its message: a date and time (or a
time alone), then perhaps the component and the thread (`2019-10-18 10:24:57.480
TSManager  SetNamedSecurityInfo() failed.`, `[10/18/2019 10:24:57] ...`); the lists name
messages without it."""


@cache
def _code_benign() -> tuple[tuple[re.Pattern[str], regex.Pattern[str]], ...]:
    """The whole messages the code contexts (data/contexts/*.yaml) name as routine
    for their code: an entry's `benign` patterns anchored at both ends, each with
    the code the message must hold ("Unable to find PKI Certificate matching SCCM
    certificate selection criteria. 0x87d00280", a warning of a client set to use
    HTTPS when available on a site without PKI). What keeps the code's context from
    firing on the message also keeps a paste of it, which has lost its type, from
    counting as an error record (for the wordings too). Patterns that are pieces of
    a message (`TSEnv`, `environmentscope\\.cpp`) are left out: they tell the code's
    meaning apart, not a whole message that is routine. Read the first time a
    record the other lists do not name looks like a failure."""
    found: list[tuple[re.Pattern[str], regex.Pattern[str]]] = []
    folder = resources.files("smslogdoc.data").joinpath("contexts")
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if not item.name.endswith(".yaml"):
            continue
        entries = yaml.load(item.read_text(encoding="utf-8"), Loader=LOADER) or []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not entry.get("benign"):
                continue
            value = parse_code(str(entry.get("code", "")))
            whole = [
                str(pattern)
                for pattern in entry["benign"]
                if str(pattern).startswith("^") and str(pattern).endswith("$")
            ]
            if value is None or not whole:
                continue
            spelled = rf"(?<![0-9a-f])(?:0x)?{value:08x}(?![0-9a-f])"
            if value < 0x80000000:
                spelled += rf"|(?<![\w.]){value}(?![\w.])"
            found.append(
                (
                    re.compile(spelled, re.IGNORECASE),
                    regex.compile("|".join(f"(?:{pattern})" for pattern in whole), regex.IGNORECASE),
                )
            )
    return tuple(found)


@cache
def known_benign() -> regex.Pattern[str]:
    """Messages healthy logs write that only look like failures, as the bundled
    lists name them: the `pattern` of each entry of data/benign.yaml (error
    records healthy clients write routinely) and of phrases.yaml's `benign`
    section (contexts in which no failure wording applies). One pattern, read
    once a process (the phrases' `benign` section alone is parsed, not the
    whole table); searched without case in a message with its ends trimmed,
    as the families' vetoes search them."""
    patterns = [
        str(entry["pattern"])
        for entry in benign_entries()
        if isinstance(entry, dict) and entry.get("pattern")
    ]
    patterns += benign_wordings()
    return regex.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!)", regex.IGNORECASE)


SQL_CLAUSE = re.compile(r"(?i)\b(?:select|from|where|join|into|update|order\s+by)\s+`")
SQL_NAME = re.compile(r"`[A-Za-z_][\w#.]*`")
"""A SQL query's table and column names, which Windows Installer writes in backquotes
(`` SELECT `Message` FROM `Error` WHERE `Error` = 1709 ``, its lookup of an error
message's text, on a `Note: 1: 2228` line that a page wrapped so that the query's end
stands alone: wazuh/wazuh-packages#1786): a name, not a verdict, where the line has a
SQL clause that names one."""


LEVEL_WARNING = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, Warning\s")
"""A Windows setup or servicing log's own level column (setupact.log, CBS.log, dism.log:
`2021-12-10 15:20:49, Warning  DISM   DISM Provider Store: ... Failed to load the provider`):
what its writer called a warning is not an error record, however its words read. Its `Info`
column is no such limit (CBS writes a servicing failure as `Info  CBS  Failed to ...
[HRESULT = 0x800f0922 ...]`), and its `Error` column agrees with the words."""


def without_sql_names(text: str) -> str:
    """`text` without the backquoted table and column names of a SQL clause (`SQL_NAME`)."""
    return SQL_NAME.sub(" ", text) if "`" in text and SQL_CLAUSE.search(text) else text


def level_limited(text: str, verdict: Severity) -> Severity:
    """`verdict`, at most a warning where a setup log's level column says so (`LEVEL_WARNING`)."""
    if verdict is Severity.ERROR and "Warning" in text[:40] and LEVEL_WARNING.match(text):
        return Severity.WARNING
    return verdict
