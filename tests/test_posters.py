"""Printable posters: their QR code, rendered by Chromium and read by zbarimg, opens the
page in the poster's language."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from browsing import Server
from conftest import require_tool
from test_sitemap import BASE, set_base_url


def decode(png: Path) -> str:
    """What a QR code decoder (zbar) reads in an image."""
    zbarimg = shutil.which("zbarimg")
    require_tool(zbarimg is not None, "zbarimg (Debian zbar-tools)")
    assert zbarimg is not None
    done = subprocess.run([zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_poster_qr_codes_open_the_page_in_their_language(project, cli, browser, tmp_path) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    expected = {
        "ar/posters/cours-de-francais.html": BASE + "ar/services/cours-de-francais.html",
        "fr/posters/conseil-juridique.html": BASE + "fr/services/conseil-juridique.html",
        "en/poster.html": BASE + "en/index.html",
    }
    for lang in ("fr", "en", "ar"):  # a poster per service and one for the city, in every language
        assert {p.name for p in (city / lang / "posters").iterdir()} == {
            "cours-de-francais.html", "conseil-juridique.html"}
        assert (city / lang / "poster.html").is_file()
    server = Server(root / "_site")
    try:
        context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
        page = context.new_page()
        for path, url in expected.items():
            page.goto(server.url + "demoville/" + path)
            shot = tmp_path / (path.replace("/", "-") + ".png")
            page.locator("svg.qr").screenshot(path=str(shot))
            assert decode(shot) == url, path
            assert page.locator("figcaption a").get_attribute("href") == url
        page.goto(server.url + "demoville/ar/posters/cours-de-francais.html")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("h1").inner_text() == "دروس اللغة الفرنسية"
        assert "01 99 00 00 02" in page.locator("dl").inner_text()
        assert page.locator("table tr").count() == 7  # the week's opening hours
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # it fits on one A4 page
        context.close()
    finally:
        server.stop()


def test_no_posters_without_base_url(project, cli) -> None:
    root = project("basic")
    set_base_url(root, None)
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    assert not list(city.glob("*/posters")) and not list(city.glob("*/poster.html"))
    assert not (city / "assets" / "poster.css").exists()
