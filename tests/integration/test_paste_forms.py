"""Logs as people paste them into tickets and forum posts, measured (issue 19, items 3
and 6): each dev case of the generalisation corpus (tests/generalisation/dev/, never
heldout/) and each healthy excerpt (tests/healthy/excerpts/) is rewritten into the forms
pages show, and diagnosed again:

- `message-only`: the messages alone, one to a line (the CMTrace `<![LOG[...]LOG]!>`
  wrapper and the SMS trace `$$<...>` trailer stripped);
- `copied-rows`: CMTrace's "Copy to Clipboard" rows, `message<TAB>component<TAB>date
  time<TAB>thread (0xHEX)`, without a type column (a plain line gets the log's name as
  its component and made-up times);
- `wrapped`: lines wrapped at 76 columns by a mail client or a forum (at spaces);
  `message-only-wrapped`: the messages alone, so wrapped;
- `quoted` (`> `), `indented` (four spaces, a code block), `numbered` (`12: `),
  `numbered-bar` (`12 | `);
- `html-escaped` (`&quot; &amp; &lt; &gt; &#39;`), `nbsp` (every space a non-breaking
  one), `smart-quotes` (curly quotes for straight ones);
- `crlf`, `cr` (line ends), `bom` (a UTF-8 byte-order mark), `trailing-spaces`.

Each rewritten line remembers the lines of the original it came from, so a case's
decisive line is followed into the new file (a wrapped line's pieces each count). The
verdicts are those of tests/generalisation/measure.py (`judge`): an error finding cites
a decisive line, a finding names the cause; on the healthy excerpts and the dev healthy
cases, whether any error finding appears.

    python -m tests.integration.test_paste_forms [FORM ...]   # the table (about 10 minutes)

The test runs every form (slow) and holds each to what the original text reaches, less
the losses the table recorded when the forms were last fixed (`ALLOWED_LOSS`).
"""

from __future__ import annotations

import io
import sys
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smslogdoc.model import Event, FileReport
from smslogdoc.read.full import read_stream
from tests.generalisation.corpus import ROOT as CORPUS
from tests.generalisation.corpus import Case, Decisive, load_cases
from tests.generalisation.measure import judge

EXCERPTS = CORPUS.parent / "healthy" / "excerpts"
WIDTH = 76


@dataclass(frozen=True)
class Line:
    """One line of a rewritten log and the original lines it came from."""

    text: str
    first: int
    last: int


@dataclass(frozen=True)
class Log:
    """One log file's text as lines, and how its bytes are written."""

    lines: list[Line]
    newline: str = "\n"
    bom: bool = False

    def data(self) -> bytes:
        text = self.newline.join(line.text for line in self.lines) + self.newline
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")


def original(data: bytes) -> Log:
    """A file's physical lines as smslogdoc numbers them (split at LF)."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if text.endswith("\n"):
        text = text[:-1]
    return Log([Line(line.rstrip("\r"), number, number) for number, line in enumerate(text.split("\n"), 1)])


def events_of(name: str, data: bytes) -> list[Event]:
    """The records smslogdoc reads from a file's bytes."""
    return list(read_stream(io.BytesIO(data), FileReport(name)))


_RECORDED = frozenset({"cmtrace", "smstrace", "copied"})


def _messages(log: Log, events: list[Event]) -> list[tuple[Event | None, list[Line]]]:
    """Each record's message lines (with the lines it spans); other lines as they are."""
    by_number = {line.first: line for line in log.lines}
    out: list[tuple[Event | None, list[Line]]] = []
    for event in events:
        if event.format in _RECORDED:
            texts = [text for text in event.message.splitlines() if text.strip()]
            out.append((event, [Line(text, event.line, event.end_line) for text in texts]))
        else:
            out.append(
                (
                    None,
                    [by_number[n] for n in range(event.line, event.end_line + 1) if n in by_number],
                )
            )
    return out


def message_only(log: Log, events: list[Event], name: str) -> Log:
    return Log([line for _, lines in _messages(log, events) for line in lines if line.text.strip()])


_BASE = datetime(2024, 1, 15, 10, 0, 0)


def _when(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment.minute:02}:{moment.second:02} {half}"


def copied_rows(log: Log, events: list[Event], name: str) -> Log:
    """CMTrace's copied rows: the columns after each record's last message line."""
    stem = Path(name).stem
    out: list[Line] = []
    count = 0
    for event, lines in _messages(log, events):
        groups = [lines] if event is not None else [[line] for line in lines]
        for group in groups:
            group = [line for line in group if line.text.strip()]
            if not group:
                continue
            count += 1
            moment = event.time if event is not None and event.time is not None else None
            when = _when(moment.replace(tzinfo=None) if moment else _BASE + timedelta(seconds=count))
            component = (event.component if event is not None else "") or stem
            thread = event.thread if event is not None and event.thread is not None else 4242
            last = group[-1]
            columns = f"\t{component}\t{when}\t{thread} (0x{thread:04X})"
            out.extend(group[:-1])
            out.append(Line(last.text + columns, last.first, last.last))
    return Log(out)


def _per_line(change: Callable[[str], str]) -> Callable[[Log, list[Event], str], Log]:
    def form(log: Log, events: list[Event], name: str) -> Log:
        return Log([Line(change(line.text), line.first, line.last) for line in log.lines])

    return form


def _numbered(pattern: str) -> Callable[[Log, list[Event], str], Log]:
    def form(log: Log, events: list[Event], name: str) -> Log:
        return Log(
            [
                Line(pattern.format(n) + line.text, line.first, line.last)
                for n, line in enumerate(log.lines, 1)
            ]
        )

    return form


def wrapped(log: Log, events: list[Event], name: str) -> Log:
    out: list[Line] = []
    for line in log.lines:
        pieces = (
            textwrap.wrap(
                line.text,
                WIDTH,
                break_long_words=False,
                break_on_hyphens=False,
                replace_whitespace=False,
                expand_tabs=False,
            )
            if len(line.text) > WIDTH
            else [line.text]
        )
        out.extend(Line(piece, line.first, line.last) for piece in pieces or [""])
    return Log(out)


def _html(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _smart(text: str) -> str:
    out: list[str] = []
    opening = True
    for char in text:
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        elif char == "'":
            out.append("\u2019")
        else:
            out.append(char)
    return "".join(out)


def _ends(newline: str = "\n", bom: bool = False) -> Callable[[Log, list[Event], str], Log]:
    def form(log: Log, events: list[Event], name: str) -> Log:
        return Log(log.lines, newline, bom)

    return form


FORMS: dict[str, Callable[[Log, list[Event], str], Log]] = {
    "original": _ends(),
    "message-only": message_only,
    "copied-rows": copied_rows,
    "wrapped": wrapped,
    "message-only-wrapped": lambda log, events, name: wrapped(message_only(log, events, name), events, name),
    "quoted": _per_line(lambda text: "> " + text),
    "indented": _per_line(lambda text: "    " + text),
    "numbered": _numbered("{}: "),
    "numbered-bar": _numbered("{} | "),
    "html-escaped": _per_line(_html),
    "nbsp": _per_line(lambda text: text.replace(" ", "\xa0")),
    "smart-quotes": _per_line(_smart),
    "crlf": _ends("\r\n"),
    "cr": _ends("\r"),
    "bom": _ends(bom=True),
    "trailing-spaces": _per_line(lambda text: text + "   "),
}


def rewrite(form: str, name: str, data: bytes) -> Log:
    """A file's bytes in one of the FORMS."""
    events = events_of(name, data) if form.startswith(("message-only", "copied-rows")) else []
    return FORMS[form](original(data), events, name)


# --- measuring ------------------------------------------------------------------------------------


def _document(paths: Sequence[Path]) -> dict[str, Any]:
    from smslogdoc.diagnose import diagnose
    from smslogdoc.report.document import report_of

    outcome = diagnose([str(p) for p in paths], _rules())
    return dict(report_of(outcome)["document"])


_LOADED: list[Any] = []


def _rules() -> Any:
    if not _LOADED:
        from smslogdoc.rules.load import load_rules

        rules, errors = load_rules([])
        assert errors == []
        _LOADED.append(rules)
    return _LOADED[0]


def rewritten_case(case: Case, form: str, folder: Path) -> Case:
    """The case with its logs rewritten into `folder` and its decisive lines followed there."""
    decisive: list[Decisive] = []
    logs: list[Path] = []
    for path in case.logs:
        log = rewrite(form, path.name, path.read_bytes())
        target = folder / path.name
        target.write_bytes(log.data())
        logs.append(target)
        for item in case.decisive:
            if item.file == path.name:
                decisive.extend(
                    Decisive(item.file, n)
                    for n, line in enumerate(log.lines, 1)
                    if line.first <= item.line <= line.last
                )
    return replace(case, folder=folder, logs=tuple(logs), decisive=tuple(decisive))


@dataclass
class Row:
    form: str
    failures: int = 0
    decisive: int = 0
    cause: int = 0
    healthy: int = 0
    healthy_errors: int = 0
    excerpts: int = 0
    excerpt_errors: int = 0
    lost: list[str] | None = None


def measure_form(form: str, cases: Sequence[Case], excerpts: Sequence[Path]) -> Row:
    row = Row(form, lost=[])
    assert row.lost is not None
    for case in cases:
        with tempfile.TemporaryDirectory() as temporary:
            moved = rewritten_case(case, form, Path(temporary))
            verdict = judge(moved, _document(moved.logs))
        if case.failure:
            row.failures += 1
            row.decisive += verdict.decisive_cited
            row.cause += verdict.cause_named
            if not (verdict.decisive_cited and verdict.cause_named):
                row.lost.append(
                    f"{case.id}:{'D' if verdict.decisive_cited else '-'}{'C' if verdict.cause_named else '-'}"
                )
        else:
            row.healthy += 1
            row.healthy_errors += verdict.healthy_error
            if verdict.healthy_error:
                row.lost.append(f"{case.id}:E {verdict.matched}")
    for folder in excerpts:
        (path,) = [p for p in folder.iterdir() if p.is_file()]
        with tempfile.TemporaryDirectory() as temporary:
            target = Path(temporary) / path.name
            target.write_bytes(rewrite(form, path.name, path.read_bytes()).data())
            document = _document([target])
        row.excerpts += 1
        errors = [f.get("rule") for f in document.get("findings") or [] if f.get("severity") == "error"]
        if errors:
            row.excerpt_errors += 1
            row.lost.append(f"{folder.name}:E {', '.join(str(e) for e in errors)}")
    return row


def dev_cases() -> list[Case]:
    return load_cases(parts=("dev",))


def healthy_excerpts() -> list[Path]:
    return sorted(p for p in EXCERPTS.iterdir() if p.is_dir())


def table(rows: Sequence[Row]) -> str:
    lines = [f"{'form':<16} {'decisive':>9} {'cause':>9} {'dev healthy E':>14} {'excerpts E':>11}"]
    for row in rows:
        lines.append(
            f"{row.form:<16} {row.decisive:>4}/{row.failures:<4} {row.cause:>4}/{row.failures:<4}"
            f" {row.healthy_errors:>8}/{row.healthy:<5} {row.excerpt_errors:>5}/{row.excerpts:<5}"
        )
    return "\n".join(lines)


# --- the tests ------------------------------------------------------------------------------------

ALLOWED_LOSS: dict[str, tuple[int, int, int, int]] = {
    # form: (decisive lines, causes, dev healthy cases, healthy excerpts) it may lose against the
    # original text, as measured on 2026-12-07 (thirteenth session) with the eleventh batch's dev
    # cases (original: 265/270, 266/270, 0/49, 0/278)
    "message-only": (0, 1, 0, 1),  # the one PASTED_EXCEPTION of tests/healthy
    "copied-rows": (0, 0, 0, 1),  # the same one: no type column either
    # one long line wrapped into two or three, and a wrapped line among short ones where it
    # hangs (a comma, a colon, "error", "code", "next", "where", an operator ...), are joined
    # again, also in text no line of which reaches a wrapper's width (9 and 11 causes lost in
    # the twelfth session, 26 and 28 before); the rest are not told apart. A path the wrap moved
    # below its line, a lone HRESULT after a full stop and a record opening with a C++ method are
    # told apart too since 2026-12-08 (fifteenth session): healthy losses wrapped 2 -> 0,
    # message-only-wrapped 1 -> 0 dev healthy cases and 8 -> 4 excerpts (measured with the
    # thirteenth batch's dev healthy cases; the failure columns as measured before)
    "wrapped": (2, 4, 0, 0),
    "message-only-wrapped": (2, 5, 0, 4),
    "quoted": (1, 1, 0, 0),
    # a pasted line's number is read past before the benign lists are searched (the tenth batch's
    # healthy wixsharp 2911 line and a healthy excerpt lost before, 2026-12-07 thirteenth session)
    "numbered": (1, 1, 0, 0),
    "numbered-bar": (1, 1, 0, 0),
    # an MSI log with every space non-breaking loses its managed custom action's rule (found
    # with the tenth batch, not looked into)
    "nbsp": (0, 1, 0, 0),
}
"""Per form, what it may lose against the original text (the table when the forms were
last fixed); any other form loses nothing."""


def test_forms_follow_the_decisive_line() -> None:
    data = b"first line\r\n" + b"second " * 20 + b"\nthird\n"
    assert [(line.first, line.last) for line in rewrite("wrapped", "x.log", data).lines] == [
        (1, 1),
        (2, 2),
        (2, 2),
        (3, 3),
    ]
    assert rewrite("numbered-bar", "x.log", data).lines[2].text == "3 | third"
    cmtrace = (
        b'<![LOG[Started]LOG]!><time="10:00:00.000+000" date="01-15-2024" component="ccmsetup" '
        b'context="" type="1" thread="10" file="a.cpp:1">\n'
        b'<![LOG[Two\nlines]LOG]!><time="10:00:01.000+000" date="01-15-2024" component="ccmsetup" '
        b'context="" type="3" thread="10" file="a.cpp:2">\n'
    )
    only = rewrite("message-only", "ccmsetup.log", cmtrace).lines
    assert [(line.text, line.first, line.last) for line in only] == [
        ("Started", 1, 1),
        ("Two", 2, 3),
        ("lines", 2, 3),
    ]
    rows = rewrite("copied-rows", "ccmsetup.log", cmtrace).lines
    assert [line.text for line in rows] == [
        "Started\tccmsetup\t1/15/2024 10:00:00 AM\t10 (0x000A)",
        "Two",
        "lines\tccmsetup\t1/15/2024 10:00:01 AM\t10 (0x000A)",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("form", [form for form in FORMS if form != "original"])
def test_a_pasted_form_loses_little_against_the_original(form: str, baseline: Row) -> None:
    cases = dev_cases()
    row = measure_form(form, cases, healthy_excerpts())
    decisive, cause, healthy, excerpts = ALLOWED_LOSS.get(form, (0, 0, 0, 0))
    shown = (table([baseline, row]), row.lost)
    assert row.decisive >= baseline.decisive - decisive, shown
    assert row.cause >= baseline.cause - cause, shown
    assert row.healthy_errors <= baseline.healthy_errors + healthy, shown
    assert row.excerpt_errors <= baseline.excerpt_errors + excerpts, shown


@pytest.fixture(scope="module")
def baseline() -> Row:
    return measure_form("original", dev_cases(), healthy_excerpts())


def main(argv: Sequence[str]) -> int:
    forms = list(argv) or list(FORMS)
    cases, excerpts = dev_cases(), healthy_excerpts()
    rows = []
    for form in forms:
        row = measure_form(form, cases, excerpts)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
        for lost in row.lost or []:
            print(f"    {lost}", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
