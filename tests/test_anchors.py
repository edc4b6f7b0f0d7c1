"""Heading ids of Markdown bodies (ici_site/site/anchors.py): slugs, uniqueness on every page of
the real example build, and links to them through the link check."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO

from ici_site.site import anchors


@pytest.mark.parametrize("text, expected", [
    ("Inscription à l'école", "inscription-a-l-ecole"),
    ("Pieteikšanās kārtība", "pieteiksanas-kartiba"),
    ("Запис на курс", "запис-на-курс"),
    ("التسجيل", "التسجيل"),
    ("التَّسْجِيل", "التَّسْجِيل"),  # marks on Arabic letters are part of the word: kept
    ("नामांकन कैसे करें", "नामांकन-कैसे-करें"),  # Devanagari vowel signs kept
    ("  Horaires (été 2026) !  ", "horaires-ete-2026"),
    ("???", "section"),
    ("ﬁnale", "finale"),  # compatibility forms folded
])
def test_slug(text: str, expected: str) -> None:
    assert anchors.slug(text) == expected


def test_ids_are_unique_and_never_a_templates_own() -> None:
    assert anchors.unique_ids(["Horaires", "Horaires", "Main", "Emergency", "Horaires-2"]) == [
        "horaires", "horaires-2", "main-2", "emergency-2", "horaires-2-2"]


def test_reserved_names_every_id_the_templates_write() -> None:
    written = set()
    for template in (REPO / "templates").glob("*.html"):
        written |= set(re.findall(r'\sid="([a-z][a-z0-9-]*)"', template.read_text(encoding="utf-8")))
    assert written <= anchors.RESERVED


def test_ids_come_from_the_source_language_and_a_prefix_keeps_bodies_apart() -> None:
    source = '<h2>Comment s\'inscrire</h2><p>x <a href="#comment-s-inscrire">ici</a></p><h3>Horaires</h3>'
    translated = '<h2>How to register</h2><p>x <a href="#comment-s-inscrire">here</a></p><h3>Hours</h3>'
    html = anchors.add_heading_ids(translated, source)
    assert '<h2 id="comment-s-inscrire">How to register</h2>' in html and '<h3 id="horaires">Hours</h3>' in html
    prefixed = anchors.prefix_ids(html, "service-cours--")
    assert 'id="service-cours--comment-s-inscrire"' in prefixed
    assert 'href="#service-cours--comment-s-inscrire"' in prefixed


def test_every_page_of_the_example_build_has_unique_ids(example_site: Path) -> None:
    repeated = []
    for page in example_site.rglob("*.html"):
        counts = Counter(re.findall(r'\sid="([^"]*)"', page.read_text(encoding="utf-8")))
        repeated += [f"{page.relative_to(example_site)}: {i}" for i, n in counts.items() if n > 1]
    assert repeated == []


def test_same_section_id_in_every_language(example_site: Path) -> None:
    with_headings = {}
    for city in sorted(p.parent for p in example_site.glob("*/sw.js")):  # a new city may have no headings yet
        languages = sorted(p.parent.name for p in city.glob("*/pages.json"))
        found: dict[str, list[list[str]]] = {}
        for lang in languages:
            for page in sorted((city / lang / "services").glob("*.html")):
                found.setdefault(f"{city.name}/{page.name}", []).append(
                    re.findall(r'<h[2-6] id="([^"]+)"', page.read_text(encoding="utf-8").split('class="text"')[1]))
        with_headings.update({name: ids for name, ids in found.items() if ids[0]})
    assert with_headings
    for name, ids in with_headings.items():
        assert all(i == ids[0] for i in ids), name


def test_editors_link_to_a_section_and_a_wrong_one_is_reported(project, cli) -> None:
    root = project("basic")
    services = sorted((root / "content").glob("*/services/*.md"))
    target, source = services[0], services[-1]
    target.write_text(target.read_text(encoding="utf-8") + "\n## Pièces à fournir\n\nLa liste.\n", encoding="utf-8")
    body = source.read_text(encoding="utf-8")
    source.write_text(body + f"\nVoir [la liste]({target.name}#pieces-a-fournir).\n", encoding="utf-8")
    result = cli(root, "build")
    assert result.code == 0, result.err
    out = next((root / "_site").glob(f"*/*/services/{source.stem}.html"))
    assert f'href="{target.stem}.html#pieces-a-fournir"' in out.read_text(encoding="utf-8")
    source.write_text(body + f"\nVoir [la liste]({target.name}#pieces).\n", encoding="utf-8")
    result = cli(root, "build")
    assert result.code == 1
    assert "#pieces" in result.err and source.name in result.err


def test_a_heading_a_translation_added_gets_an_id_of_its_own_after_the_source_s() -> None:
    """The source's ids go to the translation's headings in order; a heading the translation
    added beyond them gets the slug of its own text, numbered by its place."""
    source = "<h2>Horaires</h2><p>x</p>"
    translated = "<h2>Hours</h2><p>x</p><h3>Also <em>this</em></h3><h2>Hours</h2>"
    assert anchors.add_heading_ids(translated, source) == (
        '<h2 id="horaires">Hours</h2><p>x</p><h3 id="also-this-2">Also <em>this</em></h3><h2 id="hours-2-3">Hours</h2>')
    assert anchors.add_heading_ids("<p>no heading</p>", source) == "<p>no heading</p>"
