"""The whole guide on paper, in Chromium: the real example build printed to A4 PDF in every
language of every city present, and each service's QR code read back by zbarimg.

Prints the page counts (``pytest -s``); ``python tools/front_figures.py _site`` prints them
for any build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

from conftest import REPO, require_tool

sys.path.insert(0, str(REPO / "tools"))
import front_figures


def each_language(site: Path) -> list[tuple[Path, str]]:
    return [(city, lang) for city in front_figures.cities(site) for lang in front_figures.languages(city)]


def test_the_guide_prints_compactly(browser, site: str, example_site: Path) -> None:
    page = browser.new_context(service_workers="block").new_page()
    too_long = []
    for city, lang in each_language(example_site):
        documents = len(list((city / lang / "services").glob("*.html"))) + len(list((city / lang / "pages").glob("*.html")))
        pages = front_figures.pdf_pages(page, f"{site}{city.name}/{lang}/guide.html")
        print(f"{city.name}/{lang}: {pages} A4 pages for {documents} services and pages")
        # At most one sheet per service or page, plus one (it was 33 sheets for 10 services,
        # most nearly empty, when every category started a new sheet).
        if not 0 < pages <= documents + 1:
            too_long.append(f"{city.name}/{lang}: {pages} pages for {documents} documents")
    page.context.close()
    assert too_long == []


def test_each_printed_service_has_a_qr_code_of_its_page(browser, site: str, example_site: Path,
                                                         tmp_path: Path) -> None:
    require_tool(shutil.which("zbarimg") is not None, "zbarimg (zbar-tools)")
    context = browser.new_context(service_workers="block", device_scale_factor=2)
    page = context.new_page()
    page.emulate_media(media="print")
    checked = 0
    for number, (city, lang) in enumerate(each_language(example_site)):
        guide = (city / lang / "guide.html").read_text(encoding="utf-8")
        base = re.search(r'<link rel="canonical" href="([^"]+)/' + lang + '/guide.html"', guide)
        if base is None:
            assert 'class="qr-code"' not in guide  # no base_url: nothing to point a code at
            continue
        services = re.findall(r'<article class="service" id="service-([^"]+)"', guide)
        assert guide.count('<p class="qr-code">') == len(services) > 0
        page.goto(f"{site}{city.name}/{lang}/guide.html")
        index = len(services) - 1 if number % 2 else 0  # the first service, or the last, in turn
        shot = tmp_path / f"qr-{city.name}-{lang}-{index}.png"
        page.locator("p.qr-code svg").nth(index).screenshot(path=str(shot))
        read = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], check=False, capture_output=True, text=True)
        url = f"{unescape(base[1])}/{lang}/services/{services[index]}.html"
        assert read.stdout.strip() == url, (read.returncode, read.stderr)
        assert url in page.text_content("p.qr-code >> nth=" + str(index))  # the address, printed beside
        checked += 1
    context.close()
    assert checked > 0, "no city of the example build has a base_url"


def test_qr_codes_are_not_on_screen(browser, site: str, example_site: Path) -> None:
    """On screen the guide links to each page; the codes are for paper only (and cost no request)."""
    page = browser.new_context(service_workers="block").new_page()
    with_codes = [(c, lang) for c, lang in each_language(example_site)
                  if 'class="qr-code"' in (c / lang / "guide.html").read_text(encoding="utf-8")]
    city, lang = with_codes[0]
    page.goto(f"{site}{city.name}/{lang}/guide.html")
    assert page.locator("p.qr-code").count() > 0 and page.is_hidden("p.qr-code >> nth=0")
    page.emulate_media(media="print")
    assert page.is_visible("p.qr-code >> nth=0")
    page.context.close()
