"""The accessibility statement's and the legal notice's free texts (the enforcement body, the
content that is not accessible, the publisher, who is responsible) are city
content: extracted into the city's catalogs with a note saying what they are, and shown
translated. The contact, the web addresses, the postal address and the host (a company's
name and address) stay facts."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

STATEMENT = """\
accessibility:
  status: partial
  date: 2026-11-15
  contact: accessibilite@example.org
  enforcement:
    name: Défenseur des droits (exemple)
    url: https://example.org/defenseur-des-droits
  issues:
    - Les documents PDF ne sont pas tous accessibles.
legal:
  publisher: Ville de Démoville (exemple)
  responsible: Le maire (exemple)
  address: 1 place de l'Exemple, 45000 Démoville
  host: Hébergeur Exemple SAS, 2 rue du Serveur, 75000 Paris
"""
ENGLISH = {
    "Défenseur des droits (exemple)": "Defender of Rights (example)",
    "Les documents PDF ne sont pas tous accessibles.": "Not all PDF documents are accessible.",
    "Ville de Démoville (exemple)": "City of Démoville (example)",
    "Le maire (exemple)": "The mayor (example)",
}


def test_statement_and_legal_texts_are_extracted_and_shown_translated(project, cli) -> None:
    root = project("basic")
    city = root / "content" / "demoville" / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8") + STATEMENT, encoding="utf-8")
    assert cli(root, "update").code == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "demoville.po"
    with po.open("rb") as fileobj:
        catalog = read_po(fileobj)
    notes = {m.id: " ".join(m.auto_comments) for m in catalog if m.id in ENGLISH}
    assert set(notes) == set(ENGLISH)
    assert "accessibility statement: the public body people can turn to" in notes["Défenseur des droits (exemple)"]
    assert "accessibility statement: content that is not accessible" in notes[
        "Les documents PDF ne sont pas tous accessibles."]
    assert "legal notice: the public body that publishes the site" in notes["Ville de Démoville (exemple)"]
    assert "legal notice: who is responsible for the content" in notes["Le maire (exemple)"]
    facts = ("accessibilite@example.org", "https://example.org/defenseur-des-droits",
             "1 place de l'Exemple, 45000 Démoville", "Hébergeur Exemple SAS, 2 rue du Serveur, 75000 Paris")
    assert not [m.id for m in catalog if m.id in facts]

    for message in catalog:
        if message.id in ENGLISH:
            message.string = ENGLISH[message.id]
    with po.open("wb") as fileobj:
        write_po(fileobj, catalog)
    result = cli(root, "build")
    assert result.code == 0, result.err
    site = root / "_site" / "demoville"
    statement = _read(site / "en" / "accessibility.html")
    assert ('<a href="https://example.org/defenseur-des-droits">Defender of Rights (example)</a>' in statement)
    assert "<li>Not all PDF documents are accessible.</li>" in statement
    assert "accessibilite@example.org" in statement and 'lang="fr"' not in _article(statement)
    legal = _read(site / "en" / "legal.html")
    assert "<dd>City of Démoville (example)</dd>" in legal and "<dd>The mayor (example)</dd>" in legal
    assert '<dd lang="fr" dir="ltr">1 place de l&#39;Exemple, 45000 Démoville</dd>' in legal  # a fact
    assert '<dd lang="fr" dir="ltr">Hébergeur Exemple SAS, 2 rue du Serveur, 75000 Paris</dd>' in legal
    assert "Défenseur des droits (exemple)" in _read(site / "fr" / "accessibility.html")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _article(html: str) -> str:
    return html[html.index("<article>"):html.index("</article>")]
