"""What the city editor reads: a warning for opening hours a later rule drops, YAML mistakes
as plain advice, broken links at their own page with a "did you mean", the translation
share that never reads 100% below 100%, and `new CITY` for any country."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ici_site.build import percent
from ici_site.content.sources import SourceError, parse_yaml

OVERRIDE = ("content/testville/services/mairie.md:5: hours: 'Th 16:00-18:30' replaces the earlier hours of "
            "Thursday, so 08:30-14:00 is closed: after ';' a rule replaces what earlier rules say about its days; "
            "if the service is open at both times, write 'Mo-Fr 08:30-14:00, Th 16:00-18:30' or "
            "'Mo-We,Fr 08:30-14:00; Th 08:30-14:00,16:00-18:30'")


def test_a_rule_that_drops_earlier_hours_is_a_warning_not_an_error(project, cli) -> None:
    root = project("hours-override")
    result = cli(root, "build")
    assert result.code == 0 and result.err.splitlines() == [f"warning: {OVERRIDE}"]
    assert (root / "_site" / "testville" / "fr" / "services" / "mairie.html").is_file()
    assert cli(root, "build", "--strict").code == 1  # the unchanged city keeps its warning
    checked = cli(root, "check")
    assert checked.code == 0 and f"warning: {OVERRIDE}" in checked.err
    mairie = root / "content" / "testville" / "services" / "mairie.md"
    mairie.write_text(mairie.read_text().replace("Th 16:00-18:30", "Th 08:30-14:00,16:00-18:30"))
    fixed = cli(root, "build", "--strict")
    assert fixed.code == 0 and "warning" not in fixed.err


@pytest.mark.parametrize(("yaml", "expected"), [
    ("title: Aide\nsummary: Attention: apportez vos papiers\n",
     ("f.md:2: summary: the text contains ': ', which YAML reads as a new key; put the whole text in quotes: "
      'summary: "Attention: apportez vos papiers"')),
    ("title: Aide\nsummary: [Nouveau] cours du soir\n",
     ("f.md:2: summary: a value starting with '[' is read as a list; put the whole text in quotes: "
      'summary: "[Nouveau] cours du soir"')),
    ("title: Aide\nemail: @mairie\n",
     ("f.md:2: email: a value cannot start with '@' (it has a meaning in YAML); put the whole text in quotes: "
      'email: "@mairie"')),
    ("title: Aide\nsummary: *Gratuit* pour tous\n",
     ("f.md:2: summary: a value cannot start with '*' (it has a meaning in YAML); put the whole text in quotes: "
      'summary: "*Gratuit* pour tous"')),
    ('title: "Aide\nsummary: x\n',
     'f.md:1: title: the " opened on this line is never closed; add a " at the end of the text'),
    ("title: 'l'aide'\n",
     "f.md:1: title: there is text after the closing quote; put the whole text in quotes: title: \"l'aide\""),
    ("title: Aide\n  summary: x\n",
     ("f.md:2: summary: this line is indented more than the one above; start 'summary:' at the same column as "
      "the other keys")),
    ("title: Aide\nsummary: une ligne\nsuite de la ligne\ncategory: y\n",
     ("f.md:3: this line has no 'key:'; add the ':' after the key or, if it continues the text above, put the "
      "whole text on one line in quotes")),
    ("documents:\n  - a\n - b\n",
     ("f.md:3: this list item ('- ') does not line up with a list above it; put it under its key and start every "
      "'- ' of the list at the same column")),
    ('title: "C:\\dossier"\n',
     ("f.md:1: title: inside double quotes a backslash starts a special character; use single quotes: "
      "title: 'C:\\dossier'")),
])
def test_yaml_mistakes_are_told_as_what_to_write(yaml: str, expected: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml(yaml, "f.md")
    assert str(caught.value.problem) == expected
    assert "mapping values" not in expected and "block end" not in expected


def test_yaml_advice_in_a_real_build_names_file_line_and_key(project, cli) -> None:
    root = project("basic")
    service = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    service.write_text(service.read_text().replace("summary: Des cours gratuits pour adultes.",
                                                   "summary: Nouveau: des cours gratuits."))
    result = cli(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.splitlines()[0] == (
        "error: content/demoville/services/cours-de-francais.md:3: summary: the text contains ': ', which YAML "
        'reads as a new key; put the whole text in quotes: summary: "Nouveau: des cours gratuits."')


@pytest.mark.parametrize(("share", "shown"), [(0.996, "99.6%"), (0.9999, "99.9%"), (1.0, "100%"), (0.29, "29%"),
                                              (0.0, "0%"), (0.333, "33.3%")])
def test_a_share_below_100_percent_never_reads_100(share: float, shown: str) -> None:
    assert percent(share) == shown


def test_min_translated_warning_numbers_do_not_contradict(project, cli) -> None:
    root = project("basic")
    city = root / "content" / "demoville" / "city.yaml"
    city.write_text(city.read_text().replace("min_translated: 0.1", "min_translated: 1"))
    result = cli(root, "build")
    lines = [line for line in result.err.splitlines() if "is not published" in line]
    assert lines, result.err
    for line in lines:
        share = re.search(r"published: ([\d.]+)% of the content", line)[1]
        assert float(share) < 100 and line.endswith("min_translated is 100%")


# -- links ----------------------------------------------------------------------------


def test_a_body_link_to_a_site_page_works_on_the_guide_and_a_typo_gets_a_suggestion(project, cli) -> None:
    root = project("basic")
    service = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    text = service.read_text()
    service.write_text(text + "\nVoir [les cours](../categories/language-courses.html).\n")
    assert cli(root, "build").code == 0  # the guide, one folder up, links to the same page
    guide = (root / "_site" / "demoville" / "fr" / "guide.html").read_text()
    assert 'href="categories/language-courses.html"' in guide
    service.write_text(text + "\nVoir [la page](../pages/premier-pas.md) et [le cours](conseil-juridque.md).\n")
    result = cli(root, "build")
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert result.code == 1 and len(errors) == 2, result.err
    assert errors[0].startswith("error: content/demoville/services/cours-de-francais.md:34: link: "
                                "'../pages/premier-pas.md' leads to no page or file of the site; "
                                "did you mean '../pages/premiers-pas.md'? (on ")
    assert "'conseil-juridque.md' leads to no page or file of the site; did you mean 'conseil-juridique.md'?" \
        in errors[1]
    assert not any("guide.html" in line for line in errors)  # its own page, not the whole guide


# -- new CITY ----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "country", "lang", "zone"), [
    (("--language", "lv"), "LV", "lv", "Europe/Riga"),
    (("--country", "UA"), "UA", "uk", "Europe/Kyiv"),
    (("--country", "BE", "--language", "nl"), "BE", "nl", "Europe/Brussels"),
    (("--language", "ar"), "EG", "ar", "Africa/Cairo"),
    (("--country", "ES"), "ES", "es", "Europe/Madrid"),  # the mainland's, not Ceuta's (CLDR lists that first)
    (("--country", "PT"), "PT", "pt", "Europe/Lisbon"),  # not Madeira's
])
def test_new_city_in_the_editor_s_country_and_language_builds_at_once(project, cli, args, country, lang,
                                                                       zone) -> None:
    root = project("basic")
    result = cli(root, "new", "ville-neuve", *args)
    assert result.code == 0, result.err
    assert f"(country {country}, language {lang}, time zone {zone};" in result.out
    city = (root / "content" / "ville-neuve" / "city.yaml").read_text()
    assert f"country: {country}\n" in city and f"languages: [{lang}]\n" in city and f"timezone: {zone}\n" in city
    if country == "ES":  # the others are named for a city that is in one of them
        assert "# ES has 3 time zones (Europe/Madrid, Africa/Ceuta, Atlantic/Canary): write the city's own\n" in city
    built = cli(root, "build", "--strict", "ville-neuve")
    assert built.code == 0, built.err
    assert (root / "_site" / "ville-neuve" / lang / "services" / "welcome-desk.html").is_file()


def test_new_city_follows_the_editor_s_locale(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project("basic")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "lv_LV.UTF-8")
    assert cli(root, "new", "ogre").code == 0
    assert "source_language: lv\n" in (root / "content" / "ogre" / "city.yaml").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (("con",), "error: CITY: 'con' is a reserved device name on Windows; choose another name"),
    (("東京",), "error: CITY: '東京' has no letters this tool can write in Latin letters; give the folder name"),
    (("../x",), "error: CITY: '../x' is not a valid name"),
    (("ville", "--country", "XX"), "error: --country: 'XX' is not an ISO 3166-1 country code"),
    (("ville", "--language", "klingon"), "error: --language: 'klingon' is not a language code"),
])
def test_new_refuses_what_no_build_would_accept(project, cli, args: tuple[str, ...], message: str) -> None:
    root = project("basic")
    before = sorted(p.name for p in (root / "content").iterdir())
    result = cli(root, "new", *args)
    assert result.code == 2 and result.err.startswith(message) and "Traceback" not in result.err
    assert sorted(p.name for p in (root / "content").iterdir()) == before
    assert not Path(root / "x").exists()
