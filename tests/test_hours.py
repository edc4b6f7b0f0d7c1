"""Opening hours as a week table in the reader's language."""

import datetime as dt

from ici_site.site.hours import week_table

FRIDAY = dt.date(2026, 11, 20)


def test_week_in_french_and_arabic() -> None:
    fr = week_table("Mo-Fr 09:00-12:30,14:00-17:00; Sa 10:00-12:00", "fr", FRIDAY)
    assert [(d.day, d.spans) for d in fr[4:7]] == [
        ("Vendredi", ("09:00–12:30", "14:00–17:00")), ("Samedi", ("10:00–12:00",)), ("Dimanche", ())]
    ar = week_table("Mo 09:00-12:00", "ar", FRIDAY)
    assert ar[0].day == "الاثنين" and ar[0].spans and ar[1].spans == ()


def test_overnight_spans_are_cut_at_midnight() -> None:
    days = week_table("Mo-Su 22:00-02:00", "uk", FRIDAY)
    assert days[1].spans == ("00:00–02:00", "22:00–24:00")


def test_public_holidays_off_leaves_ordinary_days_open() -> None:
    assert week_table("Mo-Fr 09:00-12:00; PH off", "lv", FRIDAY)[2].spans == ("09:00–12:00",)
