"""Real-browser helpers shared by the test files: Debian's Chromium through Playwright, and a
static server on 127.0.0.1. The ``browser`` and ``site`` fixtures in conftest.py use them."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
from front_figures import ARGS, CHROMIUM, Server  # noqa: F401  # one server and one browser setup for tests and tools

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]]


def page_types(folder: Path) -> list[Path]:
    """One page of each type of a built language folder, and its whole guide.

    The guide (``guide.html``) holds every service of the language with its facts, hours
    and text, and every page, so every document's content reaches the browser through it;
    each other page is the same template around one document. Browser tests that look at
    layout go through these instead of every page, so their cost grows with the number of
    languages, not of documents (eight cities of 33 pages a language made them minutes).
    """
    pages = [folder / name for name in ("index.html", "guide.html", "search.html", "offline.html",
                                        "accessibility.html", "legal.html", "poster.html")]
    for kind in sorted(p for p in folder.iterdir() if p.is_dir()):
        pages += sorted(kind.glob("*.html"))[:1]
    return [page for page in pages if page.is_file()]
