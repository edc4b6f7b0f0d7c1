"""Parallel and incremental builds: the same bytes as a clean serial build, always."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import keep_cities

from ici_site.build import build, cache
from ici_site.build.manifest import CityRecord, Manifest
from ici_site.build.state import State

pytestmark = pytest.mark.speed_layer  # what is skipped, kept and linked: the speed layer's work

DAY = dt.date(2026, 11, 20)
SERVICE = "content/jelgava/services/juridiska-palidziba.md"


def two_cities(project) -> Path:
    """The example project with the two cities these tests edit: each test builds it several times."""
    return keep_cities(project(), "jelgava", "saint-jean-de-la-ruelle")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file and folder under ``folder``, the folder included."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in [folder, *folder.rglob("*")]}


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file under ``folder``: the same when the build kept it."""
    return {k: v for k, v in stamps(folder).items() if (folder / k).is_file()}


def inode(path: Path) -> int:
    return path.stat().st_ino


def clean(root: Path, tmp: Path, today: dt.date = DAY) -> dict[str, bytes]:
    """A clean serial build into a fresh folder: no previous output, no kept bodies or fragments."""
    out = tmp / f"clean-{len(list(tmp.iterdir()))}"
    shutil.rmtree(root / cache.FOLDER / "kept", ignore_errors=True)
    build(root, out, today=today, jobs=1)
    return tree(out)


def test_parallel_build_is_byte_identical_to_serial(project, tmp_path):
    root = two_cities(project)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    one = build(root, serial, today=DAY, jobs=1)
    two = build(root, parallel, today=DAY, jobs=2)
    assert tree(serial) == tree(parallel)
    assert one.pages == two.pages > 50
    assert [str(w) for w in one.warnings] == [str(w) for w in two.warnings]


def test_noop_rebuild_touches_nothing(project):
    root = two_cities(project)
    out = root / "_site"
    first = build(root, out, today=DAY)
    before = stamps(out)
    again = build(root, out, today=DAY)
    assert again.rendered == 0
    assert (again.cities, again.languages, again.pages) == (first.cities, first.languages, first.pages)
    assert stamps(out) == before  # not one file or folder replaced


def test_one_service_edit_renders_only_the_pages_that_show_it(project, tmp_path):
    root = two_cities(project)
    out = root / "_site"
    build(root, out, today=DAY)
    other_city = stamps(out / "saint-jean-de-la-ruelle")
    services = {p.name: inode(p) for p in (out / "jelgava/lv/services").iterdir()}  # hard-linked when unchanged
    path = root / SERVICE
    path.write_text(path.read_text(encoding="utf-8").replace("Tu 14:00-18:00", "Tu 15:00-18:00"),
                    encoding="utf-8")
    report = build(root, out, today=DAY)
    # per language: the service page, its category page, the whole guide and the vCard show it;
    # the search index (head and shards), manifest and page list declare no documents, so they
    # follow any change of the city, as do the per-city files (root, status page, service worker,
    # assets with print.css, search stemmers)
    index_files = len(list(out.glob("jelgava/*/search/*.js")))
    stemmers = len(list(out.glob("jelgava/assets/stem/*.js")))
    # the open data shows it too (its HSDS JSON in each language and the 10 tables it fills),
    # and so does its poster in each language
    assert 0 < report.rendered <= 4 * 7 + index_files + 8 + stemmers + 4 + 10 + 4
    others = {name: ino for name, ino in services.items() if not name.startswith("juridiska-palidziba.")}
    assert others and all(inode(out / "jelgava/lv/services" / name) == ino for name, ino in others.items())
    assert "15:00" in (out / "jelgava/lv/services/juridiska-palidziba.html").read_text()
    assert stamps(out / "saint-jean-de-la-ruelle") == other_city
    assert tree(out) == clean(root, tmp_path)


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["template", "city template", "catalog", "catalog, in a body", "content",
                                    "interface catalog", "fallback catalog removed", "city.yaml",
                                    "code", "date", "output edited by hand"])
def test_a_stale_page_never_survives(project, tmp_path, monkeypatch, change):
    root = two_cities(project)
    out = root / "_site"
    today = DAY
    build(root, out, today=DAY)
    if change == "template":
        edit(root, "templates/base.html", "</body>", "<p>changed template</p></body>")
    elif change == "city template":
        (root / "content/jelgava/templates").mkdir()
        base = (root / "templates/base.html").read_text(encoding="utf-8")
        (root / "content/jelgava/templates/base.html").write_text(base.replace("</body>", "<p>own</p></body>"))
    elif change == "catalog":
        edit(root, "locales/ru/LC_MESSAGES/jelgava.po", 'msgstr "Государственная полиция"',
             'msgstr "Полиция (изменено)"')
    elif change == "catalog, in a body":  # a kept body must not survive its translation
        edit(root, "locales/ru/LC_MESSAGES/jelgava.po", 'msgstr "Темы консультаций"', 'msgstr "Темы (изменено)"')
    elif change == "interface catalog":  # both cities' Ukrainian pages read it
        edit(root, "locales/uk/LC_MESSAGES/messages.po", 'msgid "Emergency numbers"\nmsgstr "',
             'msgid "Emergency numbers"\nmsgstr "(змінено) ')
    elif change == "fallback catalog removed":  # Jelgava's Ukrainian pages fall back to Russian
        (root / "locales/uk/LC_MESSAGES/jelgava.po").unlink()
    elif change == "content":
        edit(root, SERVICE, "Konsultācija ir bez maksas.", "Konsultācija ir bez maksas (mainīts).")
    elif change == "city.yaml":
        edit(root, "content/jelgava/city.yaml", "#7a1f2b", "#123456")
    elif change == "code":  # what a new version of ici_site does to the cache keys
        monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
        cache.code_version.cache_clear()
    elif change == "date":  # the week shown in opening hours, stale flags and notices depend on it
        today = dt.date(2027, 11, 20)
    elif change == "output edited by hand":
        page = out / "jelgava/en/index.html"
        page.write_text("vandalised")
    report = build(root, out, today=today)
    assert report.rendered > 0
    assert tree(out) == clean(root, tmp_path, today)
    cache.code_version.cache_clear()


def test_a_file_made_again_with_the_same_bytes_is_kept_not_written(project, tmp_path):
    """An edit remakes every file whose inputs it touches; those that come out the same (the
    other search shards, the assets, the root page…) stay the previous build's files, their
    compressed copies too: nothing is written that did not change."""
    root = two_cities(project)
    out = root / "_site"
    build(root, out, today=DAY, compressed=True)
    before = files(out / "jelgava")
    edit(root, SERVICE, "Tu 14:00-18:00", "Tu 15:00-18:00")
    report = build(root, out, today=DAY, compressed=True)
    after = files(out / "jelgava")
    kept = {path for path in after if after[path] == before.get(path)}
    written = set(after) - kept
    assert {"index.html", "index.html.gz", "index.html.br", "assets/stem/base.js", "assets/stem/base.js.br",
            "lv/manifest.webmanifest"} <= kept  # remade (they follow any change of the city), the same bytes
    assert {"lv/services/juridiska-palidziba.html", "lv/services/juridiska-palidziba.html.gz", "lv/guide.html"} <= written
    assert report.rendered == len(written)  # the report counts the files this build wrote
    clean_out = tmp_path / "clean-compressed"
    build(root, clean_out, today=DAY, compressed=True, fast=False)
    assert tree(out) == tree(clean_out)


def test_a_translators_edit_renders_that_citys_pages_in_the_languages_that_read_it(project, tmp_path):
    root = two_cities(project)
    out = root / "_site"
    # Ukrainian falls back to Russian: with this message untranslated, its pages show the Russian
    edit(root, "locales/uk/LC_MESSAGES/jelgava.po", 'msgstr "Державна поліція"', 'msgstr ""')
    build(root, out, today=DAY)
    other_city = stamps(out / "saint-jean-de-la-ruelle")
    latvian, english = files(out / "jelgava/lv"), files(out / "jelgava/en")  # hard-linked when unchanged
    ukrainian = files(out / "jelgava/uk")
    russian = files(out / "jelgava/ru")
    edit(root, "locales/ru/LC_MESSAGES/jelgava.po", 'msgstr "Государственная полиция"', 'msgstr "Полиция (изменено)"')
    report = build(root, out, today=DAY)
    assert report.rendered > 0
    assert stamps(out / "saint-jean-de-la-ruelle") == other_city  # another city's catalog: not even loaded
    assert files(out / "jelgava/lv") == latvian and files(out / "jelgava/en") == english  # search index too
    assert files(out / "jelgava/ru") != russian  # the pages showing it; the others are kept (same bytes)
    assert files(out / "jelgava/uk") != ukrainian  # Ukrainian pages read the Russian catalog next
    assert "Полиция (изменено)" in (out / "jelgava/uk/index.html").read_text(encoding="utf-8")
    assert tree(out) == clean(root, tmp_path)


def test_a_kept_fragment_follows_the_documents_it_reads(project, tmp_path):
    """The whole guide keeps each service's part between builds of one process (as `serve`
    does); a part that reads other documents through `city` is rendered again when they change."""
    root = two_cities(project)
    out = root / "_site"
    (root / "content/jelgava/templates").mkdir()
    macro = (root / "templates/_service.html").read_text(encoding="utf-8")
    probe = '<p class="probe">{{ city.pages|map(attribute="title")|join(" / ") }}</p>\n{% if v.stale %}'
    (root / "content/jelgava/templates/_service.html").write_text(macro.replace("{% if v.stale %}", probe, 1))
    build(root, out, today=DAY, jobs=1)
    edit(root, "content/jelgava/pages/par-mums.md", "title: Par mums", "title: Jauns virsraksts")
    build(root, out, today=DAY, jobs=1)
    guide = (out / "jelgava/lv/guide.html").read_text(encoding="utf-8")
    assert '<p class="probe">Jauns virsraksts / ' in guide and '<p class="probe">Par mums' not in guide
    assert tree(out) == clean(root, tmp_path)


def test_reused_files_are_links_never_written_through(project):
    root = two_cities(project)
    out = root / "_site"
    build(root, out, today=DAY)
    service = out / "jelgava/lv/services/juridiska-palidziba.html"
    unchanged = out / "jelgava/lv/pages/par-mums.html"
    old_page = unchanged.stat().st_ino
    edit(root, SERVICE, "Konsultācija ir bez maksas.", "Konsultācija ir bez maksas (mainīts).")
    old_service = (service.stat().st_ino, service.read_bytes())
    build(root, out, today=DAY)
    assert unchanged.stat().st_ino == old_page  # linked from the previous output
    assert service.stat().st_ino != old_service[0]  # a new file: the old one was never opened for writing
    assert os.stat(service).st_nlink == 1


def test_broken_cache_is_only_slower(project, tmp_path):
    root = two_cities(project)
    out = root / "_site"
    build(root, out, today=DAY)
    for path in (root / cache.FOLDER).rglob("*"):
        if path.is_file():
            path.write_bytes(b"not a cache file")
    build(root, out, today=DAY)
    assert tree(out) == clean(root, tmp_path)


HAND_EDITS = {  # what someone may do to the output by hand while `serve` runs, and where
    "page rewritten in place, same size, same inode": ("saint-jean-de-la-ruelle/fr/index.html", "in place"),
    "page removed, in the city edited": ("jelgava/lv/pages/par-mums.html", "remove"),
    "page touched": ("saint-jean-de-la-ruelle/fr/guide.html", "touch"),
    "city folder replaced": ("saint-jean-de-la-ruelle", "replace"),
}


def served(project, monkeypatch) -> tuple[Path, Path, State, list[tuple[str, bool]]]:
    """The two cities built once by a process that builds again, as `serve` (its state kept), and
    each later check of a city's files by ``stat``: (city, whether they were as recorded)."""
    root, state = two_cities(project), State()
    out = root / "_site"
    build(root, out, today=DAY, warm=True, state=state)
    checks: list[tuple[str, bool]] = []
    check = Manifest._check

    def checking(self: Manifest, slug: str) -> CityRecord | None:
        record = check(self, slug)
        checks.append((slug, record is not None))
        return record

    monkeypatch.setattr(Manifest, "_check", checking)
    return root, out, state, checks


def checked(checks: list[tuple[str, bool]]) -> list[str]:
    """The cities checked file by file since ``checks`` was last cleared."""
    return [slug for slug, _ in checks]


@pytest.mark.parametrize("change", HAND_EDITS)
def test_a_warm_process_repairs_hand_edits_of_its_output_and_checks_only_where_they_were(project, tmp_path,
                                                                                         monkeypatch, change):
    """``serve`` watches the output it wrote (inotify): an edit's build checks no city's files
    by ``stat`` unless something else changed them, and still repairs what was changed by hand."""
    root, out, state, checks = served(project, monkeypatch)
    build(root, out, today=DAY, warm=True, state=state)  # the first warm build checks, then watches
    checks.clear()
    edit(root, SERVICE, "Konsultācija ir bez maksas.", "Konsultācija ir bez maksas (1).")
    build(root, out, today=DAY, warm=True, state=state)
    assert checked(checks) == []  # nothing changed by hand: no city checked file by file
    path, how = HAND_EDITS[change]
    target = out / path
    if how == "in place":
        data = target.read_bytes()
        with open(target, "r+b") as page:
            page.write(data[:-9] + b"vandalise")
    elif how == "remove":
        target.unlink()
    elif how == "touch":
        os.utime(target, ns=(0, 0))
    else:
        shutil.copytree(target, tmp_path / "copy", copy_function=shutil.copy2)
        shutil.rmtree(target)
        (tmp_path / "copy").rename(target)  # the same files, every one a new inode
    edit(root, SERVICE, "(1).", "(2).")
    build(root, out, today=DAY, warm=True, state=state)
    assert checked(checks) == [path.split("/")[0]]  # that city alone checked file by file
    assert tree(out) == clean(root, tmp_path)


def test_what_an_edit_records_of_its_files_holds_for_the_next_process(project, monkeypatch):
    """A warm build records the (inode, size, mtime) of the files it linked without reading them
    again: the next process finds every city's files as recorded, and builds nothing."""
    root, out, state, checks = served(project, monkeypatch)
    for number in (1, 2):
        edit(root, SERVICE, "Konsultācija ir bez maksas.", f"Konsultācija ir bez maksas ({number}).")
        build(root, out, today=DAY, warm=True, state=state)
        edit(root, SERVICE, f"Konsultācija ir bez maksas ({number}).", "Konsultācija ir bez maksas.")
    before = stamps(out)
    edit(root, SERVICE, "Konsultācija ir bez maksas.", "Konsultācija ir bez maksas (2).")
    checks.clear()
    again = build(root, out, today=DAY)  # a new process: no watch, every file checked
    assert sorted(checks) == [("jelgava", True), ("saint-jean-de-la-ruelle", True)]  # each as recorded
    assert again.rendered == 0
    assert stamps(out) == before


def test_the_manifest_appends_what_a_build_changed_and_reads_back_the_last_record(tmp_path):
    """A build that made one city of many appends that city's record to the manifest instead of
    writing every city's again; a new process reads each city's last record and not a city
    forgotten; a record cut short (a build stopped while writing it) loses only itself, and the
    file is written anew at the next save, as it is once appends make it twice its size."""
    out, folder = tmp_path / "site", tmp_path / "cache"
    out.mkdir()

    def record(number: int) -> CityRecord:
        return CityRecord(f"key {number}", "base", ["lv"], [], {"index.html": (f"file {number}", [], (1, 2, 3))})

    def read() -> dict[str, str]:  # as a new process finds it
        return {slug: r.key for slug, r in Manifest(folder, out, {}).cities.items()}

    manifest = Manifest(folder, out, {})
    for slug in ("a", "b", "c"):
        manifest.commit(slug, record(0))
    manifest.save()
    whole = manifest.path.stat().st_size
    manifest = Manifest(folder, out, {})
    manifest.commit("b", record(1))
    manifest.forget("c")
    manifest.save()
    assert manifest.path.stat().st_size > whole  # appended to, not written anew
    assert read() == {"a": "key 0", "b": "key 1"}
    manifest = Manifest(folder, out, {})
    manifest.commit("a", record(2))
    manifest.save()
    manifest.path.write_bytes(manifest.path.read_bytes()[:-5])  # the last record cut short
    assert read() == {"a": "key 0", "b": "key 1"}
    manifest = Manifest(folder, out, {})
    manifest.commit("a", record(3))
    manifest.save()
    assert manifest.path.stat().st_size < whole  # written anew: two cities
    for number in range(4, 12):  # edits of one city, in one process
        manifest.commit("a", record(number))
        manifest.save()
        assert manifest.path.stat().st_size < 3 * whole
    assert read() == {"a": "key 11", "b": "key 1"}


@pytest.mark.parametrize("why", ["no inotify (another system)", "the watches used up"])
def test_without_a_watch_every_city_is_checked_file_by_file(project, tmp_path, monkeypatch, why):
    """Where the output cannot be watched, a warm process checks every city's files by ``stat``,
    as a new process does, and still repairs a hand edit."""
    from ici_site.build import output_watch
    if why.startswith("no inotify"):
        monkeypatch.setattr(output_watch, "_inotify", lambda: (None, None))
    else:
        real = output_watch._inotify

        class Full:  # the C library, whose inotify_add_watch fails as with ENOSPC
            def __init__(self, libc):  # type: ignore[no-untyped-def]
                self.libc = libc

            def inotify_add_watch(self, *args):  # type: ignore[no-untyped-def]
                return -1

            def __getattr__(self, name):  # type: ignore[no-untyped-def]
                return getattr(self.libc, name)

        def full():  # type: ignore[no-untyped-def]
            libc, fd = real()
            return Full(libc), fd

        monkeypatch.setattr(output_watch, "_inotify", full)
    root, out, state, checks = served(project, monkeypatch)
    for number in (1, 2):
        edit(root, SERVICE, "Konsultācija ir bez maksas.", f"Konsultācija ir bez maksas ({number}).")
        (out / "saint-jean-de-la-ruelle/fr/index.html").write_text("vandalised")
        checks.clear()
        build(root, out, today=DAY, warm=True, state=state)
        assert sorted(checked(checks)) == ["jelgava", "saint-jean-de-la-ruelle"]
        edit(root, SERVICE, f"Konsultācija ir bez maksas ({number}).", "Konsultācija ir bez maksas.")
    build(root, out, today=DAY, warm=True, state=state)
    assert tree(out) == clean(root, tmp_path)


def test_the_code_version_names_each_library_as_installed(monkeypatch):
    """The libraries' versions in the cache keys are read from the names of their ``.dist-info``
    folders, as ``importlib.metadata`` reads them; another version of one makes another key."""
    from importlib import metadata

    installed = cache._installed()
    for name in cache.LIBRARIES:  # (one installed otherwise, as an egg, is read by importlib.metadata)
        assert installed.get(cache._normalised(name), metadata.version(name)) == metadata.version(name)
    assert installed["jinja2"]  # pip installs wheels: .dist-info
    before = cache.code_version()
    monkeypatch.setattr(cache, "_installed", lambda: {**installed, "jinja2": "99.0"})
    cache.code_version.cache_clear()
    try:
        assert cache.code_version() != before
    finally:
        cache.code_version.cache_clear()
    assert cache._version("no-such-library") == "missing"
