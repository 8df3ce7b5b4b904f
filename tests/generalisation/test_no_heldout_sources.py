"""Guard: no knowledge file cites a source of the held-out cases.

Knowledge written from a page that a held-out case was taken from makes the
held-out figures flatter than they are. This test reads only
`HELDOUT_SOURCES.txt` (never `heldout/`) and searches, as plain text, the files
knowledge lives in (`KNOWLEDGE`) for every form a listed source may be cited in:

* a URL: `http` or `https`, with or without `www.`, a trailing slash, an anchor
  or a query; a learn.microsoft.com / docs.microsoft.com page in any locale;
* a file of a repository that publishes pages (`PUBLISHED`), as `repo:path`
  (any `@commit`), as its path alone, as a GitHub blob/raw URL, or as the page
  published from it; a listed page blocks its file and a listed file its page;
* a GitHub issue or pull request, `owner/repo#N` or its URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = Path(__file__).resolve().with_name("HELDOUT_SOURCES.txt")
KNOWLEDGE = (
    "rules/*.yaml",
    "workflows/*.yaml",
    "smslogdoc/data/*.yaml",
    "smslogdoc/data/contexts/*.yaml",
    "smslogdoc/data/*.tsv",
    "tests/fixtures/stories/**/SOURCE.md",
)

LOCALE = r"(?:[a-z]{2}(?:-[a-z]{2,4}){1,2}/)?"
PUBLISHED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "MicrosoftDocs/SupportArticles-docs",
        "support/",
        (f"learn\\.microsoft\\.com/{LOCALE}troubleshoot/", f"docs\\.microsoft\\.com/{LOCALE}troubleshoot/"),
    ),
    (
        "MicrosoftDocs/memdocs",
        "memdocs/",
        (
            f"learn\\.microsoft\\.com/{LOCALE}mem/",
            f"learn\\.microsoft\\.com/{LOCALE}intune/",
            f"docs\\.microsoft\\.com/{LOCALE}mem/",
        ),
    ),
    ("PatchMyPCTeam/kbs.patchmypc.com", "", ("docs\\.patchmypc\\.com/", "patchmypc\\.com/")),
)
"""(repository, folder its pages come from, page prefixes as regexes): a file
`folder + path + .md` of the repository is published at `prefix + path`."""

START = r"(?<![\w.-])"
END = r"(?![\w%~-]|[./][\w%~-])"
"""A citation starts after no name character and ends where a path could not go on."""
WEB = r"(?:https?://)?(?:www\.)?"
GITHUB_FILE = (
    r"{web}(?:github\.com/{repo}/(?:blob|raw|tree|edit|blame)|raw\.githubusercontent\.com/{repo})/[^/\s]+/"
)

ISSUE = re.compile(r"(?:https?://github\.com/)?([\w.-]+/[\w.-]+)(?:#|/issues/|/pull/)(\d+)/?", re.IGNORECASE)
FILE = re.compile(r"([\w.-]+/[\w.-]+):([^@\s]+?)(?:\.md)?(?:@\w+)?", re.IGNORECASE)
GITHUB_BLOB = re.compile(
    r"github\.com/([\w.-]+/[\w.-]+)/(?:blob|raw|tree|edit|blame)/[^/]+/(.+?)(?:\.md)?", re.IGNORECASE
)
URL = re.compile(r"(?:https?://)?(?:www\.)?([^/\s]+)(/[^?#\s]*)?.*", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    source: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: cites {self.source}: {self.text.strip()[:120]}"


def listed_sources(path: Path = SOURCES) -> list[str]:
    """The sources of the blocklist, comments and blank lines left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def file_forms(repo: str, path: str) -> list[str]:
    """Regexes for a file of a repository (path without `.md`) and any page published from it."""
    name = re.escape(path)
    forms = [
        f"{re.escape(repo)}:{name}(?:\\.md)?",
        GITHUB_FILE.format(web=WEB, repo=re.escape(repo)) + f"{name}\\.md",
    ]
    if "/" in path:
        forms.append(f"{name}\\.md")
    for publisher, folder, prefixes in PUBLISHED:
        if publisher.lower() == repo.lower() and path.lower().startswith(folder):
            page = re.escape(path[len(folder) :])
            forms += [f"{WEB}{prefix}{page}" for prefix in prefixes]
    return forms


def url_forms(host: str, path: str) -> list[str]:
    """Regexes for a web page, and the file it is published from when one is known."""
    host = re.sub(r"^www\.", "", host, flags=re.IGNORECASE)
    page = path.rstrip("/")
    if blob := GITHUB_BLOB.fullmatch(host + page):
        return file_forms(blob.group(1), blob.group(2))
    for repo, folder, prefixes in PUBLISHED:
        for prefix in prefixes:
            if match := re.fullmatch(f"{prefix}(.+)", host + page, re.IGNORECASE):
                return file_forms(repo, folder + match.group(1))
    return [f"{WEB}{re.escape(host)}{re.escape(page)}"]


def source_forms(source: str) -> list[str]:
    """Regexes for every form a listed source may be cited in."""
    if issue := ISSUE.fullmatch(source):
        repo, number = re.escape(issue.group(1)), issue.group(2)
        return [f"{repo}#{number}", f"{WEB}github\\.com/{repo}/(?:issues|pull)/{number}"]
    if (file := FILE.fullmatch(source)) and "//" not in source:
        return file_forms(file.group(1), file.group(2))
    if url := URL.fullmatch(source):
        return url_forms(url.group(1), url.group(2) or "")
    return [re.escape(source)]


def source_pattern(source: str) -> re.Pattern[str]:
    """One pattern matching a citation of `source` in any of its forms."""
    return re.compile(START + "(?:" + "|".join(source_forms(source)) + ")" + END, re.IGNORECASE)


def source_key(source: str) -> str:
    """Plain text every citation of `source` contains, lower case: a cheap test before the pattern."""
    bare = re.sub(r"(?:\.md)?(?:@\w+)?/?$", "", source)
    last = re.split(r"[/:#]", bare)[-1]
    url = URL.fullmatch(source)
    if len(last) < 5 and url and "//" in source and len(source_forms(source)) == 1:  # a plain web page
        return url.group(1).lower().removeprefix("www.")
    return last.lower()


def knowledge_files(root: Path = REPO) -> list[Path]:
    """The files knowledge lives in, each once."""
    return sorted({path for glob in KNOWLEDGE for path in root.glob(glob) if path.is_file()})


def find_citations(files: list[Path], sources: list[str], root: Path = REPO) -> list[Hit]:
    """Every line of `files` citing one of `sources`."""
    patterns = [(source, source_key(source), source_pattern(source)) for source in sources]
    hits: set[Hit] = set()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines, lowered = text.split("\n"), text.lower()
        for source, key, pattern in patterns:
            if key not in lowered:
                continue
            for match in pattern.finditer(text):
                number = text.count("\n", 0, match.start()) + 1
                hits.add(Hit(path.relative_to(root).as_posix(), number, source, lines[number - 1]))
    return sorted(hits, key=lambda hit: (hit.file, hit.line, hit.source))


# --- the matcher ------------------------------------------------------------------------------

LEARN = "https://learn.microsoft.com/en-us/troubleshoot/mem/configmgr/area/some-page"
KB = "PatchMyPCTeam/kbs.patchmypc.com:configmgr/troubleshooting/some-page.md@26e941919b8f4c55bb056bb5080a499ca08bb8ee"
ISSUE_SOURCE = "ExampleOrg/example-docs#879"
BLOG = "https://blog.example.org/2008/12/"
GITHUB_SOURCE = "https://github.com/PatchMyPCTeam/kbs.patchmypc.com/blob/main/configmgr/area/page.md"

CITED = [
    (LEARN, "url: " + LEARN),
    (LEARN, "  - https://learn.microsoft.com/en-us/troubleshoot/mem/configmgr/area/some-page/"),
    (LEARN, "(learn.microsoft.com/ja-jp/troubleshoot/mem/configmgr/area/some-page#cause)"),
    (LEARN, "see https://learn.microsoft.com/troubleshoot/mem/configmgr/area/some-page."),
    (LEARN, "http://docs.microsoft.com/en-US/troubleshoot/mem/configmgr/area/some-page?view=x"),
    (LEARN, "MicrosoftDocs/SupportArticles-docs:support/mem/configmgr/area/some-page.md"),
    (LEARN, "MicrosoftDocs/SupportArticles-docs:support/mem/configmgr/area/some-page.md@0123abcd"),
    (
        LEARN,
        "github.com/MicrosoftDocs/SupportArticles-docs/blob/main/support/mem/configmgr/area/some-page.md",
    ),
    (KB, "source: PatchMyPCTeam/kbs.patchmypc.com:configmgr/troubleshooting/some-page.md"),
    (KB, "PatchMyPCTeam/kbs.patchmypc.com:configmgr/troubleshooting/some-page.md@deadbeef"),
    (
        KB,
        "https://github.com/PatchMyPCTeam/kbs.patchmypc.com/blob/HEAD/configmgr/troubleshooting/some-page.md",
    ),
    (KB, "https://docs.patchmypc.com/configmgr/troubleshooting/some-page"),
    (KB, "https://patchmypc.com/configmgr/troubleshooting/some-page/"),
    (GITHUB_SOURCE, "PatchMyPCTeam/kbs.patchmypc.com:configmgr/area/page.md@0123abcd"),
    (GITHUB_SOURCE, "https://docs.patchmypc.com/configmgr/area/page"),
    (ISSUE_SOURCE, "ExampleOrg/example-docs#879"),
    (ISSUE_SOURCE, "https://github.com/ExampleOrg/example-docs/issues/879"),
    (BLOG, "http://www.blog.example.org/2008/12"),
    (BLOG, "'https://blog.example.org/2008/12/'"),
]
NOT_CITED = [
    (LEARN, "https://learn.microsoft.com/en-us/troubleshoot/mem/configmgr/area/some-page-other"),
    (LEARN, "https://learn.microsoft.com/en-us/troubleshoot/mem/configmgr/area/some-page/child"),
    (LEARN, "MicrosoftDocs/SupportArticles-docs:support/mem/configmgr/area/other-page.md"),
    (KB, "PatchMyPCTeam/kbs.patchmypc.com:configmgr/troubleshooting/some-page-two.md"),
    (ISSUE_SOURCE, "ExampleOrg/example-docs#8790"),
    (ISSUE_SOURCE, "https://github.com/ExampleOrg/example-docs/issues/87"),
    (BLOG, "https://blog.example.org/2008/12/a-post-of-that-month/"),
    (BLOG, "https://notblog.example.org/2008/12/"),
]


@pytest.mark.parametrize(("source", "line"), CITED)
def test_every_form_of_a_source_is_matched(source: str, line: str) -> None:
    assert source_key(source) in line.lower(), (source, line)
    assert source_pattern(source).search(line), (source, line)


@pytest.mark.parametrize(("source", "line"), NOT_CITED)
def test_a_neighbouring_source_is_not_matched(source: str, line: str) -> None:
    assert not source_pattern(source).search(line), (source, line)


def test_every_listed_source_matches_itself() -> None:
    sources = listed_sources()
    assert sources, f"{SOURCES} lists no source"
    unmatched = [
        source
        for source in sources
        if source_key(source) not in source.lower() or not source_pattern(source).search(f" {source} ")
    ]
    assert not unmatched, unmatched


# --- the knowledge ----------------------------------------------------------------------------


def test_the_knowledge_files_are_found() -> None:
    files = {path.relative_to(REPO).as_posix() for path in knowledge_files()}
    for prefix in ("rules/", "workflows/", "smslogdoc/data/", "tests/fixtures/stories/"):
        assert any(name.startswith(prefix) for name in files), prefix


def test_no_knowledge_file_cites_a_heldout_source() -> None:
    hits = find_citations(knowledge_files(), listed_sources())
    assert not hits, "knowledge cites held-out sources (HELDOUT_SOURCES.txt):\n" + "\n".join(map(str, hits))
