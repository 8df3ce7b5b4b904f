"""Output that fits (issue 14): the parse table, `rules list` piped, `--color`,
`--format short`, `-q`, one format vocabulary, the rotated part not read,
long evidence, and shell completion."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from smslogdoc.findings import Evidence
from smslogdoc.report.document import evidence_doc
from smslogdoc.report.text import _evidence_lines
from tests.conftest import SAMPLES, Result
from tests.conftest import invoke as run

ROTATED = SAMPLES / "ccmsetup-service-cannot-access-source-rotated"
S01 = SAMPLES / "ccmsetup-service-cannot-access-source"


def invoke(*args: str, columns: int = 120, **env: str) -> Result:
    return run(list(args), env={"NO_COLOR": "1", "COLUMNS": str(columns), **env})


def test_parse_merge_shows_file_names_a_severity_column_and_room_for_the_message(tmp_path: Path) -> None:
    for name in ("ccm.log", "ccmsetup.log"):
        folder = tmp_path / "a-long-folder-name-that-would-push-the-message-away" / name.split(".")[0]
        folder.mkdir(parents=True)
        (folder / name).write_bytes((S01 / "ccmsetup.log").read_bytes())
    result = invoke("parse", "--merge", "-f", "text", str(tmp_path))
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Time", "Sev", "File", "Component", "Thread", "Message"]
    assert any(" ccm.log:1 " in line for line in lines) and any(" ccmsetup.log:1 " in line for line in lines)
    assert "a-long-folder-name" not in result.stdout
    assert any(line.split()[2] == "ERROR" for line in lines[1:] if len(line.split()) > 2)
    message_width = len(lines[0]) - lines[0].index("Message")
    assert message_width >= 45


def test_parse_piped_keeps_the_table_unless_asked() -> None:
    result = invoke("parse", str(S01))
    assert result.stdout.startswith("Time ")
    assert invoke("parse", "-f", "table", str(S01)).stdout == result.stdout  # the old name still works
    assert invoke("parse", "-f", "jsonl", str(S01)).stdout.startswith("{")


def test_rules_list_piped_never_wraps_or_cuts_ids() -> None:
    result = invoke("rules", "list", columns=40)
    assert "ccmsetup-service-cannot-access-source " in result.stdout
    first = result.stdout.splitlines()[0].split()
    listed = json.loads(invoke("rules", "list", "-f", "json").stdout)
    families = {rule["family"] for rule in listed if rule["family"]}
    written = [rule for rule in listed if not rule["family"]]
    assert len(result.stdout.splitlines()) == len(written) + len(families)  # a family is one line
    assert first[1] in ("info", "warning", "error")


@pytest.mark.parametrize(("option", "coloured"), [("always", True), ("never", False), ("auto", False)])
def test_color_option(option: str, coloured: bool) -> None:
    result = run(["diagnose", "--color", option, str(S01)], env={"COLUMNS": "120"})
    assert ("\x1b[" in result.stdout) is coloured
    assert (
        "\x1b[" in run(["--color", option, "diagnose", str(S01)], env={"COLUMNS": "120"}).stdout
    ) is coloured


def test_force_color_and_no_color() -> None:
    assert "\x1b[" in run(["diagnose", str(S01)], env={"FORCE_COLOR": "1", "COLUMNS": "120"}).stdout
    assert "\x1b[" not in run(["diagnose", "--color", "never", str(S01)], env={"FORCE_COLOR": "1"}).stdout


def test_format_short_is_one_line_per_finding() -> None:
    result = invoke("diagnose", "-f", "short", str(SAMPLES))
    lines = result.stdout.splitlines()
    document = json.loads(invoke("diagnose", "-f", "json", str(SAMPLES)).stdout)
    told = [story for story in document["stories"] if story["verdict"] != "succeeded"]
    assert len(lines) == len(document["findings"]) + len(told) + 1  # and one per story that did not succeed
    assert sum(line.startswith("STORY    ") for line in lines) == len(told) > 0
    assert lines[0].startswith("ERROR   ")
    assert lines[-1].startswith(f"{len(document['findings'])} findings")


def test_quiet_prints_a_nothing_failed_info_finding_in_one_line() -> None:
    result = invoke("diagnose", "-q", str(SAMPLES / "execmgr-healthy"))
    assert result.stdout.splitlines() == [
        f"INFO    execmgr-success-reboot-required  {SAMPLES / 'execmgr-healthy' / 'execmgr.log'}:169  "
        "A program succeeded and asks for a restart (exit code 3010, SuccessRebootRequired)"
    ]


@pytest.mark.parametrize(
    ("command", "exit_code"),
    [(["diagnose", str(S01)], 1), (["parse", str(S01)], 0), (["rules", "list"], 0)],
    ids=["diagnose", "parse", "rules list"],
)
def test_text_is_every_commands_default_format(command: list[str], exit_code: int) -> None:
    """`-f text` is accepted by every command and is what it writes by default."""
    chosen, default = invoke(*command, "-f", "text"), invoke(*command)
    assert (chosen.exit_code, default.exit_code) == (exit_code, exit_code)
    assert chosen.stdout == default.stdout and chosen.stdout.strip()
    helped = invoke("parse", "--help").stdout
    assert "text (default" in helped and "also when piped" in helped


def test_the_rotated_part_not_read_is_pointed_to() -> None:
    result = invoke("diagnose", str(ROTATED / "ccmsetup.log"))
    assert (
        f"smslogdoc: note: {ROTATED / 'ccmsetup.log'}: its older part {ROTATED / 'ccmsetup.lo_'} (before the log rotated) was not read"
        in result.stderr
    )
    assert "note:" not in invoke("diagnose", str(ROTATED)).stderr


def test_long_evidence_names_the_command_that_shows_it_all() -> None:
    item = Evidence("C:/logs/ccmsetup.log", 12, 30, None, "\n".join(f"line {n}" for n in range(19)), "e")
    last = _evidence_lines(evidence_doc(item), "C:/logs/ccmsetup.log")[-1].plain
    assert last == "      … 11 more line(s); all of them: smslogdoc parse C:/logs/ccmsetup.log (line 12)"


FORMAT_COMMANDS = {
    "diagnose": [str(S01)],
    "parse": [str(S01)],
    "fleet": [str(SAMPLES)],
    "rules list": [],
}
"""Every command that takes --format, with the arguments it needs to run."""


def accepted_formats(command: str) -> list[str]:
    """The formats `command --format` accepts, as its own refusal lists them
    (`unknown format 'bogus'; choose text, jsonl or csv`, or argparse's
    `invalid choice: 'bogus' (choose from 'text', 'short', ...)`)."""
    refused = invoke(*command.split(), *FORMAT_COMMANDS[command], "--format", "bogus")
    assert refused.exit_code == 2, refused.output
    message = refused.stderr.strip()
    if "(choose from " in message:
        return re.findall(r"'([^']+)'", message.rsplit("(choose from ", 1)[1])
    listed = message.rsplit("; choose ", 1)[1]
    return listed.replace(" or ", ", ").split(", ")


@pytest.mark.parametrize("command", list(FORMAT_COMMANDS))
@pytest.mark.slow  # runs every format of four commands
def test_every_format_a_command_accepts_completes_and_runs(command: str, tmp_path: Path) -> None:
    formats = accepted_formats(command)
    for name in formats:
        ran = invoke(*command.split(), *FORMAT_COMMANDS[command], "--format", name)
        assert ran.exit_code == {"diagnose": 1, "fleet": 1}.get(command, 0), (name, ran.output)
    from tests.cli.test_completion import complete

    assert complete(f"smslogdoc {command} --format ", tmp_path) == formats
