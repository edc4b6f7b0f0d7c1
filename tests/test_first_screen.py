"""The first screen of a 360×800 phone, in Chromium, on the real example build: every
language of every city present (none named here).

Prints the measured positions (``pytest -s``); ``python tools/front_figures.py _site``
prints the same figures for any build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import front_figures

PHONE = front_figures.PHONE


def each_language(site: Path) -> list[tuple[str, str]]:
    return [(city.name, lang) for city in front_figures.cities(site) for lang in front_figures.languages(city)]


def phone(browser):
    return browser.new_context(viewport=PHONE, device_scale_factor=1, service_workers="block").new_page()


def test_search_and_topics_are_on_the_first_screen_of_every_home_page(browser, site: str, example_site) -> None:
    page = phone(browser)
    late = []
    for city, lang in each_language(example_site):
        y = front_figures.first_screen(page, f"{site}{city}/{lang}/index.html")
        print(f"{city}/{lang}: first tile y={y['tile']:.0f}, search field y={y['search']:.0f}")
        # the whole field and a whole first tile, not just their top edge
        tile = page.locator(".categories a").first.bounding_box()
        field = page.locator("#q").bounding_box()
        if max(tile["y"] + tile["height"], field["y"] + field["height"]) > PHONE["height"]:
            late.append(f"{city}/{lang}: tile {tile}, search {field}")
    page.context.close()
    assert late == []


def test_emergency_numbers_are_one_tap_away_on_every_page_type(browser, site: str, example_site) -> None:
    page = phone(browser)
    for number, (city, lang) in enumerate(each_language(example_site)):
        folder = example_site / city / lang
        types = ["index.html", "guide.html", "search.html",
                 *(min(folder.glob(f"{kind}/*.html")).relative_to(folder).as_posix()
                   for kind in ("categories", "services", "pages") if any(folder.glob(f"{kind}/*.html")))]
        # one page type a language, in turn: each type is checked in several languages and
        # cities, and the cost grows by one page a language
        for path in [types[number % len(types)]]:
            page.goto(f"{site}{city}/{lang}/{path}")
            sos = page.locator(".tools .sos")
            assert sos.bounding_box()["y"] + sos.bounding_box()["height"] <= PHONE["height"], path
            sos.click()
            page.wait_for_load_state("load")
            numbers = page.locator("#emergency a[href^='tel:']")
            assert numbers.count() >= 1, f"{city}/{lang}/{path}"
            box = numbers.first.bounding_box()  # scrolled to: the first number is on screen
            assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], f"{city}/{lang}/{path}"
    page.context.close()


def test_call_button_next_to_the_service_title(browser, site: str, example_site) -> None:
    page = phone(browser)
    checked, with_phones = 0, 0
    for city, lang in each_language(example_site):
        # a service with a phone field (its facts' <a class="call">); a tel: link written in a
        # service's text is no phone field, and a new city's starter service has none: no button
        services = [service for service in sorted((example_site / city / lang / "services").glob("*.html"))
                    if '<a class="call" href="tel:' in service.read_text(encoding="utf-8")]
        with_phones += bool(services)
        for service in services:
            page.goto(f"{site}{city}/{lang}/services/{service.name}")
            title, call = page.locator("h1").bounding_box(), page.locator(".call-now").bounding_box()
            phone_number = page.get_attribute("a.call", "href")
            assert page.get_attribute(".call-now", "href") == phone_number
            # on the title's line (or right below it when the title fills the line), on the first screen
            assert call["y"] < title["y"] + title["height"] + 8 and call["y"] + call["height"] <= PHONE["height"]
            assert call["height"] >= 48
            checked += 1
            break  # one service per language is enough: they share the template
    page.context.close()
    assert checked == with_phones > 0


def test_no_page_is_wider_than_the_phone(browser, site: str, example_site) -> None:
    """The home page and the whole guide (every service's facts, hours and text, tables in
    Markdown bodies included) in every language, and every page type: no sideways scrolling."""
    from browsing import page_types
    page = phone(browser)
    wide = []
    for number, (city, lang) in enumerate(each_language(example_site)):
        home, guide, *others = page_types(example_site / city / lang)
        # the home page and the whole guide (every document) in every language; the other
        # page types in turn, so each is seen in several languages and cities
        for path in (home, guide, others[number % len(others)]):
            page.goto(f"{site}{path.relative_to(example_site).as_posix()}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append(f"{path.relative_to(example_site)}: {width} px")
    page.context.close()
    assert wide == []
