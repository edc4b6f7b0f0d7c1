#!/usr/bin/env python3
"""Check the page-weight budget and privacy rules of built sites.

    python tools/check_budgets.py [SITE_DIR]      (default: _site)

For every HTML page: the gzip size of the page plus each stylesheet and script it
loads (each compressed on its own, as a server would send them) must stay within BUDGET (the whole-guide page is measured, not held to it). Every page must also load nothing from another
host, the scripts must not touch cookies, and the page must be readable without
JavaScript (a <main> with a heading and text outside elements hidden until a
script shows them). Prints the median and maximum per page type; exits 1 on any
failure, listing each one.
"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

BUDGET = 14 * 1024  # bytes, gzip: what fits in the first round trips of a slow connection
# The whole guide holds every service and page of a language in one file, for printing or
# saving: its size is the content's, so it is measured and reported but not held to BUDGET.
EXEMPT_TYPES = {"guide"}
RESOURCE_ATTRS = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("audio", "src"),
                  ("video", "src"), ("video", "poster"), ("embed", "src"), ("object", "data"), ("input", "src"),
                  ("track", "src"), ("form", "action")}
LINK_RESOURCES = {"stylesheet", "icon", "manifest", "preload", "prefetch", "modulepreload", "apple-touch-icon"}
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


class PageParser(HTMLParser):
    """What a page loads, and the text a reader sees without JavaScript."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []
        self.headings = 0
        self._main = self._hidden = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("src", "href", "data", "action", "poster"):
            value = a.get(attr, "")
            resource = (tag, attr) in RESOURCE_ATTRS or (
                tag == "link" and attr == "href" and LINK_RESOURCES & set(a.get("rel", "").lower().split()))
            if resource and EXTERNAL.match(value):
                self.external.append(f"<{tag} {attr}={value!r}>")
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.styles.append(a["href"])
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag in {"br", "img", "input", "link", "meta", "hr", "source", "wbr", "area", "col", "embed", "track"}:
            return
        hidden = "hidden" in a
        self._stack.append((tag, hidden))
        self._hidden += hidden
        self._main += tag == "main"
        if self._main and not self._hidden and tag in {"h1", "h2"}:
            self.headings += 1

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            name, hidden = self._stack.pop()
            self._hidden -= hidden
            self._main -= name == "main"
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._main and not self._hidden and self._stack and self._stack[-1][0] not in {"script", "style"}:
            self.text.append(data)


def page_type(rel: Path) -> str:
    """root, home, category, service, page, guide, search, offline (or a root-level page's name)."""
    parts = rel.parts
    if len(parts) == 1:
        return "root" if parts[0] == "index.html" else parts[0].removesuffix(".html")
    if len(parts) == 2:
        return {"index.html": "home"}.get(parts[1], parts[1].removesuffix(".html"))
    return {"categories": "category", "services": "service", "pages": "page"}.get(parts[1], parts[1])


def gz(data: bytes) -> int:
    """Size once gzip-compressed at the level web servers commonly use."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def check_city(city: Path, sizes: dict[str, list[tuple[int, str]]], failures: list[str]) -> None:
    """Measure and check every page of one city folder."""
    cache: dict[Path, int] = {}
    for script in city.rglob("*.js"):
        if "document.cookie" in script.read_text(encoding="utf-8"):
            failures.append(f"{script}: uses document.cookie")
    for css in city.rglob("*.css"):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            if EXTERNAL.match(match[1] or match[2]):
                failures.append(f"{css}: loads {match[0]!r} from another host")
    for page in sorted(city.rglob("*.html")):
        html = page.read_bytes()
        parser = PageParser()
        parser.feed(html.decode("utf-8"))
        total = gz(html)
        for ref in parser.styles + parser.scripts:
            if EXTERNAL.match(ref):
                continue  # reported below
            target = (page.parent / ref.split("?")[0]).resolve()
            if target not in cache:
                cache[target] = gz(target.read_bytes()) if target.is_file() else 0
                if not target.is_file():
                    failures.append(f"{page}: {ref} does not exist")
            total += cache[target]
        rel = page.relative_to(city)
        sizes[page_type(rel)].append((total, f"{city.name}/{rel.as_posix()}"))
        if total > BUDGET and page_type(rel) not in EXEMPT_TYPES:
            failures.append(f"{page}: {total} bytes gzip (HTML + CSS + JS), over the {BUDGET} budget")
        for item in parser.external:
            failures.append(f"{page}: loads from another host: {item}")
        if not parser.headings or len("".join(parser.text).split()) < 3:
            failures.append(f"{page}: not readable without JavaScript (no visible heading and text in <main>)")


def check_site(site: Path) -> tuple[dict[str, list[tuple[int, str]]], list[str]]:
    """Sizes per page type and failures for every city folder of ``site``."""
    sizes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    failures: list[str] = []
    for city in sorted(p for p in site.iterdir() if p.is_dir() and not p.name.startswith(".")):
        check_city(city, sizes, failures)
    return sizes, failures


def report(sizes: dict[str, list[tuple[int, str]]]) -> str:
    """A table: pages, median and max gzip bytes per page type."""
    lines = [f"{'page type':<10} {'pages':>5} {'median':>8} {'max':>8}  largest"]
    for kind in sorted(sizes):
        values = sorted(sizes[kind])
        lines.append(f"{kind:<10} {len(values):>5} {statistics.median(v for v, _ in values):>8.0f} "
                     f"{values[-1][0]:>8}  {values[-1][1]}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "_site")
    if not site.is_dir():
        print(f"{site}: no such folder; build the site first (python build.py)", file=sys.stderr)
        return 2
    sizes, failures = check_site(site)
    print(report(sizes))
    print(f"budget: {BUDGET} bytes gzip per page (HTML + CSS + JS; "
          f"not applied to: {', '.join(sorted(EXEMPT_TYPES))})")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
