#!/usr/bin/env python3
"""Measure the reader's side of built sites in Chromium, and print the figures.

    python tools/front_figures.py [SITE_DIR]      (default: _site)

For every city folder and every language in it:

- first screen: y (CSS px from the top of the page) of the first category tile and of
  the search field on the home page at 360×800; both must be < 800;
- print: A4 pages of the whole guide (Chromium's ``page.pdf(format="A4")``);
- saved: the files "save this language" stores (``<lang>/pages.json``): count, bytes,
  bytes gzip -6 (what a first visit downloads when it saves the language).

Serves SITE_DIR on 127.0.0.1 (port chosen by the system) and drives Debian's Chromium
through Playwright; no request leaves the machine. The browser tests use the same
functions (tests/test_first_screen.py, tests/test_print.py, tests/test_offline_reader.py).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import shutil
import sys
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
PHONE = {"width": 360, "height": 800}
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def cities(site: Path) -> list[Path]:
    """Every city folder of a built site (a folder with a service worker)."""
    return sorted(p.parent for p in site.glob("*/sw.js"))


def languages(city: Path) -> list[str]:
    """Every language folder of a built city."""
    return sorted(p.parent.name for p in city.glob("*/pages.json"))


def first_screen(page, url: str) -> dict[str, float]:
    """y of the first category tile and of the search field on the home page at ``url``
    (the page must be 360×800)."""
    page.goto(url)
    return {"tile": page.locator(".categories a").first.bounding_box()["y"],
            "search": page.locator("input[type=search], form.search input").first.bounding_box()["y"]}


def pdf_pages(page, url: str) -> int:
    """A4 pages of the page at ``url`` printed by Chromium."""
    page.goto(url, wait_until="load")
    return len(PDF_PAGE.findall(page.pdf(format="A4")))


def saved_bytes(city: Path, lang: str) -> tuple[int, int, int]:
    """(files, bytes, bytes gzip -6) that saving ``lang`` stores."""
    files = json.loads((city / lang / "pages.json").read_text(encoding="utf-8"))
    data = [(city / name).read_bytes() for name in files]
    return len(files), sum(map(len, data)), sum(len(gzip.compress(d, 6)) for d in data)


class Server:
    """A static file server on 127.0.0.1, in a thread."""

    def __init__(self, folder: Path) -> None:
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(Quiet, directory=str(folder)))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def main(argv: list[str]) -> int:
    """Measure SITE_DIR (argv[0], default _site); exit 1 if a first screen misses its target."""
    site = Path(argv[0] if argv else "_site")
    server = Server(site)
    try:
        failed = report(site, server.url)
    finally:
        server.stop()
    return 1 if failed else 0


def report(site: Path, url: str) -> bool:
    """Print one line per city and language; True if a first screen misses its target."""
    from playwright.sync_api import sync_playwright

    failed = False
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone = browser.new_context(viewport=PHONE, service_workers="block").new_page()
        paper = browser.new_context(service_workers="block").new_page()
        print(f"{'city/lang':34} {'tile y':>7} {'search y':>9} {'A4 pages':>9} {'saved files':>12} "
              f"{'bytes':>9} {'gzip':>8}")
        for city in cities(site):
            for lang in languages(city):
                base = f"{url}{city.name}/{lang}/"
                y = first_screen(phone, base + "index.html")
                pages = pdf_pages(paper, base + "guide.html")
                files, raw, packed = saved_bytes(city, lang)
                failed |= max(y.values()) >= PHONE["height"]
                print(f"{city.name + '/' + lang:34} {y['tile']:7.0f} {y['search']:9.0f} {pages:9d} {files:12d} "
                      f"{raw:9d} {packed:8d}")
        browser.close()
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
