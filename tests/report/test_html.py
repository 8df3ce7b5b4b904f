"""The HTML report (issue 13): self-contained, every text inert, links only for
bundled rules' http(s) references; and, in a real browser (headless
Chromium), the causes and machines are in the DOM, a hostile log line ran
nothing, and 2,000 machines load."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bench.run import chromium
from smslogdoc.report.html import (
    CONTENT_SECURITY_POLICY,
    bundled_rule_ids,
    machine_anchor,
    render_diagnose,
    render_fleet,
    write_fleet,
)
from tests.conftest import SAMPLES, invoke

HOSTILE = (
    "<script>document.title='pwned'</script> "
    "<img src=x onerror=\"document.title='pwned'\"> "
    "javascript:alert(1) "
    "</style><style>body{display:none}</style>"
    " \x1b[31m\u202edlrow\x00"
)
TITLE_FLEET = "smslogdoc fleet report"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class Dom(HTMLParser):
    """Every element (tag and attributes) and all text of an HTML page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self._in: list[str] = []
        self.title = ""
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in[-1:] == ["title"] and "svg" not in self._in and not self.title:
            self.title = data

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def assert_inert(page: str) -> Dom:
    """No element or attribute the report does not write itself."""
    dom = Dom(page)
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "script",
        "body",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "div",
        "span",
        "b",
        "a",
        "pre",
        "ul",
        "ol",
        "li",
        "details",
        "summary",
        "article",
        "section",
        "time",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "svg",
        "g",
        "rect",
        "text",
        "footer",
        "nav",
        "code",
        "br",
    }
    assert {tag for tag, _ in dom.elements} <= allowed
    assert len(dom.tags("script")) == 1 and len(dom.tags("style")) == 1
    for tag, attrs in dom.elements:
        assert not [
            name
            for name in attrs
            if name.startswith("on") or name in {"src", "srcdoc", "formaction", "style"}
        ], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "https://", "http://")), href
    return dom


def hostile_finding(rule: str, *, bundled: bool | None = True) -> dict[str, Any]:
    found: dict[str, Any] = {
        "rule": rule,
        "title": f"Title {HOSTILE}",
        "severity": "error",
        "confidence": "high",
        "status": "confirmed",
        "diagnosis": f"Diagnosis {HOSTILE}",
        "cause": f"Cause {HOSTILE}",
        "fix": [f"Fix {HOSTILE}"],
        "references": [
            f'Ref {HOSTILE}: https://learn.microsoft.com/x?a=1&b="2"',
            "javascript:alert(1)",
            'Bad: https://x"onmouseover="alert(1)',
            "Data: data:text/html,<script>alert(1)</script>",
        ],
        "next_logs": [f"Next {HOSTILE}"],
        "captures": {"x": HOSTILE},
        "log": f"fleet/{HOSTILE}/execmgr.log",
        "group": f"group {HOSTILE}",
        "occurrences": 2,
        "also": [f"also {HOSTILE}"],
        "note": "",
        "evidence": [
            {
                "path": f"p{HOSTILE}",
                "line": 1,
                "end_line": 1,
                "time": "2022-05-17T14:02:12.692-04:00",
                "text": HOSTILE,
                "event": f"e{HOSTILE}",
                "codes": [f"code {HOSTILE}"],
                "supporting": False,
            },
            {
                "path": "execmgr.log",
                "line": 2,
                "end_line": 21,
                "time": None,
                "text": "\n".join(f"line {n} {HOSTILE}" for n in range(20)),
                "event": "e",
                "codes": [],
                "supporting": True,
            },
        ],
    }
    if bundled is not None:
        found["bundled"] = bundled
    return found


def plain_finding(rule: str, title: str, machine: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "title": title,
        "severity": "error",
        "confidence": "high",
        "status": "confirmed",
        "diagnosis": f"{title} on {machine}.",
        "cause": "",
        "fix": ["Do this."],
        "references": ["Doc: https://learn.microsoft.com/x"],
        "next_logs": [],
        "captures": {},
        "log": f"fleet/{machine}/execmgr.log",
        "group": "run 1",
        "occurrences": 1,
        "also": [],
        "note": "",
        "bundled": True,
        "evidence": [
            {
                "path": f"fleet/{machine}/execmgr.log",
                "line": 10,
                "end_line": 10,
                "time": "2022-05-17T14:02:12.692-04:00",
                "text": "Program exit code 5",
                "event": "failed",
                "codes": ["5 (0x80070005; ERROR_ACCESS_DENIED): Access is denied."],
                "supporting": False,
            }
        ],
    }


def fleet(machines: list[dict[str, Any]], unexplained: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A fleet document with its causes ranked as issue 13 says."""
    causes: dict[str, dict[str, Any]] = {}
    for machine in machines:
        for found in machine["findings"]:
            cause = causes.setdefault(
                found["rule"],
                {
                    "rule": found["rule"],
                    "title": found["title"],
                    "severity": found["severity"],
                    "count": 0,
                    "machines": [],
                },
            )
            cause["count"] += 1
            cause["machines"].append(machine["name"])
    ranked = sorted(causes.values(), key=lambda cause: (-cause["count"], cause["rule"]))
    return {
        "version": 1,
        "machines": machines,
        "causes": ranked,
        "unexplained": unexplained or [],
        "problems": [],
    }


def three_machines() -> dict[str, Any]:
    machines = [
        {
            "name": "WKS0001",
            "path": "fleet/WKS0001",
            "problems": [],
            "findings": [
                plain_finding(
                    "ccmsetup-service-cannot-access-source",
                    "ccmsetup cannot read its source share",
                    "WKS0001",
                )
            ],
        },
        {
            "name": f"WKS0002{HOSTILE}",
            "path": f"fleet/{HOSTILE}",
            "findings": [hostile_finding("execmgr-network-access-denied")],
            "problems": [{"path": f"fleet/{HOSTILE}.zip", "line": 3, "message": f"bad {HOSTILE}"}],
        },
        {
            "name": "WKS0003",
            "path": "fleet/WKS0003",
            "problems": [],
            "findings": [
                plain_finding(
                    "ccmsetup-service-cannot-access-source",
                    "ccmsetup cannot read its source share",
                    "WKS0003",
                )
            ],
        },
    ]
    document = fleet(
        machines,
        [
            {
                "template": f"Failed to download {HOSTILE} Error: 0x80190194",
                "count": 2,
                "machines": ["WKS0001", "WKS0003"],
                "codes": ["0x80190194: HTTP 404 Not Found"],
            }
        ],
    )
    document["problems"] = [{"path": HOSTILE, "line": None, "message": HOSTILE}]
    return document


def shown(text: str) -> str:
    """`text` as the report shows it: the control characters of HOSTILE made visible."""
    return text.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e").replace("\x00", "\\x00")


def visible_hostile() -> str:
    return shown(HOSTILE)


# --- without a browser ------------------------------------------------------------


def test_diagnose_report_of_the_sample_logs() -> None:
    result = invoke(["diagnose", str(SAMPLES), "--format", "json"], env={"NO_COLOR": "1"})
    document = json.loads(result.stdout)
    page = render_diagnose(document, trusted_rule_ids=bundled_rule_ids())
    dom = assert_inert(page)
    assert page.startswith("<!DOCTYPE html>")
    assert dom.title == "smslogdoc findings"
    for found in document["findings"]:
        assert found["title"] in dom.text
        for said in (
            found["diagnosis"].replace("`", "").split("\n")
        ):  # `code` spans shown as code, lines broken
            assert said in dom.text
        for item in found["evidence"]:
            for line in item["text"].replace("\r\n", "\n").strip("\n").split("\n"):
                assert line in dom.text
            assert all(code in dom.text for code in item["codes"])
    links = [attrs["href"] for attrs in dom.tags("a")]
    assert (
        "https://learn.microsoft.com/en-us/intune/configmgr/core/clients/deploy/about-client-installation-properties"
        in links
    )
    assert "2022-05-17 14:02:12.692 -04:00" in dom.text
    # the document marks bundled rules; without that mark (or trusted ids), no reference is a link
    assert all(found["bundled"] for found in document["findings"])
    unmarked = {
        **document,
        "findings": [{k: v for k, v in found.items() if k != "bundled"} for found in document["findings"]],
    }
    links = Dom(render_diagnose(unmarked)).tags("a")
    assert links and all(link["href"].startswith("#") for link in links)  # in the page: contents, stories


def test_every_text_is_inert() -> None:
    document = three_machines()
    for page in (
        render_fleet(document),
        render_diagnose(
            {
                "version": 1,
                "findings": [hostile_finding("r")],
                "files": [
                    {
                        "path": HOSTILE,
                        "format": HOSTILE,
                        "encoding": "utf-8",
                        "events": 1,
                        "skipped": False,
                        "problems": [{"path": HOSTILE, "line": 1, "message": HOSTILE}],
                    }
                ],
                "problems": [{"path": HOSTILE, "line": None, "message": HOSTILE}],
            }
        ),
    ):
        dom = assert_inert(page)
        assert visible_hostile() in dom.text
        assert "\x1b" not in page and "\u202e" not in page and "\x00" not in page
        assert "<img" not in page and "</style><style>" not in page and page.count("<script>") == 1
        # the only links: the bundled reference's https URLs (which end at a quote) and anchors
        links = {str(attrs["href"]) for attrs in dom.tags("a") if not str(attrs["href"]).startswith("#m-")}
        assert {"https://learn.microsoft.com/x?a=1&b=", "https://x"} <= links
        assert links <= {"https://learn.microsoft.com/x?a=1&b=", "https://x", "https://learn.microsoft.com/x"}


def test_references_are_links_only_for_bundled_rules_and_http_urls() -> None:
    def links(found: dict[str, Any], trusted: set[str] | None = None) -> list[str | None]:
        page = render_diagnose(
            {"version": 1, "findings": [found], "files": [], "problems": []},
            trusted_rule_ids=trusted or set(),
        )
        return [attrs["href"] for attrs in Dom(page).tags("a")]

    url = "https://learn.microsoft.com/x?a=1&b="  # a URL ends at a quote
    assert links(hostile_finding("r", bundled=True)) == [url, "https://x"]
    assert links(hostile_finding("r", bundled=False), {"r"}) == []  # the document's word wins
    assert links(hostile_finding("r", bundled=None), {"r"}) == [url, "https://x"]
    assert links(hostile_finding("r", bundled=None), {"other"}) == []
    assert links(hostile_finding("r", bundled=None)) == []
    page = render_diagnose({"version": 1, "findings": [hostile_finding("r")], "files": [], "problems": []})
    assert 'href="https://x&quot;onmouseover' not in page and "onmouseover=&quot;alert(1)" in page


def test_nothing_is_loaded_and_only_the_reports_own_style_and_script_run() -> None:
    page = render_fleet(three_machines())
    dom = Dom(page)
    policy = [
        attrs["content"] for attrs in dom.tags("meta") if attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy == [CONTENT_SECURITY_POLICY]
    assert (
        "default-src 'none'" in CONTENT_SECURITY_POLICY and "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    )
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.group(1).encode("utf-8")).digest()).decode("ascii")
        assert f"{tag}-src 'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert not dom.tags("link") and not dom.tags("img") and not dom.tags("iframe")
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_fleet_report_holds_summary_chart_causes_unexplained_and_machines() -> None:
    document = three_machines()
    page = render_fleet(document)
    dom = Dom(page)
    assert dom.title == TITLE_FLEET
    text = dom.text
    summary = re.search(r'<div class="summary">(.*?)</div>', page)
    assert summary is not None
    assert [re.sub(r"<[^>]+>", "", span) for span in re.findall(r"<span>(.*?)</span>", summary[1])] == [
        "3 machines",
        "3 with a known cause",
        "0 without",
        "2 causes",
        "1 unexplained error template",
        "1 problem",
    ]
    assert len(dom.tags("svg")) == 1 and len(dom.tags("rect")) == 2
    widths = [int(str(attrs["width"])) for attrs in dom.tags("rect")]
    assert widths[0] > widths[1]  # two machines before one
    assert (
        "ccmsetup cannot read its source share" in text
        and "Failed to download" in text
        and "on 2 of 3 machines" in text
    )
    ids = {attrs.get("id") for _, attrs in dom.elements}
    for machine in document["machines"]:
        assert machine_anchor(machine["name"]) in ids
    for attrs in dom.tags("a"):
        href = str(attrs["href"])
        assert not href.startswith("#") or href[1:] in ids, href
    # long evidence is collapsed
    assert any("more lines" in summary for summary in re.findall(r"<summary>(.*?)</summary>", page))
    assert page.index('id="causes"') < page.index('id="unexplained"') < page.index('id="machines"')


def test_write_fleet_streams_machines() -> None:
    out = io.StringIO()
    pulled: list[int] = []

    def machines() -> Iterator[dict[str, Any]]:
        for n in range(3):
            # by the time a machine is asked for, the summary and the causes are written
            assert 'id="machines"' in out.getvalue()
            pulled.append(n)
            yield {
                "name": f"M{n}",
                "path": f"f/M{n}",
                "findings": [plain_finding("r", "T", f"M{n}")] if n else [],
                "problems": [],
            }

    write_fleet(
        out,
        machines(),
        causes=[{"rule": "r", "title": "T", "severity": "error", "count": 2, "machines": ["M1", "M2"]}],
    )
    page = out.getvalue()
    assert pulled == [0, 1, 2]
    assert "3 machines" in page and "Machines with no finding (1)" in page
    assert_inert(page)


def test_redaction_is_announced() -> None:
    page = render_fleet(
        three_machines(), redaction={"host": 3, "user": 1, "domain": 0, "ip": 0, "email": 0, "sid": 0}
    )
    assert "3 host names, 1 user names" in Dom(page).text


# --- in a browser ------------------------------------------------------------------


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    reason = (
        f"no headless browser found (looked for {', '.join(BROWSERS)} on PATH): "
        "the browser tests need Debian's chromium package (apt-get install chromium)"
    )
    print(reason)
    pytest.skip(reason)


def load(page: Path, profile: Path, *extra: str) -> tuple[str, float]:
    """The DOM Chromium built from `page`, after it loaded and ran its scripts,
    and the wall time of the Chromium run."""
    command = chromium(browser(), profile, page)  # the benchmark's command line, and `extra`
    command[-2:-2] = extra
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, elapsed


@pytest.mark.slow
def test_browser_runs_scripts_at_all(tmp_path: Path) -> None:
    """The control for the tests below: a page without the report's policy
    does run its script, so 'the title did not change' means something."""
    page = tmp_path / "control.html"
    page.write_text(
        "<!DOCTYPE html><title>before</title><script>document.title='pwned'</script>", encoding="utf-8"
    )
    dom, _ = load(page, tmp_path / "profile", "--virtual-time-budget=1000")
    assert Dom(dom).title == "pwned"


@pytest.mark.slow
def test_hostile_log_lines_run_nothing_in_a_browser(tmp_path: Path) -> None:
    document = three_machines()
    page = tmp_path / "fleet.html"
    page.write_text(
        render_fleet(document, trusted_rule_ids={"execmgr-network-access-denied"}), encoding="utf-8"
    )
    dumped, elapsed = load(page, tmp_path / "profile", "--virtual-time-budget=2000")
    print(f"3-machine fleet with hostile lines: chromium run {elapsed:.2f} s")
    dom = Dom(dumped)
    assert dom.title == TITLE_FLEET
    # the hostile text is there, as text
    assert visible_hostile() in dom.text
    written = Dom(page.read_text(encoding="utf-8")).text.count(visible_hostile())
    assert written > 0 and dom.text.count(visible_hostile()) == written  # every one the page holds, as text
    # nothing it holds became an element
    assert not dom.tags("img") and len(dom.tags("script")) == 1 and len(dom.tags("style")) == 1
    assert not [attrs for _, attrs in dom.elements if any(name.startswith("on") for name in attrs)]
    # the causes and machines are in the DOM
    for cause in document["causes"]:
        assert shown(cause["title"]) in dom.text
    for machine in document["machines"]:
        assert shown(machine["name"]) in dom.text
    assert "Failed to download" in dom.text and "0x80190194: HTTP 404 Not Found" in dom.text


@pytest.mark.slow
def test_diagnose_report_in_a_browser(tmp_path: Path) -> None:
    result = invoke(["diagnose", str(SAMPLES), "--format", "json"], env={"NO_COLOR": "1"})
    document = json.loads(result.stdout)
    found = copy.deepcopy(document["findings"][0])
    found["evidence"][0]["text"] = HOSTILE
    document["findings"].append(found)
    page = tmp_path / "diagnose.html"
    page.write_text(render_diagnose(document, trusted_rule_ids=bundled_rule_ids()), encoding="utf-8")
    dumped, elapsed = load(page, tmp_path / "profile", "--virtual-time-budget=2000")
    print(f"diagnose report of sample_logs: chromium run {elapsed:.2f} s")
    dom = Dom(dumped)
    assert dom.title == "smslogdoc findings"
    assert visible_hostile() in dom.text and not dom.tags("img")
    for finding in document["findings"]:
        assert finding["title"] in dom.text


def big_fleet(count: int) -> dict[str, Any]:
    """`count` machines, one in ten clean, the rest with one small finding of one of 12 causes."""
    rules = [(f"rule-{n:02d}", f"Cause {n}: a program failed to install") for n in range(12)]
    machines = []
    for n in range(count):
        name = f"WKS{n:05d}"
        rule, title = rules[0] if n % 5 == 0 else rules[n % 12]
        machines.append(
            {
                "name": name,
                "path": f"fleet/{name}",
                "problems": [],
                "findings": [plain_finding(rule, title, name)] if n % 10 else [],
            }
        )
    return fleet(machines)


@pytest.mark.slow
def test_two_thousand_machines_load_in_a_browser(tmp_path: Path) -> None:
    """The report of a large fleet loads whole in Chromium (how long it takes is for a
    benchmark, not a test: it printed 2 to 5 s here, on a shared machine)."""
    document = big_fleet(2000)
    start = time.perf_counter()
    page = tmp_path / "fleet-2000.html"
    with page.open("w", encoding="utf-8") as out:
        write_fleet(
            out,
            iter(document["machines"]),
            causes=document["causes"],
            machine_count=2000,
            trusted_rule_ids=bundled_rule_ids(),
        )
    rendered = time.perf_counter() - start
    dumped, elapsed = load(page, tmp_path / "profile")
    print(
        f"2,000 machines: rendered in {rendered:.2f} s ({page.stat().st_size / 1e6:.1f} MB), chromium run {elapsed:.2f} s"
    )
    dom = Dom(dumped)
    assert dom.title == TITLE_FLEET
    assert "WKS01999" in dom.text and "Cause 0: a program failed to install" in dom.text
    assert len([attrs for attrs in dom.tags("section") if attrs.get("class") == "machine"]) == 1800
