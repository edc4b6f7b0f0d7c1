"""The real `serve` in the real browser: a process started as an editor starts it, its
real pages under their real Content-Security-Policy, edits saved to the files.

Each test leaves the project as it found it (the files it broke are restored and the
page shows them fixed), so the tests share one `serve` process per module.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO, make_project, require_tool

CITY = "demoville"  # the `basic` mini-site's city
SERVICE = f"content/{CITY}/services/cours-de-francais.md"
PAGE = f"{CITY}/fr/services/cours-de-francais.html"
ARABIC_PAGE = f"{CITY}/ar/services/cours-de-francais.html"
INTERFACE_AR = "locales/ar/LC_MESSAGES/messages.po"
WAIT = 60_000  # ms; the machine is shared, a rebuild can take a while
CSP = re.compile(r"Content.Security.Policy|violates", re.IGNORECASE)


@dataclass
class Live:
    """A running `serve` on a copy of a mini-site."""

    root: Path
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    def edit(self, rel: str, old: str, new: str) -> str:
        """Replace ``old`` (which must be there) in a source file, as an editor saves it;
        return the previous text."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        _save(path, text.replace(old, new, 1))
        return text

    def restore(self, rel: str, text: str) -> None:
        _save(self.root / rel, text)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _save(path: Path, text: str) -> None:
    before = path.stat().st_mtime
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime == before:  # a coarse clock: make the change visible to the watcher
        os.utime(path, (before + 1, before + 1))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory):
    """`python build.py --root PROJECT serve --port PORT` running this worktree's code."""
    root = make_project(tmp_path_factory.mktemp("live") / "project", "basic")
    port = _free_port()
    log = root.parent / "serve.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "serve",
                                    "--port", str(port)], env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Live(root, f"http://127.0.0.1:{port}/", port, log, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _status(server.url + "_preview/reload.js") == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, f"serve stopped:\n{server.output()}"
            assert time.monotonic() < deadline, f"serve did not answer:\n{server.output()}"
            time.sleep(0.2)
        yield server
        assert "Traceback" not in server.output()
        process.send_signal(signal.SIGINT)  # Ctrl-C: serve stops and removes the folders it kept
        process.wait(20)
        assert (root / "_site").is_dir() and not list(root.glob(".*.spares"))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture
def page(browser, live: Live):
    """A browser page that records every console error; the test fails on any CSP refusal."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    refused = [e for e in errors if CSP.search(e)]
    assert not refused, refused


def _open(tab, live: Live, path: str) -> None:
    """Open a page of the preview and wait until its reload client has joined the channel."""
    joined = live.output().count("Browser Connected")
    tab.goto(live.url + path)
    deadline = time.monotonic() + WAIT / 1000
    while live.output().count("Browser Connected") <= joined:
        assert time.monotonic() < deadline, live.output()
        time.sleep(0.1)


def _settled(live: Live) -> None:
    """Wait until `serve` has printed nothing for a second (no build under way)."""
    deadline, seen = time.monotonic() + WAIT / 1000, ""
    while (now := live.output()) != seen:
        assert time.monotonic() < deadline, now
        seen = now
        time.sleep(1)


def _navigation_type(page) -> str:
    """How the page was last loaded ("reload", "navigate"…). The whole build's reload can follow the
    shown edit's at any moment and replace the page while it is asked: it is asked again then."""
    from playwright.sync_api import Error

    for _ in range(10):
        try:
            return str(page.evaluate("performance.getEntriesByType('navigation')[0].type"))
        except Error as exc:
            if "context was destroyed" not in str(exc):
                raise
            page.wait_for_load_state()
    raise AssertionError("the page kept reloading")


def test_a_saved_edit_reloads_the_open_page_by_itself(page, live: Live) -> None:
    _open(page, live, PAGE)
    assert page.get_by_text("deux fois").count() == 1
    before = live.edit(SERVICE, "deux fois", "trois fois")
    try:
        page.get_by_text("trois fois").first.wait_for(timeout=WAIT)  # nobody pressed reload
        assert _navigation_type(page) == "reload"
        assert page.get_by_text("deux fois").count() == 0
        # shown from memory first (its pages in the 3 languages: the service's and its category's),
        # then written by the whole build, which reloads the page again
        assert re.search(r"showing the edit: 6 pages in [\d.]+ s; building the rest…\n", live.output()), live.output()
        deadline = time.monotonic() + WAIT / 1000
        while "trois fois" not in (on_disk := (live.root / "_site" / PAGE).read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, live.output()
            time.sleep(0.1)
        assert "_preview" not in on_disk  # the client is never written
        page.get_by_text("trois fois").first.wait_for(timeout=WAIT)  # and after the build's reload
    finally:
        live.restore(SERVICE, before)
    page.get_by_text("deux fois").first.wait_for(timeout=WAIT)


def test_a_content_error_shows_in_a_box_until_it_is_fixed(page, live: Live) -> None:
    _open(page, live, PAGE)
    before = live.edit(SERVICE, "hours: Mo-Fr", "hours: [Mo-Fr")  # an unclosed YAML list
    box = page.locator(".ici-preview-errors")
    try:
        box.wait_for(timeout=WAIT)
        text = box.inner_text()
        assert re.search(rf"{re.escape(SERVICE)}:\d+", text), text
        assert box.get_attribute("role") == "alert"
        # styled by /_preview/preview.css: the page's policy refuses inline styles
        assert box.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 232, 232)"
        assert page.get_by_text("deux fois").count() == 1  # the last good build is still shown
        assert page.evaluate("document.body.dataset.tz")  # the box is inside the real <body data-…>
    finally:
        live.restore(SERVICE, before)
    box.wait_for(state="detached", timeout=WAIT)
    assert "Traceback" not in live.output()


@pytest.mark.parametrize(("old", "new"), [
    ('في %(date)s."', 'في %(dat)s."'),  # a placeholder the page cannot fill
    ('msgstr "دروس اللغة"', 'msgstr "دروس اللغة'),  # an unclosed string
], ids=["placeholder", "syntax"])
def test_an_interface_catalog_error_shows_in_the_box(page, live: Live, old: str, new: str) -> None:
    _open(page, live, ARABIC_PAGE)
    before = live.edit(INTERFACE_AR, old, new)
    box = page.locator(".ici-preview-errors")
    try:
        box.wait_for(timeout=WAIT)
        assert re.search(rf"{re.escape(INTERFACE_AR)}:\d+", box.inner_text()), box.inner_text()
        assert box.evaluate("e => getComputedStyle(e).direction") == "ltr"  # file:line reads left to right
    finally:
        live.restore(INTERFACE_AR, before)
    box.wait_for(state="detached", timeout=WAIT)
    assert "Traceback" not in live.output()


def test_the_root_leads_to_the_cities(page, live: Live) -> None:
    language_page = re.compile(rf"{re.escape(live.url)}{CITY}/[a-z]+/index\.html")
    page.goto(live.url, wait_until="commit")
    page.wait_for_url(language_page)  # one city: straight to it (whose root opens the reader's language)
    second = live.root / "content" / "secondville"
    try:
        subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(live.root), "new", "secondville"],
                       env={**os.environ, "PYTHONPATH": str(REPO)}, check=True, capture_output=True)
        deadline = time.monotonic() + WAIT / 1000
        while _status(live.url + "secondville/") != 200:
            assert time.monotonic() < deadline, live.output()
            time.sleep(0.2)
        _settled(live)  # `new` writes several files: a second rebuild would reload the page under test
        page.goto(live.url)
        assert page.url == live.url
        links = page.locator("main a")
        assert sorted(links.evaluate_all("l => l.map(a => a.getAttribute('href'))")) == [f"{CITY}/", "secondville/"]
        assert page.get_by_role("link", name="Démoville").count() == 1
        page.get_by_role("link", name="Démoville").click()
        page.wait_for_url(language_page)
    finally:
        shutil.rmtree(second)
    page.goto(live.url, wait_until="commit")
    page.wait_for_url(language_page)  # a city removed from content/ is no longer listed
    _settled(live)  # its files went one by one: a later rebuild would reload the next test's page


def _handshake(port: int, origin: str, host: str = "127.0.0.1") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall((f"GET /livereload HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        return s.recv(4096).split(b"\r\n", 1)[0]


def test_the_reload_channel_accepts_its_own_origin_only(live: Live) -> None:
    assert b" 101 " in _handshake(live.port, f"http://127.0.0.1:{live.port}")
    for origin in ("http://evil.example", f"http://127.0.0.1:{live.port + 1}", "null"):
        assert b" 403 " in _handshake(live.port, origin), origin
    # a site that points its own name at 127.0.0.1 (DNS rebinding) is refused too
    assert b" 403 " in _handshake(live.port, f"http://evil.example:{live.port}", host="evil.example")


def test_a_page_asked_under_another_host_name_is_refused(live: Live) -> None:
    for host, status in (("evil.example", 400), ("localhost", 200), ("127.0.0.1", 200)):
        answer = _raw(live.port, b"GET /%s/fr/index.html HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
                      % (CITY.encode(), host.encode(), live.port))
        assert answer.startswith(b"HTTP/1.1 %d " % status), (host, answer[:100])


def test_a_port_in_use_is_a_one_line_usage_error(project, cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli(project("basic"), "serve", "--port", str(taken.getsockname()[1]))
    assert result.code == 2 and "Traceback" not in result.err
    assert re.fullmatch(r"error: cannot listen on 127\.0\.0\.1:\d+ \(Address already in use\): [^\n]+\n", result.err)


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize(("target", "status"), [
    (b"/" + b"a" * 3000, 414),  # a very long URL
    (b"/" + b"a/" * 1_000_000, 414),  # as long as Chromium sends (2 MB)
    (b"/%s/?" % CITY.encode() + b"q" * 5000, 414),
    (b"/" + b"b" * 300 + b".html", 414),  # a name longer than the system allows
    (b"/%ff%fe", 400),  # not UTF-8
    (b"/demoville/%00.html", 400),
    (b"/demoville/%c0%ae%c0%ae/", 400),  # an overlong "..", a classic trick
    (b"/../../../etc/passwd", 404),
    (b"/%2e%2e/%2e%2e/etc/passwd", 404),
    (b"/demoville/fr/no-such-page.html", 404),
    (b"/forcereload?path=*", 404),  # livereload's endpoint that let any page reload every browser
    (b"/livereload.js", 404),  # livereload's client: the pages' policy refuses how it is injected
    (b"GARBAGE", 400),
], ids=lambda v: v if isinstance(v, int) else v[:30].decode("latin-1"))
def test_hostile_requests_get_clean_answers(live: Live, target: bytes, status: int) -> None:
    line = b"GARBAGE\r\n\r\n" if target == b"GARBAGE" else (
        b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer = _raw(live.port, line)
    assert answer.startswith(b"HTTP/1.1 %d " % status), answer[:200]
    text = answer.decode("utf-8", "replace")
    for secret in ("Traceback", "File \"", str(live.root), str(REPO), "site-packages", "Error:"):
        assert secret not in text, secret
    assert "Traceback" not in live.output()


def test_error_pages_are_real_pages_under_the_same_policy(page, live: Live) -> None:
    answer = page.goto(live.url + f"{CITY}/fr/no-such-page.html")
    assert answer is not None and answer.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "404 Not Found"
    assert "Content-Security-Policy" in page.content()
    link = page.get_by_role("link", name="The list of cities")
    assert link.get_attribute("href") == "/"


def test_served_pages_with_the_box_are_valid_and_accessible(browser, live: Live, tmp_path: Path) -> None:
    from browsing import axe_violations
    vnu = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require_tool(vnu.is_file() and shutil.which("java") is not None, "Nu Html Checker (java + npm ci)")
    before = live.edit(SERVICE, "hours: Mo-Fr", "hours: [Mo-Fr")
    try:
        deadline = time.monotonic() + WAIT / 1000
        while b"ici-preview-errors" not in _get(live.url + ARABIC_PAGE):
            assert time.monotonic() < deadline, live.output()
            time.sleep(0.2)
        for name, path in (("page", ARABIC_PAGE), ("service", PAGE), ("cities", ""), ("missing", "nope.html")):
            (tmp_path / f"{name}.html").write_bytes(_get(live.url + path))
        run = subprocess.run(["java", "-jar", str(vnu), "--errors-only", *map(str, sorted(tmp_path.glob("*.html")))],
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
        context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 800})  # axe is injected
        try:
            tab = context.new_page()
            tab.goto(live.url + ARABIC_PAGE)
            assert tab.locator(".ici-preview-errors").is_visible()
            assert not axe_violations(tab)
        finally:
            context.close()
    finally:
        live.restore(SERVICE, before)
    deadline = time.monotonic() + WAIT / 1000
    while b"ici-preview-errors" in _get(live.url + ARABIC_PAGE):
        assert time.monotonic() < deadline, live.output()
        time.sleep(0.2)


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return bytes(answer.read())
    except urllib.error.HTTPError as error:
        return bytes(error.read())
