"""`serve` shows an edit's pages before the whole build ends (ici_site.build.edited, ici_site.live):
they are the bytes that build then writes, a failed build takes them back, and anything but
an edit of documents is built as before. The real process in Chromium: test_live_preview.py."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import BUILD_DAY
from test_server import Clock, get

from ici_site.build import build, build_date
from ici_site.build.edited import edited_pages, warm_up
from ici_site.build.state import State
from ici_site.build.workers import run
from ici_site.build.writer import discard_spares
from ici_site.content.loaders import load_site
from ici_site.errors import ContentError
from ici_site.live import Preview
from ici_site.server import site_app
from ici_site.site import links, opendata, scoring

SERVICE = "content/demoville/services/cours-de-francais.md"  # the `basic` mini-site
PAGE = "demoville/fr/services/cours-de-francais.html"  # one of the pages that show it
LANGUAGES = ("fr", "en", "ar")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def served(project, monkeypatch):
    """The `basic` mini-site built once, with the state `serve` keeps."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project("basic")
    state = State()
    build(root, root / "_site", warm=True, state=state)
    return root, root / "_site", state


def first_of(root: Path, out: Path, state: State):
    return lambda changed: edited_pages(root, out, state, changed, build_date())


class Held:
    """The real build, held until the test has looked at what is served meanwhile."""

    def __init__(self, root: Path, out: Path, state: State) -> None:
        self.root, self.out, self.state = root, out, state
        self.release = threading.Event()
        self.in_main_thread: list[bool] = []

    def __call__(self):
        self.in_main_thread.append(threading.current_thread() is threading.main_thread())
        assert self.release.wait(60)
        return build(self.root, self.out, warm=True, state=self.state)


@pytest.mark.parametrize("site", ["basic", "bidi"])
def test_the_pages_of_an_edit_are_the_bytes_the_build_then_writes(project, monkeypatch, site) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project(site)
    out, state = root / "_site", State()
    build(root, out, warm=True, state=state)
    city = load_site(root).cities[0]
    shown_any = False
    for document in (*city.services, *city.pages, *city.notices):
        path = root / document.path
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")  # the front matter ends; the body follows
        path.write_text(f"{head}\n---\nUne phrase ajoutée à {document.slug}.\n\n{body}", encoding="utf-8")
        pages = edited_pages(root, out, state, {document.path}, build_date())
        assert pages is not None
        state.shown.clear()  # the build renders them itself: the bytes compared are its own
        build(root, out, warm=True, state=state)
        for name, data in pages.items():
            assert data == (out / name).read_bytes(), name
        if not pages:  # no page shows it: an expired notice
            assert document.path.split("/")[2] == "notices"
            continue
        shown_any = True
        folder = {"services": "services", "pages": "pages"}.get(document.path.split("/")[2])
        languages = {name.split("/")[1] for name in pages}
        assert len(languages) >= 2, pages.keys()  # every published language
        own = {f"{city.slug}/{lang}/{folder}/{document.slug}.html" for lang in languages} if folder else \
            {f"{city.slug}/{lang}/index.html" for lang in languages}  # a notice shows on the home page
        assert own <= pages.keys()
        assert all(f"ajoutée à {document.slug}".encode() in pages[name] for name in own if "/fr/" in name)
        assert not any(name.endswith("/guide.html") for name in pages)  # every document: left to the build
    assert shown_any


@pytest.mark.speed_layer  # what the layer skips
def test_the_build_takes_the_pages_shown_only_while_their_inputs_hold(served, monkeypatch) -> None:
    """The pages shown first are not rendered again by the edit's build, which writes their
    bytes; saved again in between, the build renders the newer text itself."""
    from ici_site.site.render import CityRenderer
    root, out, state = served
    service = next((root / "content").glob("*/services/*.md"))
    rel = service.relative_to(root).as_posix()
    rendered: list[str] = []
    render = CityRenderer.render
    monkeypatch.setattr(CityRenderer, "render", lambda self, route, *a: rendered.append(route.path(self.lang))
                        or render(self, route, *a))
    text = service.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    service.write_text(f"{head}\n---\nPremière phrase.\n\n{body}", encoding="utf-8")
    pages = edited_pages(root, out, state, {rel}, build_date())
    assert pages
    rendered.clear()
    build(root, out, warm=True, state=state)
    own = [name.split("/", 1)[1] for name in pages]
    assert not set(own) & set(rendered)  # shown, then written as they were
    assert all((out / name).read_bytes() == data for name, data in pages.items())
    edited_pages(root, out, state, {rel}, build_date())
    service.write_text(f"{head}\n---\nSeconde phrase.\n\n{body}", encoding="utf-8")  # saved again meanwhile
    rendered.clear()
    build(root, out, warm=True, state=state)
    assert set(own) <= set(rendered)
    assert all(b"Seconde phrase" in (out / name).read_bytes() for name in pages
               if name.endswith(f"/services/{service.stem}.html"))
    reference = root.parent / "plain"
    build(root, reference, fast=False)
    assert all((out / name).read_bytes() == (reference / name).read_bytes() for name in pages)


@pytest.mark.speed_layer  # what the layer skips
def test_the_build_after_an_edit_was_shown_parses_and_converts_nothing_again(served, monkeypatch) -> None:
    """An edit shown first was read and its bodies converted then: the build that follows
    takes both (the whole guide shows the same bodies), and decodes, checks and parses again only
    a document whose file changed meanwhile, or every document when the city's country (their
    phone numbers) did."""
    from ici_site.content import documents
    from ici_site.i18n.segments import Converter
    root, out, state = served
    parsed: list[str] = []  # the files decoded and checked (hidden characters, conflict markers), then parsed
    text_of = documents.source_text
    monkeypatch.setattr(documents, "source_text", lambda data, rel: parsed.append(rel) or text_of(data, rel))
    converted: list[str] = []  # the Markdown of a body, converted
    convert = Converter.__call__
    monkeypatch.setattr(Converter, "__call__", lambda self, source, *a: converted.append(source)
                        or convert(self, source, *a))
    edit(root, SERVICE, "\n---\n", "\n---\nPremière phrase.\n\n")
    first_of(root, out, state)({SERVICE})
    assert parsed.count(SERVICE) == 1
    parsed.clear()
    converted.clear()
    build(root, out, warm=True, state=state)
    assert not parsed
    assert not [source for source in converted if "Première phrase." in source]  # the guide's bodies too
    guide = (out / "demoville/fr/guide.html").read_text(encoding="utf-8")
    assert "Première phrase." in guide
    edit(root, SERVICE, "Première phrase.", "Seconde phrase.")
    build(root, out, warm=True, state=state)
    assert parsed == [SERVICE]
    parsed.clear()
    edit(root, "content/demoville/city.yaml", "country: FR", "country: BE")  # its phone numbers are not Belgian
    with pytest.raises(ContentError) as raised:
        build(root, out, warm=True, state=state)
    assert SERVICE in parsed
    assert any(p.path == SERVICE and p.key == "phone" for p in raised.value.problems), raised.value.problems
    edit(root, "content/demoville/city.yaml", "country: BE", "country: FR")
    build(root, out, warm=True, state=state)
    reference = root.parent / "plain"
    build(root, reference, fast=False)
    assert (out / "demoville").is_dir()
    for page in (PAGE, "demoville/fr/guide.html"):
        assert (out / page).read_bytes() == (reference / page).read_bytes()


def test_anything_but_an_edit_of_documents_is_left_to_the_build(served) -> None:
    root, out, state = served
    first = first_of(root, out, state)
    assert set(first({SERVICE})) == {f"demoville/{lang}/{kind}.html" for lang in LANGUAGES
                                     for kind in ("services/cours-de-francais", "categories/language-courses")}
    for changed in ({"templates/base.html"}, {"content/demoville/city.yaml"}, {"locales/ar/LC_MESSAGES/demoville.po"},
                    {SERVICE, "templates/base.html"}, {"content/demoville/services/gone.md"}, set(),
                    {"content/demoville/services/notes.txt"}):
        assert first(changed) is None, changed
    (root / SERVICE).unlink()  # removed: the build alone removes its pages
    assert first({SERVICE}) is None


def test_a_mistake_in_the_edit_is_reported_at_once_with_its_line(served) -> None:
    root, out, state = served
    edit(root, SERVICE, "hours: Mo-Fr", "hours: [Mo-Fr")
    with pytest.raises(ContentError) as raised:
        first_of(root, out, state)({SERVICE})
    assert any(re.match(rf"{re.escape(SERVICE)}:\d+: ", str(p)) for p in raised.value.problems), raised.value.problems


def wait_for_build(preview: Preview) -> None:
    deadline = time.monotonic() + 60
    while not preview.tick():
        assert time.monotonic() < deadline, "the build in the background did not end"
        time.sleep(0.01)


def test_the_edit_is_served_while_its_build_runs_then_from_the_output(served, capsys) -> None:
    root, out, state = served
    page, builder = PAGE, Held(root, out, state)
    clock = Clock()
    preview = Preview(builder, settle=0.3, clock=clock, first=first_of(root, out, state))
    app = site_app(out, preview, root)
    before = (out / page).read_bytes()
    edit(root, SERVICE, "deux fois", "trois fois")
    preview.changed(SERVICE)
    clock.now += 0.5
    assert preview.tick()  # the browser reloads: the edit is shown
    status, body = get(app, "/" + page)
    assert status.startswith("200") and b"trois fois" in body and f'data-build="{preview.builds}"'.encode() in body
    assert (out / page).read_bytes() == before  # nothing written yet
    assert preview.shown[page] != before
    assert "showing the edit: 6 pages in" in capsys.readouterr().out
    time.sleep(0.1)
    assert not preview.tick()  # the build is still running
    assert builder.in_main_thread == [False]  # in a thread: the server answers meanwhile
    shown = dict(preview.shown)
    builder.release.set()
    wait_for_build(preview)  # the browser reloads again
    assert not preview.shown and not preview.errors
    for name, data in shown.items():
        assert (out / name).read_bytes() == data, name
    assert "files written" in capsys.readouterr().out


def test_a_build_that_fails_after_the_edit_was_shown_takes_it_back(served, capsys) -> None:
    root, out, state = served
    page = PAGE
    clock = Clock()
    preview = Preview(lambda: build(root, out, warm=True, state=state), settle=0, clock=clock,
                      first=first_of(root, out, state))
    app = site_app(out, preview, root)
    before = (out / page).read_bytes()
    edit(root, SERVICE, "deux fois", "deux fois, voir [la suite](suite-introuvable.md)")  # found by the link check
    preview.changed(SERVICE)
    assert preview.tick()
    assert b"deux fois, voir" in get(app, "/" + page)[1]  # shown first: the page itself renders
    wait_for_build(preview)
    assert any("suite-introuvable.md" in e and "leads to no page" in e for e in preview.errors), preview.errors
    body = get(app, "/" + page)[1]
    assert b"deux fois, voir" not in body and b"ici-preview-errors" in body  # the last good build, with the box
    assert (out / page).read_bytes() == before
    assert "keeping the last good build" in capsys.readouterr().err


def test_a_mistake_is_shown_at_once_and_a_template_edit_is_built_at_once(served, capsys) -> None:
    root, out, state = served
    clock = Clock()
    builds: list[str] = []
    preview = Preview(lambda: builds.append("build") or build(root, out, warm=True, state=state), settle=0,
                      clock=clock, first=first_of(root, out, state))
    good = (root / SERVICE).read_text(encoding="utf-8")
    edit(root, SERVICE, "hours: Mo-Fr", "hours: [Mo-Fr")
    preview.changed(SERVICE)
    assert preview.tick()
    assert any(e.startswith(f"{SERVICE}:") for e in preview.errors)  # before the build in the background ends
    wait_for_build(preview)
    assert any(e.startswith(f"{SERVICE}:") for e in preview.errors) and builds == ["build"]
    (root / SERVICE).write_text(good, encoding="utf-8")
    edit(root, "templates/base.html", "</footer>", "<p>pied</p></footer>")
    preview.changed("templates/base.html")
    assert preview.tick()  # built here and now: nothing was shown first
    assert builds == ["build", "build"] and not preview.errors and not preview.shown
    assert b"<p>pied</p>" in (out / "demoville/fr/index.html").read_bytes()
    preview.changed(None)  # a change the watcher could not name
    assert preview.tick() and builds == ["build"] * 3


def test_an_edit_saved_during_a_build_is_shown_when_that_build_ends(served) -> None:
    root, out, state = served
    page, builder = PAGE, Held(root, out, state)
    clock = Clock()
    preview = Preview(builder, settle=0.3, clock=clock, first=first_of(root, out, state))
    edit(root, SERVICE, "deux fois", "trois fois")
    preview.changed(SERVICE)
    clock.now += 0.5
    assert preview.tick()
    edit(root, SERVICE, "trois fois", "quatre fois")  # saved while the build of the first edit runs
    preview.changed(SERVICE)
    clock.now += 0.5
    assert not preview.tick()  # nothing else touches the state while a build uses it
    assert b"trois fois" in preview.shown[page]
    builder.release.set()
    wait_for_build(preview)  # the first edit's build ends (it read the file as saved by then)
    assert not preview.shown and not preview.errors
    assert preview.tick()  # then the change saved meanwhile is not lost: its pages are shown at once
    assert b"quatre fois" in preview.shown[page]
    wait_for_build(preview)
    assert b"quatre fois" in (out / page).read_bytes() and not preview.shown
    assert not preview.tick()


def test_serve_stopping_lets_the_build_under_way_end(served, capsys) -> None:
    root, out, state = served
    page, builder = PAGE, Held(root, out, state)
    preview = Preview(builder, settle=0, clock=Clock(), first=first_of(root, out, state))
    preview.wait()  # nothing under way: at once
    edit(root, SERVICE, "deux fois", "trois fois")
    preview.changed(SERVICE)
    assert preview.tick()
    threading.Timer(0.3, builder.release.set).start()
    preview.wait()  # Ctrl-C stopped the server: the output folder gets the whole build
    assert b"trois fois" in (out / page).read_bytes()
    assert not any(p.name.startswith(".") for p in out.iterdir())  # nothing staged is left
    captured = capsys.readouterr()
    assert "finishing the build under way (Ctrl-C again to stop now)" in captured.err
    assert "files written" in captured.out


def test_the_first_edit_finds_what_it_needs_read_already(served) -> None:
    """serve's first build may run in forked workers that leave nothing in its process:
    warm_up reads what an edit's pages need, in every city, and changes nothing."""
    root, out, _ = served
    state = State()  # the server's own process after a first build in workers
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    warm_up(root, out, state, build_date())
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing written
    kept = {path.name for path in state.kept if path.parent.name == "demoville"}
    assert {f"{lang}.bodies" for lang in LANGUAGES} <= kept  # every language's kept bodies in memory
    edit(root, SERVICE, "deux fois", "trois fois")
    assert first_of(root, out, state)({SERVICE}) == first_of(root, out, State())({SERVICE})
    (root / "content/demoville/city.yaml").write_text("name: [broken\n", encoding="utf-8")
    warm_up(root, out, State(), build_date())  # a problem is the builds' to report


def test_the_warm_up_prepares_the_city_changed_last(project, monkeypatch) -> None:
    """The first edit's build in the city the editor changed last scores and describes again
    only the document edited, reads no old part of the whole guide and links no file, as
    the next ones do, and writes what a clean build writes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    root = project("basic")
    settings = root / "content/demoville/city.yaml"  # in French alone: an edit leaves no sentence untranslated
    settings.write_text(settings.read_text(encoding="utf-8").replace("[fr, en, ar]", "[fr]")
                        .replace("fallbacks: {ar: [en]}\n", ""), encoding="utf-8")
    shutil.copytree(root / "content/demoville", root / "content/autreville")
    out = root / "_site"
    build(root, out)  # (in workers where it can: nothing kept in this process)
    later = time.time() + 60
    os.utime(root / "content/autreville/pages/premiers-pas.md", (later, later))  # autreville: changed last
    scored: list[str] = []  # the title of each document an index scored
    counted = scoring._counted_fields
    monkeypatch.setattr(scoring, "_counted_fields", lambda texts: scored.append(texts[0][3]) or counted(texts))
    exported: list[str] = []  # each service the open data described
    service = opendata.Exporter.service
    monkeypatch.setattr(opendata.Exporter, "service", lambda self, s: exported.append(s.slug) or service(self, s))
    parsed: list[int] = []  # each page or part of a page the link check read
    page = links._Page
    monkeypatch.setattr(links, "_Page", lambda html: parsed.append(1) or page(html))
    linked: list[int] = []  # each file the build linked from the published folder
    link = os.link
    monkeypatch.setattr(os, "link", lambda *args, **kwargs: linked.append(1) or link(*args, **kwargs))
    first = {}
    for slug, warm in (("autreville", True), ("demoville", True), ("autreville", False)):
        state = State()  # serve's own process after its first build
        links._parsed.cache_clear()  # (the pages earlier builds read are remembered by the process)
        links._part.cache_clear()
        if warm:
            warm_up(root, out, state, build_date())
        scored.clear()
        exported.clear()
        parsed.clear()
        linked.clear()
        edited = f"content/{slug}/services/cours-de-francais.md"
        edit(root, edited, "deux fois", "six fois")  # as many words: every field's average stays
        build(root, out, warm=True, state=state)
        first[slug, warm] = sorted(scored), sorted(exported), len(parsed), len(linked)
        edit(root, edited, "six fois", "deux fois")
        build(root, out, warm=True, state=state)
    # the edited document alone (scored before and after the edit), as the next edits
    assert first["autreville", True][:2] == (["Cours de français"] * 2, ["cours-de-francais"])
    # another city's are made whole, as before
    assert first["demoville", True][:2] == (["Conseil juridique", "Cours de français", "Premiers pas"],
                                            ["conseil-juridique", "cours-de-francais"])
    # its link check did not read the whole guide's old parts again, and its unchanged files
    # were in its spare already (the other city's build linked each of them)
    assert first["autreville", True][2] < first["autreville", False][2]
    assert first["autreville", True][3] == 0 < first["demoville", True][3]
    discard_spares(out)  # (serve stops)
    assert not list(out.parent.glob(f".{out.name}.spares/*"))
    clean = root / "clean"
    build(root, clean)
    assert {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()} == \
        {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_change_waits_for_the_warm_up_and_nothing_is_shown_for_it(served) -> None:
    root, out, state = served
    release = threading.Event()
    clock = Clock()
    preview = Preview(lambda: "built", settle=0, clock=clock, first=first_of(root, out, state))
    preview.prepare(lambda: release.wait(60))
    preview.changed("templates/base.html")
    assert not preview.tick() and preview.builds == 0  # the state is in use: the change waits
    release.set()
    deadline = time.monotonic() + 60
    while not preview.tick():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert preview.builds == 1 and not preview.shown  # then it is built, once
    failed = Preview(lambda: "built", first=first_of(root, out, state))
    failed.errors = ["content/demoville/city.yaml:1: …"]
    ran = threading.Event()
    failed.prepare(ran.set)
    assert not ran.wait(0.5)  # no warm-up after a failed first build: the next build reads it all

def test_a_build_in_a_thread_forks_no_worker() -> None:
    found: list[list[int]] = []
    thread = threading.Thread(target=lambda: found.append(run(_pid, None, range(4), jobs=2)))
    thread.start()
    thread.join(60)
    assert found == [[os.getpid()] * 4]  # a lock another thread holds would stay held in a forked child
    if "fork" in __import__("multiprocessing").get_all_start_methods():
        assert set(run(_pid, None, range(4), jobs=2)) != {os.getpid()}  # from the main thread: workers


def _pid(context: None, task: int) -> int:
    return os.getpid()

