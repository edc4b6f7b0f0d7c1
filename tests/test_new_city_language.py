"""`new CITY --language el` writes the starter texts in Greek: they are interface strings,
translated by locales/<lang>/LC_MESSAGES/messages.po; a language with no translation of
them gets English ones and a note saying so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GREEK = re.compile(r"[\u0370-\u03ff]")


def _starter(root: Path, folder: str) -> tuple[str, str]:
    city = root / "content" / folder
    return ((city / "city.yaml").read_text(encoding="utf-8"),
            (city / "services" / "welcome-desk.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lang", "country", "tagline", "title", "body"), [
    ("el", "GR", "Γραφείο υποδοχής για νεοαφιχθέντες", "Γραφείο υποδοχής",
     "Αντικαταστήστε αυτό το κείμενο με το τι κάνει η υπηρεσία, στη δική σας γλώσσα."),
    ("fr", "FR", "Le guichet d'accueil des nouveaux arrivants", "Guichet d'accueil",
     "Remplacez ce texte par ce que fait le service, dans votre langue."),
])
def test_the_starter_texts_are_in_the_city_s_language(project, cli, lang, country, tagline, title, body) -> None:
    root = project("basic")
    result = cli(root, "new", "ville-neuve", "--language", lang)
    assert result.code == 0, result.err
    assert "note:" not in result.out
    city, service = _starter(root, "ville-neuve")
    assert f'tagline: "{tagline}"\n' in city and f"country: {country}\n" in city
    assert f'title: "{title}"\n' in service and service.rstrip().endswith(body)
    assert "Welcome" not in city + service and "Replace this text" not in service
    built = cli(root, "build", "--strict", "ville-neuve")
    assert built.code == 0, built.err
    page = (root / "_site" / "ville-neuve" / lang / "services" / "welcome-desk.html").read_text(encoding="utf-8")
    assert title in page and body in page
    assert cli(root, "check").code == 0


def test_a_language_without_the_starter_texts_gets_english_and_a_note(project, cli) -> None:
    root = project("basic")
    result = cli(root, "new", "vilnius", "--language", "lt")
    assert result.code == 0, result.err
    assert ("note: the starter texts are in English: the interface catalog locales/lt/LC_MESSAGES/messages.po "
            "does not exist; replace them with Lithuanian text") in result.out
    city, service = _starter(root, "vilnius")
    assert 'tagline: "Welcome desk for newcomers"' in city and 'title: "Welcome desk"' in service
    assert cli(root, "build", "--strict", "vilnius").code == 0


def test_half_translated_starter_texts_are_not_mixed_with_english(project, cli) -> None:
    root = project("basic")
    po = root / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Γραφείο υποδοχής"', 'msgstr ""'), encoding="utf-8")
    result = cli(root, "new", "thiva", "--language", "el")
    assert result.code == 0, result.err
    assert "locales/el/LC_MESSAGES/messages.po has no translation of them" in result.out
    city, service = _starter(root, "thiva")
    assert not GREEK.search(city.replace('"Thiva"', "") + service)
