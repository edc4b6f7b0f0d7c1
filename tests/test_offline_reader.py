"""A reader offline, in Chromium: the real example build served on 127.0.0.1, then the
network cut AND the server stopped, so only the service worker's caches can answer.

Each test runs for every city of the example build (whatever cities exist), in the last
language of the city's list.
"""

from __future__ import annotations

import re
import time
from html import unescape
from pathlib import Path

from browsing import Server

SAVE_DATA = "Object.defineProperty(navigator, 'connection', {value: {saveData: true}, configurable: true});"


def cities(site: Path) -> list[Path]:
    return sorted(p.parent for p in site.glob("*/sw.js"))


def last_language(city: Path) -> str:
    root = (city / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<li><a href="(\w[\w-]*)/index\.html" hreflang', root)[-1]


def cached(page, url: str, timeout: float = 30) -> None:
    """Wait until the worker's caches hold ``url`` (page.evaluate: the pages' CSP bars eval)."""
    end = time.monotonic() + timeout
    while not page.evaluate("u => caches.match(u).then(r => !!r)", url):
        assert time.monotonic() < end, f"{url} was never stored"
        time.sleep(0.2)


def styled(page) -> bool:
    """The site's stylesheet applies (the header's brand is a flex box only through it)."""
    return page.evaluate("getComputedStyle(document.querySelector('.brand')).display") == "flex"


def title_of(path: Path) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"))[1])


def offline_page_title(city: Path, lang: str) -> str:
    html = (city / lang / "offline.html").read_text(encoding="utf-8")
    return unescape(re.search(r"<h1>(.*?)</h1>", html)[1])


def test_pages_read_online_open_offline_and_others_get_a_working_offline_page(browser, example_site: Path) -> None:
    # two pages read and one never read: a city with three services at least (a new one may have one)
    checked = [city for city in cities(example_site)
               if len(list((city / last_language(city) / "services").glob("*.html"))) >= 3]
    assert checked
    for city in checked:
        read_offline(browser, example_site, city)


def read_offline(browser, site: Path, city: Path) -> None:
    lang = last_language(city)
    services = sorted(p.stem for p in (city / lang / "services").glob("*.html"))
    server = Server(site)
    # Save-Data on: the language is not saved unasked, so only what was read is kept.
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.add_init_script(SAVE_DATA)
    context.set_default_timeout(30_000)
    base = f"{server.url}{city.name}/{lang}/"
    try:
        page = context.new_page()
        page.goto(base + f"services/{services[0]}.html")  # the first page: read before the worker ran
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cached(page, base + f"services/{services[0]}.html")
        page.goto(base + f"services/{services[1]}.html")  # read through the worker
        cached(page, base + f"services/{services[1]}.html")
        assert not page.evaluate("u => caches.match(u).then(r => !!r)", base + f"services/{services[2]}.html")

        context.set_offline(True)
        server.stop()
        for name in services[:2]:  # read online: the page itself, with its stylesheet
            page.goto(base + f"services/{name}.html")
            assert page.title() == title_of(city / lang / "services" / f"{name}.html")
            assert styled(page)
        page.goto(base + f"services/{services[2]}.html")  # never read: the offline page, at that address
        assert page.url == base + f"services/{services[2]}.html"
        assert page.text_content("h1") == offline_page_title(city, lang)
        assert styled(page)
        assert page.locator("#emergency a[href^='tel:']").count() >= 1
        assert page.get_attribute("link[rel=stylesheet]", "href").startswith(base.rsplit("/", 2)[0])
        page.click("main .links a >> nth=0")  # "Home": the language's home page, from the worker's shell
        page.wait_for_load_state("load")
        assert page.url == base + "index.html"
        assert styled(page) and page.locator(".categories a").count() >= 1
    finally:
        context.close()
        if server.thread.is_alive():
            server.stop()


def test_the_first_visit_saves_the_language_unless_save_data(browser, example_site: Path) -> None:
    city = cities(example_site)[0]
    lang = last_language(city)
    home = (city / lang / "index.html").read_text(encoding="utf-8")
    saved = re.search(r'data-saved="([^"{]*)', home)[1]  # "Saved on this phone on " in the language
    unread = max((city / lang / "pages").glob("*.html")).relative_to(city).as_posix()
    server = Server(example_site)
    context = browser.new_context()
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(f"{server.url}{city.name}/{lang}/search.html")  # any page: the language is saved
        page.wait_for_selector(f"#save-status:has-text('{saved.strip()}')")
        assert page.is_visible("#save")  # one tap saves again, from any page
        context.set_offline(True)
        server.stop()
        page.goto(f"{server.url}{city.name}/{unread}")
        assert page.title() == title_of(city / unread)
        assert styled(page)
    finally:
        context.close()
        if server.thread.is_alive():
            server.stop()
