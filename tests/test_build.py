"""End-to-end builds: real content into a temp folder, assertions on the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import Result


class Page(HTMLParser):
    """Collects what the tests look at: <html> attributes, links, elements with lang."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}
        self.links: list[str] = []
        self.langs: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html = a
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key] or "")
        if "lang" in a and tag != "html":
            self.langs.append((tag, a))


@pytest.fixture
def example(example_site: Path) -> Path:
    """The repository's example content, built once per session (conftest.example_site)."""
    return example_site


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_both_cities_in_all_their_languages(example: Path) -> None:
    for city, langs in {"saint-jean-de-la-ruelle": ["fr", "en", "ar", "uk"],
                        "jelgava": ["lv", "en", "uk", "ru"]}.items():
        for lang in langs:
            page = Page((example / city / lang / "index.html").read_text())
            assert page.html["lang"] == lang
            assert page.html["dir"] == ("rtl" if lang == "ar" else "ltr")
        assert len(list((example / city / "fr" if city.startswith("saint") else example / city / "lv")
                        .joinpath("services").glob("*.html"))) >= 8


def test_every_page_title_is_plain_text(example: Path) -> None:
    """<title> is what a screen reader announces first and what the tab shows: text only."""
    for page in example.rglob("*.html"):
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.DOTALL)
        assert title and title.group(1).strip(), page
        assert "<" not in title.group(1) and "\n" not in title.group(1), page


def test_every_relative_link_resolves(example: Path) -> None:
    broken = []
    for path in html_files(example):
        for link in Page(path.read_text()).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{path.relative_to(example)} -> {link}")
    assert broken == []


def test_no_request_to_another_host(example: Path) -> None:
    for path in html_files(example):
        text = path.read_text()
        for tag in re.findall(r"<(?:link|script|img|iframe|source)\b[^>]*>", text):
            if "rel=\"alternate\"" in tag or "rel=\"canonical\"" in tag:
                continue  # not fetched by the browser
            assert "://" not in tag, f"{path}: {tag}"
    for css in example.rglob("*.css"):
        assert "url(" not in css.read_text() and "@import" not in css.read_text()


def test_switcher_links_to_the_same_page_in_each_language(example: Path) -> None:
    page_path = example / "jelgava" / "uk" / "services" / "informacijas-centrs-ukrainai.html"
    text = page_path.read_text()
    switcher = re.search(r'<nav class="langs".*?</nav>', text, re.DOTALL)
    assert switcher is not None
    targets = re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher.group(0))
    assert [lang for _, lang in targets] == ["lv", "en", "uk", "ru"]
    for href, lang in targets:
        assert (page_path.parent / href).resolve() == (
            example / "jelgava" / lang / "services" / "informacijas-centrs-ukrainai.html")
    assert 'aria-current="page">Українська<' in switcher.group(0)


def test_root_lists_languages_by_their_own_names(example: Path) -> None:
    text = (example / "saint-jean-de-la-ruelle" / "index.html").read_text()
    for href, lang, name in [("fr/index.html", "fr", "Français"), ("ar/index.html", "ar", "العربية"),
                             ("uk/index.html", "uk", "Українська"), ("en/index.html", "en", "English")]:
        assert f'href="{href}" hreflang="{lang}" lang="{lang}"' in text
        assert f">{name}</a>" in text


def test_service_page_key_facts(example: Path) -> None:
    text = (example / "saint-jean-de-la-ruelle" / "fr" / "services" / "maison-des-femmes.html").read_text()
    assert re.search(r'href="tel:\+33199\d{6}"', text)
    assert re.search(r'href="geo:4\d\.\d+,1\.\d+"', text)
    assert "https://www.openstreetmap.org/?mlat=" in text
    assert 'href="mailto:' in text
    assert "<th scope=\"row\">Lundi</th>" in text  # French day names
    assert "Informations vérifiées le" in text
    assert re.search(r"<dd><ul class=\"inline\"><li lang=\"fr\" dir=\"ltr\">Français</li>", text)


def test_hours_in_the_readers_language(example: Path) -> None:
    ar = (example / "saint-jean-de-la-ruelle" / "ar" / "services" / "cours-de-francais.html").read_text()
    assert '<th scope="row">الاثنين</th>' in ar
    uk = (example / "jelgava" / "uk" / "services" / "latviesu-valodas-kursi.html").read_text()
    assert re.search(r'<th scope="row">(Понеділок|Вівторок)</th>', uk)


def test_emergency_numbers_on_every_home_page(example: Path) -> None:
    for home in example.glob("*/*/index.html"):
        assert 'href="tel:112"' in home.read_text(), home


def test_demo_content_says_so(example: Path) -> None:
    for path in html_files(example):
        assert 'class="demo"' in path.read_text(), path


def test_stale_service_is_flagged(example: Path) -> None:
    text = (example / "saint-jean-de-la-ruelle" / "en" / "services" / "aide-au-logement.html").read_text()
    assert 'class="warning"' in text


def test_fallback_is_marked_with_its_language(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    text = (root / "_site" / "demoville" / "ar" / "services" / "cours-de-francais.html").read_text()
    # title translated into Arabic: no marking
    assert "<h1>دروس اللغة الفرنسية</h1>" in text
    # summary missing in Arabic: English (first in the chain ar -> en -> fr), marked
    assert ('<span lang="en" dir="ltr" class="other-lang">Free courses for adults.'
            '<small class="hint" lang="ar" dir="rtl">') in text
    # a block translated nowhere: the French source, marked fr
    assert re.search(r'<p class="other-lang" dir="ltr" lang="fr">Venez avec un cahier\.<small', text)
    # English page: the fuzzy entry is not shown, the French source is
    en = (root / "_site" / "demoville" / "en" / "services" / "cours-de-francais.html").read_text()
    assert "Intermediate level (old)" not in en
    assert re.search(r'<li class="other-lang" dir="ltr" lang="fr">Niveau intermédiaire<small', en)
    assert "<strong>twice</strong>" in en and 'href="https://example.org/cours"' in en


def test_code_blocks_are_kept_verbatim(project, cli) -> None:
    root = project("basic")
    cli(root, "build")
    en = (root / "_site" / "demoville" / "en" / "services" / "cours-de-francais.html").read_text()
    assert "<pre><code>code: non traduit\n</code></pre>" in en


def test_language_below_threshold_is_not_published(project, cli) -> None:
    root = project("basic")
    city = root / "content" / "demoville" / "city.yaml"
    city.write_text(city.read_text().replace("min_translated: 0.1", "min_translated: 0.9"))
    result = cli(root, "build")
    assert result.code == 0
    assert "content/demoville/city.yaml:5: languages: 'ar' is not published" in result.err
    assert not (root / "_site" / "demoville" / "ar").exists()
    assert 'hreflang="ar"' not in (root / "_site" / "demoville" / "fr" / "index.html").read_text()


def test_expired_notices_are_not_shown(project, cli) -> None:
    root = project("basic")
    cli(root, "build")
    home = (root / "_site" / "demoville" / "fr" / "index.html").read_text()
    assert "Nouvelle session" in home and "Ancienne annonce" not in home


def test_two_builds_are_byte_identical(project, cli, tmp_path: Path) -> None:
    root = project("basic")
    cli(root, "build", "--out", str(tmp_path / "a"))
    cli(root, "build", "--out", str(tmp_path / "b"))
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b and a


def test_city_folder_is_self_contained(project, cli) -> None:
    root = project("basic")
    cli(root, "build")
    for path in (root / "_site" / "demoville").rglob("*.html"):
        for link in Page(path.read_text()).links:
            if not urlsplit(link).scheme and not link.startswith("#"):
                target = (path.parent / link).resolve()
                assert target.is_relative_to((root / "_site" / "demoville").resolve()), (path, link)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_failed_build_leaves_previous_output_untouched(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    before = _snapshot(root / "_site")
    service = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    service.write_text(service.read_text().replace("cost: free", "cost: gratis"))
    result: Result = cli(root, "build")
    assert result.code == 1
    assert "cours-de-francais.md:12: cost: 'gratis' is not one of: free, reduced, paid" in result.err
    assert _snapshot(root / "_site") == before
    assert [p.name for p in (root / "_site").iterdir()] == ["demoville"]  # no staging leftovers


def test_phone_numbers_in_text_are_tappable_and_left_to_right(example: Path) -> None:
    home = (example / "saint-jean-de-la-ruelle" / "ar" / "index.html").read_text()
    # in a right-to-left paragraph the groups of a bare number could be shown reversed
    assert 'على الرقم <a href="tel:+33199001120" dir="ltr">01 99 00 11 20</a>' in home


def test_a_citys_broken_template_override_is_a_clear_error(project, cli) -> None:
    root = project("basic")
    override = root / "content" / "demoville" / "templates" / "page.html"
    override.parent.mkdir()
    override.write_text('{% extends "base.html" %}\n{% block main %}\n{{ t(page.title) }\n{% endblock %}\n')
    result = cli(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.startswith("error: content/demoville/templates/page.html:3: template error: ")


def test_a_city_may_override_a_template(project, cli) -> None:
    root = project("basic")
    override = root / "content" / "demoville" / "templates" / "page.html"
    override.parent.mkdir()
    override.write_text('{% extends "base.html" %}\n{% block main %}<h1 class="mine">{{ t(page.title) }}</h1>'
                        '{% endblock %}\n')
    assert cli(root, "build").code == 0
    assert '<h1 class="mine">Premiers pas</h1>' in (
        root / "_site" / "demoville" / "fr" / "pages" / "premiers-pas.html").read_text()
