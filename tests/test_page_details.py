"""What every page of the real example build carries for readers and machines: meta
description, machine-readable dates, emergency numbers where a reader may be stuck,
Save on every page, the demo notice in every language of the chooser, the city named once."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path


def cities(site: Path) -> list[Path]:
    return sorted(p.parent for p in site.glob("*/sw.js"))


def reader_pages(city: Path) -> list[Path]:
    """The pages a reader browses: not the A4 posters (printed sheets with a QR code to a page)."""
    return sorted(p for p in city.glob("*/**/*.html") if p.name != "poster.html" and p.parent.name != "posters")


def test_every_page_has_its_own_description(example_site: Path) -> None:
    for city in cities(example_site):
        for page in reader_pages(city) + [city / "index.html"]:
            html = page.read_text(encoding="utf-8")
            description = re.search(r'<meta name="description" content="([^"]+)">', html)
            assert description and description[1].strip(), page
        service = next(city.glob("*/services/*.html")).read_text(encoding="utf-8")
        summary = re.search(r'<p class="summary">(.*?)</p>', service, re.DOTALL)[1]
        description = re.search(r'<meta name="description" content="([^"]+)">', service)[1]
        assert unescape(re.sub(r"<[^>]+>", "", summary)).startswith(unescape(description)[:40])


def test_checked_on_dates_are_machine_readable(example_site: Path) -> None:
    for page in example_site.glob("*/*/services/*.html"):
        html = page.read_text(encoding="utf-8")
        reviewed = re.search(r'<p class="reviewed">(.*?)</p>', html, re.DOTALL)[1]
        assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">[^<]+</time>', reviewed), page
    for guide in example_site.glob("*/*/guide.html"):
        assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', guide.read_text(encoding="utf-8"))


def test_emergency_numbers_where_a_reader_may_be_stuck(example_site: Path) -> None:
    for city in cities(example_site):
        for name in ("offline.html", "guide.html", "index.html"):
            for page in city.glob(f"*/{name}"):
                section = re.search(r'<section class="emergency" id="emergency".*?</section>',
                                    page.read_text(encoding="utf-8"), re.DOTALL)
                assert section and 'href="tel:112"' in section[0], page


def test_save_and_the_emergency_link_on_every_reader_page(example_site: Path) -> None:
    for city in cities(example_site):
        for page in reader_pages(city):
            html = page.read_text(encoding="utf-8")
            assert '<button type="button" id="save" hidden data-lang="' in html, page
            link = re.search(r'<a class="sos" href="([^"]*)#emergency"', html)
            assert link, page
            target = (page.parent / link[1]).resolve() if link[1] else page
            assert 'id="emergency"' in target.read_text(encoding="utf-8"), page


def test_worker_stores_each_language_home_and_offline_page(example_site: Path) -> None:
    for city in cities(example_site):
        shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", (city / "sw.js").read_text())[1])
        languages = sorted(p.parent.name for p in city.glob("*/pages.json"))
        for lang in languages:
            assert {f"{lang}/index.html", f"{lang}/offline.html"} <= set(shell)
        assert all((city / path).is_file() for path in shell)


def test_chooser_says_it_is_an_example_in_every_language(example_site: Path) -> None:
    for city in cities(example_site):
        html = (city / "index.html").read_text(encoding="utf-8")
        languages = re.findall(r'<li><a href="[^"]+" hreflang="([^"]+)"', html)
        notices = dict(re.findall(r'<li lang="([^"]+)" dir="(?:ltr|rtl)">([^<]+)</li>',
                                  re.search(r'<ul class="demo">(.*?)</ul>', html, re.DOTALL)[1]))
        assert sorted(notices) == sorted(languages)
        assert len(set(notices.values())) == len(languages)  # each in its own words


def test_home_page_names_the_city_once(example_site: Path) -> None:
    for city in cities(example_site):
        for home in city.glob("*/index.html"):
            html = home.read_text(encoding="utf-8")
            name = re.search(r'<h1 class="brand">.*?<span>(.*?)</span></h1>', html, re.DOTALL)[1]
            main = html.split('<main id="main">')[1].split("</main>")[0]
            assert f">{name}<" not in main and "<h1" not in main, home
        for guide in city.glob("*/guide.html"):
            html = guide.read_text(encoding="utf-8")
            assert re.search(r"<h1>[^<]+</h1>", html)[0].count(":") == 0  # not "City: The whole guide"


def test_stylesheet_is_minified_without_touching_strings() -> None:
    from ici_site.site.front import minify_css
    css = "/* the reader's note */\n.a > .b ,\n.c { content: \"⚑  \" ; inline-size: calc(50% - .25rem); }\n"
    assert minify_css(css) == '.a>.b,.c{content: "⚑  ";inline-size: calc(50% - .25rem);}\n'


def test_built_stylesheet_is_minified(example_site: Path) -> None:
    for css in example_site.glob("*/assets/style.css"):
        text = css.read_text(encoding="utf-8")
        assert "/*" not in text and text.count("\n") == 1 and '.hint::before{content: "⚑ ";}' in text
