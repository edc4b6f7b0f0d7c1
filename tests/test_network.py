"""The network of cities (content/network.yaml): its pages beside the city folders, its
catalog, its errors, and the preview's `/`.

The mini-site `tests/sites/network` has two cities, `alpha` (fr, ar) and `beta` (lv, en),
and a network in en, fr and ar whose French catalog translates everything and whose
Arabic one nothing (min_translated: 0, so Arabic is published with the fallback hints).
"""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ici_site.content.loaders import load_site
from ici_site.i18n.catalogs import read_catalog, write_catalog
from ici_site.server import Preview, site_file

HREF = re.compile(r'\b(?:href|src)="([^"]*)"')


def build(cli, root: Path, *args: str) -> Path:
    out = root / "_site"
    result = cli(root, "build", "--out", str(out), *args)
    assert result.code == 0, result.err
    assert "warning" not in result.err, result.err
    return out


def relative_links(page: Path) -> list[str]:
    return [href for href in HREF.findall(page.read_text(encoding="utf-8"))
            if not re.match(r"[a-z]+:", href) and not href.startswith("#")]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <a>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: Path, name: str) -> list[dict[str, str | None]]:
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return [attrs for tag, attrs in parser.tags if tag == name]


def test_pages_list_every_city_and_language(cli, project):
    root = project("network")
    out = build(cli, root)
    assert (out / "index.html").is_file() and (out / "network.css").is_file()
    for lang in ("en", "fr", "ar"):
        page = out / f"index.{lang}.html"
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        assert "<title>" in html and '<meta name="description" content="' in html
        assert 'http-equiv="Content-Security-Policy"' in html
        links = {a["href"]: a for a in tags(page, "a")}
        for city, languages in (("alpha", ("fr", "ar")), ("beta", ("lv", "en"))):
            assert f"{city}/index.html" in links  # the city's own language chooser
            for code in languages:
                link = links[f"{city}/{code}/index.html"]
                assert link["lang"] == code and link["hreflang"] == code
                assert link["dir"] == ("rtl" if code == "ar" else "ltr")
    chooser = {a["href"]: a for a in tags(out / "index.html", "a")}
    assert {"index.en.html", "index.fr.html", "index.ar.html"} <= set(chooser)
    assert chooser["index.ar.html"]["dir"] == "rtl"
    assert ">العربية<" in (out / "index.html").read_text(encoding="utf-8")  # each language in its own name


def test_every_relative_link_resolves_and_cities_stay_inside(cli, project):
    root = project("network")
    out = build(cli, root)
    for page in out.glob("*.html"):
        for href in relative_links(page):
            assert (out / href.split("#")[0]).is_file(), f"{page.name}: {href}"
    for city in ("alpha", "beta"):
        folder = out / city
        for page in folder.rglob("*.html"):
            for href in relative_links(page):
                target = posixpath.normpath(posixpath.join(page.parent.relative_to(out).as_posix(), href))
                assert target.startswith(f"{city}/"), f"{page}: {href} leaves the city folder"


def test_translations_names_and_fallbacks(cli, project):
    root = project("network")
    out = build(cli, root)
    fr = (out / "index.fr.html").read_text(encoding="utf-8")
    assert "Mini réseau" in fr and "Deux villes travaillent ensemble depuis 2020." in fr
    assert "<h2" in fr and ">Villes<" in fr  # the interface string, from the French messages.po
    ar = (out / "index.ar.html").read_text(encoding="utf-8")
    assert 'lang="en" dir="ltr" class="other-lang">Mini network' in ar  # fallback, marked
    assert 'lang="ar" dir="rtl">ألفا</a>' in ar  # alpha's own Arabic catalog names it
    en = (out / "index.en.html").read_text(encoding="utf-8")
    assert 'lang="en" dir="ltr">Beta</a>' in en  # beta's English catalog
    assert 'lang="lv" dir="ltr">Bēta</a>' in fr  # no French catalog: as written, in Latvian


def test_catalog_lifecycle(cli, project):
    root = project("network")
    (root / "locales" / "network.pot").unlink()
    assert cli(root, "extract").code == 0
    pot = (root / "locales" / "network.pot").read_text(encoding="utf-8")
    assert "#: content/network.yaml:2" in pot and "#. network: name" in pot
    text = (root / "content" / "network.yaml").read_text(encoding="utf-8")
    (root / "content" / "network.yaml").write_text(text.replace("since 2020", "since 2021"), encoding="utf-8")
    assert cli(root, "update").code == 0
    catalog = read_catalog(root / "locales" / "fr" / "LC_MESSAGES" / "network.po")
    changed = catalog.get("Two cities have worked together since 2021.")
    assert changed.fuzzy and changed.previous_id  # kept, as in a city's catalog
    assert cli(root, "init", "network", "uk").code == 0
    assert (root / "locales" / "uk" / "LC_MESSAGES" / "network.po").is_file()
    status = cli(root, "status")
    assert re.search(r"^network\s+fr\s+3\s+2\s+1\s+0", status.out, re.MULTILINE), status.out


def test_forged_link_in_a_translation_is_refused(cli, project):
    root = project("network")
    path = root / "locales" / "fr" / "LC_MESSAGES" / "network.po"
    catalog = read_catalog(path)
    catalog["Start with [the guide of Alpha](alpha/index.html)."].string = \
        "Commencez par [le guide d'Alpha](https://evil.example.org/)."
    write_catalog(path, catalog)
    out = build(cli, root)
    fr = (out / "index.fr.html").read_text(encoding="utf-8")
    assert "evil.example.org" not in fr and "the guide of Alpha" in fr  # the English text, marked
    check = cli(root, "check")
    assert check.code == 1
    assert re.search(r"locales/fr/LC_MESSAGES/network\.po:\d+: msgstr: translation of 'Start with", check.err), check.err


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("cities: [alpha, beta]", "cities: [alpha, gamma]",
     "content/network.yaml:10: cities[1]: no city 'gamma' under content/; cities: alpha, beta"),
    ("name: Mini network\n", "", "content/network.yaml:2: name: is required but missing"),
    ("languages: [en, fr, ar]", "languages: [en, fr, xx-]",
     "content/network.yaml:4: languages[2]: 'xx-' is not a language code"),
    ("languages: [en, fr, ar]", "languages: [fr, ar]",
     "content/network.yaml:4: languages: must include the source language 'en'"),
    ("min_translated: 0", "min_translate: 0", "content/network.yaml:5: min_translate: unknown key; did you mean"),
    ("[the guide of Alpha](alpha/index.html)", "[the guide of Alpha](alpha/none.html)",
     "content/network.yaml:9: text: link 'alpha/none.html' leads to no page"),
])
def test_errors_name_file_line_and_field(cli, project, old, new, expected):
    root = project("network")
    path = root / "content" / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    for command in ("build", "check"):
        result = cli(root, command)
        assert result.code == 1, result.err
        assert expected in result.err, result.err
        assert "Traceback" not in result.err
    assert not (root / "_site").exists()


def test_threshold_leaves_a_language_out(cli, project):
    root = project("network")
    path = root / "content" / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min_translated: 0\n", ""), encoding="utf-8")
    result = cli(root, "build")
    assert result.code == 0
    assert ("content/network.yaml:4: languages: 'ar' is not published: 0% of the content is translated, "
            "min_translated is 50%") in result.err
    assert not (root / "_site" / "index.ar.html").exists() and (root / "_site" / "index.fr.html").is_file()


def test_city_slugs_cannot_collide(cli, project):
    root = project("network")
    assert cli(root, "new", "network").code == 2
    assert cli(root, "new", "en").code == 0  # a folder en/: the network's pages are index.<lang>.html
    assert cli(root, "new", "assets").code == 0
    path = root / "content" / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[alpha, beta]", "[alpha, beta, en, assets]"),
                    encoding="utf-8")
    out = build(cli, root)
    assert (out / "en" / "index.html").is_file() and (out / "assets" / "index.html").is_file()
    assert (out / "index.en.html").is_file() and (out / "network.css").is_file()
    (root / "content" / "network").mkdir()
    result = cli(root, "build")
    assert result.code == 1 and "content/network: city folder: 'network' is the name of a catalog" in result.err


def test_without_network_file_nothing_changes(cli, project, tmp_path):
    root = project("network")
    out = build(cli, root)
    (root / "content" / "network.yaml").unlink()
    shutil.rmtree(root / "locales" / "fr")
    for name in ("ar/LC_MESSAGES/network.po", "network.pot"):
        (root / "locales" / name).unlink()
    again = build(cli, root)  # the network's pages of the last build are removed
    assert sorted(p.name for p in again.iterdir() if not p.name.startswith(".")) == ["alpha", "beta"]
    fresh = make_fresh(cli, root, tmp_path)
    assert sorted(p.name for p in fresh.iterdir() if not p.name.startswith(".")) == ["alpha", "beta"]
    for page in (fresh / "alpha").rglob("*"):
        if page.is_file():
            assert page.read_bytes() == (out / page.relative_to(fresh)).read_bytes(), page
    assert cli(root, "extract").code == 0 and not (root / "locales" / "network.pot").exists()
    assert load_site(root).network is None


def make_fresh(cli, root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "fresh"
    assert cli(root, "build", "--out", str(out)).code == 0
    return out


def test_a_language_dropped_from_the_network_loses_its_page(cli, project):
    root = project("network")
    out = build(cli, root)
    path = root / "content" / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[en, fr, ar]", "[en, fr]"), encoding="utf-8")
    build(cli, root)
    assert not (out / "index.ar.html").exists() and (out / "index.fr.html").is_file()
    assert "index.ar.html" not in (out / "index.html").read_text(encoding="utf-8")


def test_preview_root_is_the_network(cli, project):
    root = project("network")
    out = build(cli, root)
    preview = Preview(lambda: "built")
    status, _, body = site_file(out, preview, "/", root)
    assert status == "200 OK" and b'href="index.fr.html"' in body
    (root / "content" / "network.yaml").unlink()  # its pages stay until the next build
    status, _, body = site_file(out, preview, "/", root)
    assert status == "200 OK" and b'href="alpha/"' in body  # the list of cities, as without a network


def test_example_network_builds(cli, tmp_path):
    from conftest import make_project

    root = make_project(tmp_path / "example")
    network = load_site(root).network
    if network is None:
        pytest.skip("the example content has no network.yaml")
    out = root / "_site"
    result = cli(root, "build", "--out", str(out))
    assert result.code == 0, result.err
    # a city whose translators are still at work warns that a language is not published yet:
    # the example content may hold one (a city just added), anything else is a fault
    assert not [line for line in result.err.splitlines()
                if line.startswith("warning") and "is not published" not in line], result.err
    for lang in network.languages:
        page = out / f"index.{lang}.html"
        assert page.is_file(), lang
        for city in network.cities:
            assert f'href="{city}/index.html"' in page.read_text(encoding="utf-8")
        for href in relative_links(page):
            assert (out / href).is_file(), href
