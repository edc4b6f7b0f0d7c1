"""A city with two official languages (Brussels: French and Dutch).

The `bilingual` mini-site: Démobourg / Demoburg publishes en, nl and fr (listed in that
order) with official_languages [fr, nl]. One service has an address in both official
languages, another one line of French only. What a reader sees on each language's page,
what the machine-readable files carry, the root page, and the editor's mistakes.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

CITY = "demobourg"
FR_ADDRESS = "Rue de l&#39;Essai 3, 1099 Démobourg"
NL_ADDRESS = "Proefstraat 3, 1099 Demoburg"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini-site built once (fixed build day), for the tests that only read it."""
    from conftest import BUILD_DAY, make_project

    from ici_site.cli import main

    root = make_project(tmp_path_factory.mktemp("bilingual") / "project", "bilingual")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
        assert main(["--root", str(root), "build"]) == 0
    return root / "_site" / CITY


def addresses(html: str) -> list[tuple[str, str]]:
    """(lang, text) of each address the key facts show."""
    return re.findall(r'<span class="address" lang="([a-z]+)" dir="ltr">([^<]*)</span>', html)


def jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert found
    return json.loads(found[1])


def test_each_official_language_shows_its_own_address(site: Path) -> None:
    assert addresses((site / "nl/services/accueil.html").read_text()) == [("nl", NL_ADDRESS)]
    assert addresses((site / "fr/services/accueil.html").read_text()) == [("fr", FR_ADDRESS)]


def test_another_language_shows_both_forms_as_on_the_street_sign(site: Path) -> None:
    html = (site / "en/services/accueil.html").read_text()
    # the mapping lists nl first: the source language still comes first
    assert addresses(html) == [("fr", FR_ADDRESS), ("nl", NL_ADDRESS)]
    assert 'href="geo:50.85,4.35"' in html  # the map links do not depend on the language


def test_an_address_written_once_is_the_source_languages_on_every_page(site: Path) -> None:
    for lang in ("fr", "nl", "en"):
        assert addresses((site / lang / "services/cours.html").read_text()) == [
            ("fr", "Rue du Modèle 8, 1099 Démobourg")]


def test_the_counters_own_address_in_the_footer(site: Path) -> None:
    def footer(lang: str) -> list[tuple[str, str]]:
        contact = (site / lang / "index.html").read_text().split('<ul class="contact">')[1].split("</ul>")[0]
        return re.findall(r'<li lang="([a-z]+)" dir="ltr">([^<]*)</li>', contact)

    assert footer("nl") == [("nl", "Proefplein 1, 1099 Demoburg")]
    assert footer("fr") == [("fr", "Place de l&#39;Essai 1, 1099 Démobourg")]
    assert footer("en") == [("fr", "Place de l&#39;Essai 1, 1099 Démobourg"), ("nl", "Proefplein 1, 1099 Demoburg")]


def test_jsonld_carries_a_postal_address_per_page(site: Path) -> None:
    def address(lang: str) -> dict:
        data = jsonld((site / lang / "services/accueil.html").read_text())
        return data["availableChannel"]["serviceLocation"]["address"]

    assert address("nl") == {"@type": "PostalAddress", "streetAddress": "Proefstraat 3", "postalCode": "1099",
                             "addressLocality": "Demoburg", "addressCountry": "BE"}
    assert address("fr")["streetAddress"] == "Rue de l'Essai 3"
    assert address("fr")["addressLocality"] == "Démobourg"
    assert address("en") == address("fr")  # one place, one address: the source language's
    assert jsonld((site / "nl/services/accueil.html").read_text())["areaServed"] == "Demoburg"


def test_vcard_open_data_and_posters_follow_the_page(site: Path) -> None:
    assert "ADR;TYPE=WORK:;;Proefstraat 3\\, 1099 Demoburg;;;;" in (site / "nl/services/accueil.vcf").read_text()
    assert "ADR;TYPE=WORK:;;Rue de l'Essai 3\\, 1099 Démobourg;;;;" in (site / "en/services/accueil.vcf").read_text()

    def hsds(path: str) -> dict:
        services = json.loads((site / "open-data" / path).read_text())
        service = next(s for s in services if s["service_at_locations"] and s["phones"])
        return service["service_at_locations"][0]["location"]["addresses"][0]

    assert (hsds("nl/services.json")["address_1"], hsds("nl/services.json")["city"]) == ("Proefstraat 3", "Demoburg")
    assert (hsds("services.json")["address_1"], hsds("services.json")["city"]) == ("Rue de l'Essai 3", "Démobourg")
    with open(site / "open-data/hsds/addresses.csv", encoding="utf-8", newline="") as rows:
        assert {row["address_1"] for row in csv.DictReader(rows)} == {"Rue de l'Essai 3", "Rue du Modèle 8"}
    poster = (site / "en/posters/accueil.html").read_text()
    assert f'<dd lang="fr" dir="ltr">{FR_ADDRESS}</dd><dd lang="nl" dir="ltr">{NL_ADDRESS}</dd>' in poster
    assert f'<dd lang="nl" dir="ltr">{NL_ADDRESS}</dd><dt>' in (site / "nl/posters/accueil.html").read_text()


def test_the_root_page_greets_in_both_official_languages_and_lists_them_first(site: Path) -> None:
    html = (site / "index.html").read_text()
    assert "<title>Démobourg · Demoburg</title>" in html
    assert '<h1><span lang="fr" dir="ltr">Démobourg</span> · <span lang="nl" dir="ltr">Demoburg</span></h1>' in html
    assert '<p class="tagline" lang="fr" dir="ltr">Bienvenue à Démobourg</p>' in html
    assert '<p class="tagline" lang="nl" dir="ltr">Welkom in Demoburg</p>' in html
    chooser = html.split('<ul class="choose">')[1].split("</ul>")[0]
    assert re.findall(r'hreflang="([a-z]+)"', chooser) == ["fr", "nl", "en"]  # city.yaml lists en, nl, fr
    page = (site / "en/index.html").read_text()
    assert re.findall(r'<link rel="alternate" hreflang="([a-z-]+)"', page) == ["fr", "nl", "en", "x-default"]
    assert '<link rel="alternate" hreflang="x-default" href="https://ici.example.org/demobourg/index.html">' in page


def test_dutch_written_by_the_city_is_shown_as_its_own_text(site: Path) -> None:
    """The Dutch name comes from city.yaml, the Dutch title from an ordinary catalog entry
    without the machine-translated flag: neither carries a hint."""
    html = (site / "nl/services/accueil.html").read_text()
    assert "<title>Onthaal · Demoburg</title>" in html
    assert '<span>Demoburg</span>' in html and 'class="machine"' not in html
    assert "<h1>Onthaal</h1>" in html
    assert "Démobourg" not in html.replace("Démobourg</a>", "")  # only the switcher could name it otherwise


def test_status_counts_the_official_name_as_translated(project, cli) -> None:
    root = project("bilingual")
    result = cli(root, "status")
    row = next(line.split() for line in result.out.splitlines() if line.startswith(CITY) and " nl " in line)
    assert row[2:8] == ["8", "3", "0", "5", "0", "0"]  # name (city.yaml), tagline and title (catalog)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


MISTAKES = {
    "official language not in languages": (
        "city.yaml", "official_languages: [fr, nl]", "official_languages: [fr, nl, de]",
        "content/demobourg/city.yaml:8: official_languages[2]: 'de' is not in languages; add it there too"),
    "source language not official": (
        "city.yaml", "official_languages: [fr, nl]", "official_languages: [nl, en]",
        ("content/demobourg/city.yaml:8: official_languages: must include the source language 'fr', "
         "the one editors write in")),
    "address in a language that is not official": (
        "services/accueil.md", '  nl: "Proefstraat', '  en: "Proefstraat',
        ("content/demobourg/services/accueil.md:6: address.en: 'en' is not an official language of the city "
         "(official_languages: fr, nl)")),
    "address without the source language": (
        "services/accueil.md", "  fr: \"Rue de l'Essai 3, 1099 Démobourg\"\n", "",
        ("content/demobourg/services/accueil.md:5: address: the form in the source language is missing: "
         "add 'fr: ...'")),
    "name without the source language": (
        "city.yaml", "  fr: Démobourg\n", "",
        "content/demobourg/city.yaml:1: name: the form in the source language is missing: add 'fr: ...'"),
    "contact address in a language that is not official": (
        "city.yaml", '    nl: "Proefplein', '    de: "Proefplein',
        ("content/demobourg/city.yaml:17: contact.address.de: 'de' is not an official language of the city "
         "(official_languages: fr, nl)")),
    "address by language without official languages": (
        "city.yaml", "official_languages: [fr, nl]\n", "",
        ("content/demobourg/services/accueil.md:5: address: one line per language needs official_languages in "
         "city.yaml: declare them there, or write one line of text in the source language")),
    "empty form": (
        "services/accueil.md", '  nl: "Proefstraat 3, 1099 Demoburg"', "  nl:",
        "content/demobourg/services/accueil.md:6: address.nl: is empty; give a value"),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_wrong_declaration_names_file_line_and_field(mistake: str, project, cli) -> None:
    file, old, new, message = MISTAKES[mistake]
    root = project("bilingual")
    edit(root / "content" / CITY / file, old, new)
    for command in ("build", "check"):
        result = cli(root, command)
        assert result.code == 1, result.out
        assert f"error: {message}" in result.err.splitlines(), result.err
        assert "Traceback" not in result.err
    assert not (root / "_site").exists()
