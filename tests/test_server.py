"""The live-reload preview: settles bursts of saves, rebuilds what changed, keeps the last good build.
The real `serve` process in Chromium is tested in test_live_preview.py."""

from __future__ import annotations

import os
import re
import time

from conftest import BUILD_DAY

from ici_site.build import build
from ici_site.server import Preview, make_watcher, site_app

SERVICE = "content/demoville/services/cours-de-francais.md"  # the `basic` mini-site
PAGE = "demoville/fr/services/cours-de-francais.html"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def get(app, path: str) -> tuple[str, bytes]:
    return answer(app, path)[::2]


def answer(app, path: str) -> tuple[str, dict[str, str], bytes]:
    status: list[tuple[str, dict[str, str]]] = []
    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": "GET"},
                        lambda s, headers: status.append((s, dict(headers)))))
    return status[0][0], status[0][1], body


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


def test_a_failed_build_keeps_the_last_good_one_and_shows_the_error(project, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project("basic")
    out = root / "_site"
    preview = Preview(lambda: build(root, out, warm=True).summary(), settle=0)
    app = site_app(out, preview, root)
    preview.rebuild()
    built = (out / PAGE).read_bytes()
    source = root / SERVICE
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("hours: Mo-Fr 09:00-12:30", "hours: Mo-Fr 9h-midi"), encoding="utf-8")
    preview.rebuild()
    status, body = get(app, "/" + PAGE)
    assert status.startswith("200")
    assert (out / PAGE).read_bytes() == built  # the last good build, untouched on disk
    box = re.search(rb'<body [^>]*data-tz="[^"]+"[^>]*><div class="ici-preview-errors" role="alert"[^>]*>(.*?)</div>',
                    body, re.DOTALL)  # right after the real <body data-…> tag
    assert box and f"{SERVICE}:".encode() in box[1] and b"hours" in box[1], body[:3000]
    assert b"style=" not in box[0]  # the page's policy refuses inline styles: the box has a class
    assert f"error: {SERVICE}:" in capsys.readouterr().err
    source.write_text(good, encoding="utf-8")
    preview.rebuild()
    body = get(app, "/" + PAGE)[1]
    assert b"ici-preview-errors" not in body and b'src="/_preview/reload.js"' in body
    assert b"_preview" not in (out / PAGE).read_bytes()  # the client is added to the served copy only


def test_a_bug_in_the_build_shows_in_the_box_without_a_traceback(tmp_path, capsys):
    def builder() -> str:
        return {}["missing"]

    preview = Preview(builder, settle=0)
    preview.rebuild()
    assert preview.errors and "internal error (KeyError: 'missing')" in preview.errors[0]
    err = capsys.readouterr().err
    assert "Traceback" not in err and "keeping the last good build" in err
    status, body = get(site_app(tmp_path, preview), "/")
    assert status.startswith("200") and b"No city is built yet" in body and b"KeyError" in body


def test_the_preview_serves_only_its_own_files_and_the_site(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (tmp_path / "secret.txt").write_text("not for the browser")
    preview = Preview(lambda: "built", settle=0)
    app = site_app(out, preview)
    assert get(app, "/_preview/reload.js")[0].startswith("200")
    assert get(app, "/_preview/preview.css")[0].startswith("200")
    for path in ("/_preview/../secret.txt", "/../secret.txt", "/_preview/server.py", "/_preview/"):
        status, body = get(app, path)
        assert status.startswith("404") and b"not for the browser" not in body, path
    (out / "link").symlink_to(tmp_path / "secret.txt")
    assert get(app, "/link")[0].startswith("404")  # a link out of the site is not followed
    (out / "city").mkdir()
    assert answer(app, "")[1]["Location"] == "/"
    for path in ("/city", "//city", "/./city", "/x/../city"):  # a folder: its address with a slash
        status, headers, _ = answer(app, path)
        assert status.startswith("301") and headers["Location"] == "/city/", (path, headers)  # never //host/


def test_one_real_edit_is_rebuilt_and_served(project, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project("basic")
    out = root / "_site"
    clock = Clock()
    preview = Preview(lambda: build(root, out, warm=True).summary(), settle=0.3, clock=clock)
    preview.rebuild()
    watcher = make_watcher(root, preview)
    app = site_app(out, preview)
    assert b"12:30" in get(app, "/" + PAGE)[1]
    path = root / SERVICE
    path.write_text(path.read_text(encoding="utf-8").replace("09:00-12:30", "09:00-11:45"), encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))  # a clearly newer mtime, whatever the clock's resolution
    assert watcher.examine() == (None, None)  # seen, but not built until the burst settles
    clock.now += 0.5
    assert watcher.examine() == ("rebuilt", None)
    body = get(app, "/" + PAGE)[1]
    assert b"11:45" in body and b"12:30" not in body
    assert "files written" in capsys.readouterr().out
    (out / "never-watched.txt").write_text("the output is not a source")
    clock.now += 1
    assert watcher.examine() == (None, None)


def test_a_refused_translation_is_explained_in_the_box(project, monkeypatch, capsys):
    """A translator previewing a translation the safety check refuses sees the fallback on the
    page and, in the box, why (build warns with its file and line; check refuses it)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project("basic")
    out = root / "_site"
    preview = Preview(lambda: build(root, out, warm=True), settle=0)
    app = site_app(out, preview, root)
    preview.rebuild()
    assert not preview.warnings
    catalog = root / "locales/en/LC_MESSAGES/demoville.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "First steps"', 'msgstr "<img src=x onerror=alert(1)> First steps"'),
                       encoding="utf-8")
    preview.rebuild()
    assert not preview.errors
    line = text.splitlines().index('msgstr "First steps"')  # the msgid's line, 1-based
    assert any(w.startswith(f"locales/en/LC_MESSAGES/demoville.po:{line}: msgstr: translation of 'Premiers pas' "
                            "adds the number 1") for w in preview.warnings), preview.warnings
    body = get(app, "/demoville/en/pages/premiers-pas.html")[1]
    box, page = body.split(b"</div>", 1)[0], body.split(b"ici-preview-errors", 1)[1].split(b"</div>", 1)[1]
    assert b"ici-preview-errors" in box and b"adds the number 1" in box
    assert b"<img src=x" not in body and b"onerror" not in page  # the box shows it as text; the page falls back
    assert "Premiers pas" in page.decode()
