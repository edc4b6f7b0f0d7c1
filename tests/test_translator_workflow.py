"""The translator's workflow, as a translator and a city editor live it: init, translate,
the source changes, update, build, fix — and the publishing and safety rules on the way."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from ici_site.i18n.safety import check_translation

PARAGRAPH = ("Latviešu valoda ir Latvijas valsts valoda. Valoda palīdz atrast darbu, runāt ar kaimiņiem "
             "un saprast, kas notiek bērna skolā. Mūsu kursi ir domāti pieaugušajiem, kuri nesen ieradušies Jelgavā.")
CHANGED = PARAGRAPH.replace("Mūsu kursi", "Mūsu bezmaksas kursi")
SERVICE = "content/jelgava/services/latviesu-valodas-kursi.md"


def fake_arabic(text: str) -> str:
    """A stand-in translation that keeps every link, number and marker of its source."""
    return f"ترجمة: {text}"


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def edit_po(path: Path, change) -> None:
    """Open a catalog as a translator's tool would, change entries, save it."""
    catalog = read(path)
    for message in catalog:
        if message.id:
            change(message)
    with path.open("wb") as f:
        write_po(f, catalog, width=76, sort_by_file=True, include_previous=True)


def page(root: Path, rel: str) -> str:
    """A page's HTML without the <bdi> that keep Latin runs of Arabic text in order (bidi.py)."""
    return re.sub(r'<bdi dir="(?:ltr|rtl)">|</bdi>', "", (root / "_site" / "jelgava" / rel).read_text(encoding="utf-8"))


def test_the_whole_story_from_init_to_a_published_language(project, cli) -> None:
    root = project(None)
    city_yaml = root / "content/jelgava/city.yaml"
    city_yaml.write_text(city_yaml.read_text().replace("languages: [lv, en, uk, ru]", "languages: [lv, en, uk, ru, ar]"))
    po = root / "locales/ar/LC_MESSAGES/jelgava.po"

    # 1. A new language: the catalog is created with CLDR's headers, nothing translated.
    result = cli(root, "init", "jelgava", "ar")
    assert result.code == 0, result.err
    assert "created locales/ar/LC_MESSAGES/jelgava.po" in result.out
    header = po.read_text()
    assert '"Language: ar\\n"' in header and "nplurals=6;" in header

    # 2. Below min_translated the language is not published, and the build says so.
    result = cli(root, "build")
    assert result.code == 0 and "'ar' is not published: 0% of the content is translated" in result.err
    assert not (root / "_site/jelgava/ar").exists()

    # 3. The translator fills every entry but one; the build publishes Arabic.
    edit_po(po, lambda m: setattr(m, "string", "" if m.id == "Valsts policija" else fake_arabic(m.id)))
    result = cli(root, "build")
    assert result.code == 0 and "'ar'" not in result.err
    html = page(root, "ar/services/latviesu-valodas-kursi.html")
    assert '<html lang="ar" dir="rtl">' in html and fake_arabic(PARAGRAPH) in html
    home = page(root, "ar/index.html")  # the one missing entry falls back to Latvian, marked
    assert re.search(r'<span lang="lv" dir="ltr" class="other-lang">Valsts policija<small class="hint" '
                     r'lang="ar" dir="rtl">[^<]+</small></span>', home)

    # 4. The editor changes one paragraph; update keeps everything else and marks that one fuzzy.
    service = root / SERVICE
    service.write_text(service.read_text().replace(PARAGRAPH, CHANGED))
    before = {m.id: m.string for m in read(po) if m.id}
    result = cli(root, "update")
    assert result.code == 0 and "locales/ar/LC_MESSAGES/jelgava.po" in result.out
    after = {m.id: m for m in read(po) if m.id}
    assert PARAGRAPH not in after and after[CHANGED].fuzzy
    assert after[CHANGED].string == fake_arabic(PARAGRAPH)
    previous = re.search(r'#\| msgid ""\n((?:#\| ".*"\n)+)msgid ""\n((?:".*"\n)+)', po.read_text())
    assert previous, "the previous source text is kept as #| msgid for Poedit and Weblate"
    assert "".join(re.findall(r'"(.*)"', previous.group(1))) == PARAGRAPH
    assert "".join(re.findall(r'"(.*)"', previous.group(2))) == CHANGED
    msgfmt = shutil.which("msgfmt")
    if msgfmt or os.environ.get("CI"):  # .ci/run installs gettext
        run = subprocess.run([msgfmt or "msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True,
                             check=False)
        assert run.returncode == 0, run.stderr
    text = po.read_text()
    assert cli(root, "update").code == 0 and po.read_text() == text  # a second update keeps the #| text
    kept = {k: v for k, v in before.items() if k != PARAGRAPH}
    assert {k: after[k].string for k in kept} == kept  # no other translation lost or changed
    assert not any(after[k].fuzzy for k in kept)

    # 5. The build shows the fuzzy paragraph's source text instead, marked as Latvian.
    assert cli(root, "build").code == 0
    html = page(root, "ar/services/latviesu-valodas-kursi.html")
    assert fake_arabic(PARAGRAPH) not in html
    assert re.search(r'<p class="other-lang" dir="ltr" lang="lv">' + re.escape(CHANGED) + r'<small class="hint"', html)

    # 6. The translator fixes it (Poedit clears fuzzy on edit); it is published.
    def fix(message) -> None:
        if message.id == CHANGED:
            message.string, message.flags = fake_arabic(CHANGED), message.flags - {"fuzzy"}
            message.previous_id = ()
    edit_po(po, fix)
    assert cli(root, "build").code == 0
    html = page(root, "ar/services/latviesu-valodas-kursi.html")
    assert f"<p>{fake_arabic(CHANGED)}</p>" in html
    status = {(r["city"], r["lang"]): r for r in json.loads(cli(root, "status", "--json").out)}
    assert status["jelgava", "ar"]["published"] and status["jelgava", "ar"]["fuzzy"] == 0
    assert status["jelgava", "ar"]["missing"] == 1


def test_fuzzy_hidden_by_default_and_shown_with_a_hint_when_the_city_opts_in(project, cli) -> None:
    root = project("basic")
    def english() -> str:
        return "".join(p.read_text() for p in sorted((root / "_site/demoville/en").rglob("*.html")))
    assert cli(root, "build").code == 0
    fuzzy = [m for m in read(root / "locales/en/LC_MESSAGES/demoville.po") if m.fuzzy and m.id]
    assert fuzzy and fuzzy[0].string not in english()
    city = root / "content/demoville/city.yaml"
    city.write_text(city.read_text() + "show_fuzzy: true\n")
    assert cli(root, "build").code == 0
    en = english()
    assert re.search(r'class="outdated">' + re.escape(fuzzy[0].string) +
                     r'<small class="hint" (dir="ltr" lang="en"|lang="en" dir="ltr")>outdated translation</small>', en)


def test_fallback_chain_goes_through_each_language_then_the_source(project, cli) -> None:
    root = project(None)
    ru_po = root / "locales/ru/LC_MESSAGES/jelgava.po"
    uk_po = root / "locales/uk/LC_MESSAGES/jelgava.po"
    edit_po(uk_po, lambda m: setattr(m, "string", "") if m.id == "Valsts policija" else None)
    assert cli(root, "build").code == 0
    uk = page(root, "uk/index.html")
    ru_text = next(m.string for m in read(ru_po) if m.id == "Valsts policija")
    # the Russian draft is itself machine-made: the fallback says so too
    assert f'<span lang="ru" dir="ltr" class="other-lang machine">{ru_text}<small class="hint" lang="uk"' in uk
    edit_po(ru_po, lambda m: setattr(m, "string", "") if m.id == "Valsts policija" else None)
    assert cli(root, "build").code == 0
    uk = page(root, "uk/index.html")
    assert '<span lang="lv" dir="ltr" class="other-lang">Valsts policija<small class="hint" lang="uk"' in uk


def test_unsafe_translation_is_not_shown_and_is_reported(project, cli) -> None:
    root = project(None)
    po = root / "locales/en/LC_MESSAGES/jelgava.po"

    def break_numbers(message) -> None:  # a tired translator mistypes an hour and an emergency number
        message.string = message.string.replace("18:00", "8:00").replace("**112**", "**121**")
    edit_po(po, break_numbers)
    bad = [m for m in read(po) if m.id and ("from 8:00" in m.string or "**121**" in m.string)]
    assert len(bad) >= 2, "the example content has such sentences"

    result = cli(root, "check")
    assert result.code == 1
    for message in bad:
        assert f"locales/en/LC_MESSAGES/jelgava.po:{message.lineno}: msgstr: translation of" in result.err
    assert "loses the number 18" in result.err and "loses the number 112" in result.err

    assert cli(root, "build").code == 0
    html = "".join(p.read_text() for p in (root / "_site/jelgava/en").rglob("*.html"))
    assert "121" not in html and "from 8:00" not in html
    rows = {(r["city"], r["lang"]): r for r in json.loads(cli(root, "status", "--json").out)}
    assert rows["jelgava", "en"]["unsafe"] == len(bad)
    status_page = page(root, "translation-status.html")
    assert "locales/en/LC_MESSAGES/jelgava.po:" in status_page


@pytest.mark.parametrize(("source", "translation", "problem"), [
    ("Zvaniet +371 6000 0021.", "Call +371 6000 0012.", "loses the phone number +37160000021"),
    ("Zvaniet 6000 0021.", "Call +371 6000 0021.", None),  # regrouped, same number
    ("Open 9:00-17:00", "Open 9:00-7:00", "loses the number 17"),
    ("Ouvert de 9h à 17h", "مفتوح من ٩ إلى ١٧", None),  # Eastern Arabic digits are the same numbers
    ("Rakstiet info@example.org", "Write to inf0@example.org", "loses the e-mail address info@example.org"),
    ("Skatiet https://example.org/a", "See https://evil.example.net/", "adds the address https://evil.example.net/"),
    ("[Vietne](https://example.org/)", "[Site] (https://example.org/)", "loses the link https://example.org/"),
    ("[Vietne](https://example.org/)", "[Site(https://example.org/)", "unbalanced [ ] brackets"),
    ("**Svarīgi:** ņemiet pasi", "**Important: bring your passport", "bold markers"),
    ("Ņemiet `pasi`", "Bring passport", "code markers"),
])
def test_safety_checks(source: str, translation: str, problem: str | None) -> None:
    found = check_translation(source, translation, markdown=True, region="LV")
    if problem is None:
        assert found == ()
    else:
        assert any(problem in p for p in found), found


def test_machine_translation_is_labelled_until_reviewed(project, cli) -> None:
    root = project(None)
    po = root / "locales/uk/LC_MESSAGES/jelgava.po"
    # a reviewer has checked every entry but one (the example's drafts are all flagged)
    edit_po(po, lambda m: (m.flags.add if m.id == PARAGRAPH else m.flags.discard)("machine-translated"))
    assert cli(root, "build").code == 0
    html = page(root, "uk/services/latviesu-valodas-kursi.html")
    # the rest of the page is a person's translation: this block alone is labelled (tests/test_machine_notice.py)
    label = re.search(r'<p>[^<]+<small class="hint machine">([^<]+)</small></p>', html)
    assert label and label.group(1) == "машинний переклад" and html.count('class="hint machine"') == 1
    rows = {(r["city"], r["lang"]): r for r in json.loads(cli(root, "status", "--json").out)}
    assert rows["jelgava", "uk"]["machine"] == 1
    edit_po(po, lambda m: m.flags.discard("machine-translated"))  # the reviewer clears the flag
    assert cli(root, "build").code == 0
    assert "machine" not in page(root, "uk/services/latviesu-valodas-kursi.html")


def test_a_text_translated_for_one_city_fills_another_city_on_update(project, cli) -> None:
    root = project(None)
    # Both cities gain a notice with the same sentence; only Saint-Jean's English translates it.
    sentence = "Le guichet est fermé le 1er mai."
    for city, lang in (("saint-jean-de-la-ruelle", "fr"), ("jelgava", "lv")):
        notice = root / "content" / city / "notices" / "ferme.md"
        notice.write_text(f"---\ntitle: {sentence}\nexpires: 2027-01-01\n---\n")
    assert cli(root, "update").code == 0
    donor = root / "locales/en/LC_MESSAGES/saint-jean-de-la-ruelle.po"
    edit_po(donor, lambda m: setattr(m, "string", "The desk is closed on 1 May.") if m.id == sentence else None)
    assert cli(root, "update").code == 0
    receiver = root / "locales/en/LC_MESSAGES/jelgava.po"
    message = next(m for m in read(receiver) if m.id == sentence)
    assert message.string == "The desk is closed on 1 May." and not message.fuzzy
    assert "Reused from the saint-jean-de-la-ruelle catalog." in message.user_comments
    # An unsafe translation is not spread: it stays empty in the third catalog.
    uk_donor = root / "locales/uk/LC_MESSAGES/saint-jean-de-la-ruelle.po"
    edit_po(uk_donor, lambda m: setattr(m, "string", "Закрито 2 травня.") if m.id == sentence else None)
    assert cli(root, "update").code == 0
    uk = next(m for m in read(root / "locales/uk/LC_MESSAGES/jelgava.po") if m.id == sentence)
    assert uk.string == ""


def test_right_to_left_comes_from_cldr(project, cli) -> None:
    root = project("basic")
    city = root / "content/demoville/city.yaml"
    city.write_text(city.read_text().replace("min_translated: 0.1", "min_translated: 0"))
    text = city.read_text()
    city.write_text(re.sub(r"languages: \[([^\]]*)\]", r"languages: [\1, ckb, ps, ti]", text))
    assert cli(root, "build").code == 0, "languages list not found" if "ckb" not in city.read_text() else ""
    for lang, direction in (("ckb", "rtl"), ("ps", "rtl"), ("ti", "ltr"), ("ar", "rtl"), ("en", "ltr")):
        html = (root / f"_site/demoville/{lang}/index.html").read_text()
        assert f'<html lang="{lang}" dir="{direction}">' in html


def test_pybabel_update_and_compile_agree_with_our_commands(project, cli, tmp_path: Path) -> None:
    pybabel = shutil.which("pybabel")
    assert pybabel
    root = project(None)
    assert cli(root, "update").code == 0  # nothing to do: the shipped catalogs are current
    po = root / "locales/uk/LC_MESSAGES/jelgava.po"
    ours = po.read_bytes()
    copy = tmp_path / "jelgava.po"
    copy.write_bytes(ours)
    run = subprocess.run([pybabel, "update", "-D", "jelgava", "-i", str(root / "locales/jelgava.pot"),
                          "-o", str(copy), "-l", "uk", "-w", "76", "--previous", "--ignore-pot-creation-date"],
                         cwd=root, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    strip = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\n', re.MULTILINE)
    assert {m.id: (m.string, m.fuzzy) for m in read(copy)} == \
        {m.id: (m.string, m.fuzzy) for m in read(po)}
    assert strip.sub("", copy.read_text()) == strip.sub("", po.read_text())
    assert cli(root, "compile").code == 0
    mo = po.with_suffix(".mo")
    run = subprocess.run([pybabel, "compile", "-D", "jelgava", "-i", str(po), "-o", str(tmp_path / "j.mo"), "-l", "uk"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "j.mo").read_bytes() == mo.read_bytes()


def test_a_status_page_template_written_before_its_lines_were_objects_still_reads_them(project, cli) -> None:
    """A city's own status page template may read a language's line as a dictionary, and by the
    name templates used before 2026-12-03 (``catalogue``): it shows what the project's template does."""
    root = project("basic")
    assert cli(root, "update").code == 0
    templates = root / "content/demoville/templates"
    templates.mkdir()
    (templates / "translation-status.html").write_text(
        '{% extends "base.html" %}{% block main %}{% for row in status %}'
        '<p class="row">{{ row["lang"] }} {{ row.catalogue }} {{ row["progress"]["messages"] }} {{ row.published }}'
        '{% for page in row["pages"] %}<i>{{ page["name"] }} {{ page.progress.translated }}</i>{% endfor %}</p>'
        '{% endfor %}{% endblock %}', encoding="utf-8")
    assert cli(root, "build").code == 0
    html = (root / "_site/demoville/translation-status.html").read_text(encoding="utf-8")
    rows = re.findall(r'<p class="row">(\w+) (\S+) (\d+) (True|False)(.*?)</p>', html)
    assert {(lang, catalog) for lang, catalog, *_ in rows} == {
        (lang, f"locales/{lang}/LC_MESSAGES/demoville.po") for lang in ("en", "ar")}
    assert all(int(messages) > 0 and re.search(r"<i>services/[\w-]+\.md \d+</i>", pages)
               for _, _, messages, _, pages in rows)
