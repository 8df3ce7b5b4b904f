"""Severity for text that carries none: SMS trace records, copied rows, plain lines and pastes say whether
they failed only in their words. A record is an error when it says it failed (`failed to`, `unable to`,
`could not`, `access denied`, `timed out`, `rolled back` ...), calls itself an error, writes a failure
HRESULT where a code goes (`0x80070005`, `-2147024891`) or a non-zero exit or return code; a warning
when it says so or that it will retry; and informational otherwise. Phrases that only look like failures
(`0 errors`, `error = 0x00000000`, `exit code 0`, `no failures`) stay informational, and so does a
message that the known-benign lists name (`routine.named_benign`): what keeps a pasted line from a
wording's or a code's finding also keeps it from counting as an error record. A failure that says it
goes on to the next server or address (`Try next IP...`) is a warning: its last try says whether it
failed. So is a lookup or a cleanup whose only code says the thing is not there (`Could not open the
registry key ... with error 0x80070002.`), as ConfigMgr writes it. CMTrace's `type` never comes here.
"""

from __future__ import annotations

import re

from smslogdoc.data.statusvalues import outcomes_in
from smslogdoc.formats.routine import level_limited, named_benign, only_absent, without_sql_names
from smslogdoc.memo import Memo
from smslogdoc.model import Severity

_FAILURE = re.compile(r"(?i)\b(?:error|errors|err|fail|fails|failed|failure|failures|failing|fatal)\b|\berr>")
"""Words with which a line says it failed (`err>`: the SMS 2.0 error prefix)."""
_TROUBLE = re.compile(
    r"(?ix)\b(?:"
    r"unable\s+to|could\s*n[o']t|can(?:no|')t|access\s+(?:is\s+)?denied|denied|"
    r"timed?\s*out|time-?out|terminated|aborted|aborting|rolled\s+back|rollback|exception|crash(?:ed)?|"
    r"unsuccessful(?:ly)?"
    r")\b"
)
"""Words that say something went wrong; a line that also says it is a warning is one."""
_BROKEN = re.compile(
    r"(?ix)\b(?:"
    r"corrupt(?:ed)?|corruption\s+(?:was\s+|has\s+been\s+)?(?:found|detected)|"
    r"(?:has|have|is|are|was)\s+expired|expired\s+(?:certificate|token|password|credentials?)|"
    r"not\s+responding|unreachable|unauthori[sz]ed|"
    r"(?:issued\s+by\s+an\s+authority\s+that\s+is|certificate\s+(?:chain\s+)?is)\s+not\s+trusted|"
    r"(?:connection|actively)\s+refused|refused\s+(?:the\s+|a\s+)?connection|forbidden|no\s+response\s+from|"
    r"insufficient\s+(?:access\s+)?(?:permissions?|rights|privileges?|(?:free\s+|disk\s+)?space|memory)|"
    r"(?:does|do|did)\s*n(?:o|\')t\s+have\s+(?:the\s+)?(?:required\s+|necessary\s+|sufficient\s+|enough\s+|proper\s+)?"
    r"(?:local\s+)?(?:administrative\s+|admin\s+|administrator\s+)?(?:rights|permissions?|privileges?)|"
    r"(?:disk|drive|volume)\s+(?:is\s+)?full|low\s+on\s+(?:free\s+)?(?:disk\s+)?space|out\s+of\s+(?:disk\s+space|memory)|"
    r"(?:was|were|has\s+been|have\s+been)\s+cancell?ed|operation\s+(?:was\s+)?cancell?ed|transaction\s+log\b.{0,80}?\bis\s+full|"
    r"inaccessible|(?:is|are|was|went)\s+offline|(?:is|are)\s+missing|^\s*missing(?=\s+\w)(?![^.:=]*[:=]\s*\(?\d)|"
    r"service\s+(?:is\s+|has\s+|was\s+)?(?:stopped|not\s+started)|"
    r"object\s+reference\s+not\s+set|returned\s+an\s+error:\s*\([45]\d\d\)|proxy\s+authentication\s+required|"
    r"restarted\s+unexpectedly|unexpected(?:ly)?\s+(?:restart|reboot|shut\s*down)"
    r")\b"
)
"""Words that say something is broken, expired, out of reach, out of space or rights,
cancelled or stopped (`WMI repository is corrupted`, `Distribution point is not
responding`, `The disk is full`, `does not have permissions to log status messages`); like `_TROUBLE`. Each has a wording in
data/phrases.yaml that names it, so a pasted line saying so gets a finding."""

_STATED = re.compile(
    r"(?ix)"
    r"\b(?:digest|checksum)\b[^.;]{0,120}?\b(?:mismatch(?:ed)?|(?:does|did|do)\s+not\s+match|doesn[\'\u2019]t\s+match)\b"
    r"|\bhash\s+(?:mismatch(?:ed)?|(?:does|did)\s+not\s+match|doesn[\'\u2019]t\s+match)\b"
    r"|\bnone\s+of\s+them\s+is\s+good\b|\bempty\s+(?:location\s+update|distribution\s+points\s+list)\b"
    r"|\brec(?:ie|ei)ved\s+no\s+suitable\s+locations\b|\bno\s+valid\s+source\s+or\s+MP\s+locations\b"
    r"|\bno\s+content\s+locations?\s+(?:found|available|returned)\b"
    r"|\bno\s+such\s+host\s+is\s+known\b|\bdeadlock(?:ed)?\b|\bcolumn\s+does\s+not\s+allow\s+nulls\b"
    r"|\bsharing\s+violations?\b|\bbeing\s+used\s+by\s+another\s+process\b|\bRPC\s+server\s+is\s+(?:too\s+busy|unavailable)\b"
    r"|\bmoving\s+it\s+to\s+\S*\\BAD\w*|\bno\s+sending\s+capacity\b"
    r"|\b(?:isn[\'\u2019]t|is\s+not)\s+sufficient\s+(?:free\s+)?disk\s+space\b"
    r"|\bThere\s+are\s+no\s+task\s+sequences\s+available\b"
    r"|\bStatus\s+code\s+[45]\d\d\s+returned\b|\bHTTP\s+(?:status|error|status\s+code)\s*:?\s*(?:[45]\d\d|600)\b"
    r"|\bUSSCommunicationError\b|UPDATECONTENT_NO_METADATA\b"
    r"|\bCommand\s+string\s+must\s+begin\s+with\s+quoted\s+application\s+name\b"
    r"|\bwas\s+installed\s+for\s+a\s+user,\s+but\s+not\s+provisioned\s+for\s+all\s+users\b"
    r"|^\W*FullyQualifiedErrorId\s*:"
)
"""Wordings that say a specific thing failed without a failure word: a digest
or checksum that does not match (a hash only in those words: CMUpdate.log's
healthy "Staging folder ... has hash ... which does not match hash from content
library" is a re-extraction), no content location (`Received empty location
update for CTM Job`), a host name no DNS server knows, a SQL deadlock, a
sharing violation, an RPC server too busy, an SMS inbox file moved to a BAD
folder, no sending capacity, too little disk space, no task sequence for the
computer, an HTTP status of 400 or more, the software update point's
USSCommunicationError, a third-party update published without content
(`..._UPDATECONTENT_NO_METADATA`), WiX's quiet-execution custom action refusing an unquoted
command, sysprep's app package installed for a user but not provisioned for all users, and
the `FullyQualifiedErrorId :` line of a PowerShell error record, which only the error stream
writes (OSDRunPowerShellScript copies each line of it into smsts.log as an error record, type
3: ErnestoLeon87/log_reader smsts.log, "    + FullyQualifiedErrorId : LdapException"), so a
pasted record keeps the severity its log gave it and rules/ts-powershell-script-errors-exit-0.yaml
still tells a script that failed and exited 0. Each but the last is (part of) a wording of
data/phrases.yaml (hash-mismatch, no-content-location, name-not-resolved, sql-error,
sms-sharing-violation, sms-rpc-server-too-busy, sms-moved-to-bad-inbox, sms-no-sending-capacity,
sms-insufficient-disk-space, ts-no-task-sequence-available, status-code-returned, http-error,
sup-uss-communication-error, isv-updatecontent-no-metadata, msi-quietexec-command-not-quoted,
sysprep-appx-installed-for-user-not-provisioned) whose finding then names it; like `_TROUBLE`."""

_NOT_A_FAILURE = re.compile(
    r"(?ix)"
    r"\b(?:no|zero|0|without|not|never|ignor\w*)\s+(?:\w+\s+)?(?:errors?|failures?|fail(?:ed|s)?)\b"
    r"|\b(?:no|not|never|without)\s+(?:\w+\s+)?(?:corrupt(?:ed|ion)?|expired|unreachable|unauthori[sz]ed)\b"
    r"|\b(?:not|never)\s+(?:\w+\s+)?low\s+on\s+(?:free\s+)?(?:disk\s+)?space\b"
    r"|\b(?:errors?|failures?|failed|err)\s*(?:count|status|code)?\s*(?:[:=]|is|was|of)?\s*\(?(?:0x)?0+\)?(?!\w|\.\d)"
    r"|\b(?:error|fail(?:ure)?)\s*(?:code|level|mode)?\s*(?:[:=]|is)?\s*(?:none|success|ok)\b"
    r"|\bon\s+error\b|\berror\s+(?:handling|reporting|level\s+is)\b|\bif\s+\w+\s+fails\b"
    r"|\b\d+\s*(?:ms|milliseconds?|sec(?:ond)?s?|min(?:ute)?s?|hours?)\b[\w\s-]{0,20}?\btime-?out\b"
    r"|\btime-?outs?\s*(?:[:=]|(?:of|is|value|period|interval|set\s+to|options|task|timer)\b)"
    r"|\btimeout(?:\.exe)?\s+/t\s+\d+|(?<![\w-])[/-]time-?out[:\s]+\d+\b|<time-?out>\s*\d+\s*</time-?out>|\b(?:idle|existing|new)\s+time-?out\b|\bdue\s+to\s+time-?out\b|\bcycles\s+time\s*out,\s*do\s+nothing\b"
    r"|\bsent\b[^.]{0,60}?\bfailure\s+message\b"
    r"|\berror\s+code\s+(?:didn't|did\s+not)\s+(?:get\s+)?change"
    r"|\bbecause\s+the\s+last\s+assignment\s+error\s+matches\s+this\s+one\b"
    r"|\bprogram\s+cannot\s+run!\s*setting\s+\*?canProgramRun\s+to\s+false\b"
    r"|\bcould\s+not\s+be\s+installed\s+at\s+this\s+time\.\s*waiting\s+for\s+the\s+next\s+maintenance\s+window\b"
    r"|\bunable\s+to\s+query\s+registry\s+key\s+\([^)]*\),\s*return\s+\(0x[0-9a-f]+\)\s+means\s+EP\s+client\s+is\s+not\s+installed\b"
    r"|\breturn\s+value\s*:?\s*[012]\b|\bwill\s+be\s+denied\b"
    r"|\bterminated\s+normally\b"
    r"|\bcached\s+(?:[\w-]+\s+){0,2}(?:has|have|is|are)\s+expired\b"
    r"|\b(?:terminated|exited|ended)\s+with\s+(?:exit\s*code|return\s*code|code)\s*[:=]?\s*\(?(?:0x)?0+\)?(?![\w.])"
    r"|\b(?:initiali[sz]\w*|install\w*|register\w*)\s+(?:the\s+)?exception\s+(?:handlers?|filters?)\b"
    r"|\bsuccessfully\s+(?:completed|ran|executed)\b.{0,200}?\bwith\s+(?:the\s+)?exit\s+(?:win32\s+)?code\s+[-\w]+"
)
"""Phrases that only look like failures (a time-out given as a command line's switch, such as
MDT's `Run Command: X:\\WINDOWS\\SYSTEM32\\bcdedit.exe /timeout 0`, written with type 1 in
maxmoonACR/MDTLOGFiles BDD.log, is a setting; setupact.log's "We are not low on disk space",
rickaK77/Setup-Log, the opposite of running low)."""

_NEVER = re.compile(
    r"(?i)^(?:(?:MSI \(\w\) \([^)]*\) \[[^\]]*\]:\s*)?Note: 1: "
    r"|Collection(?:-Retry)?: Namespace = [^;]*; Query = SELECT\b"
    r"|\s*[A-Za-z_]\w*\s*=\s*(?:\"[^\"]*\"|-?\w+)\s*;\s*$"
    r"|(?:Raising\s+(?:pending\s+)?event:\s*)?instance\s+of\s+\w+\s*\{[^{}]*\}\s*;\s*$)"
)
"""Windows Installer's debugging notes (`Note: 1: 2205 2: ...`), InventoryAgent's
inventory queries (`Collection: Namespace = ...; Query = SELECT ...; Timeout = 600 secs.`,
property names such as ConfigManagerErrorCode) and the property lines of a WMI event
a client raises, pasted one to a line (`HRESULT = "0x87d00280";` of "Raising event:
instance of CCM_ServiceHost_CertRetrieval_Status {...}"; the failure, if any, is
logged on its own line) or whole, as one record of copied rows: never a verdict."""

_WARNING = re.compile(r"(?i)\bwarn(?:ing|ings)?\b|\bwill\s+retry\b|\bretrying\b|\bretry\s+in\b")
GOES_ON = r"[-,;]\s*continuing(?:\s+anyway)?\W*$"
"""Going on regardless ("... with error 0x80070424 - continuing", winget-pkgs#153243): no failure."""
_NEXT = re.compile(
    r"(?i)\b(?:try|trying|will\s+try|moving\s+to)\s+(?:the\s+)?next\s+(?:ip|address|server|mp|management\s+point|location|source)\b"
    r"|^\W*warn(?:ing)?\b\s*[-:]"
    r"|\bfall(?:ing|s)?\s+back\s+to\s+(?:the\s+|its\s+|a\s+)?defaults?(?:\s+values?)?\b"
    rf"|{GOES_ON}"
)
"""A failure that goes on to the next address or server (BgbAgent's "Failed to connect to
server with IP v4 address with error 10060. Try next IP...", a warning record of the real
client of configmgr/Android-CMLogTracer's sample; LocationServices' "Assigned MP error
threshold reached, moving to next MP.") or that its writer calls a warning at its start
(smscliui.log's "WARNING - Client is currently unassigned or an error occurred retrieving
the assigned site.", configmgr/iOS-CMLogTracer) or that it goes on regardless (`GOES_ON`) or
with a default (the Intune Management Extension's "... Falling back to default value.", a
warning at each start of a healthy agent, Silvermaz28/SOE:IntuneManagementExtension.log): a warning."""

_GOES_ON_WORDS = ("next", "warn", "continuing", "back to")
_FAILURE_CODE = re.compile(r"(?i)(?<![\w.{@-])(?:0x[89a-f][0-9a-f]{7}|-21474\d{5}|-2[01]\d{8})(?![\w}-])")
"""A failure HRESULT as a code (high bit set, hex or signed decimal), not an address after `@`."""

_NONZERO_EXIT = re.compile(
    r"(?ix)\b(?:(?:exit|return|result)\s*(?:code|value|status)?|MainEngineThread\s+is\s+returning"
    r"|exited\s+with\s+(?:the\s+|an?\s+)?(?:exit\s+|return\s+)?code)\s*(?:is|was|=|:|of)?\s*[(\[]?"
    r"(?!0+\b)(?!0x0+\b)(?P<code>-?\d{1,10}|0x[0-9a-f]{1,8})\b"
)
_REBOOT_CODES = frozenset({"3010", "1641", "0xbc2", "0x669"})
"""Exit codes that ask for a restart: a success that waits, not a failure."""
_REBOOT_HRESULT = re.compile(
    r"(?i)(?<![\w.{-])(?:(?:0x)?80070bc2|2147945410|-2147021886|(?:0x)?80070669|2147944041|-2147023255)(?![\w}-])"
)
"""The restart codes written as HRESULTs (3010 as 0x80070BC2, 1641 as 0x80070669, in hex
or decimal), as status messages and some installers write them: a success that waits for a
restart, not a failure (SMSAgentSoftware/ConfigMgr-Task-Sequence-Monitor#6: task sequence
steps reported with 80070bc2 are green in ConfigMgr's own status message queries)."""
_SUCCESS_HRESULT = re.compile(r"(?i)^0x0*(?:[1-7][0-9a-f]{7}|[1-9a-f][0-9a-f]{4,6})$")
"""A code in hex with a facility and the severity bit clear: an HRESULT that says
it succeeded (WindowsUpdate.log's "Service exit Exit code = 0x240001",
WU_S_SERVICE_STOP, when the agent stops normally), not a failure."""


LITERALS = (
    "err",
    "fail",
    "fatal",
    "unable",
    "could",
    "can't",
    "cannot",
    "denied",
    "time",
    "terminat",
    "abort",
    "roll",
    "exception",
    "crash",
    "unsuccessful",
    "corrupt",
    "expired",
    "responding",
    "trusted",
    "refused",
    "unreachable",
    "unauthori",
    "forbidden",
    "mismatch",
    "insufficient",
    "full",
    "space",
    "memory",
    "cancel",
    "accessible",
    "offline",
    "missing",
    "stopped",
    "not started",
    "object reference",
    "returned an error",
    "proxy auth",
    "unexpected",
    "match",
    "response",
    "exit",
    "return",
    "result",
    "digest",
    "checksum",
    "hash",
    "none of them",
    "empty",
    "suitable",
    "no valid",
    "no content",
    "no such host",
    "deadlock",
    "nulls",
    "sharing violation",
    "another process",
    "rpc server",
    "bad",
    "sending capacity",
    "sufficient",
    "not have",
    "n't have",
    "no task sequences",
    "status code",
    "http",
    "usscommunicationerror",
    "no_metadata",
    "quoted application name",
    "not provisioned",
    "0x8",
    "0x9",
    "0xa",
    "0xb",
    "0xc",
    "0xd",
    "0xe",
    "0xf",
    "-2",
    "warn",
    "retr",
)
"""Lower-case text one of which every record `infer` makes a warning or an
error holds (a scan of a large log reads those records; see `read.scan`)."""


_ANY_LITERAL = re.compile("|".join(re.escape(literal) for literal in LITERALS))
_ABSENT = re.compile(r"(?i)\bnot\s+found\b|\bdoes\s*n(?:o|[\'\u2019])t\s+exist\b|\bno\s+such\b")
"""A line that says something the line names does not exist (`Software update not found`,
`The package does not exist`): the words of data/phrases.yaml's not-found wording that say
no failure word of their own, so healthy logs write them too."""

QUOTED_LINES = 3
"""A text of this many lines or fewer is a quote: a line or three from a ticket or a post."""


def quoted_failure(text: str) -> bool:
    """Whether a line of a quote (`QUOTED_LINES` or fewer, none of them an error or a
    warning) says something does not exist: the failure the line was quoted for, which a
    whole log would write as information (a lookup that finds nothing)."""
    return _ABSENT.search(text) is not None and _NOT_A_FAILURE.search(text) is None and not named_benign(text)


_SEEN: Memo[str, Severity] = Memo(4096)
"""Severities of the messages seen before: a log repeats its messages."""


def infer(text: str) -> Severity:
    """The severity a record's words give it (see the module's docstring)."""
    return _SEEN.get(text, _infer)


def _infer(text: str) -> Severity:
    lowered = text.lower()
    if _ANY_LITERAL.search(lowered) is None:
        return Severity.INFO  # none of the words or codes any verdict below needs
    if ("note: 1:" in lowered or "query = select" in lowered or text.rstrip().endswith(";")) and _NEVER.match(
        text
    ):
        return Severity.INFO
    verdict = _verdict(text, lowered)
    if verdict is Severity.INFO:
        return verdict
    if named_benign(text):
        return Severity.INFO
    return _settled(text, level_limited(text, verdict))


_NOT_FAILED = frozenset({"succeeded", "in_progress", "info", "not_applicable"})


def _settled(text: str, verdict: Severity) -> Severity:
    """`verdict`, or less where the message writes only status values the tables
    know as not failed: "CcmSetup is exiting with return code 7" is a restart to
    wait for (a warning), not the failure its non-zero code looks like."""
    outcomes = outcomes_in(text)
    if not outcomes or not outcomes <= _NOT_FAILED | {"waiting"}:
        return verdict
    return Severity.WARNING if "waiting" in outcomes else Severity.INFO


_NAMED = re.compile(
    r"(?i)\b(?:action|group|instruction|step)\s*\([^()]*\)"
    r"|\b(?:step|group)\s+node:\s.*$"
    r"|\bInstruction\s+name:\s*(?:'[^']*'|\S.*?(?=\.\s+(?:Pointer|Instruction\s+pointer)\b|$))"
    r"|\b_SMSTS\w*ActionName\s*=.*$"
    r"|\b(?:executing\s+)?command\s+line(?:\s+for\s+extension\s+\S+\s+is|:)\s.*$"
    r"|\bApp\s*DT\s+\"[^\"]*\""
)
"""What a record names rather than says: a task sequence step's or group's name
(`The action (Capture Logs on Failure) has been skipped because the condition is
evaluated to be false`, `Parsing step node: Gather Logs on Failure`,
`_SMSTSCurrentActionName=Copy Logs on Error`) and the command line a step or a
deployment type runs (`Executing command line: smsswd.exe /run: cmd /c
Fix-FailedUpdates.cmd`), and an application deployment type's name (`App enforcement
completed (4 seconds) for App DT "Error Lookup Tool"`); a failure word there is part
of the name. What the record
says of it stays: `The execution of the group (Failure) has failed` fails, and so
does `Failed to run the action: Gather Logs on Failure`."""

_NAME_WORDS = ("action", "group", "instruction", "step", "actionname", "command line", "dt ")


def _verdict(text: str, lowered: str) -> Severity:
    cleaned = without_sql_names(_NOT_A_FAILURE.sub(" ", text) if _could_be_benign(lowered) else text)
    if any(word in lowered for word in _NAME_WORDS):
        cleaned = _NAMED.sub(" ", cleaned)
    if "bc2" in lowered or "669" in lowered or "2147" in lowered:
        cleaned = _REBOOT_HRESULT.sub("3010", cleaned)
    if _FAILURE.search(cleaned) or _FAILURE_CODE.search(cleaned):
        goes_on = any(word in lowered for word in _GOES_ON_WORDS) and _NEXT.search(cleaned)
        return Severity.WARNING if goes_on or only_absent(cleaned) else Severity.ERROR
    warned = ("warn" in lowered or "retr" in lowered) and _WARNING.search(text) is not None
    if _TROUBLE.search(cleaned) or _BROKEN.search(cleaned) or _STATED.search(cleaned):
        return Severity.WARNING if warned or only_absent(cleaned) else Severity.ERROR
    exit_code = (
        _NONZERO_EXIT.search(cleaned)
        if ("exit" in lowered or "return" in lowered or "result" in lowered)
        else None
    )
    if exit_code is not None and _SUCCESS_HRESULT.match(exit_code["code"]) is None:
        return Severity.WARNING if exit_code["code"].lower() in _REBOOT_CODES else Severity.ERROR
    if warned:
        return Severity.WARNING
    return Severity.INFO


def _could_be_benign(lowered: str) -> bool:
    return any(
        word in lowered
        for word in (
            "no ",
            "zero",
            "0",
            "without",
            "not ",
            "never",
            "ignor",
            "none",
            "success",
            " ok",
            "on error",
            "handling",
            "reporting",
            "level",
            "fails",
            "value",
            "time",
            "sent ",
            "change",
            "matches this",
            "canprogramrun",
            "maintenance window",
            "means ep",
            "exception",
            "cached",
            "successfully",
        )
    )
