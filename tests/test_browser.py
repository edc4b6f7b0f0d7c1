"""The example sites in a real browser: Debian's Chromium driven by Playwright, served on 127.0.0.1.

Locally these tests skip when Chromium, Playwright or the npm tools are missing; in CI
(``CI`` set) that is a failure, and .ci/run installs them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from browsing import ARTIFACTS, Server, axe_violations

SJ, JELGAVA = "saint-jean-de-la-ruelle", "jelgava"


PAGES = {
    "home": "index.html", "category": "categories/{category}.html", "service": "services/{service}.html",
    "page": "pages/{page}.html", "guide": "guide.html", "search": "search.html?q={query}", "offline": "offline.html",
}
CITIES = {
    SJ: (("fr", "ar", "uk"), {"category": "registration", "service": "aide-aux-demarches",
                              "page": "premiers-pas", "query": "cours"}),
    JELGAVA: (("lv", "uk"), {"category": "housing", "service": "bernudarzs", "page": "pirmie-soli",
                             "query": "kurss"}),
}


def test_no_wcag_violation_on_any_page_type(browser, site: str) -> None:
    # bypass_csp: the pages' policy rightly refuses the injected axe-core script.
    context = browser.new_context(service_workers="block", bypass_csp=True)
    page = context.new_page()
    problems = []
    checked = 0
    for city, (languages, names) in CITIES.items():
        targets = [f"{city}/index.html#choose"]
        targets += [f"{city}/{lang}/{path.format(**names)}" for lang in languages for path in PAGES.values()]
        for target in targets:
            page.goto(site + target)
            page.wait_for_load_state("load")
            problems += [f"{target}: {v}" for v in axe_violations(page)]
            checked += 1
    context.close()
    assert checked == 1 + 3 * 7 + 1 + 2 * 7
    assert problems == []


def test_arabic_pages_are_right_to_left_and_mirrored(browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, service_workers="block")
    page = context.new_page()
    boxes = {}
    for lang in ("ar", "fr"):
        page.goto(f"{site}{SJ}/{lang}/services/aide-aux-demarches.html")
        boxes[lang] = (page.locator("html").get_attribute("dir"), page.locator("h1").bounding_box(),
                       page.locator(".brand").bounding_box(), page.locator(".facts dt").first.bounding_box())
    context.close()
    (ar_dir, ar_h1, ar_brand, ar_dt), (fr_dir, _fr_h1, fr_brand, fr_dt) = boxes["ar"], boxes["fr"]
    assert (ar_dir, fr_dir) == ("rtl", "ltr")
    # Mirrored: the logo and the labels start at the right edge in Arabic, at the left in French.
    assert ar_brand["x"] + ar_brand["width"] > 340 and ar_brand["x"] > 100
    assert fr_brand["x"] < 20
    assert ar_dt["x"] + ar_dt["width"] > 330 and fr_dt["x"] < 30
    assert ar_h1["x"] + ar_h1["width"] > 330


def test_saved_language_opens_offline(browser, example_site: Path) -> None:
    server = Server(example_site)
    context = browser.new_context()
    try:
        page = context.new_page()
        context.set_default_timeout(30_000)
        page.goto(f"{server.url}{SJ}/ar/index.html")
        page.click("#save")  # waits for the service worker, then stores every Arabic page
        # (not wait_for_function: the page's CSP forbids the eval it needs)
        page.wait_for_selector("#save-status:has-text('حُفظ')", timeout=30_000)
        saved_text = page.text_content("#save-status")
        context.set_offline(True)
        server.stop()
        page.goto(f"{server.url}{SJ}/ar/services/creche.html")
        assert page.locator("html").get_attribute("lang") == "ar"
        html = (example_site / SJ / "ar/services/creche.html").read_text(encoding="utf-8")
        assert page.text_content("h1") == re.search(r"<h1>(.*?)</h1>", html)[1]
        page.goto(f"{server.url}{SJ}/ar/search.html?q=domiciliation")
        page.wait_for_selector("#results li a")
        assert page.get_attribute("#results li a", "href") == "services/aide-aux-demarches.html"
        page.goto(f"{server.url}{SJ}/fr/services/creche.html")  # French was not saved
        assert page.text_content("h1") == "Vous êtes hors connexion"
        page.goto(f"{server.url}{SJ}/ar/index.html")
        assert page.text_content("#save-status") == saved_text  # the date it was saved, shown again
    finally:
        context.close()
        if server.thread.is_alive():
            server.stop()


@pytest.mark.parametrize("locale, expected", [("uk-UA", "uk"), ("ar-EG", "ar"), ("de-DE", None)])
def test_root_opens_the_browser_language(browser, site: str, locale: str, expected: str | None) -> None:
    context = browser.new_context(locale=locale, service_workers="block")
    page = context.new_page()
    page.goto(f"{site}{SJ}/index.html")
    if expected:
        page.wait_for_url(f"**/{SJ}/{expected}/index.html")
        assert page.locator("html").get_attribute("lang") == expected
    else:
        page.wait_for_timeout(300)
        assert page.url.endswith(f"{SJ}/index.html")  # no match: the list stays
    context.close()


def test_root_prefers_the_remembered_choice(browser, site: str) -> None:
    context = browser.new_context(locale="fr-FR", service_workers="block")
    page = context.new_page()
    page.goto(f"{site}{SJ}/index.html")
    page.wait_for_url(f"**/{SJ}/fr/index.html")
    page.click(".langs summary")  # the switcher opens, as a reader taps it
    page.click(".langs a[hreflang='uk']")
    page.wait_for_url(f"**/{SJ}/uk/index.html")
    page.goto(f"{site}{SJ}/index.html")
    page.wait_for_url(f"**/{SJ}/uk/index.html")
    context.close()


@pytest.mark.parametrize("query, lang, expected", [
    ("titre de séjour", "ar", "services/aide-aux-demarches.html"),  # source-language words on an Arabic page
    ("domiciliation", "uk", "services/aide-aux-demarches.html"),
    ("житло", "uk", "services/aide-au-logement.html"),
])
def test_search_finds_the_expected_service(browser, site: str, query: str, lang: str, expected: str) -> None:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(f"{site}{SJ}/{lang}/search.html")
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector("#results li a")
    hrefs = page.eval_on_selector_all("#results li a", "links => links.map(a => a.getAttribute('href'))")
    assert expected in hrefs[:3]
    assert page.is_hidden(".no-search")
    context.close()


def test_search_works_from_disk(browser, example_site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto((example_site / JELGAVA / "lv" / "search.html").as_uri() + "?q=bērnudārz")
    page.wait_for_selector("#results li a")
    assert "services/bernudarzs.html" in page.eval_on_selector_all(
        "#results li a", "links => links.map(a => a.getAttribute('href'))")
    page.goto((example_site / JELGAVA / "lv" / "index.html").as_uri())
    assert page.is_visible(".cannot-save") and page.is_hidden("#save")  # said plainly, no broken button
    context.close()


def test_open_now_in_the_city_time_zone(browser, site: str) -> None:
    # The reader's phone is set to Tokyo; the hours are those of Saint-Jean (Paris, UTC+1 in November).
    context = browser.new_context(timezone_id="Asia/Tokyo", service_workers="block")
    page = context.new_page()
    url = f"{site}{SJ}/uk/services/aide-aux-demarches.html"  # Fr 08:30-12:00; Sa 09:00-12:00
    page.clock.set_fixed_time(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))  # 11:00 in Paris
    page.goto(url)
    assert page.text_content(".now") == "Зараз відчинено. Зачиняється о 12:00."
    page.clock.set_fixed_time(dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC))  # 15:00 on Friday
    page.goto(url)
    assert page.text_content(".now") == "Зараз зачинено. Відчиниться: субота, 09:00."
    page.clock.set_fixed_time(dt.datetime(2026, 11, 21, 6, 0, tzinfo=dt.UTC))  # 07:00 on Saturday
    page.goto(url)
    assert page.text_content(".now") == "Зараз зачинено. Відчиниться сьогодні о 09:00."
    context.close()


def test_every_page_type_reads_without_javascript(browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}{SJ}/index.html")
    assert page.locator(".choose a").count() == 4  # no redirect: the list just works
    page.goto(f"{site}{SJ}/ar/services/aide-aux-demarches.html")
    assert page.is_visible("h1") and page.is_visible(".hours table") and page.is_visible("a.call")
    assert page.is_hidden(".now") and page.is_hidden("#listen")
    page.goto(f"{site}{SJ}/ar/search.html")
    assert page.is_visible(".no-search")
    page.goto(f"{site}{SJ}/ar/index.html")
    assert page.is_visible(".cannot-save") and page.is_visible(".categories")
    context.close()


def test_no_request_leaves_the_machine(browser, site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    for path in ("index.html", "uk/index.html", "uk/services/aide-aux-demarches.html", "uk/search.html?q=cours",
                 "uk/guide.html"):
        page.goto(f"{site}{SJ}/{path}", wait_until="networkidle")
    assert hosts == {site.split("/")[2]}
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("lang", ["ar", "uk"])
def test_service_page_screenshots_at_360_px(browser, site: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=1,
                                  service_workers="block")
    page = context.new_page()
    page.goto(f"{site}{SJ}/{lang}/services/aide-aux-demarches.html")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"service-{lang}-360x800.png"))
    page.screenshot(path=str(ARTIFACTS / f"service-{lang}-360-full.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360  # nothing wider than the phone: no sideways scrolling
    assert (ARTIFACTS / f"service-{lang}-360x800.png").stat().st_size > 10_000


LISTEN_STUB = """
window.__spoken = [];
const voices = [{lang: 'uk-UA', name: 'Test voice', default: true}];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, 'speechSynthesis', {value: {
  speaking: false, getVoices: () => voices, cancel() {}, addEventListener() {},
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); }
}});
"""


def test_listen_reads_the_page_in_its_language_with_phone_numbers_digit_by_digit(browser, site: str) -> None:
    # Headless Chromium has no voices: the device's speech synthesis is stood in for by a
    # stub with one Ukrainian voice, so the button's own logic runs unchanged.
    context = browser.new_context(service_workers="block")
    context.add_init_script(LISTEN_STUB)
    page = context.new_page()
    page.goto(f"{site}{SJ}/uk/services/aide-aux-demarches.html")
    page.click("#listen")
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "uk" and spoken[0]["voice"] == "Test voice"
    assert "0 1 9 9 0 0 1 6 7 0" in spoken[0]["text"]  # "01 99 00 16 70", one digit at a time
    assert "Допомога з оформленням документів" in spoken[0]["text"]
    page.goto(f"{site}{SJ}/ar/services/aide-aux-demarches.html")  # no Arabic voice: no button
    assert page.is_hidden("#listen")
    context.close()


def test_tap_targets_are_at_least_48_px_high_outside_running_text(browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, service_workers="block")
    page = context.new_page()
    small = []
    for path in ("index.html", "ar/index.html", "ar/categories/registration.html",
                 "ar/services/aide-aux-demarches.html", "uk/search.html?q=cours", "uk/guide.html",
                 "uk/pages/premiers-pas.html", "uk/offline.html"):
        page.goto(f"{site}{SJ}/{path}")
        small += [f"{path}: {found}" for found in page.evaluate("""() =>
            [...document.querySelectorAll('a, button, input')]
            .filter(e => e.offsetParent && !e.closest('.text, .notice, td, .skip, p:not(.actions):not(.can-save)'))
            .filter(e => e.getBoundingClientRect().height < 48)
            .map(e => e.tagName + ' ' + (e.textContent || e.name).trim().slice(0, 40))""")]
    context.close()
    assert small == []
