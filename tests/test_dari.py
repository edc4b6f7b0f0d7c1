"""Dari (Afghan Persian) as a city publishes it: BCP 47 ``fa-AF``, catalogs in ``fa_AF``,
named "دری" as CLDR has it, the Persian interface until Dari has its own, Babel's dates."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, get_day_names
from babel.messages.pofile import read_po

DARI = {"Cours de français": "کورس‌های زبان فرانسوی", "Premiers pas": "قدم‌های نخست",
        "Démoville": "دموویل", "Des cours gratuits pour adultes.": "کورس‌های رایگان برای بزرگسالان."}


def _persian(root, msgid: str) -> str:
    with open(root / "locales/fa/LC_MESSAGES/messages.po", "rb") as fileobj:
        return read_po(fileobj)[msgid].string


def test_a_city_publishes_dari(project, cli) -> None:
    root = project("basic")
    city = root / "content/demoville/city.yaml"
    city.write_text(city.read_text().replace("languages: [fr, en, ar]", "languages: [fr, en, ar, fa-AF]"))
    result = cli(root, "init", "demoville", "fa-AF")
    assert result.code == 0, result.err
    po = root / "locales/fa_AF/LC_MESSAGES/demoville.po"  # gettext's folder name
    assert "created locales/fa_AF/LC_MESSAGES/demoville.po" in result.out
    assert not (root / "locales/fa_AF/LC_MESSAGES/messages.po").exists()  # the interface is Persian's
    assert "pages show the interface in 'fa'" in result.out
    text = po.read_text(encoding="utf-8")
    assert '"Language: fa_AF\\n"' in text and '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    for source, dari in DARI.items():
        text = text.replace(f'msgid "{source}"\nmsgstr ""', f'msgid "{source}"\nmsgstr "{dari}"')
    po.write_text(text, encoding="utf-8")
    assert cli(root, "update").code == 0
    assert not (root / "locales/fa_AF/LC_MESSAGES/messages.po").exists()  # update does not make one either
    assert cli(root, "check").code == 0
    result = cli(root, "build")
    assert result.code == 0 and "warning" not in result.err, result.err

    site = root / "_site/demoville"
    home = (site / "fa-AF/index.html").read_text(encoding="utf-8")
    assert home.startswith('<!DOCTYPE html>\n<html lang="fa-AF" dir="rtl">')
    chooser = (site / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="fa-AF" lang="fa-AF" dir="rtl">دری</a>' in chooser  # not "فارسی (افغانستان)"
    assert f'<a class="skip" href="#main">{_persian(root, "Skip to content")}</a>' in home
    page = (site / "fa-AF/services/cours-de-francais.html").read_text(encoding="utf-8")
    assert "<h1>کورس‌های زبان فرانسوی</h1>" in page
    assert f"<h2 id=\"hours-title\">{_persian(root, 'Opening hours')}</h2>" in page
    monday = get_day_names("wide", locale="fa_AF")[0]
    assert f'<th scope="row">{monday}</th>' in page
    reviewed = format_date(dt.date(2026, 10, 1), "long", locale="fa_AF")
    assert f'<time datetime="2026-10-01">{reviewed}</time>' in page and "اکتوبر" in reviewed  # Afghan month name
    # the untranslated texts: the French source, with the "not yet translated" hint in Persian
    assert f'class="hint" lang="fa-AF" dir="rtl">{_persian(root, "not yet translated")}<' in page
    # search: Persian normalisation and stemming
    docs = (site / "fa-AF/search/docs.js").read_text(encoding="utf-8")
    assert '{"lang":"fa-AF","stem":"persian","script":"Arab"}' in docs


def test_dari_codes_that_cldr_spells_otherwise_are_explained(project, cli) -> None:
    root = project("basic")
    result = cli(root, "init", "demoville", "prs")
    assert result.code == 2 and "'prs' is written 'fa-AF' in CLDR (Dari): write 'fa-AF'" in result.err
    result = cli(root, "new", "kabul-ville", "--language", "fa-AF")
    assert result.code == 0 and "(country AF, language fa-AF, time zone Asia/Kabul" in result.out
    assert cli(root, "init", "fa-AF").code == 0  # the interface catalog of its own, when asked
    assert (root / "locales/fa_AF/LC_MESSAGES/messages.po").exists()
