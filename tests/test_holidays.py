"""Public holidays in opening hours: the week table, the holiday rows, the JSON-LD and
"open now" of real built pages, read in Chromium with its clock set up to 11 months
after the build; and the warning for a later rule that drops earlier hours."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_on, make_project

from ici_site.site.hours import HORIZON_DAYS, Place, day_spans, open_data, replaced_hours, week_table

BUILD = dt.date(2026, 12, 3)  # a Thursday; the site is read up to 11 months later
EPOCH = str(int(dt.datetime.combine(BUILD, dt.time(), dt.UTC).timestamp()))
CRECHE = "Mo-Fr 07:30-18:30; PH off"
OPEN_ALL_DAY = ((450, 1110),)


def spans_on(hours: str, place: Place, day: dt.date) -> tuple[tuple[int, int], ...]:
    return day_spans(hours, place, BUILD)[(day - BUILD).days]


@pytest.mark.parametrize(("place", "day"), [
    (Place("FR"), dt.date(2026, 12, 25)), (Place("FR"), dt.date(2027, 7, 14)),
    (Place("LV"), dt.date(2027, 6, 23)), (Place("LV"), dt.date(2027, 6, 24)),
    (Place("FR", "57"), dt.date(2027, 3, 26)),  # Good Friday: only in Alsace-Moselle
])
def test_closed_on_the_public_holidays_of_the_country_and_region(place: Place, day: dt.date) -> None:
    assert spans_on(CRECHE, place, day) == ()
    assert spans_on(CRECHE, place, day + dt.timedelta(days=14)) == OPEN_ALL_DAY  # same weekday, no holiday


def test_a_region_adds_its_holidays_to_the_country_s() -> None:
    assert spans_on(CRECHE, Place("FR"), dt.date(2027, 3, 26)) == OPEN_ALL_DAY  # Good Friday elsewhere in France
    assert spans_on("Mo-Su 10:00-12:00; PH 10:00-11:00", Place("DE", "BY"), dt.date(2027, 1, 6)) == ((600, 660),)
    assert spans_on("Mo-Su 10:00-12:00; PH 10:00-11:00", Place("DE", "BE"), dt.date(2027, 1, 6)) == ((600, 720),)


def test_a_country_opening_hours_py_has_no_calendar_for_takes_the_holidays_package_s() -> None:
    republic_day = dt.date(2027, 1, 26)  # India: the library raises UnknownCountryError for IN
    assert spans_on("Mo-Su 09:00-12:00; PH off", Place("IN"), republic_day) == ()
    assert spans_on("Mo-Su 09:00-12:00; PH off", Place("IN"), republic_day + dt.timedelta(days=7)) == ((540, 720),)


def test_the_week_table_shows_the_usual_week_not_the_holiday_week() -> None:
    christmas_week = dt.date(2026, 12, 21)
    friday = week_table(CRECHE, "fr", christmas_week, Place("FR"))[4]
    assert (friday.day, friday.spans) == ("Vendredi", ("07:30–18:30",))


def test_open_data_is_one_week_and_the_holidays_for_13_months() -> None:
    data = open_data(CRECHE, Place("FR"), BUILD)
    assert (data.start, data.days) == (BUILD, HORIZON_DAYS)
    assert data.week == "450-1110/450-1110/450-1110/450-1110/450-1110//"
    closed = sorted(BUILD + dt.timedelta(days=int(e.split("=")[0])) for e in data.exceptions.split())
    assert closed[0] == dt.date(2026, 12, 25) and dt.date(2027, 7, 14) in closed
    assert all(e.endswith("=") for e in data.exceptions.split())  # closed all day
    assert closed[-1] < BUILD + dt.timedelta(days=HORIZON_DAYS)


@pytest.mark.parametrize(("hours", "expected"), [
    ("Mo-Fr 08:30-14:00; Th 16:00-18:30", "Thursday"),
    ("Mo-Fr 09:00-12:00; 14:00-17:00", "Monday, Tuesday, Wednesday, Thursday, Friday"),
    ("Mo-Fr 09:00-12:00; PH off", None), ("Mo-Su 09:00-12:00; Su off", None),
    ("Mo-Fr 09:00-17:00; Sa 10:00-12:00", None), ("10:00-18:00; Jul-Aug 10:00-22:00", None),
    ("Mo-Fr 08:30-14:00; Th 08:30-14:00,16:00-18:30", None),
])
def test_a_later_rule_that_drops_hours_is_found(hours: str, expected: str | None) -> None:
    message = replaced_hours(hours)
    assert (message is None) == (expected is None)
    if message:
        assert f"the earlier hours of {expected}," in message


# -- real builds -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def holiday_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("holidays"), "holidays")
    build_on(root, EPOCH, "--strict")
    return root / "_site"


def jsonld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)[1])


def test_built_page_lists_the_holidays_and_keeps_the_usual_week(holiday_site: Path) -> None:
    page = (holiday_site / "lyonnet" / "fr" / "services" / "creche.html").read_text()
    table = re.search(r'<table class="holidays">.*?</table>', page, re.DOTALL)[0]
    rows = re.findall(r'<tr data-day="([\d-]+)"( hidden)?><th scope="row">([^<]+)</th><td>([^<]+)</td>', table)
    assert rows[:2] == [("2026-12-25", "", "Vendredi 25 décembre 2026", "Fermé"),
                        ("2027-01-01", "", "Vendredi 1 janvier 2027", "Fermé")]
    assert [r[1] for r in rows[4:]] == [" hidden"] * len(rows[4:])  # the next four, the script shows later ones
    assert "2027-07-14" in [r[0] for r in rows]
    assert "<caption>Public holidays</caption>" in table or "<caption>Jours fériés</caption>" in table
    assert '<tr><th scope="row">Vendredi</th><td><span class="span">07:30–18:30</span></td></tr>' in page


def test_json_ld_has_the_holidays_of_the_country_and_region(holiday_site: Path) -> None:
    def special(city: str) -> dict[str, tuple[str, str]]:
        page = (holiday_site / city / "fr" / "services" / "creche.html").read_text()
        place = jsonld(page)["availableChannel"]["serviceLocation"]
        assert {s["dayOfWeek"].rsplit("/", 1)[1] for s in place["openingHoursSpecification"]} == {
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
        return {s["validFrom"]: (s["opens"], s["closes"]) for s in place["specialOpeningHoursSpecification"]}

    lyonnet, moselle = special("lyonnet"), special("moselle")
    assert lyonnet["2026-12-25"] == lyonnet["2027-07-14"] == ("00:00", "00:00")  # schema.org: closed
    assert "2027-03-26" not in lyonnet and moselle["2027-03-26"] == ("00:00", "00:00")  # Good Friday


def test_a_date_in_ukrainian_and_russian_sentences_ends_with_one_full_stop(holiday_site: Path) -> None:
    for path in ("lyonnet/uk/services/creche.html", "ogre/ru/services/bernudarzs.html"):
        page = (holiday_site / path).read_text()
        found = re.search(r'<p class="reviewed">(.*?)</p>', page, re.DOTALL)
        assert found, path
        reviewed = re.sub(r"<[^>]+>", "", found[1])  # the date is a <time datetime> element
        assert re.search(r"2026[\s\u202f](р|г)\.$", reviewed), reviewed


# -- in Chromium, with its clock set ------------------------------------------------------


@pytest.fixture(scope="module")
def served(holiday_site: Path) -> Iterator[str]:
    from browsing import Server
    server = Server(holiday_site)
    yield server.url
    server.stop()


def now_line(browser, url: str, when: dt.datetime) -> tuple[str, bool, list[str]]:
    """The "open now" line, whether it is shown, and the holiday rows shown, at ``when``."""
    context = browser.new_context(timezone_id="America/New_York", service_workers="block")  # not the city's zone
    page = context.new_page()
    page.clock.set_fixed_time(when)
    page.goto(url)
    text, hidden = page.text_content(".now"), page.is_hidden(".now")
    rows = page.eval_on_selector_all(".holidays tr:not([hidden])", "rows => rows.map(r => r.dataset.day)")
    context.close()
    return text or "", not hidden, rows


PARIS, RIGA = "lyonnet/fr/services/creche.html", "ogre/lv/services/bernudarzs.html"


@pytest.mark.parametrize(("path", "when", "expected"), [
    # Christmas, a Friday: closed; 9:00 in Paris is 8:00 UTC
    (PARIS, dt.datetime(2026, 12, 25, 8, 0), "Fermé maintenant. Ouvre lundi à 07:30."),
    (PARIS, dt.datetime(2026, 12, 24, 8, 0), "Ouvert maintenant. Ferme à 18:30."),
    (PARIS, dt.datetime(2027, 7, 14, 8, 0), "Fermé maintenant. Ouvre jeudi à 07:30."),  # 14 July, summer time
    (PARIS, dt.datetime(2027, 7, 13, 5, 45), "Ouvert maintenant. Ferme à 18:30."),  # 07:45 in Paris (UTC+2)
    (PARIS, dt.datetime(2027, 11, 3, 6, 45), "Ouvert maintenant. Ferme à 18:30."),  # 11 months on, UTC+1 again
    (PARIS, dt.datetime(2027, 11, 3, 6, 15), "Fermé maintenant. Ouvre aujourd'hui à 07:30."),
    (RIGA, dt.datetime(2027, 6, 23, 7, 0), "Pašlaik slēgts. Nākamreiz atver: piektdiena, 07:00."),  # Jāņi: 23 and 24 June; CLDR writes day names in lower case
    (RIGA, dt.datetime(2027, 6, 22, 7, 0), "Pašlaik atvērts. Slēdz 19:00."),  # 10:00 in Riga
])
def test_open_now_honours_the_holidays_for_months_after_the_build(browser, served: str, path: str,
                                                                   when: dt.datetime, expected: str) -> None:
    text, shown, _ = now_line(browser, served + path, when.replace(tzinfo=dt.UTC))
    assert shown and text == expected


def test_holiday_rows_follow_the_reader_s_day_and_open_now_stops_after_13_months(browser, served: str) -> None:
    _, _, rows = now_line(browser, served + PARIS, dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC))
    assert rows[:2] == ["2026-12-25", "2027-01-01"] and len(rows) == 4
    _, _, rows = now_line(browser, served + PARIS, dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC))
    assert rows == ["2027-07-14", "2027-11-01", "2027-11-11"]  # the past ones gone, later ones shown
    _, shown, rows = now_line(browser, served + PARIS, dt.datetime(2028, 1, 10, 9, tzinfo=dt.UTC))
    assert not shown and rows == []  # no data that old: nothing rather than a guess


def test_a_holiday_region_the_country_does_not_have_is_an_error_with_the_choices(project, cli) -> None:
    root = project("holidays")
    city = root / "content" / "moselle" / "city.yaml"
    city.write_text(city.read_text().replace("holiday_region: FR-57", "holiday_region: Lorraine"))
    result = cli(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    error = result.err.splitlines()[0]
    assert error.startswith("error: content/moselle/city.yaml:8: holiday_region: 'Lorraine' is not a region of FR")
    assert "FR-57" in error
