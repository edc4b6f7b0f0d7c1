"""The live-reload preview: settles bursts of saves, rebuilds what changed, keeps the last good build."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import BUILD_DAY, REPO

from ici_site.build import build
from ici_site.errors import ContentError, Problem
from ici_site.server import Preview, make_watcher, site_app

DAY = dt.date(2026, 11, 20)
SERVICE = "content/jelgava/services/juridiska-palidziba.md"
PAGE = "jelgava/lv/services/juridiska-palidziba.html"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def get(app, path: str) -> tuple[str, bytes]:
    status: list[str] = []
    body = b"".join(app({"PATH_INFO": path}, lambda s, headers: status.append(s)))
    return status[0], body


def test_a_burst_of_changes_is_built_once_after_it_settles(capsys):
    clock, calls = Clock(), []
    preview = Preview(lambda: calls.append(clock.now) or "built", settle=0.3, clock=clock)
    for _ in range(5):  # an editor saving several files in a row
        preview.changed()
        clock.now += 0.1
        assert not preview.tick()
    clock.now += 0.3
    assert preview.tick()
    assert calls == [clock.now]
    assert not preview.tick()  # nothing new: no second build


def test_a_failed_build_keeps_the_last_good_one_and_shows_the_error(tmp_path, capsys):
    out = tmp_path / "site"
    (out / "city").mkdir(parents=True)
    (out / "city" / "index.html").write_text("<html><body><p>last good</p></body></html>")
    failing = [True]

    def builder() -> str:
        if failing[0]:
            raise ContentError([Problem("content/city/services/x.md", 7, "hours", "'Mo-Fr 9-25' is not valid")])
        return "built"

    preview = Preview(builder, settle=0)
    app = site_app(out, preview)
    preview.rebuild()
    status, body = get(app, "/city/")
    assert status.startswith("200")
    assert b"last good" in body
    assert b"content/city/services/x.md:7: hours: &#x27;Mo-Fr 9-25&#x27; is not valid" in body
    assert "error: content/city/services/x.md:7: hours:" in capsys.readouterr().err
    failing[0] = False
    preview.rebuild()
    assert b"role=\"alert\"" not in get(app, "/city/")[1]
    assert get(app, "/../etc/passwd")[0].startswith("404")


def test_one_real_edit_is_rebuilt_and_served(project, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project()
    out = root / "_site"
    clock = Clock()
    preview = Preview(lambda: build(root, out, warm=True).summary(), settle=0.3, clock=clock)
    preview.rebuild()
    watcher = make_watcher(root, preview)
    app = site_app(out, preview)
    assert b"14:00" in get(app, "/" + PAGE)[1]
    path = root / SERVICE
    path.write_text(path.read_text(encoding="utf-8").replace("Tu 14:00-18:00", "Tu 15:30-18:00"), encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))  # a clearly newer mtime, whatever the clock's resolution
    assert watcher.examine() == (None, None)  # seen, but not built until the burst settles
    clock.now += 0.5
    assert watcher.examine() == ("rebuilt", None)
    body = get(app, "/" + PAGE)[1]
    assert b"15:30" in body and b"14:00" not in body
    assert "files rendered" in capsys.readouterr().out
    (out / "never-watched.txt").write_text("the output is not a source")
    clock.now += 1
    assert watcher.examine() == (None, None)


def test_serve_answers_on_localhost(project, tmp_path):
    root = project()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY}
    log = tmp_path / "serve.log"
    with open(log, "wb") as logfile, subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(port)],
            env=env, stdout=logfile, stderr=subprocess.STDOUT) as server:
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/jelgava/lv/index.html", timeout=2) as r:
                        body = r.read()
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            assert b"<html" in body and b"livereload.js" in body
        finally:
            server.terminate()
            server.wait(10)
