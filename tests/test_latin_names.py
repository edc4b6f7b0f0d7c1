"""A city or a page named in its own script gets the Latin-letter folder or file name its
country would write: Λιβαδειά → livadeia (ELOT 743), Єлгава → yelhava (Ukrainian 2010
system), Málaga → malaga. The web address stays ASCII; the name itself stays as typed."""

from __future__ import annotations

import pytest

from ici_site.content.translit import ascii_name


@pytest.mark.parametrize(("name", "lang", "latin"), [
    # Greek, ELOT 743: the names Greek municipalities use for their addresses
    ("Λιβαδειά", "el", "livadeia"), ("Χαλκίδα", "el", "chalkida"), ("Ηράκλειο", "el", "irakleio"),
    ("Ναύπλιο", "el", "nafplio"), ("Εύβοια", "el", "evvoia"), ("Ψυχικό", "el", "psychiko"),
    ("Μπαλί", "el", "bali"), ("Λαμπάδα", "el", "lampada"), ("Άγγελος", "el", "angelos"),
    ("Αϊδίνιο", "el", "aidinio"),  # the diaeresis: a-i, not the pair ai
    ("Συμβουλευτικό Κέντρο Γυναικών", "el", "symvouleftiko-kentro-gynaikon"),
    # Cyrillic: Ukrainian by its own system, Russian by BGN/PCGN
    ("Єлгава", "uk", "yelhava"), ("Київ", "uk", "kyiv"), ("Запоріжжя", "uk", "zaporizhzhia"),
    ("Мар'янівка", "uk", "marianivka"),
    ("Москва", "ru", "moskva"), ("Щёлково", "ru", "shchelkovo"), ("Йошкар-Ола", "ru", "yoshkar-ola"),
    # Latin: the letters without their accents
    ("Málaga", "es", "malaga"), ("Saint-Jean-de-la-Ruelle", "fr", "saint-jean-de-la-ruelle"),
    ("Łódź", "pl", "lodz"), ("Straße", "de", "strasse"), ("Rīga", "lv", "riga"),
    ("東京", "ja", ""),  # nothing this tool can write in Latin letters
])
def test_a_name_in_any_script_gets_its_latin_letter_form(name: str, lang: str, latin: str) -> None:
    assert ascii_name(name, lang) == latin


@pytest.mark.parametrize(("typed", "lang", "folder"), [
    ("Λιβαδειά", "el", "livadeia"), ("Єлгава", "uk", "yelhava"), ("Málaga", "es", "malaga"),
])
def test_new_with_the_city_s_name_makes_an_ascii_folder_that_builds(project, cli, typed, lang, folder) -> None:
    root = project("basic")
    result = cli(root, "new", typed, "--language", lang)
    assert result.code == 0, result.err
    assert f"the folder, and the site's address, is '{folder}', made from '{typed}'" in result.out
    assert f'name: "{typed}"\n' in (root / "content" / folder / "city.yaml").read_text(encoding="utf-8")
    built = cli(root, "build", "--strict", folder)
    assert built.code == 0, built.err
    home = (root / "_site" / folder / lang / "index.html").read_text(encoding="utf-8")
    assert typed in home


def test_new_refuses_a_name_with_no_latin_letter_form(project, cli) -> None:
    root = project("basic")
    result = cli(root, "new", "東京", "--language", "ja")
    assert result.code == 2
    assert "'東京' has no letters this tool can write in Latin letters; give the folder name" in result.err


def test_a_page_file_named_in_greek_gets_its_latin_letter_name_suggested(project, cli) -> None:
    root = project("basic")
    assert cli(root, "new", "Λιβαδειά", "--language", "el").code == 0
    services = root / "content" / "livadeia" / "services"
    (services / "welcome-desk.md").rename(services / "Συμβουλευτικό κέντρο.md")
    result = cli(root, "build", "livadeia")
    assert result.code == 1
    assert ("error: content/livadeia/services/Συμβουλευτικό κέντρο.md: services files are named like "
            "'my-service.md': lowercase letters, digits and '-', ending in .md; rename it "
            "'symvouleftiko-kentro.md'") in result.err
