"""The speed layer (ici_site/build/speed.py) makes builds faster, never different: a build with it
is byte-identical to one without, clean or after an edit, and the plain build keeps nothing."""

from __future__ import annotations

import datetime as dt
import gc
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import keep_cities

from ici_site.build import build
from ici_site.build.cache import FOLDER
from ici_site.build.state import State
from ici_site.content.loaders import load_site
from ici_site.content.model import City

DAY = dt.date(2026, 11, 20)
CITIES = ("jelgava", "saint-jean-de-la-ruelle")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def root(project) -> Path:
    return keep_cities(project(), *CITIES)


def test_plain_and_fast_builds_are_byte_identical(root: Path, tmp_path: Path) -> None:
    plain = build(root, tmp_path / "plain", today=DAY, fast=False)
    fast = build(root, tmp_path / "fast", today=DAY, fast=True, jobs=2)
    assert tree(tmp_path / "plain") == tree(tmp_path / "fast")
    assert (plain.cities, plain.pages, plain.rendered) == (fast.cities, fast.pages, fast.rendered)
    assert [str(w) for w in plain.warnings] == [str(w) for w in fast.warnings]


def test_the_plain_build_keeps_nothing_and_makes_every_file(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build(root, out, today=DAY, fast=False)
    assert not (root / FOLDER / "kept").exists() and not (root / FOLDER / "catalogs").exists()
    again = build(root, out, today=DAY, fast=False)
    assert again.rendered == first.rendered > 100  # nothing skipped


def test_edits_built_by_a_warm_process_equal_a_plain_build(root: Path, tmp_path: Path) -> None:
    """As serve does: one state, three edits (a service, a catalog, a template), each
    built warm; after each, the output is the plain build's, byte for byte."""
    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state)
    service = min((root / "content/jelgava/services").glob("*.md"))
    catalog = min((root / "locales").glob("*/LC_MESSAGES/jelgava.po"))
    template = root / "templates/service.html"
    edits = [(service, "\n---\n", "\n---\nJauns teikums.\n\n"),
             (catalog, '\nmsgstr "', '\nmsgstr "'),
             (template, "</article>", "<p>edited</p></article>")]
    for number, (path, old, new) in enumerate(edits):
        text = path.read_text()
        if path == catalog:  # the first translation after the header gets a sentence more
            at = text.index('\nmsgstr "', text.index('\nmsgstr "') + 1) + len('\nmsgstr "')
            text = text[:at] + "Teikums. " + text[at:]
        else:
            assert old in text
            text = text.replace(old, new, 1)
        path.write_text(text)
        build(root, out, today=DAY, warm=True, state=state)
        reference = tmp_path / f"plain-{number}"
        build(root, reference, today=DAY, fast=False)
        assert tree(out) == tree(reference), path.name


def test_a_warm_process_holds_only_the_last_loaded_city_of_each_slug(root: Path, tmp_path: Path) -> None:
    """serve loads a city again at each edit: the earlier City (its documents, its search entries)
    is let go, so a day of edits does not grow the process by a city each time."""
    def alive() -> int:  # (other tests' cities may linger in this process: only a growth counts)
        gc.collect()
        return sum(isinstance(o, City) and o.slug == "jelgava" for o in gc.get_objects())

    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state)
    after_the_first = alive()
    service = min((root / "content/jelgava/services").glob("*.md"))
    for number in range(3):
        service.write_text(service.read_text(encoding="utf-8") + f"\nTeikums {number}.\n", encoding="utf-8")
        build(root, out, today=DAY, warm=True, state=state)
    assert alive() == after_the_first


def test_a_warm_edit_forks_no_worker_for_catalogs_it_holds(root: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for the catalog stage only when two catalogs or more must be read: an edit of a
    service finds every catalog in memory, an edit of one catalog reads it here (forking a
    large process for lookups took longer than the lookups, and moved its garbage collection)."""
    from ici_site.build import speed

    forks: list[tuple[str, int]] = []

    def run(func, context, tasks, jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        forks.append((func.__name__, jobs))
        return real(func, context, tasks, jobs, *args, **kwargs)

    real = speed.run
    monkeypatch.setattr(speed, "run", run)
    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state, jobs=2, fast=True)
    assert ("_read_catalog", 2) in forks  # nothing read yet: on both cores
    service = min((root / "content/jelgava/services").glob("*.md"))
    catalog = min((root / "locales").glob("*/LC_MESSAGES/jelgava.po"))
    for path, old, new in ((service, "\n---\n", "\n---\nJauns teikums.\n\n"),
                           (catalog, "\n#. ", "\n# a translator's note\n#. ")):
        forks.clear()
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))
        build(root, out, today=DAY, warm=True, state=state, jobs=2, fast=True)
        assert [jobs for name, jobs in forks if name == "_read_catalog"] == [1], path.name
    reference = tmp_path / "plain"
    build(root, reference, today=DAY, fast=False)
    assert tree(out) == tree(reference)


def test_a_translation_edited_in_serve_reaches_the_search_index(root: Path, tmp_path: Path) -> None:
    """serve's search index and open data take an unchanged document's fields and object from
    its last build only while the city's settings and the language's catalogs are the same: a
    translator's new title is in the next index and open data, as a clean build has it; an
    editor's new summary is in the open data at once; a translation emptied again counts as
    missing on the status page."""
    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state, fast=True)  # may fork: its workers keep nothing
    service = min((root / "content/jelgava/services").glob("*.md"))
    service.write_text(service.read_text(encoding="utf-8").replace("\n---\n", "\n---\nJauns teikums.\n\n", 1),
                       encoding="utf-8")
    build(root, out, today=DAY, warm=True, state=state, fast=True)  # an edit: this process keeps the index
    service.write_text(service.read_text(encoding="utf-8").replace("\nsummary: ", "\nsummary: Kolibri. ", 1),
                       encoding="utf-8")
    build(root, out, today=DAY, warm=True, state=state, fast=True)
    assert "Kolibri" in (out / "jelgava/open-data/services.json").read_text(encoding="utf-8")
    catalog = root / "locales/en/LC_MESSAGES/jelgava.po"
    title = re.compile(r'(#\. services/[^:\n]+: title\n(?:#.*\n)*msgid "[^"\n]*"\nmsgstr ")')
    text = catalog.read_text(encoding="utf-8")
    assert title.search(text)
    catalog.write_text(title.sub(r"\1Zebrafinch ", text, count=1), encoding="utf-8")
    build(root, out, today=DAY, warm=True, state=state, fast=True)
    assert "Zebrafinch" in (out / "jelgava/en/search/docs.js").read_text(encoding="utf-8")
    assert "Zebrafinch" in (out / "jelgava/open-data/en/services.json").read_text(encoding="utf-8")
    status = (out / "jelgava/translation-status.html").read_text(encoding="utf-8")
    untranslated = re.compile(r'(#\. services/[^:\n]+: title\n(?:#.*\n)*msgid "[^"\n]*"\nmsgstr ")[^"\n]*"')
    catalog.write_text(untranslated.sub(r'\1"', catalog.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    build(root, out, today=DAY, warm=True, state=state, fast=True)  # the status page counts it missing now
    assert (out / "jelgava/translation-status.html").read_text(encoding="utf-8") != status
    reference = tmp_path / "plain"
    build(root, reference, today=DAY, fast=False)
    assert tree(out) == tree(reference)


def test_the_status_page_of_a_warm_process_counts_again_only_the_files_edited(root: Path, tmp_path: Path,
                                                                               monkeypatch) -> None:
    """serve's status page takes each file's progress from its last build while the file's
    document is equal to the one counted then: an edited file is counted again (its new sentence missing
    in every language), the others are not, and the page is the plain build's."""
    from ici_site.i18n.translations import Tally
    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state)  # may fork: its workers keep nothing
    service = min((root / "content/jelgava/services").glob("*.md"))
    for sentence in ("Jauns teikums.", "Vēl viens teikums."):
        service.write_text(service.read_text(encoding="utf-8").replace("\n---\n", f"\n---\n{sentence}\n\n", 1),
                           encoding="utf-8")
        if sentence == "Jauns teikums.":
            build(root, out, today=DAY, warm=True, state=state)  # an edit: in this process, which keeps what it counts
    page = out / "jelgava/translation-status.html"
    before = page.read_text(encoding="utf-8")
    counted: list[str] = []  # the files counted, one by one
    of = Tally.of
    monkeypatch.setattr(Tally, "of", lambda self, messages: counted.extend({m.path for m in messages} - {None}
                                                                            if len({m.path for m in messages}) == 1
                                                                            else ()) or of(self, messages))
    build(root, out, today=DAY, warm=True, state=state)
    languages = len(load_site(root, ("jelgava",)).cities[0].languages) - 1  # all but the source language
    assert sorted(counted) == sorted([service.relative_to(root).as_posix(), "content/jelgava/city.yaml"] * languages)
    assert page.read_text(encoding="utf-8") != before
    reference = tmp_path / "plain"
    build(root, reference, today=DAY, fast=False)
    assert page.read_bytes() == (reference / "jelgava/translation-status.html").read_bytes()


def test_a_warm_process_finds_the_state_of_new_texts_alone_and_follows_the_catalogs(root: Path, tmp_path: Path,
                                                                                      monkeypatch) -> None:
    """serve keeps the state of each text in each language (translated, missing, unsafe…) while
    the city's settings and the language's catalog are the same: an edit's publish stage and
    status page find the state of its new sentence alone, once per language; a translator who
    empties a catalog takes the language off the site at the next build, as a plain build does."""
    from ici_site.i18n.translations import Tally
    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state)  # may fork: its workers keep nothing
    service = min((root / "content/jelgava/services").glob("*.md"))
    languages = load_site(root, ("jelgava",)).cities[0].languages[1:]  # all but the source language
    found: list[tuple[str, list[str]]] = []
    count = Tally._count
    monkeypatch.setattr(Tally, "_count", lambda self, texts: found.append((self.lang, sorted(texts))) or
                        count(self, texts))
    for sentence in ("Jauns teikums.", "Vēl viens teikums."):
        found.clear()
        service.write_text(service.read_text(encoding="utf-8").replace("\n---\n", f"\n---\n{sentence}\n\n", 1),
                           encoding="utf-8")
        build(root, out, today=DAY, warm=True, state=state)
    assert sorted(found) == [(lang, ["Vēl viens teikums."]) for lang in sorted(languages)]
    catalog = root / f"locales/{languages[-1]}/LC_MESSAGES/jelgava.po"
    with catalog.open("rb") as po:
        emptied = read_po(po)
    for message in emptied:
        if message.id:
            message.string = ""
    with catalog.open("wb") as po:
        write_po(po, emptied)
    build(root, out, today=DAY, warm=True, state=state)
    assert not (out / "jelgava" / languages[-1]).exists(), list((out / "jelgava").iterdir())
    build(root, tmp_path / "plain", today=DAY, fast=False)
    assert tree(out) == tree(tmp_path / "plain")


def test_a_warm_process_recycles_the_folder_it_swapped_out(root: Path, tmp_path: Path) -> None:
    """`serve` keeps the city folder each build swaps out, beside the output folder, and makes
    it the next build's staging folder: no folder is made again, and no published file is ever
    written through (the spare links most of them). The output stays the plain build's."""
    state, out = State(), tmp_path / "served"
    build(root, out, today=DAY, warm=True, state=state)
    published = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    pinned = tmp_path / "pinned"  # a second name for every published file: it must keep its bytes
    for number, path in enumerate(published):
        pinned.mkdir(exist_ok=True)
        (pinned / str(number)).hardlink_to(path)
    folders = [(out / "jelgava").stat().st_ino]
    services = root / "content/jelgava/services"
    first, second = sorted(services.glob("*.md"))[:2]
    edits = [lambda: first.write_text(first.read_text().replace("\n---\n", "\n---\nJauns teikums.\n\n", 1)),
             lambda: second.unlink(),  # its pages leave the site: the spare must lose them too
             lambda: first.write_text(first.read_text().replace("Jauns teikums.", "Cits teikums.", 1))]
    for number, change in enumerate(edits):
        change()
        build(root, out, today=DAY, warm=True, state=state)
        folders.append((out / "jelgava").stat().st_ino)
        build(root, tmp_path / f"plain-{number}", today=DAY, fast=False)
        assert tree(out) == tree(tmp_path / f"plain-{number}")
    assert folders[2] == folders[0] and folders[3] == folders[1]  # two folders take turns
    assert [(pinned / str(n)).read_bytes() for n in range(len(published))] == list(published.values())
    spares = tmp_path / ".served.spares"
    assert [p.name.split(".spare-")[0] for p in spares.iterdir()] == [".jelgava"]  # beside, not in, the site
    build(root, out, today=DAY)  # a one-off build in the same process keeps no spare
    assert not any(spares.glob("*"))
