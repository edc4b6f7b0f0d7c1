"""Links between content files become page links; every build checks every link and anchor."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po, write_po
from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.errors import ContentError
from ici_site.site.links import SCHEME, _split, page_ids

SERVICE = "content/demoville/services/conseil-juridique.md"
NOTICE = "content/demoville/notices/nouvelle-session.md"


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text() + text)


def errors(result) -> list[str]:
    return [line.removeprefix("error: ") for line in result.err.splitlines() if line.startswith("error: ")]


def test_links_to_content_files_become_page_links(project, cli) -> None:
    root = project("basic")
    append(root, SERVICE, "\n[Les cours](cours-de-francais.md) et [la page](../pages/premiers-pas.md#main).\n")
    append(root, NOTICE, "\nVoir [les cours](../services/cours-de-francais.md).\n")
    result = cli(root, "build")
    assert result.code == 0, result.err
    service = (root / "_site/demoville/en/services/conseil-juridique.html").read_text()
    assert '<a href="cours-de-francais.html" rel="noopener noreferrer">' in service
    assert '<a href="../pages/premiers-pas.html#main" rel="noopener noreferrer">' in service
    home = (root / "_site/demoville/fr/index.html").read_text()  # the notice shows on the home page
    assert '<a href="services/cours-de-francais.html" rel="noopener noreferrer">' in home


def test_broken_link_names_the_content_file_and_line(project, cli) -> None:
    root = project("basic")
    append(root, SERVICE, "\nVoir [ailleurs](../services/introuvable.md).\n\nEt [ici](cours-de-francais.md#horaires).\n"
                          "\n[Racine](/demoville/fr/index.html)\n")
    result = cli(root, "build")
    assert result.code == 1
    assert errors(result) == [
        (f"{SERVICE}:10: link: '../services/introuvable.md' leads to no page or file of the site "
        "(on ar/services/conseil-juridique.html)"),
        (f"{SERVICE}:12: link: 'cours-de-francais.md#horaires' the page has no anchor '#horaires' "
        "(on ar/services/conseil-juridique.html)"),
        (f"{SERVICE}:14: link: '/demoville/fr/index.html' must be relative: a city folder can live at any "
        "address (on ar/services/conseil-juridique.html)"),
    ]
    assert not (root / "_site").exists()


def test_a_broken_anchor_of_a_body_shown_on_several_pages_is_named_once_at_its_line(project, cli) -> None:
    """A body also shows on the whole guide (a service's, a page's) or on the home page (a
    notice's), its ids prefixed there: the broken anchor is the editor's one line, not a template."""
    root = project("basic")
    page = "content/demoville/pages/premiers-pas.md"
    append(root, SERVICE, "\nVoir [plus bas](#nulle-part).\n")
    append(root, page, "\nVoir [plus bas](#nulle-part).\n")
    append(root, NOTICE, "\nVoir [plus bas](#nulle-part).\n")
    result = cli(root, "build")
    assert result.code == 1
    lines = {rel: len((root / rel).read_text().splitlines()) for rel in (SERVICE, page, NOTICE)}
    assert errors(result) == [
        f"{NOTICE}:{lines[NOTICE]}: link: '#nulle-part' the page has no anchor '#nulle-part' (on ar/index.html)",
        (f"{page}:{lines[page]}: link: '#nulle-part' the page has no anchor '#nulle-part' "
         "(on ar/pages/premiers-pas.html)"),
        (f"{SERVICE}:{lines[SERVICE]}: link: '#nulle-part' the page has no anchor '#nulle-part' "
         "(on ar/services/conseil-juridique.html)"),
    ]


def test_broken_link_from_a_translation_names_the_catalog_entry(project, cli) -> None:
    root = project("basic")
    append(root, SERVICE, "\nVoir [les cours](cours-de-francais.md).\n")
    assert cli(root, "update").code == 0
    po = root / "locales/en/LC_MESSAGES/demoville.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog["Voir [les cours](cours-de-francais.md)."].string = 'See [the courses](cours-de-francais.md) or <a href="autre.html">the other</a>.'
    with po.open("wb") as f:
        write_po(f, catalog, width=76)
    line = next(n for n, text in enumerate(po.read_text().splitlines(), 1)
                if text == 'msgid "Voir [les cours](cours-de-francais.md)."')
    # A translation that adds a link is refused by the safety check (issue 12: nothing forged), so
    # the added link never reaches a page: the build publishes the source text instead, and
    # `check` names the catalog entry.
    result = cli(root, "build")
    assert result.code == 0, result.err
    assert "autre.html" not in (root / "_site/demoville/en/services/conseil-juridique.html").read_text()
    result = cli(root, "check")
    assert result.code == 1
    assert (f"error: locales/en/LC_MESSAGES/demoville.po:{line}: msgstr: translation of 'Voir [les cours]"
            "(cours-de-francais.md).' adds the link autre.html, which is not in the source") in result.err


def test_broken_link_in_a_template_names_the_template(project, cli) -> None:
    root = project("basic")
    override = root / "content/demoville/templates/page.html"
    override.parent.mkdir()
    override.write_text((root / "templates/page.html").read_text().replace(
        "{% block main %}", '{% block main %}<a href="#nulle-part">x</a><a href="../missing.html">y</a>'))
    result = cli(root, "build")
    assert result.code == 1
    assert errors(result) == [
        ("content/demoville/templates/page.html: link: '#nulle-part' the page has no anchor '#nulle-part' "
        "(on ar/pages/premiers-pas.html)"),
        ("content/demoville/templates/page.html: link: '../missing.html' leads to no page or file of the site "
        "(on ar/pages/premiers-pas.html)"),
    ]


def test_every_example_page_passes_the_link_check(project, cli) -> None:
    root = project(None)
    result = cli(root, "check")
    assert result.code == 0, result.err


def test_an_incremental_build_still_finds_a_link_its_edit_broke(project, cli) -> None:
    """Only changed pages are re-checked when nothing can break the others; a removed page
    or a lost anchor makes the build check every page again, unchanged ones included."""
    root = project("basic")
    append(root, SERVICE, "\nVoir [les horaires](cours-de-francais.md#hours-title).\n")
    assert cli(root, "update").code == 0
    assert cli(root, "build").code == 0
    unchanged = (root / "_site/demoville/fr/services/conseil-juridique.html").read_bytes()
    page = root / "content/demoville/pages/premiers-pas.md"
    kept = page.read_text()
    page.write_text(kept + "\nVoir [rien](../services/rien.md).\n")  # a changed page: checked
    result = cli(root, "build")
    assert result.code == 1 and "'../services/rien.md' leads to no page or file of the site" in result.err
    page.write_text(kept)
    courses = root / "content/demoville/services/cours-de-francais.md"
    courses.write_text(courses.read_text().replace("hours: Mo-Fr 09:00-12:30,14:00-17:00; Sa 10:00-12:00\n", ""))
    result = cli(root, "build")  # the linking page did not change; the page it links into lost its id
    assert result.code == 1
    assert f"{SERVICE}:10: link: 'cours-de-francais.md#hours-title' the page has no anchor '#hours-title'" \
        in result.err
    assert (root / "_site/demoville/fr/services/conseil-juridique.html").read_bytes() == unchanged
    courses.unlink()
    result = cli(root, "build")
    assert result.code == 1 and "leads to no page or file of the site" in result.err


def test_a_build_after_an_edit_checks_only_the_links_the_edit_added(project, monkeypatch) -> None:
    """The links of a changed page that its previous version had were checked by the last build
    and still hold while no page lost an id: the build after an edit checks only links its changed
    pages did not have (the edited service's, on its page and the whole guide in each language),
    and still finds one that is broken."""
    from ici_site.build import build
    from ici_site.site import links
    root = project("basic")
    site = root / "_site/demoville"
    build(root, root / "_site")
    checked: list[tuple[str, str]] = []
    problem = links._problem
    monkeypatch.setattr(links, "_problem", lambda page, href, *rest: checked.append((page, href)) or
                        problem(page, href, *rest))
    for added in ("[les cours](cours-de-francais.md#hours-title)", "[rien](rien.md)"):
        pages = {p.relative_to(site).as_posix(): set(links.page_links(p.read_bytes())) for p in site.rglob("*.html")}
        checked.clear()
        append(root, SERVICE, f"\nVoir {added}.\n")
        if added.endswith("(rien.md)"):
            with pytest.raises(ContentError, match="'rien.md' leads to no page or file of the site"):
                build(root, root / "_site")
        else:
            build(root, root / "_site")
        assert checked and all(href not in pages[page] for page, href in checked)  # each new on its page
        assert {page for page, _ in checked} == {f"{lang}/{name}" for lang in ("fr", "en", "ar")
                                                 for name in ("services/conseil-juridique.html", "guide.html")}


def test_page_ids_are_the_anchors_a_link_can_reach() -> None:
    html = b'<A NAME="top" href="x.html"><div ID="z" data-id="q"><p name="no"><h2 id="">t</h2><span id="a&amp;b">'
    assert page_ids(html) == {"top", "z", "a&b"}


@given(st.text(alphabet="ab./#?:%2 \t\n\x01é", max_size=16))
def test_links_are_split_as_urlsplit_splits_them(href: str) -> None:
    """The fast path for the build's own relative links reads them as urlsplit does."""
    elsewhere, path, fragment = _split(href)
    parts = urlsplit(href)
    assert (path, fragment) == (parts.path, parts.fragment)
    assert elsewhere == bool(parts.scheme or parts.netloc or SCHEME.match(href))


PATH_PARTS = st.sampled_from(["fr", "ar", "services", "cours", "index.html", "assets", "style.css", ".", "..", "",
                              "search", "0.js", "é"])


@given(st.lists(PATH_PARTS, max_size=5).map("/".join), st.lists(PATH_PARTS, max_size=5).map("/".join))
def test_a_relative_link_is_posixpaths(source: str, target: str) -> None:
    """The link from one page to a file is what ``posixpath.relpath`` gives, for any two
    city paths (also with '.', '..' and empty parts), without reading the working folder."""
    import posixpath

    from ici_site.site import urls
    try:
        expected = posixpath.relpath(target, posixpath.dirname(source) or ".")
    except ValueError:
        expected = None
    try:
        found = urls.relative(source, target)
    except ValueError:
        found = None
    assert found == expected
    if found is not None:  # remembered by the page's folder: the same from any page of it
        assert urls.relative(posixpath.join(posixpath.dirname(source), "other.html"), target) == found


HREFS = st.sampled_from(["tel:+3225550123", "https://example.org/a", "mailto:a@example.org", "#main", "/abs",
                         "//host/x", "", "cours.md", "cours.md#main", "../pages/premiers-pas.md", "image.png",
                         "../categories/health.html", "?q=1", "x:y", "#", "services/x.md"])
PAGES = ["fr/services/conseil-juridique.html", "fr/guide.html", "ar/categories/health.html", "fr/index.html"]


@given(st.lists(HREFS, max_size=4))
def test_a_body_said_to_be_the_same_on_every_page_is(hrefs: list[str]) -> None:
    """The renderer skips rewriting a body's links for each page when they are the same on
    every page: then rewriting them changes nothing on any page, the whole guide's included."""
    from types import SimpleNamespace

    from ici_site.site.links import content_links, with_content_links
    html = "".join(f'<p><a href="{href}">x</a><img src="{href}"></p>' for href in hrefs)
    service = SimpleNamespace(path="content/demoville/services/conseil-juridique.md", slug="conseil-juridique")
    pieces = content_links(html)
    rewritten = {_rewritten_by_substitution(html, service, page, "fr") for page in PAGES}
    same = len(pieces) == 1  # nothing to write for each page
    if same:
        assert rewritten == {html} and {with_content_links(pieces, service, page, "fr") for page in PAGES} == {html}  # type: ignore[arg-type]
    if set(hrefs) <= {"tel:+3225550123", "https://example.org/a", "#main"}:  # most bodies: skipped
        assert same
    if {"cours.md", "image.png"} & set(hrefs):  # written for each page
        assert not same and len(rewritten) > 1


def _rewritten_by_substitution(html: str, document: object, page: str, lang: str) -> str:
    """Every href and src attribute of ``html`` through content_href, one substitution each."""
    from ici_site.site.links import content_href

    def attribute(match: re.Match[str]) -> bool:  # its own, not the end of another's name (data-href)
        before = html[match.start() - 1:match.start()]
        return not (before.isalnum() or before in ("_", "-"))

    return re.sub(r'(href|src)="([^"]*)"', lambda m: f'{m[1]}="{content_href(m[2], document, page, lang)}"'  # type: ignore[arg-type]
                  if attribute(m) else m[0], html)


@given(st.lists(st.tuples(st.sampled_from(['<a href="', '<img src="', ' data-href="', '<a xhref="', 'href="', '<p>']),
                          HREFS, st.sampled_from(['">x</a>', '">', '" ', "</p>", ""])), max_size=5),
       st.sampled_from(PAGES), st.sampled_from(["fr", "ar", "pt-BR"]))
def test_a_body_cut_around_its_links_is_written_as_each_link_substituted(parts: list[tuple[str, str, str]],
                                                                        page: str, lang: str) -> None:
    """A body is cut once around the links that depend on the page (content_links), then written
    for each page: the same HTML as substituting every link attribute of it for that page."""
    from types import SimpleNamespace

    from ici_site.site.links import content_links, with_content_links
    html = "".join(before + href + after for before, href, after in parts)
    service = SimpleNamespace(path="content/demoville/services/conseil-juridique.md", slug="conseil-juridique")
    page = page.replace("fr/", f"{lang}/", 1) if page.startswith("fr/") else page
    pieces = content_links(html)
    assert "".join(pieces) == html
    assert with_content_links(pieces, service, page, lang) == _rewritten_by_substitution(html, service, page, lang)  # type: ignore[arg-type]


def test_a_body_link_naming_a_language_folder_leads_there_from_every_page(project, cli) -> None:
    """A link written for the service's own page that climbs out of its language's folder is
    written again for the whole guide, one folder up, in each language: to the English page
    it names, from the English guide as from the French one."""
    root = project("basic")
    append(root, SERVICE, "\n[In English](../../en/services/cours-de-francais.html) et [ici](cours-de-francais.md).\n")
    result = cli(root, "build")
    assert result.code == 0, result.err
    site = root / "_site/demoville"
    assert '<a href="services/cours-de-francais.html" rel="noopener noreferrer">In English' \
        in (site / "en/guide.html").read_text()
    assert '<a href="../en/services/cours-de-francais.html" rel="noopener noreferrer">In English' \
        in (site / "fr/guide.html").read_text()
    assert '<a href="services/cours-de-francais.html" rel="noopener noreferrer">ici' in (site / "fr/guide.html").read_text()


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["..", ".", "en", "fr", "services", "pages", "categories", "cours.md", "cours.html",
                                 "image.png", "guide.html", "%2e%2e", "x.md#a", "x.md?q=1", ""]), min_size=1, max_size=5),
       st.sampled_from(["en", "fr", "ar", "pt-BR"]), st.sampled_from([*PAGES, "fr/pages/premiers-pas.html"]),
       st.sampled_from(["services/conseil-juridique", "pages/premiers-pas", "notices/nouvelle-session"]))
def test_a_content_link_worked_out_once_for_every_language_is_the_page_s_own(
        parts: list[str], lang: str, page: str, document: str) -> None:
    """content_href works out a link once for all languages where it cannot depend on the
    language: it is the link worked out for the page itself, in every language."""
    from types import SimpleNamespace

    from ici_site.site.links import _content_href, content_href
    href = "/".join(parts)
    page = f"{lang}/{page.split('/', 1)[1]}"
    written = SimpleNamespace(path=f"content/demoville/{document}.md", slug=document.split("/")[1])
    shown = content_href(href, written, page, lang)  # type: ignore[arg-type]
    assert shown == (href if SCHEME.match(href) or href[:1] in ("", "#", "/")
                     else _content_href(href, written.path, written.slug, page, lang))


PIECES = ["<article", "<article id=\"s\">", ">", " ", "\n", "<a href=\"#s\">", "<p id=\"p\">", "\"", "x", "<",
          "<a title=\"x> <article\" href=\"#gone\">", "é", "</article>", "<a name=\"n\">", "<a", "<article name=\"n\">"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_a_page_read_in_parts_has_the_ids_and_links_of_the_whole(pieces: list[str]) -> None:
    """The link check reads a page part by part (each service of the whole guide), so that an
    edit's build parses again only the part that changed: the parts must give exactly what
    the whole page gives, whatever stands around the cuts."""
    from ici_site.site import links
    data = "".join(pieces).encode("utf-8")
    whole = links._Page(data.decode("utf-8"))
    links._parsed.cache_clear()
    parsed = links._parsed(data)
    assert (parsed.ids, parsed.links) == (whole.ids, whole.links)
