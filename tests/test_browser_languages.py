"""What app.js writes after loading, in a language Chromium's Intl does not know (Tigrinya):
day names, times and dates from the build's CLDR data (Babel), never an English fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.dates import format_date, format_time, get_day_names
from babel.messages.pofile import read_po
from conftest import BUILD_DAY, make_project

from ici_site.cli import main

TIGRINYA = {"Cours de français": "ትምህርቲ ፈረንሳይኛ", "Premiers pas": "ቀዳሞት ስጉምትታት", "Démoville": "ደሞቪል"}
PAGE = "demoville/ti/services/cours-de-francais.html"  # Mo-Fr 09:00-12:30,14:00-17:00; Sa 10:00-12:00


@pytest.fixture(scope="module")
def tigrinya_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The basic mini-site publishing Tigrinya, built on the fixed build day."""
    root = make_project(tmp_path_factory.mktemp("tigrinya") / "site", "basic")
    city = root / "content/demoville/city.yaml"
    city.write_text(city.read_text().replace("languages: [fr, en, ar]", "languages: [fr, en, ar, ti]"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
        assert main(["--root", str(root), "init", "demoville", "ti"]) == 0
        po = root / "locales/ti/LC_MESSAGES/demoville.po"
        text = po.read_text(encoding="utf-8")
        for source, translation in TIGRINYA.items():
            text = text.replace(f'msgid "{source}"\nmsgstr ""', f'msgid "{source}"\nmsgstr "{translation}"')
        po.write_text(text, encoding="utf-8")
        assert main(["--root", str(root), "build"]) == 0
    yield root


def _interface(root: Path, msgid: str) -> str:
    with open(root / "locales/ti/LC_MESSAGES/messages.po", "rb") as fileobj:
        return str(read_po(fileobj)[msgid].string)


def test_open_now_and_saved_date_are_written_in_tigrinya(browser, tigrinya_site: Path) -> None:
    from browsing import Server
    server = Server(tigrinya_site / "_site")
    context = browser.new_context(timezone_id="Europe/Paris", service_workers="block")
    context.add_init_script("localStorage.setItem('ici-saved-ti', '2026-11-21T10:00:00.000Z')")
    page = context.new_page()
    try:
        page.clock.set_fixed_time(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))  # Sunday, 10:00 in Paris
        page.goto(server.url + PAGE)
        monday = get_day_names("wide", locale="ti")[0]
        nine = format_time(dt.time(9, 0), "short", locale="ti")
        opens = _interface(tigrinya_site, "Closed now. Opens %(day)s at %(time)s.") % {"day": monday, "time": nine}
        assert page.text_content(".now") == opens  # before: "... Monday ... 09:00 AM"
        assert "Monday" not in opens and "AM" not in opens
        saved = format_date(dt.date(2026, 11, 21), "long", locale="ti")  # ሕዳር 21, 2026
        page.wait_for_function("document.querySelector('#save-status').textContent !== ''")
        assert page.text_content("#save-status") == _interface(
            tigrinya_site, "Saved on this phone on %(date)s.") % {"date": saved}  # before: November 21, 2026
        page.clock.set_fixed_time(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))  # Monday 11:00: open
        page.goto(server.url + PAGE)
        closes = format_time(dt.time(12, 30), "short", locale="ti")
        assert page.text_content(".now") == _interface(tigrinya_site, "Open now. Closes at %(time)s.") % {
            "time": closes}
    finally:
        context.close()
        server.stop()
