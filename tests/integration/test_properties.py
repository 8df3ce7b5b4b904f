"""Properties that must hold for any input (hypothesis): the parser yields
events and never raises, whatever the bytes; mutated real and sample records
never make it raise; a valid record survives being next to garbage; the rule
engine never raises on what the parser yields; shown text is always inert."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smslogdoc.engine.loop import Engine
from smslogdoc.inputs.paths import InputFile, LogInput
from smslogdoc.model import Event, FileReport
from smslogdoc.read.full import read_stream
from smslogdoc.report.terminal import visible
from smslogdoc.rules.load import load_rules
from tests.conftest import REAL_LOGS, SAMPLES

pytestmark = pytest.mark.slow  # hypothesis runs each property on 150 examples

PROFILE = settings(
    max_examples=int(__import__("os").environ.get("SMSLOGDOC_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def parse(data: bytes) -> tuple[list[Event], FileReport]:
    report = FileReport("fuzz.log")
    return list(read_stream(io.BytesIO(data), report)), report


@lru_cache(maxsize=1)
def rules() -> list[object]:
    return load_rules([])[0]  # type: ignore[return-value]


def diagnose_events(events: list[Event], name: str) -> None:
    engine = Engine(rules())  # type: ignore[arg-type]
    log = LogInput(name, "fuzz", [InputFile(Path(name), name)])
    engine.log(log, events)
    engine.finish()


@lru_cache(maxsize=1)
def seed_records() -> list[str]:
    """Whole records cut from the sample logs and the real logs (when present)."""
    records: list[str] = []
    sources = sorted(SAMPLES.rglob("*.log")) + sorted(SAMPLES.rglob("*.txt"))
    if REAL_LOGS.is_dir():
        sources += sorted(p for p in REAL_LOGS.rglob("*") if p.is_file() and p.suffix in (".log", ".excerpt"))
    for path in sources:
        text = path.read_bytes().decode("utf-8", "replace")
        records += re.findall(r"<!\[LOG\[.*?\]LOG\]!><[^>]*>", text, re.S)[:40]
        records += [line for line in text.splitlines() if "$$<" in line][:40]
    return records


SPECIALS = [
    "<![LOG[",
    "]LOG]!>",
    "<",
    ">",
    '"',
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "~",
    "$$<",
    "$$&<",
    "\t",
    "=",
    "\ufeff",
    "\udcff",
    "é",
    "\x1b[31m",
    "<BR/>",
    "thread=",
    'time="',
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    records = draw(st.lists(st.sampled_from(seed_records()), min_size=1, max_size=6))
    text = "\r\n".join(records)
    for _ in range(draw(st.integers(0, 6))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate"]))
        if action == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(SPECIALS), st.text(max_size=20))) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif action == "duplicate":
            text = text[:at] + text[at : at + draw(st.integers(1, 80))] + text[at:]
        else:
            text = text[:at]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


def check_events(events: list[Event], data: bytes) -> None:
    previous = 0
    for event in events:
        assert 1 <= event.line <= event.end_line
        assert event.line >= previous, "records come in file order"
        previous = event.line
        assert not any("\ud800" <= ch <= "\udfff" for ch in event.message), (
            "no lone surrogate reaches an event"
        )
        assert len(event.message) <= 1 << 20


@PROFILE
@given(st.binary(max_size=4096))
def test_any_bytes_parse_without_raising(data: bytes) -> None:
    events, report = parse(data)
    check_events(events, data)
    assert report.events == len(events)


@PROFILE
@given(mutated())
def test_mutated_real_records_parse_and_diagnose_without_raising(data: bytes) -> None:
    events, _ = parse(data)
    check_events(events, data)
    diagnose_events(events, "ccmsetup.log")
    diagnose_events(events, "smsapm32.log")


CM = '<![LOG[{message}]LOG]!><time="{clock}.123+240" date="05-17-2022" component="{component}" context="" type="{kind}" thread="{thread}" file="x.cpp:1">'
messages = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=60
).filter(lambda m: "]LOG]!>" not in m and "<![LOG[" not in m)
valid_record = st.builds(
    lambda message, minute, component, kind, thread: (
        message,
        f"10:{minute:02d}:00",
        component,
        kind,
        thread,
    ),
    messages,
    st.integers(0, 59),
    st.from_regex(r"[A-Za-z_]{1,12}", fullmatch=True),
    st.integers(0, 3),
    st.integers(0, 99999),
)
garbage = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@PROFILE
@given(st.lists(st.tuples(valid_record, garbage), min_size=1, max_size=8))
def test_every_valid_cmtrace_record_survives_garbage_beside_it(
    pairs: list[tuple[tuple[str, str, str, int, int], str]],
) -> None:
    text = "".join(
        CM.format(message=m, clock=c, component=comp, kind=k, thread=t) + "\r\n" + junk + "\r\n"
        for (m, c, comp, k, t), junk in pairs
    )
    events, _ = parse(text.encode("utf-8"))
    found = {
        (e.message, e.component, e.thread, e.time.strftime("%H:%M") if e.time else None)
        for e in events
        if e.format == "cmtrace"
    }
    for (message, clock, component, _, thread), _ in pairs:
        assert (message, component, thread, clock[:5]) in found


SMS = "{message}~  $$<{component}><Tue May 16 13:{minute:02d}:10.854 2000><thread={thread} (0x{thread:X})>"
PAGE = "\xa0\u2018\u2019\u201c\u201d"
"""What a web page writes for spaces and quotes: a text holding mostly those is read as a
paste a page changed and put back (tests/formats/test_pastes.py), so it is left out here."""
sms_messages = st.text(
    alphabet=st.characters(
        blacklist_characters="~$<>\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" + PAGE,
        blacklist_categories=("Cs",),
    ),
    min_size=1,
    max_size=60,
).filter(
    lambda m: m.strip() != "" and not m.startswith("\ufeff")
)  # a leading U+FEFF at the start of a file is a BOM
sms_garbage = st.text(
    alphabet=st.characters(
        blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" + PAGE, blacklist_categories=("Cs",)
    ),
    max_size=60,
)


@PROFILE
@given(
    st.lists(
        st.tuples(sms_messages, st.integers(0, 59), st.integers(1, 4294967295), sms_garbage),
        min_size=1,
        max_size=8,
    )
)
def test_every_valid_sms_trace_record_survives_garbage_beside_it(
    items: list[tuple[str, int, int, str]],
) -> None:
    lines = []
    for message, minute, thread, junk in items:
        lines += [SMS.format(message=message, component="APM", minute=minute, thread=thread), junk]
    # every line indented by a tab or four spaces is a pasted code block, read without its indent
    # (formats/damage.py, tests/formats/test_pastes.py)
    assume(not all(line.startswith(("\t", "    ")) for line in lines if line.strip()))
    events, _ = parse("\r\n".join(lines).encode("utf-8"))
    records = [e for e in events if e.format == "smstrace"]
    for message, minute, thread, _ in items:
        assert any(
            e.message.endswith(message.rstrip())
            and e.thread == thread
            and e.time is not None
            and e.time.minute == minute
            for e in records
        ), message


@PROFILE
@given(st.text())
def test_shown_text_is_inert(text: str) -> None:
    shown = visible(text)
    assert not any(
        (ord(ch) < 32 and ch not in "\n\t")
        or 0x7F <= ord(ch) < 0xA0
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for ch in shown
    )
