"""Wrapped pastes (issue 19, item 3): a path a wrap moved below the line it did not fit on goes
back to it, and a record that opens with a C++ method and a colon is never taken for the rest of
the record before it (tests/integration/test_paste_forms.py, form `wrapped`)."""

from __future__ import annotations

from tests.conftest import Parse
from tests.integration.test_paste_forms import EXCERPTS, rewrite


def test_a_path_wrapped_below_its_line_goes_back(parse_text: Parse) -> None:
    # bcdboot /v on a new boot partition (tests/healthy gh-rufus-646-bcdboot-verbose-new-boot-partition),
    # wrapped at 76: the device path did not fit after "Unable to open file"
    path = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume14\\Boot\\Resources\\bootres.dll for read"
    text = (
        "BFSVC: SetNamedSecurityInfo failed! Error code = 0x2\n"
        "BFSVC: Unable to open file\n"
        f"{path}\n"
        "because the file or path does not exist\n"
        "BFSVC: SetNamedSecurityInfo failed! Error code = 0x2\n"
        "BFSVC: Unable to open file\n"
        "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume14\\Boot\\Resources\\en-US\\bootres.dll.mui\n"
        "for read because the file or path does not exist\n"
    )
    # the second path fills its line alone: "file" says what it is
    assert [(e.line, e.end_line) for e in parse_text(text)] == [(1, 1), (2, 4), (5, 5), (6, 8)]


def test_a_record_opening_with_a_method_starts_its_own(parse_text: Parse) -> None:
    # SUPSetup.log (tests/healthy ms-shared-susdb-supsetup) wrapped at 76 as the paste-forms test
    # wraps it: the record after a wrapped one opens with "CTool::RegisterManagedBinary:"
    excerpt = EXCERPTS / "ms-shared-susdb-supsetup" / "SUPSetup.log"
    wrapped = rewrite("wrapped", excerpt.name, excerpt.read_bytes()).data()
    messages = [e.message for e in parse_text(wrapped, name="SUPSetup.log")]
    assert (
        "CTool::RegisterManagedBinary: Failed to register E:\\ConfigMgr\\bin\\x64\\wsusmsp.dll with .Net Fx 2.0"
        in messages
    )
    assert not [m for m in messages if "Fx 2.0" in m and "run command line" in m]
