"""What a reader is told about machine translation (EU AI Act, art. 50): one notice under
the heading of a page whose every translated text is machine-made and no label on its
blocks; a label on exactly the machine-made blocks of a page that mixes them with a
person's translations (and one short notice saying so); nothing in the source language.

The mini-site ``tests/sites/machine`` has two services: ``cours`` translated by machine
into English (one paragraph left untranslated: a fallback), ``conseil`` translated by
a person but for one paragraph; Arabic is machine-translated throughout.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import BUILD_DAY, REPO, build_on, make_project

from ici_site.cli import main

CITY = "machineville"
NOTICE = re.compile(r'<p class="machine-notice" role="note">(.*?)</p>', re.DOTALL)
LABEL = '<small class="hint machine">'
WHOLE = "This page was translated by machine. It may contain mistakes."
PARTS = "Some parts of this page were translated by machine. They are marked and may contain mistakes."
HUMAN = {"Machineville", "Conseil juridique", "Une juriste répond à vos questions.",
         "La juriste reçoit le mardi matin.", "Le conseil est confidentiel."}
MIXED_MACHINE = "Elle parle aussi anglais et arabe."  # the one machine-made block of `conseil` in English
MISSING = "Venez avec un cahier."  # no English translation: shown in French, marked as such
INTERFACE = (WHOLE, PARTS, "Read the original (%(language)s)")


def translate(root: Path, lang: str, prefix: str, machine) -> None:
    """Fill a city catalog as a translator (or a machine) would: ``prefix`` + source."""
    path = root / "locales" / lang / "LC_MESSAGES" / f"{CITY}.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id or (lang == "en" and message.id == MISSING):
            continue
        message.string = prefix + message.id
        if machine(message.id):
            message.flags.add("machine-translated")
    with path.open("wb") as f:
        write_po(f, catalog, width=76, sort_by_file=True)


def build(root: Path) -> None:
    build_on(root, BUILD_DAY)


def make_site(root: Path) -> Path:
    """The mini-site with its catalogs translated as described above, built."""
    make_project(root, "machine")
    assert main(["--root", str(root), "update"]) == 0
    translate(root, "en", "EN ", lambda text: text not in HUMAN)
    translate(root, "ar", "ترجمة: ", lambda text: True)
    build(root)
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("machine")) / "_site" / CITY


def html(site: Path, rel: str) -> str:
    """A page without the <bdi> that keep Latin runs of Arabic text in order (bidi.py)."""
    return re.sub(r'<bdi dir="(?:ltr|rtl)">|</bdi>', "", (site / rel).read_text(encoding="utf-8"))


def test_a_page_all_machine_translated_has_one_notice_and_no_label(site: Path) -> None:
    page = html(site, "en/services/cours.html")
    notices = NOTICE.findall(page)
    assert len(notices) == 1 and notices[0].startswith(WHOLE)
    assert LABEL not in page and 'class="machine"' not in page
    # under the heading, before the summary
    assert page.index("<h1>EN Cours de français</h1>") < page.index("machine-notice") < page.index('class="summary"')
    # the link goes to the same page in the source language, and that page is there
    link = re.search(r'<a href="([^"]+)" hreflang="fr">Read the original \(French\)</a>', notices[0])
    assert link, notices[0]
    original = (site / "en/services" / link.group(1)).resolve()
    assert original == (site / "fr/services/cours.html").resolve() and original.is_file()
    assert "<h1>Cours de français</h1>" in original.read_text(encoding="utf-8")
    # a fallback keeps its own marking: the only hint on the page
    assert page.count('class="hint') == 1
    assert re.search(r'<p class="other-lang" dir="ltr" lang="fr">Venez avec un cahier\.<small class="hint"', page)


def test_a_page_partly_machine_translated_labels_exactly_those_blocks(site: Path) -> None:
    page = html(site, "en/services/conseil.html")
    notices = NOTICE.findall(page)
    assert len(notices) == 1 and notices[0].startswith(PARTS)
    assert 'hreflang="fr"' in notices[0]
    labelled = re.findall(r"<p>([^<]*)" + re.escape(LABEL) + r"machine translated</small></p>", page)
    assert labelled == [f"EN {MIXED_MACHINE}"]
    assert page.count(LABEL) == 1
    for text in ("EN La juriste reçoit le mardi matin.", "EN Le conseil est confidentiel."):
        assert f"<p>{text}</p>" in page


def test_source_language_pages_never_have_a_notice(site: Path) -> None:
    pages = list((site / "fr").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert "machine-notice" not in page and 'class="hint' not in page, path
        assert "\x1e" not in page and "\x1f" not in page, path


def test_a_right_to_left_page_has_its_notice_in_its_language(site: Path) -> None:
    page = html(site, "ar/services/conseil.html")
    assert '<html lang="ar" dir="rtl">' in page
    notices = NOTICE.findall(page)
    assert notices == [notices[0]] and notices[0].startswith("تُرجمت هذه الصفحة ترجمة آلية.")
    assert re.search(r'<a href="\.\./\.\./fr/services/conseil\.html" hreflang="fr">[^<]*\(الفرنسية\)</a>',
                     notices[0]), notices[0]
    assert 'class="hint' not in page


def test_list_pages_the_guide_and_posters_are_decided_as_one_page(site: Path) -> None:
    home = html(site, "en/index.html")  # tagline and emergency label: machine-made
    assert len(NOTICE.findall(home)) == 1 and WHOLE in home and 'class="hint' not in home
    machine_list = html(site, "en/categories/language-courses.html")
    assert NOTICE.findall(machine_list)[0].startswith(WHOLE) and LABEL not in machine_list
    human_list = html(site, "en/categories/legal-advice.html")  # a person translated what it lists
    assert "machine-notice" not in human_list and LABEL not in human_list
    # the whole guide is one page (one notice, printed with it): it mixes both services,
    # so each machine-made text is labelled — and none of the person's
    guide = html(site, "en/guide.html")
    assert len(NOTICE.findall(guide)) == 1 and PARTS in guide
    assert f"EN {MIXED_MACHINE}{LABEL}" in guide and "EN Les cours ont lieu deux fois par semaine." + LABEL in guide
    assert "EN Le conseil est confidentiel.</p>" in guide
    arabic_guide = html(site, "ar/guide.html")
    assert len(NOTICE.findall(arabic_guide)) == 1 and 'class="hint' not in arabic_guide
    poster = html(site, "en/posters/cours.html")  # paper: the notice, without a link
    assert NOTICE.findall(poster) == [WHOLE] and LABEL not in poster
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert page.count("machine-notice") <= 1 and "\x1e" not in page and "\x1f" not in page, path


def test_kept_bodies_and_fragments_decide_as_a_clean_build_does(tmp_path: Path) -> None:
    root = make_site(tmp_path / "warm")
    service = root / "content" / CITY / "services" / "cours.md"
    service.write_text(service.read_text(encoding="utf-8") + "\nUn nouveau paragraphe.\n", encoding="utf-8")
    build(root)  # `conseil` comes from the kept fragment of the guide, `cours` is rendered again
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".ici-cache", "_site"))
    build(clean)
    for rel in ("en/guide.html", "en/services/cours.html", "ar/guide.html", "en/index.html"):
        assert (root / "_site" / CITY / rel).read_bytes() == (clean / "_site" / CITY / rel).read_bytes(), rel
    assert PARTS in html(root / "_site" / CITY, "en/guide.html")


def test_every_interface_catalog_translates_the_notice() -> None:
    catalogs = sorted(REPO.glob("locales/*/LC_MESSAGES/messages.po"))
    assert len(catalogs) >= 20
    for path in catalogs:
        with path.open("rb") as f:
            catalog = read_po(f)
        for msgid in INTERFACE:
            message = catalog[msgid]
            assert message is not None and message.string and not message.fuzzy, (path, msgid)
            assert "machine-translated" in message.flags, (path, msgid)
