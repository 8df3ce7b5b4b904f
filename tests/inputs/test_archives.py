"""Archives as inputs: recognition by content, members and their display paths,
nesting, rotated parts, fleet machines, and hostile archives (bombs, unsafe
names, encryption, truncation, links, cabinets). Every archive is built here
with the standard library; nothing binary is committed."""

from __future__ import annotations

import gzip
import io
import os
import pickle
import struct
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from smslogdoc.inputs import archives
from smslogdoc.inputs.archives import ArchiveLimitError, Member, caps, group_members, iter_members, machines
from smslogdoc.inputs.paths import InputFile, group_rotated
from smslogdoc.model import FileReport, Problem
from smslogdoc.read.full import read_stream

LINE = '<![LOG[Program exit code 5]LOG]!><time="08:30:11.902-60" date="01-16-2024" component="execmgr" context="" type="3" thread="3292" file="execreqmgr.cpp:3420">\r\n'
EXECMGR = LINE.encode() * 3
CCMSETUP = b"<![LOG[ccmsetup started]LOG]!>\r\n"


OPENED: list[Member] = []


@pytest.fixture(autouse=True)
def _close_archives() -> Iterator[None]:
    """Archives stay open for their next member; close what a test listed."""
    yield
    archives.close_all(OPENED)
    OPENED.clear()


def listed(path: Path, display: str | None = None) -> tuple[list[Member], list[str]]:
    problems: list[Problem] = []
    members = list(iter_members(path, problems, display))
    OPENED.extend(members)
    return members, [str(problem) for problem in problems]


def content(member: Member) -> bytes:
    with member.open() as stream:
        return stream.read()


def shown(members: list[Member]) -> dict[str, bytes]:
    return {member.display_path: content(member) for member in members}


def make_zip(path: Path, files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_tar(path: Path, files: dict[str, bytes], mode: Literal["w", "w:gz"] = "w") -> Path:
    with tarfile.open(path, mode) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def patch_zip_member(data: bytes, name: str, *, flags: int = 0, method: int | None = None) -> bytes:
    """Set general-purpose flag bits (and the method) of one member in both its
    local header and its central-directory entry, as zipfile cannot write them."""
    raw = bytearray(data)
    encoded = name.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    struct.pack_into("<H", raw, local + 6, struct.unpack_from("<H", raw, local + 6)[0] | flags)
    if method is not None:
        struct.pack_into("<H", raw, local + 8, method)
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + name_length] == encoded:
            struct.pack_into("<H", raw, at + 8, struct.unpack_from("<H", raw, at + 8)[0] | flags)
            if method is not None:
                struct.pack_into("<H", raw, at + 10, method)
        at = raw.find(b"PK\x01\x02", at + 4)
    return bytes(raw)


# --- recognition ------------------------------------------------------------


def test_archives_are_recognised_by_content_not_name(tmp_path: Path) -> None:
    make_zip(tmp_path / "collected.bin", {"execmgr.log": EXECMGR})
    make_tar(tmp_path / "plain.dat", {"execmgr.log": EXECMGR})
    make_tar(tmp_path / "packed.dat", {"execmgr.log": EXECMGR}, "w:gz")
    (tmp_path / "single.dat").write_bytes(gzip.compress(EXECMGR))
    (tmp_path / "execmgr.log").write_bytes(EXECMGR)
    (tmp_path / "empty.log").write_bytes(b"")
    make_zip(tmp_path / "report.docx", {"[Content_Types].xml": b"<Types/>"})
    (tmp_path / "WKS0042.cab").write_bytes(b"MSCF\x00\x00\x00\x00" + bytes(40))
    (tmp_path / "named.cab").write_bytes(EXECMGR)
    kinds = {path.name: archives.archive_kind(path) for path in sorted(tmp_path.iterdir())}
    assert kinds == {
        "collected.bin": "zip",
        "plain.dat": "tar",
        "packed.dat": "tar.gz",
        "single.dat": "gz",
        "execmgr.log": None,
        "empty.log": None,
        "report.docx": None,
        "WKS0042.cab": "cab",
        "named.cab": None,
    }
    assert archives.archive_kind(tmp_path / "missing.zip") is None


def test_a_file_that_is_not_an_archive_gives_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "execmgr.log"
    path.write_bytes(EXECMGR)
    assert listed(path, "execmgr.log") == ([], ["execmgr.log: not a zip, tar or gzip archive"])


def test_an_archive_without_files_says_so(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "WKS0042.zip", {"Logs/": b"", "notes.md": b"#"})
    assert listed(path, "WKS0042.zip") == ([], ["WKS0042.zip: archive holds no files to read"])


def test_a_cabinet_says_to_extract_it_first(tmp_path: Path) -> None:
    path = tmp_path / "WKS0042.cab"
    path.write_bytes(b"MSCF\x00\x00\x00\x00" + bytes(40))
    assert listed(path, "WKS0042.cab") == (
        [],
        [
            "WKS0042.cab: cabinet (.cab) archives are not read: extract .cab files first (expand -F:* file.cab dir)"
        ],
    )


# --- members ----------------------------------------------------------------


def test_zip_members_stream_with_display_paths_names_and_sizes(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "WKS0042.zip",
        {
            "Windows/CCM/Logs/execmgr.log": EXECMGR,
            "Windows\\ccmsetup\\Logs\\ccmsetup.log": CCMSETUP,  # as older Windows tools write names
            "Windows/CCM/Logs/": b"",
            "__MACOSX/Windows/CCM/Logs/._execmgr.log": b"\x00\x05\x16\x07",
            "notes.md": b"# collected by hand",
        },
    )
    members, problems = listed(path, "WKS0042.zip")
    assert problems == []
    assert shown(members) == {
        "WKS0042.zip!/Windows/CCM/Logs/execmgr.log": EXECMGR,
        "WKS0042.zip!/Windows/ccmsetup/Logs/ccmsetup.log": CCMSETUP,
    }
    assert [(m.name, m.size, m.folder) for m in members] == [
        ("execmgr.log", len(EXECMGR), "WKS0042.zip!/Windows/CCM/Logs"),
        ("ccmsetup.log", len(CCMSETUP), "WKS0042.zip!/Windows/ccmsetup/Logs"),
    ]
    with members[0].open() as stream:
        assert not stream.seekable()
        assert stream.read(10) == EXECMGR[:10]


def test_tar_and_gzipped_tar_members(tmp_path: Path) -> None:
    files = {"./Windows/CCM/Logs/execmgr.log": EXECMGR, "ccmsetup.log": CCMSETUP}
    modes: list[tuple[str, Literal["w", "w:gz"]]] = [
        ("WKS0042.tar", "w"),
        ("WKS0042.tar.gz", "w:gz"),
        ("WKS0042.tgz", "w:gz"),
    ]
    for name, mode in modes:
        members, problems = listed(make_tar(tmp_path / name, files, mode), name)
        assert problems == []
        assert shown(members) == {
            f"{name}!/Windows/CCM/Logs/execmgr.log": EXECMGR,
            f"{name}!/ccmsetup.log": CCMSETUP,
        }
        assert [m.size for m in members] == [len(EXECMGR), len(CCMSETUP)]
        assert members[1].folder == name


def test_a_gzipped_log_is_one_member_named_after_it(tmp_path: Path) -> None:
    for name, inner in (
        ("execmgr.log.gz", "execmgr.log"),
        ("ccmsetup.lo_.gz", "ccmsetup.lo_"),
        ("odd.bin", "odd.bin"),
    ):
        path = tmp_path / name
        path.write_bytes(gzip.compress(EXECMGR))
        members, problems = listed(path, name)
        assert problems == []
        assert shown(members) == {f"{name}!/{inner}": EXECMGR}
        assert (members[0].name, members[0].size, members[0].folder) == (inner, None, name)


def test_a_zip_inside_a_zip_is_read_one_level_deep(tmp_path: Path) -> None:
    inner = zip_bytes({"execmgr.log": EXECMGR})
    deeper = zip_bytes({"deep.zip": zip_bytes({"lost.log": EXECMGR})})
    path = make_zip(
        tmp_path / "logs.zip",
        {
            "WKS0042.zip": inner,
            "WKS0043/ccmsetup.log.gz": gzip.compress(CCMSETUP),
            "WKS0044.zip": deeper,
            "top.log": CCMSETUP,
        },
    )
    members, problems = listed(path, "logs.zip")
    assert problems == [
        "logs.zip!/WKS0044.zip!/deep.zip: archive nested more than 1 level deep; extract it first"
    ]
    assert shown(members) == {
        "logs.zip!/WKS0042.zip!/execmgr.log": EXECMGR,
        "logs.zip!/WKS0043/ccmsetup.log.gz!/ccmsetup.log": CCMSETUP,
        "logs.zip!/top.log": CCMSETUP,
    }
    assert members[0].folder == "logs.zip!/WKS0042.zip"
    archives.close_all(members)


def test_an_archive_found_in_a_folder_walk_is_listed_under_its_walk_path(tmp_path: Path) -> None:
    machine = tmp_path / "WKS0042" / "Logs"
    machine.mkdir(parents=True)
    path = make_zip(machine / "CCMLogs.zip", {"execmgr.log": EXECMGR})
    members, problems = listed(path)
    assert problems == []
    assert [m.display_path for m in members] == [f"{path}!/execmgr.log"]


def test_members_read_in_any_order_and_after_pickling(tmp_path: Path) -> None:
    files = {f"log{number}.log": bytes([65 + number]) * (1000 + number) for number in range(5)}
    kinds: list[tuple[str, Literal["w", "w:gz"]]] = [("a.tgz", "w:gz"), ("a.tar", "w")]
    for name, mode in kinds:
        members, _ = listed(make_tar(tmp_path / name, files, mode))
        assert [content(m) for m in reversed(members)] == list(reversed(files.values()))
        with members[0].open() as first, members[1].open() as second:  # two streams on one archive
            assert (first.read(3), second.read(3), first.read()) == (b"AAA", b"BBB", b"A" * 997)
        copies = pickle.loads(pickle.dumps(members))
        OPENED.extend(copies)
        assert [content(m) for m in copies] == list(files.values())
    members, _ = listed(make_zip(tmp_path / "a.zip", files))
    copies = pickle.loads(pickle.dumps(members))
    OPENED.extend(copies)
    assert [content(m) for m in copies] == list(files.values())


def test_a_member_stream_feeds_the_reader(tmp_path: Path) -> None:
    """What the reader needs: a binary stream read from the start, no seek
    (`seekable=False` replays the sniffed sample)."""
    (member,), _ = listed(make_zip(tmp_path / "WKS0042.zip", {"Logs/execmgr.log": EXECMGR}), "WKS0042.zip")
    report = FileReport(member.display_path)
    with member.open() as raw:
        events = list(read_stream(raw, report, seekable=False))
    assert [(e.path, e.line, e.message) for e in events] == [
        ("WKS0042.zip!/Logs/execmgr.log", n, "Program exit code 5") for n in (1, 2, 3)
    ]
    assert (report.format, report.encoding, report.problems) == ("cmtrace", "utf-8", [])


# --- rotated parts ----------------------------------------------------------


ROTATED = [
    "ccmsetup.log",
    "ccmsetup.lo_",
    "execmgr-20240101-120000.log",
    "execmgr.log",
    "execmgr-20231231-235959.log",
    "other.txt",
]


def test_rotated_parts_inside_an_archive_are_joined_as_on_disk(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "WKS0042.zip", {f"Logs/{name}": name.encode() for name in ROTATED})
    members, _ = listed(path, "WKS0042.zip")
    groups = group_members(members)
    assert [(g.name, g.folder, [m.name for m in g.parts]) for g in groups] == [
        ("WKS0042.zip!/Logs/ccmsetup.log", "WKS0042.zip!/Logs", ["ccmsetup.lo_", "ccmsetup.log"]),
        (
            "WKS0042.zip!/Logs/execmgr.log",
            "WKS0042.zip!/Logs",
            ["execmgr-20231231-235959.log", "execmgr-20240101-120000.log", "execmgr.log"],
        ),
        ("WKS0042.zip!/Logs/other.txt", "WKS0042.zip!/Logs", ["other.txt"]),
    ]
    # the same names on disk group the same way (inputs.group_rotated)
    for name in ROTATED:
        (tmp_path / name).write_bytes(b"x")
    on_disk = group_rotated([InputFile(tmp_path / name, name) for name in ROTATED])
    assert [[part.display for part in log.parts] for log in on_disk] == [
        [m.name for m in g.parts] for g in groups
    ]


# --- fleet machines ---------------------------------------------------------


def test_each_subfolder_or_archive_of_a_fleet_folder_is_a_machine(tmp_path: Path) -> None:
    (tmp_path / "WKS0001").mkdir()
    make_zip(tmp_path / "WKS0042.zip", {"execmgr.log": EXECMGR})
    make_tar(tmp_path / "WKS0043.tar.gz", {"execmgr.log": EXECMGR}, "w:gz")
    make_tar(tmp_path / "WKS0044.contoso.com.tgz", {"execmgr.log": EXECMGR}, "w:gz")
    make_tar(tmp_path / "WKS0045.tar", {"execmgr.log": EXECMGR})
    make_zip(tmp_path / "WKS0001.zip", {"execmgr.log": EXECMGR})  # the same name as a folder
    (tmp_path / ".snapshot").mkdir()
    (tmp_path / "README.md").write_text("collected on Monday")
    (tmp_path / "collect.ps1").write_text("Get-ChildItem")
    problems: list[Problem] = []
    found = machines(tmp_path, problems)
    assert [(m.name, m.path.name, m.kind) for m in found] == [
        ("WKS0001", "WKS0001", None),
        ("WKS0001.zip", "WKS0001.zip", "zip"),
        ("WKS0042", "WKS0042.zip", "zip"),
        ("WKS0043", "WKS0043.tar.gz", "tar.gz"),
        ("WKS0044.contoso.com", "WKS0044.contoso.com.tgz", "tar.gz"),
        ("WKS0045", "WKS0045.tar", "tar"),
    ]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'collect.ps1'}: not a machine: neither a folder nor an archive; not read"
    ]
    assert archives.machine_name("WKS0042.ZIP") == "WKS0042"
    assert archives.machine_name(".zip") == ".zip"


# --- hostile archives -------------------------------------------------------


def test_a_zip_bomb_member_over_the_member_cap_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "MEMBER_CAP", 64 << 10)
    path = make_zip(tmp_path / "bomb.zip", {"bomb.log": bytes(1 << 20), "execmgr.log": EXECMGR})
    members, problems = listed(path, "bomb.zip")
    assert problems == [
        "bomb.zip!/bomb.log: member expands to 1 MiB, over the 64 KiB cap for one member (a zip bomb?); not read"
    ]
    assert shown(members) == {"bomb.zip!/execmgr.log": EXECMGR}


def test_a_zip_bomb_member_over_the_ratio_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "RATIO_FLOOR", 64 << 10)
    path = make_zip(
        tmp_path / "bomb.zip",
        {"execmgr.log": EXECMGR, "bomb.log": bytes(1 << 20), "small.log": bytes(60 << 10)},
    )
    members, problems = listed(path, "bomb.zip")
    with zipfile.ZipFile(path) as archive:
        compressed = archive.getinfo("bomb.log").compress_size
    assert problems == [
        f"bomb.zip!/bomb.log: member expands {(1 << 20) // compressed}:1 (1 MiB from {archives._human(compressed)}), over the 200:1 cap (a zip bomb?); not read"
    ]
    assert list(shown(members)) == [
        "bomb.zip!/execmgr.log",
        "bomb.zip!/small.log",
    ]  # under the floor: NUL-padded logs still read


def test_members_past_the_archive_cap_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caps, "ARCHIVE_CAP", 1000)
    path = make_zip(tmp_path / "many.zip", {f"log{n}.log": bytes(400) for n in range(5)})
    members, problems = listed(path, "many.zip")
    assert problems == [
        "many.zip: archive expands past 1000 B, the cap for one archive (a zip bomb?); members from 'log2.log' on not read"
    ]
    assert list(shown(members)) == ["many.zip!/log0.log", "many.zip!/log1.log"]


def test_a_gzip_bomb_is_stopped_by_counting_while_it_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gzip declares no trustworthy size: the cap is met by counting what the
    stream expands to, and the reader reports it on the member, keeping the
    records before it."""
    monkeypatch.setattr(caps, "MEMBER_CAP", 2 << 20)
    path = tmp_path / "execmgr.log.gz"
    path.write_bytes(gzip.compress(LINE.encode() * 20000))  # 3.1 MiB of records in 13 KiB
    (member,), problems = listed(path, "execmgr.log.gz")
    assert problems == []
    with (
        member.open() as stream,
        pytest.raises(
            ArchiveLimitError, match=r"^expanded past 2 MiB, the cap for one archive member \(a zip bomb\?\)$"
        ),
    ):
        while stream.read(1 << 16):
            pass
    report = FileReport(member.display_path)
    with member.open() as raw:
        events = list(read_stream(raw, report, seekable=False))
    assert 1000 < len(events) < 20000 and {event.message for event in events} == {"Program exit code 5"}
    assert [str(p) for p in report.problems] == [
        "execmgr.log.gz!/execmgr.log: read error, rest of the file not read: expanded past 2 MiB, the cap for one archive member (a zip bomb?)"
    ]


def test_gzipped_members_of_one_archive_share_its_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "ARCHIVE_CAP", 1 << 20)
    path = make_zip(
        tmp_path / "WKS0042.zip",
        {"a.log.gz": gzip.compress(bytes(600 << 10)), "b.log.gz": gzip.compress(bytes(600 << 10))},
    )
    first, second = listed(path, "WKS0042.zip")[0]
    assert (first.display_path, second.display_path) == (
        "WKS0042.zip!/a.log.gz!/a.log",
        "WKS0042.zip!/b.log.gz!/b.log",
    )
    assert content(first) == bytes(600 << 10)
    with second.open() as stream, pytest.raises(ArchiveLimitError) as raised:
        stream.read()
    assert str(raised.value) == "the archive expanded past 1 MiB, the cap for one archive (a zip bomb?)"


def test_a_gzipped_tar_inside_a_zip(tmp_path: Path) -> None:
    packed = make_tar(
        tmp_path / "inner.tgz", {"Logs/execmgr.log": EXECMGR, "Logs/ccmsetup.log": CCMSETUP}, "w:gz"
    ).read_bytes()
    members, problems = listed(make_zip(tmp_path / "logs.zip", {"WKS0042.tgz": packed}), "logs.zip")
    assert problems == []
    assert shown(members) == {
        "logs.zip!/WKS0042.tgz!/Logs/execmgr.log": EXECMGR,
        "logs.zip!/WKS0042.tgz!/Logs/ccmsetup.log": CCMSETUP,
    }
    assert members[0].folder == "logs.zip!/WKS0042.tgz!/Logs"
    archives.close_all(members)


def test_a_gzip_bomb_is_stopped_by_its_ratio_while_it_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "RATIO_FLOOR", 64 << 10)
    path = tmp_path / "execmgr.log.gz"
    path.write_bytes(gzip.compress(bytes(4 << 20)))
    (member,), _ = listed(path)
    size = path.stat().st_size
    with member.open() as stream, pytest.raises(ArchiveLimitError) as raised:
        stream.read()
    assert (
        str(raised.value)
        == f"expanded past 200:1 of its {archives._human(size)} compressed, the cap beyond 64 KiB (a zip bomb?)"
    )


def test_a_gzipped_tar_bomb_stops_its_own_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caps, "RATIO_FLOOR", 64 << 10)
    path = make_tar(
        tmp_path / "bomb.tgz",
        {"execmgr.log": EXECMGR, "zeros.log": bytes(2 << 20), "after.log": EXECMGR},
        "w:gz",
    )
    members, problems = listed(path, "bomb.tgz")
    assert problems == [
        f"bomb.tgz: archive expands past 200:1 of its {archives._human(path.stat().st_size)} compressed (a zip bomb?); members from 'zeros.log' on not read"
    ]
    assert list(shown(members)) == ["bomb.tgz!/execmgr.log"]


def test_unsafe_member_names_are_read_under_a_sanitised_path(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "evil.zip",
        {
            "../../escape.log": b"a",
            "/etc/absolute.log": b"b",
            "C:/Windows/drive.log": b"c",
            "Logs/../../up.log": b"d",
            "escape.log": b"e",
            "good.log": b"f",
        },
    )
    members, problems = listed(path, "evil.zip")
    assert problems == [
        "evil.zip!/escape.log: unsafe member name '../../escape.log' (a '..' part); read under this name",
        "evil.zip!/etc/absolute.log: unsafe member name '/etc/absolute.log' (an absolute path); read under this name",
        "evil.zip!/Windows/drive.log: unsafe member name 'C:/Windows/drive.log' (a drive letter); read under this name",
        "evil.zip!/Logs/up.log: unsafe member name 'Logs/../../up.log' (a '..' part); read under this name",
        "evil.zip!/escape.log: a second member of this name; only the first is read",
    ]
    assert shown(members) == {
        "evil.zip!/escape.log": b"a",
        "evil.zip!/etc/absolute.log": b"b",
        "evil.zip!/Windows/drive.log": b"c",
        "evil.zip!/Logs/up.log": b"d",
        "evil.zip!/good.log": b"f",
    }
    assert [entry.name for entry in tmp_path.iterdir()] == ["evil.zip"]  # nothing extracted


def test_unsafe_names_in_a_tar(tmp_path: Path) -> None:
    path = make_tar(tmp_path / "evil.tar", {"../escape.log": b"a", "/abs.log": b"b", "good.log": b"c"})
    members, problems = listed(path, "evil.tar")
    assert problems == [
        "evil.tar!/escape.log: unsafe member name '../escape.log' (a '..' part); read under this name",
        "evil.tar!/abs.log: unsafe member name '/abs.log' (an absolute path); read under this name",
    ]
    assert shown(members) == {
        "evil.tar!/escape.log": b"a",
        "evil.tar!/abs.log": b"b",
        "evil.tar!/good.log": b"c",
    }


def test_an_encrypted_zip_member_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "WKS0042.zip"
    path.write_bytes(
        patch_zip_member(zip_bytes({"secret.log": EXECMGR, "execmgr.log": EXECMGR}), "secret.log", flags=0x1)
    )
    members, problems = listed(path, "WKS0042.zip")
    assert problems == [
        "WKS0042.zip!/secret.log: encrypted member; not read (extract it with its password first)"
    ]
    assert shown(members) == {"WKS0042.zip!/execmgr.log": EXECMGR}


def test_a_zip_member_compressed_with_an_unreadable_method_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "WKS0042.zip"
    path.write_bytes(
        patch_zip_member(
            zip_bytes({"deflate64.log": EXECMGR, "execmgr.log": EXECMGR}), "deflate64.log", method=9
        )
    )
    members, problems = listed(path, "WKS0042.zip")
    assert problems == [
        "WKS0042.zip!/deflate64.log: compressed with Deflate64, which cannot be read here; extract it first"
    ]
    assert shown(members) == {"WKS0042.zip!/execmgr.log": EXECMGR}


def test_a_truncated_zip_reads_the_members_before_the_damage(tmp_path: Path) -> None:
    data = zip_bytes({"first.log": EXECMGR, "second.log": CCMSETUP, "third.log": os.urandom(4000)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        third = archive.getinfo("third.log").header_offset
    path = tmp_path / "WKS0042.zip"
    path.write_bytes(data[: third + 200])
    members, problems = listed(path, "WKS0042.zip")
    assert problems == [
        f"WKS0042.zip: zip archive truncated or damaged at member 'third.log' (byte {third}); the 2 member(s) before it are read"
    ]
    assert shown(members) == {"WKS0042.zip!/first.log": EXECMGR, "WKS0042.zip!/second.log": CCMSETUP}


def test_a_truncated_zip_written_with_data_descriptors(tmp_path: Path) -> None:
    """A zip written to a pipe puts each member's sizes after its data."""

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk: bytes) -> int:  # type: ignore[override]
            self.data += chunk
            return len(chunk)

    pipe = Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("first.log", EXECMGR), ("second.log", CCMSETUP)):
            with archive.open(name, "w") as member:
                member.write(data)
    written = bytes(pipe.data)
    assert struct.unpack_from("<H", written, 6)[0] & 0x8
    path = tmp_path / "piped.zip"
    path.write_bytes(written[: written.find(b"PK\x01\x02") + 10])  # cut in the central directory
    members, problems = listed(path, "piped.zip")
    assert problems == [
        "piped.zip: zip archive's central directory is damaged; its 2 member(s) are read from their local headers"
    ]
    assert shown(members) == {"piped.zip!/first.log": EXECMGR, "piped.zip!/second.log": CCMSETUP}


def test_a_corrupt_zip_member_fails_its_read_only(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"bad.log": os.urandom(3000), "execmgr.log": EXECMGR}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("bad.log")
    data[info.header_offset + 30 + len("bad.log") + 100] ^= 0xFF
    path = tmp_path / "WKS0042.zip"
    path.write_bytes(bytes(data))
    members, problems = listed(path, "WKS0042.zip")
    assert problems == []
    with members[0].open() as stream, pytest.raises(archives.ArchiveError, match=r"^archive damaged: "):
        stream.read()
    assert content(members[1]) == EXECMGR


@pytest.mark.parametrize("cut", [2500, 20000], ids=["in-its-first-bytes", "further-in"])
def test_a_truncated_gzipped_tar_reads_the_members_before_the_damage(tmp_path: Path, cut: int) -> None:
    files = {"first.log": EXECMGR, "second.log": os.urandom(20000), "third.log": os.urandom(20000)}
    whole = make_tar(tmp_path / "whole.tgz", files, "w:gz").read_bytes()
    path = tmp_path / "WKS0042.tgz"
    path.write_bytes(whole[:cut])
    members, problems = listed(path, "WKS0042.tgz")
    assert problems == [
        "WKS0042.tgz: tar archive truncated or damaged at member 'second.log' (Compressed file ended before the end-of-stream marker was reached); the 1 member(s) before it are read"
    ]
    assert shown(members) == {"WKS0042.tgz!/first.log": EXECMGR}


def test_a_tar_cut_between_members_keeps_the_last_whole_one(tmp_path: Path) -> None:
    whole = make_tar(tmp_path / "whole.tar", {"first.log": EXECMGR, "second.log": CCMSETUP}).read_bytes()
    path = tmp_path / "WKS0042.tar"
    path.write_bytes(whole[: 512 + 512 + 512 + 512 + 100])  # into the end-of-archive blocks
    members, problems = listed(path, "WKS0042.tar")
    assert shown(members) == {"WKS0042.tar!/first.log": EXECMGR, "WKS0042.tar!/second.log": CCMSETUP}
    assert problems == []  # a cut end-of-archive block reads as the end, as tar itself reads it


def test_links_and_devices_in_a_tar_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "links.tar"
    with tarfile.open(path, "w") as archive:
        for name, kind in (
            ("symlink.log", tarfile.SYMTYPE),
            ("hardlink.log", tarfile.LNKTYPE),
            ("fifo", tarfile.FIFOTYPE),
            ("disk", tarfile.BLKTYPE),
        ):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/shadow" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
            archive.addfile(info)
        info = tarfile.TarInfo("execmgr.log")
        info.size = len(EXECMGR)
        archive.addfile(info, io.BytesIO(EXECMGR))
    members, problems = listed(path, "links.tar")
    assert problems == [
        "links.tar!/symlink.log: symbolic link member; not followed",
        "links.tar!/hardlink.log: hard link member; not followed",
        "links.tar!/fifo: device or FIFO member; not read",
        "links.tar!/disk: device or FIFO member; not read",
    ]
    assert shown(members) == {"links.tar!/execmgr.log": EXECMGR}


def test_a_symbolic_link_in_a_zip_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("link.log")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/shadow")
        archive.writestr("execmgr.log", EXECMGR)
    members, problems = listed(path, "links.zip")
    assert problems == ["links.zip!/link.log: symbolic link member; not followed"]
    assert shown(members) == {"links.zip!/execmgr.log": EXECMGR}


def test_a_cabinet_inside_a_zip_says_to_extract_it(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "WKS0042.zip", {"logs.cab": b"MSCF\x00\x00\x00\x00" + bytes(40), "execmgr.log": EXECMGR}
    )
    members, problems = listed(path, "WKS0042.zip")
    assert problems == [
        "WKS0042.zip!/logs.cab: cabinet (.cab) archives are not read: extract .cab files first (expand -F:* file.cab dir)"
    ]
    assert shown(members) == {"WKS0042.zip!/execmgr.log": EXECMGR}
