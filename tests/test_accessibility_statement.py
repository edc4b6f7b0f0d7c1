"""The accessibility statement (EU Directive 2016/2102) per language, and the optional legal notice."""

from __future__ import annotations

import html
import re
from pathlib import Path

from browsing import Server, axe_violations

STATEMENT = """accessibility:
  status: full
  date: 2026-11-02
  method: outside
  contact: https://example.org/accessibility-form
  enforcement: {name: Défenseur des droits, url: https://example.org/ddd}
  issues: [Le plan PDF n'est pas accessible.]
legal:
  publisher: Ville de Démoville
  host: Hébergeur Exemple, 1 rue du Serveur, Paris
"""


def add_to_city(root: Path, text: str) -> None:
    path = root / "content" / "demoville" / "city.yaml"
    path.write_text(path.read_text() + text)


def reader_pages(city: Path) -> list[Path]:
    return [p for p in city.glob("*/**/*.html") if "posters" not in p.parts and p.name != "poster.html"]


def test_every_page_links_to_the_statement_in_its_language(project, cli) -> None:
    root = project("basic")
    add_to_city(root, STATEMENT)
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    for page in reader_pages(city):
        lang = page.relative_to(city).parts[0]
        text = page.read_text()
        link = re.search(r'<li><a href="([^"]*accessibility\.html)">\s*([^<]*?)\s*</a></li>', text)
        assert link, page
        assert (page.parent / link[1]).resolve() == (city / lang / "accessibility.html").resolve()
        assert link[2] == {"fr": "Accessibilité : totalement conforme", "en": "Accessibility: fully compliant",
                           "ar": "إمكانية الوصول: متوافق كليًا"}[lang]
        assert "legal.html" in text
    french = html.unescape((city / "fr" / "accessibility.html").read_text())
    assert "<h1>Déclaration d'accessibilité</h1>" in french
    assert "Démoville veut que chacun puisse utiliser ce site" in french
    assert "Cette déclaration a été établie le 2 novembre 2026." in french
    assert "Le site a été évalué par un expert extérieur." in french
    assert '<a href="https://example.org/accessibility-form" dir="ltr">' in french
    assert '<a href="https://example.org/ddd">Défenseur des droits</a>' in french
    assert "<li>Le plan PDF n'est pas accessible.</li>" in french
    arabic = (city / "ar" / "legal.html").read_text()
    assert "<h1>الإشعار القانوني</h1>" in arabic and "Ville de Démoville" in arabic
    # the host is a company's name and address: a fact, shown as written and marked as French
    assert '<dd lang="fr" dir="ltr">Hébergeur Exemple, 1 rue du Serveur, Paris</dd>' in arabic


def test_without_facts_the_statement_says_not_assessed(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    english = (city / "en" / "accessibility.html").read_text()
    assert "Accessibility: not compliant" in english
    assert "was prepared on" not in english
    assert "mailto:accueil@example.org" in english  # the city's own e-mail for feedback
    assert not (city / "en" / "legal.html").exists()
    assert "legal.html" not in (city / "en" / "index.html").read_text()
    sitemap = (city / "sitemap.xml").read_text()
    assert "https://ici.example.org/demoville/ar/accessibility.html" in sitemap


def test_a_wrong_status_names_file_line_and_key(project, cli) -> None:
    root = project("basic")
    add_to_city(root, "accessibility:\n  status: partly\n  date: 2026-11-02\n")
    result = cli(root, "build")
    assert result.code == 1
    lines = (root / "content/demoville/city.yaml").read_text().splitlines()
    line = lines.index("  status: partly") + 1
    assert f"content/demoville/city.yaml:{line}: accessibility.status: 'partly' is not one of: full, partial, none" \
        in result.err
    assert "Traceback" not in result.err


def test_statement_and_legal_notice_are_axe_clean(project, cli, browser) -> None:
    root = project("basic")
    add_to_city(root, STATEMENT)
    assert cli(root, "build").code == 0
    server = Server(root / "_site")
    try:
        # bypass_csp: the pages' policy rightly refuses the injected axe-core script
        context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block",
                                      bypass_csp=True)
        page = context.new_page()
        problems = []
        for path in ("demoville/ar/accessibility.html", "demoville/fr/legal.html"):
            page.goto(server.url + path)
            problems += [f"{path}: {v}" for v in axe_violations(page)]
        context.close()
    finally:
        server.stop()
    assert not problems, problems
