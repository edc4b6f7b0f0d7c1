"""Right-to-left pages in Chromium: every run of left-to-right text reads in order.

Measured in the layout, not in the markup: ``reading_order.js`` finds in the text of
each right-to-left block the runs of Latin words and numbers (addresses, names,
e-mails, URLs, "9 h – 11 h", grouped numbers), takes each character's box with
``document.createRange()`` and ``getClientRects()``, and reports any that lands left
of what comes before it on its line, or on a line above; and any phone number over
two lines. At 360 px, on every right-to-left language of every city built: each page type
and the whole guide, which holds every service and page of the language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import Server, page_types

SCRIPT = (Path(__file__).parent / "reading_order.js").read_text(encoding="utf-8")
RTL_ROOT = re.compile(r'<html\b[^>]*\bdir="rtl"')
VIEWPORT = {"width": 360, "height": 800}


def rtl_pages(site: Path, every_page: bool = True) -> list[str]:
    """Every page (or each page type and the whole guide: ``browsing.page_types``) of every
    right-to-left language of every city under ``site``."""
    pages = []
    for home in sorted(site.glob("*/*/index.html")):
        if RTL_ROOT.search(home.read_text(encoding="utf-8")):
            chosen = sorted(home.parent.rglob("*.html")) if every_page else page_types(home.parent)
            pages += [str(p.relative_to(site)) for p in chosen]
    return pages


def read_pages(browser, root: Path, url: str, pages: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(runs checked, phone numbers checked, problems) over ``pages`` of the site served at ``url``."""
    runs: list[str] = []
    phones: list[str] = []
    problems: list[str] = []
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        for name in pages:
            page.goto(url + name)
            found = page.evaluate(SCRIPT)
            runs += found["runs"]
            phones += found["phones"]
            problems += [f"{name}: {problem}" for problem in found["problems"]]
    finally:
        context.close()
    return runs, phones, problems


def test_example_cities_rtl_pages_read_in_order(browser, example_site: Path, site: str) -> None:
    pages = rtl_pages(example_site, every_page=False)
    assert any("/ar/" in page for page in pages), "the example content publishes Arabic"
    runs, phones, problems = read_pages(browser, example_site, site, pages)
    assert not problems, "\n".join(problems[:40])
    # the measure found the facts it is about (else it would pass on anything)
    assert any(re.fullmatch(r"\d+ rue de l'Exemple.*", run) for run in runs), runs
    assert any("@example.org" in run for run in runs) and any(run.startswith("https://") for run in runs)
    assert any(re.fullmatch(r"0\d( \d\d){4}", phone) for phone in phones), phones


@pytest.fixture(scope="module")
def bidi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bidi`` mini-site built: Arabic and Persian text full of left-to-right facts."""
    from conftest import BUILD_DAY, make_project

    from ici_site.cli import main
    root = make_project(tmp_path_factory.mktemp("bidi") / "project", "bidi")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    try:
        assert main(["--root", str(root), "build"]) == 0
    finally:
        monkeypatch.undo()
    return root / "_site"


def test_left_to_right_facts_in_rtl_sentences_read_in_order(browser, bidi_site: Path) -> None:
    pages = rtl_pages(bidi_site)
    assert {p.split("/")[1] for p in pages} == {"ar", "fa"}
    server = Server(bidi_site)
    try:
        runs, phones, problems = read_pages(browser, bidi_site, server.url, pages)
    finally:
        server.stop()
    assert not problems, "\n".join(problems[:40])
    for fact in ("8 rue de l'Exemple", "cours@example.org", "https://example.org/cours/",
                 "9 h – 11 h", "Saint-Jean (Loiret)", "+33 1 99 00 11 20", "16 500", "A1"):
        assert any(fact in run for run in runs), (fact, runs)
    assert "01 99 00 11 20" in phones and "01 99 00 00 02" in phones
