"""What the search costs a reader, measured in Chromium on a built site.

    python bench/search.py SITE_DIR [--city CITY] [--queries 30]

For each city and language: the gzip bytes of the search page before the reader
types (the page, its stylesheet and scripts: what the budget counts), and the gzip
bytes each query then loads (index head, stemmers, shards: every request the page
makes after the query is typed, each file compressed on its own as a server would
send it). The queries are seeded samples of one to three words from the titles,
summaries and text of the index, typed into the real page; each query is run in a
fresh page (nothing cached), so the figure is what a first query costs. Prints the
median and maximum per language. Not a test: run it by hand and quote its figures.

A 60-service city with 12 languages: ``python bench/generate.py --size large DIR``,
``python build.py --root DIR build bench-city-1``, then this on ``DIR/_site``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tools"))

from browsing import ARGS, CHROMIUM, Server
from check_budgets import PageParser

SEED = 20261203


def gz(path: Path) -> int:
    """Gzip size of a file, as a server sends it (level 6)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def page_cost(page: Path) -> int:
    """The search page with the stylesheets and scripts it loads before anyone types."""
    parser = PageParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return gz(page) + sum(gz((page.parent / ref).resolve()) for ref in parser.styles + parser.scripts)


def sample_queries(folder: Path, count: int, rng: random.Random) -> list[str]:
    """Seeded queries of one to three words taken from the index's documents."""
    text = (folder / "search" / "docs.js").read_text(encoding="utf-8")
    docs = json.loads(text[text.index("(") + 1:text.rindex(")")])["docs"]
    words = [w for doc in docs for w in " ".join(doc[1:]).replace(".", " ").replace(",", " ").split() if len(w) > 2]
    return [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(count)]


def query_costs(browser, server: Server, site: Path, city: str, lang: str, queries: list[str]) -> list[int]:
    """Gzip bytes loaded by each query, typed into a fresh search page."""
    costs = []
    for query in queries:
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        page.goto(f"{server.url}{city}/{lang}/search.html")
        page.wait_for_load_state("networkidle")
        loaded: list[str] = []
        page.on("request", lambda request, into=loaded: into.append(request.url.removeprefix(server.url)))
        page.fill("#q", query)
        page.press("#q", "Enter")
        page.wait_for_selector(f"#results[data-query='{query}']".replace("\\", "\\\\"), state="attached")
        costs.append(sum(gz(site / url) for url in set(loaded)))
        context.close()
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--city", action="append")
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    cities = args.city or sorted(p.name for p in args.site.iterdir() if (p / "index.html").is_file())
    rng = random.Random(SEED)
    server = Server(args.site)
    print(f"{'city':<24} {'lang':<5} {'page before typing':>18} {'query median':>13} {'query max':>10}  (gzip bytes)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for city in cities:
                for folder in sorted((args.site / city).glob("*/search.html")):
                    lang = folder.parent.name
                    queries = [q for q in sample_queries(folder.parent, args.queries, rng) if "'" not in q]
                    costs = query_costs(browser, server, args.site, city, lang, queries)
                    print(f"{city:<24} {lang:<5} {page_cost(folder):>18} {statistics.median(costs):>13.0f} "
                          f"{max(costs):>10}")
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
